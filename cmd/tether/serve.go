package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"tether/dispatch"
	"tether/store"
	"tether/web"
)

// settingCallbackToken is the bearer token GOV.UK Notify sends with its
// callbacks (delivery receipts and returned letters); without it, the
// callback routes refuse everything.
var settingCallbackToken = setting{Flag: "notify-callback-token", Env: "TETHER_NOTIFY_CALLBACK_TOKEN", Secret: true,
	Usage: "the bearer token GOV.UK Notify sends with its callbacks; empty refuses every callback"}

// shutdownGrace is how long in-flight requests get when the server stops.
const shutdownGrace = 10 * time.Second

func serveCommand() *command {
	return &command{
		name:    "serve",
		summary: "run the web server: pages, the JSON API under /api/v1, /healthz, /readyz and /metrics",
		help: `
Opens the database, applies any migrations, and serves until interrupted
(Ctrl-C or SIGTERM), then lets requests in flight finish for up to 10
seconds. Logs are JSON lines on stderr; they never hold personal data.

Behind HTTPS, turn on -secure-cookies.

The sending settings (see tether dispatch -h) say which channel each method
goes by, so that notices made on the pages queue for the right one; with
-dispatch, serve also sends them, as tether dispatch does. Several serve
instances may dispatch against one PostgreSQL database: each notice is
sent once.

The background sweeps (see tether sweep -h) run every -sweep-every, also
safely from several instances.

Examples:
  tether serve
  tether serve -addr :8080 -secure-cookies
  TETHER_POST_CHANNEL=print TETHER_PRINT_DIR=/srv/print tether serve -dispatch
  TETHER_DB=postgres://tether@db.internal/tether TETHER_SECURE_COOKIES=true tether serve`,
		setup: func(a *app, fs *flags) func(context.Context, []string) error {
			dsn := fs.String(settingDB)
			addr := fs.String(settingAddr)
			level := fs.String(settingLogLevel)
			secure := fs.Bool(settingSecureCookies)
			origins := fs.String(settingTrustedOrigins)
			callbackToken := fs.String(settingCallbackToken)
			sc := bindSending(fs)
			dispatchOn := fs.Bool(settingDispatch)
			sweepEvery := fs.String(settingSweepEvery)
			rf := bindReporting(fs)
			es := bindEnquiryStandards(fs)
			return func(ctx context.Context, args []string) error {
				if len(args) > 0 {
					return usagef("serve takes no arguments")
				}
				lvl, err := parseLogLevel(*level)
				if err != nil {
					return usagef("%v", err)
				}
				if err := sc.check(); err != nil {
					return err
				}
				every, err := time.ParseDuration(*sweepEvery)
				if err != nil || (every != 0 && every < time.Second) {
					return usagef("-sweep-every must be a duration of at least 1s, like 1m, or 0 for never")
				}
				if _, err := rf.config(); err != nil {
					return err
				}
				if err := es.load(); err != nil {
					return err
				}
				return a.serve(ctx, *dsn, *addr, lvl, *secure, splitList(*origins), *callbackToken, sc, *dispatchOn, every, rf, es)
			}
		},
	}
}

// serve serves until ctx ends. sc configures the channels; with
// dispatchOn the dispatcher and the Notify poller run beside the web
// server; the background sweeps run every sweepEvery (0: never).
func (a *app) serve(ctx context.Context, dsn, addr string, level slog.Level, secure bool, origins []string, callbackToken string,
	sc *sendingConfig, dispatchOn bool, sweepEvery time.Duration, rf *reportingFlags, es *standardsFlag) error {
	handler := slog.NewJSONHandler(a.stderr, &slog.HandlerOptions{Level: level})
	log := slog.New(handler)

	db, err := a.openDB(ctx, dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetCorrespondence(sc.correspondence())
	if err := rf.apply(db); err != nil {
		return err
	}
	if err := es.apply(db); err != nil {
		return err
	}
	log.Info("enquiry standards in force", "name", es.standards.Name, "version", es.standards.Version, "file", orText(es.file(), "built in"))
	var (
		disp    *dispatch.Dispatcher
		poller  *dispatch.Poller
		workers sync.WaitGroup
	)
	if dispatchOn {
		d, p, missing, err := a.dispatcher(db, sc, log)
		if err != nil {
			return err
		}
		disp, poller = d, p
		log.Info("dispatching", "channels", strings.Join(d.Channels(), ","))
		for _, m := range missing {
			log.Warn("a channel is not configured: its notices wait in the outbox", "channel", m)
		}
	}
	if n, err := db.CountUsers(ctx); err == nil && n == 0 {
		log.Warn("there are no users yet: create an admin with 'tether users add -role admin', or add demo data with 'tether demo'")
	}
	for _, o := range origins {
		if !strings.HasPrefix(o, "https://") && !strings.HasPrefix(o, "http://") {
			return usagef("trusted origin %q must start with https:// or http://", o)
		}
	}

	h := web.New(web.Services{
		People: db, Contacts: db, Users: db, Credentials: db, Audit: db, Ready: db.Ping,
		Correspondence: db, Tasks: db, Status: db, Reporting: db, Lapses: db, Enquiries: db,
	}, web.Config{SecureCookies: secure, TrustedOrigins: origins, Version: version, CallbackToken: callbackToken}, a.clock, log)

	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(handler, slog.LevelWarn),
	}
	log.Info("serving", "addr", ln.Addr().String(), "database", db.Dialect, "version", version, "secure_cookies", secure)
	fmt.Fprintf(a.stdout, "Tether is listening on http://%s\n", ln.Addr())

	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	if sweepEvery > 0 {
		r := a.sweepRunner(db, log)
		workers.Go(func() { r.Run(ctx, sweepEvery) })
	}
	if disp != nil {
		workers.Go(func() { disp.Run(ctx) })
		if poller != nil && *sc.pollEvery > 0 {
			workers.Go(func() { poller.Run(ctx, *sc.pollEvery) })
		}
	}
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down", "grace", shutdownGrace.String())
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		log.Warn("requests still running were cut off", "error", err.Error())
		srv.Close()
	}
	workers.Wait()
	if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Info("stopped")
	return nil
}

func migrateCommand() *command {
	return &command{
		name:    "migrate",
		summary: "apply the database migrations not yet applied",
		help: `
Creates the database when it does not exist, and brings its schema up to
date. Safe to run at any time and from many instances at once (PostgreSQL
takes a lock). serve and the other commands do it too.

Examples:
  tether migrate
  tether migrate -db /var/lib/tether/tether.db
  TETHER_DB=postgres://tether@db.internal/tether tether migrate`,
		setup: func(a *app, fs *flags) func(context.Context, []string) error {
			dsn := fs.String(settingDB)
			return func(ctx context.Context, args []string) error {
				if len(args) > 0 {
					return usagef("migrate takes no arguments")
				}
				db, err := store.Open(*dsn, a.clock)
				if err != nil {
					return err
				}
				defer db.Close()
				applied, err := db.Migrate(ctx)
				for _, v := range applied {
					fmt.Fprintf(a.stdout, "Applied %s\n", v)
				}
				if err != nil {
					return err
				}
				if len(applied) == 0 {
					fmt.Fprintln(a.stdout, "The database is up to date: no migrations to apply.")
				}
				return nil
			}
		},
	}
}
