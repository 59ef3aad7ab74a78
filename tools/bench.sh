#!/usr/bin/env bash
# bench.sh BDIR: time BDIR/paiban on the corpus scaled 1x, 20x and 100x (the title pair once,
# then lines 3..end repeated N times), generated into build/bench/. Prints a table of input
# size, pages, wall time (best and mean of BENCH_RUNS runs, default 5, after a warm-up run),
# pages per second (at the best time) and peak RSS (max of the runs); then the instructions
# of the 1x booklet on one thread (callgrind; the measure machine load does not change), and,
# when typst is installed, typst's best time on the same text (A5, the same fonts) in the
# same run and the ratio paiban / typst. Without valgrind or typst that part is left out.
set -euo pipefail

(($# == 1)) || { echo "usage: tools/bench.sh BDIR" >&2; exit 2; }
case $1 in /*) pb=$1/paiban ;; *) pb=$PWD/$1/paiban ;; esac
cd "$(dirname "$0")/.."
corpus=corpus/ai-plus-initiative.txt
layout=layouts/booklet.ini
out=build/bench
mkdir -p "$out"

RUNS=${BENCH_RUNS:-5}
typst=$(command -v typst || true)
# typst_source CORPUS: the corpus as a Typst document: A5, the booklet's fonts, a paragraph a
# line, each as a string literal (no markup is read in it).
typst_source() {
    printf '#set page(paper: "a5")\n#set text(font: ("Noto Serif", "Noto Serif CJK TC"), size: 10pt, lang: "zh")\n#set par(justify: true)\n\n'
    awk '{ gsub(/\\/, "\\\\\\\\"); gsub(/"/, "\\\""); print "#\"" $0 "\"\n" }' "$1"
}
# best_us CMD...: the best wall time of RUNS runs of CMD after a warm-up run, in microseconds
best_us() {
    local best='' r t0 t1 us
    for ((r = 0; r <= RUNS; r++)); do
        t0=$EPOCHREALTIME
        "$@" >/dev/null 2>&1 || { echo "bench: $1 failed" >&2; return 1; }
        t1=$EPOCHREALTIME
        ((r == 0)) && continue
        us=$((${t1/./} - ${t0/./}))
        if [[ -z $best ]] || ((us < best)); then best=$us; fi
    done
    echo "$best"
}
printf '%6s %10s %6s %9s %9s %9s %9s' scale 'input KiB' pages 'best ms' 'mean ms' 'pages/s' 'RSS MiB'
[[ -z $typst ]] && echo || printf ' %9s %7s\n' 'typst ms' ratio
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
        BEGIN { printf "%5dx %10.1f %6d %9.1f %9.1f %9.1f %9.1f", n, bytes / 1024, pages, us / 1000,
                       mean / 1000, pages / (us / 1e6), kib / 1024 }'
    if [[ -n $typst ]]; then
        typst_source "$in" >"$out/corpus-${n}x.typ"
        tus=$(best_us "$typst" compile "$out/corpus-${n}x.typ" "$out/${n}x-typst.pdf") || exit 1
        awk -v t="$tus" -v p="$best" 'BEGIN { printf " %9.1f %7.3f\n", t / 1000, p / t }'
    else
        echo
    fi
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
# Instructions of the 1x booklet on one thread: callgrind counts what the program executes,
# the dynamic linker included, whatever else the machine runs. Twice: the font program cache
# (subsetcache.c) as a first run finds it, then as the next run (a second `make pdf`) does.
if command -v valgrind >/dev/null; then
    for run in cold warm; do
        if [[ $run == cold ]]; then export XDG_CACHE_HOME=$PWD/$out/cache; rm -rf "$out/cache"; fi
        PAIBAN_THREADS=1 valgrind --tool=callgrind --callgrind-out-file="$out/callgrind.out" \
            "$pb" --layout "$layout" -o "$out/1x.pdf" "$out/corpus-1x.txt" 2>"$out/callgrind.log" ||
            { cat "$out/callgrind.log" >&2; exit 1; }
        awk -v run="$run" '/Collected :/ { n = $NF } END { if (n == "") exit 1
            printf "1x booklet, one thread, font cache %s: %.1f M instructions (callgrind; %s)\n",
                run, n / 1e6, n }' "$out/callgrind.log"
    done
fi
