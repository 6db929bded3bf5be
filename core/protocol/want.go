package protocol

// Want is what runsv was told to aim for: the control byte that set it ('u', 'd' or 'x'; an
// 'o' sets WantDown). The status record stores it in byte 17, where exit is stored as 'd':
// a Want decoded from a record is 'u' or 'd', or, from a corrupt record, whatever byte was
// there (sv then shows no want, as C sv does).
type Want byte

// The wants. They are the control bytes that ask for them.
const (
	WantUp   Want = CtlUp
	WantDown Want = CtlDown
	WantExit Want = CtlExit
)

// String is "up", "down" or "exit" (anything else reads "down": runsv goes for down).
func (w Want) String() string {
	switch w {
	case WantUp:
		return "up"
	case WantExit:
		return "exit"
	}
	return "down"
}

// recordByte is w as byte 17 of the status record: 'u' for up, 'd' for anything else.
func (w Want) recordByte() byte {
	if w == WantUp {
		return 'u'
	}
	return 'd'
}
