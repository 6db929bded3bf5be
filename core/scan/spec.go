package scan

import "github.com/runit-go/runit/core/getopt"

// Specs is runsvdir's command line, as runsvdir(8) documents it; spec_test.go checks
// parseOptions against it.
var Specs = map[string]getopt.Spec{"runsvdir": {Letters: "PCs"}}
