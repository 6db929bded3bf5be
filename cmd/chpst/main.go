// Without the cgroup-aware GOMAXPROCS the runtime does not keep the cgroup's CPU limit
// files open, which would take the low descriptor numbers C chpst gives the lock file.
//
//go:debug containermaxprocs=0

// Command chpst runs a program with a changed process state (runit's chpst), and as
// envdir, envuidgid, pgrphack, setuidgid, softlimit or setlock when invoked by that name.
package main

import (
	"os"

	"github.com/runit-go/runit/core/chpst"
)

func main() {
	os.Exit(chpst.Main(os.Args, os.Stderr))
}
