// Command utmpset marks a line's login record dead (runit's utmpset), for getty finish
// scripts: `utmpset [-w] line`.
package main

import (
	"os"
	"time"

	"github.com/runit-go/runit/core/utmp"
)

func main() {
	os.Exit(utmp.Utmpset(os.Args, os.Stderr, utmp.SystemFiles(), time.Now))
}
