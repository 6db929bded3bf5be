//go:build linux

package e2e

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// The option matrix: for chpst and each personality, every option its usage allows, alone,
// twice, in pairs, separate and joined (-v -P, -vP, -m 1000, -m1000), crossed with argument
// edge cases, each run under C chpst and ours. Both must print the same, exit the same and
// leave the program they exec in the same state, which the program (mxProbeSrc) reports.

// mxVal is one value an option or operand is tried with; name labels it in case names and
// in mxExceptions.
type mxVal struct{ name, v string }

// mxLong is the very long argument (5000 bytes).
var mxLong = strings.Repeat("a", 5000)

// mxEdges are the argument edge cases every option value, operand and program name is
// crossed with.
var mxEdges = []mxVal{{"empty", ""}, {"byte", "x"}, {"long", mxLong}, {"dash", "-x"},
	{"nonascii", "ü"}, {"badnum", "12x"}, {"huge", "99999999999999999999"}}

// mxOpt is one option of a program's usage: a flag (no vals) or an option taking a value,
// tried with its own values (the first is the one pairs use) and then with mxEdges.
type mxOpt struct {
	letter string
	vals   []mxVal
	// skip names edge values not tried ("joined empty": the bare option, taking the next
	// word), and why; never for a difference (see mxExceptions).
	skip map[string]string
	// extra: an option C lacks. C runs the same command line without it, and everything
	// must come out the same but the working directory, which must be ours'.
	extra bool
}

// limit values beyond 63 bits: C reads them as negative, meaning the hard limit.
var mxBig = []mxVal{{"2^63", "9223372036854775808"}, {"2^64-1", "18446744073709551615"}}

// mx2to64 is 2^64, which C wraps to 0: tried only where a limit of 0 leaves C running.
var mx2to64 = mxVal{"2^64", "18446744073709551616"}

// mxLimitVals is a limit option's values: one that leaves the probe running, the big
// ones, and 2^64 when wrap is true.
func mxLimitVals(ok string, wrap bool) []mxVal {
	v := append([]mxVal{{"ok", ok}}, mxBig...)
	if wrap {
		v = append(v, mx2to64)
	}
	return v
}

// mxCPUZero: a CPU limit of 0 seconds kills the program at a moment of the kernel's choosing.
var mxCPUZero = map[string]string{"empty": "a CPU limit of 0 kills the probe at a time of the kernel's choosing"}

var mxUsers = []mxVal{{"nobody", "nobody"}, {"groups", "nobody:adm:daemon"}, {"numeric", ":1:2:3"},
	{"colons", "::"}, {"trailing", "nobody:adm:"}, {"onlygroup", ":adm"}, {"blank", " nobody"}, {"root", "root"}}

var mxLocks = []mxVal{{"lk", "lk"}, {"nodir", "nodir/lk"}, {"fifo", "fifo"}}

// mxLockSkip: a bare -l takes the probe's path as the lock file, opening for writing a
// file another case may be running (text busy, at random).
var mxLockSkip = map[string]string{"joined empty": "the lock would be the probe, which other cases run"}

// mxChpstOpts is chpst's getopt string "u:U:b:e:m:d:o:p:f:c:r:t:/:C:n:l:L:vP012V".
var mxChpstOpts = []mxOpt{
	{letter: "u", vals: mxUsers}, {letter: "U", vals: mxUsers},
	{letter: "b", vals: []mxVal{{"name", "argv0"}}},
	{letter: "e", vals: []mxVal{{"env", "env"}, {"subdir", "envsub"}, {"file", "afile"}}},
	{letter: "/", vals: []mxVal{{"root", "root"}, {"rootpw", "rootpw"}}},
	// pairs use ".", which leaves the other options' relative paths as they were
	{letter: "C", vals: []mxVal{{"dot", "."}, {"slash", "/"}, {"sub", "sub"}}, extra: true},
	{letter: "n", vals: []mxVal{{"ok", "5"}, {"plus", "+3"}, {"minus", "-2"}, {"sign", "+"},
		{"minussign", "-"}, {"-huge", "-99999999999999999999"}, {"2^32", "4294967296"}}},
	{letter: "l", vals: mxLocks, skip: mxLockSkip}, {letter: "L", vals: mxLocks, skip: mxLockSkip},
	{letter: "m", vals: mxLimitVals("4000000000", false)},
	{letter: "d", vals: mxLimitVals("300000000", true)},
	{letter: "o", vals: mxLimitVals("100", true)},
	{letter: "p", vals: mxLimitVals("100", true)},
	{letter: "f", vals: mxLimitVals("100000", true)},
	{letter: "c", vals: mxLimitVals("0", true)},
	{letter: "r", vals: mxLimitVals("100000", true)},
	{letter: "t", vals: mxLimitVals("30", false), skip: mxCPUZero},
	{letter: "v"}, {letter: "P"}, {letter: "0"}, {letter: "1"}, {letter: "2"}, {letter: "V"},
}

// mxSoftlimitOpts is softlimit's "a:c:d:f:l:m:o:p:r:s:t:"; "=" means the hard limit.
var mxSoftlimitOpts = func() []mxOpt {
	var opts []mxOpt
	for _, o := range []struct {
		letter, ok string
		wrap       bool
	}{{"a", "4000000000", false}, {"c", "0", true}, {"d", "300000000", true}, {"f", "100000", true},
		{"l", "65536", true}, {"m", "4000000000", false}, {"o", "100", true}, {"p", "100", true},
		{"r", "100000", true}, {"s", "8388608", false}, {"t", "30", false}} {
		opt := mxOpt{letter: o.letter, vals: append(mxLimitVals(o.ok, o.wrap), mxVal{"hard", "="})}
		if o.letter == "t" {
			opt.skip = mxCPUZero
		}
		opts = append(opts, opt)
	}
	return opts
}()

var mxSetlockOpts = []mxOpt{{letter: "n"}, {letter: "N"}, {letter: "x"}, {letter: "X"}}

// mxLimitRes is which of the probe's limit lines each limit option sets.
var mxLimitRes = map[string][]string{
	"m": {"DATA", "STACK", "MEMLOCK", "AS"}, "d": {"DATA"}, "o": {"NOFILE"}, "p": {"NPROC"},
	"f": {"FSIZE"}, "c": {"CORE"}, "r": {"RSS"}, "t": {"CPU"}, "a": {"AS"}, "l": {"MEMLOCK"},
	"s": {"STACK"},
}

// mxException is a difference from C we keep on purpose (README, "Where we differ"): in
// the cases using label (option=value name) under prog, the report lines starting with
// line may differ, and ours must satisfy ours there. Everything else is still compared.
type mxException struct {
	prog, label, line string
	ours              func(line string) bool
	why               string
}

// limitIsHard: a probe limit line whose soft value is the hard one.
func limitIsHard(line string) bool {
	f := strings.Fields(line)
	return len(f) >= 4 && f[2] == f[3]
}

// mxExceptions: C takes numbers modulo 2^64 as a signed long (99999999999999999999 becomes
// 7766279631452241919, 2^64 becomes 0, 2^63 a negative number that leaves the limit
// unchanged) and hands nice() an int (4294967296 becomes 0); ours reads any number beyond
// its field as the largest: the hard limit, the lowest priority (README).
var mxExceptions = func() []mxException {
	ex := []mxException{{prog: "chpst", label: "-n=2^32", line: "nice ",
		ours: func(l string) bool { return strings.HasPrefix(l, "nice 19 ") },
		why:  "C truncates the increment to an int: 4294967296 is 0; ours is the lowest priority"}}
	for _, prog := range []string{"chpst", "softlimit"} {
		for letter, res := range mxLimitRes {
			for _, v := range []string{"2^63", "huge", "2^64"} {
				for _, r := range res {
					ex = append(ex, mxException{prog: prog, label: "-" + letter + "=" + v, line: "limit " + r + " ",
						ours: limitIsHard, why: "C wraps numbers beyond 63 bits; ours takes them as the hard limit"})
				}
			}
		}
	}
	return ex
}()

// mxCase is one command line: the personality, ours' arguments and C's (without the
// options C lacks), the option=value labels it uses, and ours' expected working directory
// when an extra -C sets it.
type mxCase struct {
	prog    string
	ours, c []string
	labels  []string
	cwd     string
}

// mxWords is part of a command line, as ours and C get it.
type mxWords struct {
	ours, c []string
	labels  []string
	cwd     string
}

func mxPlain(w ...string) mxWords { return mxWords{ours: w, c: w} }

// mxGen collects cases.
type mxGen struct {
	cases []mxCase
	probe string
}

func (g *mxGen) add(prog string, parts ...mxWords) {
	c := mxCase{prog: prog, ours: []string{}, c: []string{}}
	for _, p := range parts {
		c.ours = append(c.ours, p.ours...)
		c.c = append(c.c, p.c...)
		c.labels = append(c.labels, p.labels...)
		if p.cwd != "" {
			c.cwd = p.cwd
		}
	}
	g.cases = append(g.cases, c)
}

// optWords is the option o given value v: separate (-m 1000) or joined (-m1000). An extra
// option is dropped from C's command line, and -C's directory becomes ours' expected cwd.
func optWords(o mxOpt, v mxVal, joined bool) mxWords {
	w := []string{"-" + o.letter, v.v}
	if joined {
		w = []string{"-" + o.letter + v.v}
	}
	r := mxWords{ours: w, c: w, labels: []string{"-" + o.letter + "=" + v.name}}
	if o.extra {
		r.c = nil
		if v.v != "." {
			r.cwd = v.v
		}
	}
	return r
}

// values is every value o is tried with.
func (o mxOpt) values() []mxVal {
	if o.extra {
		return o.vals // C lacks it: only what the rest of the line can be compared under
	}
	v := slices.Clone(o.vals)
	for _, e := range mxEdges {
		if _, skip := o.skip[e.name]; !skip {
			v = append(v, e)
		}
	}
	return v
}

// getopt generates the cases of a program with options: alone, with each value separate
// and joined, missing its value, twice, and every pair, separate and joined; before is
// the operand between the options and the child (setlock's file).
func (g *mxGen) getopt(prog string, opts []mxOpt, before []string) {
	tail := mxPlain(append(slices.Clone(before), g.probe, "a1")...)
	g.add(prog)
	g.add(prog, tail)
	g.add(prog, mxPlain("--"), tail)
	g.add(prog, mxPlain("-"), tail)
	g.add(prog, mxPlain(before...)) // no child
	g.add(prog, tail, mxPlain("-v"))
	for _, e := range append(mxEdges, mxVal{"dir", "/"}, mxVal{"file", "afile"}, mxVal{"relfile", "./afile"}) {
		g.add(prog, mxPlain(before...), mxPlain(e.v, "a1")) // the child's name
	}
	flag := func(o mxOpt) mxWords {
		return mxWords{ours: []string{"-" + o.letter}, c: []string{"-" + o.letter}, labels: []string{"-" + o.letter}}
	}
	for _, o := range opts {
		if o.vals == nil {
			g.add(prog, flag(o), tail)
			g.add(prog, flag(o), flag(o), tail)
			continue
		}
		for _, v := range o.values() {
			g.add(prog, optWords(o, v, false), tail)
			if _, skip := o.skip["joined empty"]; v.v != "" || !skip {
				g.add(prog, optWords(o, v, true), tail)
			}
		}
		if !o.extra {
			g.add(prog, mxPlain("-"+o.letter))       // missing its value
			g.add(prog, mxPlain("-v", "-"+o.letter)) // after another option
		}
		last := o.vals[len(o.vals)-1]
		g.add(prog, optWords(o, o.vals[0], false), optWords(o, last, false), tail)
	}
	for i, a := range opts {
		for _, b := range opts[i+1:] {
			word := func(o mxOpt, joined bool) mxWords {
				if o.vals == nil {
					return flag(o)
				}
				return optWords(o, o.vals[0], joined)
			}
			g.add(prog, word(a, false), word(b, false), tail)
			if a.vals == nil && !b.extra { // one word: -vP, -vPm1000
				w := word(b, true)
				joined := "-" + a.letter + strings.TrimPrefix(w.ours[0], "-")
				g.add(prog, mxWords{ours: []string{joined}, c: []string{joined},
					labels: append([]string{"-" + a.letter}, w.labels...)}, tail)
			} else {
				g.add(prog, word(a, true), word(b, true), tail)
			}
		}
	}
	var flags string
	for _, o := range opts {
		if o.vals == nil && o.letter != "V" {
			flags += o.letter
		}
	}
	if flags != "" {
		g.add(prog, mxPlain("-"+flags), tail)
	}
}

// operand generates the cases of a personality taking one operand and a child.
func (g *mxGen) operand(prog string, vals []mxVal) {
	g.add(prog)
	g.add(prog, mxPlain(vals[0].v))
	for _, v := range append(slices.Clone(vals), mxEdges...) {
		g.add(prog, mxWords{ours: []string{v.v}, c: []string{v.v}, labels: []string{"op=" + v.name}}, mxPlain(g.probe, "a1"))
	}
	for _, e := range mxEdges {
		g.add(prog, mxPlain(vals[0].v, e.v, "a1"))
	}
}

// mxCases is every case of the matrix.
func mxCases(probe string) []mxCase {
	g := &mxGen{probe: probe}
	g.getopt("chpst", mxChpstOpts, nil)
	g.getopt("softlimit", mxSoftlimitOpts, nil)
	g.getopt("setlock", mxSetlockOpts, []string{"lk"})
	for _, v := range append(mxLocks, mxEdges...) {
		for _, x := range [][]string{nil, {"-x"}} {
			g.add("setlock", mxPlain(x...), mxWords{ours: []string{v.v}, c: []string{v.v}, labels: []string{"op=" + v.name}}, mxPlain(probe, "a1"))
		}
	}
	g.operand("envdir", []mxVal{{"env", "env"}, {"subdir", "envsub"}, {"file", "afile"}})
	g.operand("envuidgid", mxUsers)
	g.operand("setuidgid", mxUsers)
	g.add("pgrphack")
	g.add("pgrphack", mxPlain(probe, "a1"))
	for _, e := range mxEdges {
		g.add("pgrphack", mxPlain(e.v, "a1"))
	}
	return g.cases
}

// mxProbeSrc is the program every case runs: a static binary (so that it runs inside a
// chroot without /proc) that writes to descriptor 3 what chpst may have changed.
const mxProbeSrc = `package main

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"sync/atomic"
	"syscall"
	_ "unsafe"
)

// Go raises its own open-files soft limit at start; the limit it started with is here.
//
//go:linkname origRlimitNofile syscall.origRlimitNofile
var origRlimitNofile atomic.Pointer[syscall.Rlimit]

// Linux's resource numbers (the same on every architecture Go runs Linux on, but alpha,
// mips and sparc, where C runit is not tested).
var limits = []struct {
	name string
	res  int
}{{"CPU", 0}, {"FSIZE", 1}, {"DATA", 2}, {"STACK", 3}, {"CORE", 4}, {"RSS", 5}, {"NPROC", 6},
	{"NOFILE", 7}, {"MEMLOCK", 8}, {"AS", 9}}

func main() {
	var b strings.Builder
	fmt.Fprintf(&b, "args %q\n", os.Args)
	fmt.Fprintf(&b, "uid %d %d gid %d %d\n", syscall.Getuid(), syscall.Geteuid(), syscall.Getgid(), syscall.Getegid())
	groups, _ := syscall.Getgroups()
	sort.Ints(groups)
	fmt.Fprintf(&b, "groups %v\n", groups)
	pid := syscall.Getpid()
	sid, _, _ := syscall.RawSyscall(syscall.SYS_GETSID, 0, 0, 0)
	fmt.Fprintf(&b, "leader pgrp %v session %v\n", syscall.Getpgrp() == pid, int(sid) == pid)
	prio, err := syscall.Getpriority(syscall.PRIO_PROCESS, 0)
	fmt.Fprintf(&b, "nice %d %v\n", 20-prio, err)
	wd, err := syscall.Getwd()
	fmt.Fprintf(&b, "cwd %s %v\n", wd, err)
	for _, l := range limits {
		var r syscall.Rlimit
		err := syscall.Getrlimit(l.res, &r)
		if o := origRlimitNofile.Load(); l.name == "NOFILE" && o != nil {
			r = *o
		}
		fmt.Fprintf(&b, "limit %s %d %d %v\n", l.name, r.Cur, r.Max, err)
	}
	for fd := 0; fd < 64; fd++ {
		var st syscall.Stat_t
		if fd != 3 && syscall.Fstat(fd, &st) == nil {
			fmt.Fprintf(&b, "fd %d %o\n", fd, st.Mode&syscall.S_IFMT)
		}
	}
	for _, e := range os.Environ() {
		fmt.Fprintf(&b, "env %q\n", e)
	}
	if _, err := os.NewFile(3, "report").WriteString(b.String()); err != nil {
		os.Exit(3)
	}
}
`

// mxProbe builds the probe into a directory anyone may enter (the cases run it as nobody
// too), removed when the test ends.
func mxProbe(t *testing.T) string {
	t.Helper()
	d, err := os.MkdirTemp("", "chpst-matrix-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(d) })
	os.Chmod(d, 0o755)
	writeFile(t, filepath.Join(d, "main.go"), mxProbeSrc, 0o644)
	writeFile(t, filepath.Join(d, "go.mod"), "module probe\n\ngo 1.21\n", 0o644)
	// checklinkname=0: the probe reads syscall's saved open-files limit
	cmd := exec.Command("go", "build", "-ldflags=-checklinkname=0", "-o", "probe", ".")
	cmd.Dir = d
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOTOOLCHAIN=local", "GOFLAGS=-mod=mod")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building the matrix probe: %v: %s", err, b)
	}
	return filepath.Join(d, "probe")
}

// mxFixture makes in dir what the case's words name (making all of it for every case took
// most of the matrix's time): envdirs, a file, a directory, a FIFO, and two chroots holding
// the probe at its own path, one with account files. It runs on the matrix's workers, so
// it returns its error instead of failing the test.
func mxFixture(dir, probe string, words []string) error {
	if err := os.Mkdir(dir, 0o755); err != nil {
		return err
	}
	files := func(fs ...string) func() error {
		return func() error {
			for i := 0; i < len(fs); i += 2 {
				p := filepath.Join(dir, fs[i])
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					return err
				}
				if err := os.WriteFile(p, []byte(fs[i+1]), 0o644); err != nil {
					return err
				}
			}
			return nil
		}
	}
	root := func(name string, fs ...string) func() error {
		return func() error {
			p := filepath.Join(dir, name, probe)
			if err := errors.Join(os.MkdirAll(filepath.Dir(p), 0o755), os.Link(probe, p),
				os.Mkdir(filepath.Join(dir, name, "dev"), 0o755), files(fs...)()); err != nil {
				return err
			}
			// the Go runtime opens /dev/null on a standard descriptor -0, -1 or -2 closed
			return unix.Mknod(filepath.Join(dir, name, "dev/null"), unix.S_IFCHR|0o666, int(unix.Mkdev(1, 3)))
		}
	}
	for _, e := range []struct {
		name string
		make func() error
	}{
		{"env", files("env/A", "new\n", "env/B", "b \t\n", "env/EMPTY", "")},
		{"envsub", func() error {
			return errors.Join(files("envsub/A", "sub\n")(), os.Mkdir(filepath.Join(dir, "envsub/sub"), 0o755))
		}},
		{"afile", files("afile", "x")},
		{"sub", func() error { return os.Mkdir(filepath.Join(dir, "sub"), 0o755) }},
		{"fifo", func() error { return unix.Mkfifo(filepath.Join(dir, "fifo"), 0o644) }},
		{"root", root("root")},
		{"rootpw", root("rootpw", "rootpw/etc/passwd",
			"root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n",
			"rootpw/etc/group", "root:x:0:\nadm:x:4:\n")},
	} {
		if slices.ContainsFunc(words, func(w string) bool { return strings.Contains(w, e.name) }) {
			if err := e.make(); err != nil {
				return fmt.Errorf("fixture %s: %w", e.name, err)
			}
		}
	}
	return nil
}

// mxCompare returns what differs between C's and ours' results for the case.
func mxCompare(c mxCase, cr, or chpstResult) []string {
	var diffs []string
	if cr.stdout != or.stdout {
		diffs = append(diffs, fmt.Sprintf("stdout: C %q, ours %q", cr.stdout, or.stdout))
	}
	if cr.stderr != or.stderr {
		diffs = append(diffs, fmt.Sprintf("stderr: C %q, ours %q", cr.stderr, or.stderr))
	}
	if cr.status != or.status {
		diffs = append(diffs, fmt.Sprintf("status: C %s, ours %s", cr.status, or.status))
	}
	// the lines an exception or an extra option lets differ, and ours' check on them
	var skip []mxException
	for _, ex := range mxExceptions {
		if ex.prog == c.prog && slices.Contains(c.labels, ex.label) {
			skip = append(skip, ex)
		}
	}
	if c.cwd != "" {
		want := c.cwd
		if !strings.HasPrefix(want, "/") {
			want = "DIR/" + want
		}
		skip = append(skip, mxException{line: "cwd ", ours: func(l string) bool { return l == "cwd "+want+" <nil>" },
			why: "-C " + c.cwd + " sets ours' working directory"})
	}
	lines := func(r string, check bool) []string {
		var keep []string
	next:
		for _, l := range strings.SplitAfter(r, "\n") {
			for _, ex := range skip {
				if strings.HasPrefix(l, ex.line) {
					if check && !ex.ours(strings.TrimSuffix(l, "\n")) {
						diffs = append(diffs, fmt.Sprintf("ours %q: not what ours should show (%s)", l, ex.why))
					}
					continue next
				}
			}
			keep = append(keep, l)
		}
		return keep
	}
	cl, ol := lines(cr.report, false), lines(or.report, true)
	if !slices.Equal(cl, ol) {
		diffs = append(diffs, fmt.Sprintf("program's report: C alone %q, ours alone %q", mxMinus(cl, ol), mxMinus(ol, cl)))
	}
	return diffs
}

// mxMinus is the lines of a not in b ("(none)" when a report is missing).
func mxMinus(a, b []string) []string {
	if len(a) <= 1 {
		return []string{"(none)"}
	}
	var d []string
	for _, l := range a {
		if !slices.Contains(b, l) {
			d = append(d, l)
		}
	}
	return d
}

// mxShort makes a case readable: the probe's path is PROBE, the long value a×5000.
func mxShort(s, probe string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, probe, "PROBE"), mxLong, "a×5000")
}

// TestChpstMatrix runs every case of the matrix under C chpst and ours, several at a
// time (each is two short processes), each in a fixture of its own; the whole runs beside
// the other parallel tests, which mostly wait.
func TestChpstMatrix(t *testing.T) {
	needRoot(t) // -u, -/, -n below 0 and the limits above the soft ones need it
	t.Parallel()
	cLinks := chpstLinks(t, cBin(t, "chpst"))
	oLinks := chpstLinks(t, ourBin(t, "chpst"))
	probe := mxProbe(t)
	cases := mxCases(probe)
	base := t.TempDir()
	start := time.Now()
	var mu sync.Mutex
	failed, ran := 0, 0
	concurrently(len(cases), func(i int) {
		c := cases[i]
		cd, od := filepath.Join(base, fmt.Sprint(i, "c")), filepath.Join(base, fmt.Sprint(i, "o"))
		defer os.RemoveAll(cd)
		defer os.RemoveAll(od)
		// A difference is confirmed by running the case twice more, each in a fresh
		// fixture: the cases run side by side, and a case whose lock file is the probe
		// (setlock PROBE a1) makes the probe unrunnable (text busy) for the others while
		// it holds it open.
		var cr, or chpstResult
		var diffs []string
		for try := 0; try < 3; try++ {
			os.RemoveAll(cd)
			os.RemoveAll(od)
			if err := errors.Join(mxFixture(cd, probe, c.c), mxFixture(od, probe, c.ours)); err != nil {
				t.Error(err)
				return
			}
			cr = chpstExec(t, cLinks, c.prog, cd, c.c)
			or = chpstExec(t, oLinks, c.prog, od, c.ours)
			if diffs = mxCompare(c, cr, or); len(diffs) == 0 {
				break
			}
		}
		mu.Lock()
		defer mu.Unlock()
		if or.report != "" {
			ran++
		}
		if len(diffs) > 0 {
			if failed++; failed <= 60 {
				t.Errorf("%s %s:\n %s", c.prog, mxShort(fmt.Sprintf("%q", c.ours), probe),
					mxShort(strings.Join(diffs, "\n "), probe))
			}
		}
	})
	if failed > 60 {
		t.Errorf("... %d cases differ in all", failed)
	}
	// a probe that never reports would make every effect compare equal
	if ran < len(cases)/3 {
		t.Errorf("the probe reported in %d cases of %d: the matrix compares next to no effects", ran, len(cases))
	}
	t.Logf("%d cases (the program ran in %d) in %v", len(cases), ran, time.Since(start).Round(time.Millisecond))
}
