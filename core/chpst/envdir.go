package chpst

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"syscall"
)

// EnvMod is one change to the environment: Set the variable to Value, or unset it.
type EnvMod struct {
	Name  string
	Value string
	Unset bool
}

// envValue turns an envdir file's content into the variable's value the way runit does:
// an empty file unsets the variable; otherwise the first line, trailing blanks and tabs
// removed, with NULs turned into newlines (so a file can carry a multi-line value).
func envValue(content []byte) (string, bool) {
	if len(content) == 0 {
		return "", false
	}
	if i := bytes.IndexByte(content, '\n'); i >= 0 {
		content = content[:i]
	}
	content = bytes.TrimRight(content, " \t")
	return string(bytes.ReplaceAll(content, []byte{0}, []byte{'\n'})), true
}

// envDirError is a failure reading an envdir: Msg is the text after "fatal: ", Err the cause.
type envDirError struct {
	Msg string
	Err error
}

func (e *envDirError) Error() string { return e.Msg + ": " + e.Err.Error() }
func (e *envDirError) Unwrap() error { return e.Err }

// readEnvDir reads every file of dir not starting with '.' into environment changes.
// A subdirectory is fatal in strict mode (the envdir personality) and skipped otherwise,
// reported through warn (chpst -v). A file that is gone when read (a dangling symlink, a
// file removed during the scan) unsets its variable: C runit means to skip it but keeps
// the previous file's value by mistake; daemontools unsets. Names come in directory
// (readdir) order, as in C runit, so that the environment comes out in the same order.
//
// The steps are C runit's, so that the same permission problem gives the same message:
// open the current directory, chdir into dir, open ".", read, and fchdir back.
func readEnvDir(dir string, strict bool, warn func(msg string, err error)) ([]EnvMod, error) {
	wd, err := syscall.Open(".", syscall.O_RDONLY|syscall.O_NONBLOCK|syscall.O_CLOEXEC, 0)
	if err != nil {
		return nil, &envDirError{"unable to open current working directory", err}
	}
	defer syscall.Close(wd)
	if err := syscall.Chdir(dir); err != nil {
		return nil, &envDirError{"unable to switch to directory: " + dir, err}
	}
	d, err := os.Open(".")
	if err != nil {
		return nil, &envDirError{"unable to open directory: " + dir, err}
	}
	names, err := d.Readdirnames(-1)
	d.Close()
	if err != nil {
		return nil, &envDirError{"unable to read directory: " + dir, err}
	}
	var mods []EnvMod
	for _, name := range names {
		if strings.HasPrefix(name, ".") {
			continue
		}
		b, err := readEnvFile(name)
		if errors.Is(err, syscall.ENOENT) {
			mods = append(mods, EnvMod{Name: name, Unset: true})
			continue
		}
		if err != nil {
			path := dir + "/" + name
			if errors.Is(err, syscall.EISDIR) && !strict {
				if warn != nil {
					warn("unable to read "+path, err)
				}
				continue
			}
			return nil, &envDirError{"unable to read " + path, err}
		}
		v, set := envValue(b)
		mods = append(mods, EnvMod{Name: name, Value: v, Unset: !set})
	}
	if err := syscall.Fchdir(wd); err != nil {
		return nil, &envDirError{"unable to switch to starting directory", err}
	}
	return mods, nil
}

// readEnvFile reads a whole file as C runit's openreadclose does: opened non-blocking, so
// that a FIFO without a writer reads as empty instead of hanging chpst.
func readEnvFile(name string) ([]byte, error) {
	fd, err := syscall.Open(name, syscall.O_RDONLY|syscall.O_NONBLOCK|syscall.O_CLOEXEC, 0)
	if err != nil {
		return nil, err
	}
	defer syscall.Close(fd)
	var b []byte
	buf := make([]byte, 4096)
	for {
		n, err := syscall.Read(fd, buf)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, err
		}
		if n <= 0 {
			return b, nil
		}
		b = append(b, buf[:n]...)
	}
}

// applyEnv returns environ with mods applied the way djb's pathexec_env_run does it, so
// the program sees the same environment order as under C chpst: for each change in turn,
// the first existing entry of that name is replaced by the last entry (the list shrinks),
// then a set value is appended.
func applyEnv(environ []string, mods []EnvMod) []string {
	if len(mods) == 0 {
		return environ
	}
	e := append(make([]string, 0, len(environ)+len(mods)), environ...)
	for _, m := range mods {
		for t := range e {
			if k, _, ok := strings.Cut(e[t], "="); ok && k == m.Name {
				e[t] = e[len(e)-1]
				e = e[:len(e)-1]
				break
			}
		}
		if !m.Unset {
			e = append(e, m.Name+"="+m.Value)
		}
	}
	return e
}
