package svlog

import (
	"bytes"
	"math"
	"time"
)

// maxTMax is the greatest t a time.Duration holds, about 292 years. A greater t is
// taken as this one: in practice it means never, as it does in C for values up to 2^63 s
// (C wraps greater ones, and then rotates at every line).
const maxTMax = uint64(math.MaxInt64 / int64(time.Second))

// Config is one log directory's config file, as svlogd reads it at start and on HUP.
type Config struct {
	SizeMax   uint64 // s: rotate current at this size; 0 never
	NMax      int    // n: keep at most this many old files; 0 keeps all
	NMin      int    // N: on a full disk delete old files down to this many
	TMax      uint64 // t: rotate a non-empty current older than this many seconds; 0 never; at most maxTMax
	Processor string // !: run on each rotated file
	UDP       bool   // u or U given with a valid address
	UDPOnly   bool   // U: lines go to UDP only, not to current
	UDPAddr   [4]byte
	UDPPort   int
	Prefix    []byte   // p
	Patterns  [][]byte // + - e E lines, first byte is the kind, in file order
	Warnings  []string // messages for lines svlogd could not use
}

// DefaultConfig is the configuration of a directory without a config file.
func DefaultConfig() Config {
	return Config{SizeMax: 1000000, NMax: 10, NMin: 10}
}

// ParseConfig parses a config file's content. Only the first byte of each line decides
// what the line means; unknown lines are ignored, as in C svlogd.
func ParseConfig(data []byte) Config {
	c := DefaultConfig()
	for len(data) > 0 {
		var line []byte
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			line, data = data, nil
			// C's loop stops one byte before the end: a last line of one byte
			// without a newline is not read.
			if len(line) == 1 {
				break
			}
		}
		if len(line) == 0 {
			continue
		}
		// C handles each line as a C string: a NUL ends it.
		if i := bytes.IndexByte(line, 0); i >= 0 {
			line = line[:i]
			if len(line) == 0 {
				continue
			}
		}
		arg := line[1:]
		switch line[0] {
		case '+', '-', 'e', 'E':
			c.Patterns = append(c.Patterns, append([]byte(nil), line...))
		case 's':
			n, k := scanSat(arg)
			if k < len(arg) {
				switch arg[k] {
				case 'k':
					n = mulSat(n, 1024)
				case 'm':
					n = mulSat(n, 1024*1024)
				}
			}
			c.SizeMax = n
		case 'n':
			n, _ := scanSat(arg)
			c.NMax = clampInt(n)
		case 'N':
			n, _ := scanSat(arg)
			c.NMin = clampInt(n)
		case 't':
			n, k := scanSat(arg)
			if k < len(arg) {
				switch arg[k] {
				case 'm':
					n = mulSat(n, 60)
				case 'h':
					n = mulSat(n, 3600)
				}
			}
			c.TMax = min(n, maxTMax)
		case '!':
			// A bare "!" (or "p") keeps the value of an earlier line, as in C.
			if len(arg) > 0 {
				c.Processor = string(arg)
			}
		case 'u', 'U':
			ip, port, err := parseUDP(arg)
			if err != "" {
				// C's U would still make the directory UDP-only, sending its lines
				// nowhere: ours leaves the directory as it was.
				c.Warnings = append(c.Warnings, err)
				continue
			}
			c.UDPAddr, c.UDPPort = ip, port
			// C's port is 16 bits: a port that truncates to 0 sends nothing.
			c.UDP = port != 0
			if c.UDP && line[0] == 'U' {
				c.UDPOnly = true // as in C, a later u line does not undo it
			}
		case 'p':
			if len(arg) > 0 {
				c.Prefix = append([]byte(nil), arg...)
			}
		}
	}
	if !c.UDP {
		c.UDPOnly = false
	}
	return c
}

// scanSat reads leading decimal digits as C's scan_ulong does (none is 0, garbage after
// them is ignored), except that a number too big for 64 bits is the greatest one: C wraps
// it, so that s18446744073709551617 is s1 there.
func scanSat(b []byte) (uint64, int) {
	var n uint64
	i := 0
	for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
		d := uint64(b[i] - '0')
		if n > (math.MaxUint64-d)/10 {
			n = math.MaxUint64
		} else {
			n = n*10 + d
		}
	}
	return n, i
}

// mulSat is n*k, or the greatest number when that overflows.
func mulSat(n, k uint64) uint64 {
	if n > math.MaxUint64/k {
		return math.MaxUint64
	}
	return n * k
}

func clampInt(n uint64) int {
	if n > 1<<31-1 {
		return 1<<31 - 1
	}
	return int(n)
}

// parseUDP reads "a.b.c.d[:port]" (port 514 by default) as C svlogd does: octets and the
// port are truncated to their C types, not checked. err is the warning for what it
// cannot read.
func parseUDP(b []byte) (ip [4]byte, port int, err string) {
	p := 0
	for k := 0; k < 4; k++ {
		n, d := scanU64(b[p:])
		if d == 0 {
			return ip, 0, "unable to scan ip address: " + string(b)
		}
		ip[k] = byte(n)
		p += d
		if k < 3 {
			if p >= len(b) || b[p] != '.' {
				return ip, 0, "unable to scan ip address: " + string(b)
			}
			p++
		}
	}
	if p < len(b) && b[p] == ':' {
		n, _ := scanU64(b[p+1:])
		if n == 0 {
			return ip, 0, "unable to scan port number: " + string(b[p+1:])
		}
		return ip, int(uint16(n)), ""
	}
	return ip, 514, ""
}
