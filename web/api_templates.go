package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"tether"
	"tether/clarity"
	"tether/compose"
)

// templateList is the answer of GET /api/v1/templates.
type templateList struct {
	Templates []*tether.Template `json:"templates"`
}

// templateInput is a new template, with an optional first draft.
type templateInput struct {
	Key          string   `json:"key"`
	Title        string   `json:"title"`
	Kind         string   `json:"kind"`
	Channel      string   `json:"channel"`
	AsksToAct    bool     `json:"asks_to_act"`
	Placeholders []string `json:"placeholders"`
	// The first draft; none when Body is empty.
	Language string `json:"language"`
	Subject  string `json:"subject"`
	Body     string `json:"body"`
}

// versionInput is a new draft version of a template.
type versionInput struct {
	Language string `json:"language"`
	Subject  string `json:"subject"`
	Body     string `json:"body"`
}

// publishInput publishes a draft; a draft below the clarity bar needs an
// admin's reason.
type publishInput struct {
	OverrideReason string `json:"override_reason"`
}

// clarityInput is the editor's text as it stands, for the live check.
type clarityInput struct {
	Channel         string            `json:"channel"`
	AsksToAct       bool              `json:"asks_to_act"`
	Language        string            `json:"language"`
	Subject         string            `json:"subject"`
	Body            string            `json:"body"`
	Placeholders    []string          `json:"placeholders"`
	Personalisation map[string]string `json:"personalisation"`
}

// clarityAnswer is the clarity report and a preview of the text filled with
// the sample personalisation; a placeholder with no sample shows as [name].
type clarityAnswer struct {
	Report            clarity.Report `json:"report"`
	PreviewSubject    string         `json:"preview_subject,omitempty"`
	Preview           string         `json:"preview"`
	Placeholders      []string       `json:"placeholders"`
	PlaceholderErrors []string       `json:"placeholder_errors"`
}

func (s *Server) apiListTemplates(w http.ResponseWriter, r *http.Request) {
	ts, err := s.Correspondence.FindTemplates(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if ts == nil {
		ts = []*tether.Template{}
	}
	writeJSON(w, http.StatusOK, templateList{Templates: ts})
}

func (s *Server) apiCreateTemplate(w http.ResponseWriter, r *http.Request) {
	var in templateInput
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	t := &tether.Template{Key: in.Key, Title: in.Title, Kind: in.Kind, Channel: in.Channel, AsksToAct: in.AsksToAct,
		Placeholders: in.Placeholders}
	if t.Placeholders == nil {
		t.Placeholders = []string{}
	}
	if strings.TrimSpace(in.Body) != "" {
		lang := in.Language
		if lang == "" {
			lang = "en"
		}
		t.Versions = []*tether.TemplateVersion{{Language: lang, Subject: in.Subject, Body: in.Body}}
	}
	if err := s.Correspondence.CreateTemplate(r.Context(), t); err != nil {
		s.fail(w, r, err)
		return
	}
	stored, err := s.Correspondence.FindTemplateByID(r.Context(), t.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/templates/"+strconv.FormatInt(t.ID, 10))
	writeJSON(w, http.StatusCreated, stored)
}

func (s *Server) apiGetTemplate(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	t, err := s.Correspondence.FindTemplateByID(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, t)
}

func (s *Server) apiAddTemplateVersion(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var in versionInput
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	if in.Language == "" {
		in.Language = "en"
	}
	v := &tether.TemplateVersion{Language: in.Language, Subject: in.Subject, Body: in.Body}
	if err := s.Correspondence.AddTemplateVersion(r.Context(), id, v); err != nil {
		s.fail(w, r, err)
		return
	}
	stored, err := s.Correspondence.FindTemplateVersion(r.Context(), v.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, stored)
}

func (s *Server) apiPublishVersion(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var in publishInput
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.Correspondence.PublishTemplateVersion(r.Context(), id, in.OverrideReason); err != nil {
		s.fail(w, r, err)
		return
	}
	v, err := s.Correspondence.FindTemplateVersion(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

// maxEditorText bounds the text the live check reads.
const maxEditorText = 20000

func (s *Server) apiClarity(w http.ResponseWriter, r *http.Request) {
	var in clarityInput
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	q := tether.Problems{}
	switch in.Channel {
	case tether.ChannelLetter, tether.ChannelEmail, tether.ChannelSMS:
	default:
		q.Add("channel", "must be one of letter, email, sms")
	}
	if len(in.Body) > maxEditorText {
		q.Add("body", "must be 20,000 characters or fewer")
	}
	if len(in.Subject) > 1000 {
		q.Add("subject", "must be 1,000 characters or fewer")
	}
	if err := q.Err(); err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, s.checkText(in))
}

// checkText runs the clarity check on the editor's text and fills in a
// preview, for the API and for the editor page without JavaScript.
func (s *Server) checkText(in clarityInput) clarityAnswer {
	t := &tether.Template{Channel: in.Channel, AsksToAct: in.AsksToAct, Placeholders: in.Placeholders}
	v := &tether.TemplateVersion{Language: in.Language, Subject: in.Subject, Body: in.Body}
	if in.Channel == tether.ChannelSMS {
		v.Subject = ""
	}
	out := clarityAnswer{Report: s.Correspondence.CheckVersion(t, v), Placeholders: []string{}, PlaceholderErrors: []string{}}
	seen := map[string]bool{}
	for _, text := range []string{v.Subject, v.Body} {
		names, err := compose.Placeholders(text)
		if err != nil {
			out.PlaceholderErrors = append(out.PlaceholderErrors, upperFirst(err.Error()))
			continue
		}
		for _, n := range names {
			if k := compose.Normalise(n); !seen[k] {
				seen[k] = true
				out.Placeholders = append(out.Placeholders, n)
			}
		}
		if in.Placeholders != nil {
			var ce *compose.CheckError
			if err := compose.Check(text, in.Placeholders); errors.As(err, &ce) {
				out.PlaceholderErrors = append(out.PlaceholderErrors, upperFirst(ce.Error()))
			}
		}
	}
	out.PreviewSubject = samplePreview(v.Subject, in.Personalisation)
	out.Preview = samplePreview(v.Body, in.Personalisation)
	return out
}

// samplePreview fills text with the sample values; a placeholder without
// one shows as [name]. Text that does not parse is shown as it is.
func samplePreview(text string, sample map[string]string) string {
	if text == "" {
		return ""
	}
	values := map[string]string{}
	for k, v := range sample {
		if strings.TrimSpace(v) != "" {
			values[k] = v
		}
	}
	for range 2 {
		out, err := compose.Render(text, values)
		if err == nil {
			return out
		}
		var me *compose.MissingError
		if !errors.As(err, &me) {
			return text
		}
		for _, n := range me.Names {
			values[n] = "[" + n + "]"
		}
	}
	return text
}
