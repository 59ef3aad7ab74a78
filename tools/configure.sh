#!/usr/bin/env bash
# configure.sh: the compiler and linker flags of paiban's libraries, as a makefile fragment on
# stdout (the Makefile writes it to build/config.mk and includes it). Every library is checked
# first; the missing ones are named with the Debian package that brings them (exit 1).
# Uses $CC and $CPPFLAGS for the libraries that have no pkg-config file.
set -euo pipefail
CC=${CC:-cc}

# pkg-config module, lowest version accepted, Debian package. The lowest versions are Debian
# 12's (bookworm), the oldest paiban is built and tested with.
PKG_MODULES=(
    "harfbuzz 6.0.0 libharfbuzz-dev"
    "harfbuzz-subset 6.0.0 libharfbuzz-dev"
    "freetype2 24.3.18 libfreetype-dev" # libtool version of FreeType 2.12.1
    "fontconfig 2.14.1 libfontconfig-dev"
    "icu-uc 72.1 libicu-dev"
    "icu-i18n 72.1 libicu-dev"
    "inih 55 libinih-dev"
    "libdeflate 1.14 libdeflate-dev"
    "nettle 3.8.1 nettle-dev"
    "libqpdf 11.3.0 libqpdf-dev"
    "opencc 1.1.5 libopencc-dev"
    "jansson 2.14 libjansson-dev"
)
# libraries without a pkg-config file: header, link flag, Debian package
HEADER_LIBS=(
    "hpdf.h -lhpdf libhpdf-dev"
    "hyphen.h -lhyphen libhyphen-dev"
)

missing=() packages=()
need() { # need WHAT PACKAGE: remember a missing library and its package (once)
    missing+=("paiban: error: $1 (Debian package $2)")
    [[ " ${packages[*]} " == *" $2 "* ]] || packages+=("$2")
}
if ! command -v pkg-config >/dev/null; then
    echo "paiban: error: pkg-config is not installed (Debian package pkg-config)" >&2
    exit 1
fi
modules=()
for m in "${PKG_MODULES[@]}"; do
    read -r mod min pkg <<<"$m"
    if ! pkg-config --exists "$mod"; then
        need "$mod >= $min is not installed" "$pkg"
    elif ! pkg-config --atleast-version="$min" "$mod"; then
        need "$mod >= $min is needed, $(pkg-config --modversion "$mod") is installed" "$pkg"
    else
        modules+=("$mod")
    fi
done
libs=()
for h in "${HEADER_LIBS[@]}"; do
    read -r header flag pkg <<<"$h"
    # shellcheck disable=SC2086 # CPPFLAGS is a list of flags
    if printf '#include <%s>\n' "$header" | "$CC" ${CPPFLAGS:-} -E -x c - >/dev/null 2>&1; then
        libs+=("$flag")
    else
        need "<$header> is not installed" "$pkg"
    fi
done
if ((${#missing[@]})); then
    printf '%s\n' "${missing[@]}" >&2
    echo "paiban: on Debian, as root: apt-get install ${packages[*]} (or tools/deps.sh)" >&2
    exit 1
fi

# libqpdf and OpenCC are not linked: src/verify.c opens libqpdf with dlopen by its soname when
# a file is verified, src/query.c OpenCC when a report's queries are found, so that their C++
# start-up (and OpenCC's libmarisa) is not paid by every run.
DLOPENED=(libqpdf opencc)
linked=()
for mod in "${modules[@]}"; do [[ " ${DLOPENED[*]} " == *" $mod "* ]] || linked+=("$mod"); done
sonames=()
for mod in "${DLOPENED[@]}"; do
    lib=$(pkg-config --variable=libdir "$mod")/$(pkg-config --libs-only-l "$mod" |
        awk '{ sub(/^-l/, "lib", $1); print $1 ".so" }')
    soname=$(objdump -p "$lib" 2>/dev/null | awk '$1 == "SONAME" { print $2 }') || true
    if [[ -z $soname ]]; then
        echo "paiban: error: cannot read the soname of $lib (objdump: Debian binutils)" >&2
        exit 1
    fi
    macro=$(tr '[:lower:]' '[:upper:]' <<<"${mod#lib}")
    sonames+=("-DPB_${macro}_SONAME='\"$soname\"'")
done
echo "# made by tools/configure.sh; make clean removes it"
echo "PKG_CFLAGS := $(pkg-config --cflags "${modules[@]}") ${sonames[*]}"
echo "PKG_LIBS := $(pkg-config --libs "${linked[@]}") ${libs[*]}"
