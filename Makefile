# runit in Go. See README.md. Every target works on a fresh clone.
GO        ?= go
PREFIX    ?= /usr/local
DESTDIR   ?=
BIN       := bin
export GOTOOLCHAIN := local
export CGO_ENABLED := 0
# Where sv looks up a bare service name when SVDIR is unset: a build setting, as for C sv.
# Upstream's /service/ by default; Debian uses /etc/service/ (make deb builds its sv so),
# Void and the FreeBSD port /var/service/. A path without spaces or quotes.
SVDIR_DEFAULT ?= /service/
goflags = -trimpath -ldflags '-s -w -X github.com/runit-go/runit/core/sv.DefaultSvDir=$(1)'
GOFLAGS_BUILD := $(call goflags,$(SVDIR_DEFAULT))

.PHONY: all build test vet lint cross run bench install clean fuzz deb

all: build

## build: every tool into bin/, static.
build:
	@mkdir -p $(BIN)
	$(GO) build $(GOFLAGS_BUILD) -o $(BIN)/ ./cmd/...

## test: lint, vet, unit and end-to-end tests (differential against C runit when installed).
test: build lint
	$(GO) test -count=1 -timeout 25m ./...

vet:
	$(GO) vet ./...

## lint: gofmt, go vet, staticcheck (installed from the module proxy on first use).
lint: vet
	@ci/lint.sh

## cross: build and vet for every supported OS/architecture.
cross:
	@ci/cross.sh

## run: a user-level supervision tree on examples/; Ctrl-C stops it cleanly.
run: build
	@examples/run.sh

## bench: speed and memory side by side with C runit, as ratios.
bench: build
	@ci/bench.sh

## fuzz: a short fuzzing pass over every parser (seed corpora live in testdata/).
fuzz:
	@ci/fuzz.sh

install: build
	@ci/install.sh "$(DESTDIR)" "$(PREFIX)" "$(BIN)"

## deb: Debian packages runit-go and runit-go-init into bin/, their sv built with Debian's /etc/service/.
deb: build
	@mkdir -p $(BIN)/debian
	$(GO) build $(call goflags,/etc/service/) -o $(BIN)/debian/sv ./cmd/sv
	@SV=$(BIN)/debian/sv ci/deb.sh $(BIN) $(BIN)

clean:
	rm -rf $(BIN)
