package utmp

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/runit-go/runit/core/getopt"
)

// Utmpset takes exactly the options of its Spec. Its files are under a test directory
// (and do not exist): a probe never reaches the system's.
func TestSpecs(t *testing.T) {
	d := t.TempDir()
	f := Files{Layout: Glibc, Utmp: filepath.Join(d, "utmp"), Wtmp: filepath.Join(d, "wtmp")}
	accepts := func(word string) bool {
		var stderr bytes.Buffer
		Utmpset([]string{"utmpset", word, "tty1"}, &stderr, f, time.Now)
		return !strings.Contains(stderr.String(), "illegal option")
	}
	for _, problem := range getopt.Probe(Specs["utmpset"], accepts) {
		t.Error(problem)
	}
}
