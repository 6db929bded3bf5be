// Package solaris is the backend of package platform for Solaris and illumos (GOOS
// illumos builds the solaris files too): uadmin, process contracts, lockf-style locks.
// Only package platform imports it, in system_solaris.go, which puts these functions into
// platform's OS hooks; core calls platform. Files are named for their concern and
// build-constrained to solaris, except psinfo.go, pure parsing that is tested on every
// system.
package solaris
