//go:build linux && (arm64 || loong64)

package linux

// glibcUtmpLayout: aarch64 and loongarch64 glibc define __WORDSIZE_TIME64_COMPAT32 as 0:
// 400-byte records with a 64-bit struct timeval.
const glibcUtmpLayout = "glibc-lp64"
