package chpst

import "github.com/runit-go/runit/core/getopt"

// Specs are the command lines of chpst and of each program it is by name, as their man
// pages document them. The personalities without a Spec entry's letters take operands
// only. spec_test.go checks Parse against them.
var Specs = map[string]getopt.Spec{
	"chpst":     {Letters: "u:U:b:e:m:d:o:p:f:c:r:t:/:C:n:l:L:vP012V"},
	"softlimit": {Letters: "a:c:d:f:l:m:o:p:r:s:t:"},
	"setlock":   {Letters: "nNxX"},
	"envdir":    {},
	"envuidgid": {},
	"pgrphack":  {},
	"setuidgid": {},
}
