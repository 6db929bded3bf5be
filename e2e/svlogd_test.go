package e2e

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// svlogdCase is one differential scenario: the same arguments, configs and input for C
// svlogd and ours.
type svlogdCase struct {
	name    string
	args    []string          // options, before the directories
	configs map[string]string // directory -> config ("" = no config file)
	input   string
	stamps  bool                            // lines carry timestamps: compare them as a pattern, not literally
	prep    func(t *testing.T, root string) // extra files, after the directories are made
}

// svlogdRun runs bin on input in a fresh directory set and returns a description of the
// resulting directories (names of rotated files numbered, modes, contents), stderr and
// the exit code.
func svlogdRun(t *testing.T, bin string, c svlogdCase) (string, string, int) {
	t.Helper()
	root := t.TempDir()
	var dirs []string
	for d, cfg := range c.configs {
		dirs = append(dirs, d)
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
		if cfg != "" {
			writeFile(t, filepath.Join(root, d, "config"), cfg, 0o644)
		}
	}
	sort.Strings(dirs)
	if c.prep != nil {
		c.prep(t, root)
	}
	cmd := exec.Command(bin, append(append([]string{}, c.args...), dirs...)...)
	cmd.Dir = root
	cmd.Stdin = strings.NewReader(c.input)
	var se bytes.Buffer
	cmd.Stderr = &se
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	for _, d := range dirs {
		out.WriteString(svlogdDescribe(t, filepath.Join(root, d), c.stamps))
	}
	stderr := svlogdNormStamps(strings.ReplaceAll(se.String(), bin, "svlogd"), c.stamps)
	// When SIGCHLD arrives relative to other messages is a race in C svlogd too.
	stderr = strings.ReplaceAll(stderr, "svlogd: info: sigchild received.\n", "")
	return out.String(), svlogdTAI.ReplaceAllString(stderr, "@TAI"), code
}

var (
	svlogdTAI   = regexp.MustCompile(`@4000[0-9a-f]{20}`)
	svlogdStamp = regexp.MustCompile(`(?m)^(@4000[0-9a-f]{20}|\d{4}-\d\d-\d\d[_T]\d\d:\d\d:\d\d\.\d{5}) `)
)

func svlogdNormStamps(s string, stamps bool) string {
	if !stamps {
		return s
	}
	return svlogdStamp.ReplaceAllStringFunc(s, func(m string) string {
		switch {
		case m[0] == '@':
			return "<tai64n> "
		case m[10] == 'T':
			return "<ttt> "
		}
		return "<tt> "
	})
}

// svlogdDescribe lists a log directory: each file with its mode and content, rotated
// files numbered in name (time) order since their names are timestamps.
func svlogdDescribe(t *testing.T, dir string, stamps bool) string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "== %s\n", filepath.Base(dir))
	k := 0
	var all strings.Builder // with stamps, the content is compared whole: a cut may split a stamp
	for _, e := range ents {
		fi, _ := e.Info()
		name := e.Name()
		if svlogdTAI.MatchString(name) {
			k++
			name = fmt.Sprintf("@%d%s", k, name[25:])
		}
		if name == "lock" {
			fmt.Fprintf(&b, "%s %v\n", name, fi.Mode())
			continue
		}
		data := readFile(filepath.Join(dir, e.Name()))
		if stamps && name != "config" {
			fmt.Fprintf(&b, "%s %v %d\n", name, fi.Mode(), len(data))
			all.WriteString(data)
			continue
		}
		fmt.Fprintf(&b, "%s %v %q\n", name, fi.Mode(), data)
	}
	if stamps {
		fmt.Fprintf(&b, "content %q\n", svlogdNormStamps(all.String(), true))
	}
	return b.String()
}

func svlogdLines(n, width int, f func(i int) string) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		s := f(i)
		if width > 0 && len(s) < width {
			s += strings.Repeat("x", width-len(s))
		}
		b.WriteString(s)
		b.WriteByte('\n')
	}
	return b.String()
}

func TestSvlogdDifferential(t *testing.T) {
	c := cBin(t, "svlogd")
	ours := ourBin(t, "svlogd")
	num := func(i int) string { return "line number " + strconv.Itoa(i) }
	binary := "bin\x00ary\x01\x7f\xff\xfe tab\there\n" + strings.Repeat("\x00", 50) + "\n\x1b[31mred\n"
	long := svlogdLines(6, 0, func(i int) string { return strings.Repeat(string(rune('a'+i)), 10+i*40) })
	cases := []svlogdCase{
		{name: "plain", configs: map[string]string{"log": ""}, input: svlogdLines(50, 0, num)},
		{name: "cut at size", configs: map[string]string{"log": "s100\nn3"}, input: svlogdLines(40, 19, num)},
		{name: "rotate near size", args: []string{"-l", "30", "-b", "100"}, configs: map[string]string{"log": "s100\nn0"}, input: svlogdLines(12, 19, num)},
		{name: "keep n", args: []string{"-v"}, configs: map[string]string{"log": "s1000\nn4\n"}, input: svlogdLines(400, 30, num)},
		{name: "k suffix", configs: map[string]string{"log": "s1k\nn0\n"}, input: svlogdLines(300, 40, num)},
		{name: "patterns", args: []string{"-l", "4", "-b", "10"}, configs: map[string]string{"log": "-*\n+*kip*\ne*\nE*2*\npPF:\n"}, input: "a skip\nb\nc2 kip\nabcd\n"},
		{name: "patterns long", configs: map[string]string{"log": "-*skip*\n-*drop*\n+*keep*\nE*\ne*err*\n+\ne+x*\n"}, input: "please skip me\nkeep skipme\ndrop\nan err here\nkeep this\n\nxxxyz\n"},
		{name: "plus", configs: map[string]string{"log": "-+a\n+*b+cd\n"}, input: "aaa\nbccd\naab\nbcd\nbd\n"},
		{name: "prefix", configs: map[string]string{"log": "pPFX> \n"}, input: svlogdLines(5, 0, num)},
		{name: "replace", args: []string{"-r", "."}, configs: map[string]string{"log": ""}, input: binary},
		{name: "replace R", args: []string{"-R", "abe"}, configs: map[string]string{"log": ""}, input: binary + "abcdef\n"},
		{name: "binary", configs: map[string]string{"log": "s64\n"}, input: binary},
		{name: "long lines", args: []string{"-l", "50", "-b", "60"}, configs: map[string]string{"log": "s120\nn0\ne*\n"}, input: long},
		{name: "long lines replaced", args: []string{"-l", "20", "-b", "21", "-r", "#"}, configs: map[string]string{"log": "n0\n"}, input: "\x01" + strings.Repeat("\x02", 40) + "\nok\n"},
		{name: "no final newline", configs: map[string]string{"log": ""}, input: "one\ntwo\nthree"},
		{name: "empty lines", configs: map[string]string{"log": "s10\n"}, input: "\n\n\na\n\n"},
		{name: "processor", args: []string{"-v"}, configs: map[string]string{"log": "s200\nn5\n!tr a-z A-Z; echo done; cat <&4; echo newstate >&5\npPFX:\n"}, input: svlogdLines(30, 20, num)},
		{name: "two dirs", configs: map[string]string{"a": "s150\nn2\n+*1*\n-*5*\n", "b": "s300\nn0\npB:\n"}, input: svlogdLines(60, 25, num)},
		{name: "tai64n", args: []string{"-t"}, configs: map[string]string{"log": "s400\nn0\n"}, input: svlogdLines(30, 20, num), stamps: true},
		{name: "tt", args: []string{"-tt"}, configs: map[string]string{"log": "s400\nn0\ne*\n"}, input: svlogdLines(30, 20, num), stamps: true},
		{name: "ttt", args: []string{"-ttt"}, configs: map[string]string{"log": "s1000\nn0\n"}, input: svlogdLines(30, 20, num), stamps: true},
		{name: "config junk", configs: map[string]string{"log": "# comment\n\nzzz\ns90\nn2\nN1\nt3600\nubad.ip\n"}, input: svlogdLines(30, 20, num)},
		// UDP lines go to 127.0.0.1:9 (discard): nothing listens, the send still succeeds.
		{name: "udp port 0", args: []string{"-v"}, configs: map[string]string{"log": "u127.0.0.1:0\n"}, input: "a\n"},
		{name: "udp port junk", args: []string{"-v"}, configs: map[string]string{"log": "u127.0.0.1:abc\n"}, input: "a\n"},
		{name: "udp port truncated", args: []string{"-v"}, configs: map[string]string{"log": "U127.0.0.1:65545\n"}, input: "a\n"},
		{name: "udp port truncated to 0", configs: map[string]string{"log": "u127.0.0.1:65536\n"}, input: "a\n"},
		{name: "udp octet truncated", configs: map[string]string{"log": "U383.0.0.1:9\n"}, input: "a\n"},
		{name: "udp short address", configs: map[string]string{"log": "u1.2.3\n"}, input: "a\n"},
		{name: "bare p and !", args: []string{"-v"}, configs: map[string]string{"log": "pA:\np\n!tr a-z A-Z\n!\ns40\nn0\n"}, input: svlogdLines(6, 10, num)},
		{name: "last line one byte", configs: map[string]string{"log": "-*\n+"}, input: "a\nb\n"},
		{name: "last line two bytes", configs: map[string]string{"log": "-*\n+*"}, input: "a\nb\n"},
		{name: "config unreadable", args: []string{"-v"}, configs: map[string]string{"log": ""}, input: "a\n",
			prep: func(t *testing.T, root string) { os.Mkdir(filepath.Join(root, "log", "config"), 0o755) }},
		{name: "plain file as dir", args: []string{"-v", "f"}, configs: map[string]string{"log": ""}, input: "a\n",
			prep: func(t *testing.T, root string) { writeFile(t, filepath.Join(root, "f"), "", 0o644) }},
		{name: "plain file only", args: []string{"-v", "f"}, configs: map[string]string{}, input: "a\n",
			prep: func(t *testing.T, root string) { writeFile(t, filepath.Join(root, "f"), "", 0o644) }},
		// A datagram larger than UDP allows fails (EMSGSIZE): C writes it to current
		// after a warning, for u and for U.
		{name: "udp send fails", args: []string{"-l", "80000", "-b", "80001"}, configs: map[string]string{"u": "u127.0.0.1:9\npP:\n", "v": "U127.0.0.1:9\n"},
			input: "short\n" + strings.Repeat("x", 70000) + "\nafter\n"},
		// An unclean current is kept as .u, then the oldest beyond n and the .t leftover go.
		{name: "unclean current prunes", args: []string{"-v"}, configs: map[string]string{"log": "n2\n"}, input: "new\n",
			prep: func(t *testing.T, root string) {
				for i, n := range []string{"1.s", "2.s", "3.s", "4.t"} {
					writeFile(t, filepath.Join(root, "log", "@40000000000000000000000"+n), fmt.Sprintf("old%d\n", i), 0o744)
				}
				writeFile(t, filepath.Join(root, "log", "current"), "unclean\n", 0o644)
			}},
		{name: "usage none", configs: map[string]string{}, input: ""},
		{name: "usage r", args: []string{"-r", "ab"}, configs: map[string]string{"log": ""}},
		{name: "usage b", args: []string{"-b", "10", "-l", "20"}, configs: map[string]string{"log": ""}},
		{name: "usage x", args: []string{"-x"}, configs: map[string]string{"log": ""}},
		{name: "usage arg", args: []string{"-l"}, configs: map[string]string{}},
		{name: "huge line", configs: map[string]string{"log": "s150000\nn0\ne*\n"}, input: "first\n" + strings.Repeat("0123456789", 30000) + "\nafter\n"},
		{name: "garbage", args: []string{"-l", "300", "-b", "301"}, configs: map[string]string{"log": "s10000\nn0\n"}, input: svlogdGarbage(400000)},
		{name: "verbose", args: []string{"-v"}, configs: map[string]string{"log": "s100000\n"}, input: "a\nb\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			wd, we, wc := svlogdRun(t, c, tc)
			gd, ge, gc := svlogdRun(t, ours, tc)
			if wd != gd {
				t.Errorf("directories differ\nC:\n%s\nours:\n%s", wd, gd)
			}
			if we != ge || wc != gc {
				t.Errorf("stderr/exit differ\nC (%d):\n%q\nours (%d):\n%q", wc, we, gc, ge)
			}
		})
	}
}

// svlogdProc is a running svlogd fed through a pipe, with its stderr collected.
type svlogdProc struct {
	cmd  *exec.Cmd
	in   io.WriteCloser
	mu   sync.Mutex
	err  bytes.Buffer
	done chan struct{}
	code int
}

func (p *svlogdProc) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.err.Write(b)
}

func (p *svlogdProc) stderr() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.err.String()
}

func svlogdStart(t *testing.T, bin, dir string, args ...string) *svlogdProc {
	t.Helper()
	p := &svlogdProc{done: make(chan struct{})}
	p.cmd = exec.Command(bin, args...)
	p.cmd.Dir = dir
	p.cmd.Stderr = p
	in, err := p.cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	p.in = in
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		err := p.cmd.Wait()
		if ee, ok := err.(*exec.ExitError); ok {
			p.code = ee.ExitCode()
			if ee.ExitCode() < 0 {
				p.code = 128
			}
		}
		close(p.done)
	}()
	t.Cleanup(func() {
		select {
		case <-p.done:
		default:
			p.cmd.Process.Kill()
			<-p.done
		}
	})
	return p
}

func (p *svlogdProc) wait(t *testing.T, timeout time.Duration) int {
	t.Helper()
	select {
	case <-p.done:
		return p.code
	case <-time.After(timeout):
		t.Fatalf("svlogd did not exit within %v; stderr:\n%s", timeout, p.stderr())
	}
	return 0
}

// finish closes svlogd's input and requires it to exit 0 within timeout.
func (p *svlogdProc) finish(t *testing.T, timeout time.Duration) {
	t.Helper()
	p.in.Close()
	if code := p.wait(t, timeout); code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, p.stderr())
	}
}

// writeAsync writes b to svlogd's input from a goroutine, which may block while svlogd
// holds its input back; the channel receives the write's result.
func (p *svlogdProc) writeAsync(b []byte) <-chan error {
	wrote := make(chan error, 1)
	go func() { _, err := p.in.Write(b); wrote <- err }()
	return wrote
}

// svlogdTaken waits for a writeAsync to finish: svlogd must take all of the input within
// 20 s (blocked says what it means if it does not).
func svlogdTaken(t *testing.T, wrote <-chan error, blocked string) {
	t.Helper()
	select {
	case err := <-wrote:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal(blocked)
	}
}

// svlogdSeq is the input svlogdCheckSeq expects back: the lines 0000000 to n-1.
func svlogdSeq(n int) []byte {
	var b bytes.Buffer
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "%07d\n", i)
	}
	return b.Bytes()
}

// svlogdCollect returns all lines in a log directory in time order: the processed (.s)
// files by name (they are named by time), then current.
func svlogdCollect(t *testing.T, dir string) []string {
	t.Helper()
	return svlogdCollectKinds(t, dir, "s")
}

// svlogdCollectKinds returns the lines of the rotated files whose kind (the last letter
// of the name) is in kinds, in time order, then current's.
func svlogdCollectKinds(t *testing.T, dir, kinds string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	seen := map[string]bool{}
	for _, e := range ents {
		n := e.Name()
		if len(n) != 27 || n[0] != '@' || !strings.ContainsRune(kinds, rune(n[26])) {
			continue
		}
		if seen[n[:25]] {
			t.Errorf("%s is there both processed and unprocessed", n[:25])
		}
		seen[n[:25]] = true
		names = append(names, n)
	}
	sort.Strings(names)
	names = append(names, "current")
	var all []string
	for _, n := range names {
		s := readFile(filepath.Join(dir, n))
		if s == "" {
			continue
		}
		if !strings.HasSuffix(s, "\n") {
			t.Fatalf("%s does not end in a newline", n)
		}
		all = append(all, strings.Split(strings.TrimSuffix(s, "\n"), "\n")...)
	}
	return all
}

func svlogdCheckSeq(t *testing.T, got []string, n int, prefix string) {
	t.Helper()
	if len(got) != n {
		t.Errorf("got %d lines, want %d", len(got), n)
	}
	for i := 0; i < len(got) && i < n; i++ {
		if want := fmt.Sprintf("%s%07d", prefix, i); got[i] != want {
			t.Fatalf("line %d is %q, want %q", i, got[i], want)
		}
	}
}

// A million lines under rotation every few kB, a processor and a storm of HUPs: every
// line arrives, once, in order.
func TestSvlogdCountUnderRotationAndHUP(t *testing.T) {
	bin := ourBin(t, "svlogd")
	n := 1000000
	if testing.Short() {
		n = 100000
	}
	root := t.TempDir()
	dir := filepath.Join(root, "log")
	writeFile(t, filepath.Join(dir, "config"), "s16384\nn0\n!cat\n", 0o644)
	p := svlogdStart(t, bin, root, "log")
	// svlogd catches HUP before it opens its directories: until the lock exists a HUP
	// would still end it as it ends any program.
	waitFor(t, 10*time.Second, "svlogd to start", func() bool {
		_, err := os.Stat(filepath.Join(dir, "lock"))
		return err == nil
	})
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	hups := 0
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			case <-time.After(2 * time.Millisecond):
				p.cmd.Process.Signal(syscall.SIGHUP)
				hups++
			}
		}
	}()
	var b bytes.Buffer
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "%07d\n", i)
		if b.Len() > 32<<10 {
			if _, err := p.in.Write(b.Bytes()); err != nil {
				t.Fatal(err)
			}
			b.Reset()
		}
	}
	p.in.Write(b.Bytes())
	close(stop)
	wg.Wait()
	p.finish(t, 60*time.Second)
	got := svlogdCollect(t, dir)
	svlogdCheckSeq(t, got, n, "")
	t.Logf("%d lines, %d HUPs, %d files", len(got), hups, len(got)*8/16384)
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if strings.HasSuffix(e.Name(), ".u") || strings.HasSuffix(e.Name(), ".t") {
			t.Errorf("left over after exit: %s", e.Name())
		}
	}
}

// TERM: the lines read are written, and svlogd exits 0; ALRM rotates; HUP rereads config.
func TestSvlogdSignals(t *testing.T) {
	bin := ourBin(t, "svlogd")
	root := t.TempDir()
	dir := filepath.Join(root, "log")
	writeFile(t, filepath.Join(dir, "config"), "pA:\n", 0o644)
	p := svlogdStart(t, bin, root, "-v", "log")
	io.WriteString(p.in, "one\n")
	waitFor(t, 5*time.Second, "first line", func() bool { return readFile(filepath.Join(dir, "current")) == "A:one\n" })
	p.cmd.Process.Signal(syscall.SIGALRM)
	waitFor(t, 5*time.Second, "rotation on ALRM", func() bool {
		m, _ := filepath.Glob(filepath.Join(dir, "@*.s"))
		return len(m) == 1 && readFile(filepath.Join(dir, "current")) == ""
	})
	m, _ := filepath.Glob(filepath.Join(dir, "@*.s"))
	if fi, err := os.Stat(m[0]); err != nil || fi.Mode().Perm() != 0o744 || readFile(m[0]) != "A:one\n" {
		t.Errorf("rotated file %v: %v %q", fi.Mode(), err, readFile(m[0]))
	}
	// ALRM with an empty current does nothing.
	p.cmd.Process.Signal(syscall.SIGALRM)
	waitFor(t, 5*time.Second, "second ALRM handled", func() bool { return strings.Count(p.stderr(), "sigalarm received.") == 2 })
	writeFile(t, filepath.Join(dir, "config"), "pB:\n", 0o644)
	p.cmd.Process.Signal(syscall.SIGHUP)
	// HUP closes and reopens: current becomes u+x then 0644 again; then the new prefix.
	waitFor(t, 5*time.Second, "new prefix after HUP", func() bool {
		io.WriteString(p.in, "two\n")
		return strings.Contains(readFile(filepath.Join(dir, "current")), "B:two\n")
	})
	if m, _ := filepath.Glob(filepath.Join(dir, "@*")); len(m) != 1 {
		t.Errorf("empty current was rotated: %v", m)
	}
	io.WriteString(p.in, "three\nfour\n")
	waitFor(t, 5*time.Second, "four", func() bool { return strings.HasSuffix(readFile(filepath.Join(dir, "current")), "B:four\n") })
	p.cmd.Process.Signal(syscall.SIGTERM)
	if code := p.wait(t, 10*time.Second); code != 0 {
		t.Fatalf("TERM: exit %d", code)
	}
	if fi, _ := os.Stat(filepath.Join(dir, "current")); fi.Mode().Perm() != 0o744 {
		t.Errorf("current not marked complete after TERM: %v", fi.Mode())
	}
}

// TERM in the middle of a line: svlogd finishes reading that line and writes it.
func TestSvlogdTermMidLine(t *testing.T) {
	bin := ourBin(t, "svlogd")
	root := t.TempDir()
	dir := filepath.Join(root, "log")
	os.MkdirAll(dir, 0o755)
	p := svlogdStart(t, bin, root, "log")
	io.WriteString(p.in, "whole\nhal")
	waitFor(t, 5*time.Second, "first line", func() bool { return readFile(filepath.Join(dir, "current")) == "whole\n" })
	p.cmd.Process.Signal(syscall.SIGTERM)
	time.Sleep(50 * time.Millisecond) // give TERM a chance to arrive first; the result must not depend on it
	io.WriteString(p.in, "f\n")
	if code := p.wait(t, 10*time.Second); code != 0 {
		t.Fatalf("exit %d", code)
	}
	if got := readFile(filepath.Join(dir, "current")); got != "whole\nhalf\n" {
		t.Errorf("current %q", got)
	}
}

func TestSvlogdLockedAndUnusable(t *testing.T) {
	c := cBin(t, "svlogd")
	ours := ourBin(t, "svlogd")
	for _, bin := range []string{c, ours} {
		root := t.TempDir()
		os.MkdirAll(filepath.Join(root, "q"), 0o755)
		first := svlogdStart(t, bin, root, "q")
		waitFor(t, 5*time.Second, "lock file", func() bool { _, err := os.Stat(filepath.Join(root, "q", "current")); return err == nil })
		r := run(t, root, nil, bin, "q", "missing")
		want := "svlogd: warning: unable to lock directory: q: temporary failure\n" +
			"svlogd: warning: unable to open log directory: missing: file does not exist\n" +
			"svlogd: fatal: no functional log directories.\n"
		if r.code != 111 || r.stderr != want {
			t.Errorf("%s: exit %d stderr %q", bin, r.code, r.stderr)
		}
		first.in.Close()
		first.wait(t, 5*time.Second)
	}
}

// A current left without u+x (svlogd killed) is kept as a .u file, like C svlogd does.
func TestSvlogdUncleanCurrent(t *testing.T) {
	c := cBin(t, "svlogd")
	ours := ourBin(t, "svlogd")
	var res []string
	for _, bin := range []string{c, ours} {
		root := t.TempDir()
		writeFile(t, filepath.Join(root, "log", "current"), "old\n", 0o644)
		r := run(t, root, nil, "sh", "-c", "echo new | "+bin+" log")
		if r.code != 0 {
			t.Fatal(r)
		}
		res = append(res, svlogdDescribe(t, filepath.Join(root, "log"), false))
	}
	if res[0] != res[1] {
		t.Errorf("C:\n%s\nours:\n%s", res[0], res[1])
	}
}

// A clock that steps back must not make new files sort before old ones (pruning deletes
// by name): with a rotated file dated in the future, new files sort after it, so n2
// prunes the future file, never the new ones; and svlogd does not spin.
func TestSvlogdClockBack(t *testing.T) {
	bin := ourBin(t, "svlogd")
	root := t.TempDir()
	dir := filepath.Join(root, "log")
	future := "@4000000080000000000000ff.s"
	writeFile(t, filepath.Join(dir, future), "future\n", 0o744)
	writeFile(t, filepath.Join(dir, "config"), "s20\nn0\n", 0o644)
	r := run(t, root, nil, "sh", "-c", "printf 'aaaaaaaaaaaaaaaaaaa\\nbbbbbbbbbbbbbbbbbbb\\n' | "+bin+" log")
	if r.code != 0 {
		t.Fatal(r)
	}
	got := svlogdCollect(t, dir)
	if strings.Join(got, ",") != "future,aaaaaaaaaaaaaaaaaaa,bbbbbbbbbbbbbbbbbbb" {
		t.Errorf("order after clock step back: %q", got)
	}

	// n2 and age rotation: the newest files stay, and svlogd idles between rotations.
	writeFile(t, filepath.Join(dir, "config"), "s20\nn2\nt1\n", 0o644)
	p := svlogdStart(t, bin, root, "log")
	io.WriteString(p.in, "ccccccccccccccccccc\nddddddddddddddddddd\n")
	waitFor(t, 5*time.Second, "pruning", func() bool {
		_, err := os.Stat(filepath.Join(dir, future))
		m, _ := filepath.Glob(filepath.Join(dir, "@*.s"))
		return os.IsNotExist(err) && len(m) == 2
	})
	cpu0 := svlogdCPUTicks(t, p.cmd.Process.Pid)
	for _, line := range []string{"e\n", "f\n"} {
		io.WriteString(p.in, line)
		waitFor(t, 10*time.Second, "age rotation of "+line, func() bool {
			return readFile(filepath.Join(dir, "current")) == "" && strings.Contains(strings.Join(svlogdCollect(t, dir), ","), strings.TrimSpace(line))
		})
	}
	// Two age rotations are about two seconds: a spinning svlogd would use them all.
	if d := svlogdCPUTicks(t, p.cmd.Process.Pid) - cpu0; d > 30 {
		t.Errorf("svlogd used %d clock ticks of CPU while idle", d)
	}
	p.finish(t, 10*time.Second)
	// Whether the age rotation took d alone or with e depends on when the second ticks.
	got = svlogdCollect(t, dir)
	if all := strings.Join(got, ","); all != "e,f" && all != "ddddddddddddddddddd,e,f" {
		t.Errorf("after pruning with n2: %q", got)
	}
}

// svlogdCPUTicks is the user+system CPU time of pid in clock ticks, from /proc.
func svlogdCPUTicks(t *testing.T, pid int) int {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		t.Skipf("no /proc: %v", err)
	}
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
	u, _ := strconv.Atoi(f[11])
	s, _ := strconv.Atoi(f[12])
	return u + s
}

func TestSvlogdUDP(t *testing.T) {
	c := cBin(t, "svlogd")
	ours := ourBin(t, "svlogd")
	for _, bin := range []string{c, ours} {
		pc, err := net.ListenPacket("udp4", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer pc.Close()
		port := pc.LocalAddr().(*net.UDPAddr).Port
		root := t.TempDir()
		writeFile(t, filepath.Join(root, "u", "config"), fmt.Sprintf("u127.0.0.1:%d\npP>\n-*skip*\n", port), 0o644)
		writeFile(t, filepath.Join(root, "U", "config"), fmt.Sprintf("U127.0.0.1:%d\n", port), 0o644)
		r := run(t, root, nil, "sh", "-c", "printf 'udp one\\nskip\\n' | "+bin+" -l 5 -b 6 u U")
		if r.code != 0 {
			t.Fatal(r)
		}
		var got []string
		pc.SetReadDeadline(time.Now().Add(3 * time.Second))
		buf := make([]byte, 2000)
		for len(got) < 3 {
			n, _, err := pc.ReadFrom(buf)
			if err != nil {
				break
			}
			got = append(got, string(buf[:n]))
		}
		sort.Strings(got)
		// "skip" is deselected in u (-*skip*), so only U sends it.
		want := "P>udp o...\n,skip\n,udp o...\n"
		if strings.Join(got, ",") != want {
			t.Errorf("%s: datagrams %q", bin, got)
		}
		if s := readFile(filepath.Join(root, "u", "current")); s != "P>udp one\n" {
			t.Errorf("%s: u current %q", bin, s)
		}
		if s := readFile(filepath.Join(root, "U", "current")); s != "" {
			t.Errorf("%s: U current %q", bin, s)
		}
	}
}

// svlogdTmpfs mounts a small tmpfs for a full-disk test and unmounts it afterwards.
func svlogdTmpfs(t *testing.T, size string) string {
	t.Helper()
	needRoot(t)
	mnt := filepath.Join(t.TempDir(), "mnt")
	os.MkdirAll(mnt, 0o755)
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+size, "tmpfs", mnt).CombinedOutput(); err != nil {
		if strictTests() {
			t.Fatalf("cannot mount a tmpfs (%v: %s): RUNIT_TEST_STRICT requires the full-disk tests", err, out)
		}
		t.Skipf("cannot mount a tmpfs here (%v: %s): full-disk test skipped", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", "-l", mnt).Run() })
	return mnt
}

// svlogdFill fills the file system at dir, leaving about leave bytes free: it writes until
// the file system is full, then gives leave bytes back (portable: no statfs).
func svlogdFill(t *testing.T, dir string, leave int64) string {
	t.Helper()
	p := filepath.Join(dir, "filler")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	chunk := make([]byte, 16<<10)
	var size int64
	for {
		n, err := f.Write(chunk)
		size += int64(n)
		if err != nil {
			break
		}
	}
	if err := f.Truncate(max(0, size-leave)); err != nil {
		t.Fatal(err)
	}
	return p
}

// On a full disk svlogd pauses, keeps its input unread, and when space comes back writes
// everything: not one line is lost.
func TestSvlogdFullDisk(t *testing.T) {
	bin := ourBin(t, "svlogd")
	mnt := svlogdTmpfs(t, "1m")
	dir := filepath.Join(mnt, "log")
	writeFile(t, filepath.Join(dir, "config"), "s50000\nn0\n", 0o644)
	filler := svlogdFill(t, mnt, 64<<10)
	p := svlogdStart(t, bin, mnt, "log")
	n := 40000 // 320 kB: far more than fits, and more than a pipe holds
	wrote := p.writeAsync(svlogdSeq(n))
	waitFor(t, 20*time.Second, "svlogd pausing on the full disk", func() bool {
		return strings.Contains(p.stderr(), "svlogd: pausing: unable to write to current: log: out of disk space\n")
	})
	select {
	case err := <-wrote:
		t.Fatalf("all input was taken while the disk was full (%v): svlogd must leave it unread", err)
	default:
	}
	os.Remove(filler)
	if err := <-wrote; err != nil {
		t.Fatal(err)
	}
	p.finish(t, 30*time.Second)
	svlogdCheckSeq(t, svlogdCollect(t, dir), n, "")
}

// With -L a full disk drops lines (and says how many) instead of blocking the service;
// once space is back, lines are written again.
func TestSvlogdLossyFullDisk(t *testing.T) {
	bin := ourBin(t, "svlogd")
	mnt := svlogdTmpfs(t, "1m")
	dir := filepath.Join(mnt, "log")
	writeFile(t, filepath.Join(dir, "config"), "s0\n", 0o644)
	filler := svlogdFill(t, mnt, 32<<10)
	p := svlogdStart(t, bin, mnt, "-L", "log")
	done := p.writeAsync(svlogdSeq(40000))
	svlogdTaken(t, done, "svlogd -L blocked its input on a full disk")
	waitFor(t, 10*time.Second, "drop warning", func() bool {
		return strings.Contains(p.stderr(), "svlogd: warning: unable to write to current, dropping lines: log: out of disk space\n")
	})
	os.Remove(filler)
	io.WriteString(p.in, "after\n")
	p.finish(t, 10*time.Second)
	se := p.stderr()
	dropped := 0
	reports := regexp.MustCompile(`svlogd: warning: dropped (\d+) lines: log\n`).FindAllStringSubmatch(se, -1)
	for _, m := range reports {
		k, _ := strconv.Atoi(m[1])
		dropped += k
	}
	// One failure, one recovery: a disk with a few bytes free must not make every
	// chunk report.
	if len(reports) == 0 || len(reports) > 2 || strings.Count(se, "dropping lines") > 2 {
		t.Errorf("want one or two drop warnings and reports, stderr:\n%s", se)
	}
	got := svlogdCollect(t, dir)
	// Every line sent is either on disk or counted as dropped.
	if dropped+len(got) != 40001 {
		t.Errorf("%d dropped + %d on disk != 40001 sent", dropped, len(got))
	}
	if len(got) == 0 || got[len(got)-1] != "after" {
		t.Errorf("line after recovery missing; last lines %q", got[max(0, len(got)-3):])
	}
	for i := 1; i < len(got)-1; i++ {
		if got[i] <= got[i-1] {
			t.Fatalf("lines out of order at %d: %q %q", i, got[i-1], got[i])
		}
	}
}

// svlogdChattr sets or clears the immutable flag of dir.
func svlogdChattr(t *testing.T, flag, dir string) {
	t.Helper()
	if out, err := exec.Command("chattr", flag, dir).CombinedOutput(); err != nil {
		t.Fatalf("chattr %s %s: %v %s", flag, dir, err, out)
	}
}

// A log directory that refuses renames (immutable; not a full disk): without -L svlogd
// pauses with its input unread, with -L it skips the rotations, appends to current and
// never blocks. Once the fault clears, every line is there, in order.
func TestSvlogdUnwritableDir(t *testing.T) {
	bin := ourBin(t, "svlogd")
	if _, err := exec.LookPath("chattr"); err != nil {
		if strictTests() {
			t.Fatal("chattr is not installed (e2fsprogs)")
		}
		t.Skip("chattr is not installed (e2fsprogs): immutable-directory test skipped")
	}
	for _, lossy := range []bool{false, true} {
		t.Run(fmt.Sprintf("lossy=%v", lossy), func(t *testing.T) {
			mnt := svlogdTmpfs(t, "16m")
			dir := filepath.Join(mnt, "log")
			writeFile(t, filepath.Join(dir, "config"), "s4096\nn0\n", 0o644)
			args := []string{"log"}
			if lossy {
				args = []string{"-L", "log"}
			}
			p := svlogdStart(t, bin, mnt, args...)
			n := 50000
			seq := svlogdSeq(n)
			p.in.Write(seq[:8])
			waitFor(t, 5*time.Second, "first line", func() bool { return readFile(filepath.Join(dir, "current")) == "0000000\n" })
			svlogdChattr(t, "+i", dir)
			t.Cleanup(func() { exec.Command("chattr", "-i", dir).Run() })
			wrote := p.writeAsync(seq[8:])
			if lossy {
				svlogdTaken(t, wrote, "svlogd -L blocked its input on a directory refusing renames")
				waitFor(t, 10*time.Second, "rename warning", func() bool {
					return strings.Contains(p.stderr(), "svlogd: warning: unable to rename current: log: permission denied\n")
				})
				if strings.Contains(p.stderr(), "dropping") {
					t.Errorf("lines dropped though current could be written:\n%s", p.stderr())
				}
			} else {
				waitFor(t, 10*time.Second, "pausing on rename", func() bool {
					return strings.Contains(p.stderr(), "svlogd: pausing: unable to rename current: log: permission denied\n")
				})
				select {
				case err := <-wrote:
					t.Fatalf("all input taken while current could not be rotated (%v)", err)
				default:
				}
			}
			svlogdChattr(t, "-i", dir)
			if lossy {
				// The next rotation is tried at most every few seconds; ALRM asks for one.
				waitFor(t, 10*time.Second, "rotation after the fault cleared", func() bool {
					p.cmd.Process.Signal(syscall.SIGALRM)
					time.Sleep(50 * time.Millisecond)
					m, _ := filepath.Glob(filepath.Join(dir, "@*.s"))
					return len(m) > 0
				})
			} else if err := <-wrote; err != nil {
				t.Fatal(err)
			}
			p.finish(t, 30*time.Second)
			svlogdCheckSeq(t, svlogdCollect(t, dir), n, "")
			if m, _ := filepath.Glob(filepath.Join(dir, "@*.s")); len(m) < 1 {
				t.Errorf("rotation did not resume after the fault cleared: %v", m)
			}
		})
	}
}

// A standard input that cannot be read: C warns once and ends as at end of input.
func TestSvlogdStdinError(t *testing.T) {
	c := cBin(t, "svlogd")
	ours := ourBin(t, "svlogd")
	var res []string
	for _, bin := range []string{c, ours} {
		root := t.TempDir()
		os.MkdirAll(filepath.Join(root, "log"), 0o755)
		os.MkdirAll(filepath.Join(root, "in"), 0o755)
		r := run(t, root, nil, "sh", "-c", "exec timeout 10 "+bin+" -v log < in")
		res = append(res, fmt.Sprintf("exit %d\n%s", r.code, r.stderr))
	}
	if res[0] != res[1] {
		t.Errorf("C:\n%s\nours:\n%s", res[0], res[1])
	}
}

// The .u a processor is working on is never pruned, however many rotations go by with
// n2: each is processed (a slow processor), older .s files are deleted instead.
func TestSvlogdProcessingNotPruned(t *testing.T) {
	bin := ourBin(t, "svlogd")
	for _, lossy := range []bool{false, true} {
		t.Run(fmt.Sprintf("lossy=%v", lossy), func(t *testing.T) {
			root := t.TempDir()
			dir := filepath.Join(root, "log")
			writeFile(t, filepath.Join(dir, "config"), "s200\nn2\n!sleep 0.05; cat\n", 0o644)
			args := []string{"-v", "log"}
			if lossy {
				args = append([]string{"-L"}, args...)
			}
			p := svlogdStart(t, bin, root, args...)
			processingRe := regexp.MustCompile(`info: processing: log/(@[0-9a-f]{24})\.u\n`)
			// At least 30 rounds, and on until five rotations (with -L a loaded machine may
			// drop enough lines while the processor runs to rotate less often).
			for i := 0; i < 30 || (len(processingRe.FindAllString(p.stderr(), -1)) < 5 && i < 600); i++ {
				io.WriteString(p.in, svlogdLines(10, 20, func(k int) string { return fmt.Sprint(i*10 + k) }))
				time.Sleep(20 * time.Millisecond) // let rotations overlap a running processor
				if i%10 == 5 {
					p.cmd.Process.Signal(syscall.SIGHUP)
				}
			}
			p.finish(t, 30*time.Second)
			se := p.stderr()
			processing := processingRe.FindAllStringSubmatch(se, -1)
			if len(processing) < 5 {
				t.Fatalf("only %d rotations:\n%s", len(processing), se)
			}
			for _, m := range processing {
				if !strings.Contains(se, "info: processed: log/"+m[1]+".s\n") {
					t.Errorf("%s.u was never processed", m[1])
				}
			}
			if regexp.MustCompile(`delete: log/@[0-9a-f]{24}\.u`).MatchString(se) {
				t.Errorf("a .u was pruned:\n%s", se)
			}
			if !strings.Contains(se, "info: delete: ") {
				t.Errorf("nothing pruned with n2:\n%s", se)
			}
			if m, _ := filepath.Glob(filepath.Join(dir, "@*")); len(m) > 2 {
				t.Errorf("more than n2 files left: %v", m)
			}
		})
	}
}

// t rotates a non-empty current by age, without new input to wake svlogd.
func TestSvlogdTimeRotation(t *testing.T) {
	bin := ourBin(t, "svlogd")
	root := t.TempDir()
	dir := filepath.Join(root, "log")
	writeFile(t, filepath.Join(dir, "config"), "t1\n", 0o644)
	p := svlogdStart(t, bin, root, "log")
	io.WriteString(p.in, "aged\n")
	waitFor(t, 10*time.Second, "rotation by age", func() bool {
		m, _ := filepath.Glob(filepath.Join(dir, "@*.s"))
		return len(m) == 1 && readFile(m[0]) == "aged\n"
	})
	p.finish(t, 10*time.Second)
}

// A hung processor holds up rotation: svlogd leaves its input unread rather than
// dropping lines, and carries on when the processor ends.
func TestSvlogdHungProcessor(t *testing.T) {
	bin := ourBin(t, "svlogd")
	root := t.TempDir()
	dir := filepath.Join(root, "log")
	writeFile(t, filepath.Join(dir, "config"), "s4096\nn0\n!while [ ! -e go ]; do sleep 0.05; done; cat\n", 0o644)
	p := svlogdStart(t, bin, root, "log")
	t.Cleanup(func() { os.WriteFile(filepath.Join(dir, "go"), nil, 0o644) })
	n := 100000
	wrote := p.writeAsync(svlogdSeq(n))
	waitFor(t, 10*time.Second, "a rotated file waiting for the processor", func() bool {
		m, _ := filepath.Glob(filepath.Join(dir, "@*.u"))
		return len(m) == 1
	})
	select {
	case err := <-wrote:
		t.Fatalf("all input taken while the processor hung (%v)", err)
	case <-time.After(300 * time.Millisecond):
	}
	writeFile(t, filepath.Join(dir, "go"), "", 0o644)
	if err := <-wrote; err != nil {
		t.Fatal(err)
	}
	p.finish(t, 60*time.Second)
	svlogdCheckSeq(t, svlogdCollect(t, dir), n, "")
}

// A failing processor is reported as C svlogd reports it, its output discarded, and it is
// run again on the same file until it succeeds.
func TestSvlogdFailingProcessor(t *testing.T) {
	bin := ourBin(t, "svlogd")
	root := t.TempDir()
	dir := filepath.Join(root, "log")
	writeFile(t, filepath.Join(dir, "config"), "!if [ -e ok ]; then tr a-z A-Z; else echo partial; exit 1; fi\n", 0o644)
	p := svlogdStart(t, bin, root, "log")
	io.WriteString(p.in, "abc\n")
	waitFor(t, 5*time.Second, "line", func() bool { return readFile(filepath.Join(dir, "current")) == "abc\n" })
	p.cmd.Process.Signal(syscall.SIGALRM)
	waitFor(t, 10*time.Second, "failure message", func() bool {
		return strings.Contains(p.stderr(), "svlogd: warning: processor failed, restart: log\n")
	})
	writeFile(t, filepath.Join(dir, "ok"), "", 0o644)
	waitFor(t, 10*time.Second, "processed file", func() bool {
		m, _ := filepath.Glob(filepath.Join(dir, "@*.s"))
		return len(m) == 1 && readFile(m[0]) == "ABC\n"
	})
	p.finish(t, 10*time.Second)
	if m, _ := filepath.Glob(filepath.Join(dir, "@*.[ut]")); len(m) != 0 {
		t.Errorf("left over: %v", m)
	}
}

// With N below n, a full disk makes svlogd delete the oldest rotated files (down to N),
// with C svlogd's message, instead of pausing.
func TestSvlogdFullDiskDeletes(t *testing.T) {
	c := cBin(t, "svlogd")
	ours := ourBin(t, "svlogd")
	for _, bin := range []string{c, ours} {
		mnt := svlogdTmpfs(t, "512k")
		dir := filepath.Join(mnt, "log")
		writeFile(t, filepath.Join(dir, "config"), "s0\nn5\nN1\n", 0o644)
		for _, n := range []string{"@400000000000000000000001.s", "@400000000000000000000002.s", "@400000000000000000000003.s"} {
			writeFile(t, filepath.Join(dir, n), strings.Repeat("old\n", 32<<10), 0o744)
		}
		svlogdFill(t, mnt, 16<<10)
		cmd := exec.Command(bin, "log")
		cmd.Dir = mnt
		cmd.Stdin = bytes.NewReader(svlogdSeq(20000))
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v %s", bin, err, out)
		}
		want := "svlogd: warning: out of disk space, delete: log/@400000000000000000000001.s\n" +
			"svlogd: warning: out of disk space, delete: log/@400000000000000000000002.s\n"
		if string(out) != want {
			t.Errorf("%s: stderr %q", bin, out)
		}
		got := svlogdCollect(t, dir)
		if len(got) < 20000 || got[len(got)-1] != "0019999" {
			t.Errorf("%s: %d lines, last %q", bin, len(got), got[len(got)-1])
		}
	}
}

// With -L a hung processor does not block the service either: current grows past its
// limit until the processor ends, and nothing is lost.
func TestSvlogdLossyHungProcessor(t *testing.T) {
	bin := ourBin(t, "svlogd")
	root := t.TempDir()
	dir := filepath.Join(root, "log")
	writeFile(t, filepath.Join(dir, "config"), "s4096\nn0\n!while [ ! -e go ]; do sleep 0.05; done; cat\n", 0o644)
	p := svlogdStart(t, bin, root, "-L", "-v", "log")
	// On failure, let the processor end, or it holds svlogd's stderr and the cleanup waits.
	t.Cleanup(func() { os.WriteFile(filepath.Join(dir, "go"), nil, 0o644) })
	n := 50000
	seq := svlogdSeq(n)
	half := len(seq) / 2
	wrote := p.writeAsync(seq[:half])
	svlogdTaken(t, wrote, "svlogd -L blocked its input behind a hung processor")
	// A HUP while the processor hangs must not wait for it either.
	p.cmd.Process.Signal(syscall.SIGHUP)
	waitFor(t, 10*time.Second, "HUP handled", func() bool { return strings.Contains(p.stderr(), "svlogd: info: sighangup received.\n") })
	wrote = p.writeAsync(seq[half:])
	svlogdTaken(t, wrote, "svlogd -L blocked its input after a HUP behind a hung processor")
	if m, _ := filepath.Glob(filepath.Join(dir, "@*.u")); len(m) != 1 {
		t.Errorf("want the one .u being processed, got %v", m)
	}
	writeFile(t, filepath.Join(dir, "go"), "", 0o644)
	p.finish(t, 30*time.Second)
	svlogdCheckSeq(t, svlogdCollect(t, dir), n, "")
}

// Signals, differentially: HUP rereads the config and reopens, ALRM rotates, TERM exits;
// the -v messages, exit code and directory are C svlogd's.
func TestSvlogdSignalsDifferential(t *testing.T) {
	c := cBin(t, "svlogd")
	ours := ourBin(t, "svlogd")
	var res []string
	for _, bin := range []string{c, ours} {
		root := t.TempDir()
		dir := filepath.Join(root, "log")
		writeFile(t, filepath.Join(dir, "config"), "pA:\n", 0o644)
		p := svlogdStart(t, bin, root, "-v", "log")
		io.WriteString(p.in, "one\n")
		waitFor(t, 5*time.Second, "one", func() bool { return readFile(filepath.Join(dir, "current")) == "A:one\n" })
		writeFile(t, filepath.Join(dir, "config"), "pB:\ns100000\n", 0o644)
		p.cmd.Process.Signal(syscall.SIGHUP)
		waitFor(t, 5*time.Second, "HUP handled", func() bool { return strings.Contains(p.stderr(), "append: log/current") })
		io.WriteString(p.in, "two\n")
		waitFor(t, 5*time.Second, "two", func() bool { return strings.HasSuffix(readFile(filepath.Join(dir, "current")), "B:two\n") })
		p.cmd.Process.Signal(syscall.SIGALRM)
		waitFor(t, 5*time.Second, "ALRM handled", func() bool { return strings.Contains(p.stderr(), "rename: ") })
		p.cmd.Process.Signal(syscall.SIGTERM)
		code := p.wait(t, 10*time.Second)
		res = append(res, fmt.Sprintf("exit %d\n%s%s", code, svlogdTAI.ReplaceAllString(p.stderr(), "@TAI"), svlogdDescribe(t, dir, false)))
	}
	if res[0] != res[1] {
		t.Errorf("C:\n%s\nours:\n%s", res[0], res[1])
	}
}

// The signals C svlogd leaves at their default, which kill it: ours must die of each the
// same way (the wait status names the signal, nothing on stderr, the lines it took are in
// current). USR1 and USR2 are left out: ours keeps running on them, on purpose (README).
func TestSvlogdDeadlySignalsDifferential(t *testing.T) {
	c := cBin(t, "svlogd")
	ours := ourBin(t, "svlogd")
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGQUIT} {
		t.Run(sig.String(), func(t *testing.T) {
			var res []string
			for _, bin := range []string{c, ours} {
				root := t.TempDir()
				dir := filepath.Join(root, "log")
				if err := os.MkdirAll(dir, 0o755); err != nil {
					t.Fatal(err)
				}
				p := svlogdStart(t, bin, root, "log")
				io.WriteString(p.in, "one\n")
				waitFor(t, 5*time.Second, "one", func() bool { return readFile(filepath.Join(dir, "current")) == "one\n" })
				p.cmd.Process.Signal(sig)
				p.wait(t, 10*time.Second)
				ws := p.cmd.ProcessState.Sys().(syscall.WaitStatus)
				res = append(res, fmt.Sprintf("signaled %v by %v, exit %d; stderr %q; current %q", ws.Signaled(),
					ws.Signal(), ws.ExitStatus(), p.stderr(), readFile(filepath.Join(dir, "current"))))
			}
			if res[0] != res[1] {
				t.Errorf("%v:\n C:    %s\n ours: %s", sig, res[0], res[1])
			}
		})
	}
}

// Random configs and inputs, with a fixed seed, through both: pattern matching quirks,
// long lines and the size rules must agree everywhere, not only in hand-picked cases.
func TestSvlogdRandomDifferential(t *testing.T) {
	c := cBin(t, "svlogd")
	ours := ourBin(t, "svlogd")
	rng := uint64(0xc0ffee)
	rnd := func(n int) int {
		rng ^= rng << 13
		rng ^= rng >> 7
		rng ^= rng << 17
		return int(rng % uint64(n))
	}
	str := func(alpha string, max int) string {
		b := make([]byte, rnd(max+1))
		for i := range b {
			b[i] = alpha[rnd(len(alpha))]
		}
		return string(b)
	}
	for k := 0; k < 150; k++ {
		var cfg strings.Builder
		for i := rnd(5); i > 0; i-- {
			cfg.WriteString(string("+-eE"[rnd(4)]) + str("ab*+", 4) + "\n")
		}
		fmt.Fprintf(&cfg, "s%d\n", 20+rnd(200))
		// Pruning too: n keeps that many rotated files (0: all), N is the floor on a full disk.
		if nmax := rnd(4); nmax > 0 {
			fmt.Fprintf(&cfg, "n%d\nN%d\n", nmax, rnd(nmax+1))
		} else {
			cfg.WriteString("n0\n")
		}
		if rnd(2) == 0 {
			cfg.WriteString("p>\n")
		}
		lm := 2 + rnd(10)
		var in strings.Builder
		for i := rnd(60); i > 0; i-- {
			in.WriteString(str("ab\x01\x00", 14) + "\n")
		}
		args := []string{"-l", strconv.Itoa(lm), "-b", strconv.Itoa(lm + 1 + rnd(5))}
		if rnd(3) == 0 {
			args = append(args, "-r", "_")
		}
		configs := map[string]string{"log": cfg.String()}
		if rnd(3) == 0 {
			// A second directory with its own selection sees the same lines.
			configs["log2"] = string("+-eE"[rnd(4)]) + str("ab*\x00", 3) + "\ns" + strconv.Itoa(30+rnd(100)) + "\nn" + strconv.Itoa(rnd(3)) + "\n"
		}
		tc := svlogdCase{name: fmt.Sprint(k), args: args, configs: configs, input: in.String()}
		wd, we, wc := svlogdRun(t, c, tc)
		gd, ge, gc := svlogdRun(t, ours, tc)
		if wd != gd || we != ge || wc != gc {
			t.Errorf("case %d: args %q configs %q input %q\nC (%d):\n%s%q\nours (%d):\n%s%q", k, args, configs, in.String(), wc, wd, we, gc, gd, ge)
		}
	}
}

// svlogdGarbage returns n pseudo-random bytes (all 256 values, newlines among them).
func svlogdGarbage(n int) string {
	b := make([]byte, n)
	x := uint32(2463534242)
	for i := range b {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		b[i] = byte(x >> 24)
	}
	return string(b) + "\n"
}

// A log directory on a read-only file system is refused as C svlogd refuses it. (A
// remount to read-only under a running svlogd is refused by the kernel while current is
// open for writing; the full-disk tests cover pausing on write errors.)
func TestSvlogdReadOnly(t *testing.T) {
	c := cBin(t, "svlogd")
	bin := ourBin(t, "svlogd")
	mnt := svlogdTmpfs(t, "4m")
	os.MkdirAll(filepath.Join(mnt, "log"), 0o755)
	if out, err := exec.Command("mount", "-o", "remount,ro", mnt).CombinedOutput(); err != nil {
		t.Fatalf("remount ro: %v %s", err, out)
	}
	for _, b := range []string{c, bin} {
		r := run(t, mnt, nil, b, "log")
		want := "svlogd: warning: unable to lock directory: log: read-only file system\nsvlogd: fatal: no functional log directories.\n"
		if r.code != 111 || r.stderr != want {
			t.Errorf("%s: exit %d, stderr %q", b, r.code, r.stderr)
		}
	}
}

// svlogdCollectAll returns all lines in a log directory in time order, unprocessed .u
// files included (a .s and a .u of the same name would hold the same lines twice: that
// is an error), then current.
func svlogdCollectAll(t *testing.T, dir string) []string {
	t.Helper()
	return svlogdCollectKinds(t, dir, "su")
}

// A processor that fails every other run (after writing part of its output), rotation
// every 16 kB and a storm of HUPs, without -L: every line arrives once, in order, and the
// failed runs' output is thrown away.
func TestSvlogdStressFlakyProcessor(t *testing.T) {
	bin := ourBin(t, "svlogd")
	root := t.TempDir()
	dir := filepath.Join(root, "log")
	writeFile(t, filepath.Join(dir, "config"),
		"s16384\nn0\n!if [ -e odd ]; then rm odd; cat; else : >odd; head -c 100; exit 1; fi\n", 0o644)
	p := svlogdStart(t, bin, root, "-v", "log")
	waitFor(t, 10*time.Second, "svlogd to start", func() bool {
		_, err := os.Stat(filepath.Join(dir, "lock"))
		return err == nil
	})
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			case <-time.After(3 * time.Millisecond):
				p.cmd.Process.Signal(syscall.SIGHUP)
			}
		}
	}()
	n := 20000
	seq := svlogdSeq(n)
	for len(seq) > 0 {
		k := min(len(seq), 3000)
		if _, err := p.in.Write(seq[:k]); err != nil {
			t.Fatal(err)
		}
		seq = seq[k:]
	}
	close(stop)
	wg.Wait()
	p.finish(t, 60*time.Second)
	svlogdCheckSeq(t, svlogdCollect(t, dir), n, "")
	se := p.stderr()
	fails := strings.Count(se, "warning: processor failed, restart: log\n")
	done := strings.Count(se, "info: processed: ")
	if done < 8 || fails < done-1 {
		t.Errorf("%d rotations processed, %d failures: the test did not test", done, fails)
	}
	if m, _ := filepath.Glob(filepath.Join(dir, "@*.[ut]")); len(m) != 0 {
		t.Errorf("left over: %v", m)
	}
}

// TERM at a random moment, amid HUPs and ALRMs, with a slow processor: after svlogd has
// exited, the lines in the directory and those still unread in its input pipe (kept open
// here, as runsv keeps it) are the input exactly: nothing lost, nothing twice, in order.
// With -L as well: nothing here makes it drop anything.
func TestSvlogdStressTermAnyMoment(t *testing.T) {
	bin := ourBin(t, "svlogd")
	seed := time.Now().UnixNano()
	t.Logf("seed %d", seed)
	rng := uint64(seed) | 1
	rnd := func(n int) int {
		rng ^= rng << 13
		rng ^= rng >> 7
		rng ^= rng << 17
		return int(rng % uint64(n))
	}
	for k := 0; k < 6; k++ {
		lossy := k%2 == 1
		t.Run(fmt.Sprintf("%d-lossy=%v", k, lossy), func(t *testing.T) {
			root := t.TempDir()
			dir := filepath.Join(root, "log")
			writeFile(t, filepath.Join(dir, "config"), "s8192\nn0\n!sleep 0.1; cat\n", 0o644)
			r, w, err := os.Pipe()
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			args := []string{"-v", "log"}
			if lossy {
				args = append([]string{"-L"}, args...)
			}
			p := &svlogdProc{done: make(chan struct{})}
			p.cmd = exec.Command(bin, args...)
			p.cmd.Dir = root
			p.cmd.Stdin = r
			p.cmd.Stderr = p
			if err := p.cmd.Start(); err != nil {
				t.Fatal(err)
			}
			go func() { p.cmd.Wait(); close(p.done) }()
			t.Cleanup(func() { p.cmd.Process.Kill(); <-p.done })
			waitFor(t, 10*time.Second, "svlogd to start", func() bool {
				_, err := os.Stat(filepath.Join(dir, "lock"))
				return err == nil
			})
			n := 100000
			seq := svlogdSeq(n)
			wrote := make(chan struct{})
			go func() {
				defer close(wrote)
				defer w.Close()
				for b := seq; len(b) > 0; {
					m := min(len(b), 1+rnd(20000))
					if _, err := w.Write(b[:m]); err != nil {
						return
					}
					b = b[m:]
				}
			}()
			deadline := time.Now().Add(time.Duration(50+rnd(1500)) * time.Millisecond)
			for time.Now().Before(deadline) {
				if rnd(2) == 0 {
					p.cmd.Process.Signal(syscall.SIGHUP)
				} else {
					p.cmd.Process.Signal(syscall.SIGALRM)
				}
				time.Sleep(time.Duration(rnd(20)) * time.Millisecond)
			}
			p.cmd.Process.Signal(syscall.SIGTERM)
			select {
			case <-p.done:
			case <-time.After(60 * time.Second):
				t.Fatalf("no exit after TERM; stderr:\n%s", p.stderr())
			}
			if !p.cmd.ProcessState.Success() {
				t.Fatalf("%v; stderr:\n%s", p.cmd.ProcessState, p.stderr())
			}
			// svlogd made the pipe non-blocking; read the rest the plain way.
			syscall.SetNonblock(int(r.Fd()), false)
			rest, err := io.ReadAll(r)
			if err != nil {
				t.Fatal(err)
			}
			<-wrote
			got := svlogdCollectAll(t, dir)
			if len(rest) > 0 {
				got = append(got, strings.Split(strings.TrimSuffix(string(rest), "\n"), "\n")...)
			}
			svlogdCheckSeq(t, got, n, "")
			if strings.Contains(p.stderr(), "dropped") {
				t.Errorf("lines dropped:\n%s", p.stderr())
			}
			if m, _ := filepath.Glob(filepath.Join(dir, "@*.[ut]")); len(m) != 0 {
				t.Errorf("left over: %v", m)
			}
			t.Logf("%d lines in the directory", n-strings.Count(string(rest), "\n"))
		})
	}
}

// With -L a HUP does not wait for the processor; if the new config names another
// processor (or none), the file being processed is still processed, and retried, with the
// processor it was started with: a retry with no processor would replace it with nothing.
func TestSvlogdLossyHUPChangesProcessor(t *testing.T) {
	bin := ourBin(t, "svlogd")
	root := t.TempDir()
	dir := filepath.Join(root, "log")
	writeFile(t, filepath.Join(dir, "config"), "!if [ -e ok ]; then tr a-z A-Z; else sleep 0.3; exit 1; fi\n", 0o644)
	p := svlogdStart(t, bin, root, "-L", "-v", "log")
	io.WriteString(p.in, "abc\n")
	waitFor(t, 5*time.Second, "line", func() bool { return readFile(filepath.Join(dir, "current")) == "abc\n" })
	p.cmd.Process.Signal(syscall.SIGALRM)
	waitFor(t, 5*time.Second, "processing", func() bool { return strings.Contains(p.stderr(), "info: processing: ") })
	writeFile(t, filepath.Join(dir, "config"), "s100000\n", 0o644)
	p.cmd.Process.Signal(syscall.SIGHUP)
	waitFor(t, 5*time.Second, "HUP handled", func() bool { return strings.Contains(p.stderr(), "info: sighangup received.\n") })
	waitFor(t, 10*time.Second, "failure message", func() bool {
		return strings.Contains(p.stderr(), "svlogd: warning: processor failed, restart: log\n")
	})
	writeFile(t, filepath.Join(dir, "ok"), "", 0o644)
	p.finish(t, 10*time.Second)
	m, _ := filepath.Glob(filepath.Join(dir, "@*"))
	if len(m) != 1 || readFile(m[0]) != "ABC\n" || !strings.HasSuffix(m[0], ".s") {
		t.Errorf("want one .s holding ABC, got %v (%q); stderr:\n%s", m, readFile(m[0]), p.stderr())
	}
}

// With -L a line longer than a read, cut off by a full disk midway, is dropped whole: its
// head already written is taken back and its tail is not written after recovery, so the
// next line is not glued to a fragment, and the count says one line.
func TestSvlogdLossyFullDiskLongLine(t *testing.T) {
	bin := ourBin(t, "svlogd")
	mnt := svlogdTmpfs(t, "1m")
	dir := filepath.Join(mnt, "log")
	writeFile(t, filepath.Join(dir, "config"), "s0\n", 0o644)
	filler := svlogdFill(t, mnt, 96<<10)
	p := svlogdStart(t, bin, mnt, "-L", "log")
	in := p.in.(*os.File)
	io.WriteString(in, "before\n")
	waitFor(t, 10*time.Second, "first line", func() bool { return readFile(filepath.Join(dir, "current")) == "before\n" })
	// 400 kB: several reads, the first ones fit, the rest do not.
	if _, err := io.WriteString(in, strings.Repeat("L", 400<<10)+"\n"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 10*time.Second, "svlogd to read all of it", func() bool {
		queued, err := pipeQueued(in)
		return err == nil && queued == 0 && strings.Contains(p.stderr(), "dropping lines")
	})
	os.Remove(filler)
	io.WriteString(in, "after\n")
	p.finish(t, 10*time.Second)
	got := svlogdCollect(t, dir)
	if len(got) != 2 || got[0] != "before" || got[1] != "after" {
		for i := range got {
			if len(got[i]) > 40 {
				got[i] = fmt.Sprintf("%.20s...(%d bytes)", got[i], len(got[i]))
			}
		}
		t.Errorf("lines on disk %q, want before and after", got)
	}
	if se := p.stderr(); !strings.Contains(se, "svlogd: warning: dropped 1 lines: log\n") {
		t.Errorf("want one line reported dropped, stderr:\n%s", se)
	}
}

// svlogdUseInodes creates empty files in dir until the file system has no inode left
// (writes to existing files still succeed; creating a file fails). It returns a function
// that removes them again.
func svlogdUseInodes(t *testing.T, dir string) func() {
	t.Helper()
	var made []string
	for i := 0; ; i++ {
		p := filepath.Join(dir, fmt.Sprintf("inode%d", i))
		f, err := os.Create(p)
		if err != nil {
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatal(err)
			}
			break
		}
		f.Close()
		made = append(made, p)
	}
	return func() {
		for _, p := range made {
			os.Remove(p)
		}
	}
}

// With -L, a rotation that renames current to a .u but cannot create a new current keeps
// appending to the .u. A HUP then gives that .u up as current; once a new current can be
// created, the .u must still be processed (or, when the new config has no processor,
// become a .s as a rotation without one would make): its lines end up in one .s, once,
// and no .u is left.
func TestSvlogdLossyHUPDuringFailedRotation(t *testing.T) {
	bin := ourBin(t, "svlogd")
	for _, after := range []string{"!cat\n", "s0\n"} {
		t.Run(fmt.Sprintf("config after HUP %q", after), func(t *testing.T) {
			// Few inodes: renaming current needs none, creating a new one does.
			mnt := svlogdTmpfs(t, "16m,nr_inodes=64")
			dir := filepath.Join(mnt, "log")
			writeFile(t, filepath.Join(dir, "config"), "!cat\n", 0o644)
			p := svlogdStart(t, bin, mnt, "-L", "-v", "log")
			seq := svlogdSeq(200)
			p.in.Write(seq[:100*8])
			waitFor(t, 5*time.Second, "first lines", func() bool {
				return readFile(filepath.Join(dir, "current")) == string(seq[:100*8])
			})
			release := svlogdUseInodes(t, mnt)
			t.Cleanup(release)
			p.cmd.Process.Signal(syscall.SIGALRM)
			waitFor(t, 5*time.Second, "failed rotation", func() bool {
				return strings.Contains(p.stderr(), "svlogd: warning: unable to create new current: log: out of disk space\n")
			})
			us, _ := filepath.Glob(filepath.Join(dir, "@*.u"))
			if len(us) != 1 {
				t.Fatalf("want current renamed to one .u, got %v; stderr:\n%s", us, p.stderr())
			}
			// Lines after the failed rotation go to the renamed file.
			p.in.Write(seq[100*8:])
			waitFor(t, 5*time.Second, "later lines in the .u", func() bool { return readFile(us[0]) == string(seq) })
			// Rewriting config needs no inode.
			writeFile(t, filepath.Join(dir, "config"), after, 0o644)
			p.cmd.Process.Signal(syscall.SIGHUP)
			waitFor(t, 5*time.Second, "reopen", func() bool {
				return strings.Contains(p.stderr(), "svlogd: warning: unable to open current: log: out of disk space\n")
			})
			release()
			// Current is retried every few seconds, when there is a line to write: the
			// lines offered before that are dropped (and counted), not our concern here.
			waitFor(t, 15*time.Second, "new current", func() bool {
				io.WriteString(p.in, "after\n")
				time.Sleep(50 * time.Millisecond)
				return strings.Contains(readFile(filepath.Join(dir, "current")), "after\n")
			})
			waitFor(t, 10*time.Second, "the .u turned into a .s", func() bool {
				m, _ := filepath.Glob(filepath.Join(dir, "@*"))
				return len(m) == 1 && strings.HasSuffix(m[0], ".s")
			})
			p.finish(t, 10*time.Second)
			m, _ := filepath.Glob(filepath.Join(dir, "@*"))
			if len(m) != 1 || m[0] != strings.TrimSuffix(us[0], "u")+"s" || readFile(m[0]) != string(seq) {
				t.Errorf("want %s.s holding the 200 lines, got %v; stderr:\n%s", strings.TrimSuffix(us[0], ".u"), m, p.stderr())
			}
			if n := strings.Count(p.stderr(), "info: processing: "); after == "!cat\n" && n != 1 {
				t.Errorf("processed %d times, want once; stderr:\n%s", n, p.stderr())
			}
			for _, l := range strings.Split(strings.TrimSuffix(readFile(filepath.Join(dir, "current")), "\n"), "\n") {
				if l != "after" {
					t.Errorf("current holds %q", l)
				}
			}
		})
	}
}
