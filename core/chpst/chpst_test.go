package chpst

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/runit-go/runit/platform"
	"golang.org/x/sys/unix"
)

type fakeDB struct{}

func (fakeDB) User(name string) (int, int, error) {
	switch name {
	case "nobody":
		return 65534, 65534, nil
	case "root":
		return 0, 0, nil
	case "unreadable":
		return 0, 0, unix.EIO
	}
	return 0, 0, ErrNoEntry
}

func (fakeDB) Group(name string) (int, error) {
	switch name {
	case "adm":
		return 4, nil
	case "daemon":
		return 1, nil
	case "unreadable":
		return 0, unix.ENOENT
	}
	return 0, ErrNoEntry
}

func TestResolveIDs(t *testing.T) {
	for _, c := range []struct {
		in   string
		ext  bool
		want IDs
		msg  string
	}{
		{"nobody", true, IDs{65534, []int{65534}}, ""},
		{"nobody:adm:daemon", true, IDs{65534, []int{4, 1}}, ""},
		{"nobody:", true, IDs{}, "unknown user/group: nobody:"},
		{"nobody::adm", true, IDs{}, "unknown user/group: nobody::adm"},
		{"ghost", true, IDs{}, "unknown user/group: ghost"},
		{":1234:5678:910", true, IDs{1234, []int{5678, 910}}, ""},
		{":12:", true, IDs{12, []int{0}}, ""},
		{"::", true, IDs{0, []int{0}}, ""},
		{":12:34:", true, IDs{12, []int{34, 0}}, ""},
		{":12", true, IDs{}, "invalid uid/gids: 12"},
		{":", true, IDs{}, "invalid uid/gids: "},
		{":12:34x", true, IDs{}, "invalid uid/gids: 12:34x"},
		{":-1:2", true, IDs{}, "invalid uid/gids: -1:2"},
		{":99999999999:1", true, IDs{}, "invalid uid/gids: 99999999999:1"},
		{":2147483648:5", true, IDs{2147483648, []int{5}}, ""},
		{":4294967295:4294967295", true, IDs{4294967295, []int{4294967295}}, ""},
		{":4294967296:1", true, IDs{}, "invalid uid/gids: 4294967296:1"},
		{":1:4294967296", true, IDs{}, "invalid uid/gids: 1:4294967296"},
		{":7:" + seq(60), true, IDs{7, seqInts(60)}, ""},
		{":7:" + seq(60) + ":", true, IDs{7, seqInts(60)}, ""},
		{":7:" + seq(59) + ":", true, IDs{7, append(seqInts(59), 0)}, ""},
		{":7:" + seq(60) + "::", true, IDs{}, "invalid uid/gids: 7:" + seq(60) + "::"},
		{":7:" + seq(61), true, IDs{}, "invalid uid/gids: 7:" + seq(61)},
		{"nobody" + strings.Repeat(":adm", 60) + ":nosuch", true, IDs{65534, slices.Repeat([]int{4}, 60)}, ""},
		{"nobody" + strings.Repeat(":adm", 59) + ":nosuch", true, IDs{}, "unknown user/group: nobody" + strings.Repeat(":adm", 59) + ":nosuch"},
		{"nobody", false, IDs{65534, []int{65534}}, ""},
		{"nobody:adm", false, IDs{}, "unknown account: nobody:adm"},
		{":1:2", false, IDs{}, "unknown account: :1:2"},
		// empty and blank names are looked up, and found by no database
		{"", true, IDs{}, "unknown user/group: "},
		{"", false, IDs{}, "unknown account: "},
		{" nobody", true, IDs{}, "unknown user/group:  nobody"},
		{":adm", true, IDs{}, "invalid uid/gids: adm"},
		// a database that cannot be read is C's errno message, not "unknown"
		{"unreadable", true, IDs{}, "unable to get password/group file entry"},
		{"unreadable", false, IDs{}, "unable to get password file entry"},
		{"nobody:unreadable", true, IDs{}, "unable to get password/group file entry"},
	} {
		got, msg, err := resolveIDs(fakeDB{}, c.in, c.ext)
		if msg != c.msg || (msg == "" && !reflect.DeepEqual(got, c.want)) {
			t.Errorf("resolveIDs(%q, %v) = %v %q, want %v %q", c.in, c.ext, got, msg, c.want, c.msg)
		}
		if (err != nil) != strings.Contains(c.in, "unreadable") {
			t.Errorf("resolveIDs(%q, %v): error %v", c.in, c.ext, err)
		}
	}
}

// seq is "1:2:...:n"; seqInts is the same as numbers.
func seq(n int) string {
	var b []string
	for i := 1; i <= n; i++ {
		b = append(b, strconv.Itoa(i))
	}
	return strings.Join(b, ":")
}

func seqInts(n int) []int {
	var r []int
	for i := 1; i <= n; i++ {
		r = append(r, i)
	}
	return r
}

func TestParse(t *testing.T) {
	usage := "usage: chpst" + usageChpst + "\n\n"
	for _, c := range []struct {
		argv   string
		check  func(*Plan) bool
		stderr string
		code   int
	}{
		{"chpst", nil, usage, 100},
		{"chpst -x true", nil, "chpst: illegal option -- x\n" + usage, 100},
		{"/usr/bin/chpst -u", nil, "chpst: option requires an argument -- u\n" + usage, 100},
		{"chpst -V true", nil, versionID + "\n" + usage, 100},
		{"chpst -o 1x true", nil, usage, 100},
		{"chpst -l a -L b true", nil, usage, 100},
		{"chpst -n x true", nil, usage, 100},
		{"dxyz", nil, "usage: xyz" + usageChpst + "\n\n", 100},
		{"chpst -vP012 -u nobody -U :1:2 -b arg0 -e d -/ r -C c -n -3 -L lk -m 5 -o 7 prog a", func(p *Plan) bool {
			return p.Verbose && p.Setsid && p.Close == [3]bool{true, true, true} && is(p.SetUser, "nobody") &&
				is(p.EnvUser, ":1:2") && is(p.Argv0, "arg0") && is(p.EnvDir, "d") && is(p.Root, "r") && is(p.Dir, "c") &&
				p.Nice == -3 && is(p.Lock, "lk") && !p.LockWait && p.Limits[platform.RlimitAS] == 5 && p.Limits[platform.RlimitData] == 5 &&
				p.Limits[platform.RlimitNofile] == 7 && p.Limits[platform.RlimitCPU] == limUnset && reflect.DeepEqual(p.Args, []string{"prog", "a"})
		}, "", 0},
		{"chpst -o '' x", func(p *Plan) bool { return p.Limits[platform.RlimitNofile] == 0 }, "", 0},
		// an empty value is still the option given, as in C: nothing is skipped
		{"chpst -u '' -U '' -b '' -e '' -/ '' -C '' -l '' x", func(p *Plan) bool {
			return is(p.SetUser, "") && is(p.EnvUser, "") && is(p.Argv0, "") && is(p.EnvDir, "") &&
				is(p.Root, "") && is(p.Dir, "") && is(p.Lock, "") && p.LockWait
		}, "", 0},
		{"chpst -L '' -l x x", nil, usage, 100},
		{"chpst x", func(p *Plan) bool {
			return p.SetUser == nil && p.EnvUser == nil && p.Argv0 == nil && p.EnvDir == nil &&
				p.Root == nil && p.Dir == nil && p.Lock == nil
		}, "", 0},
		{"setuidgid '' x", func(p *Plan) bool { return is(p.SetUser, "") }, "", 0},
		{"envuidgid '' x", func(p *Plan) bool { return is(p.EnvUser, "") }, "", 0},
		{"envdir '' x", func(p *Plan) bool { return is(p.EnvDir, "") }, "", 0},
		{"setlock '' x", func(p *Plan) bool { return is(p.Lock, "") }, "", 0},
		{"softlimit -o = -a 9 prog", func(p *Plan) bool {
			return p.Limits[platform.RlimitNofile] == limHard && p.Limits[platform.RlimitAS] == 9 && p.Limits[platform.RlimitData] == limUnset
		}, "", 0},
		{"softlimit -m x prog", nil, "usage: softlimit" + usageChpst + "\n\n", 100},
		{"softlimit -Z prog", nil, "softlimit: illegal option -- Z\nusage: softlimit" + usageSoftlimit + "\n\n", 100},
		{"setlock -nx f prog", func(p *Plan) bool { return p.LockWait && p.LockQuiet && is(p.Lock, "f") }, "", 0},
		{"setlock -nN f prog", func(p *Plan) bool { return !p.LockWait }, "", 0},
		{"dsetlock f", nil, "usage: setlock [ -nNxX ] file program [ arg ... ]\n\n", 100},
		{"envdir d", nil, "usage: envdir dir child\n\n", 100},
		{"denvdir d prog", func(p *Plan) bool { return is(p.EnvDir, "d") && p.EnvDirStrict }, "", 0},
		{"pgrphack -Z", func(p *Plan) bool { return p.Setsid && p.Args[0] == "-Z" }, "", 0},
		{"setuidgid nobody prog", func(p *Plan) bool { return is(p.SetUser, "nobody") && !p.UserExt }, "", 0},
	} {
		argv := strings.Fields(c.argv)
		for i, a := range argv {
			if a == "''" {
				argv[i] = ""
			}
		}
		p, out := Parse(argv)
		if out != nil {
			if out.Stderr != c.stderr || out.Code != c.code {
				t.Errorf("Parse(%q) = %q %d, want %q %d", c.argv, out.Stderr, out.Code, c.stderr, c.code)
			}
			continue
		}
		if c.check == nil || !c.check(p) {
			t.Errorf("Parse(%q) = %+v: not what was wanted", c.argv, p)
		}
	}
}

// TestParseLimit: digits or nothing; a number beyond 63 bits is the hard limit (C reads
// 2^64-1 as that, and wraps or ignores the others: README).
func TestParseLimit(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int64
		ok   bool
	}{
		{"", 0, true}, {"0", 0, true}, {"100", 100, true}, {"9223372036854775807", math.MaxInt64, true},
		{"9223372036854775808", limHard, true}, {"18446744073709551615", limHard, true},
		{"18446744073709551616", limHard, true}, {"99999999999999999999", limHard, true},
		{strings.Repeat("9", 5000), limHard, true}, {"12x", 0, false}, {"-1", 0, false}, {" 1", 0, false},
	} {
		got, ok := parseLimit(c.in)
		if ok != c.ok || (ok && got != c.want) {
			t.Errorf("parseLimit(%.30q) = %d %v, want %d %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

// is reports whether the option s was given with the value v.
func is(s *string, v string) bool { return s != nil && *s == v }

func TestEnvValue(t *testing.T) {
	for _, c := range []struct {
		in, want string
		set      bool
	}{
		{"", "", false},
		{"\n", "", true},
		{"a b \t \nsecond", "a b", true},
		{"x\x00y\n", "x\ny", true},
		{" lead", " lead", true},
		{"noeol", "noeol", true},
	} {
		got, set := envValue([]byte(c.in))
		if got != c.want || set != c.set {
			t.Errorf("envValue(%q) = %q %v, want %q %v", c.in, got, set, c.want, c.set)
		}
	}
}

func TestApplyEnv(t *testing.T) {
	env := []string{"A=1", "B=2", "C=3", "D=4"}
	got := applyEnv(env, []EnvMod{{Name: "B", Value: "x"}, {Name: "D", Unset: true}, {Name: "E", Value: "5"}})
	// djb's order: B's slot takes the last entry (D) and B=x is appended; unsetting D
	// moves B=x into D's slot; E is appended.
	want := []string{"A=1", "B=x", "C=3", "E=5"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("applyEnv = %q, want %q", got, want)
	}
}

func TestReadEnvDir(t *testing.T) {
	d := t.TempDir()
	os.WriteFile(filepath.Join(d, "X"), []byte("v\n"), 0o644)
	os.WriteFile(filepath.Join(d, ".dot"), []byte("v\n"), 0o644)
	os.Mkdir(filepath.Join(d, "sub"), 0o755)
	var warned string
	mods, err := readEnvDir(d, false, func(m string, _ error) { warned = m })
	if err != nil || len(mods) != 1 || mods[0] != (EnvMod{Name: "X", Value: "v"}) || warned != "unable to read "+d+"/sub" {
		t.Errorf("readEnvDir = %v %v, warning %q", mods, err, warned)
	}
	if _, err := readEnvDir(d, true, nil); err == nil || !strings.Contains(err.Error(), "unable to read "+d+"/sub") {
		t.Errorf("strict readEnvDir with a subdirectory: %v", err)
	}
	if _, err := readEnvDir(filepath.Join(d, "X"), false, nil); err == nil || !strings.HasPrefix(err.Error(), "unable to switch to directory") {
		t.Errorf("readEnvDir of a file: %v", err)
	}
}

// TestReadEnvDirGone: a dangling symlink unsets its variable (not the previous file's
// value, C runit's slip), a FIFO without a writer reads as empty instead of blocking, and
// the working directory is the same afterwards.
func TestReadEnvDirGone(t *testing.T) {
	d := t.TempDir()
	os.WriteFile(filepath.Join(d, "A"), []byte("a\n"), 0o644)
	os.WriteFile(filepath.Join(d, "Z"), []byte("z\n"), 0o644)
	if err := os.Symlink(filepath.Join(d, "nonexistent"), filepath.Join(d, "DANG")); err != nil {
		t.Fatal(err)
	}
	if err := unix.Mkfifo(filepath.Join(d, "FIFO"), 0o644); err != nil {
		t.Fatal(err)
	}
	wd, _ := os.Getwd()
	type res struct {
		mods []EnvMod
		err  error
	}
	done := make(chan res, 1)
	go func() {
		mods, err := readEnvDir(d, true, nil)
		done <- res{mods, err}
	}()
	var r res
	select {
	case r = <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("readEnvDir blocked (on the FIFO?)")
	}
	if r.err != nil {
		t.Fatal(r.err)
	}
	got := map[string]EnvMod{}
	for _, m := range r.mods {
		got[m.Name] = m
	}
	want := map[string]EnvMod{"A": {Name: "A", Value: "a"}, "Z": {Name: "Z", Value: "z"},
		"DANG": {Name: "DANG", Unset: true}, "FIFO": {Name: "FIFO", Unset: true}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("readEnvDir = %v, want %v", got, want)
	}
	if now, _ := os.Getwd(); now != wd {
		t.Errorf("readEnvDir left the working directory at %s, was %s", now, wd)
	}
}

// FuzzParse: any argv parses to a plan or an outcome, never a panic, and an outcome
// always has an exit code chpst can use.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"chpst -u nobody -o 5 true", "softlimit -o = x", "setlock -nx f p",
		"chpst -n -5 -m 99999999999999999999999 x", "envdir d c", "dxyz -", "chpst -- -x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		argv := strings.Split(s, " ")
		p, out := Parse(argv)
		if (p == nil) == (out == nil) {
			t.Fatalf("Parse(%q): plan %v outcome %v", s, p, out)
		}
		if out != nil && out.Code != exitUsage {
			t.Fatalf("Parse(%q): exit %d", s, out.Code)
		}
		if p != nil && len(p.Args) == 0 {
			t.Fatalf("Parse(%q): plan without a program", s)
		}
	})
}

// FuzzIDs: the numeric form never panics, and what it accepts has one gid at least.
func FuzzIDs(f *testing.F) {
	for _, s := range []string{":1:2", "::", ":1:2:3:", "nobody:adm", ":", ":9999999999999999999999:1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ids, msg, _ := resolveIDs(fakeDB{}, s, true)
		if msg == "" && (len(ids.GIDs) == 0 || len(ids.GIDs) > maxGroups || ids.UID < 0) {
			t.Fatalf("resolveIDs(%q) = %v", s, ids)
		}
	})
}

// FuzzEnvDir: any file content gives a value without newline... except from NULs, and
// reading it back through a real directory agrees with envValue.
func FuzzEnvDir(f *testing.F) {
	for _, s := range []string{"", "\n", "a b \t\nc", "x\x00y", "  ", "\t\n\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		v, set := envValue(b)
		if set != (len(b) > 0) || strings.HasSuffix(v, " ") || strings.HasSuffix(v, "\t") {
			t.Fatalf("envValue(%q) = %q %v", b, v, set)
		}
		d := t.TempDir()
		if err := os.WriteFile(filepath.Join(d, "V"), b, 0o644); err != nil {
			t.Fatal(err)
		}
		mods, err := readEnvDir(d, true, nil)
		if err != nil || len(mods) != 1 || mods[0].Value != v || mods[0].Unset == set {
			t.Fatalf("readEnvDir with %q: %v %v", b, mods, err)
		}
	})
}

// TestLimitsNotSupported runs the limit step against a system lacking RLIMIT_AS (as
// OpenBSD does) and RLIMIT_NPROC (as Solaris does): an option that can do nothing else is
// fatal and names itself; -m, which sets other limits too, warns and sets those.
func TestLimitsNotSupported(t *testing.T) {
	missing := map[platform.Rlimit]bool{platform.RlimitAS: true, platform.RlimitNproc: true}
	var set []platform.Rlimit
	saved := rlimitSys
	defer func() { rlimitSys = saved }()
	rlimitSys.setSoft = func(r platform.Rlimit, _ int64) error {
		if missing[r] {
			return errors.ErrUnsupported
		}
		set = append(set, r)
		return nil
	}
	rlimitSys.name = func(r platform.Rlimit) (string, bool) {
		if missing[r] { // platform names a missing limit too, for the message
			return map[platform.Rlimit]string{platform.RlimitAS: "RLIMIT_AS", platform.RlimitNproc: "RLIMIT_NPROC"}[r], false
		}
		return "RLIMIT_X", true
	}
	d, s, m, n := platform.RlimitData, platform.RlimitStack, platform.RlimitMemlock, platform.RlimitNofile
	for _, c := range []struct {
		argv   string
		stderr string
		failed bool
		set    []platform.Rlimit
	}{
		{"chpst -p 5 true", "chpst: fatal: -p: RLIMIT_NPROC not supported on this system\n", true, nil},
		{"chpst -m 5 -o 9 true", "chpst: warning: -m: RLIMIT_AS not supported on this system\n", false, []platform.Rlimit{d, s, m, n}},
		{"chpst -m 5 -p 3 true", "chpst: warning: -m: RLIMIT_AS not supported on this system\n" +
			"chpst: fatal: -p: RLIMIT_NPROC not supported on this system\n", true, []platform.Rlimit{d, s, m}},
		{"softlimit -a 5 true", "chpst: fatal: -a: RLIMIT_AS not supported on this system\n", true, nil},
		{"softlimit -p = true", "chpst: fatal: -p: RLIMIT_NPROC not supported on this system\n", true, nil},
		{"softlimit -d 7 true", "", false, []platform.Rlimit{d}},
	} {
		p, out := Parse(strings.Fields(c.argv))
		if out != nil {
			t.Fatalf("Parse(%q): %+v", c.argv, out)
		}
		set = nil
		var stderr strings.Builder
		code, failed := p.setLimits(&stderr, fatalTo(&stderr))
		if stderr.String() != c.stderr || failed != c.failed || (failed && code != exitFatal) || !reflect.DeepEqual(set, c.set) {
			t.Errorf("%s: stderr %q failed %v code %d set %v; want %q %v %v", c.argv, stderr.String(), failed, code, set, c.stderr, c.failed, c.set)
		}
	}
}
