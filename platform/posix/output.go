//go:build unix

package posix

import (
	"errors"
	"io"
	"os"
)

// Output runs path with argv (argv[0] included) and returns its standard output, or an
// error if it could not run or did not exit 0. It does what os/exec's Output does for
// the lookups here, without linking os/exec (and what it brings) into every supervisor.
func Output(path string, argv ...string) ([]byte, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	null, err := os.Open(os.DevNull)
	if err != nil {
		r.Close()
		w.Close()
		return nil, err
	}
	p, err := os.StartProcess(path, argv, &os.ProcAttr{Files: []*os.File{null, w, os.Stderr}})
	null.Close()
	w.Close()
	if err != nil {
		r.Close()
		return nil, err
	}
	out, rerr := io.ReadAll(r)
	r.Close()
	st, err := p.Wait()
	if err == nil && !st.Success() {
		err = errors.New(path + ": " + st.String())
	}
	if err == nil {
		err = rerr
	}
	return out, err
}
