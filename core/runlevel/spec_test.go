package runlevel

import (
	"bytes"
	"strings"
	"testing"

	"github.com/runit-go/runit/core/getopt"
)

// Runsvchdir takes no options: any word is the runlevel to switch to (here one that does
// not exist, under a test directory).
func TestSpecs(t *testing.T) {
	base := t.TempDir()
	t.Chdir(base) // Runsvchdir changes to the base directory: back where the test was after it
	env := func(k string) string {
		if k == "RUNSVDIR" {
			return base
		}
		return ""
	}
	accepts := func(word string) bool {
		var out, errb bytes.Buffer
		Runsvchdir([]string{"runsvchdir", word}, env, &out, &errb)
		return !strings.Contains(errb.String(), "fatal: "+word+": ")
	}
	for _, problem := range getopt.Probe(Specs["runsvchdir"], accepts) {
		t.Error(problem)
	}
}
