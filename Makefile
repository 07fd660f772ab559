# Tsunagu: `make run` serves the API with demo data, `make test` runs every test.
# Both install what the machine lacks (PostgreSQL from apt) and need nothing else.

GO      ?= go
SUDO    := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PG_INITDB := $(wildcard /usr/lib/postgresql/*/bin/initdb)

.PHONY: all deps run test test-short generate vet fmt check

all: test

## deps: install the system packages the project needs when they are missing.
deps:
ifeq ($(PG_INITDB),)
	@echo "PostgreSQL binaries not found: installing them with apt-get"
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq postgresql
endif

## run: migrate, load the demo network and serve the API with GraphiQL on http://localhost:8080.
## Card payments go to stripe-mock (Stripe's mock server, a Go tool of the module) on
## loopback, started here and stopped with the server; POST signed events to
## /webhooks/stripe with the secret below to drive payments.
STRIPE_MOCK_ADDR ?= 127.0.0.1:12111
run: deps
	@mock=$$($(GO) tool -n stripe-mock) || exit 1; \
	$$mock -http-addr $(STRIPE_MOCK_ADDR) -https-addr 127.0.0.1:0 >/dev/null & pid=$$!; trap 'kill $$pid' EXIT INT TERM; \
	STRIPE_SECRET_KEY=sk_test_stripe_mock STRIPE_API_BASE=http://$(STRIPE_MOCK_ADDR) \
	STRIPE_WEBHOOK_SECRET=whsec_tsunagu_dev TSUNAGU_DEV=1 $(GO) run ./cmd/tsunagu -demo

## test: the whole suite, with the race detector, against real PostgreSQL.
test: deps
	$(GO) test -race -count=1 -timeout 20m ./...

## test-short: the suite without the slow checks (regenerating code).
test-short: deps
	$(GO) test -short -count=1 ./...

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
