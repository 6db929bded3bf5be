// Command shutdown brings the system down through runit at a given time, with
// warnings to the users: shutdown [-rhPkfF] [-t secs] time [message], shutdown -c.
package main

import (
	"os"

	"github.com/runit-go/runit/core/initctl"
)

func main() {
	os.Exit(initctl.Shutdown(os.Args, controller, os.Stdout, os.Stderr, os.Getenv))
}

func controller(dry bool) initctl.Controller {
	if dry {
		return &initctl.DryRun{Out: os.Stdout, Paths: initctl.DefaultPaths()}
	}
	return initctl.NewReal()
}
