// Command runsvdir starts and monitors a collection of runsv supervisors. See runsvdir(8).
package main

import (
	"os"
	"path/filepath"

	"github.com/runit-go/runit/core/scan"
)

func main() {
	if filepath.Base(os.Args[0]) == scan.HostName && len(os.Args) == 2 {
		os.Exit(scan.Host())
	}
	os.Exit(scan.Runsvdir(os.Args))
}
