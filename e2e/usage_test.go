package e2e

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/runit-go/runit/internal/testkit"
)

// The usage line each built tool prints against the option spec its package exports
// (the man pages are checked against the same specs in lint/).

// usagePersonality names the program that plays a role chosen by argv[0].
var usagePersonality = map[string]string{
	"envdir": "chpst", "envuidgid": "chpst", "pgrphack": "chpst", "setuidgid": "chpst",
	"softlimit": "chpst", "setlock": "chpst", "poweroff": "halt", "reboot": "halt",
}

// usageSpecs are the programs' exported option specs (lint/man_test.go reads the same).
var usageSpecs = testkit.Specs

// usageLine runs prog (or the program playing its role, through a link of its name) with
// an option no tool has and returns the usage line it prints. Tools that take a bad
// option as an operand (runsvdir, runsv, runsvchdir) print their usage when run without
// arguments; halt and shutdown are never run without arguments.
func usageLine(t *testing.T, prog string) string {
	t.Helper()
	var bin string
	if real, ok := usagePersonality[prog]; ok {
		bin = filepath.Join(t.TempDir(), prog)
		if err := os.Symlink(ourBin(t, real), bin); err != nil {
			t.Fatal(err)
		}
	} else {
		bin = ourBin(t, prog)
	}
	try := func(args ...string) string {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, bin, args...)
		cmd.Dir = t.TempDir()
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		_ = cmd.Run() // the exit code is each tool's business; the text is what counts
		for _, l := range strings.Split(out.String(), "\n") {
			if i := strings.Index(l, "usage: "); i >= 0 {
				return l[i+len("usage: "):]
			}
		}
		return ""
	}
	if prog == "runsvdir" { // it would run on a directory named "-\x01" until killed
		return try()
	}
	if u := try("-\x01"); u != "" {
		return u
	}
	switch prog {
	case "halt", "poweroff", "reboot", "shutdown":
		return ""
	}
	return try()
}

// usageOptions returns the options of a usage line: every character of each word that
// starts with one '-' (after '[', '|', or a space), so "[-ttv] [-r c] [-l|-L lock]" gives
// t, v, r, l, L; a long option "--name" gives "-name".
func usageOptions(usage string) []string {
	set := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?:^|[\[|\s])-([A-Za-z0-9/]+)`).FindAllStringSubmatch(usage, -1) {
		for _, c := range m[1] {
			set[string(c)] = true
		}
	}
	for _, m := range regexp.MustCompile(`(?:^|[\[|\s])--([A-Za-z0-9][A-Za-z0-9-]*)`).FindAllStringSubmatch(usage, -1) {
		set["-"+m[1]] = true
	}
	var out []string
	for c := range set {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}

func TestUsageOptionsParse(t *testing.T) {
	for _, tc := range []struct{ usage, want string }{
		{"sv [-v] [-w sec] command service ...", "v w"},
		{"svlogd [-ttv] [-r c] [-R abc] [-l len] [-b buflen] dir ...", "R b l r t v"},
		{"chpst [-vVP012] [-u user[:group]] [-/ root] [-l|-L lock] prog", "/ 0 1 2 L P V l u v"},
		{"setlock [ -nNxX ] file program [ arg ... ]", "N X n x"},
		{"runit-init 0|6", ""},
		{"runsvdir [-P] dir", "P"},
		{"sv [-v] [--json] [-w sec] command service ...", "-json v w"},
		{"halt [-fndw] [--dry-run]", "-dry-run d f n w"},
	} {
		if got := strings.Join(usageOptions(tc.usage), " "); got != tc.want {
			t.Errorf("usageOptions(%q) = %q, want %q", tc.usage, got, tc.want)
		}
	}
}

// Every option the built tools' usage lines show is in their spec: a check on the
// specs, which each package's tests hold against its parser, from the tools' own side.
func TestUsageOptionsInSpec(t *testing.T) {
	for _, ps := range usageSpecs {
		specs := ps.Specs
		for prog, spec := range specs {
			t.Run(prog, func(t *testing.T) {
				names := map[string]bool{}
				for _, o := range spec.Names() {
					names[o] = true
				}
				if usage := usageLine(t, prog); usage != "" {
					for _, o := range usageOptions(usage) {
						if !names[o] {
							t.Errorf("%s's usage line (%s) shows -%s, which its spec does not list", prog, usage, o)
						}
					}
				}
			})
		}
	}
}
