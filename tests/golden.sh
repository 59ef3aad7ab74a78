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

pass=0 fail=0
for txt in "${cases[@]}"; do
    base=${txt%.txt} name=$(basename "${txt%.txt}")
    layout=$base.ini
    [[ -f $layout ]] || layout=layouts/booklet.ini
    # Error case: expected exit code and stderr. Normal case: exit 0 and the trace on stdout.
    if [[ -f $base.expected-exit ]]; then
        want=$(<"$base.expected-exit") expected=$base.expected-stderr actual=$tmp/stderr
    else
        want=0 expected=$base.expected actual=$tmp/stdout
    fi
    rc=0
    timeout -k 10 300 "$pb" --trace --layout "$layout" "$txt" >"$tmp/stdout" 2>"$tmp/stderr" || rc=$?
    if [[ $rc != "$want" ]]; then
        echo "FAIL $name: exit $rc, expected $want"
        sed 's/^/    /' "$tmp/stderr" | head -n 20
        fail=$((fail + 1))
    elif ((update)); then
        cp "$actual" "$expected"
        echo "ok   $name (updated $expected)"
        pass=$((pass + 1))
    elif diff -u --label "$expected" --label "actual" "$expected" "$actual" >"$tmp/diff" 2>&1; then
        echo "ok   $name"
        pass=$((pass + 1))
    else
        echo "FAIL $name (to accept: tests/golden.sh $1 --update)"
        head -n 200 "$tmp/diff"
        fail=$((fail + 1))
    fi
done

# The matrix: every shipped layout over the initiative and every corpus of tests/corpora/,
# traces in tests/golden/matrix/CORPUS.LAYOUT.expected (the products' pages, line by line).
mkdir -p tests/golden/matrix
for txt in corpus/*.txt tests/corpora/*.txt; do
    for layout in booklet leaflet parallel archive; do
        name=$(basename "${txt%.txt}").$layout expected=tests/golden/matrix/$name.expected
        rc=0
        timeout -k 10 300 "$pb" --trace --layout "layouts/$layout.ini" "$txt" >"$tmp/stdout" \
            2>"$tmp/stderr" || rc=$?
        # a product a corpus cannot make (leaflets of a text without headings) is an error
        # case: its exit code and stderr are the expected output
        want=0
        [[ -f ${expected%.expected}.expected-exit ]] && want=$(<"${expected%.expected}.expected-exit")
        if ((update && rc != 0)); then
            echo "$rc" >"${expected%.expected}.expected-exit"
            cp "$tmp/stderr" "${expected%.expected}.expected-stderr"
            rm -f "$expected"
            echo "ok   matrix $name (updated: exit $rc)"
            pass=$((pass + 1))
        elif ((rc != want)); then
            echo "FAIL matrix $name: exit $rc, expected $want"
            sed 's/^/    /' "$tmp/stderr" | head -n 20
            fail=$((fail + 1))
        elif ((rc != 0)); then
            if cmp -s "$tmp/stderr" "${expected%.expected}.expected-stderr"; then
                echo "ok   matrix $name (exit $rc)"
                pass=$((pass + 1))
            else
                echo "FAIL matrix $name: stderr differs"
                diff "${expected%.expected}.expected-stderr" "$tmp/stderr" | head -n 20
                fail=$((fail + 1))
            fi
        elif ((update)); then
            rm -f "${expected%.expected}.expected-exit" "${expected%.expected}.expected-stderr"
            cp "$tmp/stdout" "$expected"
            echo "ok   matrix $name (updated $expected)"
            pass=$((pass + 1))
        elif [[ ! -f $expected ]]; then
            echo "FAIL matrix $name: no $expected (to make it: tests/golden.sh $1 --update)"
            fail=$((fail + 1))
        elif diff -u --label "$expected" --label "actual" "$expected" "$tmp/stdout" >"$tmp/diff" 2>&1; then
            echo "ok   matrix $name"
            pass=$((pass + 1))
        else
            echo "FAIL matrix $name (to accept: tests/golden.sh $1 --update)"
            head -n 60 "$tmp/diff"
            fail=$((fail + 1))
        fi
    done
done

echo "golden: $pass passed, $fail failed"
((fail == 0))
