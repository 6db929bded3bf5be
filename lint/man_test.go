package lint

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/runit-go/runit/internal/testkit"
)

// manPages maps every program name a user can type to the page that documents it.
var manPages = map[string]string{
	"runit": "runit.8", "runit-init": "runit-init.8", "runsvdir": "runsvdir.8",
	"runsv": "runsv.8", "sv": "sv.8", "svlogd": "svlogd.8", "chpst": "chpst.8",
	"utmpset": "utmpset.8", "runsvchdir": "runsvchdir.8",
	"envdir": "envdir.8", "envuidgid": "envuidgid.8", "pgrphack": "pgrphack.8",
	"setuidgid": "setuidgid.8", "softlimit": "softlimit.8", "setlock": "setlock.8",
	"halt": "halt.8", "poweroff": "halt.8", "reboot": "halt.8",
	"shutdown": "shutdown.8", "pause": "pause.8",
}

func manPath(page string) string { return filepath.Join(repoRoot, "docs", "man", page) }

// Every page lints clean: mandoc -Tlint at warning level, or groff -ww when mandoc is
// missing. CI installs mandoc; elsewhere a machine with neither skips.
func TestManLint(t *testing.T) {
	pages, _ := filepath.Glob(manPath("*.8"))
	if len(pages) == 0 {
		t.Fatal("no pages in docs/man")
	}
	mandoc, errM := exec.LookPath("mandoc")
	groff, errG := exec.LookPath("groff")
	switch {
	case errM == nil:
	case errG == nil:
		t.Log("mandoc not installed: linting with groff -ww")
	case strictTests():
		t.Fatal("neither mandoc nor groff installed; CI must install mandoc")
	default:
		t.Skip("neither mandoc nor groff installed (apt-get install mandoc)")
	}
	for _, p := range pages {
		var r result
		if errM == nil {
			r = run(t, "", nil, mandoc, "-Tlint", "-W", "warning", p)
		} else {
			r = run(t, "", nil, groff, "-ww", "-mdoc", "-z", p)
		}
		if r.code != 0 || strings.TrimSpace(r.stdout+r.stderr) != "" {
			t.Errorf("%s is not lint clean:\n%s%s", filepath.Base(p), r.stdout, r.stderr)
		}
	}
}

// Every program has a page naming it in NAME, and every page belongs to a program.
func TestManPageForEveryProgram(t *testing.T) {
	used := map[string]bool{}
	for prog, page := range manPages {
		src := readFile(manPath(page))
		if src == "" {
			t.Errorf("%s: no page docs/man/%s", prog, page)
			continue
		}
		used[page] = true
		if !regexp.MustCompile(`(?m)^\.Nm ` + regexp.QuoteMeta(prog) + `( ,)?$`).MatchString(src) {
			t.Errorf("%s does not name %s in its NAME section", page, prog)
		}
	}
	pages, _ := filepath.Glob(manPath("*.8"))
	for _, p := range pages {
		if !used[filepath.Base(p)] {
			t.Errorf("docs/man/%s documents no installed program", filepath.Base(p))
		}
	}
}

// manSpecs are the exported option specs, by the package that exports them.
var manSpecs = testkit.Specs

// manSpec is one program's options as its spec lists them, each with the spec's name.
func manSpec(prog string) (map[string]string, bool) {
	for _, p := range manSpecs {
		if s, ok := p.Specs[prog]; ok {
			opts := map[string]string{}
			for _, o := range s.Names() {
				opts[o] = p.Pkg
			}
			return opts, true
		}
	}
	return nil, false
}

var manFl = regexp.MustCompile(`\bFl (\S+)`)

// manDocumented returns the options a page documents: every "Fl x" of its ".It" lines,
// with mdoc's "\-" read as "-".
func manDocumented(page string) map[string]bool {
	set := map[string]bool{}
	for _, l := range strings.Split(page, "\n") {
		if !strings.HasPrefix(l, ".It ") {
			continue
		}
		for _, m := range manFl.FindAllStringSubmatch(l, -1) {
			set[strings.ReplaceAll(m[1], `\-`, "-")] = true
		}
	}
	return set
}

// manCheck compares the options of a program's spec with those of a page, both ways.
func manCheck(prog, page string, spec map[string]string, doc map[string]bool) []string {
	var problems []string
	var opts []string
	for o := range spec {
		opts = append(opts, o)
	}
	sort.Strings(opts)
	for _, o := range opts {
		if !doc[o] {
			problems = append(problems, fmt.Sprintf("%s: option -%s (in %s) is not documented in %s (want an \".It Fl %s\" item)",
				prog, o, spec[o], page, strings.ReplaceAll(o, "-", `\-`)))
		}
	}
	var docs []string
	for o := range doc {
		docs = append(docs, o)
	}
	sort.Strings(docs)
	for _, o := range docs {
		if _, ok := spec[o]; !ok {
			problems = append(problems, fmt.Sprintf("%s: %s documents -%s, which its spec does not list", prog, page, o))
		}
	}
	return problems
}

func manAllPrograms() []string {
	progs := make([]string, 0, len(manPages))
	for p := range manPages {
		progs = append(progs, p)
	}
	sort.Strings(progs)
	return progs
}

// Every option a tool's spec lists is documented in an item of its page's lists
// (".It Fl x ..."), and every option a page documents is in the spec. The specs are
// those the programs export (see manSpecs), each checked against its parser by its
// package's tests, so a new option without documentation fails here. Every program has
// a spec, and every spec is a program's. (That the options the built tools' usage lines
// show are in their specs is e2e's TestUsageOptionsInSpec.)
func TestManOptionsDocumented(t *testing.T) {
	for _, p := range manSpecs {
		for prog := range p.Specs {
			if _, ok := manPages[prog]; !ok {
				t.Errorf("%s has a spec for %s, which has no page in manPages", p.Pkg, prog)
			}
		}
	}
	for _, prog := range manAllPrograms() {
		t.Run(prog, func(t *testing.T) {
			page := manPages[prog]
			spec, ok := manSpec(prog)
			if !ok {
				t.Fatalf("%s exports no option spec (a Specs entry in its core package)", prog)
			}
			var found []string
			for o, pkg := range spec {
				found = append(found, "-"+o+" ("+pkg+")")
			}
			sort.Strings(found)
			t.Logf("options in the spec: %s", strings.Join(found, " "))
			for _, p := range manCheck(prog, page, spec, manDocumented(readFile(manPath(page)))) {
				t.Error(p)
			}
		})
	}
}

// The check cannot pass vacuously: with an item taken out of a page, an option added to
// a spec (a letter, a word, a renamed word), or an item documenting nothing, it reports
// each.
func TestManOptionsCatchGaps(t *testing.T) {
	page := func(prog, drop, add string) map[string]bool {
		src := readFile(manPath(manPages[prog]))
		if drop != "" {
			if !strings.Contains(src, drop+"\n") {
				t.Fatalf("%s has no line %q: update this test to the page", manPages[prog], drop)
			}
			src = strings.Replace(src, drop+"\n", "", 1)
		}
		return manDocumented(src + add)
	}
	// edit returns prog's spec with the options add added and rename's renamed.
	edit := func(prog string, add []string, rename [2]string) map[string]string {
		real, ok := manSpec(prog)
		if !ok {
			t.Fatalf("%s has no spec", prog)
		}
		spec := map[string]string{}
		for o, pkg := range real {
			spec[o] = pkg
		}
		for _, o := range add {
			spec[o] = "the edited spec"
		}
		if rename[0] != "" {
			if _, ok := spec[rename[0]]; !ok {
				t.Fatalf("%s's spec has no -%s: update this test to the spec", prog, rename[0])
			}
			delete(spec, rename[0])
			spec[rename[1]] = "the edited spec"
		}
		return spec
	}
	for _, c := range []struct {
		prog, drop, add string
		opts            []string
		rename          [2]string
		want            []string
	}{
		{"runsvdir", ".It Fl s", "", []string{"z"}, [2]string{}, []string{"option -s ", "option -z "}},
		{"sv", `.It Fl \-json`, "", []string{"-frob"}, [2]string{}, []string{"option --json ", "option --frob "}},
		{"utmpset", "", ".Bl -tag\n.It Fl y\n.El\n", []string{"q"}, [2]string{}, []string{"option -q ", "documents -y,"}},
		{"runit-init", ".It Fl V", "", []string{"Z"}, [2]string{}, []string{"option -V ", "option -Z "}},
		{"halt", "", "", []string{"Q"}, [2]string{"-dry-run", "-dry-run-x"}, []string{"option -Q ", "option --dry-run-x ", "documents --dry-run,"}},
	} {
		real, _ := manSpec(c.prog)
		// Only what the edits add counts: the tree may have problems of its own, which
		// TestManOptionsDocumented reports.
		before := map[string]bool{}
		for _, p := range manCheck(c.prog, manPages[c.prog], real, page(c.prog, "", "")) {
			before[p] = true
		}
		var added []string
		for _, p := range manCheck(c.prog, manPages[c.prog], edit(c.prog, c.opts, c.rename), page(c.prog, c.drop, c.add)) {
			if !before[p] {
				added = append(added, p)
			}
		}
		got := strings.Join(added, "\n")
		for _, w := range c.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: the check does not report %q; it reports:\n%s", c.prog, w, got)
			}
		}
		if len(added) != len(c.want) {
			t.Errorf("%s: %d new problems reported, want %d:\n%s", c.prog, len(added), len(c.want), got)
		}
	}
}
