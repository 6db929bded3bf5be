#!/usr/bin/env bash
# Supervisors: restart latency after kill -9, PSS per service and bring-up time for 100 and
# 500 services, ours (default in-process mode) against C runit, in the same run.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=$PWD/bin
ccbin=/usr/bin
[ -x $ccbin/runsv ] || { echo "bench: supervise: C runit not installed (apt-get install runit); skipped"; exit 0; }
tool=$(mktemp -d)/benchtool
trap 'rm -rf "$(dirname "$tool")"' EXIT
go build -o "$tool" ./ci/benchtool
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

ours=$("$tool" restart "$bin/runsv")
c=$("$tool" restart "$ccbin/runsv")
echo "bench: restart after kill -9 (median ms): ours $ours, C $c, ratio $(ratio "$ours" "$c")"
if [ -x /usr/bin/supervise ]; then # daemontools, the fastest peer at restarting
  dt=$("$tool" restart /usr/bin/supervise)
  echo "bench: restart after kill -9 (median ms): ours $ours, daemontools $dt, ratio $(ratio "$ours" "$dt")"
fi

for n in 100 500; do
  best_o=999 best_c=999 pss_o=0 pss_c=0
  for round in 1 2 3; do
    read -r t p < <(PATH=$bin:$PATH "$tool" bringup "$bin/runsvdir" "$n")
    best_o=$(awk -v a="$t" -v b="$best_o" 'BEGIN { print (a < b) ? a : b }'); pss_o=$p
    read -r t p < <(PATH=$ccbin:$PATH "$tool" bringup "$ccbin/runsvdir" "$n")
    best_c=$(awk -v a="$t" -v b="$best_c" 'BEGIN { print (a < b) ? a : b }'); pss_c=$p
  done
  echo "bench: bring-up of $n services (best of 3, s): ours $best_o, C $best_c, ratio $(ratio "$best_o" "$best_c")"
  echo "bench: supervisor PSS per service, $n services (kB): ours $pss_o, C $pss_c, ratio $(ratio "$pss_o" "$pss_c")"
done
