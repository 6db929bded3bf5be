package supervise

import "github.com/runit-go/runit/core/getopt"

// Specs is runsv's command line, as runsv(8) documents it: no options, its one operand
// is the service directory whatever it starts with. spec_test.go checks Runsv.
var Specs = map[string]getopt.Spec{"runsv": {}}
