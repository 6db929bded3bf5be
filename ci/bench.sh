#!/usr/bin/env bash
# make bench: every ci/bench/*.sh, each printing "bench: WHAT: ours X, C Y, ratio Z" lines.
set -uo pipefail
cd "$(dirname "$0")/.."
status=0
for b in ci/bench/*.sh; do
  echo "== $b"
  bash "$b" || { echo "bench: $b failed"; status=1; }
done
exit $status
