// Package getopt parses command lines the way runit's sgetopt does, for every tool that
// must print C runit's exact usage messages.
package getopt

import "strings"

// Parse walks argv (argv[0] is the program) the way runit's sgetopt does: options
// cluster ("-vP"), an option's argument is the rest of its word or the next word, "--"
// ends the options, and the first word that does not start with '-' (or is "-" alone)
// ends them too. A letter followed by ':' in spec takes an argument. Parse calls opt for
// each option letter, and stops if it returns false; an unknown letter or a missing
// argument is reported through bad, in the message C runit prints ("illegal option -- x",
// "option requires an argument -- x"). It returns the index of the first operand, or -1
// when opt or bad stopped it.
func Parse(argv []string, spec string, opt func(c byte, arg string) bool, bad func(msg string)) int {
	i := 1
	for i < len(argv) {
		w := argv[i]
		if w == "--" {
			return i + 1
		}
		if len(w) < 2 || w[0] != '-' {
			return i
		}
		i++
		for j := 1; j < len(w); j++ {
			c := w[j]
			k := strings.IndexByte(spec, c)
			if c == ':' || k < 0 {
				bad("illegal option -- " + string(c))
				return -1
			}
			if k+1 < len(spec) && spec[k+1] == ':' {
				var arg string
				switch {
				case j+1 < len(w):
					arg = w[j+1:]
				case i < len(argv):
					arg = argv[i]
					i++
				default:
					bad("option requires an argument -- " + string(c))
					return -1
				}
				if !opt(c, arg) {
					return -1
				}
				break
			}
			if !opt(c, "") {
				return -1
			}
		}
	}
	return i
}
