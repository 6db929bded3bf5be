package protocol

import (
	"encoding/binary"
	"errors"
	"strconv"
	"time"

	"github.com/runit-go/runit/core/tai64n"
)

// supervise/status is runsv's 20-byte record, daemontools-compatible and byte for byte C
// runit's:
//
//	0-7   TAI64 seconds of the last state change (big-endian, unix + 2^62 + 10)
//	8-11  nanoseconds (big-endian; runit stores usec*1000+500)
//	12-15 pid of the child (run or finish) or 0, little-endian
//	16    paused flag
//	17    want: 'u' for up, 'd' for down and for exit (want.go)
//	18    term flag: runsv sent SIGTERM and the child has not been reaped yet
//	19    state: 0 down, 1 run, 2 finish

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

// Record is one supervise/status.
type Record struct {
	Time   time.Time // last state change
	Pid    int       // 0 when nothing runs
	Paused bool
	Want   Want // decoded as stored: 'u', 'd' (WantExit is encoded as 'd'), or whatever byte was there
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
	b[17] = r.Want.recordByte()
	b[18] = flag(r.Term)
	b[19] = byte(r.State)
	return b
}

// Decode parses a status record. Anything but exactly Size bytes is ErrFormat, as sv says.
// Unknown byte values are kept as C sv does: state and want are taken as they are, flags
// are "non-zero".
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
		Want:   Want(b[17]),
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

// StatText is supervise/stat, the record as the one line runsv writes, e.g.
// "run, paused, want down\n". Unlike the record, it tells want exit from want down.
func (r Record) StatText() string {
	s := r.State.String()
	if r.Paused {
		s += ", paused"
	}
	if r.Term {
		s += ", got TERM"
	}
	if r.State != Down {
		switch r.Want {
		case WantDown:
			s += ", want down"
		case WantExit:
			s += ", want exit"
		}
	}
	return s + "\n"
}

// EncodePid is supervise/pid: the pid and a newline, empty for 0 (nothing runs).
// supervise/ready has the same form.
func EncodePid(pid int) []byte {
	if pid == 0 {
		return []byte{}
	}
	return []byte(strconv.Itoa(pid) + "\n")
}

// DecodePid is the pid in supervise/pid (or ready), 0 for none. Only what EncodePid writes
// is a pid: "042\n", "42" or "+42\n" are not.
func DecodePid(b []byte) int {
	n := len(b)
	if n < 2 || b[n-1] != '\n' {
		return 0
	}
	pid, err := strconv.Atoi(string(b[:n-1]))
	if err != nil || pid <= 0 || strconv.Itoa(pid) != string(b[:n-1]) {
		return 0
	}
	return pid
}
