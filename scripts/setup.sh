#!/usr/bin/env bash
# Installs the Debian 12 packages vigil needs to build and test, if missing.
# Idempotent: does nothing when everything is present.
set -euo pipefail

# What building and running vigil needs (make run: scripts/setup.sh run).
packages=(
  build-essential cmake pkg-config
  libsqlite3-dev libeigen3-dev libxgboost-dev nlohmann-json3-dev libfmt-dev libcli11-dev
  # GoogleTest and Google Benchmark: small, and CMake configures the tests with the build.
  libgtest-dev libgmock-dev libbenchmark-dev
  libsodium-dev
  # Boost.Beast/Asio (header-only): the HTTP server of `vigil serve`.
  libboost-dev
  # libxlsxwriter: the synchronization matrix as XLSX.
  libxlsxwriter-dev
  python3
)
mode="${1:-test}"
# Everything else is for tests and benchmarks (make test, make bench):
if [ "$mode" != "run" ]; then
  packages+=(
    # openpyxl reads the XLSX back in tests.
    python3-openpyxl
    # R and glmnet: the reference (anchor) that tests and benchmarks compare against.
    r-base-core r-cran-glmnet r-cran-dplyr
    # data.table: the anchor of the event import benchmark (fread, group-by).
    r-cran-data.table
    # jsonschema: tests/catalog_schema_test.py checks catalog/*.json against catalog/schema/.
    python3-jsonschema
    time
    # nginx terminating TLS in front of vigil serve (tests/e2e/tls_proxy_test.sh),
    # also the anchor of the API load benchmark; openssl makes its test certificate.
    nginx-light openssl curl
  )
fi
# scripts/setup.sh fuzz: also clang and its sanitizer/libFuzzer runtimes, for
# make fuzz, make fuzz-smoke and make test-sanitize (not needed to run vigil).
if [ "$mode" = "fuzz" ]; then
  packages+=(clang libclang-rt-dev)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "setup: installing missing Debian packages: ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
