package svjson

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"testing"
)

func TestMainUsageAndMissing(t *testing.T) {
	cases := []struct {
		names []string
		code  int
		out   bool
	}{
		{nil, 100, false},
		{[]string{"nosuch"}, 1, true},
		{[]string{"nosuch", "./also-missing"}, 2, true},
	}
	for _, c := range cases {
		var o, e bytes.Buffer
		code := Main("sv", c.names, t.TempDir(), &o, &e)
		if code != c.code {
			t.Errorf("%v: code %d, want %d (stderr %q)", c.names, code, c.code, e.String())
		}
		if !c.out {
			if e.String() != "usage: sv --json service ...\n\n" {
				t.Errorf("usage: %q", e.String())
			}
			continue
		}
		var doc struct{ Services []Service }
		if err := json.Unmarshal(o.Bytes(), &doc); err != nil || len(doc.Services) != len(c.names) {
			t.Fatalf("%v: %v %s", c.names, err, o.String())
		}
		for _, s := range doc.Services {
			if s.Error == "" || s.State != "" || s.Resources != nil {
				t.Errorf("missing service reported as %+v", s)
			}
		}
	}
}

// TestUsageCountsTheTree: a process with two children is three processes, and what the
// system gives is never reported as a zero.
func TestUsageCountsTheTree(t *testing.T) {
	var kids []*exec.Cmd
	for i := 0; i < 2; i++ {
		c := exec.Command("sleep", "30")
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
		kids = append(kids, c)
	}
	defer func() {
		for _, c := range kids {
			c.Process.Kill()
			c.Wait()
		}
	}()
	r := processTree().usage(int32(os.Getpid()))
	if r.Processes < 3 {
		t.Errorf("processes %d, want at least 3", r.Processes)
	}
	if r.RSSBytes != nil && *r.RSSBytes == 0 {
		t.Errorf("rss reported as 0")
	}
	for _, f := range r.Unavailable {
		switch f {
		case "rss_bytes":
			if r.RSSBytes != nil {
				t.Errorf("rss both given and unavailable")
			}
		case "open_files":
			if r.OpenFiles != nil {
				t.Errorf("open files both given and unavailable")
			}
		}
	}
}
