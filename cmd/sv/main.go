// Command sv controls and reports on services supervised by runsv. See core/sv.
package main

import (
	"os"

	"github.com/runit-go/runit/core/sv"
)

func main() {
	os.Exit(sv.Main(os.Args, os.LookupEnv, os.Stdout, os.Stderr))
}
