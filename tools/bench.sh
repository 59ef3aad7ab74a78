#!/usr/bin/env bash
# bench.sh BDIR: time BDIR/paiban on the corpus scaled 1x, 20x and 100x (the title pair once,
# then lines 3..end repeated N times), generated into build/bench/. Prints a table of input
# size, pages, wall time (best of 3 runs), pages per second and peak RSS (max of the runs).
set -euo pipefail

(($# == 1)) || { echo "usage: tools/bench.sh BDIR" >&2; exit 2; }
case $1 in /*) pb=$1/paiban ;; *) pb=$PWD/$1/paiban ;; esac
cd "$(dirname "$0")/.."
corpus=corpus/ai-plus-initiative.txt
layout=layouts/booklet.ini
out=build/bench
mkdir -p "$out"

printf '%6s %10s %6s %9s %9s %9s\n' scale 'input KiB' pages 'wall ms' 'pages/s' 'RSS MiB'
for n in 1 20 100; do
    in=$out/corpus-${n}x.txt pdf=$out/${n}x.pdf
    # awk ends every line with a newline, also the corpus's last one, so the copies do not join.
    awk -v n="$n" 'NR <= 2 { print; next } { rest[++k] = $0 }
        END { for (i = 0; i < n; i++) for (j = 1; j <= k; j++) print rest[j] }' "$corpus" >"$in"
    best='' rss=0
    for _ in 1 2 3; do
        if ! /usr/bin/time -o "$out/time" -f '%e %M' "$pb" --layout "$layout" -o "$pdf" "$in"; then
            echo "bench: paiban failed on $in" >&2
            exit 1
        fi
        read -r secs kib <"$out/time"
        if [[ -z $best ]] || awk -v a="$secs" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$secs; fi
        if ((kib > rss)); then rss=$kib; fi
    done
    pages=$(pdfinfo "$pdf" | awk '/^Pages:/ { print $2 }')
    bytes=$(stat -c %s "$in")
    # %e has 10 ms resolution: a run under that shows 0 ms and no rate.
    awk -v n="$n" -v bytes="$bytes" -v pages="$pages" -v secs="$best" -v kib="$rss" '
        BEGIN { rate = secs > 0 ? sprintf("%.1f", pages / secs) : "-"
                printf "%5dx %10.1f %6d %9.0f %9s %9.1f\n", n, bytes / 1024, pages, secs * 1000, rate, kib / 1024 }'
done
