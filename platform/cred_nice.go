package platform

// clampNice keeps a nice value in the range every system accepts, as nice(3) does.
func clampNice(n int) int {
	if n < -20 {
		return -20
	}
	if n > 19 {
		return 19
	}
	return n
}
