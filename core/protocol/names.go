package protocol

// The supervise directory of a service (DIR/supervise, and DIR/log/supervise for its log
// service) and the files in it.
const (
	SuperviseDir = "supervise"

	LockFile    = "lock"    // flocked by the runsv that serves the directory
	ControlFile = "control" // FIFO: control bytes to runsv (control.go)
	OKFile      = "ok"      // FIFO runsv holds open: opening it for writing fails with ENXIO without a runsv
	StatusFile  = "status"  // the 20-byte record (record.go)
	StatFile    = "stat"    // the record as text (StatText)
	PidFile     = "pid"     // the pid of ./run or ./finish (EncodePid)

	// Our extensions (extras.go).
	ReadyFile        = "ready"
	BackoffFile      = "backoff"
	NotifyStatusFile = "notify-status"

	// NewSuffix names the file each of the above is written to before it is renamed
	// into place.
	NewSuffix = ".new"
)

// Files of the service directory itself that runsv and sv read.
const (
	DownFile = "down" // exists: the service is not started when runsv starts
	LogDir   = "log"  // the log service's directory

	// Option files, our additions (options.go).
	StopTreeFile       = "stop-tree"
	StopTimeoutFile    = "stop-timeout"
	NotificationFDFile = "notification-fd"
	NotifySocketFile   = "notify-socket"
	BackoffMaxFile     = "backoff" // in DIR, not DIR/supervise: the longest crash-loop delay
	StatusGroupFile    = "status-group"
)
