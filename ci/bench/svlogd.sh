#!/bin/sh
# svlogd throughput and memory, ours against Debian's C svlogd in the same run:
# two million ~100-byte lines through a pipe, with -tt and without timestamps (both with
# rotation at 10 MB, so that timestamps are the only difference); and each one's peak PSS
# while it runs (one process alone: with one svlogd per service, the binary's pages are
# shared between them and each one's PSS is lower).
set -eu
cd "$(dirname "$0")/../.."
C=${C_SVLOGD:-/usr/bin/svlogd}
if [ ! -x "$C" ]; then
	echo "bench: svlogd: C svlogd not installed ($C): skipped"
	exit 0
fi
T=$(mktemp -d /tmp/bench-svlogd.XXXXXX)
trap 'rm -rf "$T"' EXIT
CGO_ENABLED=0 GOTOOLCHAIN=local go build -trimpath -ldflags '-s -w' -o "$T/svlogd" ./cmd/svlogd
OURS=$T/svlogd
N=2000000
awk -v n=$N 'BEGIN { x = "the quick brown fox jumps over the lazy dog, again and again, for the benchmark"
	for (i = 0; i < n; i++) printf "%08d %s %08d\n", i, x, n - i }' > "$T/input"
BYTES=$(wc -c < "$T/input")

now() { date +%s%N; }

# run BIN OPTS CONFIG: prints elapsed nanoseconds and leaves the peak PSS (kB) in $T/pss.
run() {
	rm -rf "$T/log"; mkdir "$T/log"
	[ -n "$3" ] && printf '%s\n' "$3" > "$T/log/config"
	mkfifo "$T/fifo"
	start=$(now)
	"$1" $2 "$T/log" < "$T/fifo" &
	pid=$!
	cat "$T/input" > "$T/fifo" &
	cpid=$!
	peak=0
	while kill -0 $pid 2>/dev/null; do
		p=$(awk '/^Pss:/ { print $2 }' /proc/$pid/smaps_rollup 2>/dev/null || true)
		[ -n "$p" ] && [ "$p" -gt "$peak" ] && peak=$p
		sleep 0.01
	done
	wait $pid
	end=$(now)
	wait $cpid || true
	rm -f "$T/fifo"
	echo "$peak" > "$T/pss"
	echo $((end - start))
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
rate() { awk -v n="$1" -v ns="$2" 'BEGIN { printf "%.0f", n / (ns / 1e9) }'; }
mbps() { awk -v n="$1" -v ns="$2" 'BEGIN { printf "%.1f", n / 1e6 / (ns / 1e9) }'; }

for mode in tt plain default; do
	case $mode in
	tt) opts=-tt; cfg=s10000000; what="-tt, rotation at 10 MB" ;;
	plain) opts=; cfg=s10000000; what="no timestamps, rotation at 10 MB" ;;
	default) opts=; cfg=; what="no timestamps, no config (rotation at 1 MB)" ;;
	esac
	# best of three for each, alternating, so both see the same machine load
	bo=0; bc=0; po=0; pc=0
	for k in 1 2 3; do
		o=$(run "$OURS" "$opts" "$cfg"); p=$(cat "$T/pss"); [ $p -gt $po ] && po=$p
		if [ $bo -eq 0 ] || [ $o -lt $bo ]; then bo=$o; fi
		c=$(run "$C" "$opts" "$cfg"); p=$(cat "$T/pss"); [ $p -gt $pc ] && pc=$p
		if [ $bc -eq 0 ] || [ $c -lt $bc ]; then bc=$c; fi
	done
	lo=$(rate $N $bo); lc=$(rate $N $bc)
	echo "bench: svlogd lines/s ($what): ours $lo, C $lc, ratio $(ratio $lo $lc)"
	mo=$(mbps $BYTES $bo); mc=$(mbps $BYTES $bc)
	echo "bench: svlogd MB/s ($what): ours $mo, C $mc, ratio $(ratio $mo $mc)"
	echo "bench: svlogd peak PSS kB ($what): ours $po, C $pc, ratio $(ratio $po $pc)"
done

# idle BIN: mean PSS (kB) of ten idle instances of BIN, each with a line logged, as on a
# machine with ten logged services (their binary's pages are shared).
idle() {
	pids=; sleepers=
	for i in 0 1 2 3 4 5 6 7 8 9; do
		mkdir -p "$T/idle/$i"; rm -f "$T/idle/$i/fifo"; mkfifo "$T/idle/$i/fifo"
		"$1" "$T/idle/$i" < "$T/idle/$i/fifo" &
		pids="$pids $!"
		# keep the fifo open (and svlogd waiting) until the end of the measurement
		sh -c 'echo hello; exec sleep 30' > "$T/idle/$i/fifo" &
		sleepers="$sleepers $!"
	done
	sleep 1
	tot=0
	for p in $pids; do
		v=$(awk '/^Pss:/ { print $2 }' /proc/$p/smaps_rollup)
		tot=$((tot + v))
	done
	for p in $pids $sleepers; do kill $p 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$T/idle"
	echo $((tot / 10))
}
io=$(idle "$OURS"); ic=$(idle "$C")
echo "bench: svlogd PSS kB per process, 10 idle instances: ours $io, C $ic, ratio $(ratio $io $ic)"
