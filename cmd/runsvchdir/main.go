// Command runsvchdir changes the directory of services runsvdir watches. See runsvchdir(8).
package main

import (
	"os"

	"github.com/runit-go/runit/core/runlevel"
)

func main() { os.Exit(runlevel.Runsvchdir(os.Args, os.Getenv, os.Stdout, os.Stderr)) }
