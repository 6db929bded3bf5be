package sv

import "github.com/runit-go/runit/core/getopt"

// Specs is sv's command line, as sv(8) documents it. The letters are Main's (checked by
// spec_test.go); the words, which must come first, are cmd/sv's reports (sv --json and
// sv --metrics, checked by cmd/sv's test).
var Specs = map[string]getopt.Spec{
	"sv": {Letters: "w:vV", Words: []string{"--json", "--metrics"}},
}
