package e2e

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// chpstPersonalities are the argv0 names chpst answers to (and their 'd' forms).
var chpstPersonalities = []string{"chpst", "envdir", "envuidgid", "pgrphack", "setuidgid",
	"softlimit", "setlock", "denvdir", "dsetlock", "dsoftlimit", "xyz", "dxyz"}

// chpstLinks makes a directory of symlinks named for every personality, pointing at
// bin, so that ours and C's print the same program names.
func chpstLinks(t *testing.T, bin string) string {
	t.Helper()
	d := t.TempDir()
	for _, n := range chpstPersonalities {
		if err := os.Symlink(bin, filepath.Join(d, n)); err != nil {
			t.Fatal(err)
		}
	}
	return d
}

// chpstFixture is an envdir with every kind of entry, and a lock file path, in dir.
func chpstFixture(t *testing.T, dir string) {
	t.Helper()
	writeFile(t, filepath.Join(dir, "env/A"), "a b \t \nsecond line\n", 0o644)
	writeFile(t, filepath.Join(dir, "env/NUL"), "x\x00y\n", 0o644)
	writeFile(t, filepath.Join(dir, "env/NL"), "\n", 0o644)
	writeFile(t, filepath.Join(dir, "env/EMPTY"), "", 0o644)
	writeFile(t, filepath.Join(dir, "env/.hidden"), "no\n", 0o644)
	writeFile(t, filepath.Join(dir, "plainenv/B"), "b\n", 0o644)
	if err := os.MkdirAll(filepath.Join(dir, "env/sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "afile"), "x", 0o644)
	// a variable file that is gone when read: both unset it (C's stale value needs an
	// earlier file to show, so this one is alone)
	// a FIFO as lock file: C opens it non-blocking and fails at once (ENXIO)
	if err := unix.Mkfifo(filepath.Join(dir, "fifo"), 0o644); err != nil && !os.IsExist(err) {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "dangenv"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(dir, "nonexistent"), filepath.Join(dir, "dangenv/DANG")); err != nil {
		t.Fatal(err)
	}
}

// TestChpstDifferential runs the same command lines through C chpst and ours and wants
// the same stdout, stderr and exit code: bad options and numbers, unknown users, envdir
// errors, exec errors, and the personalities' usage texts.
func TestChpstDifferential(t *testing.T) {
	cdir := chpstLinks(t, cBin(t, "chpst"))
	odir := chpstLinks(t, ourBin(t, "chpst"))
	work := t.TempDir()
	chpstFixture(t, work)
	cases := [][]string{
		{"chpst"}, {"chpst", "-x"}, {"chpst", "-V"}, {"chpst", "-u"}, {"chpst", "-b"},
		{"chpst", "-v"}, {"chpst", "--", "true"}, {"chpst", "-", "true"},
		{"chpst", "-u", "nosuchuser", "true"}, {"chpst", "-u", "nobody:", "true"},
		{"chpst", "-u", "nobody::adm", "true"}, {"chpst", "-u", "root:0", "true"},
		{"chpst", "-U", ":abc", "true"}, {"chpst", "-U", ":12", "true"}, {"chpst", "-U", ":", "true"},
		{"chpst", "-U", ":12:34x", "true"}, {"chpst", "-U", ":-1:2", "true"},
		{"chpst", "-U", ":12:", "sh", "-c", "echo $UID $GID"},
		{"chpst", "-U", "::", "sh", "-c", "echo $UID $GID"},
		{"chpst", "-U", "nobody", "sh", "-c", "echo $UID $GID"},
		{"chpst", "-U", ":2147483648:5", "sh", "-c", "echo $UID $GID"},
		{"chpst", "-U", ":4294967295:4294967294", "sh", "-c", "echo $UID $GID"},
		{"chpst", "-u", ":2147483648:4294967294", "sh", "-c", "grep -E '^(Uid|Gid|Groups)' /proc/self/status"},
		{"chpst", "-u", ":4294967295:5", "true"}, {"chpst", "-u", ":5:4294967295", "true"},
		{"chpst", "-U", ":7:" + seqIDs(60) + ":", "sh", "-c", "echo $UID $GID"},
		{"chpst", "-u", ":7:" + seqIDs(60), "sh", "-c", "grep Groups /proc/self/status"},
		{"chpst", "-U", ":7:" + seqIDs(61), "true"}, {"chpst", "-u", ":7:" + seqIDs(60) + "::", "true"},
		{"chpst", "-u", "nobody" + strings.Repeat(":adm", 60) + ":nosuchgroup", "id"},
		{"chpst", "-u", "nobody" + strings.Repeat(":adm", 59) + ":nosuchgroup", "id"},
		{"chpst", "-n", "abc", "true"}, {"chpst", "-n", "5x", "true"}, {"chpst", "-n", "++1", "true"},
		{"chpst", "-n", "", "true"}, {"chpst", "-n", "+", "true"},
		{"chpst", "-m", "x", "true"}, {"chpst", "-o", "-1", "true"}, {"chpst", "-o", "1k", "true"},
		{"chpst", "-d", "", "true"}, {"chpst", "-t", " 1", "true"},
		{"chpst", "-l", "a", "-L", "b", "true"}, {"chpst", "-l", "a", "-l", "b", "true"},
		{"chpst", "-l", "nodir/lock", "true"}, {"chpst", "-L", "fifo", "true"},
		{"setlock", "fifo", "true"}, {"setlock", "-x", "fifo", "true"},
		{"chpst", "./nonexistent"}, {"chpst", "nonexistent-program-xyz"}, {"chpst", "afile"},
		{"chpst", "./afile"}, {"chpst", "/"},
		{"chpst", "-e", "nonexistent", "true"}, {"chpst", "-e", "afile", "true"},
		{"chpst", "-e", "env", "sh", "-c", "echo \"[$A][$NUL][$NL][${EMPTY-unset}][${.hidden-}]\""},
		{"chpst", "-v", "-e", "env", "true"},
		{"chpst", "-e", "dangenv", "sh", "-c", "echo ${DANG-unset}"},
		{"chpst", "-e", "plainenv", "-U", ":7:8", "env"},
		{"chpst", "-/", "nonexistent", "true"}, {"chpst", "-/", "afile", "true"},
		{"envdir"}, {"envdir", "x"}, {"envdir", "-Z", "true"}, {"envdir", "env", "true"},
		{"envdir", "nonexistent", "true"}, {"envdir", "plainenv", "sh", "-c", "echo $B"},
		{"denvdir", "plainenv", "sh", "-c", "echo $B"},
		{"envuidgid"}, {"envuidgid", "nosuchuser", "true"}, {"envuidgid", "nobody:adm", "true"},
		{"envuidgid", "nobody", "sh", "-c", "echo $UID $GID"},
		{"setuidgid"}, {"setuidgid", "x"}, {"setuidgid", "nosuchuser", "true"},
		{"setuidgid", ":0:0", "true"},
		{"pgrphack"}, {"pgrphack", "-Z"},
		{"softlimit"}, {"softlimit", "-Z"}, {"softlimit", "-m", "abc", "true"}, {"softlimit", "-o"},
		{"softlimit", "-o", "=", "sh", "-c", "ulimit -n"}, {"dsoftlimit", "-m", "x", "true"},
		{"softlimit", "-o", "50", "sh", "-c", "ulimit -n"},
		{"setlock"}, {"setlock", "-Z"}, {"setlock", "f"}, {"setlock", "nodir/f", "true"},
		{"setlock", "-x", "nodir/f", "true"}, {"setlock", "lk", "./nonexistent"},
		{"setlock", "-x", "lk", "./nonexistent"}, {"dsetlock", "-Z"},
		{"xyz"}, {"xyz", "-x"}, {"dxyz"}, {"dxyz", "-x"},
		// an empty value is acted on, not skipped
		{"chpst", "-e", "", "true"}, {"chpst", "-/", "", "true"}, {"chpst", "-l", "", "true"},
		{"chpst", "-L", "", "true"}, {"chpst", "-L", "", "-l", "x", "true"}, {"envdir", "", "true"},
		{"setlock", "", "true"}, {"setlock", "-x", "", "true"},
		// the version and the usage are Debian's 2.1.2
		{"chpst", "-V", "true"}, {"chpst", "-vV", "true"}, {"chpst", "-PV"},
		// the failed exec names argv[0], which -b replaced
		{"chpst", "-b", "other", "nonexistent-program-xyz"}, {"chpst", "-b", "", "nonexistent-program-xyz"},
	}
	for _, c := range cases {
		name := strings.Join(c, " ")
		cr := run(t, work, nil, filepath.Join(cdir, c[0]), c[1:]...)
		or := run(t, work, nil, filepath.Join(odir, c[0]), c[1:]...)
		if cr != or {
			t.Errorf("%s:\n C:    code %d stdout %q stderr %q\n ours: code %d stdout %q stderr %q",
				name, cr.code, cr.stdout, cr.stderr, or.code, or.stdout, or.stderr)
		}
	}
}

// chpstUserForms is every way of writing an empty, blank or malformed user or group we
// could think of, beside well-formed ones: user names alone, with group lists, and the
// numeric :uid:gid forms.
func chpstUserForms() []string {
	users := []string{"", "nobody", "root", "nosuchuser", " nobody", "nobody ", "\tnobody", "nobody\n",
		"no body", "-nobody", "+nobody", "#nobody", " ", "\n"}
	groups := []string{":", "::", ":adm", ":adm:", ":adm:daemon", "::adm", ":adm::daemon", ": adm",
		":adm ", ":nosuchgroup", ":adm:nosuchgroup", ":adm:daemon:"}
	forms := slices.Clone(users)
	for _, u := range []string{"", "nobody", "root", " "} {
		for _, g := range groups {
			forms = append(forms, u+g)
		}
	}
	return append(forms, ":::", ":1", ":1:", ":1:2", ":1:2:", ":1::2", "::2", ":1:2:3", ": 1:2",
		":1 :2", ":1:2 ", ":1:adm", ":-1:2", ":+1:2", ":0x1:2", ":01:02", ":1:2\n", ":\n")
}

// TestChpstUserForms: every user form under -u, -U, setuidgid and envuidgid does what C
// chpst does: the same uid, gid and groups (or UID and GID in the environment), the same
// message and exit code. An empty user used to run the program as root, unchanged.
func TestChpstUserForms(t *testing.T) {
	cdir := chpstLinks(t, cBin(t, "chpst"))
	odir := chpstLinks(t, ourBin(t, "chpst"))
	work := t.TempDir()
	show := []string{"sh", "-c", `id -u; id -g; id -G; echo "UID=${UID-unset} GID=${GID-unset}"`}
	type tc struct {
		prog string
		args []string
	}
	var cases []tc
	for _, f := range chpstUserForms() {
		cases = append(cases, tc{"chpst", []string{"-u", f}}, tc{"chpst", []string{"-U", f}},
			tc{"setuidgid", []string{f}}, tc{"envuidgid", []string{f}})
	}
	concurrently(len(cases), func(i int) {
		c := cases[i]
		args := append(slices.Clone(c.args), show...)
		cr, or := chpstExec(t, cdir, c.prog, work, args), chpstExec(t, odir, c.prog, work, args)
		if cr != or {
			t.Errorf("%s %q:\n C:    %+v\n ours: %+v", c.prog, c.args, cr, or)
		}
	})
	r := chpstExec(t, odir, "chpst", work, []string{"-u", "", "id", "-u"})
	if r.stderr != "chpst: fatal: unknown user/group: \n" || r.status != "exit 111" {
		t.Errorf("chpst -u '' id -u: %+v, want C's refusal", r)
	}
}

// TestChpstEmptyArgv0: -b gives the program the argv[0] asked for, an empty one too, as
// the program itself reads it in /proc/self/cmdline.
func TestChpstEmptyArgv0(t *testing.T) {
	cdir := chpstLinks(t, cBin(t, "chpst"))
	odir := chpstLinks(t, ourBin(t, "chpst"))
	work := t.TempDir()
	for _, b := range []string{"", "x", "-x", "ü", " ", strings.Repeat("a", 5000)} {
		args := []string{"-b", b, "cat", "/proc/self/cmdline"}
		cr, or := chpstExec(t, cdir, "chpst", work, args), chpstExec(t, odir, "chpst", work, args)
		if cr != or {
			t.Errorf("chpst -b %q cat /proc/self/cmdline:\n C:    %+v\n ours: %+v", b, cr, or)
		}
		if want := b + "\x00/proc/self/cmdline\x00"; or.stdout != want {
			t.Errorf("chpst -b %q: the program's argv is %q, want %q", b, or.stdout, want)
		}
	}
}

// TestChpstChrootAccounts: users and groups are looked up inside the -/ root, as C's
// getpwnam does after chroot; where the root has no account files C says it could not
// get an entry (with the open's error), not that the user is unknown, and so do we. The
// personalities, run by chroot, say "password file entry".
func TestChpstChrootAccounts(t *testing.T) {
	needRoot(t)
	cChpst, oChpst := cBin(t, "chpst"), ourBin(t, "chpst")
	cdir, odir := chpstLinks(t, cChpst), chpstLinks(t, oChpst)
	probe, err := os.ReadFile(chpstProbe(t))
	if err != nil {
		t.Fatal(err)
	}
	base := t.TempDir()
	os.Chmod(base, 0o755)
	roots := map[string]map[string]string{
		"empty":  nil,
		"passwd": {"etc/passwd": "root:x:0:0::/:/bin/sh\nnobody:x:65534:65534::/:/bin/sh\n"},
		"both": {"etc/passwd": "root:x:0:0::/:/bin/sh\nnobody:x:65534:65534::/:/bin/sh\n",
			"etc/group": "root:x:0:\nadm:x:4:\n"},
	}
	for name, files := range roots {
		writeFile(t, filepath.Join(base, name, "probe"), string(probe), 0o755)
		for f, content := range files {
			writeFile(t, filepath.Join(base, name, f), content, 0o644)
		}
		// C's chpst runs inside the root too, with its libraries: for the personalities
		chrootCopy(t, cChpst, filepath.Join(base, name))
		writeFile(t, filepath.Join(base, name, "ours"), readFile(oChpst), 0o755)
		for _, p := range []string{"c/setuidgid", "c/envuidgid", "o/setuidgid", "o/envuidgid"} {
			os.MkdirAll(filepath.Join(base, name, filepath.Dir(p)), 0o755)
			target := map[byte]string{'c': cChpst, 'o': "/ours"}[p[0]]
			if err := os.Symlink(target, filepath.Join(base, name, p)); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, c := range []struct {
		root string
		args []string
	}{
		{"empty", []string{"-u", "nobody"}}, {"empty", []string{"-U", "nobody"}}, {"empty", []string{"-u", ""}},
		{"empty", []string{"-u", "nobody:adm"}}, {"empty", []string{"-u", ":1:2"}}, {"empty", []string{"-U", ":1:2"}},
		{"passwd", []string{"-u", "nobody"}}, {"passwd", []string{"-u", "nobody:adm"}}, {"passwd", []string{"-u", "nobody:"}},
		{"passwd", []string{"-u", "nosuchuser"}}, {"passwd", []string{"-u", ""}}, {"passwd", []string{"-U", "nobody:adm"}},
		{"both", []string{"-u", "nobody:adm"}}, {"both", []string{"-u", "nobody:nosuchgroup"}},
	} {
		args := append([]string{"-/", filepath.Join(base, c.root)}, append(c.args, "/probe")...)
		cr, or := chpstExec(t, cdir, "chpst", base, args), chpstExec(t, odir, "chpst", base, args)
		if cr != or {
			t.Errorf("chpst %q in the %s root:\n C:    %+v\n ours: %+v", c.args, c.root, cr, or)
		}
	}
	r := chpstExec(t, odir, "chpst", base, []string{"-u", "nobody", "-/", filepath.Join(base, "empty"), "/probe"})
	if r.stderr != "chpst: fatal: unable to get password/group file entry: file does not exist\n" || r.status != "exit 111" {
		t.Errorf("chpst -u nobody -/ ROOT without /etc/passwd: %+v, want C's message", r)
	}
	for _, root := range []string{"empty", "passwd"} {
		for _, p := range []string{"setuidgid", "envuidgid"} {
			for _, user := range []string{"nobody", "", "nosuchuser"} {
				run := func(who string) result {
					cmd := exec.Command("/"+who+"/"+p, user, "/probe")
					cmd.SysProcAttr = &syscall.SysProcAttr{Chroot: filepath.Join(base, root)}
					cmd.Dir = "/"
					var o, e bytes.Buffer
					cmd.Stdout, cmd.Stderr = &o, &e
					err := cmd.Run()
					var ee *exec.ExitError
					if err != nil && !errors.As(err, &ee) {
						t.Fatalf("%s/%s in the %s root: %v", who, p, root, err)
					}
					return result{o.String(), e.String(), cmd.ProcessState.ExitCode()}
				}
				if cr, or := run("c"), run("o"); cr != or {
					t.Errorf("%s %q in the %s root:\n C:    %+v\n ours: %+v", p, user, root, cr, or)
				}
			}
		}
	}
}

// chrootCopy copies the dynamically linked program bin into root at the same path, with
// the libraries ldd names, so that it runs inside root.
func chrootCopy(t *testing.T, bin, root string) {
	t.Helper()
	out, err := exec.Command("ldd", bin).Output()
	if err != nil {
		t.Fatalf("ldd %s: %v", bin, err)
	}
	files := []string{bin}
	for _, w := range strings.Fields(string(out)) {
		if strings.HasPrefix(w, "/") {
			files = append(files, w)
		}
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(root, f), string(b), 0o755)
	}
}

// seqIDs is "1:2:...:n", a list of n numeric groups.
func seqIDs(n int) string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = strconv.Itoa(i + 1)
	}
	return strings.Join(ids, ":")
}

// TestChpstDifferentialUnprivileged compares the failures of privileged operations: both
// tools run as nobody (dropped to by C chpst, the same way for both).
func TestChpstDifferentialUnprivileged(t *testing.T) {
	needRoot(t)
	c := cBin(t, "chpst")
	// our build directory is private (0700): nobody needs a copy it can execute
	d, err := os.MkdirTemp("", "chpst-unpriv-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(d)
	os.Chmod(d, 0o755)
	b, err := os.ReadFile(ourBin(t, "chpst"))
	if err != nil {
		t.Fatal(err)
	}
	ours := filepath.Join(d, "chpst")
	if err := os.WriteFile(ours, b, 0o755); err != nil {
		t.Fatal(err)
	}
	// envdirs nobody can enter but not list, list but not enter, and a working directory
	// it cannot open (C's envdir code opens "." first, to come back to it)
	for _, n := range []string{"e311", "e644", "noread"} {
		writeFile(t, filepath.Join(d, n, "X"), "x\n", 0o644)
	}
	os.Chmod(filepath.Join(d, "e311"), 0o311)
	os.Chmod(filepath.Join(d, "e644"), 0o644)
	os.Chmod(filepath.Join(d, "noread"), 0o311)
	noread := filepath.Join(d, "noread")
	for _, c2 := range []struct {
		dir  string
		args []string
	}{{"/", []string{"-u", "root"}}, {"/", []string{"-u", ":0:0"}}, {"/", []string{"-/", "/"}},
		{"/", []string{"-n", "-5"}}, {"/", []string{"-l", "/root/chpst-lock"}}, {"/", []string{"-e", "/root"}},
		{"/", []string{"-o", "99999999"}}, {"/", []string{"-P", "-n", "3", "true"}},
		{d, []string{"-e", "e311"}}, {d, []string{"-e", "e644"}}, {noread, []string{"-e", d}},
		{noread, []string{"true"}}} {
		args := c2.args
		if args[len(args)-1] != "true" {
			args = append(args, "true")
		}
		cr := run(t, c2.dir, nil, c, append([]string{"-u", "nobody", c}, args...)...)
		or := run(t, c2.dir, nil, c, append([]string{"-u", "nobody", ours}, args...)...)
		if cr != or {
			t.Errorf("as nobody in %s, chpst %q: C %+v, ours %+v", c2.dir, args, cr, or)
		}
	}
}

var (
	chpstProbeOnce sync.Once
	chpstProbePath string
	chpstProbeErr  error
)

// chpstProbeSrc is a static program that reports, from inside the child, what a
// shell inside a chroot could not: its working directory and whether /marker exists.
const chpstProbeSrc = `package main

import (
	"fmt"
	"os"
)

func main() {
	wd, _ := os.Getwd()
	_, err := os.Stat("/marker")
	fmt.Printf("cwd=%s marker=%v args=%q\n", wd, err == nil, os.Args)
}
`

// chpstProbe builds the probe once (static, so it runs inside an empty chroot).
func chpstProbe(t *testing.T) string {
	t.Helper()
	chpstProbeOnce.Do(func() {
		d, err := os.MkdirTemp("", "chpst-probe-")
		if err != nil {
			chpstProbeErr = err
			return
		}
		os.WriteFile(filepath.Join(d, "main.go"), []byte(chpstProbeSrc), 0o644)
		os.WriteFile(filepath.Join(d, "go.mod"), []byte("module probe\n\ngo 1.21\n"), 0o644)
		chpstProbePath = filepath.Join(d, "probe")
		cmd := exec.Command("go", "build", "-o", chpstProbePath, ".")
		cmd.Dir = d
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOTOOLCHAIN=local", "GOFLAGS=-mod=mod")
		if b, err := cmd.CombinedOutput(); err != nil {
			chpstProbeErr = err
			chpstProbePath = string(b)
		}
	})
	if chpstProbeErr != nil {
		t.Fatalf("building the chroot probe: %v %s", chpstProbeErr, chpstProbePath)
	}
	return chpstProbePath
}

// procLimit returns the soft and hard values of the /proc/PID/limits line starting with name.
func procLimit(t *testing.T, limits, name string) (string, string) {
	t.Helper()
	sc := bufio.NewScanner(strings.NewReader(limits))
	for sc.Scan() {
		if l := sc.Text(); strings.HasPrefix(l, name) {
			f := strings.Fields(l[len(name):])
			if len(f) >= 2 {
				return f[0], f[1]
			}
		}
	}
	t.Fatalf("no %q in limits:\n%s", name, limits)
	return "", ""
}

// TestChpstOptions checks every option's effect from inside the child.
func TestChpstOptions(t *testing.T) {
	needRoot(t)
	bin := chpstLinks(t, ourBin(t, "chpst"))
	chpst := filepath.Join(bin, "chpst")
	work := t.TempDir()
	chpstFixture(t, work)
	ok := func(r result, name string) result {
		t.Helper()
		if r.code != 0 {
			t.Fatalf("%s: exit %d, stderr %q", name, r.code, r.stderr)
		}
		return r
	}
	expect := func(name string, got, want string) {
		t.Helper()
		if got != want {
			t.Errorf("%s: got %q, want %q", name, got, want)
		}
	}

	t.Run("u-user-groups", func(t *testing.T) {
		r := ok(run(t, work, nil, chpst, "-u", "nobody:adm:daemon", "id"), "-u")
		expect("-u nobody:adm:daemon id", r.stdout, "uid=65534(nobody) gid=4(adm) groups=4(adm),1(daemon)\n")
		r = ok(run(t, work, nil, chpst, "-u", "nobody", "id"), "-u")
		expect("-u nobody id", r.stdout, "uid=65534(nobody) gid=65534(nogroup) groups=65534(nogroup)\n")
		// /proc/self/status shows real, effective, saved and fs ids, and the group list.
		r = ok(run(t, work, nil, chpst, "-u", ":1234:5678:910", "cat", "/proc/self/status"), "-u numeric")
		for _, want := range []string{"Uid:\t1234\t1234\t1234\t1234\n", "Gid:\t5678\t5678\t5678\t5678\n", "Groups:\t910 5678 \n"} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("-u :1234:5678:910: /proc/self/status lacks %q", want)
			}
		}
		r = ok(run(t, work, nil, filepath.Join(bin, "setuidgid"), "nobody", "id"), "setuidgid")
		expect("setuidgid nobody id", r.stdout, "uid=65534(nobody) gid=65534(nogroup) groups=65534(nogroup)\n")
	})
	t.Run("U-env", func(t *testing.T) {
		r := ok(run(t, work, nil, chpst, "-U", "nobody:adm", "sh", "-c", "echo $UID $GID; id -u"), "-U")
		expect("-U nobody:adm", r.stdout, "65534 4\n0\n")
		r = ok(run(t, work, nil, filepath.Join(bin, "envuidgid"), "nobody", "sh", "-c", "echo $UID $GID"), "envuidgid")
		expect("envuidgid nobody", r.stdout, "65534 65534\n")
	})
	t.Run("b-argv0", func(t *testing.T) {
		r := ok(run(t, work, nil, chpst, "-b", "fakename", "sh", "-c", "echo $0", "ignored"), "-b")
		expect("-b", r.stdout, "ignored\n")
		r = ok(run(t, work, nil, chpst, "-b", "fakename", "bash", "-c", `echo "$BASH_ARGV0"; cat /proc/$$/cmdline | tr '\0' ' '`), "-b")
		if !strings.Contains(r.stdout, "fakename -c") {
			t.Errorf("-b fakename: child's argv is %q", r.stdout)
		}
	})
	t.Run("e-envdir", func(t *testing.T) {
		r := ok(run(t, work, []string{"EMPTY=was-set", "A=old"}, chpst, "-e", "env", "sh", "-c",
			`echo "[$A][$NUL][$NL][${EMPTY-unset}]"`), "-e")
		expect("-e", r.stdout, "[a b][x\ny][][unset]\n")
		r = run(t, work, nil, chpst, "-v", "-e", "env", "true")
		expect("-v -e warning", r.stderr, "chpst: warning: unable to read env/sub: is a directory\n")
		r = run(t, work, nil, filepath.Join(bin, "envdir"), "env", "true")
		expect("envdir subdir", r.stderr, "chpst: fatal: unable to read env/sub: is a directory\n")
		if r.code != 111 {
			t.Errorf("envdir with a subdirectory: exit %d, want 111", r.code)
		}
	})
	t.Run("root-and-C", func(t *testing.T) {
		root := t.TempDir()
		probe, _ := os.ReadFile(chpstProbe(t))
		writeFile(t, filepath.Join(root, "probe"), string(probe), 0o755)
		writeFile(t, filepath.Join(root, "marker"), "", 0o644)
		os.MkdirAll(filepath.Join(root, "sub"), 0o755)
		r := ok(run(t, work, nil, chpst, "-/", root, "/probe"), "-/")
		expect("-/", r.stdout, "cwd=/ marker=true args=[\"/probe\"]\n")
		r = ok(run(t, work, nil, chpst, "-/", root, "-C", "/sub", "/probe"), "-/ -C")
		expect("-/ -C", r.stdout, "cwd=/sub marker=true args=[\"/probe\"]\n")
		r = ok(run(t, work, nil, chpst, "-C", root, "pwd"), "-C")
		expect("-C", r.stdout, root+"\n")
		r = run(t, work, nil, chpst, "-C", "nonexistent", "pwd")
		expect("-C missing", r.stderr, "chpst: fatal: unable to change directory: nonexistent: file does not exist\n")
	})
	t.Run("n-nice", func(t *testing.T) {
		base, err := strconv.Atoi(strings.TrimSpace(ok(run(t, work, nil, "nice"), "nice").stdout))
		if err != nil {
			t.Fatal(err)
		}
		clamp := func(n int) string { return strconv.Itoa(max(-20, min(19, n))) }
		for _, c := range []struct {
			arg  string
			want string
		}{{"5", clamp(base + 5)}, {"+3", clamp(base + 3)}, {"-2", clamp(base - 2)}, {"100", "19"}, {"-100", "-20"}} {
			r := ok(run(t, work, nil, chpst, "-n", c.arg, "nice"), "-n")
			expect("-n "+c.arg, r.stdout, c.want+"\n")
		}
	})
	t.Run("P-setsid", func(t *testing.T) {
		for _, args := range [][]string{{chpst, "-P"}, {filepath.Join(bin, "pgrphack")}} {
			r := ok(run(t, work, nil, args[0], append(args[1:], "cat", "/proc/self/stat")...), "setsid")
			f := strings.Fields(r.stdout[strings.LastIndex(r.stdout, ")")+1:])
			pid := strings.Fields(r.stdout)[0]
			if f[2] != pid || f[3] != pid {
				t.Errorf("%s: pid %s pgrp %s session %s, want a new session", args, pid, f[2], f[3])
			}
		}
	})
	t.Run("012-close", func(t *testing.T) {
		out := filepath.Join(work, "fds")
		// the shell looks before it opens anything: the redirection comes last
		script := `r=; for f in 0 1 2; do [ -e /proc/$$/fd/$f ] && r=$r$f; done; echo "$r" > ` + out
		for _, c := range []struct{ flag, want string }{{"-0", "12"}, {"-1", "02"}, {"-2", "01"}, {"-012", ""}} {
			ok(run(t, work, nil, chpst, c.flag, "sh", "-c", script), c.flag)
			expect(c.flag+" fds open", readFile(out), c.want+"\n")
		}
		// and the check itself sees all three when none is closed
		ok(run(t, work, nil, chpst, "sh", "-c", script), "no close")
		expect("fds open", readFile(out), "012\n")
	})
	t.Run("limits", func(t *testing.T) {
		cat := func(args ...string) string {
			return ok(run(t, work, nil, chpst, append(args, "cat", "/proc/self/limits")...), strings.Join(args, " ")).stdout
		}
		lim := cat()
		_, hardNofile := procLimit(t, lim, "Max open files")
		for _, c := range []struct {
			args       []string
			line, want string
		}{
			{[]string{"-o", "100"}, "Max open files", "100"},
			{[]string{"-o", "999999999"}, "Max open files", hardNofile},
			{[]string{"-d", "300000000"}, "Max data size", "300000000"},
			{[]string{"-m", "400000000"}, "Max address space", "400000000"},
			{[]string{"-m", "400000000"}, "Max stack size", "400000000"},
			{[]string{"-m", "400000000"}, "Max locked memory", "400000000"},
			{[]string{"-m", "400000000"}, "Max data size", "400000000"},
			{[]string{"-p", "77"}, "Max processes", "77"},
			{[]string{"-f", "123456"}, "Max file size", "123456"},
			{[]string{"-c", "0"}, "Max core file size", "0"},
			{[]string{"-r", "5000000"}, "Max resident set", "5000000"},
			{[]string{"-t", "30"}, "Max cpu time", "30"},
		} {
			soft, _ := procLimit(t, cat(c.args...), c.line)
			expect(strings.Join(c.args, " ")+" "+c.line, soft, capAtHard(t, lim, c.line, c.want))
		}
		r := ok(run(t, work, nil, chpst, "-o", "64", "sh", "-c", "ulimit -n"), "-o ulimit")
		expect("-o 64 ulimit -n", r.stdout, "64\n")
		sl := filepath.Join(bin, "softlimit")
		for _, c := range []struct {
			args       []string
			line, want string
		}{
			{[]string{"-a", "500000000"}, "Max address space", "500000000"},
			{[]string{"-l", "65536"}, "Max locked memory", "65536"},
			{[]string{"-s", "1048576"}, "Max stack size", "1048576"},
			{[]string{"-o", "33"}, "Max open files", "33"},
			{[]string{"-o", "="}, "Max open files", hardNofile},
			{[]string{"-p", "55"}, "Max processes", "55"},
			{[]string{"-t", "9"}, "Max cpu time", "9"},
			{[]string{"-c", "0"}, "Max core file size", "0"},
			{[]string{"-d", "300000000"}, "Max data size", "300000000"},
			{[]string{"-f", "654321"}, "Max file size", "654321"},
			{[]string{"-m", "450000000"}, "Max address space", "450000000"},
			{[]string{"-m", "450000000"}, "Max stack size", "450000000"},
			{[]string{"-m", "450000000"}, "Max locked memory", "450000000"},
			{[]string{"-m", "450000000"}, "Max data size", "450000000"},
			{[]string{"-r", "6000000"}, "Max resident set", "6000000"},
		} {
			r := ok(run(t, work, nil, sl, append(c.args, "cat", "/proc/self/limits")...), "softlimit")
			soft, _ := procLimit(t, r.stdout, c.line)
			c.want = capAtHard(t, lim, c.line, c.want)
			expect("softlimit "+strings.Join(c.args, " ")+" "+c.line, soft, c.want)
		}
	})
	t.Run("locks", func(t *testing.T) {
		lk := filepath.Join(work, "lock")
		log := filepath.Join(work, "order")
		holder := exec.Command(chpst, "-L", lk, "sh", "-c", "echo held > "+log+".held; read x; echo holder >> "+log)
		stdin, _ := holder.StdinPipe()
		if err := holder.Start(); err != nil {
			t.Fatal(err)
		}
		defer holder.Process.Kill()
		waitFor(t, 5e9, "the holder to take the lock", func() bool { return readFile(log+".held") != "" })
		r := run(t, work, nil, chpst, "-L", lk, "true")
		expect("-L on a held lock", r.stderr, "chpst: fatal: unable to lock: "+lk+": temporary failure\n")
		r = run(t, work, nil, filepath.Join(bin, "setlock"), lk, "true")
		if r.code != 111 {
			t.Errorf("setlock (no wait) on a held lock: exit %d, want 111", r.code)
		}
		r = run(t, work, nil, filepath.Join(bin, "setlock"), "-x", lk, "true")
		if r.code != 0 || r.stderr != "" {
			t.Errorf("setlock -x on a held lock: exit %d stderr %q, want 0 and silence", r.code, r.stderr)
		}
		// -X undoes an earlier -x: the failure is reported again
		r = run(t, work, nil, filepath.Join(bin, "setlock"), "-x", "-X", lk, "true")
		if r.code != 111 || r.stderr != "chpst: fatal: unable to lock: "+lk+": temporary failure\n" {
			t.Errorf("setlock -x -X on a held lock: exit %d stderr %q, want 111 and the message", r.code, r.stderr)
		}
		waiter := exec.Command(chpst, "-l", lk, "sh", "-c", "echo waiter >> "+log)
		if err := waiter.Start(); err != nil {
			t.Fatal(err)
		}
		waiter2 := exec.Command(filepath.Join(bin, "setlock"), "-n", lk, "sh", "-c", "echo waiter2 >> "+log)
		if err := waiter2.Start(); err != nil {
			t.Fatal(err)
		}
		stdin.Close()
		if err := holder.Wait(); err != nil {
			t.Fatal(err)
		}
		if err := waiter.Wait(); err != nil {
			t.Fatal(err)
		}
		if err := waiter2.Wait(); err != nil {
			t.Fatal(err)
		}
		if got := readFile(log); !strings.HasPrefix(got, "holder\n") || len(got) != len("holder\nwaiter\nwaiter2\n") {
			t.Errorf("-l / setlock -n did not wait for the lock: order %q", got)
		}
		// the program inherits the locked descriptor
		r = ok(run(t, work, nil, chpst, "-l", lk, "sh", "-c", "ls -l /proc/$$/fd"), "-l fd")
		if !strings.Contains(r.stdout, lk) {
			t.Errorf("-l: the lock file is not open in the child:\n%s", r.stdout)
		}
	})
	t.Run("exec-path", func(t *testing.T) {
		r := ok(run(t, work, []string{"PATH=" + filepath.Join(work, "p1") + "::/usr/bin:/bin"}, chpst, "-e", "plainenv", "sh", "-c", "echo $B"), "PATH")
		expect("PATH lookup", r.stdout, "b\n")
		writeFile(t, filepath.Join(work, "pdir/myprog"), "#!/bin/sh\necho found $B\n", 0o755)
		writeFile(t, filepath.Join(work, "penv/PATH"), filepath.Join(work, "pdir")+"\n", 0o644)
		writeFile(t, filepath.Join(work, "penv/B"), "bee\n", 0o644)
		r = ok(run(t, work, nil, chpst, "-e", "penv", "myprog"), "PATH from envdir")
		expect("PATH from envdir", r.stdout, "found bee\n")
	})
}

// capAtHard is what chpst must set for want: the hard limit when want exceeds it.
func capAtHard(t *testing.T, limits, line, want string) string {
	_, hard := procLimit(t, limits, line)
	w, err1 := strconv.ParseUint(want, 10, 64)
	h, err2 := strconv.ParseUint(hard, 10, 64)
	if err1 == nil && err2 == nil && w > h {
		return hard
	}
	return want
}

// TestChpstNSSUser: a user and group that only NSS knows (a systemd userdb drop-in in
// /run/userdb, served by nss-systemd, as "passwd: files systemd" in nsswitch.conf has it)
// resolve under ours as under C chpst, whose getpwnam and getgrnam go through NSS.
func TestChpstNSSUser(t *testing.T) {
	needRoot(t)
	c := cBin(t, "chpst")
	ours := ourBin(t, "chpst")
	name := "chpste2e" + strconv.Itoa(os.Getpid()%100000)
	if _, err := os.Stat("/run/userdb"); os.IsNotExist(err) {
		if err := os.Mkdir("/run/userdb", 0o755); err != nil {
			t.Skipf("cannot make /run/userdb: %v", err)
		}
		defer os.Remove("/run/userdb")
	}
	user, group := "/run/userdb/"+name+".user", "/run/userdb/"+name+".group"
	defer os.Remove(user)
	defer os.Remove(group)
	writeFile(t, user, `{"userName":"`+name+`","uid":47110,"gid":47111}`+"\n", 0o644)
	writeFile(t, group, `{"groupName":"`+name+`","gid":47111}`+"\n", 0o644)
	if out, err := exec.Command("getent", "passwd", name).Output(); err != nil || !strings.HasPrefix(string(out), name+":") {
		t.Skipf("getent passwd %s finds nothing (%v): this system's NSS has no systemd source", name, err)
	}
	if strings.Contains(readFile("/etc/passwd"), name+":") {
		t.Fatalf("%s is in /etc/passwd: the test would not reach NSS", name)
	}
	for _, args := range [][]string{
		{"-u", name, "id"}, {"-u", name + ":" + name + ":daemon", "id"}, {"-u", "nobody:" + name, "id"},
		{"-U", name, "sh", "-c", "echo $UID $GID"}, {"-u", name + "x", "id"}, {"-u", "nobody:" + name + "x", "id"},
	} {
		cr := run(t, "/", nil, c, args...)
		or := run(t, "/", nil, ours, args...)
		if cr != or {
			t.Errorf("chpst %q: C %+v, ours %+v", args, cr, or)
		}
	}
	r := run(t, "/", nil, ours, "-u", name, "id", "-u")
	if r.stdout != "47110\n" {
		t.Errorf("chpst -u %s id -u: %+v, want 47110", name, r)
	}
}

// TestChpstNofileInherited: the program gets the soft open-files limit chpst was started
// with (256 here, below the hard limit), not the one the Go runtime raised for itself,
// under every personality, unless -o or softlimit -o sets it.
func TestChpstNofileInherited(t *testing.T) {
	var lim unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_NOFILE, &lim); err != nil {
		t.Fatal(err)
	}
	if lim.Max < 1024 {
		t.Skipf("hard RLIMIT_NOFILE is %d: too low for the test's soft limit of 256 to stand apart", lim.Max)
	}
	cdir := chpstLinks(t, cBin(t, "chpst"))
	odir := chpstLinks(t, ourBin(t, "chpst"))
	work := t.TempDir()
	chpstFixture(t, work)
	show := []string{"sh", "-c", "ulimit -Sn"}
	for _, c := range [][]string{
		{"chpst"}, {"chpst", "-m", "300000000"}, {"chpst", "-e", "plainenv", "-P"}, {"chpst", "-o", "100"},
		{"envdir", "plainenv"}, {"envuidgid", "nobody"}, {"setuidgid", "nobody"}, {"pgrphack"},
		{"softlimit", "-d", "300000000"}, {"softlimit", "-o", "="}, {"setlock", "lk"},
	} {
		// the shell lowers the soft limit, then becomes chpst
		sh := func(dir string) result {
			return run(t, work, nil, "sh", append([]string{"-c", `ulimit -Sn 256 && exec "$@"`, "sh",
				filepath.Join(dir, c[0])}, append(c[1:], show...)...)...)
		}
		cr, or := sh(cdir), sh(odir)
		if cr != or {
			t.Errorf("%q under ulimit -Sn 256: C %+v, ours %+v", c, cr, or)
		}
		if len(c) == 1 && or.stdout != "256\n" {
			t.Errorf("%q under ulimit -Sn 256: the program's soft limit is %q", c, or.stdout)
		}
	}
}

// chpstResult is what one chpst run showed: its output, how it ended, and what the program
// wrote to descriptor 3 (where the matrix's probe reports).
type chpstResult struct {
	stdout, stderr, status, report string
}

// chpstExec runs the personality prog from linkDir with args in dir, in a fixed small
// environment, with a pipe on descriptor 3; dir in the output reads DIR. It may run on
// any goroutine (failures are t.Error).
func chpstExec(t *testing.T, linkDir, prog, dir string, args []string) chpstResult {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, filepath.Join(linkDir, prog), args...)
	cmd.Dir = dir
	cmd.Env = []string{"PATH=/usr/bin:/bin", "A=old", "HOME=/"}
	// a pipe, so that -0 shows: a Go program finds a closed 0 and opens /dev/null there
	cmd.Stdin = strings.NewReader("")
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Error(err)
		return chpstResult{}
	}
	defer pr.Close()
	cmd.ExtraFiles = []*os.File{pw}
	err = cmd.Start()
	pw.Close()
	if err != nil {
		t.Errorf("starting %s: %v", prog, err)
		return chpstResult{}
	}
	rep, _ := io.ReadAll(pr)
	err = cmd.Wait()
	status := "exit 0"
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if ws := ee.Sys().(syscall.WaitStatus); ws.Signaled() {
			status = "signal " + ws.Signal().String()
		} else {
			status = fmt.Sprint("exit ", ws.ExitStatus())
		}
	} else if err != nil {
		status = err.Error()
	}
	if ctx.Err() != nil {
		status = "timed out"
	}
	norm := func(s string) string { return strings.ReplaceAll(s, dir, "DIR") }
	return chpstResult{norm(o.String()), norm(e.String()), status, norm(string(rep))}
}

// concurrently calls f(0) ... f(n-1), two per CPU at a time: chpst cases are short
// processes that mostly wait for exec.
func concurrently(n int, f func(i int)) {
	work := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < 2*runtime.NumCPU(); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				f(i)
			}
		}()
	}
	for i := 0; i < n; i++ {
		work <- i
	}
	close(work)
	wg.Wait()
}
