package svlog

import (
	"golang.org/x/sys/unix"

	"github.com/runit-go/runit/core/errstr"
)

// openUDP opens the datagram socket for u/U lines. x/sys keeps the net package (and its
// resolver) out of the binary: svlogd needs one sendto, nothing more.
func (d *Dir) openUDP() {
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM, 0)
	if err != nil {
		d.l.warn("unable to create udp socket: ", d.name, ": ", errstr.Text(err))
		return
	}
	unix.CloseOnExec(fd)
	unix.SetNonblock(fd, true)
	d.udpFd = fd
}

// sendUDP sends one line; a datagram that cannot be sent is lost, as in C svlogd (UDP
// gives no delivery guarantee anyway, and blocking the log for it would be worse).
func (d *Dir) sendUDP(p []byte) {
	if d.udpFd < 0 {
		return
	}
	unix.Sendto(d.udpFd, p, 0, &unix.SockaddrInet4{Port: d.cfg.UDPPort, Addr: d.cfg.UDPAddr})
}
