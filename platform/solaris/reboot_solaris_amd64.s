// sysvicall6 for uadmin, as golang.org/x/sys/unix has it: the runtime makes the libc call.

#include "textflag.h"

TEXT ·sysvicall6(SB),NOSPLIT,$0-88
	JMP	syscall·sysvicall6(SB)
