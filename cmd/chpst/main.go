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
