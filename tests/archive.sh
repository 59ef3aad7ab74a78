#!/usr/bin/env bash
# archive.sh BDIR: checks of the archival copy (layouts/archive.ini, [pdf] profile = pdfa-3a)
# made by BDIR/paiban: builds it into a temp dir; every tests/pdfa_check.py check passes; the
# bytes are reproducible; then a test of the test (pdfa_check.py must FAIL, naming the right
# check, on copies broken on purpose with pikepdf); then `paiban verify` (identical file: exit 0;
# a changed page or font: exit 1 naming it; no embedded source: exit 1; temp files removed).
# Prints ok/FAIL per check and `archive: N passed, M failed`; exits 1 if any failed.
set -euo pipefail

(($# == 1)) || { echo "usage: tests/archive.sh BDIR" >&2; exit 2; }
case $1 in /*) pb=$1/paiban ;; *) pb=$PWD/$1/paiban ;; esac
cd "$(dirname "$0")/.."
py=/usr/bin/python3
corpus=corpus/ai-plus-initiative.txt
layout=layouts/archive.ini
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1700000000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pdf=$tmp/initiative.pdf
vtmp=$tmp/verify-tmp # TMPDIR for verify: must be empty after every run
mkdir -p "$vtmp"

source tests/lib.sh

paiban() { timeout -k 10 300 "$pb" "$@"; } # a hung run fails instead of stalling the suite

exits() { # exits CODE CMD...: CMD exits with CODE (stdout+stderr in $tmp/out)
    local want=$1 rc=0
    shift
    "$@" >"$tmp/out" 2>&1 || rc=$?
    cat "$tmp/out"
    ((rc == want)) || { echo "exit $rc, expected $want"; return 1; }
}

says() { grep -qF -- "$1" "$tmp/out" || { echo "output lacks: $1"; return 1; }; }

build() { paiban --layout "$layout" -o "$pdf" "$corpus"; }
# A title letter-spaced for display (褒　揚　令, a citation's cover) is the title's text without
# the spacing in the PDF's metadata (Info /Title, every XMP dc:title), as in its running head
# (review 13 C2: dc:title kept "褒　揚　令").
title_unspaced() {
    printf '褒　揚　令\nCitation of Honour\n\n林先生治學嚴謹，特予褒揚。\nProfessor Lin is hereby honoured.\n' >"$tmp/cit.txt"
    paiban -q --layout "$layout" -o "$tmp/cit.pdf" "$tmp/cit.txt" || return 1
    "$py" - "$tmp/cit.pdf" <<'PY'
import re, sys, pikepdf
pdf = pikepdf.open(sys.argv[1])
want = "褒揚令 / Citation of Honour"
info = str(pdf.docinfo.Title)
xmp = pdf.Root.Metadata.read_bytes().decode()
alts = re.findall(r'<rdf:li xml:lang="([^"]+)">([^<]*)</rdf:li>',
                  re.search(r"<dc:title>(.*?)</dc:title>", xmp, re.S).group(1))
bad = [] if info == want else [f"/Title {info!r}"]
bad += [f"dc:title {lang} {t!r}" for lang, t in alts if "\u3000" in t]
if not any(t == want for lang, t in alts if lang == "x-default"):
    bad.append(f"no x-default dc:title {want!r}: {alts}")
if bad:
    sys.exit("; ".join(bad))
PY
}

pdfa_all_pass() { "$py" tests/pdfa_check.py "$pdf"; }

reproducible() { # the same inputs and SOURCE_DATE_EPOCH give the same bytes
    paiban --layout "$layout" -o "$tmp/again.pdf" "$corpus" && cmp "$pdf" "$tmp/again.pdf"
}

epoch_unset_is_corpus_date() { # no SOURCE_DATE_EPOCH: reproducible, dated by the corpus file
    cp "$corpus" "$tmp/dated.txt" && touch -d '2024-02-29 08:30:00 UTC' "$tmp/dated.txt" &&
        env -u SOURCE_DATE_EPOCH "$pb" --layout "$layout" -o "$tmp/e1.pdf" "$tmp/dated.txt" &&
        env -u SOURCE_DATE_EPOCH "$pb" --layout "$layout" -o "$tmp/e2.pdf" "$tmp/dated.txt" &&
        cmp "$tmp/e1.pdf" "$tmp/e2.pdf" &&
        pdfinfo -rawdates "$tmp/e1.pdf" | grep -q "^CreationDate: *D:20240229083000+00'00'" &&
        "$py" tests/pdfa_check.py "$tmp/e1.pdf" >/dev/null
}

fonts_emb_sub_uni() { # every font embedded, subset and with ToUnicode (pdffonts columns)
    pdffonts "$pdf" | awk '
        NR > 2 { n++; if ($(NF-4) != "yes" || $(NF-3) != "yes" || $(NF-2) != "yes") { bad++; print "not emb/sub/uni: " $0 } }
        END { exit !(n >= 1 && !bad) }'
}

qpdf_check() { qpdf --check "$pdf" >/dev/null; }

a4_pages() { # every page 595.28 x 841.89 pt, within a point
    pdfinfo -f 1 -l 99999 "$pdf" | awk '
        /^Page +[0-9]+ size:/ { n++; if ($4 < 594.3 || $4 > 596.3 || $6 < 840.9 || $6 > 842.9) { bad++; print } }
        END { exit !(n && !bad) }'
}

# Broken copies, made by tests/pdfa_check.py's own reader (pikepdf), in $tmp/broken-CASE.pdf.
cat >"$tmp/break.py" <<'EOF'
import re, sys, zlib
import pikepdf
case, src, dst = sys.argv[1:4]
if case == "no-id":  # blank the trailer's /ID in place (qpdf would write a new one on save)
    raw = open(src, "rb").read()
    m = re.search(rb"/ID \[[^\]]*\]", raw[raw.rindex(b"trailer"):])
    assert m
    start = raw.rindex(b"trailer") + m.start()
    raw = raw[:start] + b" " * len(m.group(0)) + raw[start + len(m.group(0)):]
    open(dst, "wb").write(raw)
    sys.exit(0)


def elems_of(pdf, s=None):
    """Structure elements depth first (type s only, if given)."""
    out = []

    def walk(e):
        out.append(e)
        k = e.get("/K")
        for kid in (list(k) if isinstance(k, pikepdf.Array) else [k] if k is not None else []):
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") not in ("/MCR", "/OBJR"):
                walk(kid)
    walk(pdf.Root.StructTreeRoot.K)
    return [e for e in out if s is None or e.S == s]


def add_annot(pdf, page, sub, **keys):
    a = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=sub,
                                             Rect=[100, 100, 200, 120], F=4, **keys))
    if "/Annots" not in page:
        page.Annots = pikepdf.Array()
    page.Annots.append(a)
    page.Tabs = pikepdf.Name.S
    return a


def ua_break(pdf, case, page):
    """One PDF/UA-1 (Matterhorn) or PDF/A level A failure condition, planted."""
    root = pdf.Root
    content = lambda: page.Contents.read_bytes()
    put = lambda b: page.Contents.write(zlib.compress(b), filter=pikepdf.Name.FlateDecode)
    N = pikepdf.Name
    if case == "ua-01-003":  # an Artifact inside the first tagged sequence
        put(content().replace(b">> BDC\n", b">> BDC\n/Artifact BMC 0 0 m 1 1 l S EMC\n", 1))
    elif case == "ua-01-004":  # a tagged sequence inside an artifact
        put(content() + b"/Artifact BMC /P <</MCID 999>> BDC 0 0 m 1 1 l S EMC EMC\n")
    elif case == "ua-01-005":  # a path neither tagged nor artifact
        put(content() + b"0 0 m 10 10 l S\n")
    elif case == "ua-01-007":
        root.MarkInfo.Suspects = True
    elif case == "ua-02-001":
        root.StructTreeRoot.RoleMap = pikepdf.Dictionary(Quote2=N.Emphasis)
        elems_of(pdf, "/P")[0].S = N.Quote2
    elif case == "ua-02-003":
        root.StructTreeRoot.RoleMap = pikepdf.Dictionary(Q1=N.Q2, Q2=N.Q1)
        elems_of(pdf, "/P")[0].S = N.Q1
    elif case == "ua-02-004":
        root.StructTreeRoot.RoleMap = pikepdf.Dictionary(P=N.Span)
    elif case in ("ua-06-002", "ua-06-003"):
        x = root.Metadata.read_bytes()
        x = re.sub(rb"<pdfuaid:part>1</pdfuaid:part>" if case == "ua-06-002" else
                   rb"<dc:title>.*?</dc:title>", b"", x, flags=re.S)
        root.Metadata.write(x)
    elif case == "ua-07-001":
        del root.ViewerPreferences.DisplayDocTitle
    elif case == "ua-07-002":
        root.ViewerPreferences.DisplayDocTitle = False
    elif case == "ua-09-005":  # an LBody straight in an L
        doc = root.StructTreeRoot.K
        lbody = pdf.make_indirect(pikepdf.Dictionary(Type=N.StructElem, S=N.LBody))
        lst = pdf.make_indirect(pikepdf.Dictionary(Type=N.StructElem, S=N.L, P=doc,
                                                   K=pikepdf.Array([lbody])))
        lbody.P = lst
        doc.K.append(lst)
    elif case == "ua-09-007":  # a Ruby without its RT
        r = elems_of(pdf, "/Ruby")[0]
        r.K = pikepdf.Array([r.K[0]])
    elif case == "ua-11-001":  # no language for a paragraph's text
        del root.Lang
        for e in elems_of(pdf, "/P"):
            if "/Lang" in e:
                del e.Lang
    elif case == "ua-11-002":  # an RT's ActualText in no language
        del root.Lang
        for e in elems_of(pdf):
            if "/Lang" in e:
                del e.Lang
    elif case in ("ua-11-003", "ua-11-006"):
        del root.Lang
        if case == "ua-11-006":
            x = re.sub(rb'<rdf:li xml:lang="(?!x-default)[^"]*">.*?</rdf:li>', b"",
                       root.Metadata.read_bytes())
            root.Metadata.write(x)
    elif case == "ua-11-004":
        del root.Lang
        add_annot(pdf, page, N.Text, Contents=pikepdf.String("note"))
    elif case == "ua-13-004":
        e = elems_of(pdf, "/P")[0]
        e.S = N.Figure
    elif case == "ua-14-002":
        elems_of(pdf, "/H1")[0].S = N.H2
    elif case == "ua-14-003":
        elems_of(pdf, "/H1")[2].S = N.H3
    elif case in ("ua-14-006", "ua-14-007"):
        hs = elems_of(pdf, "/H1")
        hs[2].S = N.H
        hs[3].S = N.H
        if case == "ua-14-007":
            hs[3].S = N.H1
    elif case == "ua-21-001":
        fs = root.Names.EmbeddedFiles.Names[1]
        del fs.UF
    elif case == "ua-28-002":
        add_annot(pdf, page, N.Text, Contents=pikepdf.String("note"))
    elif case == "ua-28-004":
        add_annot(pdf, page, N.Square)
    elif case in ("ua-28-008", "ua-28-009"):
        add_annot(pdf, page, N.Text, Contents=pikepdf.String("note"))
        if case == "ua-28-008":
            del page.Tabs
        else:
            page.Tabs = N.R
    elif case in ("ua-28-011", "ua-28-012"):
        a = add_annot(pdf, page, N.Link, Contents=pikepdf.String("https://example.org"),
                      A=pikepdf.Dictionary(S=N.URI, URI=pikepdf.String("https://example.org")))
        if case == "ua-28-012":  # in a Link element, but without Contents
            del a.Contents
            doc = root.StructTreeRoot.K
            link = pdf.make_indirect(pikepdf.Dictionary(
                Type=N.StructElem, S=N.Link, P=doc,
                K=pikepdf.Dictionary(Type=N.OBJR, Obj=a, Pg=page.obj)))
            doc.K.append(link)
    elif case == "ua-30-001":
        f = next(v for _, v in page.Resources.XObject.items())
        f.Ref = pikepdf.Dictionary(F=pikepdf.String("other.pdf"), Page=0)
    elif case == "ua-30-002":  # a form holding an MCID, drawn twice
        form = pdf.make_stream(b"/P <</MCID 0>> BDC 0 0 m 1 1 l S EMC\n",
                               Type=N.XObject, Subtype=N.Form, BBox=[0, 0, 10, 10])
        page.Resources.XObject.Twice = form
        put(content() + b"/Artifact BMC /Twice Do /Twice Do EMC\n")
    elif case == "a-lang":
        root.Lang = pikepdf.String("zh_Hant!")
    elif case == "a-pua":  # a drawn code's ToUnicode in the Private Use Area
        f = next(v for _, v in page.Resources.Font.items())
        cm = f.ToUnicode.read_bytes()
        f.ToUnicode.write(re.sub(rb"(beginbfchar\n<[0-9A-F]{4}> <)[0-9A-F]{4}(>)",
                                 rb"\1E000\2", cm, count=1))
    elif case == "a-markinfo":
        del root.MarkInfo
    else:
        sys.exit("unknown case " + case)


pdf = pikepdf.open(src)
root = pdf.Root
page = pdf.pages[int(sys.argv[4]) - 1] if len(sys.argv) > 4 else pdf.pages[0]
fonts = [f for _, f in page.Resources.Font.items()]
if case == "no-output-intent":
    del root.OutputIntents
elif case == "no-metadata":
    del root.Metadata
elif case == "part-2":
    x = root.Metadata.read_bytes().replace(b"<pdfaid:part>3<", b"<pdfaid:part>2<")
    root.Metadata.write(x)
elif case == "no-tounicode":
    del fonts[0].ToUnicode
elif case == "cid-0":  # draw CID 0 with the page's first font
    name = list(page.Resources.Font.keys())[0]
    page.contents_add(pdf.make_stream(f"BT {name} 10 Tf 100 100 Td <0000> Tj ET\n".encode()))
elif case == "no-af":
    del root.AF
elif case == "bad-width":  # first /W width off by 50 units
    w = fonts[0].DescendantFonts[0].W
    w[1][0] = int(w[1][0]) + 50
elif case == "content-byte":  # one digit of the page's content changed, stream re-compressed
    data = bytearray(page.Contents.read_bytes())
    i = data.index(b" Tm")
    while not (48 <= data[i] <= 57):
        i -= 1
    data[i] = 48 + (data[i] - 48 + 1) % 10
    page.Contents.write(zlib.compress(bytes(data)), filter=pikepdf.Name.FlateDecode)
elif case == "font-stream":  # one font's program replaced by another's (same kind)
    descs = {}
    for f in fonts:
        fd = f.DescendantFonts[0].FontDescriptor
        for k in ("/FontFile2", "/FontFile3"):
            if k in fd:
                descs.setdefault(k, []).append(fd)
    k, fds = next((k, v) for k, v in descs.items() if len(v) >= 2)
    fds[0][k].write(fds[1][k].read_raw_bytes(), filter=fds[1][k].get("/Filter"))
elif case.startswith("ua-") or case.startswith("a-"):
    ua_break(pdf, case, page)
else:
    sys.exit("unknown case " + case)
pdf.save(dst)
EOF

breaks() { "$py" "$tmp/break.py" "$@"; }

detects() { # detects CASE CHECK: pdfa_check.py fails on the CASE copy, with FAIL CHECK
    local case=$1 name=$2 broken=$tmp/broken-$1.pdf rc=0
    breaks "$case" "$pdf" "$broken" || return 1
    "$py" tests/pdfa_check.py "$broken" >"$tmp/out" 2>&1 || rc=$?
    ((rc == 1)) || { cat "$tmp/out"; echo "pdfa_check.py exit $rc, expected 1"; return 1; }
    grep -q "^FAIL $name:" "$tmp/out" || { cat "$tmp/out"; echo "no FAIL $name"; return 1; }
}

vtmp_empty() { [[ -z $(ls -A "$vtmp") ]] || { echo "left in TMPDIR:"; ls -A "$vtmp"; return 1; }; }

verify() { TMPDIR=$vtmp paiban verify "$@"; }

verify_identical() { # exit 0, the verdict line with the file's SHA-256, nothing left behind
    local sum
    sum=$(sha256sum "$pdf" | cut -d' ' -f1)
    exits 0 verify "$pdf" && says "verify: $pdf: identical (SHA-256 $sum)" && vtmp_empty
}

verify_uses_file_date() { # SOURCE_DATE_EPOCH of the verifying shell does not matter
    SOURCE_DATE_EPOCH=1 exits 0 verify "$pdf" && vtmp_empty
}

verify_page_changed() { # one byte of page 2's content changed: exit 1, names page 2
    breaks content-byte "$pdf" "$tmp/changed-page.pdf" 2 &&
        exits 1 verify "$tmp/changed-page.pdf" && says "verify: page 2 differs" && vtmp_empty
}

verify_font_changed() { # a font program replaced: exit 1, says the fonts differ
    breaks font-stream "$pdf" "$tmp/changed-font.pdf" &&
        exits 1 verify "$tmp/changed-font.pdf" && says "verify: fonts differ" && vtmp_empty
}

verify_no_source() { # a print PDF has no embedded source: exit 1 and says so
    paiban --layout layouts/booklet.ini -o "$tmp/booklet.pdf" "$corpus" &&
        exits 1 verify "$tmp/booklet.pdf" && says "no embedded source" && vtmp_empty
}

verify_missing_file() { exits 3 verify "$tmp/nonexistent.pdf" && vtmp_empty; }

pdfjs_text() { # the text pdf.js reads (tests/pdfjs_text.mjs), as in tests/e2e.sh
    node tests/pdfjs_text.mjs "$pdf" >"$tmp/pdfjs.txt" &&
        "$py" tests/e2e_text.py han "$corpus" "$tmp/pdfjs.txt" &&
        "$py" tests/e2e_text.py gaps-white "$corpus" "$tmp/pdfjs.txt" &&
        node tests/pdfjs_text.mjs --find 2030年 "$pdf"
}

check "build archive PDF" build
if [[ -s $pdf ]]; then
    check "pdfa_check.py: every check passes" pdfa_all_pass
    check "reproducible bytes" reproducible
    check "SOURCE_DATE_EPOCH unset: dated by the corpus file, reproducible" epoch_unset_is_corpus_date
    check "pdffonts: every font emb/sub/uni" fonts_emb_sub_uni
    check "qpdf --check" qpdf_check
    check "pdf.js: Han text = corpus, no space inserted next to Chinese, finds 2030年" pdfjs_text
    check "A4 pages" a4_pages
    check "a title letter-spaced for display: metadata title without the spacing" title_unspaced
    # the tests of the checker (pdfa_check.py on planted copies) do not run paiban: once, with
    # the release build
    if [[ $(basename "$1") != asan ]]; then
        check "test of the test: no OutputIntents" detects no-output-intent output-intent
        check "test of the test: no /Metadata" detects no-metadata metadata-stream
        check "test of the test: pdfaid:part 2" detects part-2 xmp-pdfaid
        check "test of the test: a ToUnicode dropped" detects no-tounicode tounicode
        check "test of the test: CID 0 drawn" detects cid-0 no-notdef
        check "test of the test: no /AF" detects no-af catalog-af
        check "test of the test: no /ID" detects no-id trailer-id
        check "test of the test: a /W width wrong" detects bad-width fonts-widths
        for c in a-markinfo a-lang a-pua; do
            check "test of the test (PDF/A level A): $c" detects "$c" "$c"
        done
        # every Matterhorn condition pdfa_check.py covers (its UA_COVERED), each planted alone
        for m in $("$py" -c 'import sys; sys.path.insert(0, "tests"); import pdfa_check; print(*pdfa_check.UA_COVERED)'); do
            case $m in 06-001 | 10-001) continue ;; esac # no /Metadata, no ToUnicode: below
            check "test of the test (PDF/UA-1, Matterhorn $m)" detects "ua-$m" "ua-$m"
        done
        check "test of the test (PDF/UA-1, Matterhorn 06-001): no /Metadata" detects no-metadata ua-06-001
        check "test of the test (PDF/UA-1, Matterhorn 10-001): a ToUnicode dropped" detects no-tounicode ua-10-001
    fi
    check "verify: identical file exits 0" verify_identical
    check "verify: takes the date from the file" verify_uses_file_date
    check "verify: changed page content exits 1, names the page" verify_page_changed
    check "verify: replaced font stream exits 1" verify_font_changed
    check "verify: no embedded source exits 1" verify_no_source
    check "verify: missing file exits 3" verify_missing_file
fi

summary archive
