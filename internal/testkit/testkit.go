// Package testkit is what the end-to-end tests (e2e/) and the repository checks (lint/)
// share: where the repository is, whether a missing prerequisite fails, small file
// helpers, and the facts both check the repository against (the programs' option specs,
// the tools make install installs). No program imports it.
package testkit

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/runit-go/runit/core/chpst"
	"github.com/runit-go/runit/core/getopt"
	"github.com/runit-go/runit/core/initctl"
	"github.com/runit-go/runit/core/runlevel"
	"github.com/runit-go/runit/core/scan"
	"github.com/runit-go/runit/core/stage"
	"github.com/runit-go/runit/core/supervise"
	"github.com/runit-go/runit/core/sv"
	"github.com/runit-go/runit/core/svlog"
	"github.com/runit-go/runit/core/utmp"
)

// RepoRoot is the repository's top directory.
var RepoRoot = func() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Dir(filepath.Dir(filepath.Dir(file)))
}()

// Strict reports whether a missing prerequisite (C runit, mandoc, a shell ...) must fail
// a test instead of skipping it. .ci/run sets RUNIT_TEST_STRICT after installing them all.
func Strict() bool { return os.Getenv("RUNIT_TEST_STRICT") != "" }

// WriteFile writes content to path with mode, creating parent directories.
func WriteFile(t testing.TB, path, content string, mode os.FileMode) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
}

// ReadFile returns the file's content, or "" when it cannot be read.
func ReadFile(path string) string {
	b, _ := os.ReadFile(path)
	return string(b)
}

// PackageSpecs are the option specs one core package exports, by program.
type PackageSpecs struct {
	Pkg   string // how messages name them, e.g. "chpst.Specs"
	Specs map[string]getopt.Spec
}

// Specs are every program's exported option spec; each package's own tests check its
// parsers against them (getopt.Probe).
var Specs = []PackageSpecs{
	{"chpst.Specs", chpst.Specs}, {"initctl.Specs", initctl.Specs}, {"runlevel.Specs", runlevel.Specs},
	{"scan.Specs", scan.Specs}, {"stage.Specs", stage.Specs}, {"supervise.Specs", supervise.Specs},
	{"sv.Specs", sv.Specs}, {"svlog.Specs", svlog.Specs}, {"utmp.Specs", utmp.Specs},
}

// InstallTools is every program `make install` installs, with the directory (under
// PREFIX) where it goes: runit and runit-init in sbin as runit's packages do, the
// supervision tools in bin as Debian's runit has them, the administrator's tools in sbin.
var InstallTools = map[string]string{
	"runit": "sbin", "runit-init": "sbin", "runsvchdir": "sbin", "utmpset": "sbin",
	"halt": "sbin", "shutdown": "sbin",
	"runsvdir": "bin", "runsv": "bin", "sv": "bin", "svlogd": "bin", "chpst": "bin",
	"pause": "bin",
}
