package runlevel

import "github.com/runit-go/runit/core/getopt"

// Specs is runsvchdir's command line, as runsvchdir(8) documents it: no options, its one
// operand is the runlevel whatever it starts with. spec_test.go checks Runsvchdir.
var Specs = map[string]getopt.Spec{"runsvchdir": {}}
