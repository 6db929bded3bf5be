// Command runsv supervises one service directory. See runsv(8).
package main

import (
	"os"

	"github.com/runit-go/runit/core/supervise"
)

func main() { os.Exit(supervise.Runsv(os.Args)) }
