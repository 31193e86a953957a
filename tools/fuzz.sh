#!/usr/bin/env bash
# Fuzzes every parser: tools/fuzz.sh [seconds] (default 60, per target).
#
# Configures and builds the "fuzz" preset (clang++, libFuzzer, ASan, UBSan), then runs each
# target for that many seconds: latwin_fuzz_parser (parse, print, parse back),
# latwin_fuzz_compile (compile, and run small models) and latwin_fuzz_data (the data folder's
# CSV readers, data check and --inputs files) and latwin_fuzz_policy (strategy and scenario
# files). Each works on a copy of its seed corpus (tests/fuzz/corpus for models,
# tests/fuzz/corpus-data for data, tests/fuzz/corpus-policy for strategies and scenarios) and of its regressions,
# kept in build/fuzz/corpus-TARGET, so later runs build on earlier ones. Any input that
# crashes, hangs (over 1 s) or runs out of memory is copied into tests/fuzz/regressions/
# (regressions-data/ for data, regressions-policy/ for strategies and scenarios), where the latwin_tests_fuzz_regressions test
# replays it, and the script exits non-zero.
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
cmake --build --preset fuzz --target latwin_fuzz_parser latwin_fuzz_compile latwin_fuzz_data \
  latwin_fuzz_policy

status=0
found=0
for target in parser compile data policy; do
  fuzzer="$root/build/fuzz/tests/fuzz/latwin_fuzz_$target"
  corpus="$root/build/fuzz/corpus-$target"
  if [[ $target == data ]]; then
    seeds="$root/tests/fuzz/corpus-data"
    regressions="$root/tests/fuzz/regressions-data"
    flags=(-max_len=16384)
  elif [[ $target == policy ]]; then
    seeds="$root/tests/fuzz/corpus-policy"
    regressions="$root/tests/fuzz/regressions-policy"
    flags=(-max_len=4096)
  else
    seeds="$root/tests/fuzz/corpus"
    regressions="$root/tests/fuzz/regressions"
    flags=(-max_len=8192 -dict="$root/tests/fuzz/lw.dict")
  fi
  artifacts="$(mktemp -d "${TMPDIR:-/tmp}/latwin-fuzz.XXXXXX")"
  mkdir -p "$corpus"
  cp "$seeds"/* "$corpus"/
  # Past crashes are good seeds too: they sit next to the bugs that were there.
  find "$regressions" -maxdepth 1 -type f ! -name '.*' -exec cp {} "$corpus"/ \;

  echo "fuzzing the $target for ${seconds}s (corpus in ${corpus#"$root"/})"
  # shellcheck disable=SC2086  # FUZZ_ARGS is a list of flags
  "$fuzzer" "$corpus" \
    -max_total_time="$seconds" \
    -timeout=1 \
    -rss_limit_mb=2048 \
    "${flags[@]}" \
    -artifact_prefix="$artifacts/" \
    -print_final_stats=1 \
    ${FUZZ_ARGS:-} || status=$?

  for file in "$artifacts"/*; do
    [[ -e "$file" ]] || continue
    cp "$file" "$regressions/$target-${file##*/}"
    echo "kept $target-${file##*/} in ${regressions#"$root"/}/; rename it for what it shows" >&2
    found=1
  done
  rm -rf "$artifacts"
done

if [[ $status -ne 0 || $found -ne 0 ]]; then
  echo "the fuzzer found a problem (exit status $status)" >&2
  exit 1
fi
echo "no crash, hang or leak found in ${seconds}s per target"
