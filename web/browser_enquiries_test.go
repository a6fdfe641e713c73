package web

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"tether"
	"tether/enquiry"
)

// TestBrowserEnquiryPages opens the enquiry pages of a real server in
// headless Chromium, as an office's user and as the enquiries team, and
// fails as TestBrowserPages does: on a console error, an uncaught
// exception, a failed or refused request, or GOV.UK Frontend not taking
// effect.
func TestBrowserEnquiryPages(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is missing: CI must run the browser tests (scripts/test-deps.sh installs it)", chromiumPath)
		}
		t.Skipf("%s is missing; `make test` installs it", chromiumPath)
	}
	if testing.Short() && os.Getenv("CI") != "true" {
		t.Skip("browser test skipped in -short mode")
	}

	ts := newTestServer(t)
	ctx := ts.ctx()
	if _, err := ts.db.SeedTemplates(ctx); err != nil {
		t.Fatal(err)
	}
	p := ts.createPerson(t, &tether.Person{FamilyName: "Karimi", GivenNames: "Amir",
		DateOfBirth:    tether.PartialDate{Year: 1985, Month: 11, Day: 20},
		Representative: &tether.Representative{Organisation: ts.org.Name, OrganisationID: &ts.org.ID, Instructed: true}})
	officeCtx := tether.NewContextWithActor(context.Background(), tether.ActorOf(ts.user(tether.RoleOrganisation)))
	e, err := ts.db.CreateEnquiry(officeCtx, &enquiry.Input{Subject: enquiry.Subject{Ref: p.Ref, FamilyName: "Karimi", GivenNames: "Amir"},
		Question: "When will the asylum claim be decided?", Category: enquiry.CategoryAsylumClaim, Urgency: enquiry.UrgencyRoutine,
		Authority: enquiry.Authority{Basis: enquiry.BasisRecordedRepresentative}})
	if err != nil {
		t.Fatal(err)
	}
	staff := ts.user(tether.RoleEnquiries)
	staffCtx := tether.NewContextWithActor(context.Background(), tether.ActorOf(staff))
	for _, in := range []enquiry.TransitionInput{{Action: enquiry.ActionTriage}, {Action: enquiry.ActionAssign, Assignee: &staff.ID}} {
		if _, err := ts.db.TransitionEnquiry(staffCtx, e.ID, in); err != nil {
			t.Fatal(err)
		}
	}
	page := "/enquiries/" + strconv.FormatInt(e.ID, 10)
	sessions := map[tether.Role]string{
		tether.RoleOrganisation: sessionValue(t, ts, ts.signIn(t, tether.RoleOrganisation)),
		tether.RoleEnquiries:    sessionValue(t, ts, ts.signIn(t, tether.RoleEnquiries)),
	}

	allocOpts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath), chromedp.Headless, chromedp.NoSandbox, chromedp.NoFirstRun,
		chromedp.Flag("disable-gpu", true), chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 1000),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), allocOpts...)
	defer cancelAlloc()
	var rec browserRecorder
	bctx, cancel := chromedp.NewContext(allocCtx, chromedp.WithListener(rec.listen))
	defer cancel()
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	deadline, stop := context.WithTimeout(bctx, 90*time.Second)
	defer stop()
	setCookie := func(value string) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, network.SetCookie, network.SetCookieParams{
				URL: ts.URL, Name: SessionCookie, Value: value, Path: "/",
				HTTPOnly: fakePtr(true), SameSite: network.CookieSameSiteLax,
			})
			return err
		})
	}

	pages := []struct {
		name, path, heading string
		role                tether.Role
	}{
		{"enquiries_office", "/enquiries", "Your enquiries", tether.RoleOrganisation},
		{"enquiry_new", "/enquiries/new", "Raise an enquiry", tether.RoleOrganisation},
		{"enquiry_office", page, "Enquiry " + e.Ref, tether.RoleOrganisation},
		{"enquiries_staff", "/enquiries", "Enquiries", tether.RoleEnquiries},
		{"enquiry_triage", "/enquiries/triage", "Triage", tether.RoleEnquiries},
		{"enquiry_staff", page, "Enquiry " + e.Ref, tether.RoleEnquiries},
		{"enquiry_holding", page + "/holding-reply", "Send a holding reply", tether.RoleEnquiries},
		{"enquiry_reply", page + "/reply", "Answer the enquiry", tether.RoleEnquiries},
		{"enquiry_report", "/enquiries/report", "Enquiries performance", tether.RoleEnquiries},
	}
	signedInAs := tether.Role("")
	for _, pg := range pages {
		t.Run(pg.name, func(t *testing.T) {
			rec.reset()
			if pg.role != signedInAs {
				if err := chromedp.Do(deadline, setCookie(sessions[pg.role])); err != nil {
					t.Fatalf("set the session cookie: %v", err)
				}
				signedInAs = pg.role
			}
			resp, err := chromedp.RunResponse(deadline, chromedp.Navigate(ts.URL+pg.path))
			if err != nil {
				t.Fatalf("navigate: %v", err)
			}
			if resp.Status != 200 {
				t.Fatalf("status %d for %s", resp.Status, pg.path)
			}
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
				const h1 = document.querySelector('h1');
				const nav = document.querySelector('[data-module="govuk-service-navigation"]');
				return {
					headingFont: h1 ? getComputedStyle(h1).fontFamily : '',
					heading: h1 ? h1.textContent.trim() : '',
					navInit: nav ? nav.hasAttribute('data-govuk-service-navigation-init') : false,
				};
			})()`))
			if err != nil {
				t.Fatalf("read the page: %v", err)
			}
			if !strings.Contains(style.HeadingFont, "GDS Transport") {
				t.Errorf("the h1's font-family is %q: the GOV.UK stylesheet did not apply", style.HeadingFont)
			}
			if !style.NavInit {
				t.Errorf("GOV.UK Frontend did not initialise the service navigation")
			}
			if style.Heading != pg.heading {
				t.Errorf("h1 is %q, want %q", style.Heading, pg.heading)
			}
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
