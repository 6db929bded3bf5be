package svlog

// Match reports whether line matches pattern with runit's rules: bytes match themselves,
// "*c" skips to the first c (no backtracking), a final "*" matches the rest, "+c" matches
// one or more c, and the pattern must consume the whole line. A NUL ends the pattern, as
// it would end the C string. "+c" at the very end of the line compares c with the
// newline that follows the line in C svlogd's buffer.
func Match(pattern, line []byte) bool {
	p, s := 0, 0
	for {
		if p >= len(pattern) || pattern[p] == 0 {
			return s == len(line)
		}
		c := pattern[p]
		p++
		switch c {
		case '*':
			if p >= len(pattern) || pattern[p] == 0 {
				return true
			}
			c = pattern[p]
			for {
				if s == len(line) {
					return false
				}
				if line[s] == c {
					break
				}
				s++
			}
		case '+':
			if p >= len(pattern) || pattern[p] == 0 {
				// "+" at the end: C compares the string's NUL with the line byte.
				return false
			}
			c = pattern[p]
			p++
			// At the end of the line C peeks at the byte after it, the newline.
			if s == len(line) {
				return c == '\n'
			}
			if line[s] != c {
				return false
			}
			for {
				if s == len(line) {
					return true
				}
				if line[s] != c {
					break
				}
				s++
			}
		default:
			if s == len(line) || line[s] != c {
				return false
			}
			s++
		}
	}
}
