// Package utmp encodes and edits the login records of every system runit-go supports,
// in pure Go: glibc's utmp (Linux), FreeBSD's utx.active/utx.log, OpenBSD's old utmp,
// and the utmpx files of NetBSD, macOS and Solaris/illumos. Which layout and which files
// a system uses is platform's business; this package only knows the layouts, so every
// one of them is built and tested on Linux.
package utmp

import (
	"bytes"
	"encoding/binary"
	"time"
)

// Field is a byte range in a record.
type Field struct{ Off, Size int }

// Layout is one system's on-disk record format. Offsets are those of the C structures
// for the 64-bit ABIs Go supports on each system (all little-endian, except FreeBSD's
// futx, which is big-endian by design).
type Layout struct {
	Name       string
	Size       int
	Order      binary.ByteOrder
	Type       Field // Size 0: the format has no type (OpenBSD)
	Pid        Field
	Line       Field
	ID         Field
	User       Field
	Host       Field
	HostLen    Field // Solaris ut_syslen, zeroed with the host
	Sec        Field // seconds (4 or 8 bytes); FreeBSD: microseconds since the epoch
	Usec       Field
	Micro      bool // FreeBSD: Sec holds one 64-bit count of microseconds
	DeadType   int  // DEAD_PROCESS
	UserType   int  // USER_PROCESS
	LogLenHdr  bool // FreeBSD utx.log: 16-bit big-endian length, then the record without trailing zeros
	LogKeepsID bool // copy ut_id and pid into the log record (FreeBSD's last matches on the id)
	// CLine: C runit's utmpset reads this very record and compares ut_line with
	// str_diff, a C-string comparison that does not stop at the end of the field: a line
	// that fills its field runs on into the next ones up to the first NUL. We match
	// exactly what C matches. Layouts C runit never reads (it does not build on FreeBSD,
	// and uses the old utmp on NetBSD and macOS) compare within the field, as their
	// libc's getutxline does, so a line that fills the field matches there.
	CLine bool
}

// Entry is a record's content, independent of the layout.
type Entry struct {
	Type       int
	Pid        int
	Line, ID   string
	User, Host string
	Sec        int64
	Usec       int64
}

// The layouts. Types are SysV's (USER_PROCESS 7, DEAD_PROCESS 8) except on FreeBSD.
var (
	// Glibc is Linux glibc's struct utmp (= struct utmpx) where __WORDSIZE_TIME64_COMPAT32
	// is 1 (x86-64, i386, and the other 64-bit ports with a 32-bit predecessor): 384
	// bytes, ut_tv two int32 so that 32- and 64-bit programs share the file. Time is
	// therefore 32-bit; we write it as an unsigned count (good until 2106 for readers
	// that treat it so), as C utmpset does.
	Glibc = &Layout{Name: "glibc", Size: 384, Order: binary.LittleEndian,
		Type: Field{0, 2}, Pid: Field{4, 4}, Line: Field{8, 32}, ID: Field{40, 4},
		User: Field{44, 32}, Host: Field{76, 256}, Sec: Field{340, 4}, Usec: Field{344, 4},
		DeadType: 8, UserType: 7, CLine: true}
	// GlibcLP64 is the same struct where __WORDSIZE_TIME64_COMPAT32 is 0 (aarch64,
	// loongarch64): ut_session is a long and ut_tv a real struct timeval, so the record
	// is 400 bytes and time is 64-bit.
	GlibcLP64 = &Layout{Name: "glibc-lp64", Size: 400, Order: binary.LittleEndian,
		Type: Field{0, 2}, Pid: Field{4, 4}, Line: Field{8, 32}, ID: Field{40, 4},
		User: Field{44, 32}, Host: Field{76, 256}, Sec: Field{344, 8}, Usec: Field{352, 8},
		DeadType: 8, UserType: 7, CLine: true}
	// FreeBSD is struct futx (utxdb.h), packed, 197 bytes: fu_type u8, fu_tv u64 BE
	// microseconds, fu_id[8], fu_pid u32 BE, fu_user[32], fu_line[16], fu_host[128].
	FreeBSD = &Layout{Name: "freebsd", Size: 197, Order: binary.BigEndian,
		Type: Field{0, 1}, Sec: Field{1, 8}, Micro: true, ID: Field{9, 8}, Pid: Field{17, 4},
		User: Field{21, 32}, Line: Field{53, 16}, Host: Field{69, 128},
		DeadType: 7, UserType: 4, LogLenHdr: true, LogKeepsID: true}
	// OpenBSD is the old struct utmp: ut_line[8], ut_name[32], ut_host[256], time_t
	// (64-bit): 304 bytes, no type, no pid; an empty name marks a logout.
	OpenBSD = &Layout{Name: "openbsd", Size: 304, Order: binary.LittleEndian,
		Line: Field{0, 8}, User: Field{8, 32}, Host: Field{40, 256}, Sec: Field{296, 8},
		CLine: true}
	// NetBSDUtmp is NetBSD's old struct utmp (<utmp.h>, still read by its who, w and
	// last, and the file C runit writes there): ut_line[8], ut_name[8], ut_host[16],
	// time_t ut_time (64-bit) at 32: 40 bytes, no type, no pid.
	NetBSDUtmp = &Layout{Name: "netbsd-utmp", Size: 40, Order: binary.LittleEndian,
		Line: Field{0, 8}, User: Field{8, 8}, Host: Field{16, 16}, Sec: Field{32, 8},
		CLine: true}
	// NetBSD is struct utmpx (LP64): ut_name[32], ut_id[4], ut_line[32], ut_host[256],
	// ut_session u16, ut_type u16, ut_pid, ut_exit, sockaddr_storage, timeval (64-bit
	// seconds at 464, 32-bit usec at 472), uint8_t ut_pad[36] at 480: 520 bytes, the
	// size of the 32-bit v1.00 record.
	NetBSD = &Layout{Name: "netbsd", Size: 520, Order: binary.LittleEndian,
		User: Field{0, 32}, ID: Field{32, 4}, Line: Field{36, 32}, Host: Field{68, 256},
		Type: Field{326, 2}, Pid: Field{328, 4}, Sec: Field{464, 8}, Usec: Field{472, 4},
		DeadType: 8, UserType: 7}
	// Darwin is the record of macOS's /var/run/utmpx: Libc always writes struct
	// utmpx32, also from 64-bit programs: ut_user[256], ut_id[4], ut_line[32], ut_pid,
	// short ut_type, timeval32 (32-bit seconds: the file allows no more), ut_host[256],
	// ut_pad[16]: 628 bytes. The file starts with a "utmpx-1.00" signature record, which
	// has no line and so never matches.
	Darwin = &Layout{Name: "darwin", Size: 628, Order: binary.LittleEndian,
		User: Field{0, 256}, ID: Field{256, 4}, Line: Field{260, 32}, Pid: Field{292, 4},
		Type: Field{296, 2}, Sec: Field{300, 4}, Usec: Field{304, 4}, Host: Field{308, 256},
		DeadType: 8, UserType: 7}
	// Solaris is struct futmpx, the file format of /var/adm/utmpx and wtmpx on every
	// Solaris and illumos ABI: ut_user[32], ut_id[4], ut_line[32], pid32, int16 type,
	// exit, timeval32 (32-bit seconds: the file format allows no more), session, pad[5],
	// int16 ut_syslen, ut_host[257]: 372 bytes.
	Solaris = &Layout{Name: "solaris", Size: 372, Order: binary.LittleEndian,
		User: Field{0, 32}, ID: Field{32, 4}, Line: Field{36, 32}, Pid: Field{68, 4},
		Type: Field{72, 2}, Sec: Field{80, 4}, Usec: Field{84, 4}, HostLen: Field{112, 2},
		Host: Field{114, 257}, DeadType: 8, UserType: 7, CLine: true}
)

// Layouts lists every layout by name.
var Layouts = map[string]*Layout{}

func init() {
	for _, l := range []*Layout{Glibc, GlibcLP64, FreeBSD, OpenBSD, NetBSD, NetBSDUtmp, Darwin, Solaris} {
		Layouts[l.Name] = l
	}
}

func (l *Layout) putInt(b []byte, f Field, v uint64) {
	switch f.Size {
	case 0:
	case 1:
		b[f.Off] = byte(v)
	case 2:
		l.Order.PutUint16(b[f.Off:], uint16(v))
	case 4:
		l.Order.PutUint32(b[f.Off:], uint32(v))
	case 8:
		l.Order.PutUint64(b[f.Off:], v)
	}
}

func (l *Layout) getInt(b []byte, f Field) int64 {
	switch f.Size {
	case 1:
		return int64(b[f.Off])
	case 2:
		return int64(int16(l.Order.Uint16(b[f.Off:])))
	case 4:
		if f == l.Sec { // seconds: unsigned, so 32-bit formats reach 2106
			return int64(l.Order.Uint32(b[f.Off:]))
		}
		return int64(int32(l.Order.Uint32(b[f.Off:])))
	case 8:
		return int64(l.Order.Uint64(b[f.Off:]))
	}
	return 0
}

// putString copies s into the field, truncated, the rest zeroed (C's strncpy).
func putString(b []byte, f Field, s string) {
	if f.Size == 0 {
		return
	}
	z := b[f.Off : f.Off+f.Size]
	clear(z)
	copy(z, s)
}

func getString(b []byte, f Field) string {
	if f.Size == 0 {
		return ""
	}
	z := b[f.Off : f.Off+f.Size]
	if i := bytes.IndexByte(z, 0); i >= 0 {
		z = z[:i]
	}
	return string(z)
}

func (l *Layout) putTime(b []byte, sec, usec int64) {
	if l.Micro {
		l.putInt(b, l.Sec, uint64(sec*1_000_000+usec))
		return
	}
	l.putInt(b, l.Sec, uint64(sec))
	l.putInt(b, l.Usec, uint64(usec))
}

// Encode returns e as one record.
func (l *Layout) Encode(e Entry) []byte {
	b := make([]byte, l.Size)
	l.putInt(b, l.Type, uint64(e.Type))
	l.putInt(b, l.Pid, uint64(e.Pid))
	putString(b, l.Line, e.Line)
	putString(b, l.ID, e.ID)
	putString(b, l.User, e.User)
	putString(b, l.Host, e.Host)
	if l.HostLen.Size > 0 {
		n := min(len(e.Host)+1, l.Host.Size)
		if e.Host == "" {
			n = 0
		}
		l.putInt(b, l.HostLen, uint64(n))
	}
	l.putTime(b, e.Sec, e.Usec)
	return b
}

// Decode reads one record (len(b) >= l.Size).
func (l *Layout) Decode(b []byte) Entry {
	e := Entry{
		Type: int(l.getInt(b, l.Type)), Pid: int(l.getInt(b, l.Pid)),
		Line: getString(b, l.Line), ID: getString(b, l.ID),
		User: getString(b, l.User), Host: getString(b, l.Host),
	}
	if l.Micro {
		us := l.getInt(b, l.Sec)
		e.Sec, e.Usec = us/1_000_000, us%1_000_000
	} else {
		e.Sec, e.Usec = l.getInt(b, l.Sec), l.getInt(b, l.Usec)
	}
	return e
}

// Matches reports whether rec is a live entry for line, as runit's utmpset decides: a
// non-empty user, and the line equal. With CLine the record's line is read as C's
// str_diff reads it, from the field's start to the first NUL anywhere in the record
// (a record with none never matches: C would read on past it into whatever follows);
// otherwise it is the field up to its NUL or its end.
func (l *Layout) Matches(rec []byte, line string) bool {
	if rec[l.User.Off] == 0 {
		return false
	}
	end := l.Line.Off + l.Line.Size
	if l.CLine {
		end = l.Size
	}
	f := rec[l.Line.Off:end]
	i := bytes.IndexByte(f, 0)
	if i < 0 {
		if l.CLine {
			return false
		}
		i = len(f)
	}
	return string(f[:i]) == line
}

// Logout edits rec in place into runit's logout: user and host cleared, the type (where
// the format has one) DEAD_PROCESS, the time now. Like C utmpset only the seconds change
// (the microseconds stay) except on FreeBSD, whose single field carries both.
func (l *Layout) Logout(rec []byte, now time.Time) {
	putString(rec, l.User, "")
	putString(rec, l.Host, "")
	if l.HostLen.Size > 0 {
		l.putInt(rec, l.HostLen, 0)
	}
	l.putInt(rec, l.Type, uint64(l.DeadType))
	if l.Micro {
		l.putTime(rec, now.Unix(), int64(now.Nanosecond()/1000))
		return
	}
	l.putInt(rec, l.Sec, uint64(now.Unix()))
}

// LogRecord is the record runit appends to wtmp for a logout of line: the line, the time,
// DEAD_PROCESS, all else zero. The line is cut as C cuts it: one that fits the field is
// copied whole (with no NUL when it fills it), a longer one (which can match only by
// running on, see CLine) is cut to the field size less two. On
// FreeBSD the id and pid of the logged-out entry are kept, since its last(1) pairs login
// and logout by id; the result is then framed as utx.log wants it.
func (l *Layout) LogRecord(line string, now time.Time, from []byte) []byte {
	b := make([]byte, l.Size)
	if len(line) > l.Line.Size {
		line = line[:l.Line.Size-2]
	}
	putString(b, l.Line, line)
	l.putInt(b, l.Type, uint64(l.DeadType))
	if l.Micro {
		l.putTime(b, now.Unix(), int64(now.Nanosecond()/1000))
	} else {
		l.putInt(b, l.Sec, uint64(now.Unix()))
	}
	if l.LogKeepsID && from != nil {
		copy(b[l.ID.Off:l.ID.Off+l.ID.Size], from[l.ID.Off:])
		copy(b[l.Pid.Off:l.Pid.Off+l.Pid.Size], from[l.Pid.Off:])
	}
	if !l.LogLenHdr {
		return b
	}
	n := len(bytes.TrimRight(b, "\x00"))
	out := make([]byte, 2+n)
	binary.BigEndian.PutUint16(out, uint16(n))
	copy(out[2:], b[:n])
	return out
}
