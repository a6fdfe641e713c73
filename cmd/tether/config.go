package main

import (
	"flag"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
)

// A setting is one configuration value with one definition for both its
// flag and its environment variable. The flag wins; the environment
// variable, when set, is the flag's default.
type setting struct {
	Flag    string
	Env     string
	Default string
	Usage   string
	// Secret settings never show their value in help.
	Secret bool
}

// The settings. Commands bind the ones they use.
var (
	settingDB = setting{Flag: "db", Env: "TETHER_DB", Default: "tether.db",
		Usage: "the database: a SQLite file path, or a postgres:// DSN"}
	settingAddr = setting{Flag: "addr", Env: "TETHER_ADDR", Default: "127.0.0.1:8080",
		Usage: "the address to listen on, host:port"}
	settingLogLevel = setting{Flag: "log-level", Env: "TETHER_LOG_LEVEL", Default: "info",
		Usage: "the least important log level written: debug, info, warn or error"}
	settingSecureCookies = setting{Flag: "secure-cookies", Env: "TETHER_SECURE_COOKIES", Default: "false",
		Usage: "mark cookies Secure; turn on whenever Tether is reached over HTTPS"}
	settingTrustedOrigins = setting{Flag: "trusted-origins", Env: "TETHER_TRUSTED_ORIGINS", Default: "",
		Usage: "comma-separated origins allowed to send cross-origin requests, like https://admin.example.org"}
	settingPassword = setting{Flag: "password", Env: "TETHER_PASSWORD", Default: "", Secret: true,
		Usage: "the password; better from the environment or the prompt, since flags show in process lists"}
)

// allSettings lists the settings for the overview help.
var allSettings = []setting{settingDB, settingAddr, settingLogLevel, settingSecureCookies, settingTrustedOrigins, settingPassword,
	settingEnquiryStandards}

// flags is a command's flag set, bound to the environment.
type flags struct {
	*flag.FlagSet
	lookupEnv func(string) (string, bool)
	// envErrs are environment values that could not be read, reported
	// after parsing.
	envErrs []error
}

func (f *flags) usage(s setting) string {
	return s.Usage + " [$" + s.Env + "]"
}

func (f *flags) env(s setting) string {
	if v, ok := f.lookupEnv(s.Env); ok && v != "" {
		return v
	}
	return s.Default
}

// String binds a string setting.
func (f *flags) String(s setting) *string {
	p := f.FlagSet.String(s.Flag, f.env(s), f.usage(s))
	fl := f.Lookup(s.Flag)
	switch {
	case s.Secret:
		fl.DefValue = ""
	case s.Flag == settingDB.Flag:
		fl.DefValue = redactDSN(fl.DefValue)
	}
	return p
}

// Bool binds a boolean setting.
func (f *flags) Bool(s setting) *bool {
	v, err := strconv.ParseBool(f.env(s))
	if err != nil {
		f.envErrs = append(f.envErrs, fmt.Errorf("$%s: %q is not true or false", s.Env, f.env(s)))
	}
	return f.FlagSet.Bool(s.Flag, v, f.usage(s))
}

// Float binds a decimal setting.
func (f *flags) Float(s setting) *float64 {
	v, err := strconv.ParseFloat(f.env(s), 64)
	if err != nil {
		f.envErrs = append(f.envErrs, fmt.Errorf("$%s: %q is not a number", s.Env, f.env(s)))
	}
	return f.FlagSet.Float64(s.Flag, v, f.usage(s))
}

// redactDSN hides the password of a postgres:// DSN, so that help never
// shows it.
func redactDSN(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.User == nil {
		return dsn
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

func parseLogLevel(s string) (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(strings.TrimSpace(s))); err != nil {
		return 0, fmt.Errorf("log level %q: use debug, info, warn or error", s)
	}
	return l, nil
}

func splitList(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' }) {
		out = append(out, f)
	}
	return out
}
