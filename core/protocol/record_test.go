package protocol

import (
	"bytes"
	"encoding/binary"
	"testing"
	"time"

	"github.com/runit-go/runit/core/tai64n"
)

// Bytes observed from Debian's C runsv (see runit-behaviour.md section 1.1).
func TestDecodeCRunsv(t *testing.T) {
	running := []byte{0x40, 0, 0, 0, 0x6b, 0x05, 0x6d, 0x51, 0x32, 0xd6, 0x1f, 0x3c, 0x94, 0x21, 0, 0, 0, 'u', 0, 1}
	r, err := Decode(running)
	if err != nil {
		t.Fatal(err)
	}
	if r.Pid != 8596 || r.Want != WantUp || r.State != Run || r.Paused || r.Term {
		t.Errorf("decoded %+v", r)
	}
	if r.Time.Unix() != 0x6b056d51-10 {
		t.Errorf("time %d", r.Time.Unix())
	}
	if got := r.Encode(); !bytes.Equal(got[:], running) {
		t.Errorf("re-encode % x, want % x", got, running)
	}
}

// Every want is stored as C runsv stores it: exit as 'd'; a decoded want is the byte as
// stored, so that sv shows a corrupt one as C sv does (neither up nor down).
func TestWantByte(t *testing.T) {
	for _, c := range []struct {
		want Want
		b    byte
		s    string
	}{{WantUp, 'u', "up"}, {WantDown, 'd', "down"}, {WantExit, 'd', "exit"}} {
		r := Record{Want: c.want}
		if e := r.Encode(); e[17] != c.b {
			t.Errorf("want %v stored as %q, want %q", c.want, e[17], c.b)
		}
		if c.want.String() != c.s {
			t.Errorf("Want(%q).String() = %q", byte(c.want), c.want.String())
		}
	}
	b := make([]byte, Size)
	b[17] = 'q'
	if r, _ := Decode(b); r.Want == WantUp || r.Want == WantDown || byte(r.Want) != 'q' {
		t.Errorf("byte 'q' decoded as want %q", byte(r.Want))
	}
}

func TestDecodeBadLength(t *testing.T) {
	for _, n := range []int{0, 1, 19, 21, 40} {
		if _, err := Decode(make([]byte, n)); err != ErrFormat {
			t.Errorf("len %d: err %v, want ErrFormat", n, err)
		}
	}
}

func TestStamp(t *testing.T) {
	got := Stamp(time.Unix(5, 123456789))
	if got.Nanosecond() != 123456500 {
		t.Errorf("Stamp nanos = %d", got.Nanosecond())
	}
}

func TestStatText(t *testing.T) {
	cases := []struct {
		state        State
		paused, term bool
		want         Want
		text         string
	}{
		{Run, false, false, WantUp, "run\n"},
		{Down, false, false, WantDown, "down\n"},
		{Finish, false, false, WantUp, "finish\n"},
		{Run, false, false, WantDown, "run, want down\n"},
		{Run, true, false, WantDown, "run, paused, want down\n"},
		{Down, true, false, WantUp, "down, paused\n"},
		{Run, false, true, WantExit, "run, got TERM, want exit\n"},
	}
	for _, c := range cases {
		r := Record{State: c.state, Paused: c.paused, Term: c.term, Want: c.want}
		if got := r.StatText(); got != c.text {
			t.Errorf("StatText(%v,%v,%v,%v) = %q, want %q", c.state, c.paused, c.term, c.want, got, c.text)
		}
	}
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte{0x40, 0, 0, 0, 0x6b, 0x05, 0x6d, 0x51, 0x32, 0xd6, 0x1f, 0x3c, 0x94, 0x21, 0, 0, 0, 'u', 0, 1})
	f.Add(make([]byte, 20))
	f.Add([]byte("short"))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := Decode(b)
		if err != nil {
			if len(b) == Size {
				t.Fatalf("rejected a %d-byte record", Size)
			}
			return
		}
		// A well-formed record (nanoseconds below 10^9, a TAI64 label within 2^40 seconds of
		// 1970) re-encodes to the same bytes: pid, state and timestamp exactly, the flags as
		// 0/1 and the want byte as 'u'/'d'. Corrupt timestamps need only decode without harm:
		// sv shows whole seconds of age, clamped at 0.
		sec := binary.BigEndian.Uint64(b[:8])
		nano := binary.BigEndian.Uint32(b[8:12])
		if nano >= 1e9 || sec < tai64n.Offset-1<<40 || sec > tai64n.Offset+1<<40 {
			return
		}
		e := r.Encode()
		if !bytes.Equal(e[:16], b[:16]) || e[19] != b[19] {
			t.Fatalf("round trip changed % x into % x", b, e)
		}
		if (b[17] == 'u' || b[17] == 'd') && e[17] != b[17] {
			t.Fatalf("want byte %q re-encoded as %q", b[17], e[17])
		}
	})
}
