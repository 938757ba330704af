#!/usr/bin/env bash
# Idempotent developer/CI set-up for Quiver on Debian 12 (bookworm).
#
#   scripts/setup.sh           system packages, .venv/ with scripts/requirements.txt, testdata/
#   scripts/setup.sh --bench   additionally scripts/requirements-bench.txt (duckdb, datafusion)
#
# Every step is skipped when already done; a run with nothing to do prints
# "setup: nothing to do". Any failure exits non-zero with a message.
set -Eeuo pipefail

die() {
  echo "setup: error: $*" >&2
  exit 1
}
trap 'rc=$?; echo "setup: error: command failed (exit ${rc}) at line ${LINENO}: ${BASH_COMMAND}" >&2' ERR

usage() {
  sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'
}

BENCH=0
for arg in "$@"; do
  case "${arg}" in
    --bench) BENCH=1 ;;
    -h | --help)
      usage
      exit 0
      ;;
    *) die "unknown argument '${arg}' (try --help)" ;;
  esac
done

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "${ROOT}"

DID_WORK=0
note() {
  DID_WORK=1
  echo "setup: $*"
}

sha256_of() {
  sha256sum "$1" | cut -d' ' -f1
}

# --- Debian packages --------------------------------------------------------

PACKAGES=(
  cmake ninja-build g++ make ccache pkg-config
  libpg-query-dev libprotobuf-dev protobuf-compiler libsimdjson-dev
  libcurl4-openssl-dev libcli11-dev libgtest-dev libgmock-dev libbenchmark-dev
  libtomlplusplus-dev libyaml-cpp-dev
  clang-format clang-tidy
)

# python3 may be a pyenv interpreter with venv support built in; only ask for
# Debian's python3-venv when "python3 -m venv" does not work.
if ! command -v python3 >/dev/null 2>&1 || ! python3 -m venv --help >/dev/null 2>&1; then
  PACKAGES+=(python3-venv)
fi

MISSING=()
for pkg in "${PACKAGES[@]}"; do
  status="$(dpkg-query -W -f='${Status}' "${pkg}" 2>/dev/null || true)"
  if [[ "${status}" != "install ok installed" ]]; then
    MISSING+=("${pkg}")
  fi
done

if ((${#MISSING[@]} > 0)); then
  SUDO=()
  if [[ "$(id -u)" -ne 0 ]]; then
    command -v sudo >/dev/null 2>&1 ||
      die "not root and sudo not found; cannot install: ${MISSING[*]}"
    SUDO=(sudo)
  fi
  note "installing Debian packages: ${MISSING[*]}"
  "${SUDO[@]}" apt-get update -qq || die "apt-get update failed"
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${MISSING[@]}" >/dev/null ||
    die "apt-get install failed for: ${MISSING[*]}"
fi

# --- Python virtual environment ---------------------------------------------

VENV="${ROOT}/.venv"
VPY="${VENV}/bin/python"

command -v python3 >/dev/null 2>&1 || die "python3 not found"
if ! [[ -x "${VPY}" ]] || ! "${VPY}" -c 'import sys' >/dev/null 2>&1; then
  note "creating virtual environment ${VENV}"
  rm -rf "${VENV}"
  python3 -m venv "${VENV}" || die "python3 -m venv ${VENV} failed"
fi

# install_requirements FILE STAMP: pip-install FILE unless STAMP holds its sha256.
install_requirements() {
  local req="$1" stamp="$2" want
  [[ -f "${req}" ]] || die "missing ${req}"
  want="$(sha256_of "${req}")"
  if [[ -f "${stamp}" && "$(cat "${stamp}")" == "${want}" ]]; then
    return 0
  fi
  note "installing Python packages from ${req#"${ROOT}"/}"
  "${VPY}" -m pip install --disable-pip-version-check --no-input -q -r "${req}" ||
    die "pip install -r ${req} failed"
  echo "${want}" >"${stamp}"
}

install_requirements "${ROOT}/scripts/requirements.txt" "${VENV}/.requirements.sha256"
if ((BENCH)); then
  install_requirements "${ROOT}/scripts/requirements-bench.txt" \
    "${VENV}/.requirements-bench.sha256"
fi

# --- Test data ----------------------------------------------------------------

GEN="${ROOT}/scripts/gen_testdata.py"
STAMP="${ROOT}/testdata/.stamp"
[[ -f "${GEN}" ]] || die "missing ${GEN}"
want="$(sha256_of "${GEN}")"
if ! [[ -f "${STAMP}" && "$(cat "${STAMP}")" == "${want}" ]]; then
  note "generating test data"
  "${VPY}" "${GEN}" || die "scripts/gen_testdata.py failed"
  mkdir -p "${ROOT}/testdata"
  echo "${want}" >"${STAMP}"
fi

if ((DID_WORK == 0)); then
  echo "setup: nothing to do"
else
  echo "setup: done"
fi
