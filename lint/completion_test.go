package lint

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// Shell completion for sv (completions/), driven through the real shells: bash by
// calling _sv with COMP_WORDS set, fish with complete -C, zsh interactively in a
// pseudo-terminal (util-linux script) by typing TAB and reading the screen.

// needShell returns the path of shell, or skips (fails under RUNIT_TEST_STRICT).
func needShell(t *testing.T, shell string) string {
	t.Helper()
	p, err := exec.LookPath(shell)
	if err != nil {
		if strictTests() {
			t.Fatalf("%s is not installed; ci/deps.sh installs it", shell)
		}
		t.Skipf("%s is not installed (apt-get install %s): its completion is not tested", shell, shell)
	}
	return p
}

// completionSvdir makes a service directory with the services alpha and beta (beta with
// a log service), a link to a service, and a plain file that is no service.
func completionSvdir(t *testing.T) string {
	d := t.TempDir()
	for _, s := range []string{"alpha", "beta/log"} {
		if err := os.MkdirAll(filepath.Join(d, s), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(filepath.Join(d, "alpha"), filepath.Join(d, "linked")); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(d, "notadir"), "", 0o644)
	return d
}

var allSvCommands = []string{"status", "up", "down", "once", "pause", "cont", "hup", "alarm",
	"interrupt", "quit", "1", "2", "term", "kill", "exit", "start", "stop", "reload",
	"restart", "shutdown", "try-restart", "check", "force-stop", "force-reload",
	"force-restart", "force-shutdown", "enable", "disable", "list"}

// completionCases are what bash and fish must offer for a command line whose last word
// is being completed: exactly want (in any order).
var completionCases = []struct {
	line string
	want []string
}{
	{"sv ", allSvCommands},
	{"sv st", []string{"status", "start", "stop"}},
	{"sv force-r", []string{"force-reload", "force-restart"}},
	{"sv -", []string{"-v", "-w", "-V", "--json"}},
	{"sv -v -", []string{"-v", "-w", "-V"}}, // --json only comes first
	{"sv -v st", []string{"status", "start", "stop"}},
	{"sv -w ", nil}, // the seconds: a number, not a command
	{"sv -w 5 sh", []string{"shutdown"}},
	{"sv -vw 5 ", allSvCommands},
	{"sv -w5 ", allSvCommands},
	{"sv up ", []string{"alpha", "beta", "linked"}}, // not notadir
	{"sv -w 3 restart a", []string{"alpha"}},
	{"sv status alpha b", []string{"beta"}},
	{"sv status beta/", []string{"beta/log"}},
	{"sv --json ", []string{"alpha", "beta", "linked"}},
	{"sv -- status ", []string{"alpha", "beta", "linked"}},
}

func TestCompletionBash(t *testing.T) {
	t.Parallel()
	bash := needShell(t, "bash")
	svdir := completionSvdir(t)
	script := filepath.Join(repoRoot, "completions", "sv.bash")
	for _, c := range completionCases {
		// COMP_WORDS as bash splits the line: a trailing space starts an empty word.
		words := strings.Split(c.line, " ")
		args := append([]string{"-c", `source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _sv; printf '%s\n' "${COMPREPLY[@]}"`,
			"bash", script}, words...)
		r := run(t, "", []string{"SVDIR=" + svdir}, bash, args...)
		if r.code != 0 || r.stderr != "" {
			t.Errorf("%q: exit %d, stderr %q", c.line, r.code, r.stderr)
		}
		checkOffered(t, "bash", c.line, lines(r.stdout), c.want)
	}

	// Without SVDIR the services come from the first of /etc/service, /var/service,
	// /service: the same list as ls gives for it.
	var dir string
	for _, d := range []string{"/etc/service", "/var/service", "/service"} {
		if fi, err := os.Stat(d); err == nil && fi.IsDir() {
			dir = d
			break
		}
	}
	r := run(t, "", nil, "env", "-u", "SVDIR", bash, "-c",
		`source "$1"; COMP_WORDS=(sv status ''); COMP_CWORD=2; _sv; printf '%s\n' "${COMPREPLY[@]}"`, "bash", script)
	var want []string
	if dir != "" {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if fi, err := os.Stat(filepath.Join(dir, e.Name())); err == nil && fi.IsDir() && !strings.HasPrefix(e.Name(), ".") {
				want = append(want, e.Name())
			}
		}
	}
	checkOffered(t, "bash without SVDIR ("+dir+")", "sv status ", lines(r.stdout), want)
}

func TestCompletionFish(t *testing.T) {
	t.Parallel()
	fish := needShell(t, "fish")
	svdir := completionSvdir(t)
	home := t.TempDir()
	for _, c := range completionCases {
		// Only our directory in fish_complete_path, so fish's own sv.fish stays out;
		// fish loads completions/sv.fish from it as it would from vendor_completions.d.
		r := run(t, "", []string{"SVDIR=" + svdir, "HOME=" + home, "XDG_CONFIG_HOME=" + home, "XDG_DATA_HOME=" + home}, fish, "-c",
			`set fish_complete_path $argv[1]; complete -C $argv[2]`, filepath.Join(repoRoot, "completions"), c.line)
		if r.code != 0 || r.stderr != "" {
			t.Errorf("%q: exit %d, stderr %q", c.line, r.code, r.stderr)
		}
		var got []string
		for _, l := range lines(r.stdout) {
			w, _, _ := strings.Cut(l, "\t") // the description follows a tab
			got = append(got, w)
		}
		want := c.want
		if c.line == "sv force-r" || c.line == "sv -v st" || c.line == "sv st" {
			// fish also offers what merely contains the word; only the prefix matches count.
			got = slices.DeleteFunc(got, func(w string) bool { return !strings.HasPrefix(w, lastWord(c.line)) })
		}
		checkOffered(t, "fish", c.line, got, want)
	}
}

// TestCompletionZsh types sv's command lines followed by TAB into an interactive zsh
// (zsh -f -i in a pseudo-terminal, compinit loading completions/_sv) and reads what it
// lists or inserts. sv is a function there that prints its arguments, so that pressing
// Enter after TAB shows the completed line.
func TestCompletionZsh(t *testing.T) {
	t.Parallel()
	zsh := needShell(t, "zsh")
	script, err := exec.LookPath("script")
	if err != nil {
		if strictTests() {
			t.Fatal("script (util-linux) is not installed")
		}
		t.Skip("script (util-linux) is not installed: no pseudo-terminal for zsh")
	}
	svdir := completionSvdir(t)
	home := t.TempDir()
	cmd := exec.Command(script, "-qfec", zsh+" -f -i", "/dev/null")
	cmd.Env = append(os.Environ(), "SVDIR="+svdir, "HOME="+home, "ZDOTDIR="+home, "TERM=dumb")
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var screen bytes.Buffer
	cmd.Stdout = writerFunc(func(p []byte) (int, error) {
		mu.Lock()
		defer mu.Unlock()
		return screen.Write(p)
	})
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		in.Close()
		cmd.Process.Kill()
		cmd.Wait()
	}()
	// since returns what zsh printed from offset on, with the terminal's carriage
	// returns and backspaces left out.
	since := func(off int) string {
		mu.Lock()
		defer mu.Unlock()
		return strings.NewReplacer("\r", "", "\b", "").Replace(screen.String()[off:])
	}
	size := func() int {
		mu.Lock()
		defer mu.Unlock()
		return screen.Len()
	}
	waitScreen := func(off int, what string, want ...string) string {
		t.Helper()
		var s string
		deadline := time.Now().Add(15 * time.Second)
		for {
			s = since(off)
			ok := true
			for _, w := range want {
				ok = ok && strings.Contains(s, w)
			}
			if ok {
				return s
			}
			if time.Now().After(deadline) {
				t.Fatalf("zsh: timed out waiting for %s (%q); screen:\n%s", what, want, s)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}

	// Descriptions and messages get a marker, so every completion shows something.
	setup := `PS1='> '; LISTMAX=1000; stty cols 200 rows 100; sv() { print -r -- "ARGS:$*" }; ` +
		`fpath=(` + filepath.Join(repoRoot, "completions") + ` $fpath); autoload -Uz compinit; compinit -u -D; ` +
		`zstyle ':completion:*:descriptions' format 'DESC:%d'; zstyle ':completion:*:messages' format 'MSG:%d'; ` +
		`print -r -- READY$((40+2))` + "\r"
	io.WriteString(in, setup)
	waitScreen(0, "compinit", "READY42")

	for _, c := range []struct {
		line string   // typed, then TAB
		list []string // on the screen after TAB
		not  []string // not on the screen
		args string   // the line sv gets when Enter follows
	}{
		{"sv st", []string{"DESC:sv command", "status", "start", "stop"}, []string{"restart", "alpha"}, "st"},
		{"sv ", append([]string{"DESC:sv command"}, allSvCommands...), []string{"alpha"}, ""},
		{"sv -", []string{"DESC:option", "-v", "-w", "-V", "--json"}, []string{"restart"}, "-"},
		{"sv -v -", []string{"DESC:option", "-w", "-V"}, []string{"--json"}, "-v -"},
		{"sv -w ", []string{"MSG:seconds to wait"}, []string{"status", "alpha"}, "-w"},
		{"sv -w 5 ", []string{"DESC:sv command", "status"}, []string{"alpha"}, "-w 5"},
		{"sv up ", []string{"DESC:service", "alpha", "beta", "linked"}, []string{"notadir", "status"}, "up"},
		{"sv -w 3 down a", nil, nil, "-w 3 down alpha"},
		{"sv status beta/", nil, nil, "status beta/log"},
		{"sv --json l", nil, nil, "--json linked"},
	} {
		off := size()
		io.WriteString(in, c.line+"\t")
		if c.list != nil {
			waitScreen(off, "the list for "+c.line, c.list...)
		}
		io.WriteString(in, "\r")
		s := waitScreen(off, "sv's arguments for "+c.line, "ARGS:"+c.args+"\n")
		for _, n := range c.not {
			// The echo of what was typed holds the line itself; look after it.
			if _, after, _ := strings.Cut(s, c.line); strings.Contains(after, n) {
				t.Errorf("zsh %q offered %q; screen:\n%s", c.line, n, s)
			}
		}
	}
}

// TestCompletionInstall checks that `make install` puts the three files where each shell
// looks under PREFIX/share, that each shell then loads ours (not the one runit or the
// shell ships), and that the Debian package has them where Debian's shells look.
func TestCompletionInstall(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("make"); err != nil {
		t.Skip("make is not installed")
	}
	// install.sh copies the tools only by name: stand-ins do, and cost no build.
	bin := t.TempDir()
	for name := range installTools {
		writeFile(t, filepath.Join(bin, name), "#!/bin/sh\n", 0o755)
	}
	dest := t.TempDir()
	// -o build: the Makefile's install recipe without rebuilding bin/.
	r := run(t, repoRoot, []string{"INSTALL_ETC=no"}, "make", "-s", "-o", "build", "install",
		"DESTDIR="+dest, "PREFIX=/usr/local", "BIN="+bin)
	if r.code != 0 {
		t.Fatalf("make install: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	share := filepath.Join(dest, "usr/local/share")
	for src, dst := range map[string]string{
		"sv.bash": "bash-completion/completions/sv",
		"_sv":     "zsh/site-functions/_sv",
		"sv.fish": "fish/vendor_completions.d/sv.fish",
	} {
		p := filepath.Join(share, dst)
		fi, err := os.Stat(p)
		if err != nil || fi.Mode().Perm() != 0o644 || readFile(p) != readFile(filepath.Join(repoRoot, "completions", src)) {
			t.Errorf("%s: want completions/%s, mode 0644 (%v)", p, src, err)
		}
	}
	home := t.TempDir()
	env := []string{"HOME=" + home, "XDG_CONFIG_HOME=" + home, "XDG_DATA_HOME=" + home, "XDG_DATA_DIRS=" + share}

	t.Run("bash", func(t *testing.T) {
		needShell(t, "bash")
		const loader = "/usr/share/bash-completion/bash_completion"
		if _, err := os.Stat(loader); err != nil {
			if strictTests() {
				t.Fatal("bash-completion is not installed; ci/deps.sh installs it")
			}
			t.Skip("bash-completion is not installed: its loader is not tested")
		}
		// bash-completion loads sv's completion on demand from XDG_DATA_DIRS (by
		// default /usr/local/share:/usr/share); only ours offers --json.
		r := run(t, "", env, "bash", "-c", `. `+loader+`; __load_completion sv || exit 1; `+
			`COMP_WORDS=(sv -); COMP_CWORD=1; _sv; printf '%s\n' "${COMPREPLY[@]}"`)
		if r.code != 0 || !slices.Contains(lines(r.stdout), "--json") {
			t.Errorf("bash-completion did not load the installed sv completion: exit %d, offered %q, stderr %q", r.code, r.stdout, r.stderr)
		}
	})
	t.Run("fish", func(t *testing.T) {
		fish := needShell(t, "fish")
		// fish reads vendor_completions.d of XDG_DATA_DIRS before its own sv.fish.
		r := run(t, "", env, fish, "-c", `complete -C "sv -"`)
		if r.code != 0 || !strings.Contains(r.stdout, "--json\t") {
			t.Errorf("fish did not use the installed sv.fish: exit %d, offered %q, stderr %q", r.code, r.stdout, r.stderr)
		}
	})
	t.Run("zsh", func(t *testing.T) {
		zsh := needShell(t, "zsh")
		// zsh's own fpath has PREFIX's site-functions; with the installed directory first,
		// compinit takes our _sv for sv, not zsh's _runit.
		r := run(t, "", env, zsh, "-f", "-c", `print -rl -- $fpath`)
		if !slices.Contains(lines(r.stdout), "/usr/local/share/zsh/site-functions") {
			t.Errorf("zsh's fpath lacks /usr/local/share/zsh/site-functions: %q", r.stdout)
		}
		r = run(t, "", env, zsh, "-f", "-c", `fpath=(`+filepath.Join(share, "zsh/site-functions")+` $fpath); `+
			`autoload -Uz compinit; compinit -u -D; print -r -- $_comps[sv] $functions_source[_sv]`)
		if want := "_sv " + filepath.Join(share, "zsh/site-functions/_sv") + "\n"; r.stdout != want {
			t.Errorf("zsh completes sv with %q, want %q (stderr %q)", r.stdout, want, r.stderr)
		}
	})
	t.Run("deb", func(t *testing.T) {
		if _, err := exec.LookPath("dpkg-deb"); err != nil {
			if strictTests() {
				t.Fatal("dpkg-deb not installed")
			}
			t.Skip("dpkg-deb not installed")
		}
		out := t.TempDir()
		r := run(t, repoRoot, []string{"VERSION=1", "DEB_COMPRESS=gzip"}, "sh", filepath.Join(repoRoot, "ci/deb.sh"), bin, out)
		if r.code != 0 {
			t.Fatalf("ci/deb.sh: exit %d\n%s%s", r.code, r.stdout, r.stderr)
		}
		debs := lines(r.stdout)
		if len(debs) == 0 {
			t.Fatalf("ci/deb.sh printed no package")
		}
		r = run(t, "", nil, "dpkg-deb", "-c", debs[0])
		// Debian's zsh reads vendor-completions; the bash file replaces runit's own.
		for _, p := range []string{"./usr/share/bash-completion/completions/sv",
			"./usr/share/zsh/vendor-completions/_sv", "./usr/share/fish/vendor_completions.d/sv.fish"} {
			if !strings.Contains(r.stdout, " "+p+"\n") {
				t.Errorf("%s lacks %s:\n%s", debs[0], p, r.stdout)
			}
		}
		if strings.Contains(r.stdout, "site-functions") {
			t.Errorf("%s has zsh/site-functions, which Debian's zsh does not read", debs[0])
		}
	})
}

// checkOffered reports a difference between what a shell offered and want (as sets).
func checkOffered(t *testing.T, shell, line string, got, want []string) {
	t.Helper()
	g, w := slices.Clone(got), slices.Clone(want)
	slices.Sort(g)
	slices.Sort(w)
	if !slices.Equal(g, w) {
		t.Errorf("%s %q offered %q, want %q", shell, line, g, w)
	}
}

// lines splits output into its non-empty lines.
func lines(s string) []string {
	var l []string
	for _, x := range strings.Split(s, "\n") {
		if x != "" {
			l = append(l, x)
		}
	}
	return l
}

func lastWord(line string) string { return line[strings.LastIndexByte(line, ' ')+1:] }

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }
