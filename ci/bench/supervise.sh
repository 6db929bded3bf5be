#!/usr/bin/env bash
# Supervisors: restart latency after kill -9, PSS per service and bring-up time for 100 and
# 500 services, ours (default in-process mode) against C runit, daemontools (restart) and s6
# (bring-up, PSS), in the same run.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=$PWD/bin
ccbin=/usr/bin
[ -x $ccbin/runsv ] || { echo "bench: supervise: C runit not installed (apt-get install runit); skipped"; exit 0; }
tool=$(mktemp -d)/benchtool
trap 'rm -rf "$(dirname "$tool")"' EXIT
go build -o "$tool" ./ci/benchtool
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

# daemontools' supervise, the fastest peer at restarting, is unpacked from its Debian
# package rather than installed: it conflicts with runit's packages.
peer=$(dirname "$tool")/peer
dt=""
if [ -x /usr/bin/supervise ]; then
  dt=/usr/bin/supervise
elif (cd "$(dirname "$tool")" && apt-get download daemontools >/dev/null 2>&1) &&
     dpkg-deb -x "$(dirname "$tool")"/daemontools_*.deb "$peer"; then
  dt=$peer/usr/bin/supervise
else
  echo "bench: restart: daemontools could not be fetched (apt-get download daemontools); compared with C runit only"
fi
# s6 runs its helpers by absolute path, so it is installed (it conflicts with nothing).
s6=""
if [ ! -x /usr/bin/s6-svscan ] && [ "$(id -u)" = 0 ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq s6 >/dev/null 2>&1 || true
fi
if [ -x /usr/bin/s6-svscan ]; then
  s6=/usr/bin/s6-svscan
else
  echo "bench: bring-up: s6 is not installed (apt-get install s6); compared with C runit only"
fi
min2() { awk -v a="$1" -v b="$2" 'BEGIN { print (a < b) ? a : b }'; }
median3() { printf '%s\n' "$@" | sort -g | sed -n 2p; }
# Three interleaved rounds of 15 restarts each; the median round is reported. Where
# supervise/ lives matters: on a disk file system (the default temporary directory here,
# ext4) each status replacement costs a data flush, on tmpfs (/run, /dev/shm) it is nearly
# free and the supervisor's own latency shows.
restarts() { # LABEL: with TMPDIR as the caller set it
  local ro=() rc=() rd=() so=() sc=() ours c
  for _ in 1 2 3; do
    ro+=("$("$tool" restart "$bin/runsv")")
    rc+=("$("$tool" restart "$ccbin/runsv")")
    if [ -n "$dt" ]; then rd+=("$("$tool" restart "$dt")"); fi
    # The default configuration: the service under runsvdir (ours supervises in-process).
    so+=("$(PATH=$bin:$PATH "$tool" restart-scan "$bin/runsvdir")")
    sc+=("$(PATH=$ccbin:$PATH "$tool" restart-scan "$ccbin/runsvdir")")
  done
  ours=$(median3 "${ro[@]}") c=$(median3 "${rc[@]}")
  echo "bench: restart after kill -9 ($1, runsv, median ms): ours $ours, C $c, ratio $(ratio "$ours" "$c")"
  if [ -n "$dt" ]; then
    c=$(median3 "${rd[@]}")
    echo "bench: restart after kill -9 ($1, runsv, median ms): ours $ours, daemontools $c, ratio $(ratio "$ours" "$c")"
  fi
  ours=$(median3 "${so[@]}") c=$(median3 "${sc[@]}")
  echo "bench: restart after kill -9 ($1, under runsvdir, median ms): ours $ours, C $c, ratio $(ratio "$ours" "$c")"
}
restarts "$(df --output=fstype "${TMPDIR:-/tmp}" | tail -n1)"
if [ -d /dev/shm ]; then TMPDIR=/dev/shm restarts tmpfs; fi

for n in 100 500; do
  best_o=999 best_c=999 pss_o=0 pss_c=0
  for _ in 1 2 3; do
    read -r t p < <(PATH=$bin:$PATH "$tool" bringup "$bin/runsvdir" "$n")
    best_o=$(min2 "$t" "$best_o"); pss_o=$p
    read -r t p < <(PATH=$ccbin:$PATH "$tool" bringup "$ccbin/runsvdir" "$n")
    best_c=$(min2 "$t" "$best_c"); pss_c=$p
  done
  echo "bench: bring-up of $n services (best of 3, s): ours $best_o, C $best_c, ratio $(ratio "$best_o" "$best_c")"
  echo "bench: supervisor PSS per service, $n services (kB): ours $pss_o, C $pss_c, ratio $(ratio "$pss_o" "$pss_c")"
  if [ -n "$s6" ]; then
    best_s=999 pss_s=0
    for _ in 1 2 3; do
      read -r t p < <("$tool" bringup-s6 "$s6" "$n")
      best_s=$(min2 "$t" "$best_s"); pss_s=$p
    done
    echo "bench: bring-up of $n services (best of 3, s): ours $best_o, s6 $best_s, ratio $(ratio "$best_o" "$best_s")"
    echo "bench: supervisor PSS per service, $n services (kB): ours $pss_o, s6 $pss_s, ratio $(ratio "$pss_o" "$pss_s")"
  fi
done

# The whole tree as distributions ship it: every service with a log service (log/run:
# exec svlogd -tt ./main). PSS of runsvdir, supervisors, svlogd processes and (ours) the
# logger pool, per service; and the total for one service, a container's tree (process 1
# not counted). Then each program's share: ours runsvdir, its host (runsvdir-host) and the
# logger pool (svlogd-pool); C's runsvdir, runsv and svlogd processes.
for n in 1 20 100 500; do
  read -r _ po to progo < <(BENCH_POOLED=1 PATH=$bin:$PATH "$tool" bringup-log "$bin/runsvdir" "$n")
  read -r _ pc tc progc < <(PATH=$ccbin:$PATH "$tool" bringup-log "$ccbin/runsvdir" "$n")
  if [ "$n" = 1 ]; then
    echo "bench: whole tree PSS, one service with a log service (kB): ours $to, C $tc, ratio $(ratio "$to" "$tc")"
  else
    echo "bench: whole tree PSS per service with a log service each, $n services (kB): ours $po, C $pc, ratio $(ratio "$po" "$pc")"
  fi
  echo "bench: PSS by program, $n services (kB): ours ${progo//,/ }; C ${progc//,/ }"
done

# The same 20-service trees, ours and C's side by side, measured again after four minutes:
# a Go process keeps more after its first collections (the runtime forces one every two
# minutes once it has collected at all) than right after its start; C's stays as it was.
# Then what any idle Go process costs here of its own (see benchtool's floor).
later=${BENCH_LATER:-250}
out=$(dirname "$tool")
BENCH_POOLED=1 BENCH_LATER=$later PATH=$bin:$PATH "$tool" bringup-log "$bin/runsvdir" 20 >"$out/later-ours" &
BENCH_LATER=$later PATH=$ccbin:$PATH "$tool" bringup-log "$ccbin/runsvdir" 20 >"$out/later-c" &
wait
read -r _ po0 _ < "$out/later-ours"
read -r _ po _ progo < <(sed -n 2p "$out/later-ours")
read -r _ pc _ progc < <(sed -n 2p "$out/later-c")
echo "bench: whole tree PSS per service with a log service each, 20 services, after $later s (kB): ours $po (at the start $po0), C $pc, ratio $(ratio "$po" "$pc")"
echo "bench: PSS by program, 20 services, after $later s (kB): ours ${progo//,/ }; C ${progc//,/ }"
read -r f0 f4 < <("$tool" floor)
echo "bench: an idle Go process's own memory (anonymous PSS, kB): $f0 as started, $f4 after four collections"
