package store

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"tether"
)

// userTestPassword is long enough for ValidatePassword.
const userTestPassword = "correct horse battery staple"

// adminCtx acts as an operator at the command line: an admin with no user.
func adminCtx() context.Context { return AsActor(tether.CLIActor("test")) }

// seedUser creates a user with userTestPassword, as an admin.
func seedUser(t *testing.T, db *DB, role tether.Role, email string, orgID *int64) *tether.User {
	t.Helper()
	u := &tether.User{Email: email, Name: "Test " + string(role), Role: role, OrganisationID: orgID}
	if err := db.CreateUser(adminCtx(), u, userTestPassword); err != nil {
		t.Fatalf("create %s user: %v", role, err)
	}
	return u
}

// seedOrganisation creates an organisation, as an admin.
func seedOrganisation(t *testing.T, db *DB, name string) *tether.Organisation {
	t.Helper()
	o := &tether.Organisation{Name: name, Kind: tether.OrgMPOffice, Constituency: "Somewhere", Division: "england-and-wales"}
	if err := db.CreateOrganisation(adminCtx(), o); err != nil {
		t.Fatalf("create organisation: %v", err)
	}
	return o
}

// wantCode fails the test unless err has the code ("" for nil).
func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := tether.ErrorCode(err); got != code {
		t.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
}

// auditActions lists the actions of the audit entries for an entity, oldest
// first.
func auditActions(t *testing.T, db *DB, entity string, id int64) []string {
	t.Helper()
	entries, err := db.FindAuditEntries(adminCtx(), tether.AuditFilter{Entity: entity, EntityID: id})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for i := len(entries) - 1; i >= 0; i-- {
		actions = append(actions, entries[i].Action)
	}
	return actions
}

func TestUserCreateAndFind(t *testing.T) {
	ForEachEngine(t, func(t *testing.T, db *DB) {
		ctx := adminCtx()
		if n, err := db.CountUsers(context.Background()); err != nil || n != 0 {
			t.Fatalf("CountUsers = %d, %v; want 0", n, err)
		}
		u := &tether.User{Email: "  Ann.Admin@Example.ORG ", Name: " Ann ", Role: tether.RoleAdmin}
		if err := db.CreateUser(ctx, u, userTestPassword); err != nil {
			t.Fatal(err)
		}
		if u.ID == 0 || u.Email != "ann.admin@example.org" || u.Name != "Ann" || !u.CreatedAt.Equal(db.Clock.Now()) {
			t.Fatalf("created user = %+v", u)
		}
		cw := seedUser(t, db, tether.RoleCaseworker, "bob@example.org", nil)

		got, err := db.FindUserByID(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if *got != *u {
			t.Fatalf("FindUserByID = %+v, want %+v", got, u)
		}
		got, err = db.FindUserByEmail(ctx, "ANN.ADMIN@example.org")
		if err != nil || got.ID != u.ID {
			t.Fatalf("FindUserByEmail = %+v, %v", got, err)
		}
		_, err = db.FindUserByEmail(ctx, "nobody@example.org")
		wantCode(t, err, tether.ENOTFOUND)
		_, err = db.FindUserByID(ctx, 9999)
		wantCode(t, err, tether.ENOTFOUND)

		users, err := db.FindUsers(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(users) != 2 || users[0].ID != u.ID || users[1].ID != cw.ID {
			t.Fatalf("FindUsers = %+v", users)
		}
		if n, err := db.CountUsers(context.Background()); err != nil || n != 2 {
			t.Fatalf("CountUsers = %d, %v; want 2", n, err)
		}

		// Only the argon2id hash is stored.
		var hash string
		if err := db.write.QueryRow(db.rebind(`SELECT password_hash FROM users WHERE id = ?`), u.ID).Scan(&hash); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(hash, "$argon2id$") || strings.Contains(hash, userTestPassword) {
			t.Fatalf("stored password hash %q", hash)
		}
		if got := auditActions(t, db, "user", u.ID); len(got) != 1 || got[0] != "user.create" {
			t.Fatalf("audit = %v", got)
		}
	})
}

func TestUserCreateRefused(t *testing.T) {
	ForEachEngine(t, func(t *testing.T, db *DB) {
		ctx := adminCtx()
		seedUser(t, db, tether.RoleCaseworker, "taken@example.org", nil)
		missingOrg := int64(4242)
		for _, tc := range []struct {
			name     string
			u        tether.User
			password string
			code     string
			field    string
		}{
			{"duplicate email", tether.User{Email: "TAKEN@example.org", Name: "X", Role: tether.RoleCaseworker}, userTestPassword, tether.ECONFLICT, "email"},
			{"bad email", tether.User{Email: "not an email", Name: "X", Role: tether.RoleCaseworker}, userTestPassword, tether.EINVALID, "email"},
			{"no name", tether.User{Email: "x@example.org", Role: tether.RoleCaseworker}, userTestPassword, tether.EINVALID, "name"},
			{"unknown role", tether.User{Email: "x@example.org", Name: "X", Role: "root"}, userTestPassword, tether.EINVALID, "role"},
			{"short password", tether.User{Email: "x@example.org", Name: "X", Role: tether.RoleCaseworker}, "short", tether.EINVALID, "password"},
			{"organisation user without organisation", tether.User{Email: "x@example.org", Name: "X", Role: tether.RoleOrganisation}, userTestPassword, tether.EINVALID, "organisation_id"},
			{"caseworker with organisation", tether.User{Email: "x@example.org", Name: "X", Role: tether.RoleCaseworker, OrganisationID: &missingOrg}, userTestPassword, tether.EINVALID, "organisation_id"},
			{"no such organisation", tether.User{Email: "x@example.org", Name: "X", Role: tether.RoleOrganisation, OrganisationID: &missingOrg}, userTestPassword, tether.EINVALID, "organisation_id"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				u := tc.u
				err := db.CreateUser(ctx, &u, tc.password)
				wantCode(t, err, tc.code)
				if _, ok := tether.ErrorFields(err)[tc.field]; !ok {
					t.Fatalf("fields = %v, want %s", tether.ErrorFields(err), tc.field)
				}
				if strings.Contains(err.Error(), "x@example.org") || strings.Contains(err.Error(), "taken@") {
					t.Fatalf("error holds personal data: %v", err)
				}
			})
		}
		if n, _ := db.CountUsers(context.Background()); n != 1 {
			t.Fatalf("CountUsers = %d after refusals, want 1", n)
		}
	})
}

func TestUserAuthorisationByRole(t *testing.T) {
	ForEachEngine(t, func(t *testing.T, db *DB) {
		org := seedOrganisation(t, db, "Office of the Member for Somewhere")
		other := seedOrganisation(t, db, "Another Office")
		users := map[tether.Role]*tether.User{}
		for _, r := range tether.Roles {
			var orgID *int64
			if r == tether.RoleOrganisation {
				orgID = &org.ID
			}
			users[r] = seedUser(t, db, r, string(r)+"@example.org", orgID)
		}
		target := users[tether.RoleCaseworker]

		for _, r := range tether.Roles {
			t.Run(string(r), func(t *testing.T) {
				me := users[r]
				ctx := AsActor(tether.ActorOf(me))
				want := tether.EFORBIDDEN
				if r == tether.RoleAdmin {
					want = ""
				}
				_, err := db.FindUsers(ctx)
				wantCode(t, err, want)
				_, err = db.FindUserByEmail(ctx, target.Email)
				wantCode(t, err, want)
				err = db.CreateOrganisation(ctx, &tether.Organisation{Name: "New " + string(r), Kind: tether.OrgLawFirm})
				wantCode(t, err, want)
				err = db.CreateUser(ctx, &tether.User{Email: "new-" + string(r) + "@example.org", Name: "New", Role: tether.RoleCaseworker}, userTestPassword)
				wantCode(t, err, want)
				err = db.SetUserDisabled(ctx, users[tether.RoleEnquiries].ID, false)
				wantCode(t, err, want)
				err = db.SetUserRole(ctx, users[tether.RoleEnquiries].ID, tether.RoleEnquiries, nil)
				wantCode(t, err, want)
				err = db.SetPassword(ctx, users[tether.RoleEnquiries].ID, userTestPassword+"!")
				wantCode(t, err, want)

				// Anyone may read themself; only an admin reads others.
				if got, err := db.FindUserByID(ctx, me.ID); err != nil || got.ID != me.ID {
					t.Fatalf("FindUserByID(self) = %v, %v", got, err)
				}
				if r != tether.RoleCaseworker {
					_, err = db.FindUserByID(ctx, target.ID)
					wantCode(t, err, want)
				}

				// Organisations: everyone reads; an organisation user only its own.
				orgs, err := db.FindOrganisations(ctx)
				if err != nil {
					t.Fatal(err)
				}
				_, errOther := db.FindOrganisationByID(ctx, other.ID)
				if r == tether.RoleOrganisation {
					if len(orgs) != 1 || orgs[0].ID != org.ID {
						t.Fatalf("organisation user sees %+v", orgs)
					}
					wantCode(t, errOther, tether.ENOTFOUND)
				} else {
					if len(orgs) < 2 {
						t.Fatalf("FindOrganisations = %d, want all", len(orgs))
					}
					wantCode(t, errOther, "")
				}
			})
		}

		t.Run("no actor", func(t *testing.T) {
			ctx := context.Background()
			_, err := db.FindUsers(ctx)
			wantCode(t, err, tether.EUNAUTHORIZED)
			_, err = db.FindUserByID(ctx, target.ID)
			wantCode(t, err, tether.EUNAUTHORIZED)
			err = db.CreateUser(ctx, &tether.User{Email: "anon@example.org", Name: "A", Role: tether.RoleAdmin}, userTestPassword)
			wantCode(t, err, tether.EUNAUTHORIZED)
			err = db.SetUserDisabled(ctx, target.ID, true)
			wantCode(t, err, tether.EUNAUTHORIZED)
			_, err = db.FindOrganisations(ctx)
			wantCode(t, err, tether.EUNAUTHORIZED)
			err = db.CreateOrganisation(ctx, &tether.Organisation{Name: "Anon", Kind: tether.OrgAdvice})
			wantCode(t, err, tether.EUNAUTHORIZED)
			// Authenticate needs no actor.
			if _, err := db.Authenticate(ctx, target.Email, userTestPassword); err != nil {
				t.Fatal(err)
			}
		})
	})
}

func TestUserSetRole(t *testing.T) {
	ForEachEngine(t, func(t *testing.T, db *DB) {
		ctx := adminCtx()
		org := seedOrganisation(t, db, "Smith & Co Solicitors")
		u := seedUser(t, db, tether.RoleCaseworker, "carol@example.org", nil)

		wantCode(t, db.SetUserRole(ctx, u.ID, tether.RoleOrganisation, nil), tether.EINVALID)
		wantCode(t, db.SetUserRole(ctx, u.ID, tether.RoleEnquiries, &org.ID), tether.EINVALID)
		wantCode(t, db.SetUserRole(ctx, u.ID, "superuser", nil), tether.EINVALID)
		missing := int64(999)
		wantCode(t, db.SetUserRole(ctx, u.ID, tether.RoleOrganisation, &missing), tether.EINVALID)
		wantCode(t, db.SetUserRole(ctx, 12345, tether.RoleAdmin, nil), tether.ENOTFOUND)

		if err := db.SetUserRole(ctx, u.ID, tether.RoleOrganisation, &org.ID); err != nil {
			t.Fatal(err)
		}
		got, err := db.FindUserByID(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Role != tether.RoleOrganisation || got.OrganisationID == nil || *got.OrganisationID != org.ID {
			t.Fatalf("after SetUserRole: %+v", got)
		}
		if err := db.SetUserRole(ctx, u.ID, tether.RoleInspector, nil); err != nil {
			t.Fatal(err)
		}
		got, _ = db.FindUserByID(ctx, u.ID)
		if got.Role != tether.RoleInspector || got.OrganisationID != nil {
			t.Fatalf("after SetUserRole: %+v", got)
		}
		want := []string{"user.create", "user.role", "user.role"}
		if got := auditActions(t, db, "user", u.ID); strings.Join(got, " ") != strings.Join(want, " ") {
			t.Fatalf("audit = %v, want %v", got, want)
		}
	})
}

func TestUserAuthenticate(t *testing.T) {
	ForEachEngine(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		u := seedUser(t, db, tether.RoleCaseworker, "dan@example.org", nil)

		got, err := db.Authenticate(ctx, " DAN@example.org", userTestPassword)
		if err != nil || got.ID != u.ID {
			t.Fatalf("Authenticate = %+v, %v", got, err)
		}
		for _, tc := range []struct{ name, email, password string }{
			{"wrong password", u.Email, userTestPassword + "x"},
			{"unknown email", "nobody@example.org", userTestPassword},
			{"empty", "", ""},
			{"overlong password", u.Email, userTestPassword + strings.Repeat("x", 1000)},
		} {
			_, err := db.Authenticate(ctx, tc.email, tc.password)
			wantCode(t, err, tether.EUNAUTHORIZED)
			if msg := tether.ErrorMessage(err); msg != "Email or password is wrong." {
				t.Fatalf("%s: message %q", tc.name, msg)
			}
		}
		if err := db.SetUserDisabled(adminCtx(), u.ID, true); err != nil {
			t.Fatal(err)
		}
		_, err = db.Authenticate(ctx, u.Email, userTestPassword)
		wantCode(t, err, tether.EUNAUTHORIZED)
		if tether.ErrorMessage(err) != "Email or password is wrong." {
			t.Fatalf("disabled: %v", err)
		}

		entries, err := db.FindAuditEntries(adminCtx(), tether.AuditFilter{})
		if err != nil {
			t.Fatal(err)
		}
		type key struct {
			action string
			id     int64
			detail string
		}
		counts := map[key]int{}
		for _, e := range entries {
			if strings.Contains(e.Detail, "@") || strings.Contains(e.Actor, "@") {
				t.Fatalf("audit entry holds an email: %+v", e)
			}
			if e.Action == "user.signin" && e.Actor != "user:"+strconv.FormatInt(u.ID, 10) {
				t.Fatalf("sign-in actor = %q", e.Actor)
			}
			counts[key{e.Action, e.EntityID, e.Detail}]++
		}
		for k, n := range map[key]int{
			{"user.signin", u.ID, ""}:                                   1,
			{"user.signin.failed", u.ID, "wrong_password"}:              2,
			{"user.signin.failed", 0, "unknown_email"}:                  2,
			{"user.signin.failed", u.ID, "disabled"}:                    1,
			{"user.disable", u.ID, "sessions_ended=0 tokens_revoked=0"}: 1,
		} {
			if counts[k] != n {
				t.Errorf("audit %+v: %d entries, want %d", k, counts[k], n)
			}
		}
	})
}

func TestUserDisableEndsSessionsAndTokens(t *testing.T) {
	ForEachEngine(t, func(t *testing.T, db *DB) {
		ctx := adminCtx()
		u := seedUser(t, db, tether.RoleEnquiries, "erin@example.org", nil)
		other := seedUser(t, db, tether.RoleEnquiries, "fay@example.org", nil)
		session, _, err := db.CreateSession(context.Background(), u.ID)
		if err != nil {
			t.Fatal(err)
		}
		otherSession, _, err := db.CreateSession(context.Background(), other.ID)
		if err != nil {
			t.Fatal(err)
		}
		secret, tok, err := db.CreateAPIToken(ctx, u.ID, "reporting")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.TokenUser(context.Background(), secret); err != nil {
			t.Fatal(err)
		}

		if err := db.SetUserDisabled(ctx, u.ID, true); err != nil {
			t.Fatal(err)
		}
		_, _, err = db.SessionUser(context.Background(), session)
		wantCode(t, err, tether.EUNAUTHORIZED)
		_, err = db.TokenUser(context.Background(), secret)
		wantCode(t, err, tether.EUNAUTHORIZED)
		_, _, err = db.CreateSession(context.Background(), u.ID)
		wantCode(t, err, tether.EUNAUTHORIZED)
		_, _, err = db.CreateAPIToken(ctx, u.ID, "another")
		wantCode(t, err, tether.EINVALID)
		var n int
		if err := db.write.QueryRow(db.rebind(`SELECT COUNT(*) FROM sessions WHERE user_id = ?`), u.ID).Scan(&n); err != nil || n != 0 {
			t.Fatalf("sessions left = %d, %v", n, err)
		}
		// Another user's session is untouched.
		if _, _, err := db.SessionUser(context.Background(), otherSession); err != nil {
			t.Fatal(err)
		}

		// Re-enabling brings back no credential.
		if err := db.SetUserDisabled(ctx, u.ID, false); err != nil {
			t.Fatal(err)
		}
		_, _, err = db.SessionUser(context.Background(), session)
		wantCode(t, err, tether.EUNAUTHORIZED)
		_, err = db.TokenUser(context.Background(), secret)
		wantCode(t, err, tether.EUNAUTHORIZED)
		toks, err := db.FindAPITokens(ctx, u.ID)
		if err != nil || len(toks) != 1 || toks[0].ID != tok.ID || toks[0].RevokedAt == nil {
			t.Fatalf("tokens = %+v, %v", toks, err)
		}
		if _, err := db.Authenticate(context.Background(), u.Email, userTestPassword); err != nil {
			t.Fatal(err)
		}
		wantCode(t, db.SetUserDisabled(ctx, 4040, true), tether.ENOTFOUND)

		want := "user.create session.create token.create user.disable user.enable user.signin"
		if got := strings.Join(auditActions(t, db, "user", u.ID), " "); got != want {
			t.Fatalf("audit = %s, want %s", got, want)
		}
	})
}

func TestUserSetPassword(t *testing.T) {
	ForEachEngine(t, func(t *testing.T, db *DB) {
		ctx := adminCtx()
		u := seedUser(t, db, tether.RoleCaseworker, "gus@example.org", nil)
		session, _, err := db.CreateSession(context.Background(), u.ID)
		if err != nil {
			t.Fatal(err)
		}
		wantCode(t, db.SetPassword(ctx, u.ID, "short"), tether.EINVALID)
		wantCode(t, db.SetPassword(ctx, 777, "a new long password"), tether.ENOTFOUND)
		if err := db.SetPassword(ctx, u.ID, "a new long password"); err != nil {
			t.Fatal(err)
		}
		_, err = db.Authenticate(context.Background(), u.Email, userTestPassword)
		wantCode(t, err, tether.EUNAUTHORIZED)
		if _, err := db.Authenticate(context.Background(), u.Email, "a new long password"); err != nil {
			t.Fatal(err)
		}
		_, _, err = db.SessionUser(context.Background(), session)
		wantCode(t, err, tether.EUNAUTHORIZED)
	})
}

func TestOrganisations(t *testing.T) {
	ForEachEngine(t, func(t *testing.T, db *DB) {
		ctx := adminCtx()
		wantCode(t, db.CreateOrganisation(ctx, &tether.Organisation{Name: " ", Kind: tether.OrgAdvice}), tether.EINVALID)
		wantCode(t, db.CreateOrganisation(ctx, &tether.Organisation{Name: "X", Kind: "club"}), tether.EINVALID)
		b := seedOrganisation(t, db, "Bravo Advice")
		a := seedOrganisation(t, db, "Alpha Law")
		got, err := db.FindOrganisationByID(ctx, b.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !sameOrganisation(got, b) { // org_reply_test.go
			t.Fatalf("FindOrganisationByID = %+v, want %+v", got, b)
		}
		_, err = db.FindOrganisationByID(ctx, 999)
		wantCode(t, err, tether.ENOTFOUND)
		orgs, err := db.FindOrganisations(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(orgs) != 2 || orgs[0].ID != a.ID || orgs[1].ID != b.ID {
			t.Fatalf("FindOrganisations = %+v", orgs)
		}
		if got := auditActions(t, db, "organisation", a.ID); len(got) != 1 || got[0] != "organisation.create" {
			t.Fatalf("audit = %v", got)
		}
	})
}
