package initctl

import (
	"fmt"
	"os"
	"time"

	"github.com/runit-go/runit/core/errstr"
	"github.com/runit-go/runit/core/utmp"
	"github.com/runit-go/runit/platform"
)

// ShutdownRecord is the wtmp record that marks a shutdown for last(1), as each system's
// own halt writes it: SysV's RUN_LVL (1) with user "shutdown", line and id "~~" where
// the format has types (glibc, NetBSD, Solaris, as sysvinit does); FreeBSD's
// SHUTDOWN_TIME (8) with nothing else; OpenBSD's untyped record with line "~" and name
// "shutdown" (its logwtmp). nil where the system keeps no wtmp file (macOS).
func ShutdownRecord(l *utmp.Layout, now time.Time) []byte {
	return mark(l, now, 1, 8, "~~", "shutdown")
}

// BootRecord is the wtmp record that marks a boot for last(1) ("reboot system boot"),
// what halt -B writes as Void's does: SysV's BOOT_TIME (2) with user "reboot", line "~"
// and id "~~"; FreeBSD's BOOT_TIME (1); OpenBSD's line "~" and name "reboot". nil where
// the system keeps no wtmp file.
func BootRecord(l *utmp.Layout, now time.Time) []byte {
	return mark(l, now, 2, 1, "~", "reboot")
}

// mark makes one of those records: sysvType and line for the formats with SysV types,
// freebsdType for FreeBSD's (which carries nothing else), user for all but FreeBSD.
func mark(l *utmp.Layout, now time.Time, sysvType, freebsdType int, line, user string) []byte {
	if l == nil {
		return nil
	}
	e := utmp.Entry{Sec: now.Unix(), Usec: int64(now.Nanosecond() / 1000)}
	switch {
	case l.Type.Size == 0:
		e.Line, e.User = "~", user
	case l.LogLenHdr:
		e.Type = freebsdType
	default:
		e.Type, e.Line, e.ID, e.User = sysvType, line, "~~", user
	}
	return frame(l, e)
}

// frame encodes e as l's wtmp file holds it.
func frame(l *utmp.Layout, e utmp.Entry) []byte {
	b := l.Encode(e)
	if !l.LogLenHdr {
		return b
	}
	// FreeBSD's utx.log: a 16-bit big-endian length, then the record without its
	// trailing zeros.
	n := len(b)
	for n > 0 && b[n-1] == 0 {
		n--
	}
	out := make([]byte, 2+n)
	out[0], out[1] = byte(n>>8), byte(n)
	copy(out[2:], b[:n])
	return out
}

// writeWtmp appends rec (made for f.Layout) to f.Wtmp, locked as every writer of it locks.
func writeWtmp(f utmp.Files, rec []byte) error {
	if rec == nil || f.Wtmp == "" {
		return nil
	}
	fh, err := os.OpenFile(f.Wtmp, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return fmt.Errorf("unable to open %s: %s", f.Wtmp, errstr.Text(err))
	}
	defer fh.Close()
	if err := platform.Lock(int(fh.Fd()), true); err != nil {
		return fmt.Errorf("unable to lock %s: %s", f.Wtmp, errstr.Text(err))
	}
	if _, err := fh.Write(rec); err != nil {
		return fmt.Errorf("unable to write %s: %s", f.Wtmp, errstr.Text(err))
	}
	return nil
}
