#!/usr/bin/env bash
# Fuzzes the model language parser and printer: tools/fuzz.sh [seconds] (default 60).
#
# Configures and builds the "fuzz" preset (clang++, libFuzzer, ASan, UBSan), then runs
# latwin_fuzz_parser for that many seconds on a working copy of tests/fuzz/corpus (and of
# tests/fuzz/regressions) kept in build/fuzz/corpus, so later runs build on earlier ones. Any input that crashes, hangs
# (over 1 s) or runs out of memory is copied into tests/fuzz/regressions/, where the
# latwin_tests_fuzz_regressions test replays it, and the script exits non-zero.
#
# Extra libFuzzer flags can be passed in FUZZ_ARGS, e.g. FUZZ_ARGS="-max_len=65536".
set -euo pipefail

seconds="${1:-60}"
if ! [[ "$seconds" =~ ^[0-9]+$ ]] || [[ "$seconds" -eq 0 ]]; then
  echo "usage: tools/fuzz.sh [seconds]   (a whole number of seconds, default 60)" >&2
  exit 2
fi

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

cmake --preset fuzz
cmake --build --preset fuzz --target latwin_fuzz_parser

fuzzer="$root/build/fuzz/tests/fuzz/latwin_fuzz_parser"
corpus="$root/build/fuzz/corpus"
artifacts="$(mktemp -d "${TMPDIR:-/tmp}/latwin-fuzz.XXXXXX")"
trap 'rm -rf "$artifacts"' EXIT

mkdir -p "$corpus"
cp "$root"/tests/fuzz/corpus/* "$corpus"/
# Past crashes are good seeds too: they sit next to the bugs that were there.
find "$root/tests/fuzz/regressions" -maxdepth 1 -type f ! -name '.*' -exec cp {} "$corpus"/ \;

echo "fuzzing the parser for ${seconds}s (corpus in ${corpus#"$root"/})"
status=0
# shellcheck disable=SC2086  # FUZZ_ARGS is a list of flags
"$fuzzer" "$corpus" \
  -max_total_time="$seconds" \
  -timeout=1 \
  -rss_limit_mb=2048 \
  -max_len=8192 \
  -dict="$root/tests/fuzz/lw.dict" \
  -artifact_prefix="$artifacts/" \
  -print_final_stats=1 \
  ${FUZZ_ARGS:-} || status=$?

found=0
for file in "$artifacts"/*; do
  [[ -e "$file" ]] || continue
  cp "$file" "$root/tests/fuzz/regressions/"
  echo "kept ${file##*/} in tests/fuzz/regressions/; rename it for what it shows" >&2
  found=1
done

if [[ $status -ne 0 || $found -ne 0 ]]; then
  echo "the fuzzer found a problem (exit status $status)" >&2
  exit 1
fi
echo "no crash, hang or leak found in ${seconds}s"
