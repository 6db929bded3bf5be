package sv

import (
	"os"
	"path/filepath"
)

// euid is the effective user id; a variable so that tests can be another user.
var euid = os.Geteuid

// configHome is $XDG_CONFIG_HOME, or ~/.config; "" when neither is known.
func configHome(lookupEnv func(string) (string, bool)) string {
	if v, ok := lookupEnv("XDG_CONFIG_HOME"); ok && filepath.IsAbs(v) {
		return v
	}
	if h, ok := lookupEnv("HOME"); ok && filepath.IsAbs(h) {
		return filepath.Join(h, ".config")
	}
	return ""
}

// userDirs are a user's own service directory (what the user's runsvdir scans) and the
// directory `sv enable` links from: $XDG_CONFIG_HOME/service and $XDG_CONFIG_HOME/sv,
// ~/.config/... by default (the layout of turnstile's runit backend). Both are "" for
// root, when $SVDIR is set, or when the service directory does not exist: then sv is C
// sv.
func userDirs(lookupEnv func(string) (string, bool)) (svdir, source string) {
	if _, ok := lookupEnv("SVDIR"); ok || euid() == 0 {
		return "", ""
	}
	home := configHome(lookupEnv)
	if home == "" {
		return "", ""
	}
	svdir = filepath.Join(home, "service")
	if isDir(svdir) != nil {
		return "", ""
	}
	return svdir + "/", filepath.Join(home, "sv")
}

// nameDir is the directory a bare service name stands for: the user's own service of
// that name if there is one, else the one in $SVDIR (or the default), so a user still
// reads the system's services by name.
func (c *client) nameDir(name string) string {
	d, _ := c.nameDirUser(name)
	return d
}

// nameDirUser is nameDir, and whether the directory is the user's own.
func (c *client) nameDirUser(name string) (string, bool) {
	if c.userDir != "" {
		if d := join(c.userDir, name); isDir(d) == nil {
			return d, true
		}
	}
	return join(c.svdir, name), false
}
