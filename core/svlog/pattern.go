package svlog

// Match reports whether line matches pattern with runit's rules: bytes match themselves,
// "*c" skips to the first c (no backtracking), a final "*" matches the rest, "+c" matches
// one or more c, and the pattern must consume the whole line. A NUL ends the pattern, as
// it would end the C string. "+c" at the very end of the line compares c with the byte
// that follows the line in C svlogd's line buffer (Match assumes a newline; svlogd passes
// what C would have there), and "+" at the end of the pattern uses the pattern's own NUL
// as c.
func Match(pattern, line []byte) bool { return match(pattern, line, '\n') }

// match is Match with the byte C svlogd has just after the line in its line buffer.
func match(pattern, line []byte, next byte) bool {
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
			// C reads the next pattern byte (the terminating NUL at the end) and compares
			// it with the byte at s, which past the end of the line is next.
			var c byte
			atEnd := p >= len(pattern) || pattern[p] == 0
			if !atEnd {
				c = pattern[p]
				p++
			}
			at := next
			if s < len(line) {
				at = line[s]
			}
			if at != c {
				return false
			}
			for s < len(line) && line[s] == c {
				s++
			}
			if s == len(line) {
				return true
			}
			if atEnd {
				// C would read on past the pattern's end; nothing sensible can match.
				return false
			}
		default:
			if s == len(line) || line[s] != c {
				return false
			}
			s++
		}
	}
}
