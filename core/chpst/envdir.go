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
// reported through warn (chpst -v). Names come in directory (readdir) order, as in C runit,
// so that the environment comes out in the same order.
func readEnvDir(dir string, strict bool, warn func(msg string, err error)) ([]EnvMod, error) {
	d, err := os.Open(dir)
	if err != nil {
		return nil, &envDirError{"unable to switch to directory: " + dir, err}
	}
	defer d.Close()
	if fi, err := d.Stat(); err == nil && !fi.IsDir() {
		return nil, &envDirError{"unable to switch to directory: " + dir, syscall.ENOTDIR}
	}
	names, err := d.Readdirnames(-1)
	if err != nil {
		return nil, &envDirError{"unable to read directory: " + dir, err}
	}
	var mods []EnvMod
	for _, name := range names {
		if strings.HasPrefix(name, ".") {
			continue
		}
		path := dir + "/" + name
		b, err := os.ReadFile(path)
		if err != nil {
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
	return mods, nil
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
