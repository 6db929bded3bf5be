package svlog

import (
	"time"

	"github.com/runit-go/runit/core/tai64n"
)

// stamper formats line timestamps without allocating: the part that depends only on the
// second is cached, so a new second costs one calendar computation and every other call
// only formats the fraction.
type stamper struct {
	kind int
	sec  int64
	have bool
	buf  [32]byte
	n    int // length of the cached per-second part
}

// format returns the timestamp (with its trailing space) for t; the slice is valid until
// the next call.
func (s *stamper) format(t time.Time) []byte {
	if s.kind == 0 {
		return nil
	}
	sec := t.Unix()
	if !s.have || sec != s.sec {
		s.have, s.sec = true, sec
		if s.kind == 1 {
			l := tai64n.AppendLabel(s.buf[:0], t)
			s.n = 17 // "@" + 16 hex digits of the seconds
			_ = l
		} else {
			u := t.UTC()
			y, mo, d := u.Date()
			h, mi, se := u.Clock()
			b := s.buf[:0]
			b = append4(b, y)
			b = append(b, '-')
			b = append2(b, int(mo))
			b = append(b, '-')
			b = append2(b, d)
			if s.kind == 3 {
				b = append(b, 'T')
			} else {
				b = append(b, '_')
			}
			b = append2(b, h)
			b = append(b, ':')
			b = append2(b, mi)
			b = append(b, ':')
			b = append2(b, se)
			b = append(b, '.')
			s.n = len(b)
		}
	}
	ns := t.Nanosecond()
	b := s.buf[:s.n]
	if s.kind == 1 {
		const hex = "0123456789abcdef"
		for sh := 28; sh >= 0; sh -= 4 {
			b = append(b, hex[(ns>>uint(sh))&15])
		}
	} else {
		f := ns / 10000
		b = append(b, byte('0'+f/10000), byte('0'+f/1000%10), byte('0'+f/100%10), byte('0'+f/10%10), byte('0'+f%10))
	}
	return append(b, ' ')
}

func append2(b []byte, v int) []byte { return append(b, byte('0'+v/10%10), byte('0'+v%10)) }

func append4(b []byte, v int) []byte {
	return append(b, byte('0'+v/1000%10), byte('0'+v/100%10), byte('0'+v/10%10), byte('0'+v%10))
}
