#!/usr/bin/env bash
# golden.sh BDIR [--update]: compare paiban's layout trace of each tests/golden/NAME.txt with
# tests/golden/NAME.expected (layout: NAME.ini if present, else layouts/booklet.ini).
# A case with NAME.expected-exit expects that exit code and compares stderr with
# NAME.expected-stderr instead (error cases). --update rewrites the expected output files.
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

echo "golden: $pass passed, $fail failed"
((fail == 0))
