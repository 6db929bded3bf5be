package svlog

import "golang.org/x/sys/unix"

// openUDP opens the datagram socket for u/U lines. x/sys keeps the net package (and its
// resolver) out of the binary: svlogd needs one sendto, nothing more. C opens a socket
// for each line; one kept open does the same, and is opened again if that failed.
func (d *Dir) openUDP() {
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM, 0)
	if err != nil {
		return
	}
	unix.CloseOnExec(fd)
	unix.SetNonblock(fd, true)
	d.udpFd = fd
}

// sendUDP sends one line, stamp+prefix+head (+"..." when cut) and a newline. A line that
// cannot be sent is written to current with C svlogd's warning in front, so that it is
// not lost.
func (d *Dir) sendUDP(stamp, head []byte, cut bool) {
	if d.udpFd < 0 {
		d.openUDP()
	}
	u := d.l.udpbuf[:0]
	if d.udpFd < 0 {
		u = append(u, "warning: no udp socket available: "...)
		u = append(u, stamp...)
		u = append(u, d.cfg.Prefix...)
		u = append(u, head...)
		u = append(u, '\n')
		d.l.udpbuf = u[:0]
		d.put(u)
		return
	}
	const warn = "warning: failure sending through udp: "
	u = append(u, warn...)
	u = append(u, stamp...)
	u = append(u, d.cfg.Prefix...)
	u = append(u, head...)
	if cut {
		u = append(u, "..."...)
	}
	u = append(u, '\n')
	d.l.udpbuf = u[:0]
	if unix.Sendto(d.udpFd, u[len(warn):], 0, &unix.SockaddrInet4{Port: d.cfg.UDPPort, Addr: d.cfg.UDPAddr}) != nil {
		d.put(u)
	}
}
