# The README's commands. Each installs missing Debian packages first (scripts/install-deps.sh).
#   make run     build the daemon only and start it on 127.0.0.1:8080 with SQLite (no database
#                server), so a first start does not wait for the tests and benchmarks to compile
#   make test    build everything and run every test, on SQLite and on a throwaway MariaDB
#   make check   the quality gates: clang-format, clang-tidy, tests under ASan+UBSan and TSan
#                (build-asan/, build-tsan/; about 15 minutes the first time, see .ci/run)
#   make build   configure and build everything into build/
#   make bench   build and run the benchmarks in bench/ against cp, rsync, ... (bench/README.md)
#   make deb     build the Debian package into build/packages/ (docs/deploy-vm.md)
#   make pipeline  as root: container image -> private registry -> deploy -> backup over HTTP
#                  from a second network namespace (scripts/pipeline-test.sh, about 2 minutes)

BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
CTEST_PARALLEL ?= 2

.PHONY: build configure daemon run test check bench deb pipeline deps clean

deps:
	@scripts/install-deps.sh

configure: deps
	@cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) >/dev/null

build: configure
	@cmake --build $(BUILD_DIR)

# The daemon alone: what `make run` needs.
daemon: configure
	@cmake --build $(BUILD_DIR) --target backupd

run: daemon
	@mkdir -p var/sources var/backups
	exec $(BUILD_DIR)/bin/backupd serve --listen 127.0.0.1:8080 --database sqlite:var/backupd.db \
	  --source-root var/sources --backup-root var/backups

test: build
	scripts/with-mariadb.sh ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(CTEST_PARALLEL)

check: build
	scripts/check-format.sh
	BUILD_DIR=$(BUILD_DIR) scripts/check-tidy.sh
	scripts/test-sanitizers.sh

bench: build
	bash bench/run.sh

deb:
	BUILD_DIR=$(BUILD_DIR) BUILD_TYPE=$(BUILD_TYPE) scripts/package.sh

pipeline:
	scripts/pipeline-test.sh

clean:
	rm -rf $(BUILD_DIR) build-asan build-tsan
