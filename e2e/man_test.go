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

// manPersonality names the program that plays a role chosen by argv[0].
var manPersonality = map[string]string{
	"envdir": "chpst", "envuidgid": "chpst", "pgrphack": "chpst", "setuidgid": "chpst",
	"softlimit": "chpst", "setlock": "chpst", "poweroff": "halt", "reboot": "halt",
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

// manUsage runs prog (or the program playing its role, through a link of its name) with
// an option no tool has and returns the usage line it prints. Tools that take a bad
// option as an operand (runsvdir, runsv, runsvchdir) print their usage when run without
// arguments; halt and shutdown are never run without arguments.
func manUsage(t *testing.T, prog string) string {
	t.Helper()
	var bin string
	if real, ok := manPersonality[prog]; ok {
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
	if u := try("-\x01"); u != "" {
		return u
	}
	switch prog {
	case "halt", "poweroff", "reboot", "shutdown":
		return ""
	}
	return try()
}

// manOptions returns the options of a usage line: every character of each word that
// starts with one '-' (after '[', '|', or a space), so "[-ttv] [-r c] [-l|-L lock]" gives
// t, v, r, l, L; a long option "--name" gives "-name".
func manOptions(usage string) []string {
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

func TestManOptionsParse(t *testing.T) {
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
		if got := strings.Join(manOptions(tc.usage), " "); got != tc.want {
			t.Errorf("manOptions(%q) = %q, want %q", tc.usage, got, tc.want)
		}
	}
}

// manHidden are options the tools accept without showing them in their usage lines
// (runit's usage strings are kept byte for byte): runit 2.2's chpst -C, chpst's
// undocumented -r, svlogd's lossy -L, runsvdir's classic -C, the version flags and the
// SysV commands' dry run. Their pages must document them all the same.
var manHidden = map[string][]string{
	"chpst": {"C", "r", "V"}, "svlogd": {"L", "V"}, "runsvdir": {"C"},
	"sv": {"V"}, "utmpset": {"V"}, "runit-init": {"V"},
	"halt": {"-dry-run"}, "reboot": {"-dry-run"}, "poweroff": {"-dry-run"}, "shutdown": {"-dry-run"},
}

// Every option a tool's usage line shows is documented in an item of its page's lists
// (".It Fl x ..."). The options come from the built tools themselves, so a new option
// without documentation fails here; a tool that does not build fails too.
func TestManOptionsDocumented(t *testing.T) {
	progs := make([]string, 0, len(manPages))
	for p := range manPages {
		progs = append(progs, p)
	}
	sort.Strings(progs)
	for _, prog := range progs {
		t.Run(prog, func(t *testing.T) {
			usage := manUsage(t, prog)
			if usage == "" {
				switch prog {
				case "runit": // as process 1 it takes no arguments; otherwise it only refuses to run
					return
				}
				t.Fatalf("%s printed no usage line for a bad option", prog)
			}
			src := readFile(manPath(manPages[prog]))
			for _, o := range append(manOptions(usage), manHidden[prog]...) {
				// mdoc writes --dry-run as "Fl \-dry\-run".
				pat := regexp.QuoteMeta(o)
				if strings.HasPrefix(o, "-") {
					pat = strings.ReplaceAll(pat, "-", `\\?-`)
				}
				re := regexp.MustCompile(`(?m)^\.It .*\bFl ` + pat + `(\s|$)`)
				if !re.MatchString(src) {
					t.Errorf("%s: option -%s (usage: %s) is not documented in %s (want an \".It Fl %s\" item)", prog, o, usage, manPages[prog], o)
				}
			}
		})
	}
}
