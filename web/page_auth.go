package web

import (
	"net"
	"net/http"
	"strings"
	"time"

	"tether"
)

// pageHome sends a signed-in user to the people list and anyone else to sign in.
func (s *Server) pageHome(w http.ResponseWriter, r *http.Request) {
	if currentUser(r) != nil {
		http.Redirect(w, r, "/people", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/sign-in", http.StatusSeeOther)
}

type signInPage struct {
	layout
	Next string
}

var signInFields = []fieldSpec{
	{Key: "email", ID: "email", Label: "Email address"},
	{Key: "password", ID: "password", Label: "Password"},
}

func (s *Server) pageSignIn(w http.ResponseWriter, r *http.Request) {
	next := r.URL.Query().Get("next")
	if currentUser(r) != nil {
		http.Redirect(w, r, signInTarget(next), http.StatusSeeOther)
		return
	}
	p := signInPage{layout: s.newLayout(r, "Sign in"), Next: next}
	if r.URL.Query().Get("signed_out") == "1" {
		p.Success = "You have signed out."
	}
	s.render(w, r, http.StatusOK, "sign_in", p)
}

// pageSignInPost checks an email and password, throttled by client address
// and by email, and starts a session.
func (s *Server) pageSignInPost(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	email := strings.TrimSpace(r.PostForm.Get("email"))
	password := r.PostForm.Get("password")
	next := r.PostForm.Get("next")

	p := signInPage{layout: s.newLayout(r, "Sign in"), Next: next}
	// Never send the password back into the page.
	p.Form = newForm(map[string][]string{"email": {email}})
	if email == "" {
		p.Form.add("email", "", "Enter your email address", 0)
	}
	if password == "" {
		p.Form.add("password", "", "Enter your password", 1)
	}
	if p.HasErrors() {
		s.render(w, r, http.StatusBadRequest, "sign_in", p)
		return
	}

	keys := []string{"ip:" + clientIP(r), "email:" + strings.ToLower(email)}
	if !s.limiter.allowed(keys...) {
		p.Form.notice("email", "You have tried to sign in too many times. Wait 15 minutes, then try again.")
		w.Header().Set("Retry-After", "900")
		s.render(w, r, http.StatusTooManyRequests, "sign_in", p)
		return
	}
	u, err := s.Users.Authenticate(r.Context(), email, password)
	if tether.ErrorCode(err) == tether.EUNAUTHORIZED {
		s.limiter.failed(keys...)
		p.Form.add("email", "", "Enter a correct email address and password", 0)
		s.render(w, r, http.StatusUnauthorized, "sign_in", p)
		return
	} else if err != nil {
		s.fail(w, r, err)
		return
	}
	// Only the email's failures are forgiven: clearing the address's too
	// would let one good account reset a guesser's count.
	s.limiter.succeeded(keys[1])

	ctx := tether.NewContextWithActor(r.Context(), tether.ActorOf(u))
	if c, err := r.Cookie(SessionCookie); err == nil && c.Value != "" {
		// A fresh session on every sign-in: no fixation of an old token.
		_ = s.Credentials.DeleteSession(ctx, c.Value)
	}
	token, sess, err := s.Credentials.CreateSession(ctx, u.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	maxAge := int(tether.SessionLifetime / time.Second)
	if sess != nil {
		if d := sess.ExpiresAt.Sub(s.clock.Now()); d > 0 {
			maxAge = int(d / time.Second)
		}
	}
	http.SetCookie(w, s.sessionCookie(token, maxAge))
	http.Redirect(w, r, signInTarget(next), http.StatusSeeOther)
}

// pageSignOut ends the session and forgets the cookie.
func (s *Server) pageSignOut(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(SessionCookie); err == nil && c.Value != "" {
		if err := s.Credentials.DeleteSession(r.Context(), c.Value); err != nil && tether.ErrorCode(err) != tether.ENOTFOUND {
			s.fail(w, r, err)
			return
		}
	}
	http.SetCookie(w, s.sessionCookie("", -1))
	http.Redirect(w, r, "/sign-in?signed_out=1", http.StatusSeeOther)
}

// signInTarget is where to go after signing in: next when it is on this
// site, else the people list.
func signInTarget(next string) string {
	if next == "" {
		return "/people"
	}
	return safeNext(next)
}

// clientIP is the address the request came from. Forwarded headers are not
// trusted: anyone can write them.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
