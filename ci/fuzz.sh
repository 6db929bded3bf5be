#!/usr/bin/env bash
# make fuzz: run every Go fuzz target for FUZZTIME (default 15s) each, then the generated
# differential runs against C runit (e2e TestGenDiff) with new seeds for
# RUNIT_GENDIFF_DURATION (default 2m; 0 skips them). The seed corpora in each package's
# testdata/fuzz/ and the seeds in e2e/testdata/gendiff/seeds also run in `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."
t=${FUZZTIME:-15s}
for pkg in $(go list ./...); do
  for f in $(go test -list '^Fuzz' "$pkg" 2>/dev/null | grep '^Fuzz' || true); do
    echo "fuzz: $pkg $f ($t)"
    go test -run '^$' -fuzz "^$f\$" -fuzztime "$t" "$pkg"
  done
done
d=${RUNIT_GENDIFF_DURATION:-2m}
if [ "$d" != 0 ]; then
  echo "fuzz: generated differential runs against C runit ($d; a failure prints its replay command)"
  RUNIT_GENDIFF_DURATION=$d go test -count=1 -timeout 0 -run '^TestGenDiff$' ./e2e/
fi
