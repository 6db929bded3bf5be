#!/bin/sh
# sv latency, ours against C runit's sv, both driving Debian's C runsv:
#   sv status: one invocation, averaged over many;
#   sv restart: sv -w 5 restart on a service that has run for over a second (so runsv's
#   one-second restart throttle does not apply), median of several.
# Prints "bench: <what>: ours X ms, C Y ms, ratio Z". A Go program's start-up alone costs
# about 1 ms here, so ours cannot match C sv on a single status; waiting is where sv wins.
set -eu
cd "$(dirname "$0")/../.."
N=${SV_BENCH_N:-300}
R=${SV_BENCH_RESTARTS:-7}
CSV=/usr/bin/sv
CRUNSV=/usr/bin/runsv
if [ ! -x "$CSV" ] || [ ! -x "$CRUNSV" ]; then
	echo "bench: sv: skipped (Debian's runit is not installed)"
	exit 0
fi
tmp=$(mktemp -d)
runsv_pid=
cleanup() {
	if [ -n "$runsv_pid" ]; then
		# TERM: runsv stops the service and exits; wait so that nothing writes under $tmp.
		kill "$runsv_pid" 2>/dev/null || true
		wait "$runsv_pid" 2>/dev/null || true
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
GOTOOLCHAIN=local CGO_ENABLED=0 go build -trimpath -ldflags '-s -w' -o "$tmp/sv" ./cmd/sv
mkdir -p "$tmp/svc/foo"
printf '#!/bin/sh\nexec sleep 100000\n' >"$tmp/svc/foo/run"
chmod +x "$tmp/svc/foo/run"
"$CRUNSV" "$tmp/svc/foo" </dev/null >/dev/null 2>&1 &
runsv_pid=$!
export SVDIR="$tmp/svc"
i=0
until "$CSV" status foo 2>/dev/null | grep -q '^run:'; do
	i=$((i + 1)); [ $i -gt 500 ] && { echo "bench: sv: runsv did not start" >&2; exit 1; }
	sleep 0.01
done

now_ns() { date +%s%N; }

# status: total time of N invocations, per call in ms.
status_ms() {
	t0=$(now_ns)
	j=0
	while [ $j -lt "$N" ]; do "$1" status foo >/dev/null; j=$((j + 1)); done
	t1=$(now_ns)
	echo "$t0 $t1 $N" | awk '{printf "%.3f", ($2-$1)/1e6/$3}'
}

# age of the last state change in seconds.
age() {
	"$CSV" status foo | sed -n 's/.*) \([0-9]*\)s.*/\1/p'
}

# restart: median of R runs of sv -w 5 restart, in ms.
restart_ms() {
	k=0
	: >"$tmp/r"
	while [ $k -lt "$R" ]; do
		while [ "$(age)" -lt 2 ]; do sleep 0.1; done
		t0=$(now_ns)
		"$1" -w 5 restart foo >/dev/null
		t1=$(now_ns)
		echo "$t0 $t1" | awk '{printf "%.3f\n", ($2-$1)/1e6}' >>"$tmp/r"
		k=$((k + 1))
	done
	sort -n "$tmp/r" | awk '{a[NR]=$1} END {printf "%.3f", a[int((NR+1)/2)]}'
}

ratio() { echo "$1 $2" | awk '{ if ($2 > 0) printf "%.2f", $1/$2; else print "inf" }'; }

so=$(status_ms "$tmp/sv")
sc=$(status_ms "$CSV")
echo "bench: sv status: ours $so ms, C $sc ms, ratio $(ratio "$so" "$sc")"
ro=$(restart_ms "$tmp/sv")
rc=$(restart_ms "$CSV")
echo "bench: sv restart: ours $ro ms, C $rc ms, ratio $(ratio "$ro" "$rc")"
