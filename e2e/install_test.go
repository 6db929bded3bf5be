package e2e

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/runit-go/runit/internal/testkit"
)

// installTools: every program make install installs, and where (internal/testkit).
var installTools = testkit.InstallTools

// installLinks are the names installed as symbolic links, with their directory and target.
var installLinks = map[string][2]string{
	"envdir": {"bin", "chpst"}, "envuidgid": {"bin", "chpst"}, "pgrphack": {"bin", "chpst"},
	"setuidgid": {"bin", "chpst"}, "softlimit": {"bin", "chpst"}, "setlock": {"bin", "chpst"},
	"reboot": {"sbin", "halt"}, "poweroff": {"sbin", "halt"},
}

// installBinDir builds every tool and returns the directory holding them, as bin/ is
// after `make build`.
func installBinDir(t *testing.T) string {
	t.Helper()
	names := make([]string, 0, len(installTools))
	for n := range installTools {
		names = append(names, n)
	}
	return binDir(t, names...)
}

// installRun runs ci/install.sh DESTDIR PREFIX BINDIR with extra environment.
func installRun(t *testing.T, dest, prefix, bin string, env ...string) result {
	t.Helper()
	return run(t, repoRoot, env, "sh", filepath.Join(repoRoot, "ci", "install.sh"), dest, prefix, bin)
}

func TestInstallLayout(t *testing.T) {
	bin := installBinDir(t)
	dest := t.TempDir()
	r := installRun(t, dest, "/usr/local", bin)
	if r.code != 0 {
		t.Fatalf("install.sh exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	root := filepath.Join(dest, "usr/local")
	for name, dir := range installTools {
		p := filepath.Join(root, dir, name)
		fi, err := os.Lstat(p)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if !fi.Mode().IsRegular() || fi.Mode().Perm() != 0o755 {
			t.Errorf("%s: mode %v, want a regular file 0755", p, fi.Mode())
		}
		built := name
		if name == "runit" {
			built = "runsvdir" // runit is a hard link to runsvdir's program, runit by that name
		}
		if !bytes.Equal([]byte(readFile(p)), []byte(readFile(filepath.Join(bin, built)))) {
			t.Errorf("%s differs from the built %s", p, built)
		}
	}
	for name, l := range installLinks {
		p := filepath.Join(root, l[0], name)
		if got, err := os.Readlink(p); err != nil || got != l[1] {
			t.Errorf("%s -> %q (%v), want a link to %s", p, got, err, l[1])
		}
	}
	// A personality installed as a link must act as its role: envdir by name.
	envd := t.TempDir()
	writeFile(t, filepath.Join(envd, "INSTALLTEST"), "yes\n", 0o644)
	if r := run(t, "", nil, filepath.Join(root, "bin", "envdir"), envd, "sh", "-c", "echo $INSTALLTEST"); r.code != 0 || r.stdout != "yes\n" {
		t.Errorf("installed envdir: exit %d, out %q, err %q", r.code, r.stdout, r.stderr)
	}

	// Every page of docs/man, plus the halt page under its other names.
	pages, _ := filepath.Glob(filepath.Join(repoRoot, "docs/man/*.8"))
	if len(pages) == 0 {
		t.Fatal("no man pages in docs/man")
	}
	man8 := filepath.Join(root, "share/man/man8")
	for _, p := range pages {
		got := readFile(filepath.Join(man8, filepath.Base(p)))
		if got == "" || got != readFile(p) {
			t.Errorf("man page %s not installed in %s", filepath.Base(p), man8)
		}
	}
	for _, n := range []string{"reboot.8", "poweroff.8"} {
		if got, err := os.Readlink(filepath.Join(man8, n)); err != nil || got != "halt.8" {
			t.Errorf("%s -> %q (%v), want halt.8", n, got, err)
		}
	}

	// The /etc skeleton, under DESTDIR whatever the PREFIX.
	etc := filepath.Join(dest, "etc")
	for _, s := range []string{"runit/1", "runit/2", "runit/3", "runit/ctrlaltdel", "sv/getty-tty1/run", "sv/getty-tty1/finish", "sv/sulogin/run"} {
		p := filepath.Join(etc, s)
		fi, err := os.Stat(p)
		if err != nil || fi.Mode().Perm()&0o100 == 0 {
			t.Errorf("%s: want an executable script (%v)", p, err)
			continue
		}
		if r := run(t, "", nil, "sh", "-n", p); r.code != 0 {
			t.Errorf("sh -n %s: %s", p, r.stderr)
		}
	}
	links := map[string]string{
		"service":                           "/etc/runit/runsvdir/current",
		"runit/runsvdir/current":            "default",
		"runit/runsvdir/default/getty-tty1": "/etc/sv/getty-tty1",
		"runit/runsvdir/single/sulogin":     "/etc/sv/sulogin",
		"runit/stopit":                      "/run/runit/stopit",
		"runit/reboot":                      "/run/runit/reboot",
	}
	for l, want := range links {
		if got, err := os.Readlink(filepath.Join(etc, l)); err != nil || got != want {
			t.Errorf("etc/%s -> %q (%v), want %q", l, got, err, want)
		}
	}
	if s := readFile(filepath.Join(etc, "profile.d/runit.sh")); !strings.Contains(s, "SVDIR=/etc/service") {
		t.Errorf("etc/profile.d/runit.sh does not set SVDIR=/etc/service: %q", s)
	}
	for _, d := range []string{"runit/runsvdir/default", "runit/runsvdir/single"} {
		if fi, err := os.Stat(filepath.Join(etc, d)); err != nil || !fi.IsDir() {
			t.Errorf("etc/%s: want a directory (%v)", d, err)
		}
	}
	// Stage 2 scans /etc/service and switches the runlevel with runsvchdir.
	if s := readFile(filepath.Join(etc, "runit/2")); !strings.Contains(s, "runsvdir -P /etc/service") || !strings.Contains(s, "runsvchdir") {
		t.Errorf("etc/runit/2 does not run runsvchdir and runsvdir -P /etc/service:\n%s", s)
	}
}

// The installed runlevels work with the installed runsvchdir: switch the skeleton's
// current from default to single and back, with the skeleton bind-mounted on
// /etc/runit in a private mount namespace (runsvchdir works in /etc/runit/runsvdir).
func TestInstallRunlevelSwitch(t *testing.T) {
	needRoot(t)
	if _, err := exec.LookPath("unshare"); err != nil {
		t.Skip("unshare(1) not installed")
	}
	bin := installBinDir(t)
	dest := t.TempDir()
	if r := installRun(t, dest, "/usr", bin); r.code != 0 {
		t.Fatalf("install.sh exit %d %s", r.code, r.stderr)
	}
	sbin := filepath.Join(dest, "usr/sbin")
	etcRunit := filepath.Join(dest, "etc/runit")
	script := `set -e
mount --make-rprivate / 2>/dev/null || true
mount --bind "$1" /etc/runit
PATH=$2:$PATH
runsvchdir single
readlink /etc/runit/runsvdir/current
readlink /etc/runit/runsvdir/previous
runsvchdir default
readlink /etc/runit/runsvdir/current
`
	r := run(t, "", nil, "unshare", "-m", "sh", "-c", script, "sh", etcRunit, sbin)
	if r.code != 0 {
		t.Fatalf("runsvchdir in the installed tree: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	want := "runsvchdir: single: now current.\nsingle\ndefault\nrunsvchdir: default: now current.\ndefault\n"
	if r.stdout != want {
		t.Errorf("runsvchdir single/default: got\n%s\nwant\n%s", r.stdout, want)
	}
	if got, _ := os.Readlink(filepath.Join(etcRunit, "runsvdir/current")); got != "default" {
		t.Errorf("current -> %q after switching back, want default", got)
	}
}
