package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// debOverlayScript runs a command with the root file system replaced by a throwaway
// overlay of it, in private mount and PID namespaces: dpkg can install and remove
// packages there while the machine (and Debian's runit, the reference of the other
// tests) stays as it is. $1 is a scratch directory, $2 a directory copied into the
// overlay's /tmp/glue, the rest the command. Exit 99: no overlay file system here.
const debOverlayScript = `set -e
b=$1 src=$2; shift 2
mount -t tmpfs tmpfs "$b"
mkdir -p "$b/u" "$b/w" "$b/m"
mount -t overlay overlay -o "lowerdir=/,upperdir=$b/u,workdir=$b/w" "$b/m" 2>/dev/null || exit 99
mount -t proc proc "$b/m/proc"
mount --rbind /dev "$b/m/dev"
mount -t tmpfs tmpfs "$b/m/run"
mkdir -p "$b/m/tmp/glue"
cp -R "$src/." "$b/m/tmp/glue/"
exec chroot "$b/m" "$@"
`

// The .deb installs with dpkg -i, runs a logged service through the installed tools,
// and is purged with Debian's runit put back: ci/deb-test.sh (which CI also runs on the
// machine itself after make test), here inside a throwaway overlay of the root.
func TestDebInstall(t *testing.T) {
	needRoot(t)
	for _, c := range []string{"unshare", "chroot", "dpkg", "dpkg-deb", "apt-get"} {
		if _, err := exec.LookPath(c); err != nil {
			t.Skipf("%s not installed: dpkg -i test skipped (ci/deb-test.sh covers it on Debian CI)", c)
		}
	}
	bin := installBinDir(t)
	stage := t.TempDir()
	r := run(t, repoRoot, []string{"VERSION=1.2.3", "DEB_COMPRESS=gzip"}, "sh", filepath.Join(repoRoot, "ci/deb.sh"), bin, stage)
	if r.code != 0 {
		t.Fatalf("ci/deb.sh: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	script := readFile(filepath.Join(repoRoot, "ci/deb-test.sh"))
	writeFile(t, filepath.Join(stage, "deb-test.sh"), script, 0o755)
	deb := "/tmp/glue/" + filepath.Base(strings.Fields(r.stdout)[0])
	r = run(t, "", nil, "unshare", "-m", "-p", "-f", "--propagation", "private",
		"sh", "-c", debOverlayScript, "sh", t.TempDir(), stage, "/bin/sh", "/tmp/glue/deb-test.sh", deb)
	if r.code == 99 {
		t.Skip("no overlay file system here: dpkg -i test skipped (ci/deb-test.sh covers it on Debian CI)")
	}
	t.Logf("ci/deb-test.sh in an overlay of /:\n%s%s", r.stdout, r.stderr)
	if r.code != 0 || !strings.Contains(r.stdout, "deb-test: ok") {
		t.Fatalf("ci/deb-test.sh failed (exit %d)", r.code)
	}
	for _, w := range []string{"started: run: runit-go-deb-test:", "logged through svlogd:", "stopped: ok: down:", "are gone"} {
		if !strings.Contains(r.stdout, w) {
			t.Errorf("deb-test output lacks %q", w)
		}
	}
}

// runit-go and runit-go-init installed with dpkg -i over each Debian package they replace,
// in a scratch root with /usr merged: every file of theirs must be there afterwards
// (ci/deb-replace-test.sh; replacing runit-init once left no /sbin/init). sysvinit-core is
// not among them: its own Conflicts make dpkg refuse, and apt removes it first, which
// takes nothing of ours.
func TestDebReplaces(t *testing.T) {
	needRoot(t)
	for _, c := range []string{"dpkg", "dpkg-deb", "apt-get"} {
		if _, err := exec.LookPath(c); err != nil {
			if strictTests() {
				t.Fatalf("%s not installed", c)
			}
			t.Skipf("%s not installed: test of the .deb over Debian's packages skipped", c)
		}
	}
	bin := installBinDir(t)
	stage := t.TempDir()
	r := run(t, repoRoot, []string{"VERSION=1.2.3", "DEB_COMPRESS=gzip"}, "sh", filepath.Join(repoRoot, "ci/deb.sh"), bin, stage)
	if r.code != 0 {
		t.Fatalf("ci/deb.sh: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	debs := strings.Fields(r.stdout)
	r = run(t, repoRoot, nil, "bash", filepath.Join(repoRoot, "ci/boot/busybox.sh"))
	if r.code != 0 {
		t.Fatalf("ci/boot/busybox.sh: exit %d\n%s", r.code, r.stderr)
	}
	busybox := strings.TrimSpace(r.stdout)
	dl := t.TempDir()
	os.Chmod(dl, 0o777) // apt-get download runs as _apt where it can
	replaced := []string{"runit", "runit-init", "systemd-sysv"}
	get := "apt-get download -qq " + strings.Join(replaced, " ")
	r = run(t, dl, nil, "sh", "-c", get+" || { apt-get update -qq && "+get+"; }")
	if r.code != 0 {
		if strictTests() {
			t.Fatalf("apt-get download %v: %s", replaced, r.stderr)
		}
		t.Skipf("cannot download %v from Debian (%s): skipped", replaced, strings.TrimSpace(r.stderr))
	}
	args := []string{filepath.Join(repoRoot, "ci/deb-replace-test.sh"), busybox, debs[0], debs[1]}
	for _, p := range replaced {
		m, _ := filepath.Glob(filepath.Join(dl, p+"_*.deb"))
		if len(m) != 1 {
			t.Fatalf("apt-get download %s: got %v", p, m)
		}
		args = append(args, m[0])
	}
	r = run(t, "", nil, "sh", args...)
	t.Logf("%s%s", r.stdout, r.stderr)
	if r.code != 0 || !strings.Contains(r.stdout, "deb-replace-test: ok") {
		t.Fatalf("ci/deb-replace-test.sh: exit %d", r.code)
	}
	for _, p := range replaced {
		if !strings.Contains(r.stdout, "over "+p+": every file there") {
			t.Errorf("no verdict for %s", p)
		}
	}
}
