package protocol

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// The extension files of supervise/, written by runsv only for services that use the
// extensions; supervise/status stays runit's 20 bytes. Each holds at most a line; readers
// take them with ReadExtra.

// EncodeReady is supervise/ready: the pid of the ./run that declared readiness (through
// notification-fd or notify-socket) and a newline, or empty while none is ready.
func EncodeReady(pid int) []byte { return EncodePid(pid) }

// DecodeReady is the pid in supervise/ready, 0 for none. The service is ready when it is
// the pid of the running ./run.
func DecodeReady(b []byte) int { return DecodePid(b) }

// EncodeBackoff is supervise/backoff: "SECONDS DEATHS\n" while the crash-loop backoff holds
// ./run down for delay (whole seconds) after deaths quick deaths in a row, empty otherwise.
func EncodeBackoff(delay time.Duration, deaths int) []byte {
	if delay <= 0 {
		return []byte{}
	}
	return fmt.Appendf(nil, "%d %d\n", int(delay/time.Second), deaths)
}

// DecodeBackoff reads supervise/backoff: the delay in seconds (0: not held down) and the
// deaths behind it. A field that is not a number reads 0.
func DecodeBackoff(b []byte) (seconds, deaths int) {
	if f := strings.Fields(string(b)); len(f) == 2 {
		seconds, _ = strconv.Atoi(f[0])
		deaths, _ = strconv.Atoi(f[1])
	}
	return seconds, deaths
}

// EncodeNotifyStatus is supervise/notify-status: the text of the last STATUS= a
// notify-socket service sent, and a newline.
func EncodeNotifyStatus(text string) []byte { return []byte(text + "\n") }

// DecodeNotifyStatus is the text of supervise/notify-status, without its newline.
func DecodeNotifyStatus(b []byte) string { return strings.TrimSuffix(string(b), "\n") }

// ExtraMax bounds what is read of a supervise/ extension file (ready, backoff,
// notify-status): each holds a line; more is someone else's doing, not ours to load.
const ExtraMax = 4096

// ReadExtra reads a supervise/ extension file written by the supervisor: a regular file
// only, opened without blocking and without becoming a controlling terminal, at most
// ExtraMax bytes. A reader such as sv (root's, on a user's service) never hangs on it.
func ReadExtra(path string) ([]byte, error) {
	b, _, err := readRegular(path, ExtraMax)
	return b, err
}
