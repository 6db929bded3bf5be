package sv

import (
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/runit-go/runit/core/errstr"
)

// DefaultSourceDir is where `sv enable` finds the services it links into the service
// directory without $SVSOURCE: the /etc/sv of Debian, Void and runit's documentation.
const DefaultSourceDir = "/etc/sv"

// links does sv enable, disable and list: they manage which services the service
// directory holds, as links to the directories in the source directory, in sv's style
// (one ok: or fail: line per service, the count of failures as the exit code). They are
// full words only: C sv reads a command by its first letter, so to C sv `enable` is exit
// and `disable` is down.
func (c *client) links(action, source string, names []string) int {
	svdir := strings.TrimSuffix(c.svdir, "/")
	if c.userDir != "" {
		svdir = strings.TrimSuffix(c.userDir, "/")
	}
	if action == "list" {
		return c.list(source, svdir)
	}
	if len(names) == 0 {
		c.usage()
	}
	for _, n := range names {
		var msg string
		var err error
		if n == "" || strings.ContainsRune(n, '/') || n == "." || n == ".." {
			msg, err = "unable to "+action, errNotName
		} else if action == "enable" {
			msg, err = enable(filepath.Join(source, n), filepath.Join(svdir, n))
		} else {
			msg, err = disable(filepath.Join(svdir, n))
		}
		if err != nil {
			c.out.WriteString("fail: " + n + ": " + msg + ": " + errText(err) + "\n")
			c.rc++
			continue
		}
		c.out.WriteString("ok: " + n + ": " + msg + "\n")
	}
	if c.rc > 99 {
		return 99
	}
	return c.rc
}

type linkError string

func (e linkError) Error() string { return string(e) }

const (
	errNotName    = linkError("not a service name")
	errNoRun      = linkError("no run file")
	errOther      = linkError("already there, and not a link to it")
	errNotLink    = linkError("not a link (a service directory of its own): not removed")
	errNotService = linkError("not a service directory")
)

func errText(err error) string {
	if e, ok := err.(linkError); ok {
		return string(e)
	}
	return errstr.Text(err)
}

// enable links dst to the service directory src, which must have a run file.
func enable(src, dst string) (string, error) {
	abs, err := filepath.Abs(src)
	if err != nil {
		return "unable to enable", err
	}
	if fi, err := os.Stat(abs); err != nil {
		return "unable to enable " + src, err
	} else if !fi.IsDir() {
		return "unable to enable " + src, errNotService
	}
	if _, err := os.Stat(filepath.Join(abs, "run")); err != nil {
		return "unable to enable " + src, errNoRun
	}
	if t, err := os.Readlink(dst); err == nil && t == abs {
		return "already enabled", nil
	}
	if _, err := os.Lstat(dst); err == nil {
		return "unable to enable: " + dst, errOther
	}
	if err := os.Symlink(abs, dst); err != nil {
		return "unable to enable: " + dst, err
	}
	return "enabled", nil
}

// disable removes the link dst; runsvdir then stops the service.
func disable(dst string) (string, error) {
	fi, err := os.Lstat(dst)
	if os.IsNotExist(err) {
		return "already disabled", nil
	}
	if err != nil {
		return "unable to disable: " + dst, err
	}
	if fi.Mode()&os.ModeSymlink == 0 {
		return "unable to disable: " + dst, errNotLink
	}
	if err := os.Remove(dst); err != nil {
		return "unable to disable: " + dst, err
	}
	return "disabled", nil
}

// list prints every service of the source directory as enabled or disabled, and what
// else the service directory holds.
func (c *client) list(source, svdir string) int {
	enabled := map[string]bool{}
	if ents, err := os.ReadDir(svdir); err == nil {
		for _, e := range ents {
			if !strings.HasPrefix(e.Name(), ".") {
				enabled[e.Name()] = true
			}
		}
	} else {
		c.fatal("unable to read "+svdir, err)
	}
	var names []string
	if ents, err := os.ReadDir(source); err == nil {
		for _, e := range ents {
			if fi, err := os.Stat(filepath.Join(source, e.Name())); err == nil && fi.IsDir() && !strings.HasPrefix(e.Name(), ".") {
				names = append(names, e.Name())
			}
		}
	}
	listed := map[string]bool{}
	for _, n := range names {
		listed[n] = true
	}
	for n := range enabled {
		if !listed[n] {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	for _, n := range names {
		state := "disabled"
		if enabled[n] {
			state = "enabled"
		}
		io.WriteString(c.out, state+": "+n+"\n")
	}
	return 0
}
