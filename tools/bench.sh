#!/usr/bin/env bash
# bench.sh BDIR: time BDIR/paiban on the corpus scaled 1x, 20x and 100x (the title pair once,
# then lines 3..end repeated N times), generated into build/bench/. Prints a table of input
# size, pages, wall time (best and mean of BENCH_RUNS runs, default 5, after a warm-up run),
# pages per second (at the best time) and peak RSS (max of the runs).
set -euo pipefail

(($# == 1)) || { echo "usage: tools/bench.sh BDIR" >&2; exit 2; }
case $1 in /*) pb=$1/paiban ;; *) pb=$PWD/$1/paiban ;; esac
cd "$(dirname "$0")/.."
corpus=corpus/ai-plus-initiative.txt
layout=layouts/booklet.ini
out=build/bench
mkdir -p "$out"

RUNS=${BENCH_RUNS:-5}
printf '%6s %10s %6s %9s %9s %9s %9s\n' scale 'input KiB' pages 'best ms' 'mean ms' 'pages/s' 'RSS MiB'
for n in 1 20 100; do
    in=$out/corpus-${n}x.txt pdf=$out/${n}x.pdf
    # awk ends every line with a newline, also the corpus's last one, so the copies do not join.
    awk -v n="$n" 'NR <= 2 { print; next } { rest[++k] = $0 }
        END { for (i = 0; i < n; i++) for (j = 1; j <= k; j++) print rest[j] }' "$corpus" >"$in"
    # wall time from bash's microsecond clock (best of RUNS, after one warm-up run); peak RSS
    # from /usr/bin/time (the largest of the runs); the time includes /usr/bin/time's own start.
    best='' sum=0 rss=0
    for ((r = 0; r <= RUNS; r++)); do
        t0=$EPOCHREALTIME
        if ! /usr/bin/time -o "$out/time" -f '%M' "$pb" --layout "$layout" -o "$pdf" "$in"; then
            echo "bench: paiban failed on $in" >&2
            exit 1
        fi
        t1=$EPOCHREALTIME
        ((r == 0)) && continue
        us=$(((${t1/./} - ${t0/./})))
        sum=$((sum + us))
        if [[ -z $best ]] || ((us < best)); then best=$us; fi
        read -r kib <"$out/time"
        if ((kib > rss)); then rss=$kib; fi
    done
    pages=$(pdfinfo "$pdf" | awk '/^Pages:/ { print $2 }')
    bytes=$(stat -c %s "$in")
    awk -v n="$n" -v bytes="$bytes" -v pages="$pages" -v us="$best" -v mean="$((sum / RUNS))" -v kib="$rss" '
        BEGIN { printf "%5dx %10.1f %6d %9.1f %9.1f %9.1f %9.1f\n", n, bytes / 1024, pages, us / 1000,
                       mean / 1000, pages / (us / 1e6), kib / 1024 }'
done
