#!/usr/bin/env bash
# verify.sh BDIR: `paiban verify` on hostile archives (made at test time from a real one by
# tests/hostile_pdf.py, python3-pikepdf) and on a leaflet archive: each run must end in time
# with its exit code and message, print no raw control character, keep its memory small and
# leave nothing in TMPDIR; signals during the rebuild end verify by that signal, its temporary
# folder removed; under `ulimit -v` (release build) out-of-memory is a message and exit 3,
# never an abort. tests/README.md lists the messages.
# Prints ok/FAIL per check and `verify: N passed, M failed`; exits 1 if any failed.
set -euo pipefail

(($# == 1)) || { echo "usage: tests/verify.sh BDIR" >&2; exit 2; }
case $1 in /*) pb=$1/paiban ;; *) pb=$PWD/$1/paiban ;; esac
cd "$(dirname "$0")/.."
[[ -x $pb ]] || { echo "FAIL $pb not built"; echo "verify: 0 passed, 1 failed"; exit 1; }
py=/usr/bin/python3
corpus=corpus/ai-plus-initiative.txt
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1700000000}
# Time limits are for a release build; a sanitizer build runs about 4 times slower.
SLOWDOWN=1 asan=0
if [[ $(basename "$(dirname "$pb")") == asan ]]; then
    export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
    export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
    SLOWDOWN=4 asan=1
fi
# A hostile file is refused (or found to differ) within this many seconds, using at most this
# much memory (paiban 9e839bd took 12-40 s and 3.5-4.2 GB on the bombs, looped on kids-loop).
QUICK_S=$((10 * SLOWDOWN))
RSS_MAX_KB=$((300 * 1024 * (asan ? 3 : 1)))
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
vtmp=$tmp/verify-tmp # TMPDIR for verify: must be empty after every run
mkdir -p "$vtmp"
source tests/lib.sh

# vrun CODE FILE [ENV...]: verify FILE (bounded by QUICK_S) exits CODE; stdout, stderr and
# the peak RSS (KB) in $tmp; TMPDIR left empty.
vrun() {
    local want=$1 file=$2 rc=0
    shift 2
    env TMPDIR="$vtmp" "$@" /usr/bin/time -f %M -o "$tmp/rss" timeout -k 5 "$QUICK_S" \
        "$pb" verify "$file" >"$tmp/stdout" 2>"$tmp/stderr" || rc=$?
    ((rc == want)) || { echo "exit $rc, expected $want"; cat "$tmp/stdout" "$tmp/stderr"; return 1; }
    vtmp_empty
}
vtmp_empty() { [[ -z $(ls -A "$vtmp") ]] || { echo "left in TMPDIR:"; ls -AR "$vtmp"; rm -rf "${vtmp:?}"/*; return 1; }; }
says() { # says TEXT: stderr or stdout holds TEXT
    grep -qF -- "$1" "$tmp/stderr" "$tmp/stdout" || { echo "output lacks: $1"; cat "$tmp/stderr" "$tmp/stdout"; return 1; }
}
small() { # peak RSS within RSS_MAX_KB
    local kb
    kb=$(tail -n 1 "$tmp/rss")
    ((kb <= RSS_MAX_KB)) || { echo "peak RSS $kb KB > $RSS_MAX_KB KB"; return 1; }
    echo "$((kb / 1024)) MB" >"$note"
}
no_raw_controls() { # no ESC, BEL or other C0 control but newline in stdout and stderr
    if LC_ALL=C grep -qP '[\x00-\x09\x0B-\x1F\x7F]' "$tmp/stdout" "$tmp/stderr"; then
        echo "raw control characters:"; cat -v "$tmp/stdout" "$tmp/stderr"; return 1
    fi
}
hostile() { [[ -s $tmp/$1.pdf ]] || { echo "hostile_pdf.py made no $1.pdf"; return 1; }; }
CASES=(kids-loop deep-tree wide-names no-size decode-parms bomb-corpus bomb-corpus-flat
    bomb-corpus-liar bomb-attachment bomb-metadata bomb-page esc-name esc-missing hang-layout base-layout
    accept-layout font-layout)

pdf=$tmp/initiative.pdf
build() { "$pb" --layout layouts/archive.ini -o "$pdf" "$corpus"; }

kids_loop() { # a name tree whose /Kids are itself: refused at once (9e839bd: SIGABRT, GBs)
    hostile kids-loop && vrun 1 "$tmp/kids-loop.pdf" &&
        says "$tmp/kids-loop.pdf: error: the /EmbeddedFiles name tree is not a tree: its node" &&
        says "is reached twice (a /Kids loop)" && small
}
deep_tree() { # 41 levels of distinct nodes: refused past 32
    hostile deep-tree && vrun 1 "$tmp/deep-tree.pdf" &&
        says "$tmp/deep-tree.pdf: error: the /EmbeddedFiles name tree nests deeper than 32 levels"
}
wide_names() { # 1 102 entries: refused past 1 024
    hostile wide-names && vrun 1 "$tmp/wide-names.pdf" &&
        says "$tmp/wide-names.pdf: error: the /EmbeddedFiles name tree has more than 1024 entries (paiban writes 2)"
}
no_size() { # paiban records every embedded file's size; verify needs it to bound the inflating
    hostile no-size && vrun 1 "$tmp/no-size.pdf" &&
        says "error: the embedded corpus 'ai-plus-initiative.txt' has no /Params /Size (paiban records every embedded file's size)"
}
decode_parms() {
    hostile decode-parms && vrun 1 "$tmp/decode-parms.pdf" &&
        says "error: the embedded corpus 'ai-plus-initiative.txt' has /DecodeParms << /Predictor 1 >>; paiban writes none"
}
bomb_page() { # 2 GiB as page 1's content: the rebuild differs; explaining reads at most 64 MiB
    hostile bomb-page && vrun 1 "$tmp/bomb-page.pdf" &&
        says "verify: $tmp/bomb-page.pdf: differs from its rebuild" && says "verify: page 1 differs" &&
        small
}
bomb_corpus() { # 2 GiB deflated twice as the corpus: the filter chain is refused unread
    hostile bomb-corpus && vrun 1 "$tmp/bomb-corpus.pdf" &&
        says "error: the embedded corpus 'ai-plus-initiative.txt' is encoded with /Filter [ /FlateDecode /FlateDecode ]; verify reads /FlateDecode alone" &&
        small
}
bomb_corpus_flat() { # deflated once, its /Params /Size honest: refused before inflating
    hostile bomb-corpus-flat && vrun 1 "$tmp/bomb-corpus-flat.pdf" &&
        says "error: the embedded corpus 'ai-plus-initiative.txt' declares 2147483648 bytes (/Params /Size), more than the largest corpus paiban reads (2147483647 bytes)" &&
        small
}
bomb_corpus_liar() { # /Params /Size the real corpus's: inflating stops one byte past it
    local size
    size=$(wc -c <"$corpus")
    hostile bomb-corpus-liar && vrun 1 "$tmp/bomb-corpus-liar.pdf" &&
        says "error: the embedded corpus 'ai-plus-initiative.txt' inflates to more than its /Params /Size ($size bytes)" &&
        small
}
bomb_attachment() { # a third attachment of 2 GiB: never inflated; the file differs
    hostile bomb-attachment && vrun 1 "$tmp/bomb-attachment.pdf" &&
        says "verify: $tmp/bomb-attachment.pdf: differs from its rebuild" && small
}
bomb_metadata() { # the XMP stream: inflating stops past verify's XMP limit
    hostile bomb-metadata && vrun 1 "$tmp/bomb-metadata.pdf" &&
        says "error: the XMP metadata (/Metadata) inflates to more than verify's limit for XMP (1048576 bytes)" &&
        small
}
esc_name() { # an ESC-named attachment the XMP names: refused, the name escaped
    hostile esc-name && vrun 1 "$tmp/esc-name.pdf" &&
        says "error: the embedded corpus's name 'evil\\x1B]0;pwned\\x07\\x1B[31m.txt' is not a plain file name" &&
        no_raw_controls
}
esc_missing() { # the XMP names a missing corpus with ESC in its name: escaped
    hostile esc-missing && vrun 1 "$tmp/esc-missing.pdf" &&
        says "error: the XMP names the corpus 'x\\x1B[2J.txt', but no embedded file has that name" &&
        no_raw_controls
}
names_file() { # CASE KEY LINE: an embedded layout naming a file is refused before the
    # rebuild: nothing of /etc/passwd is read or quoted (review 12 B1)
    hostile "$1" && vrun 1 "$tmp/$1.pdf" &&
        says "error: the embedded layout archive.ini names a file on line $3 ($2): paiban embeds a layout that stands alone, so this one was changed; not rebuilt, nothing opened" &&
        ! grep -q 'root' "$tmp/stderr" "$tmp/stdout"
}
font_layout() { # a family not installed: the error names the archive's layout, and sends the
    # reader to no file of the temporary folder (review 12 B10: 'paiban fonts --layout /tmp/…')
    hostile font-layout && vrun 3 "$tmp/font-layout.pdf" &&
        says "font-layout.pdf#archive.ini:" &&
        says "error: font family 'Nonexistent Font' (han in [fonts]) is not installed; install it to rebuild the archive" &&
        ! grep -q 'paiban-verify' "$tmp/stderr" "$tmp/stdout"
}
# The leaflet as a PDF/A layout: an archive embeds its layout file alone, so it names no base;
# booklet.ini is the built-in defaults, so the leaflet's own keys are the whole of it.
leaflet_pdfa() { sed '/^base = booklet$/d' layouts/leaflet.ini && printf '[pdf]\nprofile = pdfa-3u\n'; }

no_section() { # a leaflet archive whose XMP lost pb:section: the rebuild says what is missing
    leaflet_pdfa >"$tmp/leaflet-a.ini" &&
        "$pb" --layout "$tmp/leaflet-a.ini" -o "$tmp/lf-%d.pdf" "$corpus" &&
        "$py" - "$tmp/lf-2.pdf" "$tmp/no-section.pdf" <<'EOF' &&
import re, sys, pikepdf
pdf = pikepdf.open(sys.argv[1])
x = pdf.Root.Metadata.read_bytes()
x, n = re.subn(rb"\s*<pb:section>2</pb:section>", b"", x)
assert n == 1
pdf.Root.Metadata.write(x)
pdf.save(sys.argv[2], fix_metadata_version=False)
EOF
        vrun 1 "$tmp/no-section.pdf" &&
        says "but the archive does not say which it is (pb:section in its XMP)" &&
        says "$tmp/no-section.pdf: error: its embedded sources do not typeset"
}

# A leaflet layout with [pdf] profile = pdfa-3u makes one archive per section; each says which
# section it is (pb:section) and verifies (9e839bd: exit 3, its temporary folder left).
leaflet_archives() {
    leaflet_pdfa >"$tmp/leaflet-a.ini" &&
        "$pb" --layout "$tmp/leaflet-a.ini" -o "$tmp/lf-%d.pdf" "$corpus" || return 1
    local f n=0
    for f in "$tmp"/lf-[0-9].pdf; do
        vrun 0 "$f" && says "verify: $f: identical (SHA-256 " || return 1
        n=$((n + 1))
    done
    ((n == 5)) || { echo "$n leaflets, expected 5"; return 1; }
}

# The rebuild's warnings are the typesetting advice the run that made the file gave, not the
# verdict (review 13 B8: a CI that fails on warnings failed on an identical file): counted on
# one line after the verdict; `paiban -v verify` prints them, naming the embedded corpus as
# FILE.pdf#NAME, never the temporary folder it was written to (gone when the message is read).
rebuild_messages() {
    # 300 —— in one line: never split (a code or a long word is cut as the last resort, nodes.c
    # code_cuts, HYPH_CUT), so its line runs over
    local dashes n
    dashes=$(printf '——%.0s' {1..300})
    printf '標題\nTitle\n\n名詞：%s代碼\nTerm: code.\n' "$dashes" >"$tmp/long.txt"
    "$pb" --layout layouts/archive.ini -o "$tmp/long.pdf" "$tmp/long.txt" 2>"$tmp/made" || return 1
    n=$(grep -c ': warning: ' "$tmp/made") || true
    vrun 0 "$tmp/long.pdf" && says "verify: $tmp/long.pdf: identical (SHA-256 " &&
        says "verify: its rebuild gave $n typesetting warning$( ((n == 1)) || echo s) (paiban -v verify $tmp/long.pdf shows them)" ||
        return 1
    ! grep -q "warning:" "$tmp/stderr" "$tmp/stdout" || { echo "a warning printed:"; cat "$tmp/stderr"; return 1; }
    [[ $(head -n 1 "$tmp/stdout") == "verify: $tmp/long.pdf: identical"* ]] || { echo "the verdict is not first"; cat "$tmp/stdout"; return 1; }
    TMPDIR=$vtmp "$pb" -v verify "$tmp/long.pdf" >"$tmp/stdout" 2>"$tmp/stderr" || return 1
    says "$tmp/long.pdf#long.txt:4: warning: line overfull" || return 1
    ! grep -q "paiban-verify" "$tmp/stderr" || { cat "$tmp/stderr"; return 1; }
    vtmp_empty
}

# A file another PDF writer saved again (review 13 C4, C11): the bytes differ, and verify says
# what an archivist asks next. A plain qpdf rewrite: the pages' content, fonts and attachment
# names are the rebuild's; --qdf (content normalized: <2662> written (&b), operators re-spaced):
# the same drawing, read as tokens; a third file attached: named.
rewritten() {
    command -v qpdf >/dev/null || { echo "(qpdf not installed: not checked)" >"$note"; return 0; }
    qpdf "$pdf" "$tmp/rw.pdf" && qpdf --qdf "$pdf" "$tmp/qdf.pdf" || return 1
    printf 'not a source\n' >"$tmp/extra.txt"
    qpdf "$pdf" --add-attachment "$tmp/extra.txt" --key=extra.txt -- "$tmp/att.pdf" || return 1
    vrun 1 "$tmp/rw.pdf" && says "verify: $tmp/rw.pdf: differs from its rebuild" &&
        says "verify: rewritten by another PDF writer: its 4 pages' content, its fonts and attachment names are the rebuild's; the bytes differ from byte" &&
        ! grep -q "page 1 differs" "$tmp/stdout" || return 1
    vrun 1 "$tmp/qdf.pdf" && says "verify: rewritten by another PDF writer: its 4 pages draw as the rebuild's do (4 with the same operators and text spaced or encoded otherwise)" &&
        ! grep -q "page 1 differs" "$tmp/stdout" || return 1
    vrun 1 "$tmp/att.pdf" && says "verify: attachment 'extra.txt' is in the file, not in the rebuild (added)" &&
        ! grep -q "rewritten" "$tmp/stdout"
}

# The rebuild's time budget. hang-layout: the embedded layout makes 9e839bd's ruby.c loop for
# ever; verify must end within the budget whether or not the typesetter is fixed (then the file
# differs, the layout having been changed). slow: an honest archive of a 1 MB corpus (about
# 1 s to set), verified with a 0.3 s budget, must stop at the budget with its message.
hang_layout() {
    local t0 t1
    hostile hang-layout || return 1
    t0=$(date +%s%N)
    vrun 1 "$tmp/hang-layout.pdf" PAIBAN_VERIFY_SECONDS=2 || return 1
    t1=$(date +%s%N)
    grep -qF -e "error: its rebuild did not finish within 2 s (PAIBAN_VERIFY_SECONDS)" \
        -e "differs from its rebuild" "$tmp/stderr" "$tmp/stdout" ||
        { echo "neither the budget's message nor a difference:"; cat "$tmp/stderr"; return 1; }
    echo "$(((t1 - t0) / 1000000)) ms" >"$note"
}
slow=$tmp/slow.pdf
make_slow() {
    awk 'NR <= 2 { print; next } { rest[++k] = $0 }
        END { for (i = 0; i < 130; i++) for (j = 1; j <= k; j++) print rest[j] }' "$corpus" >"$tmp/slow.txt" &&
        "$pb" --layout layouts/archive.ini -o "$slow" "$tmp/slow.txt"
}
budget() {
    local t0 t1
    t0=$(date +%s%N)
    vrun 1 "$slow" PAIBAN_VERIFY_SECONDS=0.3 || return 1
    t1=$(date +%s%N)
    says "$slow: error: its rebuild did not finish within 0.3 s (PAIBAN_VERIFY_SECONDS), so it is not verified" || return 1
    (((t1 - t0) / 1000000 < 300 + 2000 * SLOWDOWN)) || { echo "took $(((t1 - t0) / 1000000)) ms"; return 1; }
    echo "$(((t1 - t0) / 1000000)) ms" >"$note"
}

# signal SIG: SIG while the rebuild of the slow archive runs: verify dies of SIG (128 + n),
# the rebuild is gone, TMPDIR is empty.
signal() {
    local sig=$1 pid rc=0 k child=
    # A background job of a script starts with SIGINT ignored; give paiban the default back.
    TMPDIR=$vtmp env --default-signal=INT,TERM,HUP "$pb" verify "$slow" >"$tmp/stdout" 2>"$tmp/stderr" &
    pid=$!
    for ((k = 0; k < 3000; k++)); do # the rebuild has started when verify has a child
        child=$(pgrep -P "$pid" || true)
        [[ -n $child ]] && compgen -G "$vtmp/paiban-verify-*/src/slow.txt" >/dev/null && break
        sleep 0.005
    done
    [[ -n $child ]] || { kill -KILL "$pid"; wait "$pid" || true; echo "no rebuild seen"; return 1; }
    sleep 0.1
    kill -0 "$child" 2>/dev/null || { wait "$pid" || true; echo "the rebuild ended before the signal"; return 1; }
    kill -s "$sig" "$pid"
    wait "$pid" || rc=$?
    ((rc == 128 + $(kill -l "$sig"))) || { echo "exit status $rc, expected killed by SIG$sig"; cat "$tmp/stderr"; return 1; }
    ! kill -0 "$child" 2>/dev/null || { echo "the rebuild ($child) still runs"; kill -KILL "$child"; return 1; }
    vtmp_empty
}

# Under `ulimit -v` every limit from where libqpdf loads to 500 KB above it (where libqpdf reads
# the archive): exit 0, 1 or 3 with a message, never a signal (9e839bd:
# std::bad_alloc escaped libqpdf, SIGABRT). The note counts the runs that ran out of memory
# inside libqpdf. fontconfig writes its caches to a private folder (lib.sh private_fontconfig).
out_of_memory() {
    local lo=20000 hi=400000 mid v rc n=0 oom=0 fc
    fc=$(private_fontconfig "$tmp/fontconfig")
    ran() { ( ulimit -v "$1"; FONTCONFIG_FILE=$fc TMPDIR=$vtmp timeout -k 5 60 "$pb" verify "$pdf" >"$tmp/stdout" 2>"$tmp/stderr" ) || return $?; }
    while ((hi - lo > 20)); do # the least limit at which libqpdf loads
        mid=$(((lo + hi) / 2))
        rc=0; ran "$mid" || rc=$?
        if ((rc == 127)) || grep -q "verify needs libqpdf" "$tmp/stderr"; then lo=$mid; else hi=$mid; fi
        rm -rf "${vtmp:?}"/*
    done
    for ((v = hi - 100; v <= hi + 500; v += 40)); do
        rc=0; ran "$v" || rc=$?
        n=$((n + 1))
        if ((rc != 0 && rc != 1 && rc != 3)) || { ((rc != 0)) && [[ ! -s $tmp/stderr ]]; }; then
            echo "ulimit -v $v: exit $rc"; cat "$tmp/stderr"; return 1
        fi
        grep -q "out of memory in libqpdf" "$tmp/stderr" && oom=$((oom + 1))
        vtmp_empty || { echo "ulimit -v $v"; return 1; }
    done
    echo "$n limits from $((hi - 100)) KB, $oom out of memory in libqpdf" >"$note"
}

make_hostile() { "$py" tests/hostile_pdf.py "$pdf" "$tmp" "${CASES[@]}"; }

check "build the archive PDF" build
[[ -s $pdf ]] && check "make the hostile copies (tests/hostile_pdf.py)" make_hostile
if [[ -s $pdf ]]; then
    check "kids-loop: exit 1, 'not a tree', quickly, small" kids_loop
    check "deep-tree (41 levels): exit 1, names the depth limit" deep_tree
    check "wide-names (1 102 entries): exit 1, names the entry limit" wide_names
    check "no-size (corpus without /Params /Size): exit 1, says so" no_size
    check "decode-parms (corpus with /DecodeParms): exit 1, says so" decode_parms
    check "bomb-corpus (2 GiB deflated twice): exit 1, names the filter" bomb_corpus
    check "bomb-corpus-flat (/Params /Size 2 GiB): exit 1, names the limit" bomb_corpus_flat
    check "bomb-corpus-liar (/Params /Size too small): exit 1, names the size" bomb_corpus_liar
    check "bomb-attachment (unnamed, 2 GiB): never inflated, exit 1 (differs)" bomb_attachment
    check "bomb-metadata (XMP of 2 GiB): exit 1, names the XMP limit" bomb_metadata
    check "bomb-page (page 1 of 2 GiB): differs, names page 1, small" bomb_page
    check "esc-name: ESC in an attachment's name is escaped (\\x1B)" esc_name
    check "esc-missing: ESC in the XMP's corpus name is escaped" esc_missing
    check "leaflet archives: each verifies (exit 0), nothing left" leaflet_archives
    check "leaflet archive without pb:section: exit 1, says so" no_section
    check "a rebuild's warnings counted after the verdict; -v names FILE.pdf#corpus" rebuild_messages
    check "base-layout (base = /etc/passwd): exit 1 before the rebuild, nothing quoted" \
        names_file base-layout base 1
    check "accept-layout ([query] accept = /etc/passwd): exit 1, nothing quoted" \
        names_file accept-layout "[query] accept" "$(($(wc -l <layouts/archive.ini) + 3))"
    check "font-layout (a family not installed): the archive's layout named, no temporary path" \
        font_layout
    check "rewritten by qpdf (plain, --qdf), a file attached: each said, not just bytes" rewritten
    check "hang-layout: ends within PAIBAN_VERIFY_SECONDS=2, nothing left" hang_layout
    check "build a 1 MB corpus archive" make_slow
    if [[ -s $slow ]]; then
        check "time budget 0.3 s on a 1 MB corpus: exit 1 at the budget, its message" budget
        check "SIGTERM during the rebuild: killed by it, nothing left" signal TERM
        check "SIGINT during the rebuild: killed by it, nothing left" signal INT
        check "SIGHUP during the rebuild: killed by it, nothing left" signal HUP
    fi
    if ((asan)); then
        echo "skip out of memory under ulimit -v: ASan reserves more address space than any limit"
    else
        check "ulimit -v sweep: exit 0, 1 or 3 with a message, never a signal" out_of_memory
    fi
fi

summary verify
