package getopt

import (
	"reflect"
	"strings"
	"testing"
)

func TestSpecNames(t *testing.T) {
	s := Spec{Letters: "w:vV", Words: []string{"--json"}}
	if got, want := s.Names(), []string{"w", "v", "V", "-json"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Names() = %q, want %q", got, want)
	}
}

// A parser built on Parse with the spec's letters agrees with it; one that takes a
// letter more, a letter less, a word less or any word is reported.
func TestProbe(t *testing.T) {
	spec := Spec{Letters: "w:vV", Words: []string{"--json"}}
	parser := func(letters string, words ...string) func(string) bool {
		return func(word string) bool {
			for _, w := range words {
				if word == w {
					return true
				}
			}
			ok := true
			Parse([]string{"p", word, "1"}, letters, func(byte, string) bool { return true }, func(string) { ok = false })
			return ok
		}
	}
	for _, c := range []struct {
		name   string
		accept func(string) bool
		want   []string
	}{
		{"same", parser("w:vV", "--json"), nil},
		{"extra letter", parser("w:vVq", "--json"), []string{"accepts -q,"}},
		{"missing letter", parser("w:V", "--json"), []string{"lists -v,"}},
		{"missing word", parser("w:vV"), []string{"lists --json,"}},
		{"any word", func(w string) bool { return strings.HasPrefix(w, "--") || parser("w:vV")(w) }, []string{"accepts --no-such-option,"}},
	} {
		got := Probe(spec, c.accept)
		if len(got) != len(c.want) {
			t.Errorf("%s: Probe = %q, want %d problems like %q", c.name, got, len(c.want), c.want)
			continue
		}
		for i, w := range c.want {
			if !strings.Contains(got[i], w) {
				t.Errorf("%s: problem %q, want one with %q", c.name, got[i], w)
			}
		}
	}
}
