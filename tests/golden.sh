#!/usr/bin/env bash
# golden.sh BDIR [--update]: compare paiban's layout trace of each tests/golden/NAME.txt with
# tests/golden/NAME.expected (layout: NAME.ini if present, else layouts/booklet.ini).
# A case with NAME.expected-exit expects that exit code and compares stderr with
# NAME.expected-stderr instead (error cases). Then the matrix: every shipped layout over
# corpus/*.txt and tests/corpora/*.txt (tests/golden/matrix/). --update rewrites the expected
# output files.
# Prints ok/FAIL per case and `golden: N passed, M failed`; zero cases is a failure.
set -euo pipefail

usage() { echo "usage: tests/golden.sh BDIR [--update]" >&2; exit 2; }
(($# == 1 || $# == 2)) || usage
update=0
if (($# == 2)); then [[ $2 == --update ]] || usage; update=1; fi

# BDIR is relative to the caller; the cases run from the repository root so paths are stable.
case $1 in /*) pb=$1/paiban ;; *) pb=$PWD/$1/paiban ;; esac
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

shopt -s nullglob
cases=(tests/golden/*.txt)
if ((${#cases[@]} == 0)); then
    echo "FAIL golden: no cases in tests/golden (a suite that tests nothing is a defect)"
    echo "golden: 0 passed, 1 failed"
    exit 1
fi

source tests/lib.sh
pass=0 fail=0
# judge NAME RC WANT EXPECTED ACTUAL: a case's verdict from its exit code and output (with
# --update, EXPECTED is rewritten from ACTUAL instead)
judge() {
    local name=$1 rc=$2 want=$3 expected=$4 actual=$5
    if [[ $rc != "$want" ]]; then
        echo "FAIL $name: exit $rc, expected $want"
        sed 's/^/    /' "$tmp/stderr" | head -n 20
        fail=$((fail + 1))
    elif ((update)); then
        cp "$actual" "$expected"
        echo "ok   $name (updated $expected)"
        pass=$((pass + 1))
    elif [[ ! -f $expected ]]; then
        echo "FAIL $name: no $expected (to make it: tests/golden.sh BDIR --update)"
        fail=$((fail + 1))
    elif diff -u --label "$expected" --label "actual" "$expected" "$actual" >"$tmp/diff" 2>&1; then
        echo "ok   $name"
        pass=$((pass + 1))
    else
        echo "FAIL $name (to accept: tests/golden.sh BDIR --update)"
        head -n 200 "$tmp/diff"
        fail=$((fail + 1))
    fi
}

# one case: trace CORPUS through LAYOUT, judged against BASE.expected, or, when
# BASE.expected-exit exists, against that exit code and BASE.expected-stderr (error cases)
run_case() {
    local name=$1 txt=$2 layout=$3 base=$4 rc=0 want=0 expected=$4.expected actual=$tmp/stdout
    timeout -k 10 300 "$pb" --trace --layout "$layout" "$txt" >"$tmp/stdout" 2>"$tmp/stderr" || rc=$?
    if ((update && rc != 0)) && [[ $base == */matrix/* ]]; then
        echo "$rc" >"$base.expected-exit" # a product this corpus cannot make: its error
        rm -f "$base.expected"
    elif ((update)) && [[ $base == */matrix/* ]]; then
        rm -f "$base.expected-exit" "$base.expected-stderr"
    fi
    if [[ -f $base.expected-exit ]]; then
        want=$(<"$base.expected-exit") expected=$base.expected-stderr actual=$tmp/stderr
    fi
    judge "$name" "$rc" "$want" "$expected" "$actual"
}

for txt in "${cases[@]}"; do
    base=${txt%.txt}
    layout=$base.ini
    [[ -f $layout ]] || layout=layouts/booklet.ini
    run_case "$(basename "$base")" "$txt" "$layout" "$base"
done

# The matrix: every shipped layout over the initiative and every corpus of tests/corpora/,
# traces in tests/golden/matrix/CORPUS.LAYOUT.expected (the products' pages, line by line); a
# corpus with NAME.keys.ini (a Simplified text's fonts and language) takes those keys too.
mkdir -p tests/golden/matrix
for txt in corpus/*.txt tests/corpora/*.txt; do
    for layout in booklet leaflet parallel archive; do
        name=$(basename "${txt%.txt}").$layout
        run_case "matrix $name" "$txt" "$(layout_for "$txt" "$layout" "$tmp")" "tests/golden/matrix/$name"
    done
done

echo "golden: $pass passed, $fail failed"
((fail == 0))
