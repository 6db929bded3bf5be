package solaris

import (
	"bytes"
	"encoding/binary"
)

// psinfoHead mirrors the start of Solaris/illumos psinfo_t (sys/procfs.h) as a 64-bit
// reader of /proc/<pid>/psinfo sees it, up to pr_contract, the id of the process contract
// the process belongs to. This file has no build constraint so that the layout is tested
// on every system.
type psinfoHead struct {
	Flag, Nlwp                       int32
	Pid, Ppid, Pgid, Sid             int32
	UID, EUID, GID, EGID             uint32
	Addr, Size, RSSize, Pad1, TTYDev uint64
	PctCPU, PctMem                   uint16
	_                                [4]byte // timestruc_t is 8-aligned
	Start, Time, CTime               [2]int64
	Fname                            [16]byte // PRFNSZ
	Psargs                           [80]byte // PRARGSZ
	Wstat, Argc                      int32
	Argv, Envp                       uint64
	DModel                           byte
	_                                [3]byte
	TaskID, ProjID, Nzomb            int32
	PoolID, ZoneID, Contract         int32
}

// psinfoContractSize is how much of psinfo the contract scan reads.
var psinfoContractSize = binary.Size(psinfoHead{})

// parsePsinfo returns the pid and process contract id recorded in the head of a psinfo
// file, or ok false when b is too short to hold them.
func parsePsinfo(b []byte) (pid, ctid int32, ok bool) {
	if len(b) < psinfoContractSize {
		return 0, 0, false
	}
	var h psinfoHead
	if binary.Read(bytes.NewReader(b[:psinfoContractSize]), binary.NativeEndian, &h) != nil {
		return 0, 0, false
	}
	return h.Pid, h.Contract, true
}
