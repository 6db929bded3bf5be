//go:build unix && !linux

package platform

import "errors"

// WatchEntries reports errors.ErrUnsupported: kqueue's EVFILT_VNODE would need a thread waiting
// in kevent for each watch, which runsvdir's five-second rescan makes not worth its
// memory yet; callers poll.
func WatchEntries(dir string) (<-chan struct{}, func(), error) {
	return nil, nil, errors.ErrUnsupported
}
