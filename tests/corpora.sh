#!/usr/bin/env bash
# corpora.sh BDIR: documents nobody tuned paiban for, through every shipped layout. Each test
# corpus of tests/corpora/ states its number of headings below; for each corpus x layout:
# headings found = headings written (report and bookmarks), no heading ends a page, every URL
# and e-mail address comes out whole (never hyphenated), and the link annotations go to exactly
# the corpus's URLs; every letter-spaced or loose line the PDFs draw is in the report; every
# line of the trace stays inside its measure (a line that cannot: reported and warned); no
# paragraph's last line is one ideograph; the
# structure is sound (tests/structure_check.py) and PDF/UA-1's machine checks pass
# (tests/pdfa_check.py --ua); no extractor (pdftotext, MuPDF, pdf.js) reads a space next to
# Chinese text that the corpus does not have. Prints ok/FAIL per check and
# `corpora: N passed, M failed`.
set -euo pipefail

(($# == 1)) || { echo "usage: tests/corpora.sh BDIR" >&2; exit 2; }
case $1 in /*) pb=$1/paiban ;; *) pb=$PWD/$1/paiban ;; esac
cd "$(dirname "$0")/.."
py=/usr/bin/python3
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1700000000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
source tests/lib.sh

paiban() { timeout -k 10 300 "$pb" "$@"; }

# corpus -> the headings it has (counted by hand from the text)
declare -A HEADINGS=(
    [regulations-tc]=14 # 序言 (marked), 第一章..第三章, 第一條..第十條
    [programme-tc]=3    # three marked headings (開幕儀式, 導覽與講座, 交通與聯絡)
    [notice-sc]=4       # 1、..4、 / 1...4.
    [digital-library-sc]=3 # 第一章..第三章
    [volunteers-tc]=4   # 服務項目, 報名方式 (#) and 閱覽服務, 數位學習 (##); lists, **strong**
    [museum-tc]=15      # 3 galleries (#), 12 objects (##); a reviewer's labels
    [conference-tc]=10  # 2 days (#), 8 programme items (##); a reviewer's programme
    [circular-sc]=6     # 一、..六、 (its （一） items are long: body text); Simplified, its keys
    [faq-tc]=15         # 3 parts (#), 12 questions (##); a reviewer's FAQ: short answers, lists
    [minutes-sc]=4      # 一、..四、 (#); a reviewer's minutes: agenda, a {right keep} sign-off
    [tenancy-tc]=11     # 第一條..第十一條; a reviewer's Taiwan tenancy agreement (zh-Hant-TW, its keys)
    [manual-sc]=5       # 一、..五、; a reviewer's Simplified product safety manual, its keys
)

gaps() { # CORPUS PDF...: no space next to Chinese that the corpus lacks (pdftotext, MuPDF, pdf.js:
    local c=$1 f # PDF.pdfjs.txt, read by one node run for every PDF of the suite, below)
    shift
    for f in "$@"; do
        pdftotext -enc UTF-8 "$f" "$f.txt" && $py tests/e2e_text.py gaps "$c" "$f.txt" &&
            $py -c 'import sys, fitz; d = fitz.open(sys.argv[1]); open(sys.argv[2], "w").write("".join(p.get_text() for p in d))' "$f" "$f.mu.txt" &&
            $py tests/e2e_text.py gaps "$c" "$f.mu.txt" &&
            $py tests/e2e_text.py gaps-white "$c" "$f.pdfjs.txt" || { echo "in $f"; return 1; }
    done
}

structure() { # PDF...: structure_check.py and pdfa_check.py --ua pass on each
    local f
    for f in "$@"; do
        $py tests/structure_check.py "$f" >"$f.sc" || { cat "$f.sc"; return 1; }
        $py tests/pdfa_check.py --ua "$f" >"$f.ua" || { cat "$f.ua"; return 1; }
    done
}

made=() # NAME / LAYOUT, CORPUS, DIR of each product whose structure and text are checked
for name in regulations-tc programme-tc notice-sc digital-library-sc volunteers-tc museum-tc \
    conference-tc circular-sc faq-tc minutes-sc tenancy-tc manual-sc; do
    corpus=tests/corpora/$name.txt
    for layout in booklet leaflet parallel archive; do
        d=$tmp/$name/$layout
        mkdir -p "$d"
        out=$d/out.pdf
        [[ $layout == leaflet ]] && out=$d/out-%d.pdf
        lay=$(layout_for "$corpus" "$layout" "$d")
        check "$name / $layout: made (report, trace)" bash -c '
            "$1" --report=json --layout "$2" -o "$3" "$4" 2>"$5/stderr" &&
            "$1" --trace --layout "$2" -o "$5/trace" "$4" 2>/dev/null &&
            ! grep -q ": error: " "$5/stderr"' _ "$pb" "$lay" "$out" "$corpus" "$d"
        pdfs=("$d"/out*.pdf)
        report=$d/out.report.json
        check "$name / $layout: ${HEADINGS[$name]} headings found and bookmarked" \
            $py tests/corpora_check.py headings "${HEADINGS[$name]}" "$report" "${pdfs[@]}"
        check "$name / $layout: no heading at a page foot" \
            $py tests/corpora_check.py heading-foot "$d/trace"
        check "$name / $layout: URLs and addresses whole" \
            $py tests/corpora_check.py urls "$corpus" "${pdfs[@]}"
        check "$name / $layout: link annotations" \
            $py tests/corpora_check.py links "$corpus" "${pdfs[@]}"
        check "$name / $layout: list bullets in one face for both languages, one an item" \
            $py tests/corpora_check.py bullets "$d/trace" "$corpus" "$layout"
        check "$name / $layout: every letter-spaced or loose line in the report" \
            $py tests/corpora_check.py spacing "$report" "${pdfs[@]}"
        check "$name / $layout: every line inside its measure (the trace's), none overfull" \
            $py tests/corpora_check.py measure "$d/trace" "$report" "$d/stderr"
        check "$name / $layout: no paragraph's last line one ideograph" \
            $py tests/corpora_check.py lone "$d/trace"
        # the PDF's bytes are the same in every build: its structure and text checks (python,
        # no paiban) once, with the release build, after every PDF is made (pdf.js reads them
        # all in one node run: node and pdf.js start in 0.9 s, a PDF takes 0.3 s)
        [[ $(basename "$1") == asan ]] || made+=("$name / $layout" "$corpus" "$d")
    done
done
all_pdfs=()
for ((i = 0; i < ${#made[@]}; i += 3)); do all_pdfs+=("${made[i + 2]}"/out*.pdf); done
((${#all_pdfs[@]} == 0)) || node tests/pdfjs_text.mjs --each .pdfjs.txt "${all_pdfs[@]}" ||
    echo "pdf.js failed on one of the PDFs (the checks below that read its text fail)"
for ((i = 0; i < ${#made[@]}; i += 3)); do
    pdfs=("${made[i + 2]}"/out*.pdf)
    check "${made[i]}: structure and PDF/UA-1 checks" structure "${pdfs[@]}"
    check "${made[i]}: no space inserted next to Chinese (pdftotext, MuPDF, pdf.js)" \
        gaps "${made[i + 1]}" "${pdfs[@]}"
done

# the text report names each loose or letter-spaced line by the widest gap a reader sees on it,
# its kind, its page and the folio printed on it (the booklet's page 8 is folio 6: a
# proofreader marks up by folio), what it had to fill, the unbreakable text after it, its width
# and how much more than the line can hold it is, and says what to do; the JSON report gives
# the page and its folio. The museum's line 57 opens its gaps beside Latin to half an em and
# spaces its ideographs by 0.021 em, which no reader sees: a loose line, not a letter-spaced one
# (review 12 B2: "ideographs at a 1.021 em pitch")
spaced_report() {
    local d=$tmp/spaced
    mkdir -p "$d"
    paiban --report --layout layouts/booklet.ini -o "$d/p.pdf" tests/corpora/museum-tc.txt 2>/dev/null &&
        grep -F 'museum-tc.txt:57: loose line on page 8 (folio 6) of '"$d"'/p.pdf (gaps between Chinese and Latin up to 0.50 em to fill 1.64 em, before “（1555–1636）” of 6.47 em: 1.63 em more than the line can hold)' "$d/p.report.txt" &&
        grep -q 'U+200B ZERO WIDTH SPACE where a break may fall' "$d/p.report.txt" &&
        paiban --report=json --layout layouts/booklet.ini -o "$d/p.pdf" tests/corpora/museum-tc.txt 2>/dev/null &&
        "$py" -c 'import json, sys
i = [i for i in json.load(open(sys.argv[1]))["issues"]
     if i["line"] == 57 and i["kind"] == "loose line" and i["gaps_em"] == {"han_latin": 0.5}]
t = [i for i in json.load(open(sys.argv[1]))["issues"] if i["kind"] == "tie broken"]
if not t or any(not x["before"] or not x["next"] or "next_em" in x for x in t):
    sys.exit(f"tie broken: the text either side, no widths: {t}")
sys.exit(0 if [(x["page"], x["folio"]) for x in i] == [(8, 6)] else f"line 57: {i}")' "$d/p.report.json"
}
check "museum / booklet: the report names a loose line by its widest gap, its page and folio, the text after it" spaced_report

# a press release's dateline, 【2026年11月18日，江苏常州】, set in the parallel's Chinese column
# with its six gaps beside digits opened to half an em and its ideographs 0.007 em apart (review
# 12 B2: reported as "ideographs at a 1.007 em pitch (0.007 em gaps)"): a loose line by its gaps
# between Chinese and Latin; no line of it letter-spaced under 0.03 em, which no reader sees;
# the spacing check (above) agrees
dateline() {
    local d=$tmp/dateline
    mkdir -p "$d"
    printf '%s\n' '[fonts]' 'han = Noto Serif CJK SC' 'han-bold = Noto Serif CJK SC' '[text]' \
        'lang-zh = zh-Hans' >"$d/press.keys.ini"
    printf '%s\n' '澜岳储能发布第三代钠离子电池，能量密度提升至175 Wh/kg' \
        'Lanyue Energy Storage Unveils Third-Generation Sodium-Ion Battery with Energy Density of 175 Wh/kg' \
        '【2026年11月18日，江苏常州】澜岳储能科技有限公司（以下简称“澜岳储能”）今日在常州举行新品发布会，正式推出第三代钠离子电池电芯LY-Na3，其单体能量密度达到175 Wh/kg，较上一代产品提升约23.2%，循环寿命超过6,000次，可在−30℃至60℃的环境下稳定工作。' \
        'CHANGZHOU, China, 18 November 2026 -- Lanyue Energy Storage Technology Co., Ltd. ("Lanyue") today launched its third-generation sodium-ion cell, the LY-Na3, at an event in Changzhou. The cell reaches an energy density of 175 Wh/kg, about 23.2% more than its predecessor, lasts more than 6,000 cycles and works reliably from −30°C to 60°C.' \
        >"$d/press.txt"
    paiban --report --layout "$(layout_for "$d/press.txt" parallel "$d")" -o "$d/p.pdf" "$d/press.txt" 2>/dev/null &&
        grep -F 'press.txt:3: loose line on page 1 of '"$d"'/p.pdf (gaps between Chinese and Latin up to 0.50 em to fill 1.28 em, before “澜”' "$d/p.report.txt" &&
        ! grep -q 'letter-spaced line' "$d/p.report.txt" &&
        grep -qF '(a line is listed by the widest gap a reader sees on it, named first: ideographs 0.03 em or more apart' "$d/p.report.txt" &&
        paiban --report=json --layout "$(layout_for "$d/press.txt" parallel "$d")" -o "$d/p.pdf" "$d/press.txt" 2>/dev/null &&
        "$py" tests/corpora_check.py spacing "$d/p.report.json" "$d/p.pdf"
}
check "press release / parallel: a dateline with half-em gaps beside its digits is a loose line, not letter-spaced" dateline

# the text report names each tight line: its page and folio, its narrowest word space and that
# space's share of its width (under two thirds: the breaker's emergency shrink), its letters'
# scale, its marks' blanks given up, how far it was shrunk and its end; and says what to do
tight_report() {
    local d=$tmp/tight
    mkdir -p "$d"
    paiban --report --layout "$(layout_for tests/corpora/circular-sc.txt booklet "$d")" \
        -o "$d/c.pdf" tests/corpora/circular-sc.txt 2>/dev/null &&
        grep -F 'circular-sc.txt:10: tight line on page 4 (folio 2) of '"$d"'/c.pdf (word spaces down to 0.17 em, 64% of their width, Latin letters at 97% of their width, to take 1.84 em more than its natural width, ending “People’s”)' "$d/c.report.txt" &&
        grep -q 'SOFT HYPHEN inside a word or U+200B ZERO WIDTH SPACE where a break may fall, or rephrase near it' "$d/c.report.txt" &&
        paiban --report=json --layout layouts/booklet.ini -o "$d/p.pdf" tests/corpora/programme-tc.txt 2>/dev/null &&
        "$py" -c 'import json, sys
i = [(i["line"], i["page"], i["folio"], round(i["value"], 2), i["word_space_em"], i["letters"], i["marks_em"], i["ending"])
     for i in json.load(open(sys.argv[1]))["issues"] if i["kind"] == "tight line"]
sys.exit(0 if i == [(23, 5, 3, 2.0, 0.0, 0.981, 1.5, "致電(02)2345-6789。")] else f"tight: {i}")' "$d/p.report.json"
}
check "circular, programme / booklet: the report names a tight line, its page and folio, its spaces, letters and marks, its end" tight_report

# a capitalised word hyphenated (the last resort: the conference's line 4 has no other way
# within half an em a space) is named in the report with the text either side, no widths; the
# minutes' leaflets name their two ("Digital Pub-", "“Contem-")
capital_report() {
    local d=$tmp/capital
    mkdir -p "$d"
    paiban --report --layout layouts/booklet.ini -o "$d/c.pdf" tests/corpora/conference-tc.txt 2>/dev/null &&
        grep -F 'conference-tc.txt:4: capitalised word hyphenated on page 3 (folio 1) of '"$d"'/c.pdf (“International- | ization”, penalty 9999: ' "$d/c.report.txt" &&
        paiban --report=json --layout layouts/leaflet.ini -o "$d/m-%d.pdf" tests/corpora/minutes-sc.txt 2>/dev/null &&
        "$py" -c 'import json, sys
c = [(i["line"], i["before"], i["next"], "next_em" in i) for i in json.load(open(sys.argv[1]))["issues"]
     if i["kind"] == "capitalised word hyphenated"]
sys.exit(0 if c == [(8, "Pub", "lishing),", False), (32, "Contem", "porary", False)] else f"{c}")' "$d/m.report.json"
}
check "conference / booklet, minutes / leaflet: a capitalised word hyphenated is in the report" capital_report

# a letter-spaced line whose next piece fitted says why it was left: what the paragraph set with
# that piece taken does worse below (the museum's parallel: 於 would have moved the spacing to
# the line below, which cannot take “1983.2.1。”), in the text report and as JSON "instead"
spaced_why() {
    local d=$tmp/spaced-why
    mkdir -p "$d"
    paiban --report --layout layouts/parallel.ini -o "$d/p.pdf" tests/corpora/museum-tc.txt 2>/dev/null &&
        grep -F 'museum-tc.txt:35: letter-spaced line on page 2 of '"$d"'/p.pdf (ideographs at a 1.059 em pitch (0.059 em gaps) to fill 1.00 em, before “於” of 1.00 em, which fitted, but taking it would have letter-spaced the line below at a 1.059 em pitch, before “1983.2.1。”, which does not fit it)' "$d/p.report.txt" &&
        ! grep -q 'which fitted: left for a line below' "$d/p.report.txt" &&
        paiban --report=json --layout layouts/parallel.ini -o "$d/p.pdf" tests/corpora/museum-tc.txt 2>/dev/null &&
        "$py" -c 'import json, sys
i = [i.get("instead") for i in json.load(open(sys.argv[1]))["issues"]
     if i["line"] == 35 and i["kind"] == "letter-spaced line" and i["next"] == "於"]
want = {"kind": "letter-spaced", "lines_below": 1, "pitch_em": 1.059, "lines_spaced": 1,
        "next": "1983.2.1。"}
sys.exit(0 if i == [want] else f"line 35: {i}")' "$d/p.report.json"
}
check "museum / parallel: a letter-spaced line whose next piece fitted says what taking it costs below" spaced_why

# ... but each such line breaks its paragraph again: a paragraph explains at most 8 (compose.c
# WHY_MAX_LINES), the rest keep "left for a line below" (the conference's paragraph of URLs 30
# times over in one: 89 letter-spaced lines in the parallel)
spaced_why_capped() {
    local d=$tmp/spaced-why-capped t
    mkdir -p "$d"
    t=$(sed -n 35p tests/corpora/conference-tc.txt)
    { printf '標題\nTitle\n'; for _ in {1..30}; do printf '%s' "$t"; done; printf '\nA paragraph.\n'; } >"$d/c.txt"
    paiban --report --layout layouts/parallel.ini -o "$d/p.pdf" "$d/c.txt" 2>/dev/null &&
        [[ $(grep -c 'which fitted, but .*taking it would have' "$d/p.report.txt") == 8 ]] &&
        grep -q 'which fitted: left for a line below' "$d/p.report.txt"
}
check "a paragraph explains at most 8 of its letter-spaced lines" spaced_why_capped

# an answer that is one ideograph and its mark, 是。 and 否。 (the FAQ's lines 29 and 53), is a
# paragraph of one line, not a widow: set alone (the check above passes it) and not in the report
one_han_answer() {
    local d=$tmp/faq-tc/booklet
    grep -qx '  run .* "是。"' <(grep -A1 ' src=29 ' "$d/trace") &&
        grep -qx '  run .* "否。"' <(grep -A1 ' src=53 ' "$d/trace") &&
        "$py" -c 'import json, sys
i = [i for i in json.load(open(sys.argv[1]))["issues"] if i["line"] in (29, 53)]
sys.exit(0 if not i else f"{i}")' "$d/out.report.json"
}
check "faq / booklet: a one-ideograph answer (是。) is a paragraph of one line, not a widow, and not reported" one_han_answer

# an address broken in its host says what breaking elsewhere would have done: the paragraph set
# again without that break (the programme's parallel, its 19-em Chinese column: `https://museum
# .example` | `.org/collection` rather than a line letter-spaced at a 1.96 em pitch; an e-mail
# address's remedy names no // nor path), in the text and as JSON "instead"; the address is
# quoted whole, up to the break and after it (“info@museum | .example.org”, not “… | .”)
host_why() {
    local d=$tmp/host-why
    mkdir -p "$d"
    paiban --report --layout layouts/parallel.ini -o "$d/p.pdf" tests/corpora/programme-tc.txt 2>/dev/null &&
        grep -F 'programme-tc.txt:21: address broken in its host on page 2 of '"$d"'/p.pdf (“https://museum.example | .org/collection”, penalty 2500: the line ends with what reads as a whole address; breaking elsewhere would have letter-spaced that line at a 1.960 em pitch (a break after its // or in its path, or rephrasing, avoids it))' "$d/p.report.txt" &&
        grep -F 'programme-tc.txt:23: address broken in its host on page 2 of '"$d"'/p.pdf (“access-desk@museum. | example.org”, penalty 2500: the line ends with what reads as a whole address; breaking elsewhere would have letter-spaced that line at a 1.159 em pitch (rephrasing, or a line of its own, avoids it))' "$d/p.report.txt" &&
        grep -qF '(“info@museum | .example.org”, penalty 2500' "$d/p.report.txt" &&
        paiban --report=json --layout layouts/parallel.ini -o "$d/p.pdf" tests/corpora/programme-tc.txt 2>/dev/null &&
        "$py" -c 'import json, sys
i = [(i["line"], i.get("instead")) for i in json.load(open(sys.argv[1]))["issues"]
     if i["kind"] == "address broken in its host" and i["before"] == "https://museum.example"]
want = [(21, {"kind": "letter-spaced", "lines_below": 0, "pitch_em": 1.96, "lines_spaced": 1})]
sys.exit(0 if i == want else f"{i}")' "$d/p.report.json"
}
check "programme / parallel: an address broken in its host says what breaking elsewhere would do" host_why

# a line no break can bring inside its measure (a form's signature rule of 24 ems in the
# parallel's Chinese column of 19): the one line past its measure, named in the report as an
# overfull line at its page and warned about at its source line (the check above, given 1)
overfull_named() {
    local d=$tmp/form
    mkdir -p "$d"
    printf '%s\n' 簽名表 'Signature Form' 請在下列橫線上簽名： 'Please sign on the line below:' \
        簽名：———————————————————————— 'Signature: ______________________________' >"$d/form.txt"
    paiban --report=json --layout layouts/parallel.ini -o "$d/form.pdf" "$d/form.txt" 2>"$d/stderr" &&
        paiban --trace --layout layouts/parallel.ini -o "$d/trace" "$d/form.txt" 2>/dev/null &&
        $py tests/corpora_check.py measure "$d/trace" "$d/form.report.json" "$d/stderr" 1
}
check "a signature rule wider than the parallel's Chinese column: its one overfull line reported and warned" overfull_named
# the same rule as a title (booklet): too wide for the cover and for the title page, both lines
# reported (the cover's too) and warned about at the title's line
overfull_cover() {
    local d=$tmp/cover
    mkdir -p "$d"
    printf '%s\n' 簽名：———————————————————————— 'Signature Form' 請在下列橫線上簽名。 'Please sign below.' \
        >"$d/t.txt"
    paiban --report=json --layout layouts/booklet.ini -o "$d/t.pdf" "$d/t.txt" 2>"$d/stderr" &&
        paiban --trace --layout layouts/booklet.ini -o "$d/trace" "$d/t.txt" 2>/dev/null &&
        $py tests/corpora_check.py measure "$d/trace" "$d/t.report.json" "$d/stderr" 2
}
check "a title wider than the cover and the title page: both overfull lines reported and warned" overfull_cover

summary corpora
