// Command sv controls and manages services monitored by runsv. See sv(8).
package main

import (
	"os"
	"path/filepath"

	"github.com/runit-go/runit/core/sv"
	"github.com/runit-go/runit/core/svjson"
	"github.com/runit-go/runit/core/svmetrics"
)

func main() {
	// --json and --metrics cannot be taken for one of sv's commands (they are words after
	// the options).
	if len(os.Args) > 1 && (os.Args[1] == "--json" || os.Args[1] == "--metrics") {
		svdir, ok := os.LookupEnv("SVDIR")
		if !ok {
			svdir = sv.DefaultSvDir
		}
		report := svjson.Main
		if os.Args[1] == "--metrics" {
			report = svmetrics.Main
		}
		os.Exit(report(filepath.Base(os.Args[0]), os.Args[2:], svdir, os.Stdout, os.Stderr))
	}
	os.Exit(sv.Main(os.Args, os.LookupEnv, os.Stdout, os.Stderr))
}
