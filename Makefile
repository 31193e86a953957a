# Everyday commands. The build itself is CMake (CMakePresets.json); this file only strings
# the steps together. Two cores by default: set JOBS=8 on a bigger machine.
JOBS ?= 2

.PHONY: all deps release run test asan fuzz bench data format clean

all: release

# Debian packages the build, tests and tools need (asks for sudo when not root).
deps:
	scripts/install-deps.sh

release: deps
	cmake --preset release
	cmake --build --preset release -j$(JOBS)

# The main job: install, build, then compare the six built-in strategies under the baseline
# scenario (1000 members each, same draws for all), keep the run in out/runs.sqlite, and
# write compare.json, compare.csv and report.html to out/compare-baseline/.
run: release
	./build/release/latwin compare --scenario baseline --members 1000 --store out/runs.sqlite \
	  --out out/compare-baseline --report

# Build, then run every test.
test: release
	ctest --preset release -j$(JOBS)

# The whole suite again under the address and undefined-behaviour sanitizers.
asan: deps
	cmake --preset asan
	cmake --build --preset asan -j$(JOBS)
	ctest --preset asan -j$(JOBS)

# A minute of fuzzing per parser (needs clang; see tools/fuzz.sh).
fuzz: deps
	tools/fuzz.sh 60

bench: release
	./build/release/bench/latwin_bench
	./build/release/bench/latwin_bench_compare

# Rebuilds data/ from the raw public data in ../shared/data/raw (or $LATWIN_RAW_DATA).
data:
	tools/build-data

format:
	find src tests bench -name '*.cpp' -o -name '*.hpp' | xargs -r clang-format -i

# Removes the builds; results in out/ are kept.
clean:
	rm -rf build
