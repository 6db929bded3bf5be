package solaris

import (
	"encoding/binary"
	"testing"
)

// TestParsePsinfo pins the psinfo_t offsets the Solaris/illumos contract scan depends on,
// as sys/procfs.h lays them out for a 64-bit reader: pr_pid at 8, pr_contract at 280.
func TestParsePsinfo(t *testing.T) {
	if psinfoContractSize != 284 {
		t.Fatalf("psinfo head is %d bytes, want 284 (pr_contract ends at 284)", psinfoContractSize)
	}
	full := func(pid, ct uint32) []byte {
		b := make([]byte, 416) // a psinfo_t is longer; only the head is read
		for i := range b {
			b[i] = 0xa5 // every other field filled: they must not leak into the result
		}
		binary.NativeEndian.PutUint32(b[8:], pid)
		binary.NativeEndian.PutUint32(b[280:], ct)
		return b
	}
	for _, tc := range []struct {
		name    string
		b       []byte
		pid, ct int32
		ok      bool
	}{
		{"a member of contract 57", full(4242, 57), 4242, 57, true},
		{"no contract (-1)", full(1, 0xffffffff), 1, -1, true},
		{"exactly the head", full(9, 12)[:284], 9, 12, true},
		{"cut short before pr_contract", full(9, 12)[:283], 0, 0, false},
		{"empty", nil, 0, 0, false},
	} {
		pid, ct, ok := parsePsinfo(tc.b)
		if pid != tc.pid || ct != tc.ct || ok != tc.ok {
			t.Errorf("%s: got pid %d contract %d ok %v, want %d %d %v", tc.name, pid, ct, ok, tc.pid, tc.ct, tc.ok)
		}
	}
}
