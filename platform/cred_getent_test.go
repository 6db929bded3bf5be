//go:build unix && !darwin

package platform

import (
	"os"
	"path/filepath"
	"testing"
)

// TestLookupFallback: names in the files are found there, with 32-bit and negative ids,
// without running getent; names they lack are asked of getent (here a script standing in
// for it, which logs its calls), whose answer for another name is not taken.
func TestLookupFallback(t *testing.T) {
	d := t.TempDir()
	log := filepath.Join(d, "calls")
	script := `#!/bin/sh
echo "$*" >> ` + log + `
case "$1 $2" in
"passwd nssuser") echo "nssuser:x:4000000000:61235:NSS user:/:/bin/sh" ;;
"group nssgroup") echo "nssgroup:x:61236:" ;;
"passwd 0") echo "root:x:0:0:root:/root:/bin/sh" ;;
*) exit 2 ;;
esac
`
	writeCredFile(t, filepath.Join(d, "getent"), script, 0o755)
	writeCredFile(t, filepath.Join(d, "passwd"), "fileuser:x:4294967294:-2:F:/:/bin/sh\nbadids:x:x:1:B:/:/bin/sh\n", 0o644)
	writeCredFile(t, filepath.Join(d, "group"), "filegroup:x:3000000000:\n", 0o644)
	defer func(g, p, gr string) { getentPath, passwdFile, groupFile = g, p, gr }(getentPath, passwdFile, groupFile)
	getentPath, passwdFile, groupFile = filepath.Join(d, "getent"), filepath.Join(d, "passwd"), filepath.Join(d, "group")

	if uid, gid, ok := LookupUser("fileuser"); !ok || uid != 4294967294 || gid != 4294967294 {
		t.Errorf("LookupUser(fileuser) = %d %d %v", uid, gid, ok)
	}
	if gid, ok := LookupGroup("filegroup"); !ok || gid != 3000000000 {
		t.Errorf("LookupGroup(filegroup) = %d %v", gid, ok)
	}
	if calls := readCredFile(log); calls != "" {
		t.Errorf("getent ran for names the files have: %q", calls)
	}
	if uid, gid, ok := LookupUser("nssuser"); !ok || uid != 4000000000 || gid != 61235 {
		t.Errorf("LookupUser(nssuser) = %d %d %v", uid, gid, ok)
	}
	if gid, ok := LookupGroup("nssgroup"); !ok || gid != 61236 {
		t.Errorf("LookupGroup(nssgroup) = %d %v", gid, ok)
	}
	if _, _, ok := LookupUser("0"); ok {
		t.Error("LookupUser(0) took getent's entry for uid 0")
	}
	if _, _, ok := LookupUser("badids"); ok {
		t.Error("LookupUser(badids) accepted a non-numeric uid")
	}
	if _, ok := LookupGroup("nosuch"); ok {
		t.Error("LookupGroup(nosuch) found something")
	}
	if _, _, ok := LookupUser("-x"); ok {
		t.Error("LookupUser(-x) found something")
	}
	want := "passwd nssuser\ngroup nssgroup\npasswd 0\npasswd badids\ngroup nosuch\n"
	if calls := readCredFile(log); calls != want {
		t.Errorf("getent calls %q, want %q (an option-like name must never reach it)", calls, want)
	}
	getentPath = filepath.Join(d, "nonexistent")
	if _, _, ok := LookupUser("nssuser"); ok {
		t.Error("LookupUser found a user without getent")
	}
}

func writeCredFile(t *testing.T, path, content string, mode os.FileMode) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
}

func readCredFile(path string) string {
	b, _ := os.ReadFile(path)
	return string(b)
}
