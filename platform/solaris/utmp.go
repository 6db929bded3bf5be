//go:build solaris

package solaris

// UtmpFiles: Solaris and illumos keep utmpx and wtmpx (struct futmpx) in /var/adm.
func UtmpFiles() (layout, utmp, wtmp string) { return "solaris", "/var/adm/utmpx", "/var/adm/wtmpx" }
