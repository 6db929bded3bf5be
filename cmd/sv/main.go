// Command sv controls and manages services monitored by runsv. See sv(8).
package main

import (
	"os"
	"path/filepath"

	"github.com/runit-go/runit/core/sv"
	"github.com/runit-go/runit/core/svjson"
)

func main() {
	// --json cannot be taken for one of sv's commands (they are words after the options).
	if len(os.Args) > 1 && os.Args[1] == "--json" {
		svdir, ok := os.LookupEnv("SVDIR")
		if !ok {
			svdir = sv.DefaultSvDir
		}
		os.Exit(svjson.Main(filepath.Base(os.Args[0]), os.Args[2:], svdir, os.Stdout, os.Stderr))
	}
	os.Exit(sv.Main(os.Args, os.LookupEnv, os.Stdout, os.Stderr))
}
