#!/usr/bin/env bash
# chpst's own overhead: `chpst -e dir -u nobody true`, ours against Debian's C chpst,
# run alternately in the same loop so both see the same machine load. Prints
#   bench: <what>: ours X, C Y, ratio Z
# with X and Y the mean wall time per run in microseconds. Needs root (-u) and C runit.
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${BENCH_RUNS:-500}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export CGO_ENABLED=0 GOTOOLCHAIN=local
ours=bin/chpst
if [ ! -x "$ours" ]; then
  go build -trimpath -ldflags '-s -w' -o "$work/chpst" ./cmd/chpst
  ours=$work/chpst
fi
c=$(command -v /usr/bin/chpst || true)
if [ -z "$c" ]; then
  echo "bench: chpst: skipped (C chpst not installed: apt-get install runit)"
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "bench: chpst: skipped (-u nobody needs root)"
  exit 0
fi
mkdir "$work/env"
for v in A B C D E F G H; do echo "value of $v" > "$work/env/$v"; done
truebin=$(command -v true)
t_ours=0 t_c=0 # nanoseconds; $EPOCHREALTIME (bash 5) reads the clock without a fork
for _ in 1 2 3 4 5; do # warm the page cache
  "$ours" -e "$work/env" -u nobody "$truebin"; "$c" -e "$work/env" -u nobody "$truebin"
done
for ((i = 0; i < runs; i++)); do
  s=${EPOCHREALTIME/./}; "$ours" -e "$work/env" -u nobody "$truebin"; e=${EPOCHREALTIME/./}
  t_ours=$((t_ours + (10#$e - 10#$s) * 1000))
  s=${EPOCHREALTIME/./}; "$c" -e "$work/env" -u nobody "$truebin"; e=${EPOCHREALTIME/./}
  t_c=$((t_c + (10#$e - 10#$s) * 1000))
done
awk -v o="$t_ours" -v c="$t_c" -v n="$runs" 'BEGIN {
  printf "bench: chpst -e dir -u nobody true (%d runs, mean us/run): ours %.0f, C %.0f, ratio %.2f\n",
    n, o / n / 1000, c / n / 1000, o / c }'
