#!/usr/bin/env bash
# deps.sh: make sure the Debian packages paiban needs to build, test and bench are installed.
# Silent and quick when everything is there (one dpkg-query call). Otherwise installs what is
# missing when run as root, or prints the apt-get line to run and exits 1.
set -euo pipefail

PACKAGES=(
    gcc make pkg-config git
    libharfbuzz-dev libfreetype-dev libfontconfig-dev libhpdf-dev libicu-dev
    libhyphen-dev hyphen-en-us libinih-dev libcmocka-dev libdeflate-dev nettle-dev libqpdf-dev
    libopencc-dev libjansson-dev
    fonts-noto-cjk fonts-noto-core wamerican
    poppler-utils qpdf python3 python3-fitz python3-pikepdf python3-fonttools icc-profiles-free
    time valgrind clang libclang-rt-14-dev
)

# Names of the packages dpkg reports as installed (unknown names only go to stderr).
declare -A have=()
while read -r name status; do
    [[ $status == *" installed" ]] && have[$name]=1
done < <(dpkg-query -W -f='${Package} ${Status}\n' "${PACKAGES[@]}" 2>/dev/null || true)

missing=()
for p in "${PACKAGES[@]}"; do
    [[ -n ${have[$p]:-} ]] || missing+=("$p")
done
((${#missing[@]} == 0)) && exit 0

if ((EUID == 0)); then
    echo "deps.sh: installing ${missing[*]}" >&2
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
else
    echo "deps.sh: missing packages; as root run:" >&2
    echo "sudo apt-get install -y ${missing[*]}" >&2
    exit 1
fi
