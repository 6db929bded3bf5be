package svlog

import "bytes"

// Config is one log directory's config file, as svlogd reads it at start and on HUP.
type Config struct {
	SizeMax   uint64 // s: rotate current at this size; 0 never
	NMax      int    // n: keep at most this many old files; 0 keeps all
	NMin      int    // N: on a full disk delete old files down to this many
	TMax      uint64 // t: rotate a non-empty current older than this many seconds; 0 never
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
			n, k := scanU64(arg)
			if k < len(arg) {
				switch arg[k] {
				case 'k':
					n *= 1024
				case 'm':
					n *= 1024 * 1024
				}
			}
			c.SizeMax = n
		case 'n':
			n, _ := scanU64(arg)
			c.NMax = clampInt(n)
		case 'N':
			n, _ := scanU64(arg)
			c.NMin = clampInt(n)
		case 't':
			n, k := scanU64(arg)
			if k < len(arg) {
				switch arg[k] {
				case 'm':
					n *= 60
				case 'h':
					n *= 3600
				}
			}
			c.TMax = n
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
