package initctl

import "github.com/runit-go/runit/core/getopt"

// haltSpec is the command line of halt, poweroff and reboot.
var haltSpec = getopt.Spec{Letters: "fnwdBhi", Words: []string{DryRunFlag}}

// Specs are the command lines of the programs of this package, as their man pages
// document them; spec_test.go checks Halt, Shutdown, RunitInit and Pause against them.
var Specs = map[string]getopt.Spec{
	"halt":       haltSpec,
	"poweroff":   haltSpec,
	"reboot":     haltSpec,
	"shutdown":   {Letters: "rhPkcfFt:", Words: []string{DryRunFlag}},
	"runit-init": {Letters: "V"},
	"pause":      {},
}
