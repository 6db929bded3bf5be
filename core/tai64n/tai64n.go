// Package tai64n encodes the TAI64N labels runit uses in supervise/status and svlogd.
//
// runit's labels are unix seconds + 2^62 + 10 (not leap-second correct); we match that
// exactly so that files written by C runit and by us sort and compare the same way.
package tai64n

import (
	"encoding/binary"
	"time"
)

// Offset is what runit adds to unix seconds to form a TAI64 label.
const Offset = uint64(1)<<62 + 10

// Pack returns the 12-byte external TAI64N form of t.
func Pack(t time.Time) [12]byte {
	var b [12]byte
	binary.BigEndian.PutUint64(b[:8], Offset+uint64(t.Unix()))
	binary.BigEndian.PutUint32(b[8:], uint32(t.Nanosecond()))
	return b
}

// Unpack is the inverse of Pack.
func Unpack(b [12]byte) time.Time {
	sec := int64(binary.BigEndian.Uint64(b[:8]) - Offset)
	return time.Unix(sec, int64(binary.BigEndian.Uint32(b[8:])))
}

const hexdigits = "0123456789abcdef"

// Label returns "@" followed by 24 lowercase hex digits, as svlogd names files and stamps lines.
func Label(t time.Time) string {
	var out [25]byte
	AppendLabel(out[:0], t)
	return string(out[:])
}

// AppendLabel appends the 25-byte label for t to dst without allocating.
func AppendLabel(dst []byte, t time.Time) []byte {
	p := Pack(t)
	dst = append(dst, '@')
	for _, c := range p {
		dst = append(dst, hexdigits[c>>4], hexdigits[c&15])
	}
	return dst
}
