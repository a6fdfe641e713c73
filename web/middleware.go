package web

import (
	"context"
	"fmt"
	"net/http"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"tether"
)

// SessionCookie names the session cookie.
const SessionCookie = "tether_session"

type userKey struct{}

// currentUser returns the signed-in user, or nil.
func currentUser(r *http.Request) *tether.User {
	u, _ := r.Context().Value(userKey{}).(*tether.User)
	return u
}

// authenticate finds who is asking: a bearer token (API only) or the session
// cookie. It puts the user and the actor into the context; a request with no
// credential goes on anonymous and authorize decides.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if isCallback(r) {
			// Notify's callbacks carry their own token, checked by their
			// handlers; they act as no user.
			next.ServeHTTP(w, r)
			return
		}
		var u *tether.User
		var err error
		if h := r.Header.Get("Authorization"); h != "" && isAPI(r) {
			token, ok := strings.CutPrefix(h, "Bearer ")
			if !ok || token == "" {
				s.fail(w, r, tether.Errorf(tether.EUNAUTHORIZED, "Use Authorization: Bearer <token>."))
				return
			}
			if u, err = s.Credentials.TokenUser(r.Context(), token); err != nil {
				s.fail(w, r, err)
				return
			}
		} else if c, cerr := r.Cookie(SessionCookie); cerr == nil && c.Value != "" {
			u, _, err = s.Credentials.SessionUser(r.Context(), c.Value)
			if err != nil && tether.ErrorCode(err) != tether.EUNAUTHORIZED {
				s.fail(w, r, err)
				return
			}
			if err != nil {
				// An expired or unknown session: forget the cookie.
				http.SetCookie(w, s.sessionCookie("", -1))
			}
		}
		if u != nil {
			if info := infoOf(r); info != nil {
				info.userID = u.ID
			}
			ctx := context.WithValue(r.Context(), userKey{}, u)
			ctx = tether.NewContextWithActor(ctx, tether.ActorOf(u))
			r = r.WithContext(ctx)
		}
		next.ServeHTTP(w, r)
	})
}

// authorize lets a request through to the route's handler only when the
// user's role is among the route's roles.
func (s *Server) authorize(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if info := infoOf(r); info != nil {
			info.pattern = r.Pattern
		}
		if rt.Roles != nil {
			u := currentUser(r)
			if u == nil {
				s.fail(w, r, tether.Errorf(tether.EUNAUTHORIZED, "Sign in, or send an API token."))
				return
			}
			if !slices.Contains(rt.Roles, u.Role) {
				s.fail(w, r, tether.Errorf(tether.EFORBIDDEN, "Your role may not do this."))
				return
			}
		}
		rt.Handler(w, r)
	})
}

// sessionCookie makes the session cookie; maxAge < 0 deletes it.
func (s *Server) sessionCookie(value string, maxAge int) *http.Cookie {
	return &http.Cookie{Name: SessionCookie, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: s.cfg.SecureCookies, SameSite: http.SameSiteLaxMode}
}

// statusWriter remembers the status a handler wrote.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// requestInfo carries what the inner handlers learn about a request back
// out to observe: each layer that changes the context makes a new request,
// so the outer one never sees the route pattern the mux set, nor the user.
type requestInfo struct {
	pattern string
	userID  int64
}

type infoKey struct{}

func infoOf(r *http.Request) *requestInfo {
	info, _ := r.Context().Value(infoKey{}).(*requestInfo)
	return info
}

// routeOf is the route pattern of the request, for logs: known once the mux
// has matched it, even to layers outside the mux.
func routeOf(r *http.Request) string {
	if r.Pattern != "" {
		return r.Pattern
	}
	if info := infoOf(r); info != nil {
		return info.pattern
	}
	return ""
}

// observe logs each request and counts it in the metrics. The log holds the
// route pattern, never the path (which may hold a reference) nor the query.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		setSecurityHeaders(sw.Header())
		info := &requestInfo{}
		r = r.WithContext(context.WithValue(r.Context(), infoKey{}, info))
		next.ServeHTTP(sw, r)
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		pattern := info.pattern
		if pattern == "" {
			pattern = "unmatched"
		}
		d := time.Since(start)
		s.metrics.observe(pattern, sw.status, d)
		if pattern == "GET /healthz" || pattern == "GET /metrics" || strings.HasPrefix(pattern, "GET /static/") || strings.HasPrefix(pattern, "GET /assets/") {
			return
		}
		attrs := []any{"method", r.Method, "route", pattern, "status", sw.status, "ms", float64(d.Microseconds()) / 1000}
		if info.userID != 0 {
			attrs = append(attrs, "user", info.userID)
		}
		s.log.Info("request", attrs...)
	})
}

// recoverPanics turns a panic into a 500 with the error shape, logged with
// its stack, so that one bad request never takes the server down.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("panic", "route", routeOf(r), "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
				s.fail(w, r, fmt.Errorf("panic: %v", v))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

func setSecurityHeaders(h http.Header) {
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'")
}
