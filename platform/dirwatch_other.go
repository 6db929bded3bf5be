//go:build unix && !linux

package platform

// WatchEntries reports ErrUnsupported: kqueue's EVFILT_VNODE would need a thread waiting
// in kevent for each watch, which runsvdir's five-second rescan makes not worth its
// memory yet; callers poll.
func WatchEntries(dir string) (<-chan struct{}, func(), error) { return nil, nil, ErrUnsupported }
