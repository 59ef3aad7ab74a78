#!/usr/bin/env bash
# cli.sh BDIR: the command line as a person uses it: one check per convention (help, version,
# short options, stdin/stdout, -q, -v, progress line, colour, usage errors), layouts by name,
# `paiban fonts`, `paiban preview`, `--watch`, the examples, and (release build only) the
# Makefile: install/uninstall into a staging folder, man pages, quiet and user flags, a missing
# library named with its package. Prints ok/FAIL per check and `cli: N passed, M failed`.
set -euo pipefail

(($# == 1)) || { echo "usage: tests/cli.sh BDIR" >&2; exit 2; }
case $1 in /*) bdir=$1 ;; *) bdir=$PWD/$1 ;; esac
pb=$bdir/paiban
cd "$(dirname "$0")/.."
root=$PWD
corpus=$root/corpus/ai-plus-initiative.txt
layout=$root/layouts/booklet.ini
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1700000000}
unset NO_COLOR PAIBAN_LAYOUT_PATH
tmp=$(mktemp -d)
trap 'kill "${watcher:-}" 2>/dev/null || true; rm -rf "$tmp"' EXIT
source tests/lib.sh
# this build's kind, for the make checks (the ASan run checks the program, not the Makefile)
case $(basename "$bdir") in asan) build=asan ;; tsan) build=tsan ;; *) build=release ;; esac
slow=1
[[ $build == release ]] || slow=4 # ASan/TSan take about 3-4 times as long

paiban() { timeout -k 10 300 "$pb" "$@"; }

exits() { # exits CODE CMD...: CMD exits with CODE (stdout $tmp/out, stderr $tmp/err)
    local want=$1 rc=0
    shift
    "$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
    ((rc == want)) || { echo "exit $rc, expected $want"; cat "$tmp/err"; return 1; }
}

has() { # has FILE TEXT...: FILE holds each TEXT (fixed strings)
    local f=$1 t
    shift
    for t in "$@"; do grep -qF -- "$t" "$f" || { echo "no '$t' in $f:"; head -n 20 "$f"; return 1; }; done
}

tty_run() { # tty_run OUT CMD...: CMD with a terminal for stdin/stdout/stderr (script(1)); all
    local out=$1 # it wrote, with the terminal's \r\n, into OUT
    shift
    local cmd
    printf -v cmd '%q ' "$@"
    script -qefc "$cmd" /dev/null >"$out" </dev/null
}

# a corpus of about 4.4 MB (the initiative's body 600 times): a run of two to three seconds
# (300 times once took two; the run got faster and, on a quiet machine, under the second the
# progress check needs)
awk 'NR <= 2 { print; next } { rest[++k] = $0 }
    END { for (i = 0; i < 600; i++) for (j = 1; j <= k; j++) print rest[j] }' "$corpus" >"$tmp/big.txt"
# a corpus with a character no font has (U+E000) in its English body
printf '標題\nTitle\n一段中文。\nSome \xee\x80\x80 text.\n' >"$tmp/uncovered.txt"

# --- conventions -----------------------------------------------------------------------------
help_h() { # -h and --help: the usage on stdout, exit 0, no path inside the repository
    exits 0 paiban -h && has "$tmp/out" "usage: paiban" "paiban-layout(5)" &&
        ! grep -E "layouts/|README|src/" "$tmp/out" && exits 0 paiban --help
}
check "-h, --help: usage on stdout, exit 0, no repository path" help_h

version_names_libraries() {
    exits 0 paiban --version &&
        has "$tmp/out" "paiban 0.1.0" HarfBuzz FreeType fontconfig ICU libharu &&
        exits 0 paiban -V
}
check "--version, -V: names HarfBuzz, FreeType, fontconfig, ICU, libharu" version_names_libraries

short_forms() { # -l -o -r give what --layout --output --report give (the report names its PDF)
    mkdir -p "$tmp/short" "$tmp/long" &&
        paiban -q -r -l "$layout" -o "$tmp/b.pdf" "$corpus" &&
        mv "$tmp/b.pdf" "$tmp/b.report.txt" "$tmp/short/" &&
        paiban -q --report --layout "$layout" --output "$tmp/b.pdf" "$corpus" &&
        mv "$tmp/b.pdf" "$tmp/b.report.txt" "$tmp/long/" &&
        cmp "$tmp/short/b.pdf" "$tmp/long/b.pdf" &&
        cmp "$tmp/short/b.report.txt" "$tmp/long/b.report.txt" &&
        paiban -t -l "$layout" -o "$tmp/short/t.txt" "$corpus" 2>/dev/null &&
        paiban --trace --layout "$layout" --output "$tmp/long/t.txt" "$corpus" 2>/dev/null &&
        cmp "$tmp/short/t.txt" "$tmp/long/t.txt"
}
check "short forms -l -o -r -t: the same files as the long ones" short_forms

stdin_stdout() { # a corpus on stdin (-) and the PDF on stdout (-o -): the bytes of a file run
    paiban -q -l "$layout" -o "$tmp/file.pdf" "$corpus" &&
        paiban -q -l "$layout" -o "$tmp/stdin.pdf" - <"$corpus" &&
        paiban -q -l "$layout" -o - "$corpus" >"$tmp/stdout.pdf" &&
        cmp "$tmp/file.pdf" "$tmp/stdin.pdf" && cmp "$tmp/file.pdf" "$tmp/stdout.pdf"
}
check "- reads the corpus from stdin, -o - writes the PDF to stdout" stdin_stdout

quiet() { # a run with a warning (a 0.1 mm text block overfills its lines): nothing with -q
    printf '[text]\nleading = 10pt\n' >"$tmp/warns.ini" # under the English size: a warning
    exits 0 paiban -l "$tmp/warns.ini" -o "$tmp/q.pdf" "$corpus" && has "$tmp/err" "warning:" &&
        exits 0 paiban -q -r -l "$tmp/warns.ini" -o "$tmp/q.pdf" "$corpus" && [[ ! -s $tmp/err ]] &&
        exits 1 paiban -q -o "$tmp/q.pdf" "$tmp/uncovered.txt" && has "$tmp/err" "error:"
}
check "-q: no warnings or summaries, errors still" quiet

verbose_stages() { # -v: each stage with its time
    exits 0 paiban -v -r -l "$layout" -o "$tmp/v.pdf" "$corpus" &&
        has "$tmp/err" "note: reading the corpus: " "note: booklet.ini: opening the fonts: " \
            "note: booklet.ini: composing the pages: " "note: booklet.ini: writing the PDF: " \
            "note: booklet.ini: writing the report: " "note: writing the outputs: " "note: total: " &&
        grep -qE "note: booklet.ini: composing the pages: [0-9]+\.[0-9] ms" "$tmp/err"
}
check "-v: each stage with its time" verbose_stages

progress_line() { # > 1 s on a terminal: a status line, erased at the end; never in a pipe
    tty_run "$tmp/tty" "$pb" -o "$tmp/big.pdf" "$tmp/big.txt" &&
        grep -qaE $'paiban: [^\r]* \\.\\.\\. [0-9]+ s' "$tmp/tty" &&
        grep -qa $'\r\e\\[K' "$tmp/tty" &&
        paiban -o "$tmp/big.pdf" "$tmp/big.txt" 2>"$tmp/piped" &&
        ! grep -qa $'\r' "$tmp/piped"
}
check "progress: a status line on a terminal for a run over a second, none in a pipe" progress_line

colour() { # error: in colour on a terminal; not with NO_COLOR, not in a pipe
    tty_run "$tmp/tty" "$pb" "$tmp/none.txt" || true
    grep -qa $'\e\\[1;31merror:\e\\[0m' "$tmp/tty" &&
        { NO_COLOR=1 tty_run "$tmp/tty2" "$pb" "$tmp/none.txt" || true; } &&
        grep -qa "paiban: error: cannot read" "$tmp/tty2" && ! grep -qa $'\e' "$tmp/tty2" &&
        exits 3 paiban "$tmp/none.txt" && ! grep -qa $'\e' "$tmp/err" &&
        { tty_run "$tmp/tty3" "$pb" -l "$tmp/warns.ini" -o "$tmp/c.pdf" "$corpus" || true; } &&
        grep -qa $'\e\\[1;35mwarning:\e\\[0m' "$tmp/tty3"
}
check "colour: error:/warning: on a terminal; none with NO_COLOR or in a pipe" colour

usage_one_line() { # a usage error: one line, then "try 'paiban --help'", exit 2
    local args
    for args in "--nope" "-x $corpus" "-o" "--report=xml $corpus" "" "a.txt b.txt" \
        "--dpi 5 $corpus"; do
        # shellcheck disable=SC2086 # each case is a list of arguments
        exits 2 paiban $args || { echo "args: $args"; return 1; }
        [[ $(wc -l <"$tmp/err") == 2 && $(sed -n 2p "$tmp/err") == "try 'paiban --help'" ]] &&
            grep -q "^paiban: error: " "$tmp/err" || { echo "args: $args"; cat "$tmp/err"; return 1; }
    done
    # review 12 C11, C12: an empty -o, a PAIBAN_THREADS paiban cannot take (they were exit 3
    # "cannot write : No such file", and ignored)
    exits 2 paiban -o '' "$corpus" && has "$tmp/err" "paiban: error: -o needs a file name (it was empty)" &&
        exits 2 env PAIBAN_THREADS=abc "$pb" -o "$tmp/t.pdf" "$corpus" &&
        has "$tmp/err" "paiban: error: PAIBAN_THREADS must be a number of threads from 1 to 64, got 'abc'" &&
        exits 2 env PAIBAN_THREADS=0 "$pb" -o "$tmp/t.pdf" "$corpus" && [[ ! -e $tmp/t.pdf ]]
}
check "usage error: one line plus try 'paiban --help', exit 2" usage_one_line

out_patterns() { # -o and %d: the section number once in a leaflet's name, %% a percent sign;
    local d=$tmp/pat # a %d in a one-file product's name, a second %d or another % refused
    mkdir -p "$d"
    exits 2 paiban -l booklet -o "$d/b-%d.pdf" "$corpus" &&
        has "$tmp/err" "paiban: error: -o $d/b-%d.pdf: %d numbers the files of a leaflet product (one a section); a booklet makes one file" "try 'paiban --help'" &&
        exits 2 paiban -l leaflet -o "$d/l-%d-%d.pdf" "$corpus" &&
        has "$tmp/err" "paiban: error: -o $d/l-%d-%d.pdf: %d (the section number) may appear once" &&
        exits 2 paiban -l leaflet -o "$d/l-%s.pdf" "$corpus" &&
        has "$tmp/err" "paiban: error: -o $d/l-%s.pdf: '%s' is neither %d (the section number) nor %% (a percent sign)" &&
        [[ -z $(ls "$d") ]] || { ls "$d"; return 1; }
    exits 0 paiban -l leaflet -o "$d/l%%-%d.pdf" "$corpus" && [[ -s $d/l%-1.pdf && -s $d/l%-5.pdf ]] ||
        { ls "$d"; return 1; }
}
check "-o with %d: a one-file product's, a second %d, another % refused; %% a percent sign" out_patterns

stale_leaflets() { # a series remade shorter: each file past its last is a warning, left in
    local d=$tmp/stale # place (review 12 B8: lf-5.pdf of the initiative beside a series of 2)
    mkdir -p "$d" && exits 0 paiban -q -l leaflet -o "$d/lf-%d.pdf" "$corpus" &&
        exits 0 paiban -l leaflet -o "$d/lf-%d.pdf" tests/corpora/volunteers-tc.txt &&
        has "$tmp/err" "$d/lf-3.pdf: warning: left from an earlier run: this series has 2 leaflets, so it is not one of them; remove it" \
            "$d/lf-5.pdf: warning: left from an earlier run" &&
        [[ $(grep -c 'left from an earlier run' "$tmp/err") == 3 && -s $d/lf-5.pdf ]]
}
check "a leaflet series remade shorter: a warning for each earlier file past its last" stale_leaflets

report_stems() { # a booklet and its leaflets on one stem (-o x.pdf, -o x-%d.pdf): two reports,
    local d=$tmp/stems # the later one named by its kind
    mkdir -p "$d"
    exits 0 paiban -r -l booklet -o "$d/x.pdf" -l leaflet -o "$d/x-%d.pdf" "$corpus" &&
        [[ -s $d/x.report.txt && -s $d/x-leaflet.report.txt ]] &&
        has "$d/x-leaflet.report.txt" "x-1.pdf" || { ls "$d"; cat "$tmp/err"; return 1; }
}
check "-r with a booklet and leaflets on one stem: x.report.txt and x-leaflet.report.txt" report_stems

one_name_rule() { # every name made from -o (one file, leaflets, report, summary, trace) and
    local d="$tmp/uni dir/子目錄" # --imposed: %% a percent sign, any other % but %d refused;
    mkdir -p "$d" # a name made from the corpus's is its own (review 12 C16)
    cp "$corpus" "$d/合約 v2 (50%%, final).txt"
    exits 0 paiban -r -l booklet -o "$d/b (50%%).pdf" --imposed "$d/合約 2-up %%.pdf" "$corpus" &&
        [[ -s "$d/b (50%).pdf" && -s "$d/b (50%).report.txt" && -s "$d/合約 2-up %.pdf" ]] &&
        has "$tmp/err" "b (50%): " && ! grep -q '%%' "$tmp/err" || { ls "$d"; return 1; }
    exits 0 paiban -q -t -l booklet -o "$d/t %%.txt" "$corpus" && [[ -s "$d/t %.txt" ]] || { ls "$d"; return 1; }
    exits 0 paiban -q -r -l leaflet -o "$d/合約 (final) %%-%d.pdf" "$corpus" &&
        [[ -s "$d/合約 (final) %-1.pdf" && -s "$d/合約 (final) %.report.txt" ]] || { ls "$d"; return 1; }
    # preview: the PDF's own name, in its folder or another's; -o of one page read as -o is
    exits 0 paiban preview --pages 1-2 "$d/b (50%).pdf" && exits 0 paiban preview --pages 1 -o "$d/p 1%%.png" "$d/b (50%).pdf" &&
        mkdir -p "$d/50% png" && exits 0 paiban preview --pages 2 -o "$d/50% png" "$d/b (50%).pdf" &&
        [[ -s "$d/b (50%)-1.png" && -s "$d/b (50%)-2.png" && -s "$d/p 1%.png" && -s "$d/50% png/b (50%)-2.png" ]] &&
        exits 2 paiban preview --pages 1 -o "$d/p 1%.png" "$d/b (50%).pdf" || { ls "$d"; return 1; }
    [[ -z $(find "$d" -name '*%%*' ! -name '合約 v2 (50%%, final).txt') ]] || { ls "$d"; return 1; }
    # a lone % is refused for every product, not taken as itself for one
    exits 2 paiban -l booklet -o "$d/b 50%.pdf" "$corpus" &&
        has "$tmp/err" "-o $d/b 50%.pdf: '%.' is neither %d (the section number) nor %% (a percent sign)" &&
        exits 2 paiban -l booklet -o "$d/b.pdf" --imposed "$d/i-%d.pdf" "$corpus" &&
        has "$tmp/err" "--imposed $d/i-%d.pdf: %d numbers the files of a leaflet product" &&
        exits 2 paiban -t -l booklet -o "$d/t-%d.txt" "$corpus" &&
        has "$tmp/err" "-o $d/t-%d.txt: %d numbers the files of a leaflet product" || return 1
    # the corpus's own name, %% and all, is the default output's
    (cd "$d" && exits 0 paiban -q -r -l booklet "合約 v2 (50%%, final).txt") &&
        [[ -s "$d/合約 v2 (50%%, final).pdf" && -s "$d/合約 v2 (50%%, final).report.txt" ]] || { ls "$d"; return 1; }
}
check "-o, --imposed, preview -o: one rule for every name made from them (%% a percent sign); spaces, CJK, parentheses" one_name_rule

trace_leaflets() { # -t with leaflets: -o T-%d.txt one trace per leaflet, in order the same lines
    local d=$tmp/trl # as -o T.txt's one trace of them all (review 12 C9)
    mkdir -p "$d"
    exits 0 paiban -q -t -l leaflet -o "$d/tr-%d.txt" "$corpus" &&
        exits 0 paiban -q -t -l leaflet -o "$d/all.txt" "$corpus" &&
        [[ -s $d/tr-1.txt && -s $d/tr-5.txt && ! -e $d/tr-6.txt && ! -e $d/tr-%d.txt ]] &&
        cmp <(cat "$d"/tr-{1,2,3,4,5}.txt) "$d/all.txt" || { ls "$d"; return 1; }
    exits 2 paiban -t -l leaflet -o "$d/tr-%d-%d.txt" "$corpus" &&
        has "$tmp/err" "-o $d/tr-%d-%d.txt: %d (the section number) may appear once" &&
        exits 2 paiban -t -l booklet -o "$d/t.txt" --imposed "$d/i.pdf" "$corpus" &&
        has "$tmp/err" "paiban: error: --imposed goes with PDF output, not --trace" &&
        [[ ! -e $d/t.txt && ! -e $d/i.pdf ]]
}
check "-t with leaflets: -o T-%d.txt one trace per leaflet, T.txt one of them all; not with --imposed" trace_leaflets

write_protected() { # a write-protected output (mode 444) is refused as cp refuses it, for every
    local d=$tmp/ro f # file a run writes, even for root; nothing else written (review 12 C10)
    mkdir -p "$d"
    exits 0 paiban -q -r -l booklet -o "$d/b.pdf" --imposed "$d/i.pdf" "$corpus" &&
        exits 0 paiban -q -l leaflet -o "$d/l-%d.pdf" "$corpus" &&
        exits 0 paiban -q -t -l booklet -o "$d/t.txt" "$corpus" &&
        exits 0 paiban preview --pages 1-2 "$d/b.pdf" || return 1
    (cd "$d" && sha256sum ./* >"$tmp/ro.sums") || return 1
    for f in b.pdf i.pdf b.report.txt; do
        chmod 444 "$d/$f" &&
            exits 3 paiban -q -r -l booklet -o "$d/b.pdf" --imposed "$d/i.pdf" "$corpus" &&
            has "$tmp/err" "paiban: error: cannot write $d/$f: Permission denied (write-protected, mode 0444)" &&
            chmod 644 "$d/$f" || return 1
    done
    chmod 444 "$d/l-3.pdf" && exits 3 paiban -q -l leaflet -o "$d/l-%d.pdf" "$corpus" &&
        has "$tmp/err" "cannot write $d/l-3.pdf: Permission denied" &&
        chmod 400 "$d/t.txt" && exits 3 paiban -q -t -l booklet -o "$d/t.txt" "$corpus" &&
        has "$tmp/err" "cannot write $d/t.txt: Permission denied (write-protected, mode 0400)" &&
        chmod 444 "$d/b-2.png" && exits 3 paiban preview --pages 1-2 "$d/b.pdf" &&
        has "$tmp/err" "cannot write $d/b-2.png: Permission denied" || return 1
    (cd "$d" && sha256sum -c --quiet "$tmp/ro.sums") && [[ $(find "$d" -name '*.tmp-*') == "" ]] &&
        [[ $(stat -c %a "$d/l-3.pdf") == 444 ]] || return 1
    # writable for its owner again: replaced, its mode kept
    chmod 640 "$d/l-3.pdf" && exits 0 paiban -q -l leaflet -o "$d/l-%d.pdf" "$corpus" &&
        [[ $(stat -c %a "$d/l-3.pdf") == 640 ]]
}
check "a write-protected output (PDF, leaflet, imposed, report, trace, PNG): exit 3, as cp, the file untouched" write_protected

imposed_leaflets() { # --imposed with leaflets imposed the first leaflet alone, silently: refused
    local d=$tmp/il # while there are several; a one-section corpus's one leaflet is imposed
    mkdir -p "$d"
    printf 'base = leaflet\n[page]\nsize = a5\nmeasure = 20em\n[impose]\nsheet = sra3\n' >"$d/a5.ini"
    exits 2 paiban -l "$d/a5.ini" -o "$d/l-%d.pdf" --imposed "$d/i.pdf" "$corpus" &&
        has "$tmp/err" "paiban: error: --imposed $d/i.pdf: the layout makes 5 leaflets (one a section); --imposed takes the pages of one PDF: impose a product of one file" &&
        [[ -z $(ls "$d" | grep -v a5.ini) ]] || { ls "$d"; return 1; }
    printf '標題\nTitle\n一、節\n1. Section\n正文。\nText.\n' >"$d/one.txt"
    exits 0 paiban -q -l "$d/a5.ini" -o "$d/one.pdf" --imposed "$d/one-i.pdf" "$d/one.txt" &&
        [[ -s $d/one-1.pdf && -s $d/one-i.pdf ]]
}
check "--imposed with a series of leaflets: a usage error (it imposed the first alone)" imposed_leaflets

verify_no_file() {
    exits 2 paiban verify && has "$tmp/err" "paiban: error: verify needs a file" "try 'paiban --help'" &&
        exits 2 paiban verify a.pdf b.pdf
}
check "paiban verify without a file: usage error, exit 2" verify_no_file

layout_by_name() { # -l booklet finds PAIBAN_LAYOUT_PATH's booklet.ini; a path still works
    mkdir -p "$tmp/elsewhere" && cd "$tmp/elsewhere" &&
        PAIBAN_LAYOUT_PATH=/nonexistent:$root/layouts paiban -q -l booklet -o n.pdf "$corpus" &&
        paiban -q -l "$layout" -o p.pdf "$corpus" && cmp n.pdf p.pdf &&
        PAIBAN_LAYOUT_PATH=$root/layouts exits 3 paiban -l bookle -o x.pdf "$corpus" &&
        has "$tmp/err" "cannot read layout bookle: no such file, and no shipped layout of that name" \
            "(there are: archive, booklet, leaflet, parallel (in $root/layouts))"
    local rc=$?
    cd "$root"
    return $rc
}
check "--layout NAME: a shipped layout by name; a wrong name lists them" layout_by_name

build_tree_layouts() { # review 6: build/paiban finds the checkout's layouts/; a copy elsewhere does not
    mkdir -p "$tmp/elsewhere" "$tmp/copy" && cd "$tmp/elsewhere" &&
        paiban -q -l booklet -o b.pdf "$corpus" && paiban -q -l "$layout" -o p.pdf "$corpus" &&
        cmp b.pdf p.pdf && paiban --version >v.txt && grep -q "^layouts by name from: $root/layouts " v.txt &&
        cp "$pb" "$tmp/copy/paiban" && "$tmp/copy/paiban" --version >c.txt &&
        ! grep -q "$root/layouts" c.txt
    local rc=$?
    cd "$root"
    return $rc
}
check "--layout NAME from the build tree: the source tree's layouts/ first; a copied program not" build_tree_layouts

base_by_name() { # base = booklet in a layout of the user's own folder: the shipped booklet
    mkdir -p "$tmp/own" && cd "$tmp/own" &&
        printf 'base = booklet\n[text]\nsize = 11pt\n[page]\nmeasure = 30em\n' >own.ini &&
        { cat "$layout"; printf '\n[text]\nsize = 11pt\n[page]\nmeasure = 30em\n'; } >flat.ini &&
        PAIBAN_LAYOUT_PATH=$root/layouts paiban -q -l own.ini -o own.pdf "$corpus" &&
        paiban -q -l flat.ini -o flat.pdf "$corpus" && cmp own.pdf flat.pdf &&
        printf 'base = bookle\n' >typo.ini &&
        PAIBAN_LAYOUT_PATH=$root/layouts exits 1 paiban -l typo.ini -o x.pdf "$corpus" &&
        has "$tmp/err" "typo.ini:1:8: error: base layout 'bookle': no bookle.ini, and no shipped layout of that name" \
            "(there are: archive, booklet, leaflet, parallel (in $root/layouts))"
    local rc=$?
    cd "$root"
    return $rc
}
check "base = NAME: NAME.ini beside the layout, else the shipped layout; a wrong name lists them" base_by_name

# --- paiban fonts ----------------------------------------------------------------------------
fonts_initiative() {
    exits 0 paiban fonts -l "$layout" "$corpus" &&
        has "$tmp/out" "layout: $layout" "  han               Noto Serif CJK TC: Regular, " \
            "  latin-bold        Noto Serif: Bold, " "  fallback          none" "missing faces: none" \
            $'characters no font covers:\n  none' "  han               " "all in its font" &&
        grep -qE "^  han  +[0-9]+ characters \([0-9]+ distinct\), all in its font$" "$tmp/out" &&
        exits 0 paiban fonts && has "$tmp/out" "layout: (built-in)" "Noto Serif CJK TC"
}
check "fonts: roles, faces, files and coverage of the initiative" fonts_initiative

fonts_problems() { # an uncovered character at line:col; a missing family; a missing bold face
    exits 1 paiban fonts "$tmp/uncovered.txt" &&
        has "$tmp/out" "  $tmp/uncovered.txt:4:6: U+E000 (role latin)" "its font lacks 1: U+E000" &&
        has "$tmp/err" "1 character no configured font covers" &&
        printf '[fonts]\nhan = No Such Font\nlatin-bold = Noto Music\n' >"$tmp/fonts.ini" &&
        exits 3 paiban fonts -l "$tmp/fonts.ini" "$corpus" &&
        has "$tmp/out" "  han               No Such Font: NOT INSTALLED" \
            "  latin-bold        family 'Noto Music' has no bold face" &&
        has "$tmp/err" "font family 'No Such Font' (role han) is not installed"
}
if fc-list : family | grep -x "Noto Music" >/dev/null; then
    check "fonts: uncovered character at line:col, family not installed, no bold face" fonts_problems
fi

# --- paiban preview --------------------------------------------------------------------------
preview_pages() { # every page at 50 dpi: A5 is 292 x 414 pixels
    mkdir -p "$tmp/pv" && paiban -q -l "$layout" -o "$tmp/pv/b.pdf" "$corpus" &&
        exits 0 paiban preview --dpi 50 "$tmp/pv/b.pdf" &&
        local pages n
    pages=$(pdfinfo "$tmp/pv/b.pdf" | awk '/^Pages:/ { print $2 }')
    n=$(find "$tmp/pv" -name 'b-*.png' | wc -l)
    [[ $n == "$pages" ]] || { echo "$n PNGs for $pages pages"; return 1; }
    # the PNG signature, then IHDR's width and height (big-endian, bytes 16-23; PNG spec 11.2.2)
    [[ $(od -An -tx1 -N24 "$tmp/pv/b-1.png" | tr -d ' \n') == 89504e470d0a1a0a0000000d49484452000001240000019e ]] ||
        { echo "not a 292 x 414 PNG:"; od -An -tx1 -N24 "$tmp/pv/b-1.png"; return 1; }
    # the text is drawn: the first content page is not blank (its PNG is larger than a blank one)
    exits 0 paiban preview --pages 3 --dpi 50 -o "$tmp/pv/p3.png" "$tmp/pv/b.pdf" &&
        [[ -f $tmp/pv/p3.png && $(stat -c %s "$tmp/pv/p3.png") -gt $(stat -c %s "$tmp/pv/b-2.png") ]] &&
        exits 0 paiban preview --pages 2-3 -o "$tmp/pv/r-%d.png" "$tmp/pv/b.pdf" &&
        [[ -f $tmp/pv/r-2.png && -f $tmp/pv/r-3.png && ! -e $tmp/pv/r-1.png ]] &&
        # -o a folder: the default names in it (review 12 B9: -o DIR wrote DIR-1 ... beside it)
        mkdir -p "$tmp/pv/dir" && exits 0 paiban preview --pages 2-3 --dpi 20 -o "$tmp/pv/dir" "$tmp/pv/b.pdf" &&
        exits 0 paiban preview --pages 1 --dpi 20 -o "$tmp/pv/dir/" "$tmp/pv/b.pdf" &&
        [[ $(ls "$tmp/pv/dir" | tr '\n' ' ') == "b-1.png b-2.png b-3.png " && ! -e $tmp/pv/dir-2 ]] ||
        { echo "in the folder: $(ls "$tmp/pv/dir" | tr '\n' ' '); beside it: $(ls "$tmp/pv")"; return 1; }
}
preview_errors() {
    echo "not a pdf" >"$tmp/pv/x.pdf"
    exits 1 paiban preview "$tmp/pv/x.pdf" && has "$tmp/err" "x.pdf: error: not a PDF poppler can read" &&
        exits 1 paiban preview --pages 9 "$tmp/pv/b.pdf" && has "$tmp/err" "has 8 pages" &&
        exits 2 paiban preview --dpi 0 "$tmp/pv/b.pdf" &&
        exits 2 paiban preview -o "$tmp/pv/b.pdf" --pages 1 "$tmp/pv/b.pdf" &&
        has "$tmp/err" "the same file as the PDF" && exits 2 paiban preview &&
        [[ -z $(find "$tmp/pv" -name '*.tmp-*') ]]
}
if [[ -e /usr/lib/x86_64-linux-gnu/libpoppler-glib.so.8 ]] || ldconfig -p | grep -q libpoppler-glib.so.8; then
    check "preview: PNG pages at a chosen resolution, a page range" preview_pages
    check "preview: not a PDF, no such page, bad --dpi, onto its input" preview_errors
else
    check "preview: libpoppler-glib8 is installed (tools/deps.sh test)" false
fi

# --- --watch ---------------------------------------------------------------------------------
wait_for() { # wait_for FILE N: FILE has N lines (within 30 s times the build's slowness)
    local i
    for ((i = 0; i < 300 * slow; i++)); do
        (($(wc -l <"$1") >= $2)) && return 0
        sleep 0.1
    done
    echo "waited for $2 lines in $1:"
    cat "$1"
    return 1
}
watch_rebuilds() { # touch the corpus, rewrite the layout: a rebuild and a status line each
    mkdir -p "$tmp/w" && cp "$corpus" "$tmp/w/c.txt" && cp "$layout" "$tmp/w/l.ini" &&
        : >"$tmp/w/log"
    "$pb" --watch -q -l "$tmp/w/l.ini" -o "$tmp/w/w.pdf" "$tmp/w/c.txt" 2>"$tmp/w/log" &
    watcher=$!
    wait_for "$tmp/w/log" 1 && [[ -s $tmp/w/w.pdf ]] && sleep 0.3 &&
        touch "$tmp/w/c.txt" && wait_for "$tmp/w/log" 2 &&
        { cat "$layout" && printf '\n[page]\nsize = A4\n'; } >"$tmp/w/new.ini" && mv "$tmp/w/new.ini" "$tmp/w/l.ini" &&
        wait_for "$tmp/w/log" 3 &&
        printf 'bad\n' >"$tmp/w/c.txt" && wait_for "$tmp/w/log" 5 || return 1
    kill -TERM "$watcher" # (a background job of a script ignores SIGINT)
    local rc=0
    wait "$watcher" || rc=$?
    watcher=
    cat "$tmp/w/log"
    grep -qE "^paiban: [0-9:]{8} built in [0-9.]+ s; watching for changes$" "$tmp/w/log" &&
        grep -qE "^paiban: [0-9:]{8} built in [0-9.]+ s \($tmp/w/c.txt changed\); watching" "$tmp/w/log" &&
        grep -qE "^paiban: [0-9:]{8} built in [0-9.]+ s \($tmp/w/l.ini changed\); watching" "$tmp/w/log" &&
        grep -qE "^paiban: [0-9:]{8} failed \(exit 1\) after [0-9.]+ s \($tmp/w/c.txt changed\)" "$tmp/w/log" &&
        pdfinfo "$tmp/w/w.pdf" | grep -q "Page size: *595.276 x 841.89" &&
        ((rc == 143)) && [[ -z $(find "$tmp/w" -name '*.tmp-*') ]]
}
check "--watch: a rebuild and a status line per change of corpus or layout" watch_rebuilds

watch_usage() {
    exits 2 paiban --watch -o x.pdf - && has "$tmp/err" "--watch needs a corpus file" &&
        exits 2 paiban --watch -o - "$corpus"
}
check "--watch: not with standard input or output" watch_usage

# --- examples --------------------------------------------------------------------------------
example() { # example NAME PAGES TEXT: builds without a message, PAGES pages, TEXT in it
    local name=$1 pages=$2 text=$3
    exits 0 paiban -r -l "examples/$name/$name.ini" -o "$tmp/$name.pdf" "examples/$name/$name.txt" &&
        [[ $(grep -cv "^paiban: $name: " "$tmp/err") == 0 ]] &&
        has "$tmp/$name.report.txt" "editor queries: 0" &&
        pdfinfo "$tmp/$name.pdf" | grep -qE "^Pages: +$pages$" &&
        pdftotext -enc UTF-8 "$tmp/$name.pdf" - | grep -qF "$text" &&
        pdffonts "$tmp/$name.pdf" | awk 'NR > 2 && ($(NF-4) != "yes" || $(NF-2) != "yes") { bad++ } END { exit bad > 0 }'
}
check "examples/gallery: an A6 gallery guide, 8 pages (stitched, back cover free), no warning" example gallery 8 "The Glow of Celadon"
check "examples/letter: a one-page parallel notice (Simplified), no warning" example letter 1 "社区服务中心"

completion() { # the bash completion offers the commands, the options, shipped layout names
    # (_init_completion and _filedir are bash-completion's; stand-ins here)
    PATH=$bdir:$PATH PAIBAN_LAYOUT_PATH=$root/layouts bash -c '
        _init_completion() { words=("${COMP_WORDS[@]}"); cword=$COMP_CWORD; cur=${words[cword]};
            prev=${words[cword-1]}; }
        _filedir() { :; }
        complete() { :; }
        source completions/paiban.bash
        ask() { COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMPREPLY=(); _paiban; echo "${COMPREPLY[*]}"; }
        [[ $(ask paiban -l boo) == booklet ]] && [[ $(ask paiban --wa) == --watch ]] &&
            [[ $(ask paiban pre) == preview ]] && [[ $(ask paiban --report=j) == --report=json ]]'
}
check "bash completion: commands, options, shipped layouts by name" completion

# --- the Makefile and the install (release build only) --------------------------------------
# make as the tree was built: with -Werror when build/flags has it (CI builds WERROR=1); without
# it, a run here would rewrite the flags stamp and rebuild build/paiban while another suite runs
# it (tests/run.sh runs two at a time)
mk() {
    local w=
    grep -q -- -Werror build/flags 2>/dev/null && w=1
    env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS -u WERROR make --no-print-directory WERROR=$w "$@"
}

install_tree() { # make install DESTDIR=: the files; the staged program finds its layouts
    # (the default PREFIX: another would rebuild main.o, which holds the layouts' folder)
    mk install DESTDIR="$tmp/stage" >"$tmp/install.log" &&
        (cd "$tmp/stage" && find . -type f | sort) >"$tmp/tree" &&
        diff - "$tmp/tree" <<'TREE' &&
./usr/local/bin/paiban
./usr/local/share/bash-completion/completions/paiban
./usr/local/share/doc/paiban/LICENSE
./usr/local/share/doc/paiban/NEWS
./usr/local/share/doc/paiban/README.md
./usr/local/share/man/man1/paiban.1
./usr/local/share/man/man5/paiban-layout.5
./usr/local/share/paiban/layouts/archive.ini
./usr/local/share/paiban/layouts/booklet.ini
./usr/local/share/paiban/layouts/leaflet.ini
./usr/local/share/paiban/layouts/parallel.ini
TREE
        (cd "$tmp" && "$tmp/stage/usr/local/bin/paiban" -q -l booklet -o staged.pdf "$corpus" &&
            "$tmp/stage/usr/local/bin/paiban" -q -l leaflet -o "staged-%d.pdf" "$corpus") &&
        paiban -q -l "$layout" -o "$tmp/ref.pdf" "$corpus" && cmp "$tmp/staged.pdf" "$tmp/ref.pdf" &&
        [[ -f $tmp/staged-5.pdf ]] &&
        bash -n "$tmp/stage/usr/local/share/bash-completion/completions/paiban" &&
        mk uninstall DESTDIR="$tmp/stage" >/dev/null &&
        [[ -z $(find "$tmp/stage" -type f) ]]
}
man_pages() { # both pages render without a groff warning; paiban-layout(5) is up to date
    local page
    for page in doc/paiban.1 doc/paiban-layout.5; do
        LANG=C.UTF-8 MANWIDTH=80 man --warnings -l "$page" >"$tmp/man.txt" 2>"$tmp/man.err" &&
            [[ ! -s $tmp/man.err && $(wc -l <"$tmp/man.txt") -gt 50 ]] ||
            { echo "$page:"; cat "$tmp/man.err"; return 1; }
    done
    has "$tmp/man.txt" "margin-top" "leading" "{keep}" "[leaflet]" &&
        python3 tools/man.py | cmp - doc/paiban-layout.5 ||
        { echo "doc/paiban-layout.5 is not what tools/man.py makes: run make man"; return 1; }
}
make_flags() { # user CC/CPPFLAGS/CFLAGS/LDFLAGS after paiban's; no -Werror unless WERROR=1
    # (-W: as if src/diag.c had changed; -B would remake build/config.mk too)
    mk -n -W src/diag.c V=1 WERROR= CPPFLAGS=-DUSER_CPP CFLAGS=-DUSER_C LDFLAGS=-Wl,-O1 build/paiban >"$tmp/n.log" &&
        grep -E -- "-c src/diag.c" "$tmp/n.log" | grep -qE -- "-O2 -g.* -DUSER_C" &&
        grep -E -- "-c src/diag.c" "$tmp/n.log" | grep -qE -- "-D_POSIX_C_SOURCE=200809L .*-DUSER_CPP" &&
        grep -E -- "-o build/paiban " "$tmp/n.log" | grep -q -- "-Wl,-O1" &&
        ! grep -q -- "-Werror" "$tmp/n.log" &&
        mk -n -W src/diag.c V=1 WERROR=1 build/obj/diag.o >"$tmp/n.log" &&
        grep -q -- "-Werror" "$tmp/n.log" &&
        mk -n -W src/diag.c V=1 CC=my-cc build/obj/diag.o >"$tmp/n.log" && grep -q "^my-cc " "$tmp/n.log"
}
make_quiet() { # an up-to-date tree: make prints nothing; a step is one short line; the stamps
    mk >"$tmp/quiet.log" 2>&1 && { [[ ! -s $tmp/quiet.log ]] || { cat "$tmp/quiet.log"; false; }; } &&
        grep -qx '#define PB_LAYOUT_DIR "/usr/local/share/paiban/layouts"' build/paths.h &&
        grep -q -- "-Wextra -O2 -g" build/flags &&
        mk -n -W src/diag.c build/obj/diag.o >"$tmp/n.log" &&
        grep -qF "printf '  %-7s %s\\n' 'CC' 'src/diag.c'" "$tmp/n.log"
}
missing_library() { # one missing library: its Debian package named (not a pkg-config error)
    PKG_CONFIG_LIBDIR=$tmp/nowhere tools/configure.sh >/dev/null 2>"$tmp/cfg.err"
    has "$tmp/cfg.err" "paiban: error: harfbuzz >= 6.0.0 is not installed (Debian package libharfbuzz-dev)" \
        "apt-get install libharfbuzz-dev"
}
deps_split() { # make pdf's packages build and write PDFs; the test tools come with make test
    tools/deps.sh --list >"$tmp/deps" &&
        ! sed -n 's/^build: //p' "$tmp/deps" | grep -E "valgrind|clang|cmocka|poppler|python3" &&
        sed -n 's/^test: *//p' "$tmp/deps" | grep -E "valgrind" >/dev/null &&
        mk -n pdf DEPS="echo deps" DEPS_STAMPS="$tmp/nostamp-" >"$tmp/n.log" &&
        grep -qx "deps build" "$tmp/n.log" &&
        mk -n test DEPS="echo deps" DEPS_STAMPS="$tmp/nostamp-" >"$tmp/n.log" &&
        grep -qx "deps test" "$tmp/n.log" &&
        : >"$tmp/stamp-build" && mk -n pdf DEPS="echo deps" DEPS_STAMPS="$tmp/stamp-" \
            DPKG_STATUS="$tmp/nostatus" >"$tmp/n.log" && ! grep -q "deps" "$tmp/n.log" ||
        { echo "tools/deps.sh not run when its stamp is missing, or run when it stands"; return 1; }
}
make_pdf_deps() { # an up-to-date make pdf runs no program (no git, no tools/deps.sh, no shell);
    # a touched corpus, layout, font (the reports' files and folders, make -W), program, or
    # dpkg's status file (a library, the patterns, the ICC profile updated) remakes
    local d=$tmp/mkpdf sums
    mkdir -p "$d/bin" && cp corpus/ai-plus-initiative.txt "$d/doc.txt" &&
        cp layouts/leaflet.ini "$d/leaflet.ini" && : >"$d/calls" || return 1
    printf '#!/bin/sh\necho "git $*" >>"%s"\nexec %s "$@"\n' "$d/calls" "$(command -v git)" \
        >"$d/bin/git" && chmod +x "$d/bin/git" && touch -d '-10 seconds' "$d/status" || return 1
    sums=$d/out/archive/SHA256SUMS
    local args=(CORPUS="$d/doc.txt" OUTDIR="$d/out" LEAFLET="$d/leaflet.ini"
        PRODUCTS_DEPS="$d/products.d" DEPS="echo deps-run" DEPS_STAMPS="$d/stamp-"
        DPKG_STATUS="$d/status")
    mkp() { (unset SOURCE_DATE_EPOCH && PATH=$d/bin:$PATH mk "$@" "${args[@]}"); }
    # the first run: two recipes (tools/deps.sh, as its stamp is missing, and the products), one
    # question to git for the date
    mkp pdf >"$d/log" 2>&1 && [[ -f $sums ]] && grep -q "NotoSerif-Regular.ttf:" "$d/products.d" &&
        grep -q deps-run "$d/log" && [[ $(grep -c . "$d/calls") == 1 ]] ||
        { cat "$d/log" "$d/calls"; echo "first run: no products, no font list, or git not once"; return 1; }
    : >"$d/calls" && : >"$d/stamp-build" && mkp pdf >"$d/log" 2>&1 && [[ ! -s $d/log && ! -s $d/calls ]] ||
        { cat "$d/log" "$d/calls"; echo "up to date: output or a program run"; return 1; }
    local font w
    font=$(sed -n 's/^\(.*NotoSerif-Regular\.ttf\):$/\1/p' "$d/products.d")
    for w in "$d/doc.txt" "$d/leaflet.ini" "$font" "$(dirname "$font")" "${pb#"$root"/}" \
        tools/products.sh "$d/status"; do
        ! mkp -q "$sums" -W "$w" || { echo "-W $w: the products stand"; return 1; }
    done
    mkp -q "$sums" -W README.md || { echo "-W README.md: the products remade"; return 1; }
    # make's built-in rules (tried for every file it reads: 10 times the instructions) are off
    { mk -p -q "$sums" >"$d/db" 2>&1 || true; } && grep -qx "$sums:.*" "$d/db" &&
        ! grep -qx '%:: RCS/%,v' "$d/db" || { echo "built-in rules on"; return 1; }
    touch "$d/leaflet.ini" && mkp pdf >"$d/log" 2>&1 && grep -q "PDF .*from $d/doc.txt" "$d/log" &&
        mkp -q "$sums" && rm "$d/products.d" && ! mkp -q "$sums" ||
        { cat "$d/log"; echo "touched layout or no font list: not remade"; return 1; }
}
deps_stamp() { # a check that found everything is not repeated until dpkg's status changes
    local d=$tmp/deps-stamp
    mkdir -p "$d/bin" && : >"$d/calls" && : >"$d/status" && touch -d '-10 seconds' "$d/status" &&
        printf '#!/bin/sh\necho x >>"%s"\nshift 2\nfor p; do echo "$p install ok installed"; done\n' \
            "$d/calls" >"$d/bin/dpkg-query" && chmod +x "$d/bin/dpkg-query" || return 1
    local run=(env PATH="$d/bin:$PATH" DEPS_STAMP="$d/stamp" DPKG_STATUS="$d/status" tools/deps.sh build)
    "${run[@]}" && "${run[@]}" && [[ $(wc -l <"$d/calls") == 1 ]] ||
        { echo "dpkg-query calls for two checks: $(wc -l <"$d/calls") (want 1)"; return 1; }
    touch "$d/status" && "${run[@]}" && [[ $(wc -l <"$d/calls") == 2 ]] ||
        { echo "not asked again after dpkg's status changed"; return 1; }
}
opencc_on_demand() { # OpenCC is loaded for a report's queries only; missing, the run goes on
    LD_DEBUG=files paiban -q --layout "$layout" -o "$tmp/cc.pdf" "$corpus" 2>"$tmp/ld.log" &&
        ! grep -q "libopencc" "$tmp/ld.log" || { echo "OpenCC loaded by a run without a report"; return 1; }
    # the same program looking for a library of another soname (same length) finds none
    sed 's/libopencc\.so/libopenXX\.so/g' "$pb" >"$tmp/pb-nocc" && chmod +x "$tmp/pb-nocc" &&
        exits 0 "$tmp/pb-nocc" -q --report --layout "$layout" -o "$tmp/cc.pdf" "$corpus" &&
        has "$tmp/cc.report.txt" "(Han text not checked: libopenXX.so" &&
        exits 0 paiban -q --report --layout "$layout" -o "$tmp/cc.pdf" "$corpus" &&
        has "$tmp/cc.report.txt" "Simplified form in a zh-Hant text?"
}
check "OpenCC opened for a report's queries only; without it the report says so" opencc_on_demand
if [[ $build == release ]]; then
    check "tools/deps.sh: a check that found everything is not repeated while dpkg's status stands" deps_stamp
    check "make install DESTDIR=: the tree; -l booklet from elsewhere; uninstall" install_tree
    check "man -l: paiban(1), paiban-layout(5) render; paiban-layout(5) up to date" man_pages
    check "Makefile: CC, CPPFLAGS, CFLAGS, LDFLAGS honoured; -Werror only with WERROR=1" make_flags
    check "Makefile: quiet (nothing when up to date, one line per step)" make_quiet
    check "make pdf: up to date runs nothing; a touched corpus, layout, font, program, package remakes" make_pdf_deps
    check "tools/configure.sh: a missing library named with its Debian package" missing_library
    check "tools/deps.sh: build packages for make pdf, test tools for make test" deps_split
fi

summary cli
