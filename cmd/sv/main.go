// Command sv controls and manages services monitored by runsv. See sv(8).
package main

import (
	"io"
	"os"
	"path/filepath"

	"github.com/runit-go/runit/core/sv"
	"github.com/runit-go/runit/core/svjson"
	"github.com/runit-go/runit/core/svmetrics"
)

func main() {
	if len(os.Args) > 1 {
		if report := reporter(os.Args[1]); report != nil {
			svdir, ok := os.LookupEnv("SVDIR")
			if !ok {
				svdir = sv.DefaultSvDir
			}
			os.Exit(report(filepath.Base(os.Args[0]), os.Args[2:], svdir, os.Stdout, os.Stderr))
		}
	}
	os.Exit(sv.Main(os.Args, os.LookupEnv, os.Stdout, os.Stderr))
}

// reporter returns the report a first argument asks for (--json, --metrics), or nil.
// These words cannot be taken for one of sv's commands (they are words after the
// options).
func reporter(word string) func(prog string, names []string, svdir string, stdout, stderr io.Writer) int {
	switch word {
	case "--json":
		return svjson.Main
	case "--metrics":
		return svmetrics.Main
	}
	return nil
}
