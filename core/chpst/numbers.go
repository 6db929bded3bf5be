package chpst

import "math"

// scanUlong reads the leading decimal digits of s like djb's scan_ulong: it returns the
// value (saturated at the uint64 maximum, where C would wrap) and how many bytes it used.
// An empty run of digits is 0 with length 0, which is why `chpst -o ”` means 0, as in C.
func scanUlong(s string) (uint64, int) {
	const max = ^uint64(0)
	var v uint64
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		d := uint64(s[i] - '0')
		if v > (max-d)/10 {
			v = max
		} else {
			v = v*10 + d
		}
		i++
	}
	return v, i
}

// parseLimit parses a limit operand: all digits (or nothing, meaning 0), else !ok. A
// number beyond 63 bits is the hard limit: C reads 2^64-1 as -1, which means that, but
// leaves the limit unchanged from 2^63 to 2^64-2 and wraps from 2^64 on (2^64 is 0).
func parseLimit(s string) (int64, bool) {
	v, n := scanUlong(s)
	if v > math.MaxInt64 {
		return limHard, n == len(s)
	}
	return int64(v), n == len(s)
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
		// nice clamps anyway. C cuts the number to an int (4294967296 is 0, 4294967295
		// is -1); ours stays the largest increment of its sign.
		v = 1 << 20
	}
	if neg {
		return -int(v), true
	}
	return int(v), true
}
