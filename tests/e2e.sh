#!/usr/bin/env bash
# e2e.sh BDIR: end-to-end checks of BDIR/paiban: builds the booklet from the real corpus into a
# temp dir and checks the PDF (page size, structure, fonts, extracted text, reproducibility),
# then the error paths (exit codes, diagnostics, output files left alone).
# Prints ok/FAIL per check and `e2e: N passed, M failed`; exits 1 if any failed.
set -euo pipefail

(($# == 1)) || { echo "usage: tests/e2e.sh BDIR" >&2; exit 2; }
case $1 in /*) pb=$1/paiban ;; *) pb=$PWD/$1/paiban ;; esac
cd "$(dirname "$0")/.."
py=/usr/bin/python3
corpus=corpus/ai-plus-initiative.txt
layout=layouts/booklet.ini
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1700000000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pdf=$tmp/booklet.pdf
# A corpus with an invalid UTF-8 byte (0xff) at line 3, column 5 (in code points).
printf '一二三四\nTest\n一二三四\xff五\nTest\n' >"$tmp/bad.txt"

source tests/lib.sh

paiban() { timeout -k 10 300 "$pb" "$@"; } # a hung run fails instead of stalling the suite

exits() { # exits CODE CMD...: CMD exits with CODE (its stderr goes to $tmp/stderr)
    local want=$1 rc=0
    shift
    "$@" 2>"$tmp/stderr" || rc=$?
    ((rc == want)) || { echo "exit $rc, expected $want"; cat "$tmp/stderr"; return 1; }
}

page_size_a5() { # every page is 419.53 x 595.28 pt, within a point
    pdfinfo -f 1 -l 99999 "$pdf" | awk '
        /^Page +[0-9]+ size:/ { n++; if ($4 < 418.5 || $4 > 420.5 || $6 < 594.3 || $6 > 596.3) { bad++; print } }
        END { if (!n) print "no page sizes"; exit !(n && !bad) }'
}

pages_at_least_2() {
    pdfinfo "$pdf" | awk '/^Pages:/ { n = $2 } END { print "pages: " n; exit !(n >= 2) }'
}

fonts_embedded() { # >= 3 fonts, each emb/sub/uni = yes; columns from the right end of the row
    pdffonts "$pdf" | awk '
        NR > 2 { n++; if ($(NF-4) != "yes" || $(NF-3) != "yes" || $(NF-2) != "yes") { bad++; print "not emb/sub/uni: " $0 } }
        END { if (n < 3) print n + 0 " fonts, expected at least 3"; exit !(n >= 3 && !bad) }'
}

extract_text() { pdftotext -enc UTF-8 "$pdf" - >"$tmp/booklet.txt"; }

text_check() { "$py" tests/e2e_text.py "$1" "$corpus" "$tmp/booklet.txt"; }

reproducible() { # a second run with the same SOURCE_DATE_EPOCH gives the same bytes
    mkdir -p "$tmp/again" && paiban --layout "$layout" -o "$tmp/again/booklet.pdf" "$corpus" &&
        cmp "$pdf" "$tmp/again/booklet.pdf"
}

one_thread() { # fonts are subset and streams deflated on all cores: one thread, same bytes
    # (the fonts cut again, not taken from the cache of font programs: src/subsetcache.c)
    mkdir -p "$tmp/one" && PAIBAN_CACHE=0 PAIBAN_THREADS=1 paiban --layout "$layout" -o "$tmp/one/booklet.pdf" "$corpus" &&
        cmp "$pdf" "$tmp/one/booklet.pdf"
}

bad_utf8() { # byte 0xff at line 3, column 5 (code points) -> exit 1 and FILE:3:5: error:
    exits 1 paiban --layout "$layout" -o "$tmp/bad.pdf" "$tmp/bad.txt" || return 1
    grep -qF -- "$tmp/bad.txt:3:5: error:" "$tmp/stderr" ||
        { echo "stderr lacks $tmp/bad.txt:3:5: error:"; cat "$tmp/stderr"; return 1; }
}

no_output_in_missing_dir() { # -o into a missing directory: exit 3, nothing created
    exits 3 paiban --layout "$layout" -o "$tmp/nodir/out.pdf" "$corpus" && [[ ! -e $tmp/nodir ]]
}

failure_keeps_output() { # a failing run leaves an existing output (and its directory) as it was
    mkdir -p "$tmp/keep" && cp "$pdf" "$tmp/keep/out.pdf" && find "$tmp/keep" >"$tmp/keep.before" &&
        exits 1 paiban --layout "$layout" -o "$tmp/keep/out.pdf" "$tmp/bad.txt" &&
        cmp "$pdf" "$tmp/keep/out.pdf" && find "$tmp/keep" | diff "$tmp/keep.before" -
}

check "booklet builds (exit 0)" exits 0 paiban --layout "$layout" -o "$pdf" "$corpus"
check "page size A5 (419.53 x 595.28 pt)" page_size_a5
check "at least 2 pages" pages_at_least_2
check "qpdf --check" qpdf --check "$pdf"
check "fonts: >= 3, embedded, subset, unicode" fonts_embedded
check "pdftotext extracts text" extract_text
check "text: Han characters = corpus, in order" text_check han
check "text: English words in order (>= 99.9%)" text_check words
check "text: no pinyin annotations" text_check pinyin
check "text: no ASCII comma between Han" text_check comma
check "text: no U+FFFD" text_check fffd
check "text: no space inserted next to Chinese (pdftotext)" text_check gaps
mupdf_text() { # PDF OUT: the text PyMuPDF (MuPDF) extracts
    "$py" -c 'import sys, fitz; d = fitz.open(sys.argv[1]); open(sys.argv[2], "w").write("".join(p.get_text() for p in d))' "$1" "$2"
}
mupdf_gaps() { mupdf_text "$pdf" "$tmp/booklet.mupdf.txt" && "$py" tests/e2e_text.py gaps "$corpus" "$tmp/booklet.mupdf.txt"; }
check "text: no space inserted next to Chinese (MuPDF)" mupdf_gaps
mupdf_search() { # the 1/4 em gap of 聯合國 2030 年 is no space: MuPDF finds 2030年
    "$py" -c 'import sys, fitz; d = fitz.open(sys.argv[1]); sys.exit(0 if sum(len(p.search_for("2030年")) for p in d) else 1)' "$pdf"
}
check "text: MuPDF finds 2030年" mupdf_search
# pdf.js (Debian's libjs-pdf under node): its text as the viewer's find joins it. Its Han text is
# the corpus's, no space next to Chinese where the corpus has no white space, and its find bar
# finds 2030年 (tests/pdfjs_text.mjs).
pdfjs_text() { node tests/pdfjs_text.mjs "$1" >"$2"; }
pdfjs_han_gaps() {
    pdfjs_text "$pdf" "$tmp/booklet.pdfjs.txt" && "$py" tests/e2e_text.py han "$corpus" "$tmp/booklet.pdfjs.txt" &&
        "$py" tests/e2e_text.py gaps-white "$corpus" "$tmp/booklet.pdfjs.txt"
}
check "text: Han characters = corpus, no space inserted next to Chinese (pdf.js)" pdfjs_han_gaps
check "text: pdf.js finds 2030年" node tests/pdfjs_text.mjs --find 2030年 "$pdf"
check "reproducible (same SOURCE_DATE_EPOCH, same bytes)" reproducible
check "same bytes on one thread (PAIBAN_THREADS=1) as on all cores" one_thread
scaled() { # scaled N OUT: the corpus's title pair once, then the rest N times (tools/bench.sh)
    awk -v n="$1" 'NR <= 2 { print; next } { rest[++k] = $0 }
        END { for (i = 0; i < n; i++) for (j = 1; j <= k; j++) print rest[j] }' "$corpus" >"$2"
}
# A booklet or parallel product is written as its pages are made (pagebuild.c start_sink, the
# writer's pb_pdf_page); with a report the pages are made whole first, then written: the same
# bytes, for the booklet, parallel and archive of the initiative and the programme (links,
# lists), a colophon (set last: made whole, then handed on) and 20 copies of the corpus
# (several deflate batches, pdf.c DEFLATE_BATCH_BYTES).
streamed_same() {
    local s=$tmp/streamed c l
    mkdir -p "$s"
    scaled 20 "$s/x20.txt"
    { cat "$layout" && printf '\n[impose]\ncolophon = inside\n'; } >"$s/colophon.ini"
    for c in "$corpus" tests/corpora/programme-tc.txt "$s/x20.txt"; do
        for l in "$layout" layouts/parallel.ini layouts/archive.ini "$s/colophon.ini"; do
            [[ $c == "$s/x20.txt" && $l != "$layout" ]] && continue
            paiban -q --layout "$l" -o "$s/streamed.pdf" "$c" &&
                paiban -q --report --layout "$l" -o "$s/whole.pdf" "$c" &&
                cmp "$s/streamed.pdf" "$s/whole.pdf" || { echo "differ: $c $l"; return 1; }
        done
    done
}
check "pages written as they are made: the same bytes as made whole (with --report)" streamed_same
# Peak memory grows with the document only by what it must keep (docs/ARCHITECTURE.md, "Memory":
# the text, its paragraphs packed for the page breaker, what the PDF holds until it is saved):
# from 20 to 100 copies of the corpus (88 to 408 pages) peak RSS grows by at most 100 KiB a
# page (138 when the pages were made whole before the PDF, 68 now), and the 100x booklet
# peaks under 64 MiB (76 then, 50 now). One thread (one malloc arena), the font program cache
# warm: RSS does not depend on the machine's load. Release build only (ASan's memory is not
# the program's).
memory_per_page() {
    local s=$tmp/memory n rss=() pages=()
    mkdir -p "$s"
    for n in 20 100; do
        scaled $n "$s/x$n.txt"
        for run in warm measured; do
            XDG_CACHE_HOME=$s/cache PAIBAN_THREADS=1 timeout -k 10 300 /usr/bin/time -f %M -o "$s/rss" \
                "$pb" --layout "$layout" -o "$s/x$n.pdf" "$s/x$n.txt" || return 1
        done
        rss+=("$(<"$s/rss")")
        pages+=("$(pdfinfo "$s/x$n.pdf" | awk '/^Pages:/ { print $2 }')")
    done
    local per=$(((rss[1] - rss[0]) / (pages[1] - pages[0])))
    echo "peak RSS ${rss[0]} KiB at ${pages[0]} pages, ${rss[1]} KiB at ${pages[1]}: $per KiB a page" |
        tee "$note"
    ((per <= 100 && rss[1] <= 64 * 1024))
}
[[ $(basename "$(dirname "$pb")") == asan ]] ||
    check "peak memory: at most 100 KiB more a page (20x to 100x), under 64 MiB at 100x" memory_per_page
# [pdf] compression: default (level 6) and best (12) change the streams' sizes only: fast (1),
# the booklet's level, gives the booklet's bytes, default a smaller file and best a smaller one
# still, each whole (qpdf) with the same text (pdftotext).
compression() {
    local level size=() c=$tmp/compression
    mkdir -p "$c"
    for level in fast default best; do
        { cat "$layout" && printf '\n[pdf]\ncompression = %s\n' "$level"; } >"$c/$level.ini"
        paiban --layout "$c/$level.ini" -o "$c/$level.pdf" "$corpus" && qpdf --check "$c/$level.pdf" >/dev/null &&
            pdftotext -enc UTF-8 "$c/$level.pdf" "$c/$level.txt" || return 1
        size+=("$(stat -c %s "$c/$level.pdf")")
    done
    cmp "$c/fast.pdf" "$pdf" && cmp "$c/fast.txt" "$c/default.txt" && cmp "$c/fast.txt" "$c/best.txt" &&
        ((size[1] < size[0] && size[2] < size[1])) || { echo "sizes fast default best: ${size[*]}"; return 1; }
}
check "[pdf] compression: the booklet's is fast; default smaller, best smaller still; same text" compression
# The second corpus (Simplified Chinese, full-width punctuation, chapter headings, digits and
# Latin terms inside Chinese, no annotations) with its own layout (Noto Serif CJK SC, zh-Hans).
second_corpus() {
    local c=tests/corpora/digital-library-sc.txt l=tests/corpora/digital-library-sc.ini
    paiban --layout "$l" -o "$tmp/second.pdf" "$c" && qpdf --check "$tmp/second.pdf" >/dev/null &&
        pdf=$tmp/second.pdf fonts_embedded &&
        pdftotext -enc UTF-8 "$tmp/second.pdf" "$tmp/second.txt" &&
        for what in han words comma fffd gaps; do "$py" tests/e2e_text.py "$what" "$c" "$tmp/second.txt" || return 1; done &&
        mupdf_text "$tmp/second.pdf" "$tmp/second.mupdf.txt" && "$py" tests/e2e_text.py gaps "$c" "$tmp/second.mupdf.txt" &&
        pdfjs_text "$tmp/second.pdf" "$tmp/second.pdfjs.txt" && "$py" tests/e2e_text.py gaps-white "$c" "$tmp/second.pdfjs.txt"
}
check "second corpus: builds, fonts embedded, text in order, no space inserted next to Chinese" second_corpus
# The text layer (tests/textlayer_check.py): an invisible or format character before the first
# space changes no glyph's text; a line may end at a soft hyphen; ActualText spans are sound.
for cp in 00AD 200B 200C 200D 2060 200E 200F 061C FEFF; do
    check "text layer: U+$cp in title and text: spaces U+0020, text as the corpus, clean metadata, reported" \
        "$py" tests/textlayer_check.py "$pb" "$tmp" char "$cp"
done
check "text layer: a line ends at a soft hyphen: a hyphen drawn, U+00AD extracted" \
    "$py" tests/textlayer_check.py "$pb" "$tmp" shy-break
check "text layer: a mark set half width at a line end reads inside the measure" \
    "$py" tests/textlayer_check.py "$pb" "$tmp" line-end
for c in brackets brackets-sc; do
    check "text layer: a bracket and the mark after it read on one line, three readers ($c)" \
        "$py" tests/textlayer_check.py "$pb" "$tmp" brackets tests/golden/$c.txt
done
check "text layer: the seed booklet's ActualText spans nest and hold corpus text" \
    "$py" tests/textlayer_check.py "$pb" "$tmp" corpus "$corpus"
check "text layer: invisible characters everywhere: spans sound, pdftotext gives the corpus" \
    "$py" tests/textlayer_check.py "$pb" "$tmp" lines tests/corpora/invisible.txt
# A title with forced breaks: its parts joined as title and subtitle in the PDF's /Title
# (": " in English, "：" in Chinese), not run together with a plain space.
br_title() {
    printf '天工開物<br>明清工藝特展\nMuseum Night 2026<br>Programme\n# 第一節\n# Part One\n內容。\nText.\n' \
        >"$tmp/br.txt" &&
        paiban --layout "$layout" -o "$tmp/br.pdf" "$tmp/br.txt" &&
        pdfinfo "$tmp/br.pdf" | grep -E "^Title: +天工開物：明清工藝特展 / Museum Night 2026: Programme$"
}
check "a title's forced breaks joined as title: subtitle in /Title" br_title
check "--help exits 0" exits 0 paiban --help
check "--version exits 0" exits 0 paiban --version
check "bad usage (--nope) exits 2" exits 2 paiban --nope
check "missing corpus exits 3" exits 3 paiban --layout "$layout" -o "$tmp/missing.pdf" "$tmp/no-such.txt"
check "invalid UTF-8 exits 1 with FILE:3:5: error:" bad_utf8
check "-o into a missing directory exits 3, leaves nothing" no_output_in_missing_dir
check "failing run keeps the previous output" failure_keeps_output

summary e2e
