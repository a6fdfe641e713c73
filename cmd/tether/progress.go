package main

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"
)

// progress shows how a long job goes on stderr: a line rewritten in place
// at most four times a second on a terminal, else a plain line every few
// seconds, so that logs stay readable.
type progress struct {
	w     io.Writer
	tty   bool
	every time.Duration
	start time.Time
	last  time.Time
	// open is true while a rewritable line is on the terminal.
	open bool
}

func newProgress(w io.Writer) *progress {
	p := &progress{w: w, tty: isTerminal(w), every: 2 * time.Second, start: time.Now()}
	if p.tty {
		p.every = 250 * time.Millisecond
	}
	p.last = p.start
	return p
}

// due reports whether it is time for another update.
func (p *progress) due() bool { return time.Since(p.last) >= p.every }

// show writes an update.
func (p *progress) show(line string) {
	p.last = time.Now()
	if p.tty {
		fmt.Fprintf(p.w, "\r%s\033[K", line)
		p.open = true
		return
	}
	fmt.Fprintln(p.w, line)
}

// println writes a line of its own (a rejected row), clearing an update
// that is on the terminal.
func (p *progress) println(line string) {
	if p.open {
		fmt.Fprint(p.w, "\r\033[K")
		p.open = false
	}
	fmt.Fprintln(p.w, line)
}

// done ends the in-place line.
func (p *progress) done() {
	if p.open {
		fmt.Fprintln(p.w)
		p.open = false
	}
}

func (p *progress) elapsed() time.Duration { return time.Since(p.start) }

// rate is n per second over d.
func rate(n int64, d time.Duration) int64 {
	if d <= 0 {
		return 0
	}
	return int64(float64(n) / d.Seconds())
}

// commas writes n with thousands separators: 1,234,567.
func commas(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// megabytes writes a size in bytes as "12.3 MB".
func megabytes(n int64) string {
	return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MB"
}

// roundDuration rounds for people: 1.2s, 1m3s.
func roundDuration(d time.Duration) time.Duration {
	switch {
	case d < time.Second:
		return d.Round(time.Millisecond)
	case d < time.Minute:
		return d.Round(100 * time.Millisecond)
	}
	return d.Round(time.Second)
}

// rss reads this process's resident memory and its peak (VmRSS and VmHWM
// in /proc/self/status), in bytes; zero where it cannot tell.
func rss() (current, peak int64) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, 0
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		f := strings.Fields(value)
		if len(f) != 2 || f[1] != "kB" {
			continue
		}
		kb, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil {
			continue
		}
		switch name {
		case "VmRSS":
			current = kb << 10
		case "VmHWM":
			peak = kb << 10
		}
	}
	return current, peak
}
