// Command runsvdir starts and monitors a collection of runsv supervisors. See runsvdir(8).
// Started as runsvdir-host it is the supervisor host (core/scan/host.go), as svlogd-pool
// the logger pool its services' svlogd hand their work to (core/svlog/pool.go), and as
// runit it is process 1 (core/stage): a container image that links /sbin/runit to this
// program maps one program text for process 1, runsvdir, the host and the pool, where
// separate programs would each take theirs.
package main

import (
	"os"
	"path/filepath"

	"github.com/runit-go/runit/core/scan"
	"github.com/runit-go/runit/core/stage"
	"github.com/runit-go/runit/core/svlog"
)

func main() {
	switch filepath.Base(os.Args[0]) {
	case scan.HostName:
		if len(os.Args) == 2 {
			os.Exit(scan.Host())
		}
	case svlog.PoolName:
		if len(os.Args) == 1 {
			os.Exit(svlog.Pool())
		}
	case "runit":
		os.Exit(stage.Main())
	}
	os.Exit(scan.Runsvdir(os.Args))
}
