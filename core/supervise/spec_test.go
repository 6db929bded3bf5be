package supervise

import (
	"os"
	"testing"

	"github.com/runit-go/runit/core/getopt"
)

// Runsv takes no options: any word is the service directory (here one that does not
// exist, so that it fails with 111 at once). Its messages go to os.Stderr, which the
// probe sends to /dev/null.
func TestSpecs(t *testing.T) {
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer null.Close()
	stderr := os.Stderr
	os.Stderr = null
	defer func() { os.Stderr = stderr }()
	t.Chdir(t.TempDir())
	accepts := func(word string) bool { return Runsv([]string{"runsv", word}) != 111 }
	for _, problem := range getopt.Probe(Specs["runsv"], accepts) {
		t.Error(problem)
	}
}
