package platform

// chmodSocket opens the notify socket to every user. x/sys has no fchmodat here, so the
// path is checked to be a socket first (a narrow window remains between the two calls).
func chmodSocket(path string) error { return chmodSocketChecked(path) }
