#!/usr/bin/env bash
# gofmt and staticcheck must be clean. staticcheck comes from the module proxy, pinned.
set -euo pipefail
cd "$(dirname "$0")/.."
export GOTOOLCHAIN=local
bad=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go') 2>/dev/null || true)
if [ -n "$bad" ]; then echo "gofmt: these files need formatting:"; echo "$bad"; exit 1; fi
SC_VERSION=${SC_VERSION:-0.8.2}
sc=$(go env GOPATH)/bin/staticcheck
if ! "$sc" -version 2>/dev/null | grep -qF "($SC_VERSION)"; then
  go install "honnef.co/go/tools/cmd/staticcheck@v$SC_VERSION" 2>&1 || { echo "lint: staticcheck $SC_VERSION could not be installed"; exit 1; }
fi
"$sc" ./...
# The workflow for real macOS/BSD/illumos runners cannot run here; lint it instead.
AL_VERSION=${AL_VERSION:-1.7.12}
al=$(go env GOPATH)/bin/actionlint
if ! "$al" -version 2>/dev/null | grep -qxF "v$AL_VERSION"; then
  go install "github.com/rhysd/actionlint/cmd/actionlint@v$AL_VERSION" 2>&1 || { echo "lint: actionlint $AL_VERSION could not be installed"; exit 1; }
fi
"$al" .github/workflows/*.yml
echo "lint: ok"
