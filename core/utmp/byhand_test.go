package utmp

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"
)

// The golden files are written by our own encoder (go test -update), so on their own they
// only pin today's output. The tests below pack the sample record, its logout and its log
// record by hand, byte by byte at the offsets each system's header gives, and want both
// the encoder and the golden files to agree with them. The byte-level facts of a logout
// (which fields are cleared, which are kept) are C utmpset's, as TestGlibcByHand and the
// e2e test establish on Linux.

const (
	handSec, handUsec     = 1_700_000_000, 123456 // sample's time
	logoutSec, logoutUsec = 4_102_444_800, 654321 // logoutAt
)

// byHand is one layout's sample record, logout edit and log record, packed by hand.
type byHand struct{ rec, logout, log []byte }

// checkByHand compares h with the encoder's output and with the golden files.
func checkByHand(t *testing.T, l *Layout, h byHand) {
	t.Helper()
	e := sample
	e.Type = l.UserType
	rec := l.Encode(e)
	out := append([]byte(nil), rec...)
	l.Logout(out, logoutAt)
	for _, c := range []struct {
		suffix    string
		hand, got []byte
	}{
		{".rec", h.rec, rec}, {".logout", h.logout, out}, {".log", h.log, l.LogRecord("pts/3", logoutAt, rec)},
	} {
		if !bytes.Equal(c.got, c.hand) {
			t.Errorf("%s%s: the encoder differs from the hand-packed bytes:\n got  %x\n want %x", l.Name, c.suffix, c.got, c.hand)
		}
		g, err := os.ReadFile(filepath.Join("testdata", "golden", l.Name+c.suffix))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(g, c.hand) {
			t.Errorf("golden %s%s differs from the hand-packed bytes:\n file %x\n want %x", l.Name, c.suffix, g, c.hand)
		}
	}
}

// TestNetBSDByHand: struct utmpx of NetBSD's <utmpx.h> on LP64 (520 bytes): ut_name[32]
// at 0, ut_id[4] at 32, ut_line[32] at 36, ut_host[256] at 68, uint16 ut_session at 324,
// uint16 ut_type at 326, pid_t ut_pid at 328, ut_exit at 332, sockaddr_storage ut_ss at
// 336, struct timeval ut_tv at 464 (int64 tv_sec, int tv_usec at 472), ut_pad[36] at 480.
func TestNetBSDByHand(t *testing.T) {
	le := binary.LittleEndian
	rec := make([]byte, 520)
	copy(rec[0:], "alice")
	copy(rec[32:], "ts/3")
	copy(rec[36:], "pts/3")
	copy(rec[68:], "host.example")
	le.PutUint16(rec[326:], 7) // USER_PROCESS
	le.PutUint32(rec[328:], 4242)
	le.PutUint64(rec[464:], handSec)
	le.PutUint32(rec[472:], handUsec)

	out := make([]byte, 520)
	copy(out[32:], "ts/3")
	copy(out[36:], "pts/3")
	le.PutUint16(out[326:], 8) // DEAD_PROCESS
	le.PutUint32(out[328:], 4242)
	le.PutUint64(out[464:], logoutSec)
	le.PutUint32(out[472:], handUsec)

	log := make([]byte, 520)
	copy(log[36:], "pts/3")
	le.PutUint16(log[326:], 8)
	le.PutUint64(log[464:], logoutSec)
	checkByHand(t, NetBSD, byHand{rec, out, log})
}

// TestNetBSDUtmpByHand: NetBSD's old struct utmp of <utmp.h> (40 bytes):
// ut_line[UT_LINESIZE 8] at 0, ut_name[UT_NAMESIZE 8] at 8, ut_host[UT_HOSTSIZE 16] at
// 16, time_t ut_time (int64) at 32. No type: an empty name is the logout.
func TestNetBSDUtmpByHand(t *testing.T) {
	le := binary.LittleEndian
	rec := make([]byte, 40)
	copy(rec[0:], "pts/3")
	copy(rec[8:], "alice")
	copy(rec[16:], "host.example")
	le.PutUint64(rec[32:], handSec)

	out := make([]byte, 40)
	copy(out[0:], "pts/3")
	le.PutUint64(out[32:], logoutSec)

	log := append([]byte(nil), out...) // the same bytes: line and time, nothing else
	checkByHand(t, NetBSDUtmp, byHand{rec, out, log})

	long := NetBSDUtmp.LogRecord("ttyp01234", logoutAt, nil) // 9 > 8: cut to 6, as C
	if string(long[:8]) != "ttyp01\x00\x00" {
		t.Errorf("old utmp log record of a long line: %q", long[:8])
	}
}

// TestOpenBSDByHand: struct utmp of OpenBSD's <utmp.h> (304 bytes): ut_line[UT_LINESIZE 8]
// at 0, ut_name[UT_NAMESIZE 32] at 8, ut_host[UT_HOSTSIZE 256] at 40, time_t ut_time
// (int64) at 296.
func TestOpenBSDByHand(t *testing.T) {
	le := binary.LittleEndian
	rec := make([]byte, 304)
	copy(rec[0:], "pts/3")
	copy(rec[8:], "alice")
	copy(rec[40:], "host.example")
	le.PutUint64(rec[296:], handSec)

	out := make([]byte, 304)
	copy(out[0:], "pts/3")
	le.PutUint64(out[296:], logoutSec)

	log := append([]byte(nil), out...)
	checkByHand(t, OpenBSD, byHand{rec, out, log})
}

// TestSolarisByHand: struct futmpx of <utmpx.h> (the file format on every ABI, 372
// bytes): ut_user[32] at 0, ut_id[4] at 32, ut_line[32] at 36, pid32_t ut_pid at 68,
// int16_t ut_type at 72, ut_exit {int16 e_termination, e_exit} at 74, struct timeval32
// ut_tv at 80 (tv_usec at 84), int32 ut_session at 88, int32 pad[5] at 92, int16_t
// ut_syslen at 112 (host length including its NUL), ut_host[257] at 114, then 1 byte of
// tail padding.
func TestSolarisByHand(t *testing.T) {
	le := binary.LittleEndian
	rec := make([]byte, 372)
	copy(rec[0:], "alice")
	copy(rec[32:], "ts/3")
	copy(rec[36:], "pts/3")
	le.PutUint32(rec[68:], 4242)
	le.PutUint16(rec[72:], 7)
	le.PutUint32(rec[80:], handSec)
	le.PutUint32(rec[84:], handUsec)
	le.PutUint16(rec[112:], 13) // len("host.example") + 1
	copy(rec[114:], "host.example")

	out := make([]byte, 372)
	copy(out[32:], "ts/3")
	copy(out[36:], "pts/3")
	le.PutUint32(out[68:], 4242)
	le.PutUint16(out[72:], 8)
	le.PutUint32(out[80:], logoutSec) // 2100: fits the unsigned 32-bit field
	le.PutUint32(out[84:], handUsec)

	log := make([]byte, 372)
	copy(log[36:], "pts/3")
	le.PutUint16(log[72:], 8)
	le.PutUint32(log[80:], logoutSec)
	checkByHand(t, Solaris, byHand{rec, out, log})
}

// TestDarwinByHand: struct utmpx32 of Libc's gen/utmpx-darwin.h, the record of
// /var/run/utmpx also from 64-bit programs (628 bytes): ut_user[256] at 0, ut_id[4] at
// 256, ut_line[32] at 260, pid_t ut_pid at 292, short ut_type at 296, struct timeval32
// ut_tv at 300 (tv_usec at 304), ut_host[256] at 308, uint32 ut_pad[16] at 564.
func TestDarwinByHand(t *testing.T) {
	le := binary.LittleEndian
	rec := make([]byte, 628)
	copy(rec[0:], "alice")
	copy(rec[256:], "ts/3")
	copy(rec[260:], "pts/3")
	le.PutUint32(rec[292:], 4242)
	le.PutUint16(rec[296:], 7)
	le.PutUint32(rec[300:], handSec)
	le.PutUint32(rec[304:], handUsec)
	copy(rec[308:], "host.example")

	out := make([]byte, 628)
	copy(out[256:], "ts/3")
	copy(out[260:], "pts/3")
	le.PutUint32(out[292:], 4242)
	le.PutUint16(out[296:], 8)
	le.PutUint32(out[300:], logoutSec)
	le.PutUint32(out[304:], handUsec)

	log := make([]byte, 628)
	copy(log[260:], "pts/3")
	le.PutUint16(log[296:], 8)
	le.PutUint32(log[300:], logoutSec)
	checkByHand(t, Darwin, byHand{rec, out, log})
}

// TestFreeBSDByHand: struct futx of FreeBSD's lib/libc/gen/utxdb.h, packed, big-endian
// by utxdb.c's htobe calls (197 bytes): uint8_t fu_type at 0, uint64_t fu_tv at 1
// (microseconds since the epoch), fu_id[8] at 9, uint32_t fu_pid at 17, fu_user[32] at
// 21, fu_line[16] at 53, fu_host[128] at 69. Types are <utmpx.h>'s: USER_PROCESS 4,
// DEAD_PROCESS 7. utx.log holds each record as a big-endian uint16 length and the record
// up to its last non-zero byte.
func TestFreeBSDByHand(t *testing.T) {
	be := binary.BigEndian
	rec := make([]byte, 197)
	rec[0] = 4
	be.PutUint64(rec[1:], handSec*1_000_000+handUsec)
	copy(rec[9:], "ts/3")
	be.PutUint32(rec[17:], 4242)
	copy(rec[21:], "alice")
	copy(rec[53:], "pts/3")
	copy(rec[69:], "host.example")

	out := make([]byte, 197)
	out[0] = 7
	be.PutUint64(out[1:], logoutSec*1_000_000+logoutUsec)
	copy(out[9:], "ts/3")
	be.PutUint32(out[17:], 4242)
	copy(out[53:], "pts/3")

	// The log record is the logout with id and pid kept, cut after "pts/3" (53+5 = 58
	// bytes), behind its length.
	log := append([]byte{0, 58}, out[:58]...)
	checkByHand(t, FreeBSD, byHand{rec, out, log})
}
