//go:build linux && !(arm64 || loong64)

package linux

// glibcUtmpLayout: here glibc defines __WORDSIZE_TIME64_COMPAT32 as 1 (x86-64 and the
// other ports with a 32-bit predecessor): 384-byte records with 32-bit time.
const glibcUtmpLayout = "glibc"
