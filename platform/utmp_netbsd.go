package platform

// UtmpFiles: NetBSD's utmpx files (its old utmp files are no longer written by login).
func UtmpFiles() (layout, utmp, wtmp string) { return "netbsd", "/var/run/utmpx", "/var/log/wtmpx" }
