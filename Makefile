# LiSA-Go. `make build` puts the tools in bin/; `make check-all` is the whole
# test suite (scripts/check installs its Debian packages first).
GO       ?= go
PREFIX   ?= /usr/local
DESTDIR  ?=
SBINDIR  ?= $(PREFIX)/sbin
SYSCONFDIR ?= /etc
UNITDIR  ?= /lib/systemd/system
XENSCRIPTDIR ?= $(SYSCONFDIR)/xen/scripts
FUZZTIME ?= 10s
VERSION  ?= 0.1.0-$(shell git describe --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -X github.com/lisa-go/lisa/switchd.Version=$(VERSION)
TOOLS    := lisad swcli swctl swcfgload swcfgsave

.PHONY: all build test test-race vet fmt-check fuzz bench bench-peers docs docs-check install uninstall clean check-all

all: build

build:
	@mkdir -p bin
	$(GO) build -ldflags '$(LDFLAGS)' -o bin/ $(foreach t,$(TOOLS),$(if $(wildcard cmd/$(t)),./cmd/$(t),))

test:
	$(GO) test -count=1 ./...

test-race:
	$(GO) test -race -count=1 -timeout 30m ./...

vet: fmt-check
	$(GO) vet ./...

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

# Every Fuzz* function runs for FUZZTIME (CI: a short fixed time).
fuzz:
	GO="$(GO)" scripts/fuzz $(FUZZTIME)

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

bench-peers: build
	scripts/bench-peers

docs: build
	bin/lisad --dump-commands > docs/commands.md
	bin/lisad --dump-config-classes > docs/config-classes.md

docs-check: build
	@bin/lisad --dump-commands | diff -u docs/commands.md - || { echo "docs/commands.md is stale: run make docs"; exit 1; }
	@bin/lisad --dump-config-classes | diff -u docs/config-classes.md - || { echo "docs/config-classes.md is stale: run make docs"; exit 1; }

# Every stage runs even when one fails; the summary ends with N passed, M failed.
check-all:
	GO="$(GO)" MAKE="$(MAKE)" FUZZTIME=$(FUZZTIME) scripts/suite

install: build
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(SYSCONFDIR)/lisa $(DESTDIR)$(SYSCONFDIR)/lisa/tags
	chmod 0700 $(DESTDIR)$(SYSCONFDIR)/lisa
	for t in $(TOOLS); do [ ! -x bin/$$t ] || install -m 0755 bin/$$t $(DESTDIR)$(SBINDIR)/$$t; done
	[ -e $(DESTDIR)$(SYSCONFDIR)/lisa/lisad.toml.example ] || bin/lisad --print-settings-example > $(DESTDIR)$(SYSCONFDIR)/lisa/lisad.toml.example
	[ ! -f xenhooks/Makefile ] || $(MAKE) -C xenhooks install DESTDIR=$(DESTDIR) SBINDIR=$(SBINDIR) SYSCONFDIR=$(SYSCONFDIR) UNITDIR=$(UNITDIR) XENSCRIPTDIR=$(XENSCRIPTDIR)

uninstall:
	for t in $(TOOLS); do rm -f $(DESTDIR)$(SBINDIR)/$$t; done
	[ ! -f xenhooks/Makefile ] || $(MAKE) -C xenhooks uninstall DESTDIR=$(DESTDIR) SYSCONFDIR=$(SYSCONFDIR) UNITDIR=$(UNITDIR) XENSCRIPTDIR=$(XENSCRIPTDIR)

clean:
	rm -rf bin
