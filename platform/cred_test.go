//go:build unix

package platform

import (
	"errors"
	"io/fs"
	"os"
	"strings"
	"testing"
)

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

func TestLookup(t *testing.T) {
	if uid, gid, ok := LookupUser("root"); !ok || uid != 0 || gid != 0 {
		t.Errorf("LookupUser(root) = %d %d %v", uid, gid, ok)
	}
	if _, _, ok := LookupUser("no-such-user-here"); ok {
		t.Error("LookupUser found a user that does not exist")
	}
	if _, _, ok := LookupUser("ro"); ok {
		t.Error("LookupUser matched a prefix of a name")
	}
	if gid, ok := LookupGroup("root"); !ok || gid != 0 {
		t.Errorf("LookupGroup(root) = %d %v", gid, ok)
	}
	if _, ok := LookupGroup(""); ok {
		t.Error("LookupGroup found the empty name")
	}
}

// TestLookupFallback: names in the files are found there, with 32-bit and negative ids,
// without asking the system's lookup hook; names they lack are asked of it; a name that
// is no account name (an option to getent, a NIS line) never reaches it.
func TestLookupFallback(t *testing.T) {
	var asked []string
	o := fakeOS(new([]string))
	o.LookupUser = func(name string) (int, int, bool) {
		asked = append(asked, "user "+name)
		return 4000000000, 61235, name == "nssuser"
	}
	o.LookupGroup = func(name string) (int, bool) {
		asked = append(asked, "group "+name)
		return 61236, name == "nssgroup"
	}
	useOS(t, o)
	d := t.TempDir()
	defer func(p, g string) { passwdFile, groupFile = p, g }(passwdFile, groupFile)
	passwdFile, groupFile = d+"/passwd", d+"/group"
	if err := os.WriteFile(passwdFile, []byte("fileuser:x:4294967294:-2:F:/:/bin/sh\nbadids:x:x:1:B:/:/bin/sh\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(groupFile, []byte("filegroup:x:3000000000:\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if uid, gid, ok := LookupUser("fileuser"); !ok || uid != 4294967294 || gid != 4294967294 {
		t.Errorf("LookupUser(fileuser) = %d %d %v", uid, gid, ok)
	}
	if gid, ok := LookupGroup("filegroup"); !ok || gid != 3000000000 {
		t.Errorf("LookupGroup(filegroup) = %d %v", gid, ok)
	}
	if len(asked) != 0 {
		t.Errorf("the lookup hook was asked for names the files have: %q", asked)
	}
	if uid, gid, ok := LookupUser("nssuser"); !ok || uid != 4000000000 || gid != 61235 {
		t.Errorf("LookupUser(nssuser) = %d %d %v", uid, gid, ok)
	}
	if gid, ok := LookupGroup("nssgroup"); !ok || gid != 61236 {
		t.Errorf("LookupGroup(nssgroup) = %d %v", gid, ok)
	}
	if _, _, ok := LookupUser("badids"); ok {
		t.Error("LookupUser(badids) accepted a non-numeric uid")
	}
	if _, ok := LookupGroup("nosuch"); ok {
		t.Error("LookupGroup(nosuch) found something")
	}
	for _, name := range []string{"-x", "+x", "", "a:b"} {
		if _, _, ok := LookupUser(name); ok {
			t.Errorf("LookupUser(%q) found something", name)
		}
	}
	want := "user nssuser,group nssgroup,user badids,group nosuch"
	if got := strings.Join(asked, ","); got != want {
		t.Errorf("the lookup hook was asked %q, want %q (an option-like name must never reach it)", got, want)
	}
}
