#!/usr/bin/env bash
# products.sh BDIR: every product of `make pdf` built in one run into a temp dir, then checked:
# page sizes, the imposition's order, bookmarks, leaflets, parallel pairs level, no heading at a
# page foot, typographic rules on every file. Prints `products: N passed, M failed`.
set -euo pipefail
case $1 in /*) bdir=$1 ;; *) bdir=$PWD/$1 ;; esac
cd "$(dirname "$0")/.."
py=/usr/bin/python3
pb=$bdir/paiban
corpus=corpus/ai-plus-initiative.txt
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
source tests/lib.sh
page_size() { # page_size PDF W H: every page W x H pt (within a point)
    pdfinfo -f 1 -l 9999 "$1" | awk -v w="$2" -v h="$3" '
        /^Page +[0-9]+ size:/ { n++; if ($4 < w - 1 || $4 > w + 1 || $6 < h - 1 || $6 > h + 1) { bad++; print } }
        END { exit !(n && !bad) }'
}
build() {
    "$pb" --layout layouts/booklet.ini -o "$tmp/booklet.pdf" --imposed "$tmp/imposed.pdf" \
        --layout layouts/leaflet.ini -o "$tmp/leaflet-%d.pdf" \
        --layout layouts/parallel.ini -o "$tmp/parallel.pdf" "$corpus"
}
one_thread() { # composed ahead and cut on all cores, or all on one thread: the same bytes
    # (and every font cut again, not taken from the cache of font programs: src/subsetcache.c)
    mkdir -p "$tmp/one" &&
        PAIBAN_CACHE=0 PAIBAN_THREADS=1 "$pb" --layout layouts/booklet.ini -o "$tmp/one/booklet.pdf" \
            --imposed "$tmp/one/imposed.pdf" --layout layouts/leaflet.ini -o "$tmp/one/leaflet-%d.pdf" \
            --layout layouts/parallel.ini -o "$tmp/one/parallel.pdf" "$corpus" || return 1
    local f
    for f in "$tmp"/one/*.pdf; do cmp "$f" "$tmp/${f##*/}" || return 1; done
}
traces() {
    for l in booklet leaflet parallel archive; do
        "$pb" --trace --layout layouts/$l.ini "$corpus" >"$tmp/$l.trace" || return 1
    done
    # the booklet on its baseline grid too (lines snap down: the keeps must still hold)
    { cat layouts/booklet.ini && printf '\n[text]\ngrid = yes\n'; } >"$tmp/grid.ini"
    "$pb" --trace --layout "$tmp/grid.ini" "$corpus" >"$tmp/booklet-grid.trace"
}
rules() { # typographic rules on every product, measured by the glyphs drawn (pdffonts, qpdf)
    for f in "$tmp"/*.pdf; do
        qpdf --check "$f" >/dev/null || { echo "qpdf: $f"; return 1; }
        pdffonts "$f" | awk 'NR > 2 && ($(NF-4) != "yes" || $(NF-3) != "yes" || $(NF-2) != "yes") { bad++; print } END { exit bad > 0 }' ||
            { echo "fonts: $f"; return 1; }
    done
    # prohibited line starts/ends and replacement characters, line by line of the text
    for f in "$tmp"/booklet.pdf "$tmp"/leaflet-*.pdf "$tmp"/parallel.pdf; do
        pdftotext -layout "$f" - | "$py" -c '
import sys
start = set("、，。．：；！？」』”’）》〉】〕〗,.;:?!)]}")
end = set("「『“‘（《〈【〔〖([{")
bad = 0
for line in sys.stdin:
    for part in line.split("   "):  # columns of -layout output
        s = part.strip()
        if not s:
            continue
        if s[0] in start or s[-1] in end or "\ufffd" in s:
            print(repr(s[:30])); bad += 1
sys.exit(bad > 0)' || { echo "rules: $f"; return 1; }
    done
}
check "all products in one run" build
check "same bytes on one thread (PAIBAN_THREADS=1): booklet, imposed, leaflets, parallel" one_thread
check "booklet A5" page_size "$tmp/booklet.pdf" 419.53 595.28
for k in 1 2 3 4 5; do
    check "leaflet $k A4" page_size "$tmp/leaflet-$k.pdf" 595.28 841.89
    check "leaflet $k holds campaign $k only" "$py" tests/products_check.py leaflet "$tmp/leaflet-$k.pdf" "$corpus" $k
done
check "parallel A4" page_size "$tmp/parallel.pdf" 595.28 841.89
check "imposed: SRA4 landscape, ceil(pages/4)*2 sides, saddle-stitch order" "$py" tests/products_check.py imposed "$tmp/booklet.pdf" "$tmp/imposed.pdf"
check "imposed SRA4 landscape (A5 pages, bleed and marks)" page_size "$tmp/imposed.pdf" 907.09 637.80
check "bookmarks: >= 6, Chinese and English titles" "$py" tests/products_check.py bookmarks "$tmp/booklet.pdf"
check "ruby: one span per body annotation (none on the title and headings), the corpus's pinyin in order" "$py" tests/products_check.py ruby "$tmp/booklet.pdf" "$corpus"
check "traces of every product" traces
measure_lines() { # every line of every product inside its measure (the trace's); none overfull
    mkdir -p "$tmp/m"
    local l o
    for l in booklet leaflet parallel archive; do
        o=$tmp/m/$l.pdf
        [[ $l == leaflet ]] && o=$tmp/m/$l-%d.pdf
        "$pb" --report=json --layout layouts/$l.ini -o "$o" "$corpus" 2>"$tmp/m/$l.err" &&
            "$py" tests/corpora_check.py measure "$tmp/$l.trace" "$tmp/m/$l.report.json" "$tmp/m/$l.err" ||
            return 1
    done
}
check "every line inside its measure, none overfull (booklet, leaflets, parallel, archive)" measure_lines
check "font expansion: English only, within 3 %, one scale a line" "$py" tests/products_check.py expansion 0.03 "$tmp"/booklet.trace "$tmp"/leaflet.trace "$tmp"/parallel.trace "$tmp"/archive.trace
check "parallel: pairs start level" "$py" tests/products_check.py level "$tmp/parallel.trace"
check "no heading is the last line of a page (also the booklet on its baseline grid)" "$py" tests/products_check.py heading-foot "$tmp"/booklet.trace "$tmp"/booklet-grid.trace "$tmp"/leaflet.trace "$tmp"/parallel.trace "$tmp"/archive.trace
check "qpdf, fonts embedded/subset/unicode, no prohibited line edges" rules
tagged() { # every product but the press sheet: Tagged: yes; the imposition stays untagged
    for f in "$tmp"/booklet.pdf "$tmp"/leaflet-*.pdf "$tmp"/parallel.pdf; do
        pdfinfo "$f" | grep -q "^Tagged: *yes" || { echo "not tagged: $f"; return 1; }
    done
    pdfinfo "$tmp/imposed.pdf" | grep -q "^Tagged: *no"
}
check "tagged: pdfinfo says Tagged: yes (the imposed press sheet: no)" tagged
for f in booklet leaflet-1 leaflet-2 leaflet-3 leaflet-4 leaflet-5 parallel; do
    check "$f: structure (tests/structure_check.py)" "$py" tests/structure_check.py "$tmp/$f.pdf"
    check "$f: PDF/UA-1 (tests/pdfa_check.py --ua)" "$py" tests/pdfa_check.py --ua "$tmp/$f.pdf"
done
structure_order() { # parallel: the structure reads zh, en, zh, en (the first six blocks)
    "$py" tests/structure_check.py "$tmp/parallel.pdf" --order | awk '{ print $2 }' | head -6 |
        tr '\n' ' ' | grep -qx "zh-Hant en zh-Hant en zh-Hant en "
}
check "parallel: structure order zh, en, zh, en" structure_order
pdfjs_text() { # pdf.js (tests/pdfjs_text.mjs): Han text = corpus and no space next to Chinese
    # where the corpus has none, in the parallel product, the leaflets and the press sheet;
    # its find bar finds 2030年 in the parallel product and the press sheet
    local f
    node tests/pdfjs_text.mjs --each .pdfjs.txt "$tmp"/parallel.pdf "$tmp"/leaflet-*.pdf "$tmp"/imposed.pdf || return 1
    "$py" tests/e2e_text.py han "$corpus" "$tmp/parallel.pdf.pdfjs.txt" || return 1
    for f in "$tmp"/parallel.pdf "$tmp"/leaflet-*.pdf "$tmp"/imposed.pdf; do
        "$py" tests/e2e_text.py gaps-white "$corpus" "$f.pdfjs.txt" || { echo "in $f"; return 1; }
    done
    node tests/pdfjs_text.mjs --find 2030年 "$tmp"/parallel.pdf "$tmp"/imposed.pdf
}
check "pdf.js: Han text, no space inserted next to Chinese, finds 2030年 (parallel, leaflets, press sheet)" pdfjs_text
# Tests of the structure checker: each defect planted in a copy of the booklet (pikepdf) makes
# tests/structure_check.py FAIL the check named.
plant() { # CASE CHECK
    "$py" - "$1" "$tmp/booklet.pdf" "$tmp/planted-$1.pdf" <<'PY' || return 1
import sys, zlib
import pikepdf
case, src, dst = sys.argv[1:]
pdf = pikepdf.open(src)
N = pikepdf.Name
def elems(s):
    out = []
    def walk(e):
        out.append(e)
        k = e.get("/K")
        for kid in (list(k) if isinstance(k, pikepdf.Array) else [k] if k is not None else []):
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") not in ("/MCR", "/OBJR"):
                walk(kid)
    walk(pdf.Root.StructTreeRoot.K)
    return [e for e in out if e.get("/S") == s]
ps = elems("/P")
if case == "mcid-once":        # a P references its MCID twice
    p = next(e for e in ps if isinstance(e.K, pikepdf.Array) and isinstance(e.K[0], int))
    p.K.append(p.K[0])
elif case == "lang":           # a P without /Lang
    del ps[2].Lang
elif case == "headings":       # the second section heading an H3
    elems("/H1")[3].S = N.H3
elif case == "ruby":           # a Ruby without its RT
    r = elems("/Ruby")[0]
    r.K = pikepdf.Array([r.K[0]])
elif case == "lang-pairs":     # an English paragraph before its Chinese one
    sect = ps[2].P
    k = list(sect.K)
    i, j = k.index(ps[2]), k.index(ps[3])
    k[i], k[j] = k[j], k[i]
    sect.K = pikepdf.Array(k)
elif case == "content-tagged":  # text outside any tag
    page = pdf.pages[2]
    page.Contents.write(zlib.compress(page.Contents.read_bytes() + b"BT /F1 9 Tf 9 9 Td <0003> Tj ET\n"),
                        filter=N.FlateDecode)
elif case == "parent-tree":    # a page's ParentTree entry sends its MCID 0 elsewhere
    nums = pdf.Root.StructTreeRoot.ParentTree.Nums
    arr = nums[3]
    arr[0] = arr[len(arr) - 1]
pdf.save(dst)
PY
    ! "$py" tests/structure_check.py "$tmp/planted-$1.pdf" >"$tmp/planted.out" &&
        grep -q "^FAIL $2:" "$tmp/planted.out" || { cat "$tmp/planted.out"; return 1; }
}
for c in mcid-once lang headings ruby lang-pairs content-tagged parent-tree; do
    check "test of structure_check.py: $c planted" plant "$c" "$c"
done
report() { # the preflight report of the seed: 154 annotations and its 44 comma changes
    "$pb" --report=json --layout layouts/booklet.ini -o "$tmp/r/booklet.pdf" "$corpus" 2>"$tmp/summary" &&
        "$pb" --report --layout layouts/booklet.ini -o "$tmp/r/booklet.pdf" "$corpus" 2>>"$tmp/summary" &&
        grep -q "154 annotations" "$tmp/summary" && grep -q "^pinyin annotations: 154, ruby" "$tmp/r/booklet.report.txt" &&
        grep -qx "rubies set: 134; the farthest from its base's centre 2.45 pt; 8 more than 0.5 pt off (their lines above): 6 in groups too wide for their bases, 2 flush at a line's edge (allowed), 0 off otherwise (defects)" "$tmp/r/booklet.report.txt" &&
        "$py" - "$tmp/r/booklet.report.json" "$corpus" <<'PY'
import json, sys, re
r = json.load(open(sys.argv[1], encoding="utf-8"))
lines = open(sys.argv[2], encoding="utf-8").read().split("\n")
assert len(r["annotations"]) == 154, len(r["annotations"])
for a in r["annotations"]:  # each names its base and pinyin at the '(' in the corpus
    src = lines[a["line"] - 1]
    cps = list(src)
    assert cps[a["col"] - 1] == "(" and cps[a["col"] - 2] == a["base"], a
    assert "".join(cps[a["col"]:a["col"] + len(a["pinyin"])]) == a["pinyin"], a
ch = r["normalisations"]
assert len(ch) == 44 and all(c["before"] == "," and c["after"] == "\uff0c" for c in ch), len(ch)
for c in ch:
    assert list(lines[c["line"] - 1])[c["col"] - 1] == ",", c
# one page short: folio 3 ends a third empty, as the heading 四、 (line 19) keeps its pair
assert r["notdef_glyphs"] == 0, r["notdef_glyphs"]
assert [(i["kind"], i["line"]) for i in r["issues"] if i["kind"] != "ruby off its base"] == \
    [("short page", 19)], r["issues"]
# each ruby's distance from its base's centre: 134 set (none on the title and headings), 8 more
# than 0.5 pt off on four lines, each for a cause clreq allows: 6 in groups too wide for their
# bases (xué chuàng, dòng chuàng, xiàn chuàng), 2 flush with a line's end (chuàng); no defect
assert r["ruby"] == {"set": 134, "max_offset_pt": 2.454, "off": 8, "off_too_wide": 6,
                     "off_line_edge": 2, "off_defects": 0}, r["ruby"]
off = [(i["line"], i["count"], i["too_wide"], i["line_edge"], i["defects"])
       for i in r["issues"] if i["kind"] == "ruby off its base"]
assert off == [(9, 2, 2, 0, 0), (17, 2, 2, 0, 0), (21, 3, 2, 1, 0), (25, 1, 0, 1, 0)], off
# editor queries: the mainland forms in this Traditional text, each at its place in the corpus
assert r["queries_checked"] is True
q = {(x["line"], x["col"]): (x["found"], x["suggested"]) for x in r["queries"]}
for (line, col), (found, sugg) in {(3, 66): ("于", "於"), (13, 2): ("托", "託"), (13, 29): ("范", "範"),
                                   (17, 208): ("涌", "湧"), (21, 49): ("并", "並"), (23, 34): ("筑", "築"),
                                   (22, 189): ("Al", "AI")}.items():
    assert q.get((line, col)) == (found, sugg), (line, col, q.get((line, col)))
    assert "".join(list(lines[line - 1])[col - 1:col - 1 + len(found)]) == found
# 沉 in 沉浸 is the Traditional form too (ICU's character transform queried it as 沈)
assert (21, 124) not in q, q.get((21, 124))
assert r["queries_summary"]["engine"] == "OpenCC s2t" and not r["queries_summary"]["looks_other_variant"]
print("report ok:", len(r["annotations"]), "annotations,", len(ch), "changes,", len(q), "queries")
PY
}
mkdir -p "$tmp/r"
check "preflight report: 154 annotations, 44 comma changes, the mainland forms queried (沉浸 not), no problems but the short page" report
ruby_defects() { # the parallel and the archive: every ruby off its base for a cause clreq allows
    "$pb" --report --layout layouts/parallel.ini -o "$tmp/r/parallel.pdf" \
        --layout layouts/archive.ini -o "$tmp/r/archive.pdf" "$corpus" 2>/dev/null &&
        grep -x "rubies set: 134; .* 0 off otherwise (defects)" "$tmp/r/parallel.report.txt" &&
        grep -x "rubies set: 134; .* 0 off otherwise (defects)" "$tmp/r/archive.report.txt"
}
check "ruby: no ruby off its base but in a group too wide for its bases or flush at a line's edge (parallel, archive)" ruby_defects

# tools/products.sh (what `make pdf CORPUS=...` runs): the files of one run, listed exactly in
# SHA256SUMS; a leaflet of a section the corpus no longer has is removed; a failed run changes
# nothing.
products_sh() { tools/products.sh "$pb" "$1" "$2" doc layouts/booklet.ini layouts/leaflet.ini \
    layouts/parallel.ini layouts/archive.ini >/dev/null 2>&1; }
listed_exactly() { # listed_exactly DIR: SHA256SUMS checks, and lists every file of DIR
    (cd "$1" && sha256sum --quiet -c archive/SHA256SUMS) &&
        diff <(cd "$1" && find . -type f ! -name SHA256SUMS | sed 's|^\./||' | LC_ALL=C sort) \
            <(awk '{print $2}' "$1/archive/SHA256SUMS")
}
make_sections() { # make_sections N FILE: a corpus of N numbered sections
    { printf '標題\nTitle\n'
      for ((k = 1; k <= $1; k++)); do printf '%d、第%d節\n%d. Section %d\n正文。\nText.\n' $k $k $k $k; done
    } >"$2"
}
stale() {
    local d=$tmp/prod
    make_sections 5 "$tmp/doc.txt" && products_sh "$tmp/doc.txt" "$d" && [[ -f $d/leaflet-5.pdf ]] &&
        listed_exactly "$d" || return 1
    # the reports name the outputs where they are, not the run's fresh folder
    grep -qx "output: $d/booklet.pdf: .*" "$d/booklet.report.txt" &&
        grep -qx "output: $d/archive/doc.pdf: .*" "$d/archive/doc.report.txt" &&
        ! grep -q '\.products-' "$d"/*.report.txt "$d"/archive/*.report.txt ||
        { grep -H '^output' "$d"/*.report.txt "$d"/archive/*.report.txt; return 1; }
    make_sections 3 "$tmp/doc.txt" && products_sh "$tmp/doc.txt" "$d" || return 1
    [[ ! -e $d/leaflet-4.pdf && ! -e $d/leaflet-5.pdf && -f $d/leaflet-3.pdf ]] || { ls "$d"; return 1; }
    ! grep -q leaflet-5 "$d/archive/SHA256SUMS" && listed_exactly "$d" || return 1
    local before
    before=$(cd "$d" && sha256sum archive/SHA256SUMS leaflet-3.pdf)
    printf 'English first\n中文\n' >"$tmp/bad.txt"
    ! products_sh "$tmp/bad.txt" "$d" && [[ $(cd "$d" && sha256sum archive/SHA256SUMS leaflet-3.pdf) == "$before" ]] &&
        [[ -z $(find "$d" -name '.products-*') ]]
}
check "make pdf CORPUS=: SHA256SUMS lists exactly this run's files; the reports name them where they are; stale leaflets removed; a failed run changes nothing" stale

# a write-protected file in OUTDIR (one to be replaced, or a stale leaflet to be removed) stops
# make pdf as it stops paiban: exit 3 naming it, nothing in OUTDIR changed (review 12 C10)
protected() {
    local d=$tmp/prot before f rc
    make_sections 4 "$tmp/doc.txt" && products_sh "$tmp/doc.txt" "$d" || return 1
    before=$(cd "$d" && find . -type f -exec sha256sum {} + | LC_ALL=C sort)
    make_sections 3 "$tmp/doc.txt" # leaflet-4.pdf is to go, booklet.pdf to be replaced
    for f in booklet.pdf leaflet-4.pdf archive/SHA256SUMS; do
        chmod 444 "$d/$f" && rc=0 && tools/products.sh "$pb" "$tmp/doc.txt" "$d" doc layouts/booklet.ini \
            layouts/leaflet.ini layouts/parallel.ini layouts/archive.ini >/dev/null 2>"$tmp/prot.err" || rc=$?
        ((rc == 3)) && grep -qx "products.sh: cannot write $d/$f: Permission denied (write-protected, mode 0444)" "$tmp/prot.err" &&
            [[ $(cd "$d" && find . -type f -exec sha256sum {} + | LC_ALL=C sort) == "$before" ]] &&
            [[ -z $(find "$d" -name '.products-*') ]] && chmod 644 "$d/$f" || { echo "rc $rc"; cat "$tmp/prot.err"; ls -la "$d"; return 1; }
    done
    products_sh "$tmp/doc.txt" "$d" && [[ ! -e $d/leaflet-4.pdf ]]
}
check "make pdf: a write-protected file in OUTDIR (replaced or removed): exit 3, OUTDIR unchanged" protected

# --imposed with pages that do not fit 2-up on the sheet with their bleed and marks: an error
# naming the sheets that do, before anything is written; a letter booklet on ledger sheets
# works without bleed or marks (ledger is two letter pages exactly).
impose_fit() {
    local rc=0
    "$pb" --layout layouts/leaflet.ini -o "$tmp/if-%d.pdf" --imposed "$tmp/if-imposed.pdf" "$corpus" \
        2>"$tmp/if.err" || rc=$?
    ((rc == 1)) && grep -q "error: --imposed: pages of 210 x 297 mm do not fit 2-up on the \[impose\] sheet (320 x 225 mm) with 3 mm of bleed and crop marks (7 mm around them); sheets that fit: SRA3" "$tmp/if.err" &&
        [[ ! -e $tmp/if-imposed.pdf && ! -e $tmp/if-1.pdf ]] || { cat "$tmp/if.err"; return 1; }
    printf '[page]\nsize = letter\n[impose]\nsheet = ledger\nbleed = 0mm\nmarks = no\n' >"$tmp/us.ini"
    "$pb" --layout "$tmp/us.ini" -o "$tmp/us.pdf" --imposed "$tmp/us-imposed.pdf" "$corpus" &&
        pdfinfo "$tmp/us-imposed.pdf" | grep -q "Page size: *1224 x 792 pts"
}
check "--imposed: A4 pages on SRA4 sheets refused naming SRA3; letter on ledger without bleed or marks" impose_fit

# Leaflet fit: a section too long for its page at full size shrinks (in steps, down to
# min-scale) to one page, and the report says so. (The measure is given in characters: 25 of
# 18 pt keep the text block about as wide as 33 of 13.5 pt. At 16 pt every section now fits
# unshrunk: the marks' blanks are compressed before a line is letter-spaced.)
shrink_fit() {
    printf 'base = %s\n[page]\nmeasure = 25em\n[text]\nsize = 18pt\n' "$PWD/layouts/leaflet.ini" >"$tmp/big.ini"
    "$pb" --report --layout "$tmp/big.ini" -o "$tmp/big-%d.pdf" "$corpus" 2>"$tmp/big.err" || return 1
    for k in 1 2 3 4 5; do
        [[ $(pdfinfo "$tmp/big-$k.pdf" | awk '/^Pages:/ {print $2}') == 1 ]] || { echo "leaflet $k: not 1 page"; return 1; }
    done
    grep -q "sizes x0\.[0-9]*: the series' one size" "$tmp/big.report.txt" || return 1
    # each its own size: the ones that shrank say so
    printf '[leaflet]\none-size = no\n' >>"$tmp/big.ini"
    "$pb" --report --layout "$tmp/big.ini" -o "$tmp/big-%d.pdf" "$corpus" 2>"$tmp/big.err" &&
        grep -q "sizes x0\.[0-9]*: shrunk to fit" "$tmp/big.report.txt"
}
check "leaflets at 18 pt: every section shrunk to fit its one page, and reported (one size; each its own)" shrink_fit
# Leaflets set one section each and the preamble's last pair as the standfirst: the preamble's
# other pairs are in no leaflet. The report lists them; when they are most of the text (a press
# release whose story is its preamble) a warning says so too; the initiative's one such pair
# (lines 3-4) is reported, not warned about.
preamble_left_out() {
    "$pb" --report --layout layouts/leaflet.ini -o "$tmp/pl-%d.pdf" "$corpus" 2>"$tmp/pl.err" || return 1
    grep -q "ai-plus-initiative.txt:3: preamble in no leaflet: lines 3-4" "$tmp/pl.report.txt" &&
        ! grep -q "preamble" "$tmp/pl.err" || { cat "$tmp/pl.err"; return 1; }
    {
        printf '新聞稿\nPress release\n\n'
        for k in 1 2 3 4; do printf '本市今日宣布第%d項文化計畫，投入經費並擴大服務。\nThe city announced cultural plan %d today, with new funds and services.\n\n' $k $k; done
        printf '（完）\n– ENDS –\n\n# 聯絡\nContact\n\n電話 1234。\nPhone 1234.\n'
    } >"$tmp/press.txt"
    "$pb" --report --layout layouts/leaflet.ini -o "$tmp/pr-%d.pdf" "$tmp/press.txt" 2>"$tmp/pr.err" || return 1
    grep -q "press.txt:4: warning: the preamble's text (lines 4-14) is in no leaflet" "$tmp/pr.err" &&
        grep -q "press.txt:4: preamble in no leaflet: lines 4-14" "$tmp/pr.report.txt" ||
        { cat "$tmp/pr.err" "$tmp/pr.report.txt"; return 1; }
}
check "leaflets: the preamble's pairs set in no leaflet reported; warned when they are most of the text" preamble_left_out
# A fee list whose notes (* †, their marks in the first section's prices) and enquiries line
# follow the last section's list: set in the last leaflet only, which the report says, with a
# warning for each mark the first leaflet prints without its note; marked {every}, every
# leaflet carries them.
closing_matter() {
    {
        printf '收費標準\nSchedule of Fees\n\n# 一、編輯\n# I. Editing\n\n'
        printf -- '- 審稿：每千字新臺幣300元\\*。\n- Copy-editing: NT$300 per 1,000 characters\\*.\n\n'
        printf -- '- 校對：每千字新臺幣150元†。\n- Proofreading: NT$150 per 1,000 characters†.\n\n'
        printf '# 二、印刷\n# II. Printing\n\n'
        printf -- '- 黑白印刷：每頁新臺幣1元。\n- Black-and-white printing: NT$1 per page.\n\n'
        printf '* 專業稿件價格另計。%s\n* Specialist texts are priced separately.%s\n\n' "$1" "$1"
        printf '† 不含翻譯。%s\n† Translation is not included.%s\n\n' "$1" "$1"
        printf '洽詢電話：02-2345-6789。%s\nEnquiries: 02-2345-6789.%s\n' "$1" "$1"
    } >"$tmp/fees.txt"
    "$pb" --report --layout layouts/leaflet.ini -o "$tmp/fe-%d.pdf" "$tmp/fees.txt" 2>"$tmp/fe.err" || return 1
    local k
    if [[ -z $1 ]]; then
        grep -q "fees.txt:19: closing matter in the last leaflet only: lines 19-26 .*/fe-2.pdf only (mark them {every}" "$tmp/fe.report.txt" &&
            grep -q "fees.txt:7:17: warning: leaflet 1 prints the note mark \* but not its note (line 19, set in leaflet 2 only)" "$tmp/fe.err" &&
            grep -q "fees.txt:10:16: warning: leaflet 1 prints the note mark † but not its note (line 22, set in leaflet 2 only)" "$tmp/fe.err" ||
            { cat "$tmp/fe.err" "$tmp/fe.report.txt"; return 1; }
    else
        for k in 1 2; do
            pdftotext -enc UTF-8 "$tmp/fe-$k.pdf" - | tr -d '\n' | grep -q '不含翻譯.*Translation is not included.*02-2345-6789' ||
                { echo "leaflet $k: no notes"; return 1; }
        done
        ! grep -q "closing matter\|note mark\|note without" "$tmp/fe.report.txt" && ! grep -q "note" "$tmp/fe.err" ||
            { cat "$tmp/fe.err" "$tmp/fe.report.txt"; return 1; }
    fi
}
check "leaflets: notes after the last section's list in its leaflet only: reported, the marks warned" closing_matter ""
check "leaflets: notes marked {every} in every leaflet, nothing reported" closing_matter "{every}"
# Note marks a leaflet prints whose notes another leaflet sets (or none): one warning each, at
# the mark, naming the mark, its leaflet and where the note is, and a report line (text and
# JSON); a note a leaflet sets with no mark of its in that leaflet's text, a report line. A
# section's own notes, notes marked {every}, a unit's power (m²), and in a leaflet whose text
# has no note marks a spaced asterisk (3 * 4) and a section sign before a number (§3): nothing. $1: "" the notes end the last section;
# "mid" a paragraph follows them; "{every}" they are marked so.
notes_apart() {
    local e=$1 tail=
    [[ $1 == mid ]] && e= && tail=$'\n本節到此為止。\nThis is the end of the section.'
    cat >"$tmp/notes.txt" <<EOF
註記測試
Note Test

# 一、甲
# I. A

本節有註記\\*與另一註記¹，面積20m²。
This section has a note\\* and another¹, an area of 20 m².

# 二、乙
# II. B

見§3，3 \\* 4。
See §3 and 3 \\* 4.

本節有自己的註記†。
This section has its own note†.

† 本節註記。
† This section's note.

# 三、丙
# III. C

本節沒有註記。
This section has no note.

\\* 星號註記內容。$e
\\* The asterisk note.$e

註¹：上標註記內容。$e
¹ The superscript note.$e

² 平方註記。$e
² A note on squares.$e

§ 節號註記。$e
§ A note with a section sign.$e
$tail
EOF
    "$pb" --report --layout layouts/leaflet.ini -o "$tmp/nt-%d.pdf" "$tmp/notes.txt" 2>"$tmp/nt.err" &&
        "$pb" --report=json --layout layouts/leaflet.ini -o "$tmp/nj-%d.pdf" "$tmp/notes.txt" 2>/dev/null ||
        return 1
    local k
    for k in 1 2 3; do # the notes where they were put: {every}, in every leaflet
        pdftotext -enc UTF-8 "$tmp/nt-$k.pdf" - | tr -d '\n' | grep -q '星號註記內容.*The asterisk note' ||
            [[ -z $e && $k != 3 ]] || { echo "leaflet $k: no notes"; return 1; }
    done
    if [[ -n $e ]]; then
        ! grep -q "note" "$tmp/nt.err" && ! grep -q "note mark\|note without" "$tmp/nt.report.txt" &&
            ! grep -q '"note mark\|"note without' "$tmp/nj.report.json" ||
            { cat "$tmp/nt.err" "$tmp/nt.report.txt"; return 1; }
        return 0
    fi
    [[ $(grep -c "warning:.*note" "$tmp/nt.err") == 2 ]] &&
        grep -q "notes.txt:7:7: warning: leaflet 1 prints the note mark \* but not its note (line 28, set in leaflet 3 only): mark the note pair {every} for every leaflet to carry it, or move it into section 1" "$tmp/nt.err" &&
        grep -q "notes.txt:7:13: warning: leaflet 1 prints the note mark ¹ but not its note (line 31, set in leaflet 3 only)" "$tmp/nt.err" &&
        grep -q "notes.txt:7: note mark apart from its note: \* in .*/nt-1.pdf; its note, line 28, is set in .*/nt-3.pdf only (mark the note pair {every}" "$tmp/nt.report.txt" &&
        grep -q "notes.txt:7: note mark apart from its note: ¹ in .*/nt-1.pdf; its note, line 31, is set in .*/nt-3.pdf only" "$tmp/nt.report.txt" &&
        grep -q "notes.txt:28: note without its mark: \* is set in .*/nt-3.pdf, whose text has no \*; its mark is at line 7, in .*/nt-1.pdf" "$tmp/nt.report.txt" &&
        grep -q "notes.txt:31: note without its mark: ¹ is set in .*/nt-3.pdf, whose text has no ¹" "$tmp/nt.report.txt" &&
        grep -q "notes.txt:34: note without its mark: ² is set in .*/nt-3.pdf, whose text has no ²; no text has the mark" "$tmp/nt.report.txt" &&
        [[ $(grep -c "note mark apart\|note without" "$tmp/nt.report.txt") == 6 ]] &&
        $py -c '
import json, sys
r = json.load(open(sys.argv[1]))
got = sorted((i["kind"], i["line"], i["mark"], i["output"][-8:], i["value"]) for i in r["issues"]
             if i["kind"].startswith("note"))
want = [("note mark apart from its note", 7, "*", "nj-1.pdf", 28),
        ("note mark apart from its note", 7, "¹", "nj-1.pdf", 31),
        ("note without its mark", 28, "*", "nj-3.pdf", 7),
        ("note without its mark", 31, "¹", "nj-3.pdf", 7),
        ("note without its mark", 34, "²", "nj-3.pdf", 0),
        ("note without its mark", 37, "§", "nj-3.pdf", 0)]
if got != want:
    sys.exit(got)' "$tmp/nj.report.json" ||
        { cat "$tmp/nt.err" "$tmp/nt.report.txt"; return 1; }
}
check "leaflets: note marks whose notes another leaflet sets warned and reported (notes ending the text)" notes_apart ""
check "leaflets: note marks whose notes another leaflet sets warned and reported (a paragraph after them)" notes_apart mid
check "leaflets: notes marked {every}: no note mark apart from its note" notes_apart "{every}"
# ... and shrunk only to sizes at which the measure is whole characters of the Chinese text
# (pb_layout_whole_scale): every full Chinese body line is a whole number of its ems.
shrink_whole() {
    "$pb" --trace --layout "$tmp/big.ini" -o "$tmp/big.trace" "$corpus" &&
        "$py" - "$tmp/big.trace" <<'PY'
import re, sys
lines, width = [], None
for ln in open(sys.argv[1], encoding="utf-8"):
    m = re.match(r"  line y=\S+ x=\S+ width=(\S+)", ln)
    if m:
        width = float(m.group(1))
        continue
    m = re.match(r"  run y=\S+ x=(\S+)\.\.(\S+) NotoSerifCJKtc-Regular (\S+) ", ln)
    if m and width and width > 400:  # a justified line across the measure
        lines.append((width, float(m.group(3))))
    width = None
# body lines: the size most lines have (a leaflet's standfirst is set larger)
sizes = [s for _, s in lines]
body = max(set(sizes), key=sizes.count) if sizes else None
full, bad = 0, []
for w, s in lines:
    if s != body:
        continue
    full += 1
    chars = w / s
    if abs(chars - round(chars)) > 0.01:
        bad.append(round(chars, 3))
if not full or bad:
    sys.exit("full Chinese lines %d, not whole characters: %s" % (full, bad[:5]))
PY
}
check "leaflets at 18 pt: shrunk to whole-character sizes only (measure / size whole)" shrink_whole

# The English measure: full English body lines of the booklet and the archive average 60-70
# characters (Bringhurst's book measure; [text] size-en sets the English a little larger than
# the Chinese so that the shared measure is not too long for it).
english_measure() {
    local l
    : >"$tmp/em.out"
    for l in booklet archive; do
        "$pb" --trace --layout "layouts/$l.ini" -o "$tmp/em-$l.trace" "$corpus" || return 1
        "$py" - "$tmp/em-$l.trace" "$l" >>"$tmp/em.out" <<'PY' || { cat "$tmp/em.out"; return 1; }
import re, sys
lines, cur, width, full = [], None, 0, 0
for ln in open(sys.argv[1], encoding="utf-8"):
    m = re.match(r"  line y=\S+ x=\S+ width=(\S+)", ln)
    if m:
        cur = [float(m.group(1)), ""]
        lines.append(cur)
        continue
    m = re.match(r'  run y=\S+ x=\S+ NotoSerif-(Regular|Italic) \S+ (?:scale=\S+ )?"(.*)"$', ln)
    if m and cur is not None:
        cur[1] += m.group(2)
full = max(w for w, t in lines)
body = [len(t) for w, t in lines if t and abs(w - full) < 0.01 and t.isascii()]
mean = sum(body) / len(body)
print("%s %.1f" % (sys.argv[2], mean), end="; ")
sys.exit(0 if len(body) >= 10 and 60 <= mean <= 70 else 1)
PY
    done
    cat "$tmp/em.out" >"$note"
}
check "English measure: booklet and archive lines average 60-70 characters" english_measure

# Without SOURCE_DATE_EPOCH the archive is dated by its corpus file, never 1970.
dated() {
    cp "$corpus" "$tmp/dated.txt" && touch -d '2025-09-01 12:00:00 UTC' "$tmp/dated.txt" &&
        env -u SOURCE_DATE_EPOCH "$pb" --layout layouts/archive.ini -o "$tmp/dated.pdf" "$tmp/dated.txt" &&
        pdfinfo "$tmp/dated.pdf" | grep -E '^CreationDate:.*2025'
}
check "archive without SOURCE_DATE_EPOCH: dated by the corpus file (2025), not 1970" dated
summary products
