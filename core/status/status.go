// Package status is runsv's 20-byte supervise/status record and the supervise/stat text.
//
// The record is daemontools-compatible and must match C runit byte for byte, so that C
// runit's sv can read our runsv and our sv can read theirs:
//
//	0-7   TAI64 seconds of the last state change (big-endian, unix + 2^62 + 10)
//	8-11  nanoseconds (big-endian; runit stores usec*1000+500)
//	12-15 pid of the child (run or finish) or 0, little-endian
//	16    paused flag
//	17    want: 'u' for up, 'd' for down and for exit
//	18    term flag: runsv sent SIGTERM and the child has not been reaped yet
//	19    state: 0 down, 1 run, 2 finish
package status

import (
	"encoding/binary"
	"errors"
	"time"

	"github.com/runit-go/runit/core/tai64n"
)

// Size is the exact length of supervise/status.
const Size = 20

// State is what the supervised process is doing.
type State byte

// The states as stored in byte 19.
const (
	Down   State = 0
	Run    State = 1
	Finish State = 2
)

func (s State) String() string {
	switch s {
	case Run:
		return "run"
	case Finish:
		return "finish"
	}
	return "down"
}

// Want is what the supervisor was told to aim for.
type Want byte

// Wants. The record cannot tell WantDown from WantExit: both are stored as 'd'.
const (
	WantUp Want = iota
	WantDown
	WantExit
)

// Record is one decoded supervise/status.
type Record struct {
	Time   time.Time // last state change
	Pid    int       // 0 when nothing runs
	Paused bool
	WantUp bool // byte 17 == 'u'
	Term   bool
	State  State
}

// ErrFormat is returned for a status file that is not exactly Size bytes.
var ErrFormat = errors.New("bad format")

// Stamp rounds t the way runit does: microseconds, then 500 ns added, so that records we
// write are indistinguishable from C runsv's.
func Stamp(t time.Time) time.Time {
	return time.Unix(t.Unix(), int64(t.Nanosecond()/1000*1000+500))
}

// Encode writes r into a Size-byte array.
func (r Record) Encode() [Size]byte {
	var b [Size]byte
	p := tai64n.Pack(r.Time)
	copy(b[:12], p[:])
	binary.LittleEndian.PutUint32(b[12:16], uint32(r.Pid))
	b[16] = flag(r.Paused)
	b[17] = 'd'
	if r.WantUp {
		b[17] = 'u'
	}
	b[18] = flag(r.Term)
	b[19] = byte(r.State)
	return b
}

// Decode parses a status record. Anything but exactly Size bytes is ErrFormat, as sv says.
// Unknown byte values are kept as C sv does: state is taken as is, flags are "non-zero".
func Decode(b []byte) (Record, error) {
	if len(b) != Size {
		return Record{}, ErrFormat
	}
	var p [12]byte
	copy(p[:], b[:12])
	return Record{
		Time:   tai64n.Unpack(p),
		Pid:    int(binary.LittleEndian.Uint32(b[12:16])),
		Paused: b[16] != 0,
		WantUp: b[17] == 'u',
		Term:   b[18] != 0,
		State:  State(b[19]),
	}, nil
}

func flag(v bool) byte {
	if v {
		return 1
	}
	return 0
}

// StatText is the one line runsv writes to supervise/stat, e.g. "run, paused, want down\n".
func StatText(state State, paused, term bool, want Want) string {
	s := state.String()
	if paused {
		s += ", paused"
	}
	if term {
		s += ", got TERM"
	}
	if state != Down {
		switch want {
		case WantDown:
			s += ", want down"
		case WantExit:
			s += ", want exit"
		}
	}
	return s + "\n"
}
