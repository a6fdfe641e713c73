package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"tether"
	"tether/calendar"
	"tether/compose"
	"tether/enquiry"
)

// The reply forms: a holding reply (the reason from the controlled list,
// what is outstanding and from whom, and the new date) and the answer,
// each written from an enquiry-reply template. "Check the reply" shows it
// as it would be sent, with the clarity gate's measures, and sends
// nothing; "Send" sends it, or shows why not (below the clarity bar, a
// holding reply after the due date...).

// enquiryPreviewer previews a reply without sending it: the store does.
type enquiryPreviewer interface {
	PreviewEnquiryReply(ctx context.Context, id int64, in enquiry.ReplyInput, holding *enquiry.HoldingInput) (*enquiry.Reply, error)
}

// enquiryAutoValues are the template values the service fills in for a
// reply: from the enquiry, the office, the team and the correspondence
// defaults. The form asks for the others.
var enquiryAutoValues = []string{"reference", "enquiry_ref", "enquiry_date", "due_date", "holding", "new_date", "holding_reason",
	"today", "mp_name", "person_name", "team_name", "consent", "help_phone", "department"}

// replyValue is the value every enquiry-reply template has: what the
// caseworker writes.
const replyValue = "reply"

// isAutoValue reports whether the service fills in the placeholder (in
// its normal form).
func isAutoValue(n string) bool {
	for _, a := range enquiryAutoValues {
		if compose.Normalise(a) == n {
			return true
		}
	}
	return false
}

// enquiryReplyPage is the holding reply or answer form.
type enquiryReplyPage struct {
	layout
	E       enquiryRow
	Holding bool
	Action  string
	// Templates are the published enquiry-reply templates to choose from.
	Templates []radioOption
	// Inputs are the values the templates need from the caseworker,
	// beyond the reply itself and what the service fills in.
	Inputs      []personalisationInput
	Auto        []string
	Reasons     []radioOption
	Froms       []option
	Preview     *enquiry.Reply
	CanOverride bool
	CanPreview  bool
	// ToHint and ToAddressHint say where a reply goes when its email or
	// postal address is left blank: the office's on record, when it has
	// one (page_enquiry_reply_to.go).
	ToHint, ToAddressHint string
}

// holdingFields and answerFields map the store's field keys onto the forms.
var (
	replyFields = []fieldSpec{
		{Key: "template_key", ID: "template_key", Label: "Template", Required: "Choose the reply template"},
		{Key: "language", ID: "template_key", Label: "Language"},
		{Key: "personalisation", ID: "template_key", Label: "Template values"},
		{Key: "personalisation." + replyValue, ID: "p-" + replyValue, Label: "The reply"},
		{Key: "to", ID: "to", Label: "Email address"},
		{Key: "to_address", ID: "to_address", Label: "Postal address"},
		{Key: "proof_ref", ID: "proof_ref", Label: "Reference"},
		{Key: "override_reason", ID: "override_reason", Label: "Reason"},
	}
	holdingFields = append([]fieldSpec{
		{Key: "reason", ID: "reason", Label: "Reason", Required: "Choose why the answer will be late"},
		{Key: "outstanding", ID: "outstanding", Label: "What is outstanding"},
		{Key: "from", ID: "from", Label: "Who it is awaited from", Required: "Choose whom it is awaited from"},
		{Key: "detail", ID: "detail", Label: "More detail"},
		{Key: "new_date", ID: "new_date", Focus: "new_date-day", Label: "The new date"},
	}, replyFields...)
)

// newReplyPage starts the form for the enquiry of the path's {id}; it
// answers 404 or 403 itself when the enquiry cannot be read.
func (s *Server) newReplyPage(w http.ResponseWriter, r *http.Request, holding bool, v url.Values) (*enquiryReplyPage, bool) {
	ctx := r.Context()
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return nil, false
	}
	d, err := s.Enquiries.EnquiryDetail(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return nil, false
	}
	title := "Answer the enquiry"
	action := "/enquiries/" + strconv.FormatInt(id, 10) + "/reply"
	if holding {
		title, action = "Send a holding reply", "/enquiries/"+strconv.FormatInt(id, 10)+"/holding-reply"
	}
	u := currentUser(r)
	p := &enquiryReplyPage{layout: s.newLayout(r, title), E: s.enquiryRow(d.Enquiry), Holding: holding, Action: action,
		CanOverride: u.Role == tether.RoleAdmin}
	_, p.CanPreview = s.Enquiries.(enquiryPreviewer)
	p.Nav, p.Back = "enquiries", "/enquiries/"+strconv.FormatInt(id, 10)
	p.Form = newForm(v)
	if p.ToHint, p.ToAddressHint, err = s.replyToHints(ctx, d.Enquiry.OrganisationID); err != nil {
		s.fail(w, r, err)
		return nil, false
	}
	if holding {
		for _, rs := range enquiry.Reasons {
			p.Reasons = append(p.Reasons, radioOption{Value: rs, Text: enquiry.ReasonWords(rs)})
		}
		for _, fr := range enquiry.Froms {
			p.Froms = append(p.Froms, option{fr, upperFirst(enquiry.FromWords(fr))})
		}
	}
	if s.Correspondence != nil {
		ts, err := s.Correspondence.FindTemplates(ctx)
		if err != nil {
			s.fail(w, r, err)
			return nil, false
		}
		// Placeholders by their normal form (compose.Normalise): "mp_name"
		// and "MP name" are one.
		inputs, auto := map[string]string{}, map[string]string{}
		for _, t := range ts {
			if t.Kind != tether.KindEnquiryReply || len(publishedVersions(t)) == 0 {
				continue
			}
			p.Templates = append(p.Templates, radioOption{Value: t.Key, Text: t.Title, Hint: replyChannelHint(t.Channel)})
			for _, name := range t.Placeholders {
				n := compose.Normalise(name)
				switch {
				case isAutoValue(n):
					auto[n] = name
				case n != replyValue:
					inputs[n] = name
				}
			}
		}
		for _, name := range inputs {
			p.Inputs = append(p.Inputs, personalisationInput{Name: upperFirst(strings.ReplaceAll(name, "_", " ")), ID: "p-" + name})
		}
		sort.Slice(p.Inputs, func(i, j int) bool { return p.Inputs[i].ID < p.Inputs[j].ID })
		for _, name := range auto {
			p.Auto = append(p.Auto, strings.ReplaceAll(name, "_", " "))
		}
		sort.Strings(p.Auto)
	}
	// One template: chosen already.
	if len(p.Templates) == 1 && p.Form.Value("template_key") == "" {
		p.Form.Values.Set("template_key", p.Templates[0].Value)
	}
	return p, true
}

func replyChannelHint(ch string) string {
	switch ch {
	case tether.ChannelEmail:
		return "Sent by email"
	case tether.ChannelLetter:
		return "Sent by post"
	}
	return ch
}

func (s *Server) pageHoldingReplyForm(w http.ResponseWriter, r *http.Request) {
	p, ok := s.newReplyPage(w, r, true, nil)
	if !ok {
		return
	}
	s.render(w, r, http.StatusOK, "enquiry_reply", p)
}

func (s *Server) pageAnswerForm(w http.ResponseWriter, r *http.Request) {
	p, ok := s.newReplyPage(w, r, false, nil)
	if !ok {
		return
	}
	s.render(w, r, http.StatusOK, "enquiry_reply", p)
}

// readReplyForm reads the reply's fields: the template, the values the
// caseworker wrote, where it goes and the proof of sending.
func readReplyForm(v url.Values, admin bool) enquiry.ReplyInput {
	in := enquiry.ReplyInput{TemplateKey: v.Get("template_key"), To: strings.TrimSpace(v.Get("to")),
		ProofRef: v.Get("proof_ref"), Personalisation: map[string]string{}}
	if admin {
		in.OverrideReason = v.Get("override_reason")
	}
	for k, vals := range v {
		if name, ok := strings.CutPrefix(k, "p-"); ok && len(vals) > 0 && strings.TrimSpace(vals[0]) != "" {
			in.Personalisation[name] = strings.TrimSpace(vals[0])
		}
	}
	for _, line := range strings.Split(v.Get("to_address"), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			in.ToAddress = append(in.ToAddress, line)
		}
	}
	if n, err := strconv.Atoi(v.Get("version")); err == nil {
		in.Version = n
	} else if v.Get("version") != "" {
		in.Version = -1
	}
	return in
}

// holdingText is a holding reply's words for the office, in short
// sentences so that the reply meets the clarity bar: why the answer is
// late, what is outstanding, from whom, and the new date; then anything
// the caseworker added.
func holdingText(h enquiry.HoldingInput, message string) string {
	text := "We cannot answer yet."
	outstanding := strings.TrimRight(strings.TrimSpace(h.Outstanding), ". ")
	if d, err := calendar.ParseDate(h.NewDate); err == nil && slices.Contains(enquiry.Reasons, h.Reason) &&
		slices.Contains(enquiry.Froms, h.From) && outstanding != "" {
		text += " " + enquiry.ReasonWords(h.Reason) + ". We still need " + lowerFirst(outstanding) + ". It will come from " +
			enquiry.FromWords(h.From) + ". We will answer by " + d.Long() + "."
	}
	if message = strings.TrimSpace(message); message != "" {
		text += "\n\n" + message
	}
	return text
}

// lowerFirst lowers the first letter of a phrase to go in a sentence,
// unless the phrase starts with an abbreviation ("GP", "DNA test").
func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if next, _ := utf8.DecodeRuneInString(s[n:]); unicode.IsUpper(next) {
		return s
	}
	return string(unicode.ToLower(r)) + s[n:]
}

func (s *Server) pageHoldingReply(w http.ResponseWriter, r *http.Request) { s.postReply(w, r, true) }

func (s *Server) pageAnswer(w http.ResponseWriter, r *http.Request) { s.postReply(w, r, false) }

// postReply checks ("preview") or sends a holding reply or an answer.
func (s *Server) postReply(w http.ResponseWriter, r *http.Request, holding bool) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	ctx := r.Context()
	v := r.PostForm
	f := newForm(v)
	in := readReplyForm(v, currentUser(r).Role == tether.RoleAdmin)
	var h *enquiry.HoldingInput
	if holding {
		h = &enquiry.HoldingInput{Reason: v.Get("reason"), Outstanding: v.Get("outstanding"), From: v.Get("from"), Detail: v.Get("detail")}
		if d, ok := dateInput(f, "new_date", "The new date", 4); ok {
			if d.Year != 0 && d.Day == 0 {
				f.add("new_date", "new_date-day", "The new date must include a day and month", 4)
			}
			h.NewDate = d.String()
		}
		in.Personalisation[replyValue] = holdingText(*h, v.Get("p-"+replyValue))
	}
	preview := v.Get("action") == "preview"
	var sent *enquiry.Enquiry
	var rep *enquiry.Reply
	switch {
	case len(f.Summary) > 0:
		err = tether.Errorf(tether.EINVALID, "Check the form.")
	case preview:
		pv, ok := s.Enquiries.(enquiryPreviewer)
		if !ok {
			err = tether.Errorf(tether.ENOTFOUND, "Previews are not available on this server.")
			break
		}
		rep, err = pv.PreviewEnquiryReply(ctx, id, in, h)
	case holding:
		sent, err = s.Enquiries.SendHoldingReply(ctx, id, enquiry.HoldingReplyInput{HoldingInput: *h, ReplyInput: in})
	default:
		sent, err = s.Enquiries.AnswerEnquiry(ctx, id, in)
	}
	if err == nil && sent != nil {
		done := "answer"
		if holding {
			done = "holding"
		}
		http.Redirect(w, r, "/enquiries/"+strconv.FormatInt(id, 10)+"?done="+done, http.StatusSeeOther)
		return
	}
	status := http.StatusOK
	switch tether.ErrorCode(err) {
	case "":
	case tether.EINVALID:
		status = http.StatusBadRequest
		if len(f.Summary) == 0 {
			chooseMessages(f, err, []choiceMessage{{"reason", "reason", "Choose why the answer will be late", 0},
				{"from", "from", "Choose whom it is awaited from", 2}, {"template_key", "template_key", "Choose the reply template", 5}})
			specs := replyFields
			if holding {
				specs = holdingFields
			}
			fallback := "template_key"
			if holding {
				fallback = "reason"
			}
			f.addDomainErrors(err, personalisationSpecs(specs, err), fallback)
		}
	case tether.ECONFLICT:
		status = http.StatusConflict
		f.notice("reply-summary", tether.ErrorMessage(err))
	default:
		s.fail(w, r, err)
		return
	}
	p, ok := s.newReplyPage(w, r, holding, v)
	if !ok {
		return
	}
	p.Form, p.Preview = f, rep
	s.render(w, r, status, "enquiry_reply", p)
}

// personalisationSpecs adds a field for each template value the error
// names, so that its message shows by its input.
func personalisationSpecs(specs []fieldSpec, err error) []fieldSpec {
	out := slices.Clone(specs)
	var names []string
	for k := range tether.ErrorFields(err) {
		if name, ok := strings.CutPrefix(k, "personalisation."); ok && name != replyValue {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	for _, n := range names {
		out = append(out, fieldSpec{Key: "personalisation." + n, ID: "p-" + n, Label: upperFirst(strings.ReplaceAll(n, "_", " "))})
	}
	return out
}

// choiceMessage is the message for a choice left empty.
type choiceMessage struct {
	key, id, text string
	order         int
}

// chooseMessages puts the GOV.UK message on each choice the error names
// that was left empty, in place of the domain's list of codes.
func chooseMessages(f *form, err error, choices []choiceMessage) {
	fields := tether.ErrorFields(err)
	for _, c := range choices {
		if _, ok := fields[c.key]; ok && strings.TrimSpace(f.Value(c.id)) == "" {
			f.add(c.id, "", c.text, c.order)
		}
	}
}
