package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"

	"tether"
	"tether/clarity"
	"tether/dispatch"
	"tether/mailer"
	"tether/notify"
	"tether/store"
)

// The sending settings: the channels' addresses and secrets, and which
// channel carries posted letters and emails.
var (
	settingNotifyAPIKey = setting{Flag: "notify-api-key", Env: "TETHER_NOTIFY_API_KEY", Secret: true,
		Usage: "the GOV.UK Notify API key; better from the environment, since flags show in process lists"}
	settingNotifyBaseURL = setting{Flag: "notify-base-url", Env: "TETHER_NOTIFY_BASE_URL", Default: notify.DefaultBaseURL,
		Usage: "GOV.UK Notify's API address"}
	settingNotifyRate = setting{Flag: "notify-rate", Env: "TETHER_NOTIFY_RATE", Default: strconv.Itoa(notify.DefaultRatePerMinute),
		Usage: "the most requests a minute this process makes to Notify (Notify allows 3,000 a minute per key); -1 for no limit"}
	settingNotifyEmailTemplate = setting{Flag: "notify-email-template", Env: "TETHER_NOTIFY_EMAIL_TEMPLATE",
		Usage: "the id of the Notify email template whose subject is ((subject)) and body ((body))"}
	settingNotifySMSTemplate = setting{Flag: "notify-sms-template", Env: "TETHER_NOTIFY_SMS_TEMPLATE",
		Usage: "the id of the Notify text message template whose body is ((body))"}
	settingNotifyLetterTemplate = setting{Flag: "notify-letter-template", Env: "TETHER_NOTIFY_LETTER_TEMPLATE",
		Usage: "the id of the Notify letter template with heading ((subject)) and body ((body))"}
	settingNotifyTemplates = setting{Flag: "notify-templates", Env: "TETHER_NOTIFY_TEMPLATES",
		Usage: "other Notify templates for some of our templates, as key=template-id pairs separated by commas; each takes ((subject)) and ((body))"}
	settingSMTPAddr = setting{Flag: "smtp-addr", Env: "TETHER_SMTP_ADDR",
		Usage: "the mail relay, host:port, for the smtp email channel"}
	settingSMTPFrom = setting{Flag: "smtp-from", Env: "TETHER_SMTP_FROM",
		Usage: "the sender of email sent through the relay, \"Name <address>\""}
	settingSMTPUsername = setting{Flag: "smtp-username", Env: "TETHER_SMTP_USERNAME",
		Usage: "the mail relay user name, when it needs one"}
	settingSMTPPassword = setting{Flag: "smtp-password", Env: "TETHER_SMTP_PASSWORD", Secret: true,
		Usage: "the mail relay password; better from the environment"}
	settingPrintDir = setting{Flag: "print-dir", Env: "TETHER_PRINT_DIR",
		Usage: "the spool folder where the print channel writes letters as PDF files for the post room"}
	settingPostChannel = setting{Flag: "post-channel", Env: "TETHER_POST_CHANNEL", Default: tether.SendNotifyLetter,
		Usage: "how posted letters go: notify-letter (GOV.UK Notify prints and posts) or print (our post room)"}
	settingEmailChannel = setting{Flag: "email-channel", Env: "TETHER_EMAIL_CHANNEL", Default: tether.SendNotifyEmail,
		Usage: "how email goes: notify-email or smtp (our mail relay)"}
	settingDispatch = setting{Flag: "dispatch", Env: "TETHER_DISPATCH", Default: "false",
		Usage: "serve: also send queued notices, as tether dispatch does"}
	settingMinReadingEase = setting{Flag: "min-reading-ease", Env: "TETHER_MIN_READING_EASE", Default: "60",
		Usage: "the clarity bar: the lowest Flesch reading ease a template may publish with, unless an admin records why"}
	settingMaxGrade = setting{Flag: "max-grade", Env: "TETHER_MAX_GRADE", Default: "9",
		Usage: "the clarity bar: the highest Flesch-Kincaid grade a template may publish with, unless an admin records why"}
	settingHelpPhone = setting{Flag: "help-phone", Env: "TETHER_HELP_PHONE", Default: "0300 123 4567",
		Usage: "the number notices give for help, as ((help_phone)), unless the sender gives another"}
	settingDepartment = setting{Flag: "department", Env: "TETHER_DEPARTMENT", Default: "the Home Office",
		Usage: "the department's name in notices, as ((department))"}
	settingFallback = setting{Flag: "fallback", Env: "TETHER_FALLBACK", Default: "false",
		Usage: "when a notice's contact point fails, send the same text by the next route the service rules find"}
)

// sendingSettings are listed in the overview help.
var sendingSettings = []setting{settingNotifyAPIKey, settingNotifyBaseURL, settingNotifyRate,
	settingNotifyEmailTemplate, settingNotifySMSTemplate, settingNotifyLetterTemplate, settingNotifyTemplates,
	settingSMTPAddr, settingSMTPFrom, settingSMTPUsername, settingSMTPPassword, settingPrintDir,
	settingPostChannel, settingEmailChannel, settingDispatch, settingFallback,
	settingMinReadingEase, settingMaxGrade, settingHelpPhone, settingDepartment}

// Int binds an integer setting.
func (f *flags) Int(s setting) *int {
	v, err := strconv.Atoi(f.env(s))
	if err != nil {
		f.envErrs = append(f.envErrs, fmt.Errorf("$%s: %q is not a whole number", s.Env, f.env(s)))
	}
	return f.FlagSet.Int(s.Flag, v, f.usage(s))
}

// sendingConfig is what the dispatcher is built from.
type sendingConfig struct {
	notifyKey, notifyURL                           *string
	notifyRate                                     *int
	emailTemplate, smsTemplate, letterTemplate     *string
	templates                                      *string
	smtpAddr, smtpFrom, smtpUsername, smtpPassword *string
	printDir, postChannel, emailChannel            *string
	fallback                                       *bool
	minEase, maxGrade                              *float64
	helpPhone, department                          *string

	batch, concurrency, maxAttempts, pauseAfter *int
	lease, pauseFor, pollEvery, pollAfter       *time.Duration
}

// bindSending binds the sending settings and the dispatcher's tuning flags.
func bindSending(fs *flags) *sendingConfig {
	return &sendingConfig{
		notifyKey: fs.String(settingNotifyAPIKey), notifyURL: fs.String(settingNotifyBaseURL), notifyRate: fs.Int(settingNotifyRate),
		emailTemplate: fs.String(settingNotifyEmailTemplate), smsTemplate: fs.String(settingNotifySMSTemplate),
		letterTemplate: fs.String(settingNotifyLetterTemplate), templates: fs.String(settingNotifyTemplates),
		smtpAddr: fs.String(settingSMTPAddr), smtpFrom: fs.String(settingSMTPFrom),
		smtpUsername: fs.String(settingSMTPUsername), smtpPassword: fs.String(settingSMTPPassword),
		printDir: fs.String(settingPrintDir), postChannel: fs.String(settingPostChannel), emailChannel: fs.String(settingEmailChannel),
		fallback: fs.Bool(settingFallback),
		minEase:  fs.Float(settingMinReadingEase), maxGrade: fs.Float(settingMaxGrade),
		helpPhone: fs.String(settingHelpPhone), department: fs.String(settingDepartment),

		batch:       fs.FlagSet.Int("batch", dispatch.DefaultBatch, "notices one claim takes from the outbox"),
		concurrency: fs.FlagSet.Int("concurrency", dispatch.DefaultConcurrency, "notices sent at once"),
		maxAttempts: fs.FlagSet.Int("max-attempts", dispatch.DefaultMaxAttempts, "temporary failures after which a notice fails visibly"),
		pauseAfter:  fs.FlagSet.Int("pause-after", dispatch.DefaultPauseAfter, "consecutive failures that pause a channel"),
		lease:       fs.FlagSet.Duration("lease", dispatch.DefaultLease, "how long a claim holds its notices; another dispatcher takes them over after"),
		pauseFor:    fs.FlagSet.Duration("pause-for", dispatch.DefaultPauseFor, "how long a failing channel pauses"),
		pollEvery:   fs.FlagSet.Duration("poll-every", 10*time.Minute, "how often to ask Notify for the status of notices it has not reported on; 0 never"),
		pollAfter:   fs.FlagSet.Duration("poll-after", time.Hour, "ask about notices sent at least this long ago with no final status"),
	}
}

// check validates the settings that need no database.
func (c *sendingConfig) check() error {
	switch *c.postChannel {
	case tether.SendNotifyLetter, tether.SendPrint:
	default:
		return usagef("-post-channel must be notify-letter or print, not %q", *c.postChannel)
	}
	switch *c.emailChannel {
	case tether.SendNotifyEmail, tether.SendSMTP:
	default:
		return usagef("-email-channel must be notify-email or smtp, not %q", *c.emailChannel)
	}
	if *c.batch < 1 || *c.concurrency < 1 || *c.maxAttempts < 1 || *c.pauseAfter < 1 {
		return usagef("-batch, -concurrency, -max-attempts and -pause-after must be at least 1")
	}
	if *c.maxGrade <= 0 || *c.minEase > 120 {
		return usagef("-max-grade must be above 0 and -min-reading-ease at most 120")
	}
	if *c.lease < 10*time.Second {
		return usagef("-lease must be at least 10s")
	}
	if _, err := c.templateMap(); err != nil {
		return err
	}
	return nil
}

// templateMap reads -notify-templates.
func (c *sendingConfig) templateMap() (map[string]string, error) {
	m := map[string]string{}
	for _, pair := range splitList(*c.templates) {
		k, v, ok := strings.Cut(pair, "=")
		if !ok || k == "" || !notify.IsUUID(v) {
			return nil, usagef("-notify-templates: %q is not key=template-id", pair)
		}
		m[k] = v
	}
	return m, nil
}

// correspondence is the store's configuration of sending channels.
func (c *sendingConfig) correspondence() store.Correspondence {
	return store.Correspondence{PostChannel: *c.postChannel, EmailChannel: *c.emailChannel, Fallback: *c.fallback,
		Bar:      clarity.Bar{MinReadingEase: *c.minEase, MaxGrade: *c.maxGrade},
		Defaults: map[string]string{"help_phone": strings.TrimSpace(*c.helpPhone), "department": strings.TrimSpace(*c.department)}}
}

// senders builds a Sender for each channel that is configured, and says
// which channels have none, so that their notices wait.
func (c *sendingConfig) senders(clock tether.Clock) (map[string]dispatch.Sender, *notify.Client, []string, error) {
	senders := map[string]dispatch.Sender{}
	var missing []string
	var client *notify.Client
	if *c.notifyKey != "" {
		var err error
		client, err = notify.New(notify.Config{APIKey: *c.notifyKey, BaseURL: *c.notifyURL, RatePerMinute: *c.notifyRate})
		if err != nil {
			return nil, nil, nil, usagef("%v", err) // never the key itself
		}
		tm, err := c.templateMap()
		if err != nil {
			return nil, nil, nil, err
		}
		for _, ch := range []struct {
			channel, template, flag string
		}{
			{tether.SendNotifyEmail, *c.emailTemplate, settingNotifyEmailTemplate.Flag},
			{tether.SendNotifySMS, *c.smsTemplate, settingNotifySMSTemplate.Flag},
			{tether.SendNotifyLetter, *c.letterTemplate, settingNotifyLetterTemplate.Flag},
		} {
			if ch.template == "" {
				missing = append(missing, ch.channel+" (no -"+ch.flag+")")
				continue
			}
			if !notify.IsUUID(ch.template) {
				return nil, nil, nil, usagef("-%s: %q is not a Notify template id", ch.flag, ch.template)
			}
			senders[ch.channel] = &dispatch.NotifySender{Client: client, Channel: ch.channel, TemplateID: ch.template, Templates: tm}
		}
	} else {
		missing = append(missing, "notify-email, notify-sms and notify-letter (no -notify-api-key)")
	}
	if *c.smtpAddr != "" {
		if *c.smtpFrom == "" {
			return nil, nil, nil, usagef("-smtp-from is required with -smtp-addr")
		}
		senders[tether.SendSMTP] = &dispatch.SMTPSender{SMTP: &mailer.SMTP{
			Addr: *c.smtpAddr, From: *c.smtpFrom, Username: *c.smtpUsername, Password: *c.smtpPassword,
			Now: func() time.Time { return clock.Now() }}}
	} else if *c.emailChannel == tether.SendSMTP {
		missing = append(missing, "smtp (no -smtp-addr)")
	}
	if *c.printDir != "" {
		p, err := dispatch.NewPrintSender(*c.printDir, clock)
		if err != nil {
			return nil, nil, nil, err
		}
		senders[tether.SendPrint] = p
	} else if *c.postChannel == tether.SendPrint {
		missing = append(missing, "print (no -print-dir)")
	}
	return senders, client, missing, nil
}

// workerName names this process in leases: host, process id and a random
// part, so that a restarted process is a new worker.
func workerName() string {
	host, _ := os.Hostname()
	if host == "" {
		host = "tether"
	}
	b := make([]byte, 3)
	rand.Read(b)
	return fmt.Sprintf("%s-%d-%s", host, os.Getpid(), hex.EncodeToString(b))
}

// dispatcher builds the dispatcher and the poller for db.
func (a *app) dispatcher(db *store.DB, c *sendingConfig, log *slog.Logger) (*dispatch.Dispatcher, *dispatch.Poller, []string, error) {
	senders, client, missing, err := c.senders(a.clock)
	if err != nil {
		return nil, nil, nil, err
	}
	if len(senders) == 0 {
		return nil, nil, missing, usagef("no channel is configured: set TETHER_NOTIFY_API_KEY and the template ids, TETHER_SMTP_ADDR, or TETHER_PRINT_DIR")
	}
	d := &dispatch.Dispatcher{
		Outbox: db, Replies: db.ReplyOutbox(), Senders: senders, Clock: a.clock, Worker: workerName(),
		Batch: *c.batch, Concurrency: *c.concurrency, Lease: *c.lease,
		PauseAfter: *c.pauseAfter, PauseFor: *c.pauseFor, MaxAttempts: *c.maxAttempts, Log: log,
	}
	var p *dispatch.Poller
	if client != nil {
		p = &dispatch.Poller{Store: db, Notify: client, OlderThan: *c.pollAfter, Log: log}
	}
	return d, p, missing, nil
}

func dispatchCommand() *command {
	return &command{
		name:    "dispatch",
		summary: "send queued notices through GOV.UK Notify, the mail relay or the print spool",
		help: `
Claims notices from the outbox a batch at a time and sends each through its
channel, until interrupted; with -once, until nothing is due, then prints a
summary. Any number of dispatchers may run against one database: each notice
is sent once. A notice whose channel fails for a while is tried again later
(30s, doubling to an hour); after -max-attempts it fails visibly and a
caseworker gets a task. A send whose outcome is unknown (the connection
dropped) is looked up at Notify by its reference before it is sent again.
A channel that fails -pause-after times in a row pauses for -pause-for.
Replies to MPs' offices and representatives go the same way, through the
email or post channel, each once, with the channel's id kept as the proof
of sending; one that fails gives the enquiry's caseworker a task.

It also asks Notify, every -poll-every, for the status of notices it has not
reported on (when callbacks are lost), and records what it says.

Channels: GOV.UK Notify needs the API key and one template id per channel
(a template whose content is just ((subject)) and ((body)): Tether renders
every notice itself). -post-channel print writes each letter as a PDF named
by the notice's reference into -print-dir, for the post room. -email-channel
smtp sends email through the mail relay at -smtp-addr. Notices of a channel
that is not configured wait in the outbox. Secrets come from the environment
or flags and are never logged.

Examples:
  TETHER_NOTIFY_API_KEY=... TETHER_NOTIFY_EMAIL_TEMPLATE=... tether dispatch
  tether dispatch -once
  TETHER_POST_CHANNEL=print TETHER_PRINT_DIR=/srv/print tether dispatch -batch 50`,
		setup: func(a *app, fs *flags) func(context.Context, []string) error {
			dsn := fs.String(settingDB)
			level := fs.String(settingLogLevel)
			sc := bindSending(fs)
			once := fs.FlagSet.Bool("once", false, "send what is due, print a summary and stop")
			return func(ctx context.Context, args []string) error {
				if err := noArgs("dispatch", args); err != nil {
					return err
				}
				if err := sc.check(); err != nil {
					return err
				}
				lvl, err := parseLogLevel(*level)
				if err != nil {
					return usagef("%v", err)
				}
				log := slog.New(slog.NewJSONHandler(a.stderr, &slog.HandlerOptions{Level: lvl}))
				return a.withDB(ctx, *dsn, tether.SystemActor, func(ctx context.Context, db *store.DB) error {
					db.SetCorrespondence(sc.correspondence())
					return a.dispatch(ctx, db, sc, *once, log)
				})
			}
		},
	}
}

func (a *app) dispatch(ctx context.Context, db *store.DB, sc *sendingConfig, once bool, log *slog.Logger) error {
	d, p, missing, err := a.dispatcher(db, sc, log)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stderr, "Dispatcher %s sending %s\n", d.Worker, strings.Join(d.Channels(), ", "))
	for _, m := range missing {
		fmt.Fprintf(a.stderr, "Not sending %s: notices for it wait in the outbox\n", m)
	}
	prog := newProgress(a.stderr)
	d.Progress = func(s dispatch.Stats) {
		if prog.due() {
			prog.show(statsLine(s))
		}
	}
	if once {
		st, err := d.Drain(ctx)
		prog.done()
		if err != nil {
			return err
		}
		if p != nil {
			if ps, err := p.Poll(ctx, *sc.pollAfter, 0); err != nil {
				fmt.Fprintf(a.stderr, "Polling Notify failed: %s\n", dispatch.Reason(err))
			} else if ps.Asked > 0 {
				fmt.Fprintf(a.stdout, "Asked Notify about %s notices: %s statuses recorded\n", commas(int64(ps.Asked)), commas(int64(ps.Recorded)))
			}
		}
		return a.dispatchSummary(ctx, db, st)
	}
	if p != nil && *sc.pollEvery > 0 {
		go p.Run(ctx, *sc.pollEvery)
	}
	d.Run(ctx)
	prog.done()
	fmt.Fprintln(a.stderr, "Dispatcher stopped")
	return nil
}

// statsLine is a progress line.
func statsLine(s dispatch.Stats) string {
	line := fmt.Sprintf("sent %s  retrying %s  failed %s  %s notices/s", commas(int64(s.Sent)), commas(int64(s.Retried)),
		commas(int64(s.Failed)), commas(rate(int64(s.Sent), s.Elapsed)))
	if s.Deferred > 0 {
		line += "  deferred " + commas(int64(s.Deferred))
	}
	return line
}

// dispatchSummary prints what a drain did and what the outbox holds.
func (a *app) dispatchSummary(ctx context.Context, db *store.DB, st dispatch.Stats) error {
	fmt.Fprintf(a.stdout, "Dispatched in %s:\n", roundDuration(st.Elapsed))
	fmt.Fprintf(a.stdout, "  %s sent (%s found already sent after an unknown outcome)\n", commas(int64(st.Sent)), commas(int64(st.Found)))
	fmt.Fprintf(a.stdout, "  %s to retry later (%s with an unknown outcome, to look up first)\n", commas(int64(st.Retried)), commas(int64(st.Unknown)))
	fmt.Fprintf(a.stdout, "  %s failed: each has a caseworker task\n", commas(int64(st.Failed)))
	if st.Deferred > 0 {
		fmt.Fprintf(a.stdout, "  %s deferred (channel paused)\n", commas(int64(st.Deferred)))
	}
	if st.RecordErrors > 0 {
		fmt.Fprintf(a.stdout, "  %s outcomes not recorded: they are finished after the lease\n", commas(int64(st.RecordErrors)))
	}
	states, err := db.ChannelStates(ctx)
	if err != nil {
		return err
	}
	for _, cs := range states {
		line := fmt.Sprintf("  %s: %s pending, %s sent, %s failed", cs.Channel, commas(int64(cs.Pending)), commas(int64(cs.Sent)), commas(int64(cs.Failed)))
		if cs.PausedUntil != nil && cs.PausedUntil.After(a.clock.Now()) {
			line += fmt.Sprintf("; paused until %s after %d failures", cs.PausedUntil.Format(time.RFC3339), cs.ConsecutiveFailures)
		}
		fmt.Fprintln(a.stdout, line)
	}
	return nil
}
