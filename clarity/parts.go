package clarity

import (
	"regexp"
	"strings"
)

// The words Parts.Missing uses.
const (
	MissingWhatToDo = "what to do"
	MissingByWhen   = "by when"
	MissingIfNot    = "what happens if they do not"
	MissingHelp     = "how to get help"
)

// Verbs that start an instruction: "Call us", "Bring your passport".
var imperatives = set("go", "come", "call", "phone", "ring", "tell", "send",
	"bring", "report", "reply", "contact", "write", "visit", "fill", "sign",
	"attend", "keep", "check", "let", "apply", "complete", "return", "pay",
	"email", "e-mail", "text", "book", "arrange", "update", "register",
	"provide", "show", "use", "log", "submit", "upload", "print", "post",
	"follow", "ask", "remember", "read", "make", "take", "give", "wear",
	"arrive", "choose", "collect", "cancel", "confirm", "get", "stay", "talk",
	"speak", "answer", "renew", "enter", "download", "click", "quote",
	"hand", "tick", "include", "don't", "never", "always", "move", "find")

var whatToDoPhrases = [][]string{
	{"you", "must"}, {"you", "need", "to"}, {"you", "should"}, {"please"},
	{"you", "have", "to"}, {"you", "will", "need", "to"}, {"you'll", "need", "to"},
	{"we", "need", "you", "to"}, {"required", "to"}, {"you", "are", "asked", "to"},
	{"do", "not"}, {"you", "mustn't"},
}

var ifNotPhrases = [][]string{
	{"if", "you", "do", "not"}, {"if", "you", "don't"}, {"if", "you", "fail"},
	{"otherwise"}, {"if", "you", "cannot"}, {"if", "you", "can't"},
	{"if", "you", "can", "not"}, {"if", "you", "miss"}, {"if", "you", "are", "unable"},
	{"if", "you", "have", "not"}, {"if", "you", "haven't"}, {"unless", "you"},
	{"if", "we", "do", "not", "hear"}, {"if", "we", "don't", "hear"},
	{"if", "we", "have", "not", "heard"}, {"failure", "to"},
}

var helpPhrases = [][]string{
	{"help"}, {"helpline"}, {"helpdesk"}, {"advice"}, {"adviser"}, {"advisers"},
	{"advisor"}, {"interpreter"}, {"phone"}, {"telephone"}, {"call", "us"},
	{"contact", "us"}, {"ring", "us"}, {"email", "us"}, {"ask", "us"},
	{"text", "us"}, {"write", "to", "us"}, {"support"}, {"textphone"},
	{"relay", "uk"},
}

var weekdays = set("monday", "tuesday", "wednesday", "thursday", "friday",
	"saturday", "sunday", "mon", "tue", "tues", "wed", "thu", "thur", "thurs",
	"fri", "sat", "sun")

var months = set("january", "february", "march", "april", "may", "june",
	"july", "august", "september", "october", "november", "december", "jan",
	"feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec")

var dayWords = set("today", "tomorrow", "tonight", "midday", "midnight", "noon", "end")

var countWords = set("a", "an", "one", "two", "three", "four", "five", "six",
	"seven", "eight", "nine", "ten", "eleven", "twelve", "fourteen", "fifteen",
	"twenty", "thirty", "few")

var timeUnits = set("day", "days", "week", "weeks", "month", "months", "hour",
	"hours", "fortnight")

// ukPhone matches UK telephone numbers written in the usual ways:
// "0300 123 4567", "020 7946 0000", "0800 123 456", "+44 20 7946 0000".
var ukPhone = regexp.MustCompile(`(?:\+44\s?(?:\(0\)\s?)?\d|\b0\d)(?:[ \-]?\d){8,9}\b`)

func hasDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if isDigitByte(s[i]) {
			return true
		}
	}
	return false
}

func anySeq(toks []token, i int, seqs [][]string) bool {
	for _, s := range seqs {
		if toks[i].low == s[0] && sameSentenceSeq(toks, i, s) {
			return true
		}
	}
	return false
}

// sameSentenceSeq is seqAt without the spacing rule: "Please, call".
func sameSentenceSeq(toks []token, i int, words []string) bool {
	if i+len(words) > len(toks) {
		return false
	}
	for k, w := range words {
		if toks[i+k].low != w || toks[i+k].sent != toks[i].sent {
			return false
		}
	}
	return true
}

// next returns the token n after i in the same sentence, or nil.
func next(toks []token, i, n int) *token {
	if i+n < len(toks) && toks[i+n].sent == toks[i].sent {
		return &toks[i+n]
	}
	return nil
}

func isDateish(t *token) bool {
	return t != nil && (t.ph >= 0 || hasDigit(t.low) || weekdays[t.low] || months[t.low] || dayWords[t.low])
}

// hasWhatToDo: an obligation phrase, "please", or a sentence that starts
// with an imperative verb.
func hasWhatToDo(toks []token) bool {
	for i := range toks {
		if anySeq(toks, i, whatToDoPhrases) {
			return true
		}
		first := i == 0 || toks[i-1].sent != toks[i].sent
		if first && imperatives[toks[i].low] {
			return true
		}
	}
	return false
}

// hasByWhen: a deadline. See the package tests for what counts.
func hasByWhen(an *analysis, toks []token) bool {
	for i := range toks {
		t := &toks[i]
		n1 := next(toks, i, 1)
		switch t.low {
		case "before", "deadline":
			return true
		case "by", "until", "till":
			if isDateish(n1) {
				return true
			}
			if n1 != nil && (n1.low == "the" || n1.low == "next" || n1.low == "this") {
				n2 := next(toks, i, 2)
				if isDateish(n2) || n2 != nil && (n2.low == "date" || n2.low == "deadline" || n2.low == "week" || n2.low == "month" || n2.low == "weekend") {
					return true
				}
			}
		case "no":
			if sameSentenceSeq(toks, i, []string{"no", "later", "than"}) {
				return true
			}
		case "within":
			if n1 != nil && (hasDigit(n1.low) || countWords[n1.low] || strings.HasPrefix(n1.low, "twenty") || strings.HasPrefix(n1.low, "thirty")) {
				k := 2
				if n := next(toks, i, k); n != nil && (n.low == "working" || n.low == "calendar" || n.low == "business" || n.low == "clear") {
					k++
				}
				if n := next(toks, i, k); n != nil && timeUnits[n.low] {
					return true
				}
			}
		case "on":
			if n1 != nil && n1.ph >= 0 {
				name := an.phs[n1.ph].name
				if strings.Contains(name, "date") || strings.Contains(name, "day") {
					return true
				}
			}
			if n1 != nil && weekdays[n1.low] {
				return true
			}
		case "at":
			if n1 != nil && n1.ph >= 0 && strings.Contains(an.phs[n1.ph].name, "time") {
				return true
			}
		}
		// A weekday or month with a day number: "Monday 3 June", "3rd
		// June", "June 3".
		if weekdays[t.low] || months[t.low] {
			if n1 != nil && hasDigit(n1.low) {
				return true
			}
			if n1 != nil && n1.low == "the" {
				if n2 := next(toks, i, 2); n2 != nil && hasDigit(n2.low) {
					return true
				}
			}
		}
		if hasDigit(t.low) && n1 != nil && months[n1.low] {
			return true
		}
	}
	return false
}

func hasIfNot(toks []token) bool {
	for i := range toks {
		if anySeq(toks, i, ifNotPhrases) {
			return true
		}
	}
	return false
}

func hasHelp(an *analysis, toks []token) bool {
	for i := range toks {
		if anySeq(toks, i, helpPhrases) {
			return true
		}
	}
	return ukPhone.MatchString(an.a)
}

func checkParts(an *analysis, toks []token) *Parts {
	p := &Parts{
		WhatToDo: hasWhatToDo(toks),
		ByWhen:   hasByWhen(an, toks),
		IfNot:    hasIfNot(toks),
		Help:     hasHelp(an, toks),
	}
	if !p.WhatToDo {
		p.Missing = append(p.Missing, MissingWhatToDo)
	}
	if !p.ByWhen {
		p.Missing = append(p.Missing, MissingByWhen)
	}
	if !p.IfNot {
		p.Missing = append(p.Missing, MissingIfNot)
	}
	if !p.Help {
		p.Missing = append(p.Missing, MissingHelp)
	}
	return p
}
