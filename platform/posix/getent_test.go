//go:build unix

package posix

import (
	"os"
	"path/filepath"
	"testing"
)

// TestGetent asks a script standing in for getent, which logs its calls: its entries are
// taken, with 32-bit ids, but not its entry for another name (getent answers a number
// with the entry of that id); without getent nothing is found.
func TestGetent(t *testing.T) {
	d := t.TempDir()
	log := filepath.Join(d, "calls")
	script := `#!/bin/sh
echo "$*" >> ` + log + `
case "$1 $2" in
"passwd nssuser") echo "nssuser:x:4000000000:61235:NSS user:/:/bin/sh" ;;
"group nssgroup") echo "nssgroup:x:61236:" ;;
"passwd 0") echo "root:x:0:0:root:/root:/bin/sh" ;;
"passwd badids") echo "badids:x:x:1:B:/:/bin/sh" ;;
*) exit 2 ;;
esac
`
	if err := os.WriteFile(filepath.Join(d, "getent"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	defer func(g string) { getentPath = g }(getentPath)
	getentPath = filepath.Join(d, "getent")

	if uid, gid, ok := GetentUser("nssuser"); !ok || uid != 4000000000 || gid != 61235 {
		t.Errorf("GetentUser(nssuser) = %d %d %v", uid, gid, ok)
	}
	if gid, ok := GetentGroup("nssgroup"); !ok || gid != 61236 {
		t.Errorf("GetentGroup(nssgroup) = %d %v", gid, ok)
	}
	if _, _, ok := GetentUser("0"); ok {
		t.Error("GetentUser(0) took getent's entry for uid 0")
	}
	if _, _, ok := GetentUser("badids"); ok {
		t.Error("GetentUser(badids) accepted a non-numeric uid")
	}
	if _, ok := GetentGroup("nosuch"); ok {
		t.Error("GetentGroup(nosuch) found something")
	}
	b, _ := os.ReadFile(log)
	if want := "passwd nssuser\ngroup nssgroup\npasswd 0\npasswd badids\ngroup nosuch\n"; string(b) != want {
		t.Errorf("getent calls %q, want %q", b, want)
	}
	getentPath = filepath.Join(d, "nonexistent")
	if _, _, ok := GetentUser("nssuser"); ok {
		t.Error("GetentUser found a user without getent")
	}
}
