// Command runit-init is init: as process 1 it becomes runit; otherwise "runit-init 0"
// halts and "runit-init 6" reboots the system through runit. See runit-init(8).
package main

import (
	"os"

	"github.com/runit-go/runit/core/initctl"
)

func main() {
	os.Exit(initctl.RunitInit(os.Args, initctl.NewReal(), os.Stderr, initctl.DefaultPaths(), os.Environ()))
}
