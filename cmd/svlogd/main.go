// Command svlogd is runit's log daemon; see core/svlog. Started as svlogd-pool, it is the
// pool that runs the loggers our supervisor hands over (see core/svlog/pool.go).
package main

import (
	"os"
	"path/filepath"

	"github.com/runit-go/runit/core/svlog"
)

func main() {
	if filepath.Base(os.Args[0]) == svlog.PoolName && len(os.Args) == 1 {
		os.Exit(svlog.Pool())
	}
	os.Exit(svlog.Main(os.Args))
}
