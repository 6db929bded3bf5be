package stage

import "github.com/runit-go/runit/core/getopt"

// Specs is runit's command line, as runit(8) documents it: none. Main reads no
// arguments (cmd/runit passes none), so there is no parser to check this against.
var Specs = map[string]getopt.Spec{"runit": {}}
