package e2e

import (
	"encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// utmpsetLP64 tells the glibc record layout of this machine: where glibc's
// __WORDSIZE_TIME64_COMPAT32 is 0 (aarch64, loongarch64) ut_session is a long and ut_tv
// two 64-bit fields, 400 bytes in all; elsewhere (x86-64) 384 bytes with 32-bit time.
var utmpsetLP64 = runtime.GOARCH == "arm64" || runtime.GOARCH == "loong64"

// utmpsetSize and utmpsetSecOff are the record size and the offset of ut_tv.tv_sec.
var utmpsetSize, utmpsetSecOff = func() (int, int) {
	if utmpsetLP64 {
		return 400, 344
	}
	return 384, 340
}()

// utmpsetRec builds one glibc utmp record by hand, from the offsets of <bits/utmp.h>,
// independently of core/utmp.
func utmpsetRec(typ, pid int, line, id, user, host string, sec, usec uint32) []byte {
	b := make([]byte, utmpsetSize)
	le := binary.LittleEndian
	le.PutUint16(b[0:], uint16(typ))
	le.PutUint32(b[4:], uint32(pid))
	copy(b[8:40], line)
	copy(b[40:44], id)
	copy(b[44:76], user)
	copy(b[76:332], host)
	le.PutUint16(b[332:], 1) // e_termination
	le.PutUint16(b[334:], 2) // e_exit
	if utmpsetLP64 {
		le.PutUint64(b[336:], 42)
		le.PutUint64(b[344:], uint64(sec))
		le.PutUint64(b[352:], uint64(usec))
		le.PutUint32(b[360:], 0x0100007f)
		copy(b[376:], "reserved-bytes-kept!")
		return b
	}
	le.PutUint32(b[336:], 42)
	le.PutUint32(b[340:], sec)
	le.PutUint32(b[344:], usec)
	le.PutUint32(b[348:], 0x0100007f)
	copy(b[364:], "reserved-bytes-kept!")
	return b
}

// utmpsetInNamespace runs bin with args in a private mount namespace whose /run and
// /var/log are fresh tmpfs holding copies of utmp and wtmp, so the tool works on its real
// fixed paths (/var/run/utmp, /var/log/wtmp) without touching the machine's files. It
// returns the exit code, stderr and the files afterwards. We chose this over a hidden
// path option: the binary under test is exactly the one installed, paths included.
func utmpsetInNamespace(t *testing.T, bin string, utmp, wtmp []byte, args ...string) (int, string, []byte, []byte) {
	t.Helper()
	return utmpsetInNamespaceSetup(t, bin, utmp, wtmp, "", args...)
}

// utmpsetInNamespaceSetup is utmpsetInNamespace with a shell snippet run after the files
// are in place (to put something else where wtmp goes); the tool gets 20 seconds, so
// one that blocks fails the test instead of hanging it.
func utmpsetInNamespaceSetup(t *testing.T, bin string, utmp, wtmp []byte, setup string, args ...string) (int, string, []byte, []byte) {
	t.Helper()
	d := t.TempDir()
	writeFile(t, filepath.Join(d, "utmp"), string(utmp), 0o664)
	if wtmp != nil {
		writeFile(t, filepath.Join(d, "wtmp"), string(wtmp), 0o664)
	}
	script := `set -e
mount -t tmpfs tmpfs /run
mount -t tmpfs tmpfs /var/log
cp "$D/utmp" /run/utmp
[ ! -e "$D/wtmp" ] || cp "$D/wtmp" /var/log/wtmp
` + setup + `
set +e
timeout 20 "$@" 2>"$D/stderr"
echo $? > "$D/rc"
cp /run/utmp "$D/utmp.out"
[ ! -f /var/log/wtmp ] || cp /var/log/wtmp "$D/wtmp.out"
`
	cmd := exec.Command("unshare", append([]string{"-m", "--propagation", "private", "sh", "-c", script, "sh", bin}, args...)...)
	cmd.Env = append(os.Environ(), "D="+d)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Skipf("no private mount namespace here (unshare -m: %v: %s): utmpset end-to-end test skipped", err, out)
	}
	code, err := strconv.Atoi(strings.TrimSpace(readFile(filepath.Join(d, "rc"))))
	if err != nil {
		t.Fatalf("no exit code from the namespace run: %v", err)
	}
	u, _ := os.ReadFile(filepath.Join(d, "utmp.out"))
	w, _ := os.ReadFile(filepath.Join(d, "wtmp.out"))
	return code, readFile(filepath.Join(d, "stderr")), u, w
}

// utmpsetMaskTime zeroes the seconds of every record (the one field that depends on
// when the tool ran) after checking they are either the original or within [lo, hi].
func utmpsetMaskTime(t *testing.T, b []byte, lo, hi int64, what string) []byte {
	t.Helper()
	b = append([]byte(nil), b...)
	for off := 0; off+utmpsetSize <= len(b); off += utmpsetSize {
		s := int64(binary.LittleEndian.Uint32(b[off+utmpsetSecOff:]))
		if s >= 1_000_000 && (s < lo || s > hi) {
			t.Errorf("%s: record %d has time %d, not within the run [%d, %d]", what, off/utmpsetSize, s, lo, hi)
		}
		binary.LittleEndian.PutUint32(b[off+utmpsetSecOff:], 0) // the low half: the rest matches
	}
	return b
}

// TestUtmpsetGlibc runs C utmpset and ours on copies of the same utmp and wtmp and wants
// the same bytes (time aside), the same messages and exit codes; then Debian's who
// (coreutils) and last (util-linux) must show the logout in our files.
func TestUtmpsetGlibc(t *testing.T) {
	needRoot(t)
	cbin := cBin(t, "utmpset")
	ours := ourBin(t, "utmpset")
	recs := func(rs ...[]byte) []byte {
		return []byte(strings.Join(func() []string {
			var s []string
			for _, r := range rs {
				s = append(s, string(r))
			}
			return s
		}(), ""))
	}
	utmp := recs(
		utmpsetRec(2, 0, "~", "~~", "reboot", "6.1.0", 900, 1),
		utmpsetRec(8, 99, "pts/9", "ts/9", "", "", 950, 0), // an old dead entry for the same line
		utmpsetRec(7, 123, "pts/9", "ts/9", "alice", "example.org", 1000, 5),
		utmpsetRec(7, 124, "tty1", "1", "bob", "", 1001, 6),
		utmpsetRec(7, 125, strings.Repeat("L", 31), "x", "carol", "", 1002, 7),
		utmpsetRec(7, 126, strings.Repeat("M", 32), "y", "dave", "", 1003, 8),
		// C compares ut_line as a C string, which runs on into ut_id (and on into
		// ut_user when ut_id is full) for a line that fills its field.
		utmpsetRec(7, 127, strings.Repeat("N", 32), "", "erin", "", 1004, 9),
		utmpsetRec(7, 128, strings.Repeat("O", 32), "ab", "fred", "", 1005, 10),
		utmpsetRec(7, 129, strings.Repeat("P", 32), "abcd", "gina", "", 1006, 11),
	)
	wtmp := recs(utmpsetRec(2, 0, "~", "~~", "reboot", "6.1.0", 900, 1),
		utmpsetRec(7, 123, "pts/9", "ts/9", "alice", "example.org", 1000, 5),
		utmpsetRec(7, 124, "tty1", "1", "bob", "", 1001, 6))
	for _, args := range [][]string{
		{"-w", "pts/9"}, {"pts/9"}, {"-w", "tty1"}, {"-w", strings.Repeat("L", 31)},
		{"-w", strings.Repeat("M", 32)}, {"-w", "nosuch"}, {"-w", "--", "tty1"}, {"tty1", "extra"},
		{"-w", strings.Repeat("M", 32) + "y"},        // 33 bytes: wtmp gets 30
		{"-w", strings.Repeat("N", 32)},              // empty id: 32 bytes, no NUL
		{"-w", strings.Repeat("O", 32) + "ab"},       // 34 bytes: wtmp gets 30
		{"-w", strings.Repeat("O", 32)},              // no such entry
		{"-w", strings.Repeat("P", 32) + "abcdgina"}, // on into ut_user
		{"-w", strings.Repeat("P", 32) + "abcd"},     // no such entry
		{"-w", strings.Repeat("L", 31) + "x"},        // no such entry
	} {
		lo := time.Now().Unix()
		cc, cerr, cu, cw := utmpsetInNamespace(t, cbin, utmp, wtmp, args...)
		oc, oerr, ou, ow := utmpsetInNamespace(t, ours, utmp, wtmp, args...)
		hi := time.Now().Unix()
		name := strings.Join(args, " ")
		if cc != oc || cerr != oerr {
			t.Errorf("utmpset %s: C exit %d %q, ours exit %d %q", name, cc, cerr, oc, oerr)
		}
		if string(utmpsetMaskTime(t, cu, lo, hi, "C utmp")) != string(utmpsetMaskTime(t, ou, lo, hi, "our utmp")) {
			t.Errorf("utmpset %s: utmp differs from C's", name)
		}
		if string(utmpsetMaskTime(t, cw, lo, hi, "C wtmp")) != string(utmpsetMaskTime(t, ow, lo, hi, "our wtmp")) {
			t.Errorf("utmpset %s: wtmp differs from C's:\nC    %q\nours %q", name, cw[len(wtmp):], ow[len(wtmp):])
		}
	}
	// Something other than a file where wtmp goes: a FIFO with no reader fails the open
	// at once (C opens with O_NDELAY), /dev/full fails the write (C warns, naming the
	// line). Both after the utmp entry is logged out.
	for _, setup := range []string{"rm -f /var/log/wtmp; mkfifo /var/log/wtmp", "rm -f /var/log/wtmp; ln -s /dev/full /var/log/wtmp"} {
		cc, cerr, cu, _ := utmpsetInNamespaceSetup(t, cbin, utmp, wtmp, setup, "-w", "tty1")
		oc, oerr, ou, _ := utmpsetInNamespaceSetup(t, ours, utmp, wtmp, setup, "-w", "tty1")
		if strings.Contains(setup, "/dev/full") && cerr == "utmpset: warning: unable to logout line tty1 in wtmp: invalid argument\n" {
			// C reports errno after its ftruncate undo, which fails on a device
			// (EINVAL) and hides the write's ENOSPC; we name the write's error.
			cerr = strings.Replace(cerr, "invalid argument", "out of disk space", 1)
		}
		if cc != 111 || cc != oc || cerr != oerr {
			t.Errorf("%s: C exit %d %q, ours exit %d %q", setup, cc, cerr, oc, oerr)
		}
		if string(utmpsetMaskTime(t, cu, 0, 1<<40, "C utmp")) != string(utmpsetMaskTime(t, ou, 0, 1<<40, "our utmp")) || string(cu) == string(utmp) {
			t.Errorf("%s: utmp differs from C's, or was not changed", setup)
		}
	}

	// A missing wtmp is created (mode 0600, as C does): both must succeed.
	cc, _, _, cw := utmpsetInNamespace(t, cbin, utmp, nil, "-w", "tty1")
	oc, _, _, ow := utmpsetInNamespace(t, ours, utmp, nil, "-w", "tty1")
	if cc != 0 || oc != 0 || len(cw) != utmpsetSize || len(ow) != utmpsetSize {
		t.Errorf("-w without wtmp: C exit %d (%d bytes), ours exit %d (%d bytes)", cc, len(cw), oc, len(ow))
	}

	// who and last on our result.
	code, _, ou, ow := utmpsetInNamespace(t, ours, utmp, wtmp, "-w", "pts/9")
	if code != 0 {
		t.Fatalf("utmpset -w pts/9: exit %d", code)
	}
	d := t.TempDir()
	before, after := filepath.Join(d, "utmp.before"), filepath.Join(d, "utmp.after")
	writeFile(t, before, string(utmp), 0o644)
	writeFile(t, after, string(ou), 0o644)
	writeFile(t, filepath.Join(d, "wtmp"), string(ow), 0o644)
	whoBefore := run(t, d, []string{"LC_ALL=C", "TZ=UTC"}, "who", before).stdout
	whoAfter := run(t, d, []string{"LC_ALL=C", "TZ=UTC"}, "who", after).stdout
	if !strings.Contains(whoBefore, "alice") || strings.Contains(whoAfter, "alice") || !strings.Contains(whoAfter, "bob") {
		t.Errorf("who: before\n%s\nafter\n%s\nwant alice gone, bob still there", whoBefore, whoAfter)
	}
	// util-linux last counts a logout only once its second is in the past: poll.
	var last, aliceLine string
	waitFor(t, 5*time.Second, "last to show alice's logout", func() bool {
		last = run(t, d, []string{"LC_ALL=C", "TZ=UTC"}, "last", "-f", filepath.Join(d, "wtmp")).stdout
		aliceLine = ""
		for _, l := range strings.Split(last, "\n") {
			if strings.HasPrefix(l, "alice") {
				aliceLine = l
			}
		}
		return aliceLine != "" && !strings.Contains(aliceLine, "still") && !strings.Contains(aliceLine, "no logout") && strings.Contains(aliceLine, " - ")
	})
	if !strings.Contains(last, "bob") {
		t.Errorf("last lost bob's login:\n%s", last)
	}
}

// TestUtmpsetUsage compares the usage, -V and bad-option texts with C's (no root needed).
func TestUtmpsetUsage(t *testing.T) {
	cdir, odir := t.TempDir(), t.TempDir()
	os.Symlink(cBin(t, "utmpset"), filepath.Join(cdir, "utmpset"))
	os.Symlink(ourBin(t, "utmpset"), filepath.Join(odir, "utmpset"))
	for _, args := range [][]string{{}, {"-l", "x"}, {"-V"}, {"-wV", "x"}, {"-"}} {
		c := run(t, cdir, nil, "./utmpset", args...)
		o := run(t, odir, nil, "./utmpset", args...)
		if c != o {
			t.Errorf("utmpset %q: C %+v, ours %+v", args, c, o)
		}
	}
}
