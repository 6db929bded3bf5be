//go:build linux

package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/runit-go/runit/core/protocol"
)

// A service directory reached under another name while its supervisor runs: the service's
// symlink removed (the documented way to remove a service), its directory renamed inside
// the scan directory, or moved out of it. C runsv works inside its current directory, so
// for it nothing changed but the entry runsvdir sees. An entry gone: the supervisor stops
// the service, runs ./finish, writes "down" into the directory wherever it now is, and
// exits. A rename: runsvdir knows a service by its directory's device and inode, not its
// name, so the same supervisor goes on, and does what it is told (here: down). Each case
// runs under C runit (when installed) and both of our layouts, and what a user can see
// must be the same.
func TestServiceDirectoryMoved(t *testing.T) {
	needRoot(t) // C's runsvdir and ours are started the same way; root keeps it simple
	type tree struct {
		name     string
		runsvdir string
		path     string // PATH's first directory: where runsvdir finds runsv
		args     []string
	}
	ours := binDir(t, "runsvdir", "runsv", "sv")
	trees := []tree{
		{name: "in-process", runsvdir: filepath.Join(ours, "runsvdir"), path: ours},
		{name: "classic", runsvdir: filepath.Join(ours, "runsvdir"), path: ours, args: []string{"-C"}},
		{name: "C", runsvdir: cBin(t, "runsvdir"), path: filepath.Dir(cBin(t, "runsv"))},
	}
	// What C runit does when the entry is gone: x stopped, ./finish run, "down" written
	// where the directory now is, its supervisor gone.
	const stopped = "record: started, finish -1 15; status down want d; supervisor alive false; instances 0"
	moves := []struct {
		name string
		// move moves the service directory whose entry is scan/x; it returns where the
		// directory now is and the scan entry that names it afterwards ("" for none).
		move   func(t *testing.T, root string) (dir, entry string)
		linked bool   // scan/x is a symlink to sv/x
		runs   string // a service directory under the root that runs afterwards, if any
		want   string // C runit's outcome
	}{
		{"symlink removed", func(t *testing.T, root string) (string, string) {
			mustDo(t, os.Remove(filepath.Join(root, "scan", "x")))
			return filepath.Join(root, "sv", "x"), ""
		}, true, "", stopped},
		{"renamed in scan", func(t *testing.T, root string) (string, string) {
			mustDo(t, os.Rename(filepath.Join(root, "scan", "x"), filepath.Join(root, "scan", "y")))
			return filepath.Join(root, "scan", "y"), "y"
		}, false, "", "record: started, finish -1 15; status down want d; supervisor alive true; instances 0"},
		{"moved out of scan", func(t *testing.T, root string) (string, string) {
			mustDo(t, os.Rename(filepath.Join(root, "scan", "x"), filepath.Join(root, "attic")))
			return filepath.Join(root, "attic"), ""
		}, false, "", stopped},
		{"symlink re-pointed", func(t *testing.T, root string) (string, string) {
			// Another service now: runsvdir knows it by its directory, stops x, starts x2.
			x2 := filepath.Join(root, "sv", "x2")
			writeFile(t, filepath.Join(x2, "run"), "#!/bin/sh\nexec sleep 4499999\n", 0o755)
			t.Cleanup(func() { exec.Command("pkill", "-f", "^sleep 4499999$").Run() })
			mustDo(t, os.Symlink(x2, filepath.Join(root, "scan", "x.new")))
			mustDo(t, os.Rename(filepath.Join(root, "scan", "x.new"), filepath.Join(root, "scan", "x")))
			return filepath.Join(root, "sv", "x"), ""
		}, true, "sv/x2", stopped},
		{"target renamed", func(t *testing.T, root string) (string, string) {
			// The link dangles: runsvdir stops the service, as for a removed link.
			mustDo(t, os.Rename(filepath.Join(root, "sv", "x"), filepath.Join(root, "sv", "x2")))
			return filepath.Join(root, "sv", "x2"), ""
		}, true, "", stopped},
	}
	outcomes := map[string]string{}
	marker := 4400000
	for _, m := range moves {
		for _, tr := range trees {
			marker++
			sleep := strconv.Itoa(marker)
			t.Run(m.name+"/"+tr.name, func(t *testing.T) {
				root := t.TempDir()
				scan := filepath.Join(root, "scan")
				svc := filepath.Join(scan, "x")
				if m.linked {
					svc = filepath.Join(root, "sv", "x")
				}
				rec := filepath.Join(root, "record")
				writeFile(t, filepath.Join(svc, "run"), "#!/bin/sh\necho started >>"+rec+"\nexec sleep "+sleep+"\n", 0o755)
				writeFile(t, filepath.Join(svc, "finish"), "#!/bin/sh\necho finish $1 $2 >>"+rec+"\n", 0o755)
				mustDo(t, os.MkdirAll(scan, 0o755))
				if m.linked {
					mustDo(t, os.Symlink(svc, filepath.Join(scan, "x")))
				}
				cmd := exec.Command(tr.runsvdir, append(tr.args, scan)...)
				cmd.Env = append(os.Environ(), "PATH="+tr.path+":"+os.Getenv("PATH"))
				mustDo(t, cmd.Start())
				done := make(chan struct{})
				go func() { cmd.Wait(); close(done) }()
				t.Cleanup(func() {
					cmd.Process.Signal(syscall.SIGHUP)
					<-done
					// C's runsvdir leaves on HUP while its runsv still stop their services:
					// gone before the directory is removed.
					stopSupervisors(t, scan, 10*time.Second)
					exec.Command("pkill", "-f", "^sleep "+sleep+"$").Run()
				})
				// Running by its status and by its record: the status says run from the fork
				// on, and a stop that came before ./run wrote "started" would find a
				// shell that records nothing (C was once that quick).
				waitFor(t, 15*time.Second, "x to run", func() bool {
					return running(t, svc) && strings.HasPrefix(readFile(rec), "started\n")
				})

				dir, entry := m.move(t, root)
				// A new service started is a scan done after the move (C's at once on ALRM).
				probe := strconv.Itoa(marker + 500000)
				writeFile(t, filepath.Join(scan, "probe", "run"), "#!/bin/sh\nexec sleep "+probe+"\n", 0o755)
				t.Cleanup(func() { exec.Command("pkill", "-f", "^sleep "+probe+"$").Run() })
				cmd.Process.Signal(syscall.SIGALRM)
				waitFor(t, 20*time.Second, "a scan after the move", func() bool { return running(t, filepath.Join(scan, "probe")) })
				if entry != "" { // still supervised under its new name: told to go down
					mustDo(t, sendCtl(dir, "d"))
				}
				waitFor(t, 20*time.Second, "x stopped, ./finish run and its status down", func() bool {
					r, err := protocol.Decode([]byte(readFile(filepath.Join(dir, "supervise", "status"))))
					return err == nil && r.State == protocol.Down && strings.Contains(readFile(rec), "finish") &&
						sleeps(sleep) == 0 && (entry != "" || !okAlive(dir))
				})
				if m.runs != "" {
					waitFor(t, 20*time.Second, m.runs+" to run", func() bool { return running(t, filepath.Join(root, m.runs)) })
				}
				got := "record: " + strings.ReplaceAll(strings.TrimSpace(readFile(rec)), "\n", ", ")
				r, err := protocol.Decode([]byte(readFile(filepath.Join(dir, "supervise", "status"))))
				if err != nil {
					t.Fatalf("supervise/status in %s: %v", dir, err)
				}
				got += "; status " + r.State.String() + " want " + string(rune(r.Want))
				got += "; supervisor alive " + strconv.FormatBool(okAlive(dir))
				got += "; instances " + strconv.Itoa(sleeps(sleep))
				t.Log(got)
				outcomes[m.name+"/"+tr.name] = got
			})
		}
		for _, tr := range trees {
			if got, ok := outcomes[m.name+"/"+tr.name]; ok && got != m.want {
				t.Errorf("%s under %s: %s\n  want (C runit's): %s", m.name, tr.name, got, m.want)
			}
		}
	}
}

// sleeps is how many processes run "sleep ARG".
func sleeps(arg string) int {
	out, _ := exec.Command("pgrep", "-c", "-f", "^sleep "+arg+"$").Output()
	n, _ := strconv.Atoi(strings.TrimSpace(string(out)))
	return n
}
