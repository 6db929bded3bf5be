package svlog

// The input cut into lines: each line stamped and handed to the directories whose
// patterns select it.

import "bytes"

// process handles the complete lines in data and returns how many bytes at its end
// belong to an incomplete line that must wait for more input.
func (l *Logger) process(data, first, st []byte) int {
	s := first
	lm := l.opt.LineMax
	for len(data) > 0 {
		if l.long {
			i := bytes.IndexByte(data, '\n')
			if i < 0 {
				l.cont(data)
				return 0
			}
			l.cont(data[:i+1])
			data = data[i+1:]
			l.long = false
			s = st
			continue
		}
		i := bytes.IndexByte(data, '\n')
		if i < 0 {
			if len(data) < lm {
				return len(data)
			}
			// A line longer than the buffer: its head decides, its rest streams through.
			l.line(s, data[:lm], data[lm:], false, true)
			l.long = true
			return 0
		}
		// C reads at most LineMax bytes as the line: one of exactly that length is
		// already "long" for the stderr and UDP copies, which get "...".
		if i >= lm {
			l.line(s, data[:lm], data[lm:i], true, true)
		} else {
			l.line(s, data[:i], nil, true, false)
		}
		data = data[i+1:]
		s = st
	}
	return 0
}

// line dispatches one line: head is its first LineMax bytes (replaced and matched), rest
// the remainder copied as is; complete says the newline has been seen; cut marks the
// stderr and UDP copies as shortened.
func (l *Logger) line(stamp, head, rest []byte, complete, cut bool) {
	if l.opt.Replace != 0 {
		r := l.opt.Replace
		for i, c := range head {
			if l.repl[c] {
				head[i] = r
			}
		}
	}
	// "+c" at the end of a line compares c with the byte after the line in C svlogd's
	// line buffer: left over from earlier, longer lines (never written at the limit).
	// Emulate that buffer, but only when some pattern can look at it.
	var next byte
	if l.stale != nil {
		next = l.stale[len(head)]
		copy(l.stale, head)
	}
	for _, d := range l.dirs {
		if d.lock < 0 {
			continue
		}
		sel, esel := true, false
		for _, p := range d.cfg.Patterns {
			switch p[0] {
			case '+':
				if match(p[1:], head, next) {
					sel = true
				}
			case '-':
				if match(p[1:], head, next) {
					sel = false
				}
			case 'e':
				if match(p[1:], head, next) {
					esel = true
				}
			case 'E':
				if match(p[1:], head, next) {
					esel = false
				}
			}
		}
		d.cont = sel && !d.cfg.UDPOnly
		if sel {
			// As in C, a failed send's warning goes to current before the line.
			if d.cfg.UDP {
				d.sendUDP(stamp, head, cut)
			}
			if !d.cfg.UDPOnly {
				if complete {
					d.putLine(stamp, d.cfg.Prefix, head, rest)
				} else {
					s := d.scr[:0]
					s = append(s, stamp...)
					s = append(s, d.cfg.Prefix...)
					s = append(s, head...)
					s = append(s, rest...)
					d.scr = s[:0]
					d.put(s)
				}
			}
		}
		if esel {
			l.errbuf = append(l.errbuf, stamp...)
			l.errbuf = append(l.errbuf, d.cfg.Prefix...)
			l.errbuf = append(l.errbuf, head...)
			if cut {
				l.errbuf = append(l.errbuf, "..."...)
			}
			l.errbuf = append(l.errbuf, '\n')
			if len(l.errbuf) >= flushAt {
				l.flushErr()
			}
		}
	}
}

// cont copies more of a long line to the directories that selected it.
func (l *Logger) cont(p []byte) {
	for _, d := range l.dirs {
		if d.lock >= 0 && d.cont {
			d.put(p)
		}
	}
}

func (l *Logger) flushAll() {
	for _, d := range l.dirs {
		if d.lock >= 0 && len(d.pend) > 0 {
			d.flush()
		}
	}
	l.flushErr()
}
