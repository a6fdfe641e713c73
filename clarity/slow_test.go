package clarity

import (
	"strings"
	"testing"
	"time"
)

// TestSlowInputs guards against quadratic blow-ups on pathological input
// (the fuzzer once timed out on a run of "is is is ..."). The bound is
// generous so that a loaded machine does not fail it.
func TestSlowInputs(t *testing.T) {
	for _, s := range []string{
		strings.Repeat("((", 5000), strings.Repeat("(( ", 5000), strings.Repeat("((a??", 3000) + strings.Repeat("))", 3000),
		strings.Repeat("((a??", 3000), strings.Repeat("a.", 10000), strings.Repeat("e.g. ", 5000), strings.Repeat("- ", 5000),
		strings.Repeat("by ", 5000), strings.Repeat("is ", 5000), strings.Repeat("((a))", 3000), strings.Repeat("\n", 10000),
	} {
		st := time.Now()
		Check(s, Options{AsksToAct: true, SMS: true})
		if d := time.Since(st); d > 2*time.Second {
			t.Errorf("%q... (%d bytes) took %v", s[:10], len(s), d)
		}
	}
}
