#!/usr/bin/env bash
# errors.sh BDIR: bad and extreme inputs to BDIR/paiban, one check each, in a temp dir: every
# check asserts the exit code and the exact start of the message (tests/README.md lists them).
# Prints ok/FAIL per check (skip for a check expected to fail, see CLEANUP_WIRED) and ends with
# `errors: N passed, M failed`; exits 1 if any failed.
set -euo pipefail

# Checks of known defects: while a flag is 0 its checks run but count as neither passed nor
# failed ("skip"); set it to 1 (here, or in the environment) once the fix is in.
# The signal checks during the write of OUT.tmp-* need src/cleanup.c wired into main.c and pdf.c.
CLEANUP_WIRED=${CLEANUP_WIRED:-1}
# A long run of combining marks on one letter takes HarfBuzz quadratic time (tests/README.md).
MARKS_BOUNDED=${MARKS_BOUNDED:-1}
# A long title makes the running heads quadratic: pagebuild.c head_text drops one word per
# composition (7 s for a 6 000-character title, 49 s for 12 000; tests/README.md).
HEADS_FAST=${HEADS_FAST:-1}
# A title over 32 766 UTF-16 units does not fit a libharu string (pdf.c text_string): exit 3.
TITLE_FITS_PDF=${TITLE_FITS_PDF:-1}
# A paragraph with ruby is quadratic: compose.c place_line resets every glyph's pen and
# place_ruby scans every ruby for each line (4 MB of the corpus's Chinese: 41 s; 4.8 s with
# per-line work; tests/README.md).
RUBY_LINEAR=${RUBY_LINEAR:-1}

(($# == 1)) || { echo "usage: tests/errors.sh BDIR" >&2; exit 2; }
case $1 in /*) pb=$1/paiban ;; *) pb=$PWD/$1/paiban ;; esac
cd "$(dirname "$0")/.."
[[ -x $pb ]] || { echo "FAIL $pb not built"; echo "errors: 0 passed, 1 failed"; exit 1; }
# Time limits are for a release build; a sanitizer build runs about 4 times slower.
SLOWDOWN=1
if [[ $(basename "$(dirname "$pb")") == asan ]]; then
    export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
    export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
    SLOWDOWN=4
fi
corpus=corpus/ai-plus-initiative.txt
layout=layouts/booklet.ini
# A big input must be set within this many seconds (the brief's limit for a 1 MB paragraph).
BIG_SECONDS=${BIG_SECONDS:-$((20 * SLOWDOWN))}
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1700000000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

source tests/lib.sh
skipped=0


expected_to_fail() { # expected_to_fail FLAG NAME CMD...: check NAME CMD... once FLAG is 1;
    local flag=$1 name=$2   # while it is 0, only report how CMD fared
    shift 2
    if ((${!flag})); then
        check "$name" "$@"
        return
    fi
    if "$@" >"$tmp/check.log" 2>&1; then
        echo "skip $name: passed although $flag=0; set $flag=1 in tests/errors.sh"
    else
        echo "skip $name: expected to fail while $flag=0:"
        sed 's/^/    /' "$tmp/check.log" | head -n 10
    fi
    skipped=$((skipped + 1))
}

# run CODE ARGS...: run paiban (bounded) with ARGS; its exit code must be CODE. Output goes to
# $tmp/stdout and $tmp/stderr.
run() {
    local want=$1 rc=0
    shift
    timeout -k 10 300 "$pb" "$@" >"$tmp/stdout" 2>"$tmp/stderr" || rc=$?
    ((rc == want)) || { echo "exit $rc, expected $want"; head -n 20 "$tmp/stderr"; return 1; }
}

# says PREFIX: the first line of stderr starts with PREFIX (exactly, no pattern).
says() {
    local first
    first=$(head -n 1 "$tmp/stderr")
    [[ $first == "$1"* ]] ||
        { printf 'stderr starts\n    %s\nexpected\n    %s\n' "$first" "$1"; return 1; }
}

once() { # stderr has exactly one line
    local n
    n=$(wc -l <"$tmp/stderr")
    ((n == 1)) || { echo "$n lines on stderr:"; head -n 5 "$tmp/stderr"; return 1; }
}

quiet() { # stderr is empty
    [[ ! -s $tmp/stderr ]] || { echo "unexpected stderr:"; head -n 20 "$tmp/stderr"; return 1; }
}

fails_with() { # fails_with CODE PREFIX ARGS...: paiban ARGS exits CODE and says PREFIX
    local want=$1 prefix=$2
    shift 2
    run "$want" "$@" && says "$prefix"
}

# ---- inputs ----------------------------------------------------------------------------------
in=$tmp/in
mkdir -p "$in"
: >"$in/empty.txt"
printf '\n  \n\t\n' >"$in/blank.txt"
# Byte problems on line 2, column 4 (after "abc"): each message names line 2, column 4.
printf '一二三\nabc\xc3\n' >"$in/utf8-truncated.txt"
printf '一二三\nabc\x80d\n' >"$in/utf8-continuation.txt"
printf '一二三\nabc\xc0\xafd\n' >"$in/utf8-overlong.txt"
printf '一二三\nabc\xed\xa0\x80d\n' >"$in/utf8-surrogate.txt"
printf '一二三\nabc\xf4\x90\x80\x80d\n' >"$in/utf8-too-big.txt"
printf '一二三\nabc\x00d\n' >"$in/nul.txt"
printf '一二三\nabc\x01d\n' >"$in/control.txt"
printf '一二三\rabc\r' >"$in/cr-only.txt" # classic Mac line ends: a lone CR is a control char
# The real corpus with a byte order mark and CRLF line ends: same trace as the LF original.
{ printf '\xef\xbb\xbf'; sed 's/$/\r/' "$corpus"; } >"$in/bom-crlf.txt"
printf '標題\nTitle\n一段中文。\nA paragraph.\n沒有英文的一段。\n' >"$in/zh-alone-last.txt"
printf '標題\nTitle\n一段中文。\n另一段中文。\nA paragraph.\n' >"$in/zh-alone.txt"
printf '標題\nTitle\nNo Chinese before me.\n一段中文。\n' >"$in/en-alone.txt"
# TABs in the text: read as spaces (the same trace as the file with spaces).
printf '標題\nTitle\n一段\t中文。\nA\tparagraph\twith tabs.\n' >"$in/tabs.txt"
printf '標題\nTitle\n一段 中文。\nA paragraph with tabs.\n' >"$in/tabs-as-spaces.txt"
# Text set past the measure: a 0.1 mm text block, a 1000 mm indent, 500 "——" in one line.
printf '[page]\nmargin-inner = 73.95mm\nmargin-outer = 73.95mm\n' >"$in/thin-block.ini"
printf '[text]\nindent = 1000mm\n' >"$in/huge-indent.ini"
{ printf '標題\nTitle\n一段'; for ((k = 0; k < 500; k++)); do printf '——'; done; printf '中文。\nA paragraph.\n'; } >"$in/dashes.txt"
# U+E000 (private use, no font has it) after a two-space indent and an annotation: column 10.
printf '標題\nTitle\n  國(guó)際\xee\x80\x80字\nInternational.\n' >"$in/pua-zh.txt"
printf '標題\nTitle\n一段中文。\nThe \xee\x80\x80 sign.\n' >"$in/pua-en.txt"
# ... in the paragraph after a heading (composed early to keep the heading with it): once.
printf '標題\nTitle\n一、第一節\nI. Section one\n一段\xee\x80\x80中文。\nA paragraph.\n' >"$in/pua-after-heading.txt"

# The Chinese lines (3, 5, ...) of the corpus joined, and its English lines joined by spaces.
awk 'NR > 2 && NR % 2 == 1 { printf "%s", $0 }' "$corpus" >"$tmp/zh-body"
awk 'NR > 2 && NR % 2 == 0 { printf "%s ", $0 }' "$corpus" >"$tmp/en-body"
repeat_to() { # repeat_to BYTES FILE: FILE repeated, cut to BYTES (less a split character)
    /usr/bin/python3 -c 'import sys
data, n = open(sys.argv[2], "rb").read(), int(sys.argv[1])
cut = (data * (n // len(data) + 1))[:n]
sys.stdout.buffer.write(cut.decode("utf-8", "ignore").encode("utf-8"))' "$1" "$2"
}
MIB=$((1024 * 1024))
{ head -n 2 "$corpus"; repeat_to $MIB "$tmp/zh-body"; printf '\nThe English partner.\n'; } \
    >"$in/zh-1mb-para.txt"
{ head -n 2 "$corpus"; printf '一段很長的英文。\n'; repeat_to $MIB "$tmp/en-body"; echo; } \
    >"$in/en-1mb-para.txt"
{ head -n 2 "$corpus"; repeat_to $((4 * MIB)) "$tmp/zh-body"; printf '\nThe English partner.\n'; } \
    >"$in/zh-4mb-para.txt"
# An 8 MiB English paragraph: past the 2 097 152 code points a paragraph may have.
{ head -n 2 "$corpus"; printf '一段很長的英文。\n'; repeat_to $((8 * MIB)) "$tmp/en-body"; echo; } >"$in/en-8mb-para.txt"
# A long run for the signal checks: the title pair once, then the body 300 times (~2.2 MB).
awk 'NR <= 2 { print; next } { rest[++k] = $0 }
     END { for (i = 0; i < 300; i++) for (j = 1; j <= k; j++) print rest[j] }' "$corpus" \
    >"$in/corpus-300x.txt"

# One letter with 200 000 combining acute accents (U+0301) in an English line.
{ printf '標題\nTitle\n組合字符。\nx'; { yes $'\xcc\x81' || true; } | head -n 200000 | tr -d '\n'; printf ' y\n'; } \
    >"$in/marks.txt"

# Runs of 30 combining acute accents separated by U+034F COMBINING GRAPHEME JOINER (which does
# not start a new character) on one letter, 212 KB: once shaped as one cluster in 24 s.
/usr/bin/python3 -c 'import sys
sys.stdout.write("標題\nTitle\n組合字符。\nx" + ("\u0301" * 30 + "\u034f") * 3420 + " y\n")' >"$in/marks-cgj.txt"

# A 6 000-character English title (1 200 words) before the corpus body: it is the running head
# of every page, shortened to the measure.
{ printf '長標題\n'; { yes word || true; } | head -n 1200 | tr '\n' ' '; echo; tail -n +3 "$corpus"; } \
    >"$in/long-title.txt"

# A 40 000-character English title (8 000 words), set without running heads.
{ printf '長標題\n'; { yes word || true; } | head -n 8000 | tr '\n' ' '; echo; tail -n +3 "$corpus"; } \
    >"$in/huge-title.txt"
printf '[header]\nenabled = no\n' >"$in/no-heads.ini"

printf '[text]\nsize = 10pt\nbogus = 1\n' >"$in/unknown-key.ini"
printf '[text]\nsize = 10qq\n' >"$in/bad-unit.ini"
printf '[page]\nmargin = -3mm\n' >"$in/negative.ini"
printf '[typo]\nsize = 10pt\n' >"$in/unknown-section.ini"
# Damaged fonts: Noto Serif renamed "Paiban Test Serif" (fontTools), then cut after its name
# table (fontconfig still finds it; its glyph outlines are gone), or with its glyph data
# overwritten (its table directory whole).
mkdir -p "$in/font-cut" "$in/font-bad"
/usr/bin/python3 - "$in" <<'PY'
import random, struct, sys
from fontTools.ttLib import TTFont
out = sys.argv[1]
f = TTFont("/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf")
for r in f["name"].names:
    if r.nameID in (1, 4, 16):
        r.string = "Paiban Test Serif"
    elif r.nameID == 6:
        r.string = "PaibanTestSerif-Regular"
f.save(out + "/font.ttf")
d = open(out + "/font.ttf", "rb").read()
tables = {}
for i in range(struct.unpack(">H", d[4:6])[0]):
    tag, _, off, length = struct.unpack(">4sIII", d[12 + 16 * i:28 + 16 * i])
    tables[tag] = (off, length)
off, length = tables[b"name"]
assert off > tables[b"glyf"][0]
open(out + "/font-cut/cut.ttf", "wb").write(d[:off + length])
off, length = tables[b"glyf"]
random.seed(1)
bad = bytearray(d)
bad[off:off + length] = bytes(random.randrange(256) for _ in range(length))
open(out + "/font-bad/bad.ttf", "wb").write(bytes(bad))
PY
printf '[fonts]\nlatin = Paiban Test Serif\n' >"$in/test-serif.ini"
printf '[fonts]\nhan = No Such Font\n' >"$in/no-such-font.ini"
printf '[fonts]\nfallback = No Such Fallback\n' >"$in/no-such-fallback.ini"
echo 'not a directory' >"$in/plain-file"
# Ruby sizes whose room making once spun forever (ruby.c: a lack of 1e-16 pt took nothing off
# a ruby): 7.2/4 and 10.725/5.85 pt in the booklet, and a leaflet that shrinks (10/5 pt on a
# small page, down to the scale 0.725).
printf '[text]\nsize = 7.2pt\n[ruby]\nsize = 4pt\n' >"$in/ruby-7.2-4.ini"
printf '[text]\nsize = 10.725pt\n[ruby]\nsize = 5.85pt\n' >"$in/ruby-10.725-5.85.ini"
printf '[product]\nkind = leaflet\n[page]\nsize = 90mm 150mm\n[text]\nsize = 10pt\nleading = 17pt\n[ruby]\nmode = ruby\nsize = 5pt\n[leaflet]\nfit = shrink\nmin-scale = 0.5\n' \
    >"$in/ruby-leaflet-shrink.ini"

# ---- checks ----------------------------------------------------------------------------------
empty_corpus() { fails_with 1 "$in/empty.txt:1:1: error: empty corpus (no text)" -o "$tmp/o.pdf" "$in/empty.txt"; }
blank_corpus() { fails_with 1 "$in/blank.txt:1:1: error: empty corpus (no text)" -o "$tmp/o.pdf" "$in/blank.txt"; }
utf8() { # utf8 CASE BYTE
    fails_with 1 "$in/utf8-$1.txt:2:4: error: invalid UTF-8 byte $2" -o "$tmp/o.pdf" "$in/utf8-$1.txt"
}
nul_byte() { fails_with 1 "$in/nul.txt:2:4: error: NUL byte in text" -o "$tmp/o.pdf" "$in/nul.txt"; }
control_char() { fails_with 1 "$in/control.txt:2:4: error: control character U+0001 in text" -o "$tmp/o.pdf" "$in/control.txt"; }
cr_only() { fails_with 1 "$in/cr-only.txt:1:4: error: control character U+000D in text" -o "$tmp/o.pdf" "$in/cr-only.txt"; }

bom_crlf() { # exit 0, nothing on stderr, and the trace of the LF original
    run 0 --trace --layout "$layout" "$corpus" && quiet && cp "$tmp/stdout" "$tmp/lf.trace" &&
        run 0 --trace --layout "$layout" "$in/bom-crlf.txt" && quiet || return 1
    diff -u "$tmp/lf.trace" "$tmp/stdout" >"$tmp/diff" || { head -n 20 "$tmp/diff"; return 1; }
}

tabs() { # exit 0, nothing on stderr, the trace of the file with spaces
    run 0 --trace --layout "$layout" "$in/tabs-as-spaces.txt" && quiet && cp "$tmp/stdout" "$tmp/spaces.trace" &&
        run 0 --trace --layout "$layout" "$in/tabs.txt" && quiet || return 1
    diff -u "$tmp/spaces.trace" "$tmp/stdout" >"$tmp/diff" || { head -n 20 "$tmp/diff"; return 1; }
}

overfull() { # overfull PREFIX TAIL ARGS...: exit 0, a PDF; stderr starts PREFIX, its first line
    local prefix=$1 tail=$2 # ends TAIL; the report lists the overfull lines too
    shift 2
    rm -f "$tmp/over.pdf" "$tmp/over.report.txt"
    run 0 --report "$@" -o "$tmp/over.pdf" && says "$prefix" || return 1
    [[ $(head -n 1 "$tmp/stderr") == *"$tail" ]] || { echo "first line does not end '$tail':"; head -n 1 "$tmp/stderr"; return 1; }
    [[ -s $tmp/over.pdf ]] || { echo "no PDF"; return 1; }
    grep -q ': overfull line on page ' "$tmp/over.report.txt" || { echo "the report lists no overfull line"; return 1; }
}

zh_alone() { fails_with 1 "$in/zh-alone.txt:3:1: error: Chinese paragraph has no English partner" -o "$tmp/o.pdf" "$in/zh-alone.txt"; }
zh_alone_last() { fails_with 1 "$in/zh-alone-last.txt:5:1: error: Chinese paragraph has no English partner" -o "$tmp/o.pdf" "$in/zh-alone-last.txt"; }
en_alone() { fails_with 1 "$in/en-alone.txt:3:1: error: English paragraph has no Chinese partner" -o "$tmp/o.pdf" "$in/en-alone.txt"; }

big() { # big FILE [SECONDS]: exit 0 within SECONDS (BIG_SECONDS), nothing on stderr, a PDF;
    local rc=0 secs kib pages limit=${2:-$BIG_SECONDS} # notes time and RSS
    rm -f "$tmp/big.pdf"
    /usr/bin/time -o "$tmp/time" -f '%e %M' timeout -k 5 "$limit" "$pb" --layout "$layout" \
        -o "$tmp/big.pdf" "$1" >"$tmp/stdout" 2>"$tmp/stderr" || rc=$?
    # on a non-zero exit, time writes "Command exited with ..." first
    read -r secs kib < <(tail -n 1 "$tmp/time") || { cat "$tmp/time"; return 1; }
    pages=$(pdfinfo "$tmp/big.pdf" 2>/dev/null | awk '/^Pages:/ { print $2 }') || true
    awk -v s="$secs" -v k="$kib" -v p="${pages:-?}" -v b="$(stat -c %s "$1")" \
        'BEGIN { printf "%.1f MiB in, %s pages, %.2f s, %.1f MiB peak RSS\n", b / 1048576, p, s, k / 1024 }' >"$note"
    ((rc != 124 && rc != 137)) || { echo "still running after $limit s (killed)"; return 1; }
    ((rc == 0)) || { echo "exit $rc, expected 0"; head -n 20 "$tmp/stderr"; return 1; }
    quiet || return 1
    awk -v s="$secs" -v max="$limit" 'BEGIN { exit !(s <= max) }' ||
        { echo "took $secs s, limit $limit s"; return 1; }
}
PARA_LIMIT_MIB=$((300 * SLOWDOWN)) # the 8 MiB paragraph took 1.8 GiB to set
over_long() { # refused at the first code point past the limit, before the memory is spent
    local kib
    rm -f "$tmp/long.pdf"
    /usr/bin/time -o "$tmp/time" -f '%M' timeout -k 5 "$BIG_SECONDS" "$pb" --layout "$layout" \
        -o "$tmp/long.pdf" "$in/en-8mb-para.txt" >"$tmp/stdout" 2>"$tmp/stderr" || true
    says "$in/en-8mb-para.txt:4:2097153: error: paragraph longer than 2097152 code points" || return 1
    [[ ! -e $tmp/long.pdf ]] || { echo "a PDF was written"; return 1; }
    kib=$(tail -n 1 "$tmp/time")
    echo "peak RSS $((kib / 1024)) MiB" >"$note"
    ((kib <= PARA_LIMIT_MIB * 1024)) || { echo "peak RSS $((kib / 1024)) MiB, limit $PARA_LIMIT_MIB MiB"; return 1; }
}
ZH4_SECONDS=${ZH4_SECONDS:-$((15 * SLOWDOWN))}

MARKS_SECONDS=${MARKS_SECONDS:-$((10 * SLOWDOWN))}
many_marks() { # accepted or rejected, but quickly (a rejection names line 4)
    local rc=0
    timeout -k 5 "$MARKS_SECONDS" "$pb" --layout "$layout" -o "$tmp/marks.pdf" "$in/marks.txt" \
        >"$tmp/stdout" 2>"$tmp/stderr" || rc=$?
    case $rc in
    0) quiet ;;
    1) says "$in/marks.txt:4:" ;;
    124 | 137) echo "still running after $MARKS_SECONDS s (killed)"; return 1 ;;
    *) echo "exit $rc"; head -n 5 "$tmp/stderr"; return 1 ;;
    esac
}

marks_cgj() { # refused at the 31st mark, quickly
    local rc=0
    timeout -k 5 "$MARKS_SECONDS" "$pb" --layout "$layout" -o "$tmp/marks.pdf" "$in/marks-cgj.txt" \
        >"$tmp/stdout" 2>"$tmp/stderr" || rc=$?
    case $rc in
    1) says "$in/marks-cgj.txt:4:32: error: more than 30 combining marks in a row" ;;
    124 | 137) echo "still running after $MARKS_SECONDS s (killed)"; return 1 ;;
    *) echo "exit $rc, expected 1"; head -n 5 "$tmp/stderr"; return 1 ;;
    esac
}

HEADS_SECONDS=${HEADS_SECONDS:-$((2 * SLOWDOWN))} # bisection sets it in 0.15 s
long_title() { # exit 0 within HEADS_SECONDS, nothing on stderr
    local rc=0
    timeout -k 5 "$HEADS_SECONDS" "$pb" --layout "$layout" -o "$tmp/title.pdf" "$in/long-title.txt" \
        >"$tmp/stdout" 2>"$tmp/stderr" || rc=$?
    case $rc in
    0) quiet ;;
    124 | 137) echo "still running after $HEADS_SECONDS s (killed)"; return 1 ;;
    *) echo "exit $rc"; head -n 5 "$tmp/stderr"; return 1 ;;
    esac
}

huge_title() { # a PDF (the title cut in its metadata), or a bad-input error at line 2
    local rc=0
    timeout -k 10 300 "$pb" --layout "$in/no-heads.ini" -o "$tmp/huge.pdf" "$in/huge-title.txt" \
        >"$tmp/stdout" 2>"$tmp/stderr" || rc=$?
    case $rc in
    0) quiet && [[ -s $tmp/huge.pdf ]] ;;
    1) says "$in/huge-title.txt:2:" ;;
    *) echo "exit $rc, expected 0 or 1"; head -n 5 "$tmp/stderr"; return 1 ;;
    esac
}

RUBY_SECONDS=${RUBY_SECONDS:-$((5 * SLOWDOWN))} # 0.2 s each
ruby_sizes() { # ruby_sizes LAYOUT: the corpus's trace, exit 0 within RUBY_SECONDS
    local rc=0
    timeout -k 5 "$RUBY_SECONDS" "$pb" --trace --layout "$1" "$corpus" >"$tmp/stdout" 2>"$tmp/stderr" || rc=$?
    case $rc in
    0) [[ -s $tmp/stdout ]] ;;
    124 | 137) echo "still running after $RUBY_SECONDS s (killed)"; return 1 ;;
    *) echo "exit $rc"; head -n 5 "$tmp/stderr"; return 1 ;;
    esac
}

# Out of memory at every point: tests/failalloc.c (LD_PRELOAD) makes the N-th allocation of
# paiban's own code and every later one fail. Whatever N, the run exits 0 (N past the last
# allocation) or 3 with exactly one message, "paiban: error: ...", leaving no OUT.tmp-*; never
# a crash, never silence. N: 1-12, then 40 steps over the run (PAIBAN_THREADS=1: one order).
FAILALLOC=$(dirname "$pb")/tests/failalloc.so
failalloc_run() { # failalloc_run N: one run, its exit status in $rc
    rc=0
    PB_FAILALLOC=$1 PAIBAN_THREADS=1 LD_PRELOAD=$FAILALLOC timeout -k 5 60 "$pb" \
        --layout "$layout" -o "$tmp/fa/out.pdf" "$corpus" >"$tmp/stdout" 2>"$tmp/stderr" || rc=$?
}
out_of_memory() {
    [[ -f $FAILALLOC ]] || { echo "$FAILALLOC not built (make test builds it)"; return 1; }
    mkdir -p "$tmp/fa"
    failalloc_run 0
    local total ns=() n lines bad=0
    total=$(sed -n 's/^failalloc: //p' "$tmp/stderr")
    ((rc == 0 && total > 0)) || { echo "count run: exit $rc"; head -n 5 "$tmp/stderr"; return 1; }
    for ((n = 1; n <= 12; n++)); do ns+=("$n"); done
    for ((n = 13; n <= total + 1; n += (total + 39) / 40)); do ns+=("$n"); done
    for n in "${ns[@]}"; do
        failalloc_run "$n"
        lines=$(grep -c 'error:' "$tmp/stderr") || true
        if ((rc == 0)) && ((n > total - 50)); then
            continue # past the last allocation (a background thread's may come later)
        elif ((rc != 3 || lines != 1)) || ! head -n 1 "$tmp/stderr" | grep -q '^paiban: error: '; then
            echo "allocation $n of $total failing: exit $rc, $lines error line(s):"
            head -n 3 "$tmp/stderr"
            bad=1
        elif compgen -G "$tmp/fa/out.pdf.tmp-*" >/dev/null; then
            echo "allocation $n: left $(ls "$tmp/fa")"
            bad=1
        fi
    done
    echo "${#ns[@]} runs over $total allocations" >"$note"
    ((bad == 0))
}

unknown_key() { fails_with 1 "$in/unknown-key.ini:3: error: unknown key 'bogus' in [text]" --layout "$in/unknown-key.ini" -o "$tmp/o.pdf" "$corpus"; }
bad_unit() { fails_with 1 "$in/bad-unit.ini:2: error: bad value '10qq' for size in [text]: unknown unit 'qq'" --layout "$in/bad-unit.ini" -o "$tmp/o.pdf" "$corpus"; }
negative() { fails_with 1 "$in/negative.ini:2: error: bad value '-3mm' for margin in [page]: negative length" --layout "$in/negative.ini" -o "$tmp/o.pdf" "$corpus"; }
unknown_section() { fails_with 1 "$in/unknown-section.ini:1: error: unknown section [typo]" --layout "$in/unknown-section.ini" -o "$tmp/o.pdf" "$corpus"; }
layout_missing() { fails_with 3 "paiban: error: cannot read layout $in/no-such.ini: No such file or directory" --layout "$in/no-such.ini" -o "$tmp/o.pdf" "$corpus"; }
layout_dir() { fails_with 3 "paiban: error: cannot read layout $in: Is a directory" --layout "$in" -o "$tmp/o.pdf" "$corpus"; }
layout_huge() { fails_with 1 "/dev/zero: error: larger than 1048576 bytes; not a layout file" --layout /dev/zero -o "$tmp/o.pdf" "$corpus"; }
corpus_dir() { fails_with 3 "paiban: error: cannot read $in: Is a directory" -o "$tmp/o.pdf" "$in"; }

no_font() { fails_with 3 "paiban: error: font family 'No Such Font' (role han) is not installed" --layout "$in/no-such-font.ini" -o "$tmp/o.pdf" "$corpus"; }
no_fallback() { fails_with 3 "paiban: error: font family 'No Such Fallback' (role fallback) is not installed" --layout "$in/no-such-fallback.ini" -o "$tmp/o.pdf" "$corpus"; }
fonts_dir_missing() { fails_with 2 "paiban: error: --fonts-dir $in/no-such-dir: No such file or directory" --fonts-dir "$in/no-such-dir" --layout "$layout" -o "$tmp/o.pdf" "$corpus" && once; }
fonts_dir_file() { fails_with 2 "paiban: error: --fonts-dir $in/plain-file: not a directory" --fonts-dir "$in/plain-file" --layout "$layout" -o "$tmp/o.pdf" "$corpus" && once; }
font_cut() { fails_with 3 "paiban: error: font $in/font-cut/cut.ttf is damaged: its tables need" --fonts-dir "$in/font-cut" --layout "$in/test-serif.ini" -o "$tmp/o.pdf" "$corpus" && once; }
font_bad() { fails_with 3 "paiban: error: font $in/font-bad/bad.ttf is damaged: glyph " --fonts-dir "$in/font-bad" --layout "$in/test-serif.ini" -o "$tmp/o.pdf" "$corpus" && once; }
pua_zh() { fails_with 1 "$in/pua-zh.txt:3:10: error: no configured font covers U+E000" --layout "$layout" -o "$tmp/o.pdf" "$in/pua-zh.txt"; }
pua_after_heading() { fails_with 1 "$in/pua-after-heading.txt:5:3: error: no configured font covers U+E000" --layout "$layout" -o "$tmp/o.pdf" "$in/pua-after-heading.txt" && once; }
pua_en() { fails_with 1 "$in/pua-en.txt:4:5: error: no configured font covers U+E000" --layout "$layout" -o "$tmp/o.pdf" "$in/pua-en.txt"; }

out_proc() { fails_with 3 "paiban: error: cannot write /proc/x.pdf: " --layout "$layout" -o /proc/x.pdf "$corpus"; }
trace_proc() { fails_with 3 "paiban: error: cannot write /proc/x.trace: " --trace --layout "$layout" -o /proc/x.trace "$corpus"; }
out_missing_dir() { # nothing is created: neither the directory nor a temporary file
    fails_with 3 "paiban: error: cannot write $tmp/nodir/out.pdf: No such file or directory" \
        --layout "$layout" -o "$tmp/nodir/out.pdf" "$corpus" && [[ ! -e $tmp/nodir ]]
}
out_under_file() { fails_with 3 "paiban: error: cannot write $in/plain-file/x.pdf: Not a directory" --layout "$layout" -o "$in/plain-file/x.pdf" "$corpus"; }
out_is_dir() { # -o names a directory: exit 3, the directory as it was, no OUT.tmp-* beside it
    mkdir -p "$tmp/odir/out.pdf"
    fails_with 3 "paiban: error: cannot write $tmp/odir/out.pdf: Is a directory" \
        --layout "$layout" -o "$tmp/odir/out.pdf" "$corpus" || return 1
    [[ -d $tmp/odir/out.pdf && -z $(ls -A "$tmp/odir/out.pdf") ]] || { echo "directory changed"; return 1; }
    ! compgen -G "$tmp/odir/out.pdf.tmp-*" || { echo "left: $(ls "$tmp/odir")"; return 1; }
}

trace_kept() { # a failed --trace -o run leaves the previous trace as it was, no OUT.tmp-*
    printf 'the previous trace\n' >"$tmp/kept.trace"
    cp "$tmp/kept.trace" "$tmp/kept.before"
    fails_with 1 "$in/nul.txt:2:4: error: NUL byte in text" --trace -o "$tmp/kept.trace" "$in/nul.txt" || return 1
    cmp "$tmp/kept.before" "$tmp/kept.trace" || { echo "the previous trace changed"; return 1; }
    ! compgen -G "$tmp/kept.trace.tmp-*" || { echo "left: $(ls "$tmp" | grep kept)"; return 1; }
}

# signal_run SIG WHEN: run paiban on the long corpus to DIR/out.pdf (holding an older file), send
# SIG at WHEN (early: ~50 ms in; writing: as soon as DIR/out.pdf.tmp-* exists), then check it
# died of SIG, said nothing, left the older out.pdf as it was and no out.pdf.tmp-*.
signal_run() {
    local sig=$1 when=$2 d=$tmp/sig-$1-$2 pid rc=0 want seen=0
    mkdir -p "$d"
    printf 'the previous output\n' >"$d/out.pdf"
    cp "$d/out.pdf" "$d/before"
    # A background job of a script starts with SIGINT ignored; give paiban the default back.
    env --default-signal=INT,TERM "$pb" --layout "$layout" -o "$d/out.pdf" "$in/corpus-300x.txt" \
        >/dev/null 2>"$tmp/stderr" &
    pid=$!
    # Wait for env to exec paiban (before that, SIGINT would still be ignored).
    for ((k = 0; k < 5000; k++)); do
        [[ $(readlink "/proc/$pid/exe" 2>/dev/null) != "$(readlink -f "$pb")" ]] || break
        sleep 0.001
    done
    if [[ $when == early ]]; then
        sleep 0.05
    else
        for ((k = 0; k < 60000; k++)); do # up to ~2 min
            if compgen -G "$d/out.pdf.tmp-*" >/dev/null; then seen=1; break; fi
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.002
        done
    fi
    if ! kill -s "$sig" "$pid" 2>/dev/null; then
        wait "$pid" || rc=$?
        echo "paiban ended (exit $rc) before the signal"
        return 1
    fi
    wait "$pid" || rc=$?
    want=$((128 + $(kill -l "$sig")))
    ((rc == want)) || { echo "exit status $rc, expected $want (killed by SIG$sig)"; cat "$tmp/stderr"; return 1; }
    quiet || return 1
    [[ $when == early || $seen == 1 ]] || { echo "never saw out.pdf.tmp-*"; return 1; }
    cmp "$d/before" "$d/out.pdf" || { echo "the previous output changed"; return 1; }
    if compgen -G "$d/out.pdf.tmp-*" >/dev/null; then echo "left behind: $(cd "$d" && echo out.pdf.tmp-*)"; return 1; fi
}

check "empty corpus: exit 1, FILE:1:1: error: empty corpus" empty_corpus
check "blank-only corpus: exit 1, FILE:1:1: error: empty corpus" blank_corpus
check "invalid UTF-8 (truncated sequence at line end): exit 1, FILE:2:4:" utf8 truncated 0xC3
check "invalid UTF-8 (lone continuation byte): exit 1, FILE:2:4:" utf8 continuation 0x80
check "invalid UTF-8 (overlong /): exit 1, FILE:2:4:" utf8 overlong 0xC0
check "invalid UTF-8 (surrogate U+D800): exit 1, FILE:2:4:" utf8 surrogate 0xED
check "invalid UTF-8 (above U+10FFFF): exit 1, FILE:2:4:" utf8 too-big 0xF4
check "NUL byte: exit 1, FILE:2:4: error: NUL byte in text" nul_byte
check "control character U+0001: exit 1, FILE:2:4:" control_char
check "CR-only line ends: exit 1, FILE:1:4: control character U+000D" cr_only
check "BOM + CRLF: exit 0, same trace as the LF file" bom_crlf
check "TABs in the text: exit 0, read as spaces (same trace)" tabs
check "0.1 mm text block: exit 0, FILE:1: warning: N lines overfull" overfull "$corpus:1: warning: " "(the first on page 2)" --layout "$in/thin-block.ini" "$corpus"
check "1000 mm indent: exit 0, FILE:3: warning: line overfull, runs off the page" overfull "$corpus:3: warning: line overfull by " "; text runs off the page" --layout "$in/huge-indent.ini" "$corpus"
check "500 —— in one line: exit 0, FILE:3: warning: line overfull, runs off the page" overfull "$in/dashes.txt:3: warning: line overfull by " "; text runs off the page" --layout "$layout" "$in/dashes.txt"
check "Chinese line without English partner: exit 1, FILE:3:1:" zh_alone
check "Chinese last line without partner: exit 1, FILE:5:1:" zh_alone_last
check "English line without Chinese partner: exit 1, FILE:3:1:" en_alone
check "1 MB Chinese paragraph: exit 0 within ${BIG_SECONDS} s" big "$in/zh-1mb-para.txt"
check "1 MB English paragraph: exit 0 within ${BIG_SECONDS} s" big "$in/en-1mb-para.txt"
check "8 MiB English paragraph: exit 1 at FILE:4:2097153 (paragraph limit), peak RSS under ${PARA_LIMIT_MIB} MiB" over_long
check "ruby 4 pt over 7.2 pt text: exit 0 within ${RUBY_SECONDS} s" ruby_sizes "$in/ruby-7.2-4.ini"
check "ruby 5.85 pt over 10.725 pt text: exit 0 within ${RUBY_SECONDS} s" ruby_sizes "$in/ruby-10.725-5.85.ini"
check "ruby in a leaflet that shrinks (10/5 pt, small page): exit 0 within ${RUBY_SECONDS} s" ruby_sizes "$in/ruby-leaflet-shrink.ini"
check "layout: unknown key: exit 1, FILE:3: error: unknown key" unknown_key
check "layout: bad value (unit): exit 1, FILE:2: error: bad value" bad_unit
check "layout: bad value (negative margin): exit 1, FILE:2: error: bad value" negative
check "layout: unknown section: exit 1, FILE:1: error: unknown section" unknown_section
check "layout: missing file: exit 3" layout_missing
check "layout: a directory: exit 3" layout_dir
check "layout: /dev/zero (too large): exit 1" layout_huge
check "corpus: a directory: exit 3" corpus_dir
check "font family not installed (han): exit 3, names the family" no_font
check "fallback family not installed: exit 3, names the family" no_fallback
check "--fonts-dir names no directory: exit 2" fonts_dir_missing
check "--fonts-dir names a plain file: exit 2" fonts_dir_file
check "font cut short (after its name table): exit 3, says the file is damaged, once" font_cut
check "font with damaged glyph data: exit 3, says the file is damaged, once" font_bad
check "U+E000 in Chinese: exit 1 at FILE:3:10:" pua_zh
check "U+E000 in English: exit 1 at FILE:4:5:" pua_en
check "U+E000 after a heading: exit 1 at FILE:5:3:, said once" pua_after_heading
if [[ $(basename "$(dirname "$pb")") == asan ]]; then
    echo "skip out of memory at every allocation: LD_PRELOAD of malloc does not go with ASan"
else
    check "out of memory at every allocation: exit 3 and one message, never silent" out_of_memory
fi
check "-o /proc/x.pdf (unwritable): exit 3" out_proc
check "--trace -o /proc/x.trace (unwritable): exit 3" trace_proc
check "-o into a missing directory: exit 3, nothing created" out_missing_dir
check "-o under a plain file: exit 3" out_under_file
check "-o names a directory: exit 3, no OUT.tmp-* left" out_is_dir
check "--trace -o after bad input: the previous trace intact, no temporary left" trace_kept
check "SIGTERM ~50 ms in: killed, previous output intact, no OUT.tmp-*" signal_run TERM early
check "SIGINT ~50 ms in: killed, previous output intact, no OUT.tmp-*" signal_run INT early
expected_to_fail CLEANUP_WIRED "SIGTERM while OUT.tmp-* is written: killed, previous output intact, temp removed" signal_run TERM writing
expected_to_fail CLEANUP_WIRED "SIGINT while OUT.tmp-* is written: killed, previous output intact, temp removed" signal_run INT writing
expected_to_fail HEADS_FAST "6 000-character title (running heads): exit 0 within ${HEADS_SECONDS} s" long_title
expected_to_fail TITLE_FITS_PDF "40 000-character title: a PDF (exit 0) or FILE:2: error (exit 1)" huge_title
expected_to_fail RUBY_LINEAR "4 MB Chinese paragraph with pinyin: exit 0 within ${ZH4_SECONDS} s" big "$in/zh-4mb-para.txt" "$ZH4_SECONDS"
expected_to_fail MARKS_BOUNDED "200 000 combining marks on one letter: exit 0 or 1 within ${MARKS_SECONDS} s" many_marks
check "runs of 30 marks joined by U+034F (212 KB): exit 1 at FILE:4:32 within ${MARKS_SECONDS} s" marks_cgj

((skipped == 0)) || echo "($skipped skipped: known defects, see the flags at the top of tests/errors.sh)"
summary errors
