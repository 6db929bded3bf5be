package sv

import (
	"bytes"
	"strings"
	"testing"

	"github.com/runit-go/runit/core/getopt"
)

// Main takes exactly the option letters of sv's Spec (its words are cmd/sv's).
func TestSpecLetters(t *testing.T) {
	svdir := t.TempDir()
	env := func(k string) (string, bool) { return svdir, k == "SVDIR" }
	accepts := func(word string) bool {
		var out, errb bytes.Buffer
		Main([]string{"sv", word, "1", "status", "no-such-service"}, env, &out, &errb)
		return !strings.Contains(errb.String(), "illegal option")
	}
	for _, problem := range getopt.Probe(getopt.Spec{Letters: Specs["sv"].Letters}, accepts) {
		t.Error(problem)
	}
}
