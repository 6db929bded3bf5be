//go:build unix

package platform

import (
	"errors"
	"testing"

	"golang.org/x/sys/unix"
)

// TestSetSoftRlimit sets RLIMIT_CORE's soft limit below, at and above the hard limit and
// reads it back: above or "hard" (-1) means the hard limit.
func TestSetSoftRlimit(t *testing.T) {
	var orig unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_CORE, &orig); err != nil {
		t.Fatal(err)
	}
	defer unix.Setrlimit(unix.RLIMIT_CORE, &orig)
	hard := uint64(orig.Max)
	for _, c := range []struct {
		v    int64
		want uint64
	}{{0, 0}, {4096, min(4096, hard)}, {-1, hard}, {1<<63 - 1, min(1<<63-1, hard)}} {
		if err := SetSoftRlimit(RlimitCore, c.v); err != nil {
			t.Fatalf("SetSoftRlimit(core, %d): %v", c.v, err)
		}
		var got unix.Rlimit
		unix.Getrlimit(unix.RLIMIT_CORE, &got)
		if uint64(got.Cur) != c.want || got.Max != orig.Max {
			t.Errorf("after SetSoftRlimit(core, %d): soft %d hard %d, want soft %d hard %d", c.v, got.Cur, got.Max, c.want, orig.Max)
		}
	}
	for r := Rlimit(0); r < NRlimits; r++ {
		if _, ok := RlimitName(r); !ok {
			if err := SetSoftRlimit(r, 1); !errors.Is(err, errors.ErrUnsupported) {
				t.Errorf("limit %d is missing here but SetSoftRlimit says %v", r, err)
			}
		}
	}
}

// TestRlimitMissing: with a limit the system lacks (its hook -1, as Solaris lacks
// RLIMIT_NPROC; here RLIMIT_AS), SetSoftRlimit says errors.ErrUnsupported and touches
// nothing, and RlimitName reports the limit absent but still names it for messages.
func TestRlimitMissing(t *testing.T) {
	host := sys
	o := host
	o.RlimitAS, o.RlimitASName = -1, "RLIMIT_VMEM"
	useOS(t, o)
	var before, after unix.Rlimit
	if host.RlimitAS >= 0 {
		unix.Getrlimit(host.RlimitAS, &before)
	}
	if err := SetSoftRlimit(RlimitAS, 0); !errors.Is(err, errors.ErrUnsupported) {
		t.Errorf("SetSoftRlimit of a missing limit: %v", err)
	}
	if host.RlimitAS >= 0 {
		unix.Getrlimit(host.RlimitAS, &after)
		if before != after {
			t.Errorf("SetSoftRlimit of a missing limit changed it: %v to %v", before, after)
		}
	}
	if n, ok := RlimitName(RlimitAS); ok || n != "RLIMIT_VMEM" {
		t.Errorf("RlimitName(as) of a missing limit = %q %v, want RLIMIT_VMEM false", n, ok)
	}
	if n, ok := RlimitName(RlimitData); !ok || n != "RLIMIT_DATA" {
		t.Errorf("RlimitName(data) = %q %v", n, ok)
	}
}
