# digest – the two commands that matter: `make demo` and `make test`.
# Both install what is missing (Debian packages with apt-get, Python test tools with pip) before building.

SWIFT        ?= swift
APT_PACKAGES := libcurl4-openssl-dev libsqlite3-dev libxml2-dev openssl ca-certificates
TEST_APT     := chromium fonts-dejavu-core
PIP_PACKAGES := aiosmtpd pytest dkimpy pynacl feedparser icalendar recurring-ical-events
DEMO_NOW     ?= 2026-12-01T08:00:00+01:00
SUDO         := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
BIN          := .build/debug/digest
# The build to install and to time: optimised, the Swift runtime and Foundation linked in (its calls are direct, not
# through the dynamic linker's tables: 8% less CPU on a large feed's collect, 7 ms less start-up for every command).
RELEASE      := -c release --static-swift-stdlib

.PHONY: all deps pydeps build release demo test unit integration conformance lint format golden bench clean

all: build

## deps: install the Debian packages the build needs, if any is missing
deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

## pydeps: install the Python tools (and the headless browser) the tests use, if any is missing
pydeps:
	@missing=""; for p in $(TEST_APT); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi
	@python3 -c "import aiosmtpd, pytest, dkim, nacl, feedparser, icalendar, recurring_ical_events" 2>/dev/null || python3 -m pip install -q --disable-pip-version-check $(PIP_PACKAGES)

build: deps
	$(SWIFT) build

## release: the binary to install, .build/release/digest (copy it to /usr/local/bin)
release: deps
	$(SWIFT) build $(RELEASE) --product digest

## demo: send the example digests into the Maildir outbox/ and write the preview
demo: build
	@rm -rf outbox preview .digest
	DIGEST_UNSUBSCRIBE_SECRET=demo-secret-not-for-production $(BIN) check
	DIGEST_UNSUBSCRIBE_SECRET=demo-secret-not-for-production $(BIN) send --now $(DEMO_NOW)
	DIGEST_UNSUBSCRIBE_SECRET=demo-secret-not-for-production $(BIN) preview --now $(DEMO_NOW) --out preview
	@echo
	@echo "Messages: $$(ls outbox/new | wc -l) in outbox/new/ (open them with any mail program, or: less outbox/new/*)"
	@echo "Preview:  preview/index.html (a page, .digest.html, .txt and .eml per subscriber; or: $(BIN) preview --serve --now $(DEMO_NOW))"

## test: lint, build everything once, run the Swift tests and the integration tests
test: deps pydeps lint
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	python3 -m pytest -q Tests/Integration

unit: deps
	$(SWIFT) test

integration: deps pydeps
	$(SWIFT) build
	python3 -m pytest -q Tests/Integration

## conformance: digest against the peers' own corpora (feedparser, icalendar, recurring-ical-events sdists, downloaded
## into a temporary folder); skips with one line when the package index cannot be reached (Tests/Conformance/README.md)
conformance: build pydeps
	python3 Tests/Conformance/conformance.py --digest $(BIN)

## lint: fail on any swift-format finding (configuration in .swift-format)
lint:
	$(SWIFT) format lint --strict --recursive Package.swift Sources Tests Benchmarks/Sources

## format: rewrite the sources in the house style
format:
	$(SWIFT) format --in-place --recursive Package.swift Sources Tests Benchmarks/Sources

## golden: re-record the golden digests (review the diff before committing)
golden: build
	DIGEST_RECORD_GOLDEN=1 $(SWIFT) test --filter "GoldenDigestTests|GoldenCaseTests"

## bench: run the benchmarks beside their Python peers and print the table (see Benchmarks/README.md);
## `make bench BENCH="render smtp"` runs only those
bench: deps
	bash Benchmarks/run.sh $(BENCH)

clean:
	rm -rf .build outbox preview .digest
