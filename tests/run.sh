#!/usr/bin/env bash
# run.sh BDIR: every test of the build in BDIR: each unit test program BDIR/tests/test_*
# (cmocka, one per tests/unit/test_*.c), then the golden cases and the end-to-end checks.
# Counts unit programs and golden/e2e checks; ends with exactly one line `N passed, M failed`
# and exits 1 if anything failed. For BDIR build/asan, sanitizer reports are fatal.
set -euo pipefail

(($# == 1)) || { echo "usage: tests/run.sh BDIR" >&2; exit 2; }
case $1 in /*) bdir=$1 ;; *) bdir=$PWD/$1 ;; esac
cd "$(dirname "$0")/.."
if [[ ${BUILD:-} == asan || $(basename "$bdir") == asan ]]; then
    export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
    export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0

# Unit tests: one binary per source; a missing binary fails, a stale one (no source) is skipped.
shopt -s nullglob
srcs=(tests/unit/test_*.c)
((${#srcs[@]})) || { echo "FAIL unit: no tests/unit/test_*.c"; fail=$((fail + 1)); }
for src in "${srcs[@]}"; do
    t=$bdir/tests/$(basename "$src" .c)
    echo "== $t"
    rc=0
    if [[ -x $t ]]; then timeout -k 10 300 "$t" || rc=$?; else echo "not built"; rc=127; fi
    if ((rc == 0)); then pass=$((pass + 1)); else echo "FAIL $t (exit $rc)"; fail=$((fail + 1)); fi
done
for t in "$bdir"/tests/test_*; do
    [[ -f tests/unit/$(basename "$t").c ]] || echo "skipped $t (no tests/unit/$(basename "$t").c)"
done

# Fuzz targets built as plain programs replay the crash corpus and their seeds.
for t in corpus layout pipeline verify layout_values; do
    r=$bdir/tests/replay_$t
    echo "== replay $t"
    rc=0
    if [[ -x $r ]]; then timeout -k 10 600 "$r" tests/crash "tests/fuzz/seed/$t" || rc=$?; else echo "not built"; rc=127; fi
    if ((rc == 0)); then pass=$((pass + 1)); else echo "FAIL replay $t (exit $rc)"; fail=$((fail + 1)); fi
done

# Suites print `NAME: N passed, M failed`; add those, or one failure if absent. valgrind cannot
# run an ASan build, so it runs with the release build only.
suites=(golden e2e archive verify products print corpora pages errors cli)
[[ $(basename "$bdir") == asan ]] || suites+=(valgrind races)
for suite in "${suites[@]}"; do
    echo "== tests/$suite.sh"
    rc=0 start=$SECONDS
    "tests/$suite.sh" "$bdir" | tee "$tmp/$suite.log" || rc=$?
    summary=$(grep -E "^$suite: [0-9]+ passed, [0-9]+ failed$" "$tmp/$suite.log" | tail -n 1) || true
    if [[ $summary =~ ([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then
        pass=$((pass + BASH_REMATCH[1])) fail=$((fail + BASH_REMATCH[2]))
        ((rc == 0 || BASH_REMATCH[2] > 0)) || fail=$((fail + 1)) # failed without saying so
    else
        echo "FAIL tests/$suite.sh (exit $rc, no summary)"
        fail=$((fail + 1))
    fi
    echo "== tests/$suite.sh took $((SECONDS - start)) s"
done

echo "$pass passed, $fail failed"
((fail == 0))
