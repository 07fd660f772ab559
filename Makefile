# Tsunagu: `make run` serves the API with demo data, `make test` runs every test.
# Both install what the machine lacks (PostgreSQL and PgBouncer, and for the POS app's
# browser tests Chromium with a Japanese font, from apt; axe-core from npm) and need
# nothing else.

SHELL   := /bin/bash
GO      ?= go
SUDO    := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PG_INITDB := $(wildcard /usr/lib/postgresql/*/bin/initdb)
# The fault test through a connection pooler starts Debian's PgBouncer.
PGBOUNCER := $(wildcard /usr/sbin/pgbouncer)
# The POS app's end-to-end tests drive Debian's Chromium; the font renders Japanese.
BROWSER := $(and $(wildcard /usr/bin/chromium),$(wildcard /usr/share/fonts/opentype/ipafont-gothic/ipag.ttf))
NPM     := $(shell command -v npm)

.PHONY: all deps run test test-short fuzz bench generate vet fmt check

all: test

## deps: install the system packages the project needs when they are missing.
deps:
ifeq ($(PG_INITDB),)
	@echo "PostgreSQL binaries not found: installing them with apt-get"
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq postgresql
endif
ifeq ($(PGBOUNCER),)
	@echo "PgBouncer not found: installing it with apt-get (the fault test through a pooler)"
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq pgbouncer
endif
ifeq ($(BROWSER),)
	@echo "Chromium or the IPA Gothic font not found: installing them with apt-get (POS browser tests)"
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium fonts-ipafont-gothic
endif
ifeq ($(NPM),)
	@echo "npm not found: installing Node.js and npm with apt-get (for axe-core)"
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq nodejs npm
endif
	@$(MAKE) -s --no-print-directory $(POSWEB)/node_modules/.package-lock.json

## node_modules: axe-core for the POS app's accessibility checks, as its package-lock.json pins it.
POSWEB := internal/posweb
$(POSWEB)/node_modules/.package-lock.json: $(POSWEB)/package.json $(POSWEB)/package-lock.json
	npm ci --prefix $(POSWEB) --no-audit --no-fund
	@touch $@

## run: migrate, load the demo network and serve the API with GraphiQL on http://localhost:8080.
## Card payments go to stripe-mock (Stripe's mock server, a Go tool of the module) on
## loopback, started here and stopped with the server; POST signed events to
## /webhooks/stripe with the secret below to drive payments. No publishable key:
## Stripe.js talks only to Stripe, never to stripe-mock, so the storefront's page to
## pay offers a test payment instead, which posts that signed event to the server's
## own webhook (dev mode with stripe-mock only). E-mail goes to mailpit
## (also a Go tool of the module), whose web page shows every message sent.
STRIPE_MOCK_ADDR ?= 127.0.0.1:12111
MAILPIT_SMTP_ADDR ?= 127.0.0.1:1025
MAILPIT_WEB_ADDR ?= 127.0.0.1:8025
run: deps
	@mock=$$($(GO) tool -n stripe-mock) || exit 1; mailpit=$$($(GO) tool -n mailpit) || exit 1; \
	$$mock -http-addr $(STRIPE_MOCK_ADDR) -https-addr 127.0.0.1:0 >/dev/null & pid=$$!; \
	$$mailpit --smtp $(MAILPIT_SMTP_ADDR) --listen $(MAILPIT_WEB_ADDR) --quiet --disable-version-check \
	  --smtp-disable-rdns & mpid=$$!; trap 'kill $$pid $$mpid 2>/dev/null' EXIT INT TERM; \
	echo "E-mail sent by the server: mailpit at http://$(MAILPIT_WEB_ADDR)/"; \
	STRIPE_SECRET_KEY=sk_test_tsunagudev STRIPE_API_BASE=http://$(STRIPE_MOCK_ADDR) \
	STRIPE_WEBHOOK_SECRET=whsec_tsunagu_dev SMTP_URL='smtp://$(MAILPIT_SMTP_ADDR)?tls=none' \
	MAIL_FROM='Tsunagu <noreply@tsunagu.localhost>' TSUNAGU_DEV=1 $(GO) run ./cmd/tsunagu -demo

## test: the whole suite, with the race detector, against real PostgreSQL.
test: deps
	$(GO) test -race -count=1 -timeout 20m ./...

## test-short: the suite without the slow checks (regenerating code).
test-short: deps
	$(GO) test -short -count=1 ./...

## fuzz: run every fuzz target for FUZZTIME each (their seeds already run in `make test`).
## A count (e.g. 50000x) rather than a duration: Go 1.26's fuzz coordinator can fail a
## duration-bounded run with "context deadline exceeded" as it stops (go.dev/issue/75804).
FUZZTIME ?= 200000x
FUZZ_PKGS := ./internal/tsunagu ./graph/gid ./graph
fuzz:
	@set -eo pipefail; for pkg in $(FUZZ_PKGS); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
	    echo "fuzz $$pkg $$f ($(FUZZTIME))"; \
	    $(GO) test -run '^$$' -fuzz "^$$f\$$" -fuzztime $(FUZZTIME) -parallel 2 $$pkg | grep -v '^fuzz: elapsed'; \
	  done; \
	done

## bench: the API, with the catalog cache off and on, against the minimal SQL on a large
## dataset of its own (a few minutes), then the settlement close of every month of its
## year at all 100 shops beside the minimal SQL; BENCH_FLAGS passes flags, e.g.
## -scale 10000,100000, or -only "settlement close" for the close alone.
BENCH_FLAGS ?=
bench: deps
	$(GO) run ./cmd/bench $(BENCH_FLAGS)

## generate: regenerate the GraphQL code after changing schema.graphqls or gqlgen.yml.
generate:
	$(GO) tool gqlgen generate

## check: what to run before a commit.
check: fmt vet
	duplicates --change || true

fmt:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (gofmt -l $$(git ls-files '*.go'); echo "run gofmt -w"; exit 1)

vet:
	$(GO) vet ./...
