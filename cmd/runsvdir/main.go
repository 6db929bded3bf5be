// Command runsvdir starts and monitors a collection of runsv supervisors. See runsvdir(8).
// Started as runsvdir-host it is the supervisor host (core/scan/host.go), and as
// svlogd-pool the logger pool its services' svlogd hand their work to (core/svlog/pool.go).
package main

import (
	"os"
	"path/filepath"

	"github.com/runit-go/runit/core/scan"
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
	}
	os.Exit(scan.Runsvdir(os.Args))
}
