package sv

import (
	"os"
	"path/filepath"
	"testing"
)

func TestUserDirs(t *testing.T) {
	home := t.TempDir()
	xdg := t.TempDir()
	os.MkdirAll(filepath.Join(home, ".config", "service"), 0o755)
	os.MkdirAll(filepath.Join(xdg, "service"), 0o755)
	cases := []struct {
		name       string
		uid        int
		env        map[string]string
		dir, srcis string
	}{
		{"user with ~/.config/service", 1000, map[string]string{"HOME": home}, home + "/.config/service/", home + "/.config/sv"},
		{"XDG_CONFIG_HOME wins", 1000, map[string]string{"HOME": home, "XDG_CONFIG_HOME": xdg}, xdg + "/service/", xdg + "/sv"},
		{"relative XDG_CONFIG_HOME ignored", 1000, map[string]string{"HOME": home, "XDG_CONFIG_HOME": "rel"}, home + "/.config/service/", home + "/.config/sv"},
		{"root is C sv", 0, map[string]string{"HOME": home}, "", ""},
		{"SVDIR set is C sv", 1000, map[string]string{"HOME": home, "SVDIR": "/x"}, "", ""},
		{"SVDIR set empty is C sv", 1000, map[string]string{"HOME": home, "SVDIR": ""}, "", ""},
		{"no such directory", 1000, map[string]string{"HOME": t.TempDir()}, "", ""},
		{"no HOME", 1000, map[string]string{}, "", ""},
	}
	defer func(f func() int) { euid = f }(euid)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			euid = func() int { return c.uid }
			env := func(k string) (string, bool) { v, ok := c.env[k]; return v, ok }
			dir, src := userDirs(env)
			if dir != c.dir || src != c.srcis {
				t.Errorf("got %q %q, want %q %q", dir, src, c.dir, c.srcis)
			}
		})
	}
}

// A bare name is the user's own service when there is one, else the system's.
func TestNameDir(t *testing.T) {
	user, system := t.TempDir()+"/", t.TempDir()+"/"
	os.MkdirAll(filepath.Join(user, "mine"), 0o755)
	os.MkdirAll(filepath.Join(system, "mine"), 0o755)
	os.MkdirAll(filepath.Join(system, "sshd"), 0o755)
	c := &client{svdir: system, userDir: user}
	for name, want := range map[string]string{"mine": user + "mine", "sshd": system + "sshd", "nosuch": system + "nosuch"} {
		if got := c.nameDir(name); got != want {
			t.Errorf("%s: got %q, want %q", name, got, want)
		}
	}
	c.userDir = ""
	if got := c.nameDir("mine"); got != system+"mine" {
		t.Errorf("without a user directory: got %q", got)
	}
}
