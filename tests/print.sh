#!/usr/bin/env bash
# print.sh BDIR: print production. Documents that set 6, 10 and 12 pages (the initiative's
# pairs, as many as it takes) bound by saddle stitch: padded to a multiple of four with blank
# pages before the back cover, never text on the outside back cover; imposed 2-up on SRA4 in
# saddle-stitch order (read from the text of each half-sheet), crop and fold marks at the trim's
# corners and the fold (read from the drawn paths), outside the bleed; creep; the colophon on
# either back cover; TrimBox and BleedBox on every page of every product; letter pages on
# tabloid-extra, A5 on A3. tests/print_check.py reads the PDFs (pikepdf, PyMuPDF).
# Prints ok/FAIL per check and `print: N passed, M failed`.
set -euo pipefail

(($# == 1)) || { echo "usage: tests/print.sh BDIR" >&2; exit 2; }
case $1 in /*) pb=$1/paiban ;; *) pb=$PWD/$1/paiban ;; esac
cd "$(dirname "$0")/.."
py=/usr/bin/python3
export SOURCE_DATE_EPOCH=1750000000 # 2025-06-15: the colophon's date
DATE=2025-06-15
corpus=corpus/ai-plus-initiative.txt
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
source tests/lib.sh

layout() { # layout NAME KEY=VALUE...: layouts/booklet.ini with [impose] keys changed
    local f=$tmp/$1.ini
    shift
    { cat layouts/booklet.ini; echo "[impose]"; for kv in "$@"; do echo "${kv/=/ = }"; done; } >"$f"
}
layout unbound binding=none
layout bound
layout inside colophon=inside
layout outside colophon=outside
layout creep creep=0.5mm
layout a3 sheet=A3
{ cat layouts/booklet.ini; printf '[page]\nsize = letter\n[impose]\nsheet = tabloid-extra\n'; } >"$tmp/letter.ini"

pages_of() { "$pb" --trace --layout "$tmp/unbound.ini" "$1" | grep -c '^page '; }

# doc.txt of the title pair and the first K of the initiative's other pairs (over again when
# K is more): the least K that sets N pages unbound (cover and inside cover included)
make_doc() { # make_doc N OUT
    local want=$1 out=$2 lo=1 hi=1 k n
    mapfile -t lines <"$corpus"
    local pairs=$(((${#lines[@]} - 2) / 2))
    write() { # write K
        { printf '%s\n%s\n' "${lines[0]}" "${lines[1]}"
          for ((i = 0; i < $1; i++)); do
              local j=$((2 + 2 * (i % pairs)))
              printf '%s\n%s\n' "${lines[j]}" "${lines[j + 1]}"
          done; } >"$out"
    }
    while write $hi && (($(pages_of "$out") < want)); do lo=$hi hi=$((hi * 2)); done
    while ((lo < hi)); do # the least K with at least N pages
        k=$(((lo + hi) / 2))
        write $k
        if (($(pages_of "$out") < want)); then lo=$((k + 1)); else hi=$k; fi
    done
    write $lo
    n=$(pages_of "$out")
    ((n == want)) || { echo "no number of pairs sets $want pages (the least sets $n)"; return 1; }
    echo "$lo pairs" >"$note"
}

added_said() { # added_said N DIR: the report says how many blank pages the binding added
    local n=$1 d=$2 total
    total=$(((n + 1 + 3) / 4 * 4)) # the least multiple of four past N (the back cover kept)
    "$pb" --report --layout "$tmp/bound.ini" -o "$d/r.pdf" "$d/doc.txt" 2>/dev/null &&
        "$pb" --report=json --layout "$tmp/bound.ini" -o "$d/r.pdf" "$d/doc.txt" 2>/dev/null || return 1
    local want="  saddle stitch: $n page(s) made, $((total - n)) blank page(s) added ($((n + 1))-$total)"
    grep -qF "$want" "$d/r.report.txt" || { echo "no line '$want' in:"; head -n 6 "$d/r.report.txt"; return 1; }
    $py -c 'import json, sys; o = json.load(open(sys.argv[1]))["outputs"][0]
sys.exit(0 if o["pages_added"] == int(sys.argv[2]) else "pages_added %s" % o["pages_added"])' \
        "$d/r.report.json" $((total - n))
}

for n in 6 10 12; do
    d=$tmp/p$n
    mkdir -p "$d"
    check "a $n-page document" make_doc $n "$d/doc.txt"
    check "$n pages: unbound and bound booklets, imposed on SRA4" \
        bash -c '"$1" --layout "$2" -o "$3/u.pdf" --layout "$4" -o "$3/b.pdf" --imposed "$3/i.pdf" "$3/doc.txt"' \
        _ "$pb" "$tmp/unbound.ini" "$d" "$tmp/bound.ini"
    check "$n pages: a multiple of four, blank pages before the back cover, none on its outside" \
        $py tests/print_check.py booklet "$d/b.pdf" "$d/u.pdf"
    check "$n pages: saddle-stitch order from each half-sheet's text, the pair at the fold" \
        $py tests/print_check.py imposed "$d/b.pdf" "$d/i.pdf"
    check "$n pages: crop marks at the trim's corners, fold marks at the spine, outside the bleed" \
        $py tests/print_check.py marks "$d/i.pdf" 3
    check "$n pages: TrimBox and BleedBox on every page" \
        $py tests/print_check.py boxes "$d/b.pdf" "$d/i.pdf"
    check "$n pages: the report says how many blank pages the binding added" added_said $n "$d"
done

# the colophon: on the outside back cover of the 12-page document (another sheet: its text
# ends on page 12), on the inside back cover of the 6-, 7- and 10-page ones (7: another sheet)
colophon() { # colophon N WHERE
    local d=$tmp/p$1
    "$pb" --layout "$tmp/$2.ini" -o "$d/$2.pdf" --imposed "$d/$2-i.pdf" "$d/doc.txt" &&
        $py tests/print_check.py booklet "$d/$2.pdf" "$d/u.pdf" "$2" "$d/doc.txt" "$DATE" &&
        $py tests/print_check.py imposed "$d/$2.pdf" "$d/$2-i.pdf" &&
        $py tests/structure_check.py "$d/$2.pdf" >/dev/null && # tagged: a P each language
        $py tests/pdfa_check.py --ua "$d/$2.pdf" >/dev/null
}
check "colophon on the outside back cover of 12 pages: title, date, corpus SHA-256" colophon 12 outside
check "colophon on the inside back cover of 6 pages" colophon 6 inside
check "colophon on the inside back cover of 10 pages" colophon 10 inside
seven() { # 7 pages: the inside back cover (page 8) kept for the colophon takes another sheet
    local d=$tmp/p7
    mkdir -p "$d"
    make_doc 7 "$d/doc.txt" && "$pb" --layout "$tmp/unbound.ini" -o "$d/u.pdf" "$d/doc.txt" &&
        colophon 7 inside
}
check "colophon on the inside back cover of 7 pages: 12 pages, text never on pages 11-12" seven

crept() { # the 12-page document (four sheets) with 0.5 mm creep a sheet
    local d=$tmp/p12
    "$pb" --layout "$tmp/creep.ini" -o "$d/c.pdf" --imposed "$d/c-i.pdf" "$d/doc.txt" &&
        $py tests/print_check.py imposed "$d/c.pdf" "$d/c-i.pdf" 0.5 &&
        $py tests/print_check.py creep "$d/i.pdf" "$d/c-i.pdf" 0.5
}
check "creep 0.5 mm a sheet: the pages of sheet s moved s x 0.5 mm toward the spine" crept

other_sheet() { # other_sheet LAYOUT: the initiative imposed on another sheet
    local d=$tmp/$1
    mkdir -p "$d"
    "$pb" --layout "$tmp/$1.ini" -o "$d/b.pdf" --imposed "$d/i.pdf" "$corpus" &&
        $py tests/print_check.py imposed "$d/b.pdf" "$d/i.pdf" &&
        $py tests/print_check.py marks "$d/i.pdf" 3 &&
        $py tests/print_check.py boxes "$d/b.pdf" "$d/i.pdf"
}
check "A5 on A3: order, marks, boxes" other_sheet a3
check "letter on tabloid-extra (12 x 18 in): order, marks, boxes" other_sheet letter

products() { # every product of make pdf: TrimBox and BleedBox on every page
    local d=$tmp/products
    mkdir -p "$d/archive"
    "$pb" --layout layouts/booklet.ini -o "$d/booklet.pdf" --imposed "$d/booklet-imposed.pdf" \
        --layout layouts/leaflet.ini -o "$d/leaflet-%d.pdf" \
        --layout layouts/parallel.ini -o "$d/parallel.pdf" \
        --layout layouts/archive.ini -o "$d/archive/initiative.pdf" "$corpus" &&
        $py tests/print_check.py boxes "$d"/*.pdf "$d/archive/initiative.pdf" &&
        $py tests/pdfa_check.py "$d/archive/initiative.pdf" >/dev/null
}
check "every product: MediaBox, TrimBox, BleedBox on every page (the archive still PDF/A-3a)" products

summary print
