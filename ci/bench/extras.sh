#!/usr/bin/env bash
# Beyond runit: (1) how long after a service is ready `sv -w up` returns: ours with
# notification-fd (event-driven) against runit's way, a ./check script that C sv polls;
# (2) the cost of `sv --json` for 100 services against `sv status` for the same.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=$PWD/bin
[ -x /usr/bin/sv ] || { echo "bench: extras: C runit not installed; skipped"; exit 0; }
work=$(mktemp -d)
trap 'for d in "$work"/*/; do [ -p "$d/supervise/control" ] && printf dx > "$d/supervise/control" 2>/dev/null || true; done; sleep 0.5; rm -rf "$work"' EXIT
now() { date +%s%N; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.3f", a / b; else print "n/a" }'; }

# (1) readiness. The service becomes ready 0.3 s after it starts and notes the moment.
mk() { # mk DIR HOW
  mkdir -p "$1"; touch "$1/down"
  if [ "$2" = fd ]; then
    echo 3 > "$1/notification-fd"
    printf '#!/bin/sh\nsleep 0.3\ndate +%%s%%N > ready-at\necho >&3\nexec sleep 1000\n' > "$1/run"
  else
    printf '#!/bin/sh\nrm -f ready-at\nsleep 0.3\ndate +%%s%%N > ready-at\nexec sleep 1000\n' > "$1/run"
    printf '#!/bin/sh\ntest -e ready-at\n' > "$1/check"; chmod +x "$1/check"
  fi
  chmod +x "$1/run"
}
mk "$work/fd" fd
mk "$work/poll" poll
"$bin/runsv" "$work/fd" & "$bin/runsv" "$work/poll" &
for i in $(seq 1 100); do [ -p "$work/fd/supervise/ok" ] && [ -p "$work/poll/supervise/ok" ] && break; sleep 0.05; done
ours=0 c=0 n=5
for i in $(seq 1 $n); do
  "$bin/sv" -w 10 up "$work/fd" >/dev/null; t=$(now); r=$(cat "$work/fd/ready-at"); ours=$((ours + t - r))
  "$bin/sv" -w 10 down "$work/fd" >/dev/null
  /usr/bin/sv -w 10 up "$work/poll" >/dev/null; t=$(now); r=$(cat "$work/poll/ready-at"); c=$((c + t - r))
  /usr/bin/sv -w 10 down "$work/poll" >/dev/null
done
o=$(awk -v s=$ours -v n=$n 'BEGIN { printf "%.1f", s / n / 1e6 }')
p=$(awk -v s=$c -v n=$n 'BEGIN { printf "%.1f", s / n / 1e6 }')
echo "bench: sv up returns after readiness (mean ms): ours (notification-fd) $o, C sv polling ./check $p, ratio $(ratio "$o" "$p")"

# (2) sv --json for 100 services under our runsvdir.
mkdir -p "$work/tree"
for i in $(seq -w 1 100); do mkdir -p "$work/tree/s$i"; printf '#!/bin/sh\nexec sleep 1000\n' > "$work/tree/s$i/run"; chmod +x "$work/tree/s$i/run"; done
PATH=$bin:$PATH "$bin/runsvdir" "$work/tree" & rpid=$!
for i in $(seq 1 200); do [ "$("$bin/sv" status "$work"/tree/* 2>/dev/null | grep -c '^run:')" = 100 ] && break; sleep 0.05; done
t0=$(now); for i in 1 2 3 4 5; do "$bin/sv" --json "$work"/tree/* > /dev/null; done; t1=$(now)
for i in 1 2 3 4 5; do "$bin/sv" status "$work"/tree/* > /dev/null; done; t2=$(now)
j=$(awk -v d=$((t1 - t0)) 'BEGIN { printf "%.1f", d / 5 / 1e6 }')
s=$(awk -v d=$((t2 - t1)) 'BEGIN { printf "%.1f", d / 5 / 1e6 }')
echo "bench: status of 100 services (ms): sv --json $j, sv status $s, ratio $(ratio "$j" "$s")"
kill -HUP $rpid; wait $rpid 2>/dev/null || true
for i in $(seq 1 100); do pgrep -f "runsvdir-host $work/tree" >/dev/null || break; sleep 0.05; done
