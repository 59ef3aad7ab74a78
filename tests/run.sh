#!/usr/bin/env bash
# run.sh BDIR: every test of the build in BDIR: each unit test program BDIR/tests/test_*
# (cmocka, one per tests/unit/test_*.c) and fuzz replay, then the shell suites (golden cases,
# end-to-end checks, ...), TEST_JOBS at a time. Counts unit programs and the suites' checks;
# ends with exactly one line `N passed, M failed` and exits 1 if anything failed. For BDIR
# build/asan, sanitizer reports are fatal.
set -euo pipefail

(($# == 1)) || { echo "usage: tests/run.sh BDIR" >&2; exit 2; }
case $1 in /*) bdir=$1 ;; *) bdir=$PWD/$1 ;; esac
cd "$(dirname "$0")/.."
if [[ ${BUILD:-} == asan || $(basename "$bdir") == asan ]]; then
    export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
    export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
fi
tmp=$(mktemp -d)
declare -A running=() # pid -> the suite it runs (below)
trap 'kill "${!running[@]}" 2>/dev/null || true; wait; rm -rf "$tmp"' EXIT
pass=0 fail=0

# units: the unit programs, one check each: a missing binary fails, a stale one (no source) is
# skipped; then the fuzz targets built as plain programs replay the crash corpus and their seeds.
units() {
    local pass=0 fail=0 src t r rc
    shopt -s nullglob
    local srcs=(tests/unit/test_*.c)
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
    for t in corpus layout pipeline verify layout_values; do
        r=$bdir/tests/replay_$t
        echo "== replay $t"
        rc=0
        if [[ -x $r ]]; then timeout -k 10 600 "$r" tests/crash "tests/fuzz/seed/$t" || rc=$?; else echo "not built"; rc=127; fi
        if ((rc == 0)); then pass=$((pass + 1)); else echo "FAIL replay $t (exit $rc)"; fail=$((fail + 1)); fi
    done
    echo "units: $pass passed, $fail failed"
    ((fail == 0))
}

# Each suite prints `NAME: N passed, M failed` (units too); add those, or one failure if absent.
# valgrind cannot run an ASan build, so it runs with the release build only. The suites are
# independent (each works in its own mktemp -d), so TEST_JOBS of them (default: the number of
# CPUs, at most 2) run at once, the longest first; each one's output is kept in a file and shown
# whole, with its summary and time, when it ends (in the order they end).
suites=(corpora pages errors archive products print)
[[ $(basename "$bdir") == asan ]] || suites+=(races valgrind)
suites+=(cli e2e units verify golden)
jobs=${TEST_JOBS:-$(nproc)}
((jobs <= 2)) || jobs=2
((jobs >= 1)) || jobs=1

start() { # start SUITE: run it in the background; its output in $tmp/SUITE.log
    local suite=$1
    (
        rc=0 t0=$SECONDS
        if [[ $suite == units ]]; then units >"$tmp/$suite.log" 2>&1 || rc=$?
        else "tests/$suite.sh" "$bdir" >"$tmp/$suite.log" 2>&1 || rc=$?
        fi
        # the CPU time (user + system) of the suite's processes: what it costs on any machine
        times >"$tmp/$suite.times"
        cpu=$(awk 'NR == 2 { gsub(/[ms]/, " "); print int($1 * 60 + $2 + $3 * 60 + $4 + 0.5) }' "$tmp/$suite.times")
        echo "$rc $((SECONDS - t0)) $cpu" >"$tmp/$suite.rc"
    ) </dev/null &
    running[$!]=$suite
}

finish() { # finish: wait for a suite to end; show its output, add its counts
    local pid suite rc secs cpu summary
    wait -n -p pid "${!running[@]}" || true
    suite=${running[$pid]}
    unset "running[$pid]"
    local label=tests/$suite.sh
    [[ $suite != units ]] || label="unit tests and replays"
    echo "== $label"
    cat "$tmp/$suite.log"
    read -r rc secs cpu <"$tmp/$suite.rc" || { rc=255 secs='?' cpu='?'; }
    summary=$(grep -E "^$suite: [0-9]+ passed, [0-9]+ failed$" "$tmp/$suite.log" | tail -n 1) || true
    if [[ $summary =~ ([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then
        pass=$((pass + BASH_REMATCH[1])) fail=$((fail + BASH_REMATCH[2]))
        ((rc == 0 || BASH_REMATCH[2] > 0)) || fail=$((fail + 1)) # failed without saying so
    else
        echo "FAIL $label (exit $rc, no summary)"
        fail=$((fail + 1))
    fi
    echo "== $label took $secs s ($cpu s of CPU)"
}

for suite in "${suites[@]}"; do
    ((${#running[@]} < jobs)) || finish
    start "$suite"
done
while ((${#running[@]})); do finish; done

echo "$pass passed, $fail failed"
((fail == 0))
