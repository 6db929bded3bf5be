//go:build unix

package platform

import "golang.org/x/sys/unix"

// ConsoleStdio opens the console write-only and non-blocking (so a stuck terminal never
// stops process 1) and makes it standard input, output and error.
func ConsoleStdio(path string) error {
	return consoleOnto(path, 0, 1, 2)
}

// ConsoleStderr re-opens the console as standard error, as runit does after every wake-up
// so that a console that went away and came back gets its messages again.
func ConsoleStderr(path string) error {
	return consoleOnto(path, 2)
}

// OpenConsoleForChild opens the console write-only for a child's standard output and
// error: without waiting for a carrier (O_NONBLOCK at open), then blocking, so that a
// child writing faster than a serial console drains waits instead of losing its lines
// to EAGAIN. Process 1's own descriptors stay non-blocking; this is a separate open file.
func OpenConsoleForChild(path string) (int, error) {
	fd, err := unix.Open(path, unix.O_WRONLY|unix.O_NONBLOCK|unix.O_NOCTTY|unix.O_CLOEXEC, 0)
	if err != nil {
		return -1, err
	}
	if err := unix.SetNonblock(fd, false); err != nil {
		unix.Close(fd)
		return -1, err
	}
	return fd, nil
}

func consoleOnto(path string, fds ...int) error {
	fd, err := unix.Open(path, unix.O_WRONLY|unix.O_NONBLOCK, 0)
	if err != nil {
		return err
	}
	keep := false // the open may land on one of the targets when they were closed
	for _, to := range fds {
		if to == fd {
			keep = true
			continue
		}
		if err := unix.Dup2(fd, to); err != nil {
			if !keep {
				unix.Close(fd)
			}
			return err
		}
	}
	if keep {
		return nil
	}
	return unix.Close(fd)
}
