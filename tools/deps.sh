#!/usr/bin/env bash
# deps.sh [build|test|fuzz]: make sure the Debian packages of a group are installed:
#   build  building paiban and writing PDFs (`make pdf`, `make install`); the default
#   test   build + the test tools (`make test`, `make bench`)
#   fuzz   test + clang and its sanitizer runtime (`make fuzz`)
# Silent and quick when everything is there (one dpkg-query call). Otherwise installs what is
# missing when run as root, or prints the apt-get line to run and exits 1.
set -euo pipefail

BUILD=(
    gcc g++ make pkg-config binutils
    libharfbuzz-dev libfreetype-dev libfontconfig-dev libhpdf-dev libicu-dev
    libhyphen-dev hyphen-en-us libinih-dev libdeflate-dev nettle-dev libqpdf-dev
    libopencc-dev libjansson-dev
    fonts-noto-cjk fonts-noto-core icc-profiles-free
)
# nodejs and libjs-pdf: pdf.js (2.14, Debian's) reads the products' text under node
# (tests/pdfjs_text.mjs)
TEST=(
    libcmocka-dev wamerican poppler-utils qpdf python3 python3-fitz python3-pikepdf
    python3-fonttools time valgrind man-db libpoppler-glib8 nodejs libjs-pdf
)
FUZZ=(clang libclang-rt-14-dev)

group=${1:-build}
case $group in
build) PACKAGES=("${BUILD[@]}") ;;
test) PACKAGES=("${BUILD[@]}" "${TEST[@]}") ;;
fuzz) PACKAGES=("${BUILD[@]}" "${TEST[@]}" "${FUZZ[@]}") ;;
--list) printf 'build: %s\ntest:  %s\nfuzz:  %s\n' "${BUILD[*]}" "${TEST[*]}" "${FUZZ[*]}"; exit 0 ;;
*) echo "usage: tools/deps.sh [build|test|fuzz|--list]" >&2; exit 2 ;;
esac

if ! command -v dpkg-query >/dev/null; then
    echo "deps.sh: not a Debian system; install the equivalents of: ${PACKAGES[*]}" >&2
    exit 0 # tools/configure.sh still names any library that is missing
fi

# A check that found every package is remembered in a stamp (DEPS_STAMP, default
# build/.deps-GROUP): while dpkg's status file (DPKG_STATUS; dpkg rewrites it whenever a
# package comes or goes) and this script are older than the stamp, the answer is the same, so
# `make pdf` on an up-to-date tree costs a stat, not a dpkg-query (~0.1 s idle, 0.35 s loaded).
stamp=${DEPS_STAMP:-${0%/*}/../build/.deps-$group}
status=${DPKG_STATUS:-/var/lib/dpkg/status}
[[ -f $stamp && $stamp -nt $status && $stamp -nt $0 ]] && exit 0

# Names of the packages dpkg reports as installed (unknown names only go to stderr).
declare -A have=()
while read -r name status; do
    [[ $status == *" installed" ]] && have[$name]=1
done < <(dpkg-query -W -f='${Package} ${Status}\n' "${PACKAGES[@]}" 2>/dev/null || true)

missing=()
for p in "${PACKAGES[@]}"; do
    [[ -n ${have[$p]:-} ]] || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
    mkdir -p "$(dirname "$stamp")" 2>/dev/null && touch "$stamp" 2>/dev/null || true
    exit 0
fi

if ((EUID == 0)); then
    echo "deps.sh: installing ($group) ${missing[*]}" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -qq -y --no-install-recommends "${missing[@]}"
else
    echo "deps.sh: missing packages ($group); as root run:" >&2
    echo "sudo apt-get install -y ${missing[*]}" >&2
    exit 1
fi
