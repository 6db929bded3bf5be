package chpst

import (
	"strings"
	"testing"

	"github.com/runit-go/runit/core/getopt"
)

// Parse takes exactly the options of each program's Spec.
func TestSpecs(t *testing.T) {
	// The first operand of the personalities that take no options: a word there is no option.
	operand := map[string]func(*Plan) string{
		"envdir":    func(p *Plan) string { return *p.EnvDir },
		"envuidgid": func(p *Plan) string { return *p.EnvUser },
		"setuidgid": func(p *Plan) string { return *p.SetUser },
		"pgrphack":  func(p *Plan) string { return p.Args[0] },
	}
	for prog, spec := range Specs {
		if Personality(prog) != prog {
			t.Errorf("%s: Specs names a program Parse does not know", prog)
		}
		accepts := func(word string) bool {
			p, out := Parse([]string{prog, word, "1", "file", "prog"})
			if first, ok := operand[prog]; ok {
				return p == nil || first(p) != word
			}
			return out == nil || !strings.Contains(out.Stderr, "illegal option")
		}
		for _, problem := range getopt.Probe(spec, accepts) {
			t.Errorf("%s: %s", prog, problem)
		}
	}
	if len(Specs) != 7 {
		t.Errorf("Specs has %d programs, want chpst and its six personalities", len(Specs))
	}
}
