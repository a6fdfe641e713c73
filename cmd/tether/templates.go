package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"tether"
	"tether/calendar"
	"tether/clarity"
	"tether/compose"
	"tether/store"
)

func templatesCheckCommand() *command {
	return &command{
		name:    "templates check",
		args:    "FILE...",
		summary: "check templates for clarity and placeholders, and print the findings",
		help: `
Runs the clarity gate on each template: Flesch reading ease and
Flesch-Kincaid grade (with the reading age), sentences over 25 words with
their positions, long or official words with plainer ones, passive voice
hints, and for a template that asks the person to act, the four parts (what
to do, by when, what happens if they do not, how to get help). A text
message also gets its length, encoding (GSM or not) and number of parts.

FILE is a JSON template in the starter set's shape (key, title, kind,
channel, asks_to_act, placeholders, versions: [{language, subject, body}]),
a JSON array of them, or a plain text file: then -channel and -asks-to-act
say what it is. The exit status is 1 when any version is below the bar.

Examples:
  tether templates check reporting-notice.json
  tether templates check -channel sms -asks-to-act reminder.txt`,
		setup: func(a *app, fs *flags) func(context.Context, []string) error {
			channel := fs.FlagSet.String("channel", tether.ChannelLetter, "for a plain text file: letter, email or sms")
			asks := fs.FlagSet.Bool("asks-to-act", false, "for a plain text file: it asks the person to act")
			minEase := fs.Float(settingMinReadingEase)
			maxGrade := fs.Float(settingMaxGrade)
			return func(ctx context.Context, args []string) error {
				if len(args) == 0 {
					return usagef("templates check: name at least one FILE")
				}
				bar := clarity.DefaultBar()
				bar.MinReadingEase, bar.MaxGrade = *minEase, *maxGrade
				failed := 0
				for _, path := range args {
					ts, err := readTemplates(path, *channel, *asks)
					if err != nil {
						return err
					}
					for _, t := range ts {
						for _, v := range t.Versions {
							if !printCheck(a.stdout, path, t, v, bar) {
								failed++
							}
						}
					}
				}
				if failed > 0 {
					fmt.Fprintf(a.stdout, "%d version(s) below the bar.\n", failed)
					return &exitError{1}
				}
				return nil
			}
		},
	}
}

// readTemplates reads a template file as the check command takes it.
func readTemplates(path, channel string, asks bool) ([]*tether.Template, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var starters []compose.StarterTemplate
	trimmed := strings.TrimSpace(string(data))
	switch {
	case strings.HasPrefix(trimmed, "["):
		err = json.Unmarshal(data, &starters)
	case strings.HasPrefix(trimmed, "{") && strings.EqualFold(filepath.Ext(path), ".json"):
		var s compose.StarterTemplate
		err = json.Unmarshal(data, &s)
		starters = append(starters, s)
	default:
		names, perr := compose.Placeholders(string(data))
		if perr != nil {
			return nil, fmt.Errorf("%s: %w", path, perr)
		}
		starters = append(starters, compose.StarterTemplate{Key: filepath.Base(path), Channel: channel, AsksToAct: asks,
			Placeholders: names, Versions: []compose.StarterVersion{{Language: "en", Body: string(data)}}})
	}
	if err != nil {
		return nil, fmt.Errorf("%s: not a template file: %w", path, err)
	}
	var out []*tether.Template
	for _, s := range starters {
		t := &tether.Template{Key: s.Key, Title: s.Title, Kind: s.Kind, Channel: s.Channel, AsksToAct: s.AsksToAct, Placeholders: s.Placeholders}
		for _, v := range s.Versions {
			t.Versions = append(t.Versions, &tether.TemplateVersion{Language: v.Language, Subject: v.Subject, Body: v.Body})
		}
		out = append(out, t)
	}
	return out, nil
}

// printCheck prints the findings for one version and reports whether it
// reaches the bar (and its placeholders are sound).
func printCheck(w io.Writer, path string, t *tether.Template, v *tether.TemplateVersion, bar clarity.Bar) bool {
	ok := true
	fmt.Fprintf(w, "%s: %s (%s, %s)\n", path, t.Key, t.Channel, v.Language)
	for _, text := range []string{v.Subject, v.Body} {
		if text == "" {
			continue
		}
		if err := compose.Check(text, t.Placeholders); err != nil {
			fmt.Fprintf(w, "  PLACEHOLDERS: %v\n", err)
			ok = false
		}
	}
	r := store.CheckTemplate(t, v, bar)
	if r.Translation {
		fmt.Fprintf(w, "  %d words in %d sentences; reading ease not measured (English only)\n", r.Words, r.Sentences)
	} else {
		fmt.Fprintf(w, "  reading ease %.1f (bar %.0f), grade %.1f (bar %.0f), reading age %d; %d words in %d sentences\n",
			r.ReadingEase, bar.MinReadingEase, r.Grade, bar.MaxGrade, r.ReadingAge, r.Words, r.Sentences)
	}
	for _, n := range r.Notes {
		fmt.Fprintf(w, "  NOT CHECKED: %s\n", n)
	}
	for _, s := range r.LongSentences {
		fmt.Fprintf(w, "  long sentence %d (%d words) at byte %d: %q\n", s.Index, s.Words, s.Start, clipText(s.Text, 80))
	}
	for _, f := range r.Jargon {
		fmt.Fprintf(w, "  sentence %d: %q: try %q\n", f.Sentence, f.Phrase, f.Suggestion)
	}
	for _, f := range r.Passive {
		fmt.Fprintf(w, "  sentence %d: %q may be passive: say who does it\n", f.Sentence, f.Phrase)
	}
	if r.Parts != nil && len(r.Parts.Missing) > 0 {
		fmt.Fprintf(w, "  asks the person to act but does not say: %s\n", strings.Join(r.Parts.Missing, "; "))
	}
	if r.SMS != nil {
		fmt.Fprintf(w, "  text message: %d characters, %s, %d part(s)\n", r.SMS.Characters, r.SMS.Encoding, r.SMS.Parts)
	}
	if r.PassesBar {
		fmt.Fprintln(w, "  PASSES the bar")
	} else {
		ok = false
		for _, p := range r.Problems {
			fmt.Fprintf(w, "  BELOW THE BAR: %s\n", p)
		}
	}
	return ok
}

func clipText(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func templatesSeedCommand() *command {
	return &command{
		name:    "templates seed",
		summary: "add the starter set of templates, published, to the database",
		help: `
Adds each starter template whose key is not yet in the database, with its
versions published. Running it again adds nothing.

Examples:
  tether templates seed`,
		setup: func(a *app, fs *flags) func(context.Context, []string) error {
			dsn := fs.String(settingDB)
			return func(ctx context.Context, args []string) error {
				if err := noArgs("templates seed", args); err != nil {
					return err
				}
				return a.withDB(ctx, *dsn, tether.CLIActor("templates"), func(ctx context.Context, db *store.DB) error {
					n, err := db.SeedTemplates(ctx)
					if err != nil {
						return err
					}
					fmt.Fprintf(a.stdout, "Added %d template(s).\n", n)
					return nil
				})
			}
		},
	}
}

func templatesListCommand() *command {
	return &command{
		name:    "templates list",
		summary: "list templates and their published versions",
		help: `
Prints each template's key, channel, kind and, per language, the published
version with its reading ease and grade.

Examples:
  tether templates list`,
		setup: func(a *app, fs *flags) func(context.Context, []string) error {
			dsn := fs.String(settingDB)
			return func(ctx context.Context, args []string) error {
				if err := noArgs("templates list", args); err != nil {
					return err
				}
				return a.withDB(ctx, *dsn, tether.CLIActor("templates"), func(ctx context.Context, db *store.DB) error {
					ts, err := db.FindTemplates(ctx)
					if err != nil {
						return err
					}
					for _, t := range ts {
						fmt.Fprintf(a.stdout, "%-36s %-7s %-24s", t.Key, t.Channel, t.Kind)
						var live []string
						for _, v := range t.Versions {
							if v.State == tether.TemplateStatePublished || v.State == tether.TemplateStatePublishedOver {
								s := fmt.Sprintf("%s v%d (ease %.0f, grade %.1f)", v.Language, v.Number, v.ReadingEase, v.Grade)
								if v.Clarity != nil && v.Clarity.Translation {
									s = fmt.Sprintf("%s v%d (not measured)", v.Language, v.Number)
								}
								if v.State == tether.TemplateStatePublishedOver {
									s += " BELOW THE BAR"
								}
								live = append(live, s)
							}
						}
						if len(live) == 0 {
							live = []string{"no published version"}
						}
						fmt.Fprintln(a.stdout, strings.Join(live, "; "))
					}
					return nil
				})
			}
		},
	}
}

func holidaysLoadCommand() *command {
	return &command{
		name:    "holidays load",
		args:    "FILE",
		summary: "add bank holidays from a file in GOV.UK's bank-holidays.json format",
		help: `
Reads one object per division (england-and-wales, scotland,
northern-ireland), each with events: [{title, date, notes, bunting}], as
published at https://www.gov.uk/bank-holidays.json, and adds them to the
holidays the binary ships with: new years, or one-off holidays. A division's
years in the file replace those years' holidays. Loading the same file again
adds nothing. Deemed-served dates already given are not changed.

Open enquiries whose working days a changed holiday falls in have their
due dates worked out again, and their warnings by the enquiry standards in
force (-enquiry-standards).

Examples:
  curl -sO https://www.gov.uk/bank-holidays.json && tether holidays load bank-holidays.json`,
		setup: func(a *app, fs *flags) func(context.Context, []string) error {
			dsn := fs.String(settingDB)
			es := bindEnquiryStandards(fs)
			return func(ctx context.Context, args []string) error {
				if len(args) != 1 {
					return usagef("holidays load: name one FILE")
				}
				data, err := os.ReadFile(args[0])
				if err != nil {
					return err
				}
				h, err := calendar.ParseGovUK(data)
				if err != nil {
					return fmt.Errorf("%s: %w", args[0], err)
				}
				return a.withEnquiryDB(ctx, *dsn, tether.CLIActor("holidays"), es, func(ctx context.Context, db *store.DB) error {
					n, err := db.LoadHolidays(ctx, h, filepath.Base(args[0]))
					if err != nil {
						return err
					}
					fmt.Fprintf(a.stdout, "Added or moved %d holiday(s).\n", n)
					return nil
				})
			}
		},
	}
}

func holidaysShowCommand() *command {
	return &command{
		name:    "holidays show",
		summary: "print the bank holidays in force for a division and year",
		help: `
Prints the holidays in force (those shipped with the binary and those
loaded) for one division and year.

Examples:
  tether holidays show -division scotland -year 2026`,
		setup: func(a *app, fs *flags) func(context.Context, []string) error {
			dsn := fs.String(settingDB)
			div := fs.FlagSet.String("division", calendar.EnglandAndWales, "england-and-wales, scotland or northern-ireland")
			year := fs.FlagSet.Int("year", 0, "the year; 0 for this year")
			return func(ctx context.Context, args []string) error {
				if err := noArgs("holidays show", args); err != nil {
					return err
				}
				if !calendar.ValidDivision(*div) {
					return usagef("-division must be england-and-wales, scotland or northern-ireland")
				}
				y := *year
				if y == 0 {
					y = a.clock.Now().Year()
				}
				return a.withDB(ctx, *dsn, tether.CLIActor("holidays"), func(ctx context.Context, db *store.DB) error {
					h, err := db.Holidays(ctx)
					if err != nil {
						return err
					}
					n := 0
					for _, e := range h.Events(*div) {
						if e.Date.Year == y {
							fmt.Fprintf(a.stdout, "%s  %s", e.Date.Long(), e.Title)
							if e.Notes != "" {
								fmt.Fprintf(a.stdout, " (%s)", e.Notes)
							}
							fmt.Fprintln(a.stdout)
							n++
						}
					}
					if n == 0 {
						fmt.Fprintf(a.stdout, "No holidays known for %s in %s.\n", calendar.DivisionName(*div), strconv.Itoa(y))
					}
					return nil
				})
			}
		},
	}
}
