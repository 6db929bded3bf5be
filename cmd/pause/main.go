// Command pause waits for a signal and exits 0: the run script of a one-shot service.
package main

import (
	"os"

	"github.com/runit-go/runit/core/initctl"
)

func main() { os.Exit(initctl.Pause(os.Args, os.Stderr)) }
