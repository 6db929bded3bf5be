// Package darwin is the macOS backend of package platform: what macOS does its own way
// (reboot(2) without a power-off flag, Directory Services accounts, pipe without pipe2).
// Only package platform imports it, in system_darwin.go, which puts these functions into
// platform's OS hooks; core calls platform. Files are named for their concern and
// build-constrained to darwin, except dscl.go, pure parsing that is tested on every system.
package darwin
