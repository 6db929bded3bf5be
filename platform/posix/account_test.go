//go:build unix

package posix

import (
	"strings"
	"testing"
)

func TestParseID(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int
		ok   bool
	}{
		{"0", 0, true}, {"65534", 65534, true}, {"2147483648", 2147483648, true},
		{"4294967295", 4294967295, true}, {"4294967296", 0, false}, {"-2", 4294967294, true},
		{"-2147483648", 2147483648, true}, {"-2147483649", 0, false}, {"", 0, false},
		{"1x", 0, false}, {"+1", 0, false}, {" 1", 0, false},
	} {
		got, ok := ParseID(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("ParseID(%q) = %d %v, want %d %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

// TestEntryIn: the entry of the name asked for, not one getent found by number.
func TestEntryIn(t *testing.T) {
	out := "svc:x:61234:61235:Service:/var/lib/svc:/usr/sbin/nologin\n"
	if f := EntryIn(strings.NewReader(out), "svc", 7); len(f) != 7 || f[2] != "61234" {
		t.Errorf("EntryIn = %q", f)
	}
	if u, g, ok := UserFields(EntryIn(strings.NewReader(out), "svc", 7)); !ok || u != 61234 || g != 61235 {
		t.Errorf("UserFields = %d %d %v", u, g, ok)
	}
	if f := EntryIn(strings.NewReader("root:x:0:0:root:/root:/bin/sh\n"), "0", 7); f != nil {
		t.Errorf("getent's entry for uid 0 taken as the user named 0: %q", f)
	}
	if g, ok := GroupFields(EntryIn(strings.NewReader("grp:x:4294967294:a,b\n"), "grp", 4)); !ok || g != 4294967294 {
		t.Errorf("GroupFields = %d %v", g, ok)
	}
	if _, _, ok := UserFields(EntryIn(strings.NewReader("short:x:1:2\n"), "short", 7)); ok {
		t.Error("a passwd entry of four fields was accepted")
	}
	if _, _, ok := UserFields(EntryIn(strings.NewReader(""), "x", 7)); ok {
		t.Error("no output was taken as an entry")
	}
}
