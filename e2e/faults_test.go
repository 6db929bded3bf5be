package e2e

// Faults injected through a service's own files: option files that are FIFOs or endless,
// numbers that overflow, more services than one process's descriptor limit, a hostile
// readiness socket. Each must stay with the service that has it.

import (
	"fmt"
	"io"
	"path/filepath"
	"testing"
	"time"
)

// TestSvlogdHugeAge: a t too big for the clock (C wraps it, ours used to overflow a
// duration into a spin that ignored end of input, or into 0.1 s rotations that pruned
// lines) keeps every line, as C svlogd does.
func TestSvlogdHugeAge(t *testing.T) {
	bins := map[string]string{"ours": ourBin(t, "svlogd"), "C": cBin(t, "svlogd")}
	for name, bin := range bins {
		for _, age := range []string{"99999999999", "18446744073709551616", "18717284022294576"} {
			t.Run(name+" t"+age, func(t *testing.T) {
				t.Parallel()
				root := t.TempDir()
				dir := filepath.Join(root, "log")
				writeFile(t, filepath.Join(dir, "config"), "n2\nt"+age+"\n", 0o644) // n2: a rotation too many loses lines
				p := svlogdStart(t, bin, root, "log")
				for i := 0; i < 40; i++ {
					io.WriteString(p.in, fmt.Sprintf("%07d\n", i))
					time.Sleep(20 * time.Millisecond) // spread over several of the short rotations
				}
				p.finish(t, 15*time.Second)
				svlogdCheckSeq(t, svlogdCollect(t, dir), 40, "")
			})
		}
	}
}
