package darwin

import (
	"bytes"
	"strings"
)

// dsclValues returns the attributes of `dscl -read` output: "Key: value" lines, or
// "Key:" followed by the value on an indented line (dscl's form for long values). Only the
// first value of each attribute is kept. This file has no build constraint so that the
// parsing is tested on every system.
func dsclValues(out []byte) map[string]string {
	vals := map[string]string{}
	pending := ""
	for _, line := range bytes.Split(out, []byte("\n")) {
		l := string(line)
		if pending != "" && strings.HasPrefix(l, " ") {
			if f := strings.Fields(l); len(f) > 0 {
				vals[pending] = f[0]
			}
			pending = ""
			continue
		}
		pending = ""
		key, val, ok := strings.Cut(l, ":")
		if !ok || strings.HasPrefix(l, " ") {
			continue
		}
		if f := strings.Fields(val); len(f) > 0 {
			vals[key] = f[0]
		} else {
			pending = key
		}
	}
	return vals
}
