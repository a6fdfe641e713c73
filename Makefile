# tether — build, run and test.
#
#   make build       build bin/tether (copies GOV.UK Frontend assets first)
#   make run         build, migrate, seed demo data if empty, serve
#   make test        install test deps, vet, gofmt check, race tests
#   make test-short  quick local tests (no race detector, -short)
#   make bench       benchmarks
#   make fuzz        every Fuzz* target for FUZZTIME each
#   make clean

GO ?= go
FUZZTIME ?= 10s

TETHER_DB ?= tether.db
TETHER_ADDR ?= 127.0.0.1:8080

# Never let the go command download a different toolchain.
export GOTOOLCHAIN := local
export TETHER_DB TETHER_ADDR

# Passed through to the tests when set (DSN from scripts/pg-start.sh);
# left unset otherwise so tests can tell "not configured" apart.
ifdef TETHER_TEST_POSTGRES
export TETHER_TEST_POSTGRES
endif

.PHONY: all assets build run test-deps vet fmt-check test test-short bench fuzz clean distclean

all: build

assets:
	scripts/assets.sh

build: assets
	$(GO) build -o bin/tether ./cmd/tether

# The demo prints posted letters as PDF files into print/ and sends them
# from inside serve; email and text messages wait in the outbox until
# GOV.UK Notify is configured (see bin/tether dispatch -h).
run: build
	bin/tether migrate
	bin/tether demo --if-empty
	mkdir -p print
	TETHER_POST_CHANNEL=$${TETHER_POST_CHANNEL:-print} TETHER_PRINT_DIR=$${TETHER_PRINT_DIR:-print} \
		TETHER_DISPATCH=$${TETHER_DISPATCH:-true} bin/tether serve

test-deps:
	scripts/test-deps.sh

vet:
	$(GO) vet ./...

# Lists unformatted files and fails if there are any. Uses the files git knows
# about (tracked plus untracked-but-not-ignored), so node_modules is skipped.
fmt-check:
	@files="$$( { git ls-files --cached --others --exclude-standard -- '*.go' 2>/dev/null || \
		find . -name '*.go' -not -path './node_modules/*' -not -path './.git/*'; } | \
		while read -r f; do [ -f "$$f" ] && printf '%s\n' "$$f"; done)"; \
	[ -z "$$files" ] && exit 0; \
	bad="$$(printf '%s\n' "$$files" | xargs gofmt -l)"; \
	if [ -n "$$bad" ]; then \
		echo "gofmt: these files are not formatted (run gofmt -w):"; \
		printf '  %s\n' $$bad; \
		exit 1; \
	fi; \
	echo "gofmt: ok"

test: test-deps
	$(MAKE) --no-print-directory vet
	$(MAKE) --no-print-directory fmt-check
	$(GO) test -race -count=1 ./...

test-short: assets
	$(GO) test -short -count=1 ./...

bench: assets
	$(GO) test -run='^$$' -bench=. -benchmem ./...

fuzz: assets
	GO="$(GO)" scripts/fuzz.sh "$(FUZZTIME)"

clean:
	rm -rf bin web/static/govuk web/static/.govuk.* coverage.out coverage.html coverage.txt cover.out *.coverprofile

distclean: clean
	rm -rf node_modules
