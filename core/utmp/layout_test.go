package utmp

import (
	"bytes"
	"encoding/binary"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

var (
	sample = Entry{Type: 7, Pid: 4242, Line: "pts/3", ID: "ts/3", User: "alice",
		Host: "host.example", Sec: 1_700_000_000, Usec: 123456}
	logoutAt = time.Unix(4_102_444_800, 654_321_000) // 2100-01-01: past 2038 on purpose
)

// golden compares got with testdata/golden/name, or writes it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	p := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.WriteFile(p, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (run go test -update once to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file:\n got  %x\n want %x", name, got, want)
	}
}

// TestGolden pins every layout's record, its logout edit and its log record.
func TestGolden(t *testing.T) {
	for name, l := range Layouts {
		t.Run(name, func(t *testing.T) {
			e := sample
			if l.UserType != 0 {
				e.Type = l.UserType
			}
			rec := l.Encode(e)
			if len(rec) != l.Size {
				t.Fatalf("record is %d bytes, want %d", len(rec), l.Size)
			}
			golden(t, name+".rec", rec)
			if !l.Matches(rec, "pts/3") || l.Matches(rec, "pts/30") || l.Matches(rec, "pts/") {
				t.Errorf("Matches is wrong for the sample record")
			}
			out := append([]byte(nil), rec...)
			l.Logout(out, logoutAt)
			golden(t, name+".logout", out)
			if l.Matches(out, "pts/3") {
				t.Errorf("a logged-out record still matches its line")
			}
			golden(t, name+".log", l.LogRecord("pts/3", logoutAt, rec))
		})
	}
}

// TestRoundTrip: Decode(Encode(e)) is e, with each field's size respected.
func TestRoundTrip(t *testing.T) {
	for name, l := range Layouts {
		e := sample
		e.Type = l.UserType
		if l.Pid.Size == 0 {
			e.Pid = 0
		}
		if l.ID.Size == 0 {
			e.ID = ""
		}
		if l.Usec.Size == 0 && !l.Micro {
			e.Usec = 0
		}
		if got := l.Decode(l.Encode(e)); got != e {
			t.Errorf("%s: round trip %+v, want %+v", name, got, e)
		}
		long := Entry{Line: strings.Repeat("x", 300), User: strings.Repeat("u", 300)}
		got := l.Decode(l.Encode(long))
		if len(got.Line) != l.Line.Size || len(got.User) != l.User.Size {
			t.Errorf("%s: long strings not truncated to the fields: %d %d", name, len(got.Line), len(got.User))
		}
	}
}

// TestGlibcByHand checks the glibc layout against a record packed by hand from the
// offsets of glibc's <bits/utmp.h> on x86_64 (ut_type, pad, ut_pid, ut_line[32],
// ut_id[4], ut_user[32], ut_host[256], ut_exit, ut_session, ut_tv{int32,int32},
// ut_addr_v6[4], reserved[20]), and the logout against what C utmpset was seen to do.
func TestGlibcByHand(t *testing.T) {
	b := make([]byte, 384)
	le := binary.LittleEndian
	le.PutUint16(b[0:], 7)
	le.PutUint32(b[4:], 4242)
	copy(b[8:], "pts/3")
	copy(b[40:], "ts/3")
	copy(b[44:], "alice")
	copy(b[76:], "host.example")
	le.PutUint32(b[340:], 1_700_000_000)
	le.PutUint32(b[344:], 123456)
	if got := Glibc.Encode(sample); !bytes.Equal(got, b) {
		t.Fatalf("glibc encoding differs from the hand-packed record:\n got  %x\n want %x", got, b)
	}
	Glibc.Logout(b, time.Unix(1_800_000_000, 5))
	want := make([]byte, 384)
	le.PutUint16(want[0:], 8) // DEAD_PROCESS; pid, line, id and usec stay
	le.PutUint32(want[4:], 4242)
	copy(want[8:], "pts/3")
	copy(want[40:], "ts/3")
	le.PutUint32(want[340:], 1_800_000_000)
	le.PutUint32(want[344:], 123456)
	if !bytes.Equal(b, want) {
		t.Errorf("glibc logout:\n got  %x\n want %x", b, want)
	}
	// C's wtmp_logout copies a line that fits whole, even with no room for a NUL, and
	// cuts a longer one to the field size less two (seen from C utmpset, see e2e).
	for line, want := range map[string]string{
		strings.Repeat("L", 40): strings.Repeat("L", 30) + "\x00\x00",
		strings.Repeat("L", 33): strings.Repeat("L", 30) + "\x00\x00",
		strings.Repeat("L", 32): strings.Repeat("L", 32),
		strings.Repeat("L", 31): strings.Repeat("L", 31) + "\x00",
	} {
		log := Glibc.LogRecord(line, time.Unix(1_800_000_000, 0), nil)
		if len(log) != 384 || string(log[8:40]) != want || log[40] != 0 || le.Uint16(log) != 8 {
			t.Errorf("glibc log record for a %d-byte line: %q", len(line), log[:48])
		}
	}
}

// TestFreeBSDLog checks utx.log framing: big-endian length, record without trailing zeros.
func TestFreeBSDLog(t *testing.T) {
	rec := FreeBSD.Encode(Entry{Type: 4, Pid: 77, ID: "abcdefgh", Line: "pts/1", User: "u"})
	log := FreeBSD.LogRecord("pts/1", time.Unix(10, 500), rec)
	n := int(binary.BigEndian.Uint16(log))
	if n != len(log)-2 || log[len(log)-1] == 0 {
		t.Fatalf("framing: length %d for %d bytes, last byte %d", n, len(log)-2, log[len(log)-1])
	}
	full := make([]byte, FreeBSD.Size)
	copy(full, log[2:])
	e := FreeBSD.Decode(full)
	if e.Type != 7 || e.Line != "pts/1" || e.ID != "abcdefgh" || e.Pid != 77 || e.Sec != 10 || e.User != "" {
		t.Errorf("decoded log record %+v", e)
	}
}

// TestMatchesFullLine: where C runit reads the layout (CLine), a line that fills its
// field matches as C's str_diff sees it, running on into the following fields up to the
// first NUL: glibc's ut_id and then ut_user, OpenBSD's and NetBSD's ut_name, Solaris's
// binary ut_pid. Elsewhere the comparison stays within the field, as getutxline's does.
func TestMatchesFullLine(t *testing.T) {
	m32 := strings.Repeat("M", 32)
	for _, c := range []struct {
		l        *Layout
		e        Entry
		yes, not []string
	}{
		{Glibc, Entry{Type: 7, Line: m32, User: "dave"}, []string{m32}, []string{m32[:31], m32 + "dave"}},
		{Glibc, Entry{Type: 7, Line: m32, ID: "ab", User: "dave"}, []string{m32 + "ab"}, []string{m32, m32[:30]}},
		{Glibc, Entry{Type: 7, Line: m32, ID: "abcd", User: "dave"}, []string{m32 + "abcddave"}, []string{m32 + "abcd"}},
		{Glibc, Entry{Type: 7, Line: m32[:31], ID: "ab", User: "dave"}, []string{m32[:31]}, []string{m32[:31] + "ab"}},
		{GlibcLP64, Entry{Type: 7, Line: m32, ID: "x", User: "dave"}, []string{m32 + "x"}, []string{m32}},
		{OpenBSD, Entry{Line: "ttyp0123", User: "root"}, []string{"ttyp0123root"}, []string{"ttyp0123"}},
		{NetBSDUtmp, Entry{Line: "ttyp0123", User: "root"}, []string{"ttyp0123root"}, []string{"ttyp0123"}},
		{Solaris, Entry{Type: 7, Line: m32, Pid: 0x04d2, User: "dave"}, []string{m32 + "\xd2\x04"}, []string{m32}},
		{NetBSD, Entry{Type: 7, Line: m32, Host: "h", User: "dave"}, []string{m32}, []string{m32 + "h", m32[:31]}},
		{Darwin, Entry{Type: 7, Line: m32, Pid: 7, User: "dave"}, []string{m32}, []string{m32 + "\x07"}},
		{FreeBSD, Entry{Type: 4, Line: m32[:16], Host: "h", User: "dave"}, []string{m32[:16]}, []string{m32[:16] + "h"}},
	} {
		rec := c.l.Encode(c.e)
		for _, line := range c.yes {
			if !c.l.Matches(rec, line) {
				t.Errorf("%s: %+v does not match %q", c.l.Name, c.e, line)
			}
		}
		for _, line := range c.not {
			if c.l.Matches(rec, line) {
				t.Errorf("%s: %+v matches %q", c.l.Name, c.e, line)
			}
		}
	}
	// No NUL up to the end of the record: C would read on past it, into memory that is
	// not the file's; we never match.
	rec := bytes.Repeat([]byte("x"), Glibc.Size)
	if Glibc.Matches(rec, string(rec[8:])) {
		t.Error("a glibc record without a NUL after its line matched")
	}
}

// TestLP64AndDarwinTime checks where the seconds live in the layouts that differ from
// glibc's x86-64 record: 64-bit at 344 on aarch64 glibc, 32-bit at 300 in macOS's utmpx32.
func TestLP64AndDarwinTime(t *testing.T) {
	le := binary.LittleEndian
	b := GlibcLP64.Encode(Entry{Sec: 1 << 40, Usec: 7})
	if le.Uint64(b[344:]) != 1<<40 || le.Uint64(b[352:]) != 7 || len(b) != 400 {
		t.Errorf("glibc-lp64 time: %x", b[336:368])
	}
	b = Darwin.Encode(Entry{Sec: 1_700_000_000, Usec: 7, Type: 7, Host: "h"})
	if le.Uint32(b[300:]) != 1_700_000_000 || le.Uint32(b[304:]) != 7 || le.Uint16(b[296:]) != 7 || b[308] != 'h' || len(b) != 628 {
		t.Errorf("darwin record: %x", b[292:312])
	}
}
