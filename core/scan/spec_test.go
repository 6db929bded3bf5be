package scan

import (
	"testing"

	"github.com/runit-go/runit/core/getopt"
)

// parseOptions takes exactly the options of runsvdir's Spec: an option is taken and the
// options go on after it; any other word is the directory, or ends the options as "--"
// does (C runsvdir takes any word starting with "--" so).
func TestSpecs(t *testing.T) {
	accepts := func(word string) bool {
		args := []string{word, "-C", "dir"}
		parseOptions(&args)
		return len(args) == 1 && args[0] == "dir"
	}
	for _, problem := range getopt.Probe(Specs["runsvdir"], accepts) {
		t.Error(problem)
	}
}
