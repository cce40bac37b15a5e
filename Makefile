# Two commands: `make run` sets up and serves; `make test` sets up and runs every test.
export PATH := /opt/swift/usr/bin:$(PATH)

.PHONY: setup run dev test check bench fuzz-smoke clean

setup:
	@bash scripts/setup.sh

run: setup
	swift build -c release --static-swift-stdlib --product ozzi
	.build/release/ozzi dev

check: setup
	swift build --product ozzi
	.build/debug/ozzi check

# The release binary is built too: the idle-memory test measures what ships.
test: setup
	swift build -c release --static-swift-stdlib --product ozzi
	swift build --build-tests
	swift test --skip-build
	# The workers again, each test host on PostgreSQL and Redis (started by the tests) instead of SQLite.
	OZZI_TEST_ENGINE=postgres swift test --skip-build --filter WorkersTests

bench:
	@bash scripts/setup.sh --bench
	bash bench/http.sh
	bash bench/queue.sh
	bash bench/api.sh
	bash bench/contacts.sh
	bash bench/messaging.sh
	bash bench/email.sh
	bash bench/cluster.sh

# Each libFuzzer target for a short while (fuzz/README.md); its own sanitized build in .build-fuzz.
FUZZ_SECONDS ?= 60
fuzz-smoke: setup
	bash fuzz/run.sh http $(FUZZ_SECONDS)
	bash fuzz/run.sh websocket $(FUZZ_SECONDS)

clean:
	rm -rf .build .build-fuzz .ozzi
