package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // pages show times in UK time wherever the server runs
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/language"

	"tether"
	"tether/calendar"
)

// The HTML pages: one layout (layout.html) and shared pieces
// (components.html), and one file per page that defines "content".
//
//go:embed templates/*.html
var templateFS embed.FS

var pageTemplates = mustParsePages()

// sharedTemplates are parsed into every page.
var sharedTemplates = []string{"templates/layout.html", "templates/components.html", "templates/enquiry_parts.html"}

func mustParsePages() map[string]*template.Template {
	base := template.Must(template.New("").Funcs(templateFuncs).Funcs(correspondenceFuncs).ParseFS(templateFS, sharedTemplates...))
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		panic(err)
	}
	pages := map[string]*template.Template{}
	for _, name := range names {
		if slices.Contains(sharedTemplates, name) {
			continue
		}
		t := template.Must(template.Must(base.Clone()).ParseFS(templateFS, name))
		pages[strings.TrimSuffix(strings.TrimPrefix(name, "templates/"), ".html")] = t
	}
	return pages
}

// layout is what every page shows around its content. Page data types embed it.
type layout struct {
	Title string
	User  *tether.User
	// Nav names the active navigation item: "people", "new-person",
	// "my-tasks", "queues"...
	Nav string
	// Back is the back link's address, if the page has one.
	Back string
	// Success is the text of a green notification banner after an action.
	Success string
	// Form holds the page's form values and errors; nil when there is no form.
	Form *form
	// CanWrite: the user may change people and contact points.
	CanWrite bool
	// PersonalData: the user may see names, dates and contact details.
	PersonalData bool
	// Department: the user works in the department (not an organisation
	// user) and sees correspondence.
	Department bool
	// CanSend: the user may send notices.
	CanSend bool
	// CanSeeOutbox: the user may see the outbox and channel health.
	CanSeeOutbox bool
	// WorksTasks: the user works tasks (my tasks, a queue's list);
	// SeesQueues: the user sees how much work each queue holds.
	WorksTasks, SeesQueues bool
	// Admin: the user is an administrator.
	Admin bool
	// Roster: the user checks people in at a reporting centre's desk.
	RosterNav bool
	// Enquiries: the user raises or works enquiries; EnquiryFigures: the
	// user reads only their figures (inspectors).
	Enquiries, EnquiryFigures bool
	// Scripts are extra module scripts the page needs.
	Scripts []string
}

// HasErrors reports whether the page shows an error summary; the page title
// then starts "Error: ".
func (l layout) HasErrors() bool { return l.Form != nil && len(l.Form.Summary) > 0 }

// newLayout starts a page's layout for the signed-in user, if any.
func (s *Server) newLayout(r *http.Request, title string) layout {
	l := layout{Title: title, User: currentUser(r), Form: newForm(nil)}
	if l.User != nil {
		a := tether.ActorOf(l.User)
		l.CanWrite, l.PersonalData = a.CanWritePeople(), a.CanSeePersonalData()
		l.Department = isDepartment(l.User)
		l.CanSend = slices.Contains(noticeWriters, l.User.Role)
		l.CanSeeOutbox = slices.Contains(outboxReaders, l.User.Role)
		l.Admin = l.User.Role == tether.RoleAdmin
		if s.Tasks != nil {
			l.WorksTasks = tether.WorksTasks(l.User.Role)
			l.SeesQueues = slices.Contains(queueReaders, l.User.Role)
		}
		if s.Reporting != nil {
			l.RosterNav = slices.Contains(writers, l.User.Role)
		}
		if s.Enquiries != nil {
			l.Enquiries = slices.Contains(enquiryReaders, l.User.Role)
			l.EnquiryFigures = !l.Enquiries && slices.Contains(enquiryFigures, l.User.Role)
		}
	}
	return l
}

// render writes a page in the layout. It renders into a buffer first so that
// a template fault becomes a clean error page, not half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	t, ok := pageTemplates[name]
	var buf bytes.Buffer
	var err error
	if !ok {
		err = fmt.Errorf("no page template %q", name)
	} else {
		err = t.ExecuteTemplate(&buf, "layout", data)
	}
	if err != nil {
		s.log.Error("render page", "template", name, "err", err.Error())
		if name == "error" {
			http.Error(w, "Sorry, there is a problem with the service.", http.StatusInternalServerError)
			return
		}
		s.renderError(w, r, http.StatusInternalServerError, "")
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	// Pages hold personal data: never keep them in a shared or browser cache.
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// errorPage is the data of the error page.
type errorPage struct {
	layout
	Status  int
	Heading string
	Message string
}

// renderError answers with the GOV.UK error page for the status. The message
// is a domain message, safe to show; internal faults never show theirs.
func (s *Server) renderError(w http.ResponseWriter, r *http.Request, status int, message string) {
	title := "Sorry, there is a problem with the service"
	switch status {
	case http.StatusNotFound:
		title = "Page not found"
	case http.StatusMethodNotAllowed:
		title = "This page cannot do that"
	case http.StatusForbidden:
		title = "You do not have permission to see this page"
	case http.StatusBadRequest:
		title = "There is a problem with your request"
	case http.StatusConflict:
		title = "This record has changed"
	case http.StatusTooManyRequests:
		title = "Too many requests"
	case http.StatusServiceUnavailable:
		title = "Sorry, the service is unavailable"
	}
	p := errorPage{layout: s.newLayout(r, title), Status: status, Heading: title}
	if status < 500 && status != http.StatusNotFound {
		p.Message = message
	}
	s.render(w, r, status, "error", p)
}

// form holds a form's values and its errors in the GOV.UK pattern: an
// error summary that links to each field, and a message by each field.
type form struct {
	Values url.Values
	// Errors maps a field's id to the message shown by it.
	Errors map[string]string
	// Summary lists the errors in the order of the fields on the page.
	Summary []summaryError
	// highlight marks inputs to show in error without a message of their
	// own: the parts of a date input.
	highlight map[string]bool
}

type summaryError struct {
	Href  string
	Text  string
	order int
}

func newForm(v url.Values) *form {
	if v == nil {
		v = url.Values{}
	}
	return &form{Values: v, Errors: map[string]string{}, highlight: map[string]bool{}}
}

// Value is the field's value as submitted or prefilled.
func (f *form) Value(name string) string { return f.Values.Get(name) }

// Checked reports whether a radio or checkbox with the value is selected.
func (f *form) Checked(name, value string) bool { return slices.Contains(f.Values[name], value) }

// Error is the message shown by the field, "" when it has none.
func (f *form) Error(id string) string { return f.Errors[id] }

// Invalid reports whether an input is shown in error.
func (f *form) Invalid(id string) bool { return f.highlight[id] }

// add records an error: the message by the field id, and an entry in the
// summary linking to anchor (the input to focus: for a date, its first
// wrong part). The first error for a field wins.
func (f *form) add(id, anchor, text string, order int) {
	if _, ok := f.Errors[id]; ok {
		return
	}
	if anchor == "" {
		anchor = id
	}
	f.Errors[id] = text
	f.highlight[id], f.highlight[anchor] = true, true
	f.Summary = append(f.Summary, summaryError{Href: "#" + anchor, Text: text, order: order})
	sort.SliceStable(f.Summary, func(i, j int) bool { return f.Summary[i].order < f.Summary[j].order })
}

// notice adds an error to the summary only, for a problem that belongs to
// the whole form rather than one field; it links to anchor.
func (f *form) notice(anchor, text string) {
	f.Summary = append([]summaryError{{Href: "#" + anchor, Text: text, order: -1}}, f.Summary...)
}

// fieldSpec ties a domain field key (the keys of tether.Error.Fields) to
// the form field that shows it.
type fieldSpec struct {
	Key   string // domain key: "address.postcode"
	ID    string // id of the field (or group) that shows the message
	Focus string // id of the input the summary links to; ID when empty
	Label string // the field's name in messages
	// Required replaces the domain's reason when the field was left empty
	// or nothing was chosen, in the words of the GOV.UK pattern.
	Required string
}

// addDomainErrors maps a domain error's field reasons onto the form. Keys
// without a field of their own go to fallback, so that no reason is lost.
func (f *form) addDomainErrors(err error, specs []fieldSpec, fallback string) {
	fields := tether.ErrorFields(err)
	if len(fields) == 0 {
		f.add(fallback, "", upperFirst(tether.ErrorMessage(err)), len(specs))
		return
	}
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		i, spec := findSpec(specs, k)
		if i < 0 {
			f.add(fallback, "", upperFirst(strings.ReplaceAll(k, "_", " ")+": "+fields[k]), len(specs))
			continue
		}
		f.add(spec.ID, spec.Focus, errorText(spec, fields[k]), i)
	}
}

func findSpec(specs []fieldSpec, key string) (int, fieldSpec) {
	for i, s := range specs {
		if s.Key == key {
			return i, s
		}
	}
	return -1, fieldSpec{}
}

// errorText turns a domain reason into a GOV.UK error message: reasons that
// start "must" get the field's name in front ("Postcode must be ..."),
// others ("enter a real postcode") just a capital letter.
func errorText(spec fieldSpec, reason string) string {
	if spec.Required != "" && (strings.HasPrefix(reason, "enter ") || strings.HasPrefix(reason, "must be one of")) {
		return spec.Required
	}
	if strings.HasPrefix(reason, "must ") {
		return spec.Label + " " + reason
	}
	return upperFirst(reason)
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	// By rune: a reason may start with a quotation mark ("“complex” is not a reason").
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// parseForm reads a posted form of modest size.
func parseForm(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		return tether.Errorf(tether.EINVALID, "The form could not be read.")
	}
	return nil
}

// dateInput reads a GOV.UK date input (prefix-day, -month, -year) into a
// partial date: all blank, a year, a month and year, or a whole date. A
// problem goes onto the form by the group id prefix.
func dateInput(f *form, prefix, label string, order int) (tether.PartialDate, bool) {
	day := strings.TrimSpace(f.Value(prefix + "-day"))
	month := strings.TrimSpace(f.Value(prefix + "-month"))
	year := strings.TrimSpace(f.Value(prefix + "-year"))
	fail := func(part, text string, parts ...string) (tether.PartialDate, bool) {
		f.add(prefix, prefix+"-"+part, text, order)
		for _, p := range parts {
			f.highlight[prefix+"-"+p] = true
		}
		return tether.PartialDate{}, false
	}
	if day == "" && month == "" && year == "" {
		return tether.PartialDate{}, true
	}
	for _, p := range []struct{ name, v string }{{"day", day}, {"month", month}, {"year", year}} {
		if p.v != "" {
			if _, err := strconv.Atoi(p.v); err != nil {
				return fail(p.name, label+" must be a real date", p.name)
			}
		}
	}
	if year == "" {
		return fail("year", label+" must include a year", "year")
	}
	if len(year) != 4 {
		return fail("year", "Year must include 4 numbers", "year")
	}
	if day != "" && month == "" {
		return fail("month", label+" must include a month", "month")
	}
	s := year
	if month != "" {
		m, _ := strconv.Atoi(month)
		s += fmt.Sprintf("-%02d", m)
		if day != "" {
			d, _ := strconv.Atoi(day)
			s += fmt.Sprintf("-%02d", d)
		}
	}
	d, err := tether.ParsePartialDate(s)
	if err != nil {
		first := "day"
		if day == "" {
			first = "month"
		}
		if strings.Contains(err.Error(), "year") {
			return fail("year", label+" must be a real date", "year")
		}
		return fail(first, label+" must be a real date", "day", "month", "year")
	}
	return d, true
}

// fullDate reads a whole date from GOV.UK's three boxes, prefix-day,
// prefix-month and prefix-year, as dateInput does, and asks for the parts
// a partial date may leave out; or from prefix alone written YYYY-MM-DD
// (a client that posts one field), which it then shows in the boxes. It
// reports whether anything was given; a date given in part, or not a real
// one, is an error on the form, against the box to correct.
func fullDate(f *form, prefix, label string, order int) (calendar.Date, bool) {
	fail := func(part, text string, parts ...string) (calendar.Date, bool) {
		f.add(prefix, prefix+"-"+part, text, order)
		for _, p := range parts {
			f.highlight[prefix+"-"+p] = true
		}
		return calendar.Date{}, true
	}
	if t := strings.TrimSpace(f.Value(prefix)); t != "" {
		d, err := calendar.ParseDate(t)
		if err != nil || !d.IsValid() {
			return fail("day", label+" must be a real date", "day", "month", "year")
		}
		fullDateValues(f.Values, prefix, d)
		return d, true
	}
	d, ok := dateInput(f, prefix, label, order)
	switch {
	case !ok:
		return calendar.Date{}, true
	case d.IsZero():
		return calendar.Date{}, false
	case d.Month == 0:
		return fail("day", label+" must include a day and month", "day", "month")
	case d.Day == 0:
		return fail("day", label+" must include a day", "day")
	}
	return calendar.NewDate(d.Year, time.Month(d.Month), d.Day), true
}

// fullDateValues fills the three boxes of prefix with d.
func fullDateValues(v url.Values, prefix string, d calendar.Date) {
	v.Set(prefix+"-day", strconv.Itoa(d.Day))
	v.Set(prefix+"-month", strconv.Itoa(int(d.Month)))
	v.Set(prefix+"-year", strconv.Itoa(d.Year))
}

// dateValues writes a partial date into a form's date input fields.
func dateValues(v url.Values, prefix string, d tether.PartialDate) {
	if d.Year != 0 {
		v.Set(prefix+"-year", strconv.Itoa(d.Year))
	}
	if d.Month != 0 {
		v.Set(prefix+"-month", strconv.Itoa(d.Month))
	}
	if d.Day != 0 {
		v.Set(prefix+"-day", strconv.Itoa(d.Day))
	}
}

// ukTime is where pages show times: the people who read them are in the UK.
var ukTime = func() *time.Location {
	l, err := time.LoadLocation("Europe/London")
	if err != nil {
		return time.UTC
	}
	return l
}()

func displayDate(t time.Time) string { return t.In(ukTime).Format("2 January 2006") }

func displayDateTime(t time.Time) string {
	t = t.In(ukTime)
	return t.Format("2 January 2006") + " at " + strings.ToLower(t.Format("3:04PM"))
}

// option is one choice of a select or radios.
type option struct{ Value, Text string }

// Words for the domain's codes, as pages show them.
var (
	kindNames = map[string]string{
		tether.KindPostal: "Postal address", tether.KindEmail: "Email address",
		tether.KindMobile: "Mobile phone", tether.KindLandline: "Landline phone",
	}
	partyNames = map[string]string{
		tether.PartySelf: "The person", tether.PartyRepresentative: "Their legal representative",
		tether.PartyEmergencyContact: "An emergency contact", tether.PartySponsor: "Their sponsor",
	}
	sourceNames = map[string]string{
		tether.SourcePerson: "The person told us", tether.SourceRepresentative: "Their representative told us",
		tether.SourceAgency: "Another agency", tether.SourceReturnedLetter: "A returned letter",
		tether.SourceCaseworker: "Found by a caseworker", tether.SourceImport: "Imported from an earlier system",
	}
	howNames = map[string]string{
		"in_person": "In person", "phone_call": "A phone call", "letter_reply": "A reply to a letter",
		"email_reply": "A reply to an email", "sms_reply": "A reply to a text message",
		"representative": "Through their representative", "delivery_receipt": "A delivery receipt",
	}
	eventNames = map[string]string{
		tether.EventAdded: "Added", tether.EventReplaced: "Replaced", tether.EventEnded: "Ended",
		tether.EventConfirmed: "Confirmed", tether.EventFailed: "Failed",
	}
	roleNames = map[tether.Role]string{
		tether.RoleAdmin: "administrator", tether.RoleCaseworker: "caseworker", tether.RoleEnquiries: "enquiries",
		tether.RoleOrganisation: "organisation", tether.RoleInspector: "inspector",
	}
	fieldNames = map[string]string{
		"family_name": "family name", "given_names": "given names", "other_names": "other names",
		"date_of_birth": "date of birth", "nationality": "nationality", "preferred_language": "preferred language",
		"needs": "needs", "representative": "representative",
	}
)

func nameOr(m map[string]string, k string) string {
	if v, ok := m[k]; ok {
		return v
	}
	return strings.ReplaceAll(k, "_", " ")
}

// countryOptions lists every ISO 3166-1 country by English name.
var countryOptions = func() []option {
	var opts []option
	for a := 'A'; a <= 'Z'; a++ {
		for b := 'A'; b <= 'Z'; b++ {
			code := string([]rune{a, b})
			// Leave out codes that ISO has withdrawn (NQ is now AQ).
			r, err := language.ParseRegion(code)
			if err != nil || !tether.ValidCountry(code) || r.Canonicalize().String() != code {
				continue
			}
			if name := tether.CountryName(code); name != code {
				opts = append(opts, option{code, name})
			}
		}
	}
	sort.Slice(opts, func(i, j int) bool { return opts[i].Text < opts[j].Text })
	return opts
}()

// addressCountries puts the United Kingdom first: most addresses are there.
var addressCountries = func() []option {
	opts := []option{{"GB", tether.CountryName("GB")}}
	for _, o := range countryOptions {
		if o.Value != "GB" {
			opts = append(opts, o)
		}
	}
	return opts
}()

var templateFuncs = template.FuncMap{
	// dict builds the argument of a shared template: dict "Name" "email" "Label" "Email address".
	"dict": func(kv ...any) (map[string]any, error) {
		if len(kv)%2 != 0 {
			return nil, fmt.Errorf("dict needs pairs")
		}
		m := make(map[string]any, len(kv)/2)
		for i := 0; i < len(kv); i += 2 {
			k, ok := kv[i].(string)
			if !ok {
				return nil, fmt.Errorf("dict key %v is not a string", kv[i])
			}
			m[k] = kv[i+1]
		}
		return m, nil
	},
	// describedBy joins the ids of a field's hint and error message.
	"describedBy": func(id string, hint any, err string) string {
		var ids []string
		if h, _ := hint.(string); h != "" {
			ids = append(ids, id+"-hint")
		}
		if err != "" {
			ids = append(ids, id+"-error")
		}
		return strings.Join(ids, " ")
	},
	"date": displayDate,
	"dateTime": func(t any) string {
		switch v := t.(type) {
		case time.Time:
			return displayDateTime(v)
		case *time.Time:
			if v != nil {
				return displayDateTime(*v)
			}
		}
		return ""
	},
	"kindName":     func(k string) string { return nameOr(kindNames, k) },
	"partyName":    func(k string) string { return nameOr(partyNames, k) },
	"sourceName":   func(k string) string { return nameOr(sourceNames, k) },
	"howName":      func(k string) string { return nameOr(howNames, k) },
	"eventName":    func(k string) string { return nameOr(eventNames, k) },
	"roleName":     func(r tether.Role) string { return roleNames[r] },
	"countryName":  tether.CountryName,
	"languageName": tether.LanguageName,
	"percent":      func(f float64) string { return strconv.Itoa(int(f*100+0.5)) + "%" },
	"plural": func(n int, one, many string) string {
		if n == 1 {
			return one
		}
		return many
	},
	"add": func(a, b int) int { return a + b },
	"commas": func(n int) string {
		s := strconv.Itoa(n)
		if n < 0 {
			return "-" + commaDigits(s[1:])
		}
		return commaDigits(s)
	},
	"list":  func(s ...string) []string { return s },
	"lower": strings.ToLower,
	"join":  strings.Join,
	// radioID is a radio's id: the group's name for the first, so that an
	// error summary link to the group lands on it.
	"radioID": func(name string, i int, value string) string {
		if i == 0 {
			return name
		}
		return name + "-" + value
	},
}

// commaDigits puts a comma between each group of three digits: 1,204.
func commaDigits(s string) string {
	if len(s) <= 3 {
		return s
	}
	return commaDigits(s[:len(s)-3]) + "," + s[len(s)-3:]
}
