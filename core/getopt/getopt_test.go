package getopt

import (
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	cases := []struct {
		argv string
		seen string // each option as letter=arg, comma-separated
		next int    // index of the first operand, -1 after a bad option
		bad  string
	}{
		{"p", "", 1, ""},
		{"p a b", "", 1, ""},
		{"p -v a", "v=", 2, ""},
		{"p -vP a", "v=,P=", 2, ""},                  // clustered
		{"p -wfoo a", "w=foo", 2, ""},                // argument in the same word
		{"p -w foo a", "w=foo", 3, ""},               // argument in the next word
		{"p -vw 5 a", "v=,w=5", 3, ""},               // an argument ends the cluster
		{"p -w -v a", "w=-v", 3, ""},                 // the next word is the argument whatever it is
		{"p -- -v", "", 2, ""},                       // "--" ends the options
		{"p - -v", "", 1, ""},                        // "-" alone is an operand
		{"p a -v", "", 1, ""},                        // the first operand ends the options
		{"p -x a", "", -1, "illegal option -- x"},    //
		{"p -v: a", "v=", -1, "illegal option -- :"}, // ':' is never an option letter
		{"p -w", "", -1, "option requires an argument -- w"},
		{"p -vS", "v=", -1, ""}, // opt stopped the parse
	}
	for _, c := range cases {
		argv := strings.Fields(c.argv)
		var seen []string
		bad := ""
		next := Parse(argv, "vPw:S", func(o byte, arg string) bool {
			if o == 'S' {
				return false
			}
			seen = append(seen, string(o)+"="+arg)
			return true
		}, func(msg string) { bad = msg })
		if got := strings.Join(seen, ","); got != c.seen || next != c.next || bad != c.bad {
			t.Errorf("%q: seen %q next %d bad %q; want %q %d %q", c.argv, got, next, bad, c.seen, c.next, c.bad)
		}
	}
}
