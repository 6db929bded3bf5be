#!/usr/bin/env bash
# A one-service container's tree: runit as process 1 in a PID namespace (unshare), stage 2
# runsvdir on one service with a log service (log/run: exec svlogd -tt ./main). Total PSS
# of every process but the service (runit, runsvdir, supervisors, loggers), ours against C
# runit's, in the same run, and process 1's own. Ours twice: runit as its own program, and
# as the example image has it (ci/container/image.sh), /sbin/runit linked to runsvdir's
# program, so that process 1, runsvdir, the host and the logger pool map one text.
set -uo pipefail
cd "$(dirname "$0")/../.."
bin=$PWD/bin
[ -x /sbin/runit ] && [ -x /usr/bin/runsvdir ] || { echo "bench: container: C runit not installed; skipped"; exit 0; }
[ "$(id -u)" = 0 ] && command -v unshare >/dev/null && [ -d /etc/runit ] ||
  { echo "bench: container: needs root, unshare and a directory /etc/runit to mount over; skipped"; exit 0; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

pss() { awk '/^Pss:/ { print $2 }' "/proc/$1/smaps_rollup" 2>/dev/null || echo 0; }

# start RUNIT BINDIR: starts a container's tree and prints "NSPID PID1" once the log has
# its line.
start() {
  local runit=$1 bindir=$2 d
  d=$(mktemp -d "$work/tree.XXXX")
  mkdir -p "$d/etc" "$d/service/s/log/main"
  printf '#!/bin/sh\nexit 0\n' >"$d/etc/1"
  printf '#!/bin/sh\nPATH=%s:/usr/bin:/bin\nexport PATH\nexec runsvdir -P %s/service\n' "$bindir" "$d" >"$d/etc/2"
  printf '#!/bin/sh\nexit 0\n' >"$d/etc/3"
  printf '#!/bin/sh\necho started\nexec sleep 1000\n' >"$d/service/s/run"
  printf '#!/bin/sh\nexec svlogd -tt ./main\n' >"$d/service/s/log/run"
  chmod +x "$d"/etc/[123] "$d/service/s/run" "$d/service/s/log/run"
  : >"$d/console"
  unshare --pid --fork --mount-proc --propagation private sh -c \
    'mount --bind "$1" /etc/runit && mount --bind "$2" /dev/console && exec "$3"' \
    sh "$d/etc" "$d/console" "$runit" </dev/null >/dev/null 2>&1 &
  local ns=$! pid1="" i
  for i in $(seq 100); do
    pid1=$(pgrep -P "$ns" | head -1)
    [ -n "$pid1" ] && grep -q started "$d/service/s/log/main/current" 2>/dev/null && break
    sleep 0.1
  done
  echo "$ns $pid1"
}

# measure PID1: prints "total pid1", the PSS in kB of every process of the container but
# the service, and of process 1.
measure() {
  local total=0 p
  for p in $(pgrep --ns "$1" -f . 2>/dev/null); do
    [ "$(cat /proc/$p/comm 2>/dev/null)" = sleep ] && continue
    total=$((total + $(pss "$p")))
  done
  echo "$total $(pss "$1")"
}

stop() { kill -KILL "$2" 2>/dev/null; wait "$1" 2>/dev/null; }

# once RUNIT BINDIR: a tree measured 2.5 s after it started (as the whole-tree measurement:
# the pool returns its start-up garbage after a second).
once() {
  local ns pid1
  read -r ns pid1 < <(start "$1" "$2")
  sleep 2.5
  measure "$pid1"
  stop "$ns" "$pid1"
}

linked=$work/linked
mkdir -p "$linked"
for b in runsvdir runsv svlogd; do ln -s "$bin/$b" "$linked/$b"; done
ln -s "$bin/runsvdir" "$linked/runit"
read -r to po < <(once "$bin/runit" "$bin")
read -r tl pl < <(once "$linked/runit" "$linked")
read -r tc pc < <(once /sbin/runit /usr/bin)
echo "bench: one-service container, total PSS (kB): ours $to, C $tc, ratio $(ratio "$to" "$tc")"
echo "bench: the same, runit linked to runsvdir's program as in the example image (kB): ours $tl, C $tc, ratio $(ratio "$tl" "$tc")"
echo "bench: process 1 (runit) PSS (kB): ours $po (linked: $pl), C $pc, ratio $(ratio "$po" "$pc")"

# The linked tree and C's side by side again, measured after BENCH_LATER seconds (see
# supervise.sh: a Go process that has collected keeps more than at its start).
later=${BENCH_LATER:-250}
read -r nso p1o < <(start "$linked/runit" "$linked")
read -r nsc p1c < <(start /sbin/runit /usr/bin)
sleep "$later"
read -r tl pl < <(measure "$p1o")
read -r tc pc < <(measure "$p1c")
stop "$nso" "$p1o"
stop "$nsc" "$p1c"
echo "bench: the same linked container after $later s (kB): ours $tl, C $tc, ratio $(ratio "$tl" "$tc")"
