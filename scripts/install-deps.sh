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
  libyaml-cpp-dev libsqlite3-dev libssl-dev
  # optimisation (CMA-ES, differential evolution, NSGA-II)
  libpagmo-dev
  # global sensitivity designs (Sobol sequences)
  libboost-dev
  # the results store's own shell, for analysts who query runs with SQL
  sqlite3
  # tests and benchmarks
  libgtest-dev libgmock-dev librapidcheck-dev libbenchmark-dev
  # causal graph rendering in docs (latwin graph | dot)
  graphviz
  # the HTML report's browser test (tests/unit/report) opens the report in headless Chromium
  chromium
)
# node and npm bundle the HTML report's chart library and map at build time (web/report); a
# node already on PATH, such as a newer one installed from elsewhere, is kept as it is.
if ! command -v node >/dev/null 2>&1; then packages+=(nodejs npm); fi

# The report's npm packages, exactly as web/report/package-lock.json pins them: `npm ci` only
# when node_modules is missing or older than the lock file, silent when it is up to date.
report_web="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/web/report"
install_report_packages() {
  local marker="$report_web/node_modules/.package-lock.json"
  if [[ -f $marker && ! $report_web/package-lock.json -nt $marker ]]; then return; fi
  if ! command -v npm >/dev/null 2>&1; then
    echo "install-deps: node is on PATH without npm; install npm, then run this again" >&2
    exit 1
  fi
  echo "install-deps: npm ci --prefix web/report (the report's chart library and map)"
  npm ci --prefix "$report_web" --no-audit --no-fund --loglevel=error >/dev/null
  touch "$marker"
}

missing=()
for pkg in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#packages[@]} packages present"
  install_report_packages
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
install_report_packages
