package utmp

import "github.com/runit-go/runit/core/getopt"

// Specs is utmpset's command line, as utmpset(8) documents it; spec_test.go checks
// Utmpset against it.
var Specs = map[string]getopt.Spec{"utmpset": {Letters: "wV"}}
