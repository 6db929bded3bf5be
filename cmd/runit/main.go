// Command runit is process 1: stages /etc/runit/1, 2 and 3. See runit(8).
package main

import (
	"os"

	"github.com/runit-go/runit/core/stage"
)

func main() { os.Exit(stage.Main()) }
