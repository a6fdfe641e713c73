// Package web is Tether's HTTP face: the JSON API under /api/v1, the HTML
// pages (GOV.UK Design System), health, readiness and metrics. It is the one
// place where domain errors become HTTP statuses (error.go).
//
// Handlers go decode, validate, call a service, respond. Every route names
// the roles that may use it in the route table, and the table test checks
// every route against every role.
package web

import (
	"context"
	"embed"
	"log/slog"
	"net/http"
	"time"

	"tether"
)

//go:embed static
var staticFS embed.FS

// Services are what the server needs from the storage layer.
type Services struct {
	People      tether.PersonService
	Contacts    tether.ContactPointService
	Users       tether.UserService
	Credentials tether.CredentialService
	Audit       tether.AuditService
	// Correspondence sends notices and keeps templates, the outbox and
	// delivery evidence; nil leaves those routes answering 404.
	Correspondence Correspondence
	// Tasks are the work queues every module puts work in; nil leaves
	// their routes answering 404.
	Tasks tether.TaskService
	// Status keeps each person's contact status; nil leaves its routes
	// answering 404.
	Status StatusService
	// Lapses keeps lapses of contact, tracing plans and attempts, and the
	// figures for managers; nil leaves their routes answering 404.
	Lapses LapseService
	// Reporting keeps reporting conditions and events; nil leaves its
	// routes answering 404.
	Reporting ReportingService
	// Enquiries keeps enquiries from MPs' offices and representatives;
	// nil leaves their routes answering 404.
	Enquiries EnquiryService
	// Ready reports whether the database answers, for /readyz.
	Ready func(ctx context.Context) error
}

// Config holds the server's settings.
type Config struct {
	// SecureCookies sets the Secure flag on cookies; on everywhere but
	// plain-HTTP local runs.
	SecureCookies bool
	// TrustedOrigins may post cross-origin (for example a separate admin UI).
	TrustedOrigins []string
	Version        string
	// CallbackToken is the bearer token GOV.UK Notify sends with its
	// callbacks; when empty, every callback is refused.
	CallbackToken string
}

// Server is the HTTP handler for everything.
type Server struct {
	Services
	cfg     Config
	clock   tether.Clock
	log     *slog.Logger
	mux     *http.ServeMux
	handler http.Handler
	routes  []route
	metrics *metrics
	limiter *signInLimiter
}

// New builds the server and its routes.
func New(svc Services, cfg Config, clock tether.Clock, log *slog.Logger) *Server {
	if clock == nil {
		clock = tether.SystemClock{}
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Server{Services: svc, cfg: cfg, clock: clock, log: log, mux: http.NewServeMux(),
		metrics: newMetrics(), limiter: newSignInLimiter(clock)}
	s.routes = s.routeTable()
	for _, rt := range s.routes {
		s.mux.Handle(rt.Method+" "+rt.Pattern, s.authorize(rt))
	}
	s.mux.HandleFunc("/", s.noRoute)
	cop := http.NewCrossOriginProtection()
	for _, o := range cfg.TrustedOrigins {
		_ = cop.AddTrustedOrigin(o)
	}
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, tether.Errorf(tether.EFORBIDDEN, "Cross-origin request refused."))
	}))
	s.handler = s.observe(s.recoverPanics(cop.Handler(s.authenticate(s.mux))))
	return s
}

// ServeHTTP serves a request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// route is one entry of the route table.
type route struct {
	Method  string
	Pattern string
	// Roles may use the route; nil means anyone, signed in or not.
	Roles []tether.Role
	// API routes answer JSON errors and take bearer tokens; page routes
	// redirect to sign-in and take only the session cookie.
	API     bool
	Summary string
	Handler http.HandlerFunc
}

// Role sets used in the route table.
var (
	public       []tether.Role
	everyone     = tether.Roles
	staff        = []tether.Role{tether.RoleAdmin, tether.RoleCaseworker, tether.RoleEnquiries, tether.RoleInspector}
	writers      = []tether.Role{tether.RoleAdmin, tether.RoleCaseworker}
	admins       = []tether.Role{tether.RoleAdmin}
	auditReaders = []tether.Role{tether.RoleAdmin, tether.RoleInspector}
	// noticeWriters may send notices; enquiries caseworkers answer MPs.
	noticeWriters = []tether.Role{tether.RoleAdmin, tether.RoleCaseworker, tether.RoleEnquiries}
	// outboxReaders may see the outbox and the health of the channels.
	outboxReaders = []tether.Role{tether.RoleAdmin, tether.RoleCaseworker, tether.RoleInspector}
	// taskWorkers work the queues of tether.Queues; which queues depends
	// on the role, and the store checks that.
	taskWorkers = func() []tether.Role {
		var roles []tether.Role
		for _, r := range tether.Roles {
			if tether.WorksTasks(r) {
				roles = append(roles, r)
			}
		}
		return roles
	}()
	// queueReaders see how much work each queue holds: numbers only, so
	// inspectors too.
	queueReaders = staff
)

// shutdownGrace is how long in-flight requests get when the server stops.
const shutdownGrace = 10 * time.Second
