// Package svlog is svlogd: it reads log lines on standard input and writes them to log
// directories with automatic rotation, pruning, an optional processor, line selection by
// pattern, and UDP copies, exactly as runit's C svlogd does, only faster.
package svlog

import "github.com/runit-go/runit/core/getopt"

// Usage is svlogd's usage text (after "usage: svlogd").
const Usage = " [-ttv] [-r c] [-R abc] [-l len] [-b buflen] dir ..."

// Version is what -V prints, as C svlogd 2.1.2 does.
const Version = "$Id: 5e55a90e0a1b35ec47fed3021453c50675ea1117 $"

// Options are svlogd's command-line settings.
type Options struct {
	Stamp   int    // 0 none, 1 TAI64N, 2 "YYYY-MM-DD_HH:MM:SS.xxxxx", 3 same with 'T'
	Replace byte   // replacement byte, 0 when no replacement is done
	Extra   string // -R: further bytes to replace
	LineMax int    // -l
	BufLen  int    // -b: the most the read after TERM takes (other reads take more)
	Verbose int    // -v count
	Lossy   bool   // -L: drop and count lines rather than block when a log cannot be written
	Dirs    []string
}

// UsageError is a command line svlogd rejects; Msg is a getopt message or empty.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

// Specs is svlogd's command line, as svlogd(8) documents it: ParseArgs parses its letters.
var Specs = map[string]getopt.Spec{"svlogd": {Letters: "R:r:l:b:tvVL"}}

// ParseArgs parses svlogd's arguments (without argv[0]) with getopt's rules for the
// letters of its Spec. -V reports as a UsageError whose Msg is the version line.
func ParseArgs(args []string) (*Options, error) {
	o := &Options{LineMax: 1000, BufLen: 1024}
	var uerr *UsageError
	argv := append([]string{"svlogd"}, args...)
	i := getopt.Parse(argv, Specs["svlogd"].Letters, func(c byte, arg string) bool {
		switch c {
		case 't':
			if o.Stamp < 3 {
				o.Stamp++
			}
		case 'v':
			o.Verbose++
		case 'L':
			o.Lossy = true
		case 'V':
			uerr = &UsageError{Msg: Version}
			return false
		case 'R':
			o.Extra = arg
			if o.Replace == 0 {
				o.Replace = '_'
			}
		case 'r':
			if len(arg) != 1 {
				uerr = &UsageError{}
				return false
			}
			o.Replace = arg[0]
		case 'l':
			o.LineMax = scanUint(arg)
			if o.LineMax == 0 {
				o.LineMax = 1000
			}
		case 'b':
			o.BufLen = scanUint(arg)
			if o.BufLen == 0 {
				o.BufLen = 1024
			}
		}
		return true
	}, func(msg string) { uerr = &UsageError{Msg: "svlogd: " + msg} })
	if uerr != nil {
		return nil, uerr
	}
	o.Dirs = argv[i:]
	if len(o.Dirs) == 0 || o.BufLen <= o.LineMax {
		return nil, &UsageError{}
	}
	return o, nil
}

// scanUint reads leading decimal digits as C's scan_ulong does (garbage after them is
// ignored, no digits is 0); it saturates rather than wrapping.
func scanUint(s string) int {
	n, _ := scanU64([]byte(s))
	if n > 1<<31-1 {
		return 1<<31 - 1
	}
	return int(n)
}

// scanU64 returns the value of the leading digits of b and how many there were.
func scanU64(b []byte) (uint64, int) {
	var n uint64
	i := 0
	for i < len(b) && b[i] >= '0' && b[i] <= '9' {
		if n < 1<<59 {
			n = n*10 + uint64(b[i]-'0')
		}
		i++
	}
	return n, i
}
