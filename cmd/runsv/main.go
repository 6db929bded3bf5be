// Command runsv supervises one service directory. See runsv(8). Started as svlogd-pool it
// is the logger pool its log service's svlogd hands its work to (core/svlog/pool.go).
package main

import (
	"os"
	"path/filepath"

	"github.com/runit-go/runit/core/supervise"
	"github.com/runit-go/runit/core/svlog"
)

func main() {
	if filepath.Base(os.Args[0]) == svlog.PoolName && len(os.Args) == 1 {
		os.Exit(svlog.Pool())
	}
	os.Exit(supervise.Runsv(os.Args))
}
