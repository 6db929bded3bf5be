package initctl

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/runit-go/runit/core/utmp"
)

// TestWtmpMarks: the shutdown and boot records, decoded again, carry each format's
// type, line, id and user, and FreeBSD's are framed by their length.
func TestWtmpMarks(t *testing.T) {
	now := time.Unix(1_800_000_000, 123_000)
	shutdown, boot := ShutdownRecord, BootRecord
	for _, c := range []struct {
		rec            func(*utmp.Layout, time.Time) []byte
		l              *utmp.Layout
		typ            int
		line, id, user string
	}{
		{shutdown, utmp.Glibc, 1, "~~", "~~", "shutdown"},
		{shutdown, utmp.GlibcLP64, 1, "~~", "~~", "shutdown"},
		{shutdown, utmp.NetBSD, 1, "~~", "~~", "shutdown"},
		{shutdown, utmp.Solaris, 1, "~~", "~~", "shutdown"},
		{shutdown, utmp.OpenBSD, 0, "~", "", "shutdown"},
		{shutdown, utmp.FreeBSD, 8, "", "", ""},
		{boot, utmp.Glibc, 2, "~", "~~", "reboot"},
		{boot, utmp.Solaris, 2, "~", "~~", "reboot"},
		{boot, utmp.OpenBSD, 0, "~", "", "reboot"},
		{boot, utmp.FreeBSD, 1, "", "", ""},
	} {
		b := c.rec(c.l, now)
		if c.l.LogLenHdr {
			n := int(binary.BigEndian.Uint16(b))
			if n != len(b)-2 || n > c.l.Size {
				t.Errorf("%s: framed length %d for %d bytes", c.l.Name, n, len(b))
				continue
			}
			b = append(b[2:], make([]byte, c.l.Size-n)...)
		} else if len(b) != c.l.Size {
			t.Errorf("%s: %d bytes, want %d", c.l.Name, len(b), c.l.Size)
			continue
		}
		e := c.l.Decode(b)
		if e.Type != c.typ || e.Line != c.line || e.ID != c.id || e.User != c.user || e.Sec != now.Unix() {
			t.Errorf("%s: %+v, want type %d line %q id %q user %q", c.l.Name, e, c.typ, c.line, c.id, c.user)
		}
	}
	if ShutdownRecord(nil, now) != nil || BootRecord(nil, now) != nil {
		t.Error("a record for a system without wtmp")
	}
}

func TestRealRecordAppends(t *testing.T) {
	w := filepath.Join(t.TempDir(), "wtmp")
	c := &Real{Wtmp: utmp.Files{Layout: utmp.Glibc, Wtmp: w}}
	for i := 0; i < 2; i++ {
		if err := c.Record(); err != nil {
			t.Fatal(err)
		}
	}
	b, err := os.ReadFile(w)
	if err != nil || len(b) != 2*utmp.Glibc.Size {
		t.Fatalf("wtmp: %d bytes, %v", len(b), err)
	}
	if e := utmp.Glibc.Decode(b[utmp.Glibc.Size:]); e.User != "shutdown" || e.Type != 1 {
		t.Errorf("second record: %+v", e)
	}
	c.Wtmp.Wtmp = filepath.Join(t.TempDir(), "no", "wtmp")
	if err := c.Record(); err == nil || err.Error() != "unable to open "+c.Wtmp.Wtmp+": file does not exist" {
		t.Errorf("error: %v", err)
	}
}
