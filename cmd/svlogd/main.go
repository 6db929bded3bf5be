// Command svlogd is runit's log daemon; see core/svlog.
package main

import (
	"os"

	"github.com/runit-go/runit/core/svlog"
)

func main() { os.Exit(svlog.Main(os.Args)) }
