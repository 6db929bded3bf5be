// Command sdnotify sends its arguments, one per line, as one datagram to $NOTIFY_SOCKET,
// as systemd-notify does. The notify-socket tests use it as a service's notifier.
package main

import (
	"fmt"
	"net"
	"os"
	"strings"
)

func main() {
	addr := os.Getenv("NOTIFY_SOCKET")
	if addr == "" {
		fmt.Fprintln(os.Stderr, "sdnotify: NOTIFY_SOCKET is not set")
		os.Exit(1)
	}
	c, err := net.DialUnix("unixgram", nil, &net.UnixAddr{Name: addr, Net: "unixgram"})
	if err != nil {
		fmt.Fprintln(os.Stderr, "sdnotify:", err)
		os.Exit(1)
	}
	defer c.Close()
	if _, err := c.Write([]byte(strings.Join(os.Args[1:], "\n"))); err != nil {
		fmt.Fprintln(os.Stderr, "sdnotify:", err)
		os.Exit(1)
	}
}
