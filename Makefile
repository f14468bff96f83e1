# Engram: `make run` serves a seeded demo, `make test` runs every check.
# Both install what is missing first, from the package registries only.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

CARGO_LEPTOS_VERSION := 0.3.10
WASM_BINDGEN_VERSION := 0.2.129
SQLX_CLI_VERSION := 0.8.6
LEPTOSFMT_VERSION := 0.1.33

CARGO_TARGET := $(or $(CARGO_TARGET_DIR),$(CURDIR)/target)

# The wasm names the source files of its panic locations. Written as the
# folders this checkout and cargo's downloads happen to be in, they would
# make the shipped code differ with the machine and the folder it was built
# in (the build user's home included), by a few hundred bytes a page:
# enough to move a page across its size ceiling. Both are written relative
# instead (cargo-leptos adds this target's flags to its own).
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS := \
	--remap-path-prefix=$(CURDIR)/= --remap-path-prefix=$(or $(CARGO_HOME),$(HOME)/.cargo)/registry/src/=
SERVER_DEBUG := $(CARGO_TARGET)/debug/server
STAGE := scripts/stage
# The test cluster is throw-away and runs without fsync.
TEST_DATA_DIR := $(CURDIR)/.engram-test

.PHONY: help
help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

# What cargo-leptos tells the server binary about the site it built.
SITE_ENV := LEPTOS_OUTPUT_NAME=engram LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg \
	LEPTOS_HASH_FILES=true LEPTOS_ENV=PROD LEPTOS_SITE_ADDR=127.0.0.1:3000

.PHONY: run
run: build ## Build in release mode and serve the seeded demo on http://127.0.0.1:3000
	env ENGRAM_SEED_DEMO=true $(SITE_ENV) $(CARGO_TARGET)/release/server

.PHONY: dev
dev: tools ## Rebuild and reload on every change (debug build)
	@# cargo-leptos builds only the main stylesheet, and empties the site's
	@# folder whenever it builds the app: the card stylesheet is built again
	@# each time it has gone (the server looks for it until it is there).
	while sleep 1; do ls target/site/pkg/cards.*.css >/dev/null 2>&1 || \
		node scripts/build-card-styles.mjs target/site >/dev/null 2>&1 || true; done & \
	trap 'kill $$!' EXIT; ENGRAM_SEED_DEMO=true cargo leptos watch

.PHONY: build
build: tools ## Release build of the server, the wasm bundle and the service worker
	@# The split build names its chunks by content: clear the last build's,
	@# so that neither the server nor the service worker's precache keeps them.
	rm -rf target/site/pkg
	cargo leptos build --release --precompress --split
	scripts/finish-site target/site

.PHONY: test
test: tools test-tools ## Every check: formatting, lints, unit, database, API and browser tests
	$(STAGE) "rustfmt" cargo fmt --all --check
	$(STAGE) "leptosfmt" leptosfmt --check app/src
	$(STAGE) "clippy (server, ssr)" cargo clippy --locked -p app -p server --features app/ssr --all-targets -- -D warnings
	$(STAGE) "clippy (browser, hydrate)" cargo clippy --locked -p frontend --target wasm32-unknown-unknown -- -D warnings
	$(STAGE) "build test database tool" cargo build --locked -p server
	$(STAGE) "database-backed checks" env ENGRAM_DATA_DIR=$(TEST_DATA_DIR) \
		$(SERVER_DEBUG) with-database --unsafe-fast --fresh-database -- $(MAKE) --no-print-directory test-with-database

# Runs inside `server with-database`, which provides DATABASE_URL.
.PHONY: test-with-database
test-with-database:
	$(STAGE) "sqlx prepare --check" cargo sqlx prepare --workspace --check -- --locked
	@# A bound, so that a hung test fails the run in minutes rather than at CI's limit.
	$(STAGE) "unit, database and API tests" timeout --kill-after=10 900 cargo test --locked --workspace --exclude frontend
	$(STAGE) "FSRS cross-check with py-fsrs" scripts/fsrs-crosscheck --server $(SERVER_DEBUG)
	$(STAGE) "end-to-end admin account" env ENGRAM_ADMIN_PASSWORD=engram-e2e-admin \
		$(SERVER_DEBUG) create-admin --email admin@engram.test --name "Engram Admin"
	@# The release site served by the debug server built above (see
	@# scripts/end-to-end). No backtrace from the server when a test fails,
	@# so that the end of the log is Playwright's list of failed tests. Every
	@# test browser signs up from 127.0.0.1, so the per-address sign-up limit
	@# is lifted (the API tests check it).
	$(STAGE) "end-to-end (release site, debug server, Chromium)" env ENGRAM_SEED_DEMO=true ENGRAM_REGISTER_MAX_PER_IP=100000 \
		RUST_BACKTRACE=0 RUST_LIB_BACKTRACE=0 SERVER=$(SERVER_DEBUG) \
		scripts/end-to-end

.PHONY: seed-large
seed-large: build ## Add 1,000 public decks with 1,000,000 cards to the local database (about a minute)
	RUST_LOG=$${RUST_LOG:-error} $(CARGO_TARGET)/release/server seed-large

.PHONY: bench
bench: tools ## Criterion benchmarks of note rendering and scheduling, then a load test of the release server with the large data set (needs wrk and valgrind)
	cargo bench --locked -p app --features ssr --bench rendering
	cargo bench --locked -p app --bench scheduling
	scripts/bench-figures scheduler replay queue
	scripts/bench-load
	scripts/bench-instructions
	scripts/bench-reviews
	scripts/bench-study-paint
	scripts/bench-pwa
	scripts/bundle-size

.PHONY: fmt
fmt: ## Format Rust and view! macros
	cargo fmt --all
	leptosfmt app/src

.PHONY: sqlx-prepare
sqlx-prepare: test-tools ## Refresh the committed .sqlx query cache after changing a query
	cargo build -p server
	@# `underway` (the job queue) checks its own queries against the database
	@# too, and the cache must hold them; a dependency already built is not
	@# checked again, and its queries would be dropped from the cache.
	cargo clean --quiet -p underway
	ENGRAM_DATA_DIR=$(TEST_DATA_DIR) $(SERVER_DEBUG) with-database --unsafe-fast -- cargo sqlx prepare --workspace

# Tools for building and serving. Each is skipped when the right version is there.
.PHONY: tools
tools:
	@rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
	@cargo leptos --version 2>/dev/null | grep -qx "cargo-leptos $(CARGO_LEPTOS_VERSION)" || \
		cargo install --locked --debug cargo-leptos@$(CARGO_LEPTOS_VERSION) --features no_downloads
	@wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $(WASM_BINDGEN_VERSION)" || \
		cargo install --locked wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION)
	@# `npm install` rather than `npm ci`: npm 11 writes lock files without the
	@# other platforms' optional packages, which `npm ci` then refuses.
	@[ node_modules/.package-lock.json -nt package-lock.json ] || npm install --no-audit --no-fund
	@scripts/check-postgres

# Tools only the checks need.
.PHONY: test-tools
test-tools:
	@sqlx --version 2>/dev/null | grep -qx "sqlx-cli $(SQLX_CLI_VERSION)" || \
		cargo install --locked --debug sqlx-cli --version $(SQLX_CLI_VERSION) --no-default-features --features postgres,rustls
	@leptosfmt --version 2>/dev/null | grep -qx "leptosfmt $(LEPTOSFMT_VERSION)" || \
		cargo install --locked --debug leptosfmt --version $(LEPTOSFMT_VERSION)
	@command -v chromium >/dev/null || scripts/install-chromium
	@# py-fsrs, at the version pinned in scripts/fsrs-crosscheck, in .venv-test/
	@# from PyPI (skipped when that version is there).
	@python3 -c 'import ensurepip, venv' 2>/dev/null || scripts/install-python-venv
	@scripts/fsrs-crosscheck --install-only
	@# aiosmtpd, the SMTP server the password-reset tests send real mail to,
	@# at the version pinned in scripts/smtp-sink, in the same .venv-test/.
	@scripts/smtp-sink --install-only

.PHONY: clean-data
clean-data: ## Delete the local databases (demo and test data)
	rm -rf .engram .engram-test .engram-bench
