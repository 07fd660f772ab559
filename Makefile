# Tsunagu: `make run` serves the API with demo data, `make test` runs every test.
# Both install what the machine lacks (PostgreSQL from apt) and need nothing else.

SHELL   := /bin/bash
GO      ?= go
SUDO    := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PG_INITDB := $(wildcard /usr/lib/postgresql/*/bin/initdb)

.PHONY: all deps run test test-short fuzz bench generate vet fmt check

all: test

## deps: install the system packages the project needs when they are missing.
deps:
ifeq ($(PG_INITDB),)
	@echo "PostgreSQL binaries not found: installing them with apt-get"
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq postgresql
endif

## run: migrate, load the demo network and serve the API with GraphiQL on http://localhost:8080.
run: deps
	TSUNAGU_DEV=1 $(GO) run ./cmd/tsunagu -demo

## test: the whole suite, with the race detector, against real PostgreSQL.
test: deps
	$(GO) test -race -count=1 -timeout 20m ./...

## test-short: the suite without the slow checks (regenerating code).
test-short: deps
	$(GO) test -short -count=1 ./...

## fuzz: run every fuzz target for FUZZTIME each (their seeds already run in `make test`).
FUZZTIME ?= 5s
FUZZ_PKGS := ./internal/tsunagu ./graph/gid
fuzz:
	@set -eo pipefail; for pkg in $(FUZZ_PKGS); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
	    echo "fuzz $$pkg $$f ($(FUZZTIME))"; \
	    $(GO) test -run '^$$' -fuzz "^$$f\$$" -fuzztime $(FUZZTIME) -parallel 2 $$pkg | grep -v '^fuzz: elapsed'; \
	  done; \
	done

## bench: the API against the minimal SQL on a large dataset of its own (a few minutes).
bench: deps
	$(GO) run ./cmd/bench

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
