#!/usr/bin/env bash
# Installs every Debian package latwin's build, tests, benchmarks and tools need.
# Idempotent: it only calls apt-get when something is missing.
set -euo pipefail

packages=(
  # toolchain
  build-essential g++ cmake ninja-build make pkg-config git python3
  # clang: libFuzzer targets and clang-format / clang-tidy
  clang libclang-rt-14-dev clang-format clang-tidy
  # libraries
  libcli11-dev libfmt-dev libspdlog-dev nlohmann-json3-dev libtbb-dev librandom123-dev
  # tests and benchmarks
  libgtest-dev libgmock-dev librapidcheck-dev libbenchmark-dev
  # causal graph rendering in docs (latwin graph | dot)
  graphviz
)

missing=()
for pkg in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
