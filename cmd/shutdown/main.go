// Command shutdown brings the system down through runit at a given time, with a
// message to the users: shutdown [-r|-h|-P] [-k] time [message], shutdown -c.
package main

import (
	"os"

	"github.com/runit-go/runit/core/initctl"
)

func main() {
	os.Exit(initctl.Shutdown(os.Args, controller, os.Stdout, os.Stderr, initctl.ShutdownPidFile))
}

func controller(dry bool) initctl.Controller {
	if dry {
		return &initctl.DryRun{Out: os.Stdout, Paths: initctl.DefaultPaths()}
	}
	return initctl.NewReal()
}
