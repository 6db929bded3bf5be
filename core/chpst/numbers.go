package chpst

// scanUlong reads the leading decimal digits of s like djb's scan_ulong: it returns the
// value (saturated at the int64 maximum, where C would wrap) and how many bytes it used.
// An empty run of digits is 0 with length 0, which is why `chpst -o ”` means 0, as in C.
func scanUlong(s string) (int64, int) {
	const max = int64(^uint64(0) >> 1)
	var v int64
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		d := int64(s[i] - '0')
		if v > (max-d)/10 {
			v = max
		} else {
			v = v*10 + d
		}
		i++
	}
	return v, i
}

// parseLimit parses a limit operand: all digits (or nothing, meaning 0), else !ok.
func parseLimit(s string) (int64, bool) {
	v, n := scanUlong(s)
	return v, n == len(s)
}

// parseNice parses -n's increment: an optional sign then digits, nothing else.
func parseNice(s string) (int, bool) {
	neg := false
	t := s
	if len(t) > 0 && (t[0] == '+' || t[0] == '-') {
		neg = t[0] == '-'
		t = t[1:]
	}
	v, n := scanUlong(t)
	if n != len(t) {
		return 0, false
	}
	if v > 1<<20 {
		v = 1 << 20 // nice clamps anyway; keep the int conversion safe
	}
	if neg {
		return -int(v), true
	}
	return int(v), true
}
