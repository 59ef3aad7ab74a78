#!/usr/bin/env bash
# valgrind.sh BDIR: BDIR/paiban (a release build: valgrind cannot run an ASan one) under
# valgrind memcheck on the real corpus, as a PDF and as a trace, and on the error paths that
# free a half-built state (bad corpus, bad layout, missing font, uncovered character,
# unwritable output). A check passes when paiban's own exit code comes back: valgrind turns any
# memory error or definite/indirect leak into exit 99. "Still reachable" memory (fontconfig and
# FreeType caches) is not an error. Prints ok/FAIL per check and `valgrind: N passed, M failed`.
set -euo pipefail

(($# == 1)) || { echo "usage: tests/valgrind.sh BDIR" >&2; exit 2; }
case $1 in /*) pb=$1/paiban ;; *) pb=$PWD/$1/paiban ;; esac
cd "$(dirname "$0")/.."
corpus=corpus/ai-plus-initiative.txt
layout=layouts/booklet.ini
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1700000000}
VALGRIND_EXIT=99

if ! command -v valgrind >/dev/null; then
    echo "FAIL valgrind is not installed (tools/deps.sh installs it)"
    echo "valgrind: 0 passed, 1 failed"
    exit 1
fi
if [[ ! -x $pb ]]; then
    echo "FAIL $pb not built"
    echo "valgrind: 0 passed, 1 failed"
    exit 1
fi
if nm -D "$pb" 2>/dev/null | grep -q __asan_init || nm "$pb" 2>/dev/null | grep -q __asan_init; then
    echo "skip $pb is built with AddressSanitizer; valgrind needs a release build (BDIR build)"
    echo "valgrind: 0 passed, 0 failed"
    exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '一二三四\nTest\n一二三四\xff五\nTest\n' >"$tmp/bad-utf8.txt"
printf '標題\nTitle\n一段\xee\x80\x80中文。\nA paragraph.\n' >"$tmp/uncovered.txt"
printf '[text]\nbogus = 1\n' >"$tmp/bad-key.ini"
printf '[fonts]\nhan = No Such Font\n' >"$tmp/no-font.ini"

pass=0 fail=0
# vg NAME CODE ARGS...: paiban ARGS under memcheck exits CODE (99: memcheck found errors).
vg() {
    local name=$1 want=$2 rc=0
    shift 2
    timeout -k 10 900 valgrind --quiet --tool=memcheck --leak-check=full \
        --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect \
        --error-exitcode=$VALGRIND_EXIT --num-callers=30 --log-file="$tmp/vg.log" \
        "$pb" "$@" >"$tmp/stdout" 2>"$tmp/stderr" || rc=$?
    if ((rc == want)) && [[ ! -s $tmp/vg.log ]]; then
        echo "ok   $name"
        pass=$((pass + 1))
        return
    fi
    if ((rc == VALGRIND_EXIT)); then
        echo "FAIL $name: memcheck errors (exit $rc)"
    else
        echo "FAIL $name: exit $rc, expected $want"
        sed 's/^/    /' "$tmp/stderr" | head -n 10
    fi
    sed 's/^/    /' "$tmp/vg.log" | head -n 80
    fail=$((fail + 1))
}

vg "real corpus -> PDF (exit 0)" 0 --layout "$layout" -o "$tmp/booklet.pdf" "$corpus"
vg "real corpus -> trace (exit 0)" 0 --trace --layout "$layout" -o "$tmp/booklet.trace" "$corpus"
vg "invalid UTF-8 (exit 1)" 1 --layout "$layout" -o "$tmp/x.pdf" "$tmp/bad-utf8.txt"
vg "unknown layout key (exit 1)" 1 --layout "$tmp/bad-key.ini" -o "$tmp/x.pdf" "$corpus"
vg "font family not installed (exit 3)" 3 --layout "$tmp/no-font.ini" -o "$tmp/x.pdf" "$corpus"
vg "uncovered character, mid-pipeline (exit 1)" 1 --layout "$layout" -o "$tmp/x.pdf" "$tmp/uncovered.txt"
vg "unwritable output (exit 3)" 3 --layout "$layout" -o /proc/x.pdf "$corpus"

echo "valgrind: $pass passed, $fail failed"
((fail == 0))
