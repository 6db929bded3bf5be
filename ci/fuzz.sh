#!/usr/bin/env bash
# make fuzz: run every Go fuzz target for FUZZTIME (default 15s) each. The seed corpora in
# each package's testdata/fuzz/ also run as plain tests in `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."
t=${FUZZTIME:-15s}
for pkg in $(go list ./...); do
  for f in $(go test -list '^Fuzz' "$pkg" 2>/dev/null | grep '^Fuzz' || true); do
    echo "fuzz: $pkg $f ($t)"
    go test -run '^$' -fuzz "^$f\$" -fuzztime "$t" "$pkg"
  done
done
