package platform

import (
	"errors"
	"io/fs"
	"reflect"
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
		got, ok := parseID(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("parseID(%q) = %d %v, want %d %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func TestAccountName(t *testing.T) {
	for _, c := range []struct {
		in string
		ok bool
	}{
		{"nobody", true}, {"a.b-c_d$", true}, {"", false}, {"-x", false}, {"+x", false},
		{"#x", false}, {"a:b", false}, {"a/b", false}, {"a\nb", false}, {"a\x00b", false},
	} {
		if got := accountName(c.in); got != c.ok {
			t.Errorf("accountName(%q) = %v", c.in, got)
		}
	}
}

// TestEntryIn: the entry of the name asked for, not one getent found by number.
func TestEntryIn(t *testing.T) {
	out := "svc:x:61234:61235:Service:/var/lib/svc:/usr/sbin/nologin\n"
	if f := entryIn(strings.NewReader(out), "svc", 7); len(f) != 7 || f[2] != "61234" {
		t.Errorf("entryIn = %q", f)
	}
	if u, g, ok := userFields(entryIn(strings.NewReader(out), "svc", 7)); !ok || u != 61234 || g != 61235 {
		t.Errorf("userFields = %d %d %v", u, g, ok)
	}
	if f := entryIn(strings.NewReader("root:x:0:0:root:/root:/bin/sh\n"), "0", 7); f != nil {
		t.Errorf("getent's entry for uid 0 taken as the user named 0: %q", f)
	}
	if g, ok := groupFields(entryIn(strings.NewReader("grp:x:4294967294:a,b\n"), "grp", 4)); !ok || g != 4294967294 {
		t.Errorf("groupFields = %d %v", g, ok)
	}
	if _, _, ok := userFields(entryIn(strings.NewReader("short:x:1:2\n"), "short", 7)); ok {
		t.Error("a passwd entry of four fields was accepted")
	}
	if _, _, ok := userFields(entryIn(strings.NewReader(""), "x", 7)); ok {
		t.Error("no output was taken as an entry")
	}
}

// TestDsclValues reads both of dscl's layouts: "Key: value", and "Key:" with the value
// indented on the next line.
func TestDsclValues(t *testing.T) {
	out := []byte("PrimaryGroupID: 20\nUniqueID:\n 501\nRealName:\n Jane Doe\nNFSHomeDirectory: /Users/jane /x\n")
	want := map[string]string{"PrimaryGroupID": "20", "UniqueID": "501", "RealName": "Jane", "NFSHomeDirectory": "/Users/jane"}
	if got := dsclValues(out); !reflect.DeepEqual(got, want) {
		t.Errorf("dsclValues = %q, want %q", got, want)
	}
	if got := dsclValues([]byte("UniqueID: -2\n")); got["UniqueID"] != "-2" {
		t.Errorf("dsclValues = %q", got)
	}
}

// TestAccountFileErr: an account file that opens is no error; a missing one is the error
// opening it, which chpst prints as C's getpwnam errno.
func TestAccountFileErr(t *testing.T) {
	defer func(p, g string) { passwdFile, groupFile = p, g }(passwdFile, groupFile)
	passwdFile = t.TempDir() + "/passwd"
	groupFile = t.TempDir()
	if err := AccountFileErr(false); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("AccountFileErr(false) with no %s = %v, want not-exist", passwdFile, err)
	}
	if err := AccountFileErr(true); err != nil {
		t.Errorf("AccountFileErr(true) with %s = %v, want nil", groupFile, err)
	}
}
