package clarity

import "strings"

func set(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

var beForms = set("am", "is", "are", "was", "were", "be", "been", "being",
	"isn't", "aren't", "wasn't", "weren't")

// auxiliaries that can come before "be" or "been" and belong to the phrase.
var beAux = set("will", "would", "shall", "should", "can", "could", "may",
	"might", "must", "has", "have", "had", "having", "won't", "can't",
	"cannot", "shan't", "wouldn't", "shouldn't", "couldn't", "hasn't",
	"haven't", "hadn't", "mustn't")

var passiveAdverbs = set("not", "never", "already", "also", "now", "then",
	"still", "just", "only", "always", "often", "usually", "hereby", "since",
	"once", "yet", "soon", "all", "both")

var irregularParticiples = set("sent", "given", "made", "taken", "seen",
	"done", "known", "held", "paid", "told", "found", "kept", "written",
	"shown", "chosen", "brought", "bought", "built", "caught", "cut", "drawn",
	"driven", "eaten", "fallen", "felt", "forgotten", "forgiven", "frozen",
	"got", "gotten", "hidden", "heard", "hurt", "laid", "led", "left", "lent",
	"lost", "meant", "met", "put", "read", "said", "set", "shut", "sold",
	"spent", "spoken", "stolen", "struck", "taught", "thought", "thrown",
	"understood", "withdrawn", "won", "worn", "beaten", "begun", "bound",
	"broken", "dealt", "sought", "upheld", "undertaken", "withheld", "born",
	"borne", "sworn", "torn", "proven", "overseen", "overtaken", "rewritten",
	"resent", "remade", "retaken", "forbidden", "mistaken", "arisen", "bent",
	"fed", "fled", "hung", "shot", "sewn", "shaken", "slept",
	"spun", "split", "spread", "stuck", "swept", "sung", "wound", "woven")

// words ending in -ed that are not past participles.
var notParticiples = set("need", "indeed", "speed", "seed", "feed", "bed",
	"red", "shed", "hundred", "sacred", "breed", "greed", "weed", "embed",
	"naked", "wicked", "ragged", "rugged", "kindred", "steed", "reed", "bred")

func isParticiple(low string) bool {
	if irregularParticiples[low] {
		return true
	}
	return len(low) > 3 && strings.HasSuffix(low, "ed") && !notParticiples[low]
}

func isPassiveAdverb(low string) bool {
	return passiveAdverbs[low] || (len(low) > 4 && strings.HasSuffix(low, "ly"))
}

// findPassive hints at the passive voice: a form of "be" (with "will",
// "has" and so on before it), optionally one adverb, and a past participle,
// with a following "by" included ("has been decided by").
func findPassive(an *analysis, toks []token) []Finding {
	var out []Finding
	for i := 0; i < len(toks); i++ {
		if !beForms[toks[i].low] {
			continue
		}
		// Chain further forms of be: "is being", "will be being".
		j := i
		for j+1 < len(toks) && toks[j+1].join && beForms[toks[j+1].low] {
			j++
		}
		k := j + 1
		if k < len(toks) && toks[k].join && isPassiveAdverb(toks[k].low) && !isParticiple(toks[k].low) {
			k++
		}
		if k >= len(toks) || !toks[k].join || !isParticiple(toks[k].low) {
			i = j // a later form of be in the chain would fail the same way
			continue
		}
		// The phrase starts at an auxiliary before be: "will be", "has
		// already been".
		start := i
		if i > 0 && toks[i].join {
			switch {
			case beAux[toks[i-1].low]:
				start = i - 1
			case i > 1 && toks[i-1].join && isPassiveAdverb(toks[i-1].low) && beAux[toks[i-2].low]:
				start = i - 2
			}
		}
		end := k
		if k+1 < len(toks) && toks[k+1].join && toks[k+1].low == "by" {
			end = k + 1
		}
		sp := an.span(toks[start].s, toks[end].e)
		out = append(out, Finding{Span: sp, Phrase: an.orig[sp.Start:sp.End], Suggestion: "Say who does it: \"we will send\" rather than \"it will be sent\".", Sentence: toks[start].sent + 1})
		i = end
	}
	return out
}
