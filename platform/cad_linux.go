package platform

import "github.com/runit-go/runit/platform/linux"

// DisableCAD makes the kernel send SIGINT to process 1 on ctrl-alt-del instead of
// rebooting at once, so that runit can run /etc/runit/ctrlaltdel.
func DisableCAD() error { return linux.CADOff() }
