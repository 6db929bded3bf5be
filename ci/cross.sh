#!/usr/bin/env bash
# Build and vet for every OS runit-go supports (amd64 and arm64 where Go has both).
set -euo pipefail
cd "$(dirname "$0")/.."
export CGO_ENABLED=0 GOTOOLCHAIN=local
targets="linux/amd64 linux/arm64 freebsd/amd64 freebsd/arm64 openbsd/amd64 openbsd/arm64
netbsd/amd64 netbsd/arm64 darwin/amd64 darwin/arm64 solaris/amd64 illumos/amd64"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
fail=0
for t in $targets; do
  os=${t%/*} arch=${t#*/}
  if GOOS=$os GOARCH=$arch go build -o "$out/" ./cmd/... && GOOS=$os GOARCH=$arch go vet ./...; then
    echo "cross: ok   $os/$arch"
  else
    echo "cross: FAIL $os/$arch"; fail=1
  fi
  rm -rf "${out:?}"/*
done
exit $fail
