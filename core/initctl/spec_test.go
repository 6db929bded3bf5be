package initctl

import (
	"bytes"
	"strings"
	"testing"

	"github.com/runit-go/runit/core/getopt"
)

// Each program takes exactly the options of its Spec. The controller is always the
// recorder and the run always dry, so that no probe can reach the machine, whatever the
// parser does with it.
func TestSpecs(t *testing.T) {
	root := t.TempDir()
	env := func(k string) string {
		if k == ShutdownRootEnv {
			return root
		}
		return ""
	}
	newCtl := func(bool) Controller { return &recorder{} }
	// argv is the probed word, with --dry-run when it is not the word.
	argv := func(prog, word string) []string {
		if word == DryRunFlag {
			return []string{prog, word}
		}
		return []string{prog, word, DryRunFlag}
	}
	accepts := map[string]func(prog, word string) bool{
		"halt": func(prog, word string) bool {
			var out, errb bytes.Buffer
			Halt(argv(prog, word), newCtl, &out, &errb)
			return !strings.Contains(errb.String(), "illegal option")
		},
		"shutdown": func(prog, word string) bool {
			var out, errb bytes.Buffer
			Shutdown(argv(prog, word), newCtl, &out, &errb, env)
			return !strings.Contains(errb.String(), "illegal option")
		},
		// runit-init prints its usage for any word but 0 and 6: an option adds to it.
		"runit-init": func(prog, word string) bool {
			var errb bytes.Buffer
			RunitInit([]string{prog, word}, &recorder{}, &errb, DefaultPaths(), nil)
			return errb.String() != "usage: "+prog+" 0|6\n\n"
		},
		// pause takes no argument at all: any is a usage error.
		"pause": func(prog, word string) bool {
			var errb bytes.Buffer
			return Pause([]string{prog, word}, &errb) != 1 || errb.String() != "usage: pause\n\n"
		},
	}
	accepts["poweroff"], accepts["reboot"] = accepts["halt"], accepts["halt"]
	for prog, spec := range Specs {
		a, ok := accepts[prog]
		if !ok {
			t.Errorf("%s: no probe for its parser", prog)
			continue
		}
		for _, problem := range getopt.Probe(spec, func(w string) bool { return a(prog, w) }) {
			t.Errorf("%s: %s", prog, problem)
		}
	}
}
