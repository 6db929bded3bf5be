package svlog

// svlogd's own messages on stderr, worded as C svlogd words them.

import "time"

func (l *Logger) flushErr() {
	if len(l.errbuf) > 0 {
		l.stderr.Write(l.errbuf)
		l.errbuf = l.errbuf[:0]
	}
}

func (l *Logger) msg(kind string, parts ...string) {
	l.flushErr()
	b := make([]byte, 0, 128)
	b = append(b, "svlogd: "...)
	b = append(b, kind...)
	for _, p := range parts {
		b = append(b, p...)
	}
	b = append(b, '\n')
	l.stderr.Write(b)
}

func (l *Logger) info(parts ...string) {
	if l.opt.Verbose > 0 {
		l.msg("info: ", parts...)
	}
}

func (l *Logger) warn(parts ...string) { l.msg("warning: ", parts...) }

// pause reports a failure and waits before the caller retries, as C svlogd does.
func (l *Logger) pause(parts ...string) {
	l.msg("pausing: ", parts...)
	t := time.NewTimer(retryPause)
	defer t.Stop()
	select {
	case <-t.C:
	case <-l.kill:
		l.checkKill()
	}
}

// fatal reports and ends the logger with exit code 111, as C svlogd exits.
func (l *Logger) fatal(parts ...string) {
	l.msg("fatal: ", parts...)
	panic(exitNow{111 << 8})
}
