#!/usr/bin/env bash
# A healthy service's restart latency after kill -9 (until supervise/status shows the new
# pid running), quiet and while a sick service misbehaves beside it in the same tree:
# a crash loop, 200 short-lived children a second, a notify-socket flood, a log flood into
# a slow logger. Ours (in-process host), ours -C (one runsv each) and C runit, in the same
# run, as ratios: sick/quiet for each, and ours/C. Issue 13 wants sick within 2x of quiet;
# reported here, never asserted. supervise/ on tmpfs where there is one (as Debian keeps it,
# under /run) unless TMPDIR says where: a disk's data flushes would hide the supervisors'
# own latency in noise.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=$PWD/bin
ccbin=/usr/bin
[ -x $ccbin/runsvdir ] || { echo "bench: sick: C runit not installed (apt-get install runit); skipped"; exit 0; }
tool=$(mktemp -d)/benchtool
trap 'rm -rf "$(dirname "$tool")"' EXIT
go build -o "$tool" ./ci/benchtool
if [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ]; then export TMPDIR=/dev/shm; fi
fs=$(df --output=fstype "${TMPDIR:-/tmp}" | tail -n1)

# Each prints "CASE MEDIAN_MS ACTIVITY_PER_S UNIT SUPERVISOR_CPU_%". The baseline, quiet, is two rounds, one
# before the sick cases and one after; how far each round is from it (and C's notify row,
# where nothing is flooded) shows how much of a ratio is the shared machine's noise.
declare -A ms act cpu
for impl in ours ours-C C; do
  case $impl in
    ours) out=$(PATH=$bin:$PATH "$tool" sick "$bin/runsvdir") ;;
    ours-C) out=$(PATH=$bin:$PATH "$tool" sick "$bin/runsvdir" -C) ;;
    C) out=$(PATH=$ccbin:$PATH "$tool" sick "$ccbin/runsvdir") ;;
  esac
  while read -r c m a u p; do
    ms[$impl,$c]=$m
    act[$impl,$c]="$a $u/s"
    cpu[$impl,$c]=$p
  done <<<"$out"
done

r() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
echo "bench: healthy restart after kill -9 beside a sick service ($fs, median of 15 restarts, ms; (x) = /quiet, quiet = median of both quiet rounds):"
printf 'bench:   %-12s %-15s %-15s %-15s %-7s %-9s %-17s %s\n' case ours "ours -C" "C runit" ours/C "ours-C/C" "supervisors' CPU" "sick activity (ours / ours -C / C)"
for c in quiet quiet-before crash fork notify log quiet-after; do
  cell() { if [ "$c" = quiet ]; then echo "${ms[$1,$c]}"; else echo "${ms[$1,$c]} ($(r "${ms[$1,$c]}" "${ms[$1,quiet]}"))"; fi; }
  a="-"
  case $c in quiet*) ;; *) a="${act[ours,$c]} / ${act[ours-C,$c]} / ${act[C,$c]}" ;; esac
  printf 'bench:   %-12s %-15s %-15s %-15s %-7s %-9s %-17s %s\n' "$c" "$(cell ours)" "$(cell ours-C)" "$(cell C)" \
    "$(r "${ms[ours,$c]}" "${ms[C,$c]}")" "$(r "${ms[ours-C,$c]}" "${ms[C,$c]}")" \
    "${cpu[ours,$c]}/${cpu[ours-C,$c]}/${cpu[C,$c]} %" "$a"
done
echo "bench: supervisors' CPU: runsvdir and its supervisors (ours' host, runsv) while the case ran, % of one core (ours/ours -C/C)"
echo "bench: sick cases: crash = ./run exits at once; fork = 200 short-lived children/s at most; notify = datagrams to \$NOTIFY_SOCKET as fast as taken (C runit has no notify-socket: nothing to flood); log = ./run writes its log pipe as fast as a 400 kB/s logger reads"
