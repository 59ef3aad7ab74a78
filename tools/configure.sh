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
# The release build's paiban takes these libraries from their archives (-l:libNAME.a; Debian's
# -dev packages ship them): each shared library costs the dynamic linker a load and its
# relocations on every run. Static ICU links the C++ runtime shared by its soname (the C++
# library's archive too was 2 ms faster, but then libqpdf's dlopen, which loads the shared one,
# crashed under tests/verify.sh's `ulimit -v` sweep). The others stay shared: HarfBuzz and libharu
# ship no archive, and FreeType, libpng, zlib and brotli are also loaded by them; libhyphen
# exits when an allocation fails, which tests/errors.sh's failing allocations of the program's
# own code would then reach. A library whose archive is missing stays shared.
STATIC=(fontconfig expat icui18n icuuc icudata inih deflate nettle jansson)
found() { # found FILE: true when the compiler's library path has FILE
    [[ $("$CC" -print-file-name="$1") == /* ]]
}
flags=()
# shellcheck disable=SC2046 # the flags are a list
for flag in $(pkg-config --static --libs "${linked[@]}") "${libs[@]}"; do
    name=${flag#-l}
    if [[ $flag == -l* && " ${STATIC[*]} " == *" $name "* ]] && found "lib$name.a" &&
        { [[ $name != icu* ]] || found libstdc++.so.6; }; then
        flag=-l:lib$name.a
    fi
    flags+=("$flag")
done
[[ " ${flags[*]} " == *" -l:libicuuc.a "* ]] && flags+=(-l:libstdc++.so.6)
# each flag once, at its last place (an archive must come after every library that uses it)
static_libs=()
for ((i = 0; i < ${#flags[@]}; i++)); do
    [[ " ${flags[*]:i+1} " == *" ${flags[i]} "* ]] || static_libs+=("${flags[i]}")
done

echo "# made by tools/configure.sh; make clean removes it"
echo "PKG_CFLAGS := $(pkg-config --cflags "${modules[@]}") ${sonames[*]}"
echo "PKG_LIBS := $(pkg-config --libs "${linked[@]}") ${libs[*]}"
echo "PKG_LIBS_STATIC := ${static_libs[*]}"
