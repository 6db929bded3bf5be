package e2e

import (
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
