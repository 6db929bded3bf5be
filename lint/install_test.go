package lint

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// standIns returns a directory holding a stand-in for every tool, as bin/ is after
// `make build`: the install script and the packages copy the tools by name only, so
// these cost no build. Each holds its own name, so that a copy shows which it is.
func standIns(t *testing.T) string {
	t.Helper()
	bin := t.TempDir()
	for n := range installTools {
		writeFile(t, filepath.Join(bin, n), "#!/bin/sh\n# "+n+"\n", 0o755)
	}
	return bin
}

// installRun runs ci/install.sh DESTDIR PREFIX BINDIR with extra environment.
func installRun(t *testing.T, dest, prefix, bin string, env ...string) result {
	t.Helper()
	return run(t, repoRoot, env, "sh", filepath.Join(repoRoot, "ci", "install.sh"), dest, prefix, bin)
}

// A second install over the first keeps the administrator's changes to /etc.
func TestInstallKeepsEtc(t *testing.T) {
	bin := standIns(t)
	dest := t.TempDir()
	writeFile(t, filepath.Join(dest, "etc/runit/1"), "#!/bin/sh\n# mine\n", 0o700)
	r := installRun(t, dest, "/usr", bin)
	if r.code != 0 {
		t.Fatalf("install.sh exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if got := readFile(filepath.Join(dest, "etc/runit/1")); got != "#!/bin/sh\n# mine\n" {
		t.Errorf("etc/runit/1 was overwritten: %q", got)
	}
	if !strings.Contains(r.stdout, "keeping existing") {
		t.Errorf("install.sh did not say it kept etc/runit/1: %q", r.stdout)
	}
	if readFile(filepath.Join(dest, "etc/runit/2")) == "" {
		t.Error("etc/runit/2 missing after install over an existing /etc/runit")
	}
	// INSTALL_ETC=no leaves /etc alone entirely (ports that keep their own init).
	dest2 := t.TempDir()
	if r := installRun(t, dest2, "/usr/local", bin, "INSTALL_ETC=no"); r.code != 0 {
		t.Fatalf("INSTALL_ETC=no: exit %d %s", r.code, r.stderr)
	}
	if _, err := os.Stat(filepath.Join(dest2, "etc")); !os.IsNotExist(err) {
		t.Errorf("INSTALL_ETC=no created etc (%v)", err)
	}
}

// A tool missing from BINDIR is an error, reported after installing the others.
func TestInstallMissingTool(t *testing.T) {
	bin := t.TempDir()
	writeFile(t, filepath.Join(bin, "sv"), "#!/bin/sh\n", 0o755)
	dest := t.TempDir()
	r := installRun(t, dest, "/usr", bin, "INSTALL_ETC=no")
	if r.code == 0 || !strings.Contains(r.stderr, "not built") || !strings.Contains(r.stderr, "runsv") {
		t.Errorf("install.sh with only sv built: exit %d, stderr %q; want a failure naming the missing tools", r.code, r.stderr)
	}
	if _, err := os.Stat(filepath.Join(dest, "usr/bin/sv")); err != nil {
		t.Errorf("sv not installed: %v", err)
	}
}

// runit is installed as a hard link to runsvdir's program (process 1 then shares its
// program text with runsvdir, the host and the logger pool), and a second install links
// it to the new runsvdir, not to the one it replaced.
func TestInstallLinksRunitToRunsvdir(t *testing.T) {
	bin := standIns(t)
	dest := t.TempDir()
	for i := 0; i < 2; i++ {
		if r := installRun(t, dest, "/usr", bin, "INSTALL_ETC=no"); r.code != 0 {
			t.Fatalf("install.sh (run %d): exit %d\n%s%s", i+1, r.code, r.stdout, r.stderr)
		}
		runit, err1 := os.Stat(filepath.Join(dest, "usr/sbin/runit"))
		runsvdir, err2 := os.Stat(filepath.Join(dest, "usr/bin/runsvdir"))
		if err1 != nil || err2 != nil {
			t.Fatalf("run %d: %v, %v", i+1, err1, err2)
		}
		if !os.SameFile(runit, runsvdir) || runit.Mode().Perm() != 0o755 {
			t.Errorf("run %d: usr/sbin/runit (%v) is not usr/bin/runsvdir (%v)", i+1, runit.Mode(), runsvdir.Mode())
		}
	}
	if got := readFile(filepath.Join(dest, "usr/sbin/runit")); got != "#!/bin/sh\n# runsvdir\n" {
		t.Errorf("usr/sbin/runit holds %q", got)
	}
	if _, err := os.Stat(filepath.Join(dest, "usr/sbin/runit.tmp")); !os.IsNotExist(err) {
		t.Errorf("usr/sbin/runit.tmp left behind (%v)", err)
	}
}
