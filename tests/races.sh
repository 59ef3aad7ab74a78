#!/usr/bin/env bash
# races.sh BDIR: the ThreadSanitizer build (build/tsan/paiban, made by `make test`) on every
# product, the second corpus, a 20x corpus (many composing windows), `verify` and 50 runs that
# open the faces, with more threads than cores; a data race is a failure (TSan's report, exit
# 66). Its files must also be the same bytes as BDIR/paiban's (a release build): threads and
# optimisation change nothing.
# Prints ok/FAIL per check and `races: N passed, M failed`.
set -euo pipefail

(($# == 1)) || { echo "usage: tests/races.sh BDIR" >&2; exit 2; }
case $1 in /*) pb=$1/paiban ;; *) pb=$PWD/$1/paiban ;; esac
cd "$(dirname "$0")/.."
tsan=$PWD/build/tsan/paiban
corpus=corpus/ai-plus-initiative.txt
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1700000000}
export TSAN_OPTIONS="halt_on_error=1 exitcode=66 report_signal_unsafe=0"
export PAIBAN_THREADS=4 # more threads than this machine may have cores: more interleavings
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
source tests/lib.sh

if [[ ! -x $tsan ]]; then
    echo "FAIL $tsan not built (make BUILD=tsan all)"
    summary races
    exit 1
fi

# products PROGRAM DIR: every product of `make pdf` from one run into DIR
products() {
    mkdir -p "$2/archive"
    "$1" --report --layout layouts/booklet.ini -o "$2/booklet.pdf" --imposed "$2/imposed.pdf" \
        --layout layouts/leaflet.ini -o "$2/leaflet-%d.pdf" \
        --layout layouts/parallel.ini -o "$2/parallel.pdf" \
        --layout layouts/archive.ini -o "$2/archive/initiative.pdf" "$corpus"
}
no_race() { # no_race CMD...: exit 0 and no ThreadSanitizer report
    "$@" 2>"$tmp/stderr" || { cat "$tmp/stderr"; return 1; }
    ! grep -q "ThreadSanitizer" "$tmp/stderr" || { cat "$tmp/stderr"; return 1; }
}
all_products() { no_race products "$tsan" "$tmp/t"; }
same_bytes() { # the release build's products, byte for byte
    products "$pb" "$tmp/r" 2>/dev/null || return 1
    local f
    for f in "$tmp"/r/*.pdf "$tmp"/r/archive/*.pdf; do cmp "$f" "$tmp/t/${f#"$tmp"/r/}" || return 1; done
}
second_corpus() {
    no_race "$tsan" --layout tests/corpora/digital-library-sc.ini -o "$tmp/sc.pdf" \
        tests/corpora/digital-library-sc.txt
}
scaled() { # the corpus body 20 times: 76 pages, composed ahead in several windows
    awk 'NR <= 2 { print; next } { rest[++k] = $0 }
        END { for (i = 0; i < 20; i++) for (j = 1; j <= k; j++) print rest[j] }' "$corpus" >"$tmp/20x.txt"
    no_race "$tsan" --layout layouts/booklet.ini -o "$tmp/20x.pdf" "$tmp/20x.txt"
}
verify_archive() { no_race "$tsan" verify "$tmp/t/archive/initiative.pdf"; }
# opened: a two-pair corpus 50 times, its faces opened on the threads each time: a race in
# opening them (the first writes of a library's process-wide state) shows in a few runs of
# 100 only
opened() {
    printf '標題\nTitle\n中文。\nEnglish.\n' >"$tmp/two.txt"
    local i
    for ((i = 0; i < 50; i++)); do
        no_race "$tsan" -q --trace -o "$tmp/two.trace" "$tmp/two.txt" || return 1
    done
}

check "all products, 4 threads: no data race" all_products
check "the same bytes as the release build" same_bytes
check "second corpus: no data race" second_corpus
check "20x corpus (composing ahead in windows): no data race" scaled
check "verify the archive (rebuild on threads): no data race" verify_archive
check "the faces opened 50 times: no data race" opened
summary races
