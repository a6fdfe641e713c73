package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"tether"
	"tether/compose"
)

// templatesPage lists the templates with their versions in use.
type templatesPage struct {
	layout
	Templates []templateRow
}

type templateRow struct {
	*tether.Template
	Published []*tether.TemplateVersion
	Drafts    int
}

func (s *Server) pageTemplates(w http.ResponseWriter, r *http.Request) {
	ts, err := s.Correspondence.FindTemplates(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := templatesPage{layout: s.newLayout(r, "Templates")}
	p.Nav = "templates"
	p.Success = templateDone[r.URL.Query().Get("done")]
	for _, t := range ts {
		row := templateRow{Template: t, Published: publishedVersions(t)}
		for _, v := range t.Versions {
			if v.State == tether.TemplateStateDraft {
				row.Drafts++
			}
		}
		p.Templates = append(p.Templates, row)
	}
	s.render(w, r, http.StatusOK, "templates", p)
}

var templateDone = map[string]string{
	"created":     "Template created",
	"draft-saved": "Draft saved",
	"published":   "Version published",
}

// editorPage is the template editor: a new template, or a new draft of one.
type editorPage struct {
	layout
	// Template is the stored template; nil for a new one.
	Template *tether.Template
	Versions []*tether.TemplateVersion
	Action   string
	Kinds    []option
	Channels []option
	// Samples are the sample personalisation inputs, one per placeholder.
	Samples []sampleInput
	// Check is the clarity report and preview of the text in the form.
	Check *clarityAnswer
	// CanEdit: the user may save drafts and publish.
	CanEdit bool
}

type sampleInput struct{ Name, ID string }

var templateFields = []fieldSpec{
	{Key: "key", ID: "key", Label: "Key"},
	{Key: "title", ID: "title", Label: "Title"},
	{Key: "kind", ID: "kind", Label: "Kind", Required: "Select the kind of template"},
	{Key: "channel", ID: "channel", Label: "Channel", Required: "Select how it is sent"},
	{Key: "placeholders", ID: "placeholders", Label: "Placeholders"},
	{Key: "language", ID: "language", Label: "Language"},
	{Key: "subject", ID: "subject", Label: "Subject"},
	{Key: "body", ID: "body", Label: "Text"},
}

func (s *Server) newEditor(r *http.Request, t *tether.Template, v url.Values) *editorPage {
	title := "New template"
	if t != nil {
		title = t.Title
	}
	p := &editorPage{layout: s.newLayout(r, title), Template: t, Action: "/templates"}
	p.Nav, p.Back = "templates", "/templates"
	p.CanEdit = p.CanWrite
	p.Scripts = []string{"/static/editor.js"}
	p.Form = newForm(v)
	for _, k := range tether.TemplateKinds {
		p.Kinds = append(p.Kinds, option{k, templateKindNames[k]})
	}
	for _, c := range []string{tether.ChannelLetter, tether.ChannelEmail, tether.ChannelSMS} {
		p.Channels = append(p.Channels, option{c, templateChannelNames[c]})
	}
	if t != nil {
		p.Action = "/templates/" + strconv.FormatInt(t.ID, 10)
		// Newest first.
		for i := len(t.Versions) - 1; i >= 0; i-- {
			p.Versions = append(p.Versions, t.Versions[i])
		}
	}
	for _, name := range splitPlaceholders(p.Form.Value("placeholders")) {
		p.Samples = append(p.Samples, sampleInput{Name: name, ID: "sample-" + compose.Normalise(name)})
	}
	return p
}

// splitPlaceholders reads the placeholders field: names separated by
// commas or new lines.
func splitPlaceholders(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '\n' || r == '\r' }) {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// editorInput is the text in the editor form, for the clarity check.
func editorInput(f *form, t *tether.Template) clarityInput {
	in := clarityInput{Channel: f.Value("channel"), AsksToAct: f.Value("asks_to_act") == "yes",
		Subject: f.Value("subject"), Body: f.Value("body"), Placeholders: splitPlaceholders(f.Value("placeholders")),
		Personalisation: map[string]string{}}
	if t != nil {
		in.Channel, in.AsksToAct, in.Placeholders = t.Channel, t.AsksToAct, t.Placeholders
	}
	for _, name := range in.Placeholders {
		if v := strings.TrimSpace(f.Value("sample-" + compose.Normalise(name))); v != "" {
			in.Personalisation[name] = v
		}
	}
	return in
}

// templateValues fills the editor from a template and its latest version.
func templateValues(t *tether.Template) url.Values {
	v := url.Values{}
	v.Set("placeholders", strings.Join(t.Placeholders, ", "))
	v.Set("channel", t.Channel)
	if t.AsksToAct {
		v.Set("asks_to_act", "yes")
	}
	v.Set("language", "en")
	if n := len(t.Versions); n > 0 {
		latest := t.Versions[n-1]
		v.Set("language", latest.Language)
		v.Set("subject", latest.Subject)
		v.Set("body", latest.Body)
	}
	return v
}

func (s *Server) pageNewTemplate(w http.ResponseWriter, r *http.Request) {
	p := s.newEditor(r, nil, url.Values{"language": {"en"}})
	s.render(w, r, http.StatusOK, "template_editor", p)
}

func (s *Server) findTemplate(w http.ResponseWriter, r *http.Request) (*tether.Template, bool) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return nil, false
	}
	t, err := s.Correspondence.FindTemplateByID(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return nil, false
	}
	return t, true
}

func (s *Server) pageTemplate(w http.ResponseWriter, r *http.Request) {
	t, ok := s.findTemplate(w, r)
	if !ok {
		return
	}
	p := s.newEditor(r, t, templateValues(t))
	p.Success = templateDone[r.URL.Query().Get("done")]
	if p.Form.Value("body") != "" {
		c := s.checkText(editorInput(p.Form, t))
		p.Check = &c
	}
	s.render(w, r, http.StatusOK, "template_editor", p)
}

func (s *Server) pageCreateTemplate(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.newEditor(r, nil, r.PostForm)
	f := p.Form
	if r.PostForm.Get("action") == "check" {
		c := s.checkText(editorInput(f, nil))
		p.Check = &c
		s.render(w, r, http.StatusOK, "template_editor", p)
		return
	}
	t := &tether.Template{Key: strings.TrimSpace(f.Value("key")), Title: strings.TrimSpace(f.Value("title")),
		Kind: f.Value("kind"), Channel: f.Value("channel"), AsksToAct: f.Value("asks_to_act") == "yes",
		Placeholders: splitPlaceholders(f.Value("placeholders"))}
	if t.Placeholders == nil {
		t.Placeholders = []string{}
	}
	if strings.TrimSpace(f.Value("body")) != "" {
		lang := strings.TrimSpace(f.Value("language"))
		if lang == "" {
			lang = "en"
		}
		t.Versions = []*tether.TemplateVersion{{Language: lang, Subject: f.Value("subject"), Body: f.Value("body")}}
	}
	err := s.Correspondence.CreateTemplate(r.Context(), t)
	if tether.ErrorCode(err) == tether.EINVALID {
		f.addDomainErrors(err, templateFields, "body")
		c := s.checkText(editorInput(f, nil))
		p.Check = &c
		s.render(w, r, http.StatusBadRequest, "template_editor", p)
		return
	} else if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/templates/"+strconv.FormatInt(t.ID, 10)+"?done=created", http.StatusSeeOther)
}

// pageSaveTemplate checks the editor's text, or saves it as a new draft.
func (s *Server) pageSaveTemplate(w http.ResponseWriter, r *http.Request) {
	t, ok := s.findTemplate(w, r)
	if !ok {
		return
	}
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	v := r.PostForm
	v.Set("placeholders", strings.Join(t.Placeholders, ", "))
	v.Set("channel", t.Channel)
	p := s.newEditor(r, t, v)
	c := s.checkText(editorInput(p.Form, t))
	p.Check = &c
	if v.Get("action") == "check" {
		s.render(w, r, http.StatusOK, "template_editor", p)
		return
	}
	lang := strings.TrimSpace(v.Get("language"))
	if lang == "" {
		lang = "en"
	}
	tv := &tether.TemplateVersion{Language: lang, Subject: v.Get("subject"), Body: v.Get("body")}
	err := s.Correspondence.AddTemplateVersion(r.Context(), t.ID, tv)
	if tether.ErrorCode(err) == tether.EINVALID {
		p.Form.addDomainErrors(err, templateFields, "body")
		s.render(w, r, http.StatusBadRequest, "template_editor", p)
		return
	} else if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/templates/"+strconv.FormatInt(t.ID, 10)+"?done=draft-saved", http.StatusSeeOther)
}

func (s *Server) pagePublishVersion(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	v, err := s.Correspondence.FindTemplateVersion(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	err = s.Correspondence.PublishTemplateVersion(r.Context(), id, r.PostForm.Get("override_reason"))
	if tether.ErrorCode(err) == tether.EINVALID {
		t, terr := s.Correspondence.FindTemplateByID(r.Context(), v.TemplateID)
		if terr != nil {
			s.fail(w, r, terr)
			return
		}
		p := s.newEditor(r, t, templateValues(t))
		fieldID := "override_reason-" + strconv.FormatInt(id, 10)
		p.Form.Values.Set(fieldID, r.PostForm.Get("override_reason"))
		p.Form.addDomainErrors(err, []fieldSpec{{Key: "override_reason", ID: fieldID, Label: "Reason"}}, fieldID)
		s.render(w, r, http.StatusBadRequest, "template_editor", p)
		return
	} else if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/templates/"+strconv.FormatInt(v.TemplateID, 10)+"?done=published", http.StatusSeeOther)
}
