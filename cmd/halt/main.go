// Command halt is halt, poweroff and reboot, by the name it is called by (install it
// under all three names). Without -f it asks runit to shut down; --dry-run only prints.
package main

import (
	"os"

	"github.com/runit-go/runit/core/initctl"
)

func main() {
	os.Exit(initctl.Halt(os.Args, controller, os.Stdout, os.Stderr))
}

func controller(dry bool) initctl.Controller {
	if dry {
		return &initctl.DryRun{Out: os.Stdout, Paths: initctl.DefaultPaths()}
	}
	return initctl.NewReal()
}
