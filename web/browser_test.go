package web

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"tether"
)

// chromiumPath is Debian's Chromium, which `make test` installs.
const chromiumPath = "/usr/bin/chromium"

// TestBrowserPages opens the main pages of a real server in headless
// Chromium, signed in, and fails on any console error, uncaught exception,
// failed or refused request (a missing stylesheet, font or script, a CSP
// violation), or if the GOV.UK styles and scripts did not take effect.
func TestBrowserPages(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is missing: CI must run the browser tests (scripts/test-deps.sh installs it)", chromiumPath)
		}
		t.Skipf("%s is missing; `make test` installs it", chromiumPath)
	}
	if testing.Short() && os.Getenv("CI") != "true" {
		t.Skip("browser test skipped in -short mode")
	}

	site := newBrowserSite(t)

	allocOpts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 1000),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), allocOpts...)
	defer cancelAlloc()

	var rec browserRecorder
	ctx, cancel := chromedp.NewContext(allocCtx, chromedp.WithListener(rec.listen))
	defer cancel()
	// The first Run starts the browser; it must not have a timeout of its own.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	deadline, stop := context.WithTimeout(ctx, 90*time.Second)
	defer stop()

	setCookie := chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, network.SetCookie, network.SetCookieParams{
			URL: site.URL, Name: SessionCookie, Value: site.Session, Path: "/",
			HTTPOnly: fakePtr(true), SameSite: network.CookieSameSiteLax,
		})
		return err
	})
	signedIn := false

	pages := []struct {
		name, path, heading string
		signedIn            bool
	}{
		// Signed out first; the session cookie is set before the first page that needs it.
		{"sign_in", "/sign-in", "Sign in to Tether", false},
		{"people", "/people", "People", true},
		{"person", site.PersonPath, site.PersonName, true},
		{"add_contact_point", site.PersonPath + "/contact-points/new?kind=postal", "Add a contact point", true},
		{"send_notice", site.PersonPath + "/notices/new", "Send a notice", true},
		{"notice", site.NoticePath, site.NoticeRef, true},
		{"notices", "/notices?state=on_file", "Notices", true},
		{"outbox", "/outbox", "Outbox", true},
		{"templates", "/templates", "Templates", true},
		{"template_new", "/templates/new", "New template", true},
		{"template_editor", site.TemplatePath, site.TemplateTitle, true},
		{"my_tasks", "/tasks", "My tasks", true},
		{"queues", "/queues", "Queues", true},
		{"queue", "/queues/contact", "Contact management", true},
		{"task", site.TaskPath, "Check address", true},
		{"roster", "/roster?centre=Becket+House&q=am", "Becket House", true},
		{"person_flags", site.PersonPath + "/flags", "Eligibility flags", true},
		{"condition_new", site.PersonPath + "/conditions/new", "Set a reporting condition", true},
	}
	for _, pg := range pages {
		t.Run(pg.name, func(t *testing.T) {
			rec.reset()
			if pg.signedIn && !signedIn {
				if err := chromedp.Do(deadline, setCookie); err != nil {
					t.Fatalf("set the session cookie: %v", err)
				}
				signedIn = true
			}
			resp, err := chromedp.RunResponse(deadline, chromedp.Navigate(site.URL+pg.path))
			if err != nil {
				t.Fatalf("navigate: %v", err)
			}
			if resp.Status != 200 {
				t.Fatalf("status %d for %s", resp.Status, pg.path)
			}
			// Wait until the module script has run and the fonts have loaded
			// (or failed), so that every request has been made.
			ready, err := chromedp.Run(deadline, chromedp.Evaluate[bool](
				`document.fonts.ready.then(() => new Promise(r => setTimeout(r, 200))).then(() => document.body.classList.contains('govuk-frontend-supported'))`,
				chromedp.EvalAwaitPromise))
			if err != nil {
				t.Fatalf("wait for the page: %v", err)
			}
			if !ready {
				t.Errorf("app.js did not run: the body lacks the govuk-frontend-supported class")
			}
			style, err := chromedp.Run(deadline, chromedp.Evaluate[pageStyle](`(() => {
				const header = document.querySelector('.govuk-header');
				const h1 = document.querySelector('h1');
				const nav = document.querySelector('[data-module="govuk-service-navigation"]');
				return {
					headingFont: h1 ? getComputedStyle(h1).fontFamily : '',
					headerBackground: header ? getComputedStyle(header).backgroundColor : '',
					fontLoaded: document.fonts.check('19px "GDS Transport"'),
					heading: h1 ? h1.textContent.trim() : '',
					navInit: nav ? nav.hasAttribute('data-govuk-service-navigation-init') : false,
					lang: document.documentElement.lang,
					title: document.title,
				};
			})()`))
			if err != nil {
				t.Fatalf("read the page's styles: %v", err)
			}
			// GOV.UK Frontend sets the font on its classes, not on body.
			if !strings.Contains(style.HeadingFont, "GDS Transport") {
				t.Errorf("the h1's font-family is %q: the GOV.UK stylesheet did not apply", style.HeadingFont)
			}
			if style.HeaderBackground != "rgb(29, 112, 184)" {
				t.Errorf("header background is %q, want the GOV.UK blue rgb(29, 112, 184)", style.HeaderBackground)
			}
			if !style.FontLoaded {
				t.Errorf("the GDS Transport font did not load")
			}
			if !style.NavInit {
				t.Errorf("GOV.UK Frontend did not initialise the service navigation: initAll did not run")
			}
			if style.Heading != pg.heading {
				t.Errorf("h1 is %q, want %q", style.Heading, pg.heading)
			}
			if style.Lang != "en" || !strings.HasSuffix(style.Title, " - Tether - GOV.UK") {
				t.Errorf("lang %q, title %q", style.Lang, style.Title)
			}
			if pg.name == "template_editor" {
				// The live check: typing updates the findings and the
				// preview, written as text, never as HTML.
				live, err := chromedp.Run(deadline, chromedp.Evaluate[string](`(() => {
					const body = document.getElementById('body');
					body.value = 'Dear ((name))\n\n<b>Please</b> call us on ((help_phone)).';
					body.dispatchEvent(new Event('input', {bubbles: true}));
					return new Promise(r => setTimeout(r, 1500)).then(() => {
						const text = document.querySelector('#clarity .app-notice-text');
						return document.getElementById('clarity').dataset.liveCheck + '|' + (text ? text.textContent : '') +
							'|' + document.querySelectorAll('#clarity b').length;
					});
				})()`, chromedp.EvalAwaitPromise))
				if err != nil {
					t.Fatalf("live check: %v", err)
				}
				if !strings.HasPrefix(live, "on|") || !strings.Contains(live, "<b>Please</b> call us on") || !strings.HasSuffix(live, "|0") {
					t.Errorf("live check: %q", live)
				}
			}
			// A screenshot for people to look at (not compared): the person
			// page is the one to check by eye after a change.
			shot, err := chromedp.Run(deadline, chromedp.FullScreenshot(100))
			if err != nil {
				t.Fatalf("screenshot: %v", err)
			}
			path := filepath.Join(os.TempDir(), "tether-"+pg.name+".png")
			if err := os.WriteFile(path, shot, 0o644); err != nil {
				t.Fatal(err)
			}
			t.Logf("screenshot: %s", path)
			for _, p := range rec.take() {
				t.Errorf("%s: %s", pg.path, p)
			}
		})
	}
}

// pageStyle is what the test reads back from a rendered page.
type pageStyle struct {
	HeadingFont      string `json:"headingFont"`
	HeaderBackground string `json:"headerBackground"`
	FontLoaded       bool   `json:"fontLoaded"`
	Heading          string `json:"heading"`
	NavInit          bool   `json:"navInit"`
	Lang             string `json:"lang"`
	Title            string `json:"title"`
}

// browserRecorder collects every sign that a page did not work. Its listen
// runs on chromedp's reading goroutine, so it only records.
type browserRecorder struct {
	mu       sync.Mutex
	urls     map[network.RequestID]string
	problems []string
}

func (b *browserRecorder) listen(ev any) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.urls == nil {
		b.urls = map[network.RequestID]string{}
	}
	switch e := ev.(type) {
	case *network.EventRequestWillBeSent:
		b.urls[e.RequestID] = e.Request.URL
	case *network.EventResponseReceived:
		if e.Response.Status >= 400 {
			b.problems = append(b.problems, fmt.Sprintf("HTTP %d for %s", e.Response.Status, e.Response.URL))
		}
	case *network.EventLoadingFailed:
		b.problems = append(b.problems, fmt.Sprintf("request for %s failed: %s %s", b.urls[e.RequestID], e.ErrorText, e.BlockedReason))
	case *runtime.EventConsoleAPICalled:
		if e.Type == runtime.ConsoleAPICalledTypeError {
			var args []string
			for _, a := range e.Args {
				if a.Description != "" {
					args = append(args, a.Description)
				} else {
					args = append(args, string(a.Value))
				}
			}
			b.problems = append(b.problems, "console error: "+strings.Join(args, " "))
		}
	case *runtime.EventExceptionThrown:
		d := e.ExceptionDetails
		msg := d.Text
		if d.Exception != nil && d.Exception.Description != "" {
			msg += " " + d.Exception.Description
		}
		b.problems = append(b.problems, fmt.Sprintf("uncaught exception at %s:%d: %s", d.URL, d.LineNumber+1, msg))
	case *log.EventEntryAdded:
		if e.Entry.Level == log.EntryLevelError {
			b.problems = append(b.problems, fmt.Sprintf("browser log error (%s): %s %s", e.Entry.Source, e.Entry.Text, e.Entry.URL))
		}
	}
}

func (b *browserRecorder) reset() {
	b.mu.Lock()
	b.problems = nil
	b.mu.Unlock()
}

func (b *browserRecorder) take() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	p := b.problems
	b.problems = nil
	return p
}

// browserSite is a running server for the browser to visit.
type browserSite struct {
	URL        string
	Session    string // a signed-in session's cookie value
	PersonPath string
	PersonName string
	// A notice served to file for the person, and a starter template.
	NoticePath, NoticeRef       string
	TemplatePath, TemplateTitle string
	// A task about the person, claimed by the signed-in caseworker.
	TaskPath string
}

// newBrowserSite starts the real server and store with a signed-in
// caseworker and one person whose record has some history: a replaced
// address, a confirmed phone, an emergency contact and an earlier version.
func newBrowserSite(t *testing.T) browserSite {
	t.Helper()
	ts := newTestServer(t)
	needPeopleStore(t, ts)
	ctx := ts.ctx()
	p := ts.createPerson(t, &tether.Person{FamilyName: "Yusef", GivenNames: "Amina",
		DateOfBirth: tether.PartialDate{Year: 1990, Month: 5}, Nationality: "ER", PreferredLanguage: "ti",
		Needs:          tether.Needs{Interpreter: true},
		Representative: &tether.Representative{Organisation: "Camden Law Centre", Name: "Joy Okafor", Instructed: true}})
	old := ts.addContactPoint(t, &tether.ContactPoint{PersonID: p.ID, Kind: tether.KindPostal, Source: tether.SourceAgency, SourceDetail: "Local council",
		Address: &tether.Address{Lines: []string{"3 Station Road"}, Town: "Croydon", Postcode: "CR0 2AA", Country: "GB"}})
	mobile := ts.addContactPoint(t, &tether.ContactPoint{PersonID: p.ID, Kind: tether.KindMobile, Phone: "07700 900123", Source: tether.SourceRepresentative})
	ts.addContactPoint(t, &tether.ContactPoint{PersonID: p.ID, Kind: tether.KindEmail, Party: tether.PartyEmergencyContact,
		PartyName: "Selam Yusuf", Relationship: "sister", Email: "selam@example.org", Source: tether.SourcePerson})
	ts.clock.Advance(48 * time.Hour)
	if err := ts.srv.Contacts.ReplaceContactPoint(ctx, old.ID, &tether.ContactPoint{PersonID: p.ID, Kind: tether.KindPostal,
		Source: tether.SourcePerson, ForCorrespondence: true,
		Address: &tether.Address{Lines: []string{"Flat 2", "14 Camden Road"}, Town: "London", Postcode: "NW1 9DP", Country: "GB"}},
		"Moved to a new address"); err != nil {
		t.Fatal(err)
	}
	if err := ts.srv.Contacts.ConfirmContactPoint(ctx, mobile.ID, "sms_reply"); err != nil {
		t.Fatal(err)
	}
	p.FamilyName = "Yusuf"
	if err := ts.srv.People.UpdatePerson(ctx, p); err != nil {
		t.Fatal(err)
	}
	if _, err := ts.db.SeedTemplates(ctx); err != nil {
		t.Fatal(err)
	}
	tpl, err := ts.db.FindTemplateByKey(ctx, "request-contact-details-letter")
	if err != nil {
		t.Fatal(err)
	}
	n, err := ts.db.CreateNotice(ctx, &tether.NoticeRequest{PersonID: p.ID, TemplateKey: tpl.Key, Method: tether.MethodFile,
		Reason: "Letters and texts have failed", Personalisation: map[string]string{"date": "1 April 2026"}})
	if err != nil {
		t.Fatal(err)
	}
	task := &tether.Task{Queue: tether.QueueContact, Kind: "check-address", Priority: tether.PriorityHigh, PersonID: p.ID,
		Summary: "Check the address the council gave"}
	if err := ts.db.OpenTask(ctx, task); err != nil {
		t.Fatal(err)
	}
	cwCtx := tether.NewContextWithActor(context.Background(), tether.ActorOf(ts.user(tether.RoleCaseworker)))
	if _, err := ts.db.ClaimTask(cwCtx, task.ID, 0); err != nil {
		t.Fatal(err)
	}
	browserReporting(t, ts, p) // page_reporting_test.go
	c := ts.signIn(t, tether.RoleCaseworker)
	return browserSite{TaskPath: "/tasks/" + strconv.FormatInt(task.ID, 10),
		URL: ts.URL, Session: sessionValue(t, ts, c),
		PersonPath: "/people/" + strconv.FormatInt(p.ID, 10), PersonName: "Amina Yusuf",
		NoticePath: "/notices/" + strconv.FormatInt(n.ID, 10), NoticeRef: n.Ref,
		TemplatePath: "/templates/" + strconv.FormatInt(tpl.ID, 10), TemplateTitle: tpl.Title}
}
