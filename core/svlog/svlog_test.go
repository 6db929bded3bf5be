package svlog

import (
	"bytes"
	"os"
	"testing"
	"time"
)

func TestMatch(t *testing.T) {
	for _, c := range []struct {
		pat, line string
		want      bool
	}{
		{"abc", "abc", true},
		{"abc", "abcd", false},
		{"abc", "ab", false},
		{"*", "anything", true},
		{"*", "", true},
		{"a*", "abc", true},
		{"*skip*", "please skip me", false}, // * stops at the first 's'
		{"*kip*", "please skip me", true},
		{"*c", "abc", true},
		{"*c", "abcd", false},
		{"+a", "aaa", true},
		{"+ab", "aaab", true},
		{"+ab", "b", false},
		{"x+ab", "xaab", true},
		{"", "", true},
		{"", "a", false},
		{"a\x00b", "a", true},
		{"*x", "", false},
		{"ab+", "ab", false}, // "+" then the pattern's NUL, against the newline
		{"ab+", "abc", false},
		{"+a", "", false},
	} {
		if got := Match([]byte(c.pat), []byte(c.line)); got != c.want {
			t.Errorf("Match(%q, %q) = %v, want %v", c.pat, c.line, got, c.want)
		}
		if o, ok := pmatchOracle([]byte(c.pat), []byte(c.line)); ok && o != c.want {
			t.Errorf("oracle(%q, %q) = %v, want %v", c.pat, c.line, o, c.want)
		}
	}
}

func TestParseConfig(t *testing.T) {
	c := ParseConfig([]byte("# comment\n\ns10k\nn5\nN2\nt2m\n!gzip\nu127.0.0.1:9999\npPFX: \n+*a*\n-b\ne*\nEx\nzzz"))
	if c.SizeMax != 10240 || c.NMax != 5 || c.NMin != 2 || c.TMax != 120 || c.Processor != "gzip" {
		t.Errorf("numbers/processor wrong: %+v", c)
	}
	if !c.UDP || c.UDPOnly || c.UDPAddr != [4]byte{127, 0, 0, 1} || c.UDPPort != 9999 {
		t.Errorf("udp wrong: %+v", c)
	}
	if string(c.Prefix) != "PFX: " || len(c.Patterns) != 4 || string(c.Patterns[0]) != "+*a*" {
		t.Errorf("prefix/patterns wrong: %q %q", c.Prefix, c.Patterns)
	}
	d := ParseConfig([]byte("s1m\nt3h\nU10.0.0.1\nn3"))
	if d.SizeMax != 1<<20 || d.TMax != 3*3600 || !d.UDPOnly || d.UDPPort != 514 || d.NMax != 3 || d.NMin != 10 {
		t.Errorf("second config wrong: %+v", d)
	}
	e := ParseConfig([]byte("ubad\n"))
	if e.UDP || len(e.Warnings) != 1 || e.Warnings[0] != "unable to scan ip address: bad" {
		t.Errorf("bad ip: %+v", e)
	}
	// As C: ports and octets truncated to their C types, a port of 0 or no digits warns
	// and leaves UDP as it was, bare p and ! keep the earlier value, a last line of one
	// byte without a newline is not read.
	for _, c := range []struct {
		cfg  string
		udp  bool
		ip   [4]byte
		port int
		warn string
	}{
		{"u127.0.0.1:65545", true, [4]byte{127, 0, 0, 1}, 9, ""},
		{"u383.0.0.1", true, [4]byte{127, 0, 0, 1}, 514, ""},
		{"u127.0.0.1:0", false, [4]byte{}, 0, "unable to scan port number: 0"},
		{"u127.0.0.1:x", false, [4]byte{}, 0, "unable to scan port number: x"},
		{"u127.0.0.1:65536", false, [4]byte{127, 0, 0, 1}, 0, ""},
		{"u1.2.3.4:5\nu1.2.3.4:0", true, [4]byte{1, 2, 3, 4}, 5, "unable to scan port number: 0"},
	} {
		g := ParseConfig([]byte(c.cfg))
		w := ""
		if len(g.Warnings) > 0 {
			w = g.Warnings[0]
		}
		if g.UDP != c.udp || g.UDPAddr != c.ip || g.UDPPort != c.port || w != c.warn {
			t.Errorf("%q: udp %v %v:%d warn %q", c.cfg, g.UDP, g.UDPAddr, g.UDPPort, w)
		}
	}
	if g := ParseConfig([]byte("pA\np\n!cat\n!\n")); string(g.Prefix) != "A" || g.Processor != "cat" {
		t.Errorf("bare p/! cleared the value: %q %q", g.Prefix, g.Processor)
	}
	if g := ParseConfig([]byte("-*\n+")); len(g.Patterns) != 1 {
		t.Errorf("last one-byte line read: %q", g.Patterns)
	}
	if g := ParseConfig([]byte("U1.2.3.4:5\nu1.2.3.4:6")); !g.UDPOnly || g.UDPPort != 6 {
		t.Errorf("a u line after U undid it: %+v", g)
	}
	if z := ParseConfig(nil); z.SizeMax != 1000000 || z.NMax != 10 || z.NMin != 10 {
		t.Errorf("defaults wrong: %+v", z)
	}
}

// Numbers too big for their field saturate (C wraps them modulo 2^64: s18446744073709551617
// is s1 there, and a t of 2^63 s or more rotates at every line); a t beyond what the clock
// can hold, about 292 years, means never, and never overflows into a short or negative age.
func TestParseConfigOverflow(t *testing.T) {
	const max = ^uint64(0)
	const never = 9223372036 // seconds: the longest time.Duration
	for _, c := range []struct {
		cfg        string
		size, tmax uint64
		n, nmin    int
	}{
		{"t99999999999", 0, never, 10, 10},
		{"t18446744073709551616", 0, never, 10, 10},
		{"t9223372036854775808", 0, never, 10, 10},
		{"t9300000000", 0, never, 10, 10},
		{"t5124095576030432h", 0, never, 10, 10},
		{"t99999999999999999999999999m", 0, never, 10, 10},
		{"t9223372036", 0, 9223372036, 10, 10},
		{"t153722867m", 0, 153722867 * 60, 10, 10},
		{"t-5", 0, 0, 10, 10},
		{"t 5", 0, 0, 10, 10},
		{"t5\x009999999999999", 0, 5, 10, 10},
		{"s18446744073709551615k", max, 0, 10, 10},
		{"s17592186044416m", max, 0, 10, 10},
		{"s99999999999999999999999999", max, 0, 10, 10},
		{"s-1", 0, 0, 10, 10},
		{"n18446744073709551616\nN99999999999", 0, 0, 1<<31 - 1, 1<<31 - 1},
		{"n-3\nN 4", 0, 0, 0, 0},
	} {
		g := ParseConfig([]byte(c.cfg))
		wantSize := c.size
		if c.cfg[0] != 's' {
			wantSize = 1000000
		}
		if g.SizeMax != wantSize || g.TMax != c.tmax || g.NMax != c.n || g.NMin != c.nmin {
			t.Errorf("%q: s %d t %d n %d N %d, want s %d t %d n %d N %d", c.cfg, g.SizeMax, g.TMax,
				g.NMax, g.NMin, wantSize, c.tmax, c.n, c.nmin)
		}
		d := &Dir{cfg: g}
		now := time.Now()
		d.resetTimer(now)
		if g.TMax > 0 && d.rotDue.Sub(now) < time.Duration(min(g.TMax, 1e6))*time.Second {
			t.Errorf("%q: t %d rotates after %v", c.cfg, g.TMax, d.rotDue.Sub(now))
		}
	}
}

func TestParseArgs(t *testing.T) {
	for _, c := range []struct {
		args  []string
		ok    bool
		stamp int
		lm    int
		repl  byte
	}{
		{[]string{"d"}, true, 0, 1000, 0},
		{[]string{"-tt", "d"}, true, 2, 1000, 0},
		{[]string{"-tttt", "d"}, true, 3, 1000, 0},
		{[]string{"-t", "-t", "-l", "30", "-b", "100", "d"}, true, 2, 30, 0},
		{[]string{"-l0", "d"}, true, 0, 1000, 0},
		{[]string{"-R", "ab", "d"}, true, 0, 1000, '_'},
		{[]string{"-r", ".", "-R", "ab", "d"}, true, 0, 1000, '.'},
		{[]string{"-r", "ab", "d"}, false, 0, 0, 0},
		{[]string{"-l", "2000", "d"}, false, 0, 0, 0},
		{[]string{"-b", "10", "-l", "20", "d"}, false, 0, 0, 0},
		{[]string{"-x", "d"}, false, 0, 0, 0},
		{[]string{"-l"}, false, 0, 0, 0},
		{[]string{}, false, 0, 0, 0},
		{[]string{"-L", "--", "-d"}, true, 0, 1000, 0},
	} {
		o, err := ParseArgs(c.args)
		if (err == nil) != c.ok {
			t.Errorf("%q: err %v", c.args, err)
			continue
		}
		if c.ok && (o.Stamp != c.stamp || o.LineMax != c.lm || o.Replace != c.repl) {
			t.Errorf("%q: got %+v", c.args, o)
		}
	}
}

func TestStamp(t *testing.T) {
	tm := time.Date(2026, 11, 24, 11, 0, 45, 548301234, time.UTC)
	for _, c := range []struct {
		kind int
		want string
	}{
		{1, "@400000006a243c972" + "0ae4fb2 "},
		{2, "2026-11-24_11:00:45.54830 "},
		{3, "2026-11-24T11:00:45.54830 "},
	} {
		s := stamper{kind: c.kind}
		s.format(tm.Add(-time.Second)) // a cached older second must not leak into the next
		got := string(s.format(tm))
		if c.kind == 1 {
			c.want = "@" + labelHex(tm) + " "
		}
		if got != c.want {
			t.Errorf("kind %d: %q, want %q", c.kind, got, c.want)
		}
	}
	if n := testing.AllocsPerRun(100, func() { var s stamper; s.kind = 2; s.format(tm) }); n != 0 {
		t.Errorf("format allocates %v times", n)
	}
}

func labelHex(t time.Time) string {
	s := []byte{}
	const hex = "0123456789abcdef"
	sec := uint64(1)<<62 + 10 + uint64(t.Unix())
	for sh := 60; sh >= 0; sh -= 4 {
		s = append(s, hex[(sec>>uint(sh))&15])
	}
	ns := uint32(t.Nanosecond())
	for sh := 28; sh >= 0; sh -= 4 {
		s = append(s, hex[(ns>>uint(sh))&15])
	}
	return string(s)
}

func TestBumpLabel(t *testing.T) {
	if got := bumpLabel("@4000000000000000000000ff"); got != "@400000000000000000000100" {
		t.Errorf("bump: %s", got)
	}
	if got := bumpLabel("@400000000000000000000009"); got != "@40000000000000000000000a" {
		t.Errorf("bump: %s", got)
	}
}

func FuzzParseConfig(f *testing.F) {
	f.Add([]byte("s100\nn3\nN1\nt10m\n!cat\nu127.0.0.1:514\npP:\n+*\n-a*\ne*\nE*b"))
	f.Fuzz(func(t *testing.T, b []byte) {
		c := ParseConfig(b)
		for _, p := range c.Patterns {
			if len(p) == 0 || (p[0] != '+' && p[0] != '-' && p[0] != 'e' && p[0] != 'E') {
				t.Fatalf("bad pattern %q", p)
			}
		}
		if c.UDP && (c.UDPPort < 0 || c.UDPPort > 65535) {
			t.Fatalf("bad port %d", c.UDPPort)
		}
		// t becomes a deadline: it must never overflow into a short or negative age.
		if age := time.Duration(c.TMax) * time.Second; age < 0 || uint64(age/time.Second) != c.TMax {
			t.Fatalf("t %d overflows a duration (%v)", c.TMax, age)
		}
		if c.NMax < 0 || c.NMin < 0 {
			t.Fatalf("negative n %d or N %d", c.NMax, c.NMin)
		}
	})
}

// pmatchOracle is runit's pmatch written out the way the C reads, pointer step by pointer
// step, on C svlogd's buffers: the pattern ends at its first NUL, and the byte after the
// line is the newline that ended it. It shares no code with match. defined is false when
// C would read past the pattern's terminating NUL (a "+" at the end of the pattern that
// did not reach the end of the line): there C reads the next config line, and no answer
// is right.
func pmatchOracle(pattern, line []byte) (matched, defined bool) {
	p := pattern
	if i := bytes.IndexByte(p, 0); i >= 0 {
		p = p[:i]
	}
	p = append(append([]byte(nil), p...), 0)
	s := append(append([]byte(nil), line...), '\n')
	pi, si, n := 0, 0, len(line)
	for {
		if pi >= len(p) {
			return false, false
		}
		c := p[pi]
		pi++
		switch c {
		case 0:
			return n == 0, true
		case '*':
			c = p[pi]
			if c == 0 {
				return true, true
			}
			for {
				if n == 0 {
					return false, true
				}
				if s[si] == c {
					break
				}
				si++
				n--
			}
		case '+':
			c = p[pi]
			pi++
			if c != s[si] {
				return false, true
			}
			for {
				if n == 0 {
					return true, true
				}
				if s[si] != c {
					break
				}
				si++
				n--
			}
		default:
			if n == 0 || s[si] != c {
				return false, true
			}
			si++
			n--
		}
	}
}

func FuzzMatch(f *testing.F) {
	f.Add([]byte("*kip*"), []byte("please skip me"))
	f.Add([]byte("+ab*"), []byte("aab"))
	f.Add([]byte("+ab"), []byte("aa"))
	f.Add([]byte("a+"), []byte("a\x00"))
	f.Add([]byte("*\x00x"), []byte(""))
	f.Fuzz(func(t *testing.T, p, s []byte) {
		m := Match(p, s)
		if want, ok := pmatchOracle(p, s); ok && m != want {
			t.Fatalf("Match(%q, %q) = %v, runit's pmatch says %v", p, s, m, want)
		}
		// A literal pattern (no * or +) matches exactly itself.
		lit := true
		for _, c := range p {
			if c == '*' || c == '+' || c == 0 {
				lit = false
			}
		}
		if lit && m != (string(p) == string(s)) {
			t.Fatalf("literal %q vs %q: %v", p, s, m)
		}
	})
}

// newNullLogger returns a Logger with one directory whose current is /dev/null.
func newNullLogger(t testing.TB, stamp int, cfg Config) *Logger {
	f, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	l := &Logger{opt: &Options{LineMax: 1000, Stamp: stamp}}
	l.stamp.kind = stamp
	d := &Dir{name: "null", l: l, cfg: cfg, lock: 1 << 20, cur: int(f.Fd()), udpFd: -1}
	l.dirs = []*Dir{d}
	return l
}

// The hot path allocates nothing, whatever the number of lines.
func TestProcessDoesNotAllocate(t *testing.T) {
	chunk := bytes.Repeat([]byte("2026-11-24 some service said something of about a hundred bytes, as log lines often are.....\n"), 600)
	for _, stamp := range []int{0, 1, 2} {
		cfg := DefaultConfig()
		cfg.SizeMax = 0
		cfg.Prefix = []byte("svc: ")
		cfg.Patterns = [][]byte{[]byte("-*debug*"), []byte("+*")}
		l := newNullLogger(t, stamp, cfg)
		buf := make([]byte, len(chunk))
		now := time.Now()
		run := func() {
			copy(buf, chunk)
			st := l.stamp.format(now)
			l.process(buf, st, st)
			l.flushAll()
		}
		run() // let buffers grow to their working size
		if n := testing.AllocsPerRun(20, run); n != 0 {
			t.Errorf("stamp %d: %v allocations per chunk", stamp, n)
		}
	}
}

func BenchmarkProcess(b *testing.B) {
	chunk := bytes.Repeat([]byte("2026-11-24 some service said something of about a hundred bytes, as log lines often are.....\n"), 600)
	cfg := DefaultConfig()
	cfg.SizeMax = 0 // no rotation: there is no directory
	l := newNullLogger(b, 2, cfg)
	buf := make([]byte, len(chunk))
	b.SetBytes(int64(len(chunk)))
	for i := 0; i < b.N; i++ {
		copy(buf, chunk)
		st := l.stamp.format(time.Now())
		l.process(buf, st, st)
		l.flushAll()
	}
}

// t rotates every t seconds from the start, as C svlogd does: rotations for size in
// between do not move the age deadline; a rotation after the deadline sets the next one.
func TestAgeScheduleIgnoresSizeRotations(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(dir+"/config", []byte("s100\nt100\nn0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	l := &Logger{opt: &Options{LineMax: 10}}
	d := &Dir{name: dir, l: l, lock: -1, cur: -1, udpFd: -1}
	l.dirs = []*Dir{d}
	if !d.open() {
		t.Fatal("open failed")
	}
	defer d.close(true)
	due := d.rotDue
	for i := 0; i < 50; i++ {
		d.putLine(nil, nil, []byte("0123456789"), nil)
	}
	d.flush()
	if n := len(d.oldFiles()); n < 3 {
		t.Fatalf("%d size rotations, want several", n)
	}
	if !d.rotDue.Equal(due) {
		t.Errorf("size rotations moved the age deadline from %v to %v", due, d.rotDue)
	}
	d.putLine(nil, nil, []byte("x"), nil)
	d.rotDue = time.Now().Add(-time.Second)
	before := len(d.oldFiles())
	l.handleEvents()
	if len(d.oldFiles()) != before+1 {
		t.Errorf("expired deadline did not rotate")
	}
	if d.rotDue.Before(time.Now().Add(99 * time.Second)) {
		t.Errorf("next deadline %v is not t from now", d.rotDue)
	}
}

// A .u whose rotation a HUP interrupted, still awaiting its processor, is never pruned nor
// deleted for space, however old: it is the only copy of its lines.
func TestPendingNotPruned(t *testing.T) {
	dir := t.TempDir()
	const pend = "@400000000000000000000001.u"
	for _, n := range []string{pend, "@400000000000000000000002.s", "@400000000000000000000003.s"} {
		if err := os.WriteFile(dir+"/"+n, []byte("x\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	l := &Logger{opt: &Options{LineMax: 10}}
	d := &Dir{name: dir, l: l, lock: -1, cur: -1, udpFd: -1, pendU: pend}
	d.cfg = DefaultConfig()
	d.cfg.NMax = 1
	d.prune("@400000000000000000000003.s")
	if _, err := os.Stat(dir + "/" + pend); err != nil {
		t.Fatalf("prune removed the pending .u: %v", err)
	}
	if _, err := os.Stat(dir + "/@400000000000000000000002.s"); err == nil {
		t.Error("prune removed nothing")
	}
	if !d.deleteOldest(0, true) {
		t.Fatal("deleteOldest removed nothing")
	}
	if _, err := os.Stat(dir + "/" + pend); err != nil {
		t.Fatalf("deleteOldest removed the pending .u: %v", err)
	}
	if d.deleteOldest(0, true) {
		t.Error("deleteOldest removed the pending .u, the last file")
	}
}
