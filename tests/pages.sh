#!/usr/bin/env bash
# pages.sh BDIR: the page breaker and the register over documents nobody tuned them for. The
# bottom margin swept from 15 to 25 mm in 0.5 mm steps (and the layout as shipped), for the
# initiative and every corpus of tests/corpora/, through the booklet and archive layouts: no
# heading or title left at a page foot, nor kept with the Chinese of the pair under it but not
# its English, no short pair split between its halves (unless keeping it whole would leave a
# tenth of the page empty), no widow, no orphan, a page left more than a fifth short reported,
# every body baseline on the leading's grid, a running head in both languages on every text
# page but the title's, naming the title or a section with text on that page
# (tests/pages_check.py on the traces); the parallel product's heads too; each corpus's
# leaflets: the text fills the page (each at its own size), one over its page run on (each page
# but its last full or reported short, no pair parted over a page with room for it), the
# kicker flush with the headline, the standfirst set apart, one size for the series, none
# shrunk for nothing, each overflow told at its section's heading, no space stretched under a
# heading or on a page whose text goes on, a leaflet's second page marked as continued, no
# "1 / 1". Prints ok/FAIL per check and `pages: N passed, M failed`.
set -euo pipefail

(($# == 1)) || { echo "usage: tests/pages.sh BDIR" >&2; exit 2; }
case $1 in /*) pb=$1/paiban ;; *) pb=$PWD/$1/paiban ;; esac
cd "$(dirname "$0")/.."
py=/usr/bin/python3
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1700000000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
source tests/lib.sh

declare -A LEADING=([booklet]=17 [archive]=18) # the layouts' [text] leading (pt)

# The sweep's step in tenths of a mm: 0.5 mm (21 margins); under ASan 2.5 mm (5 margins), as
# the traces are the same bytes and the sanitizer needs the code paths, not every margin.
SWEEP_STEP=5
[[ $(basename "$1") != asan ]] || SWEEP_STEP=25
sweep() { # sweep CORPUS LAYOUT: the traces of the margin sweep, and the report
    local corpus=$1 layout=$2 d=$tmp/$3
    mkdir -p "$d"
    local lay
    lay=$(layout_for "$corpus" "$layout" "$d")
    "$pb" --report=json --layout "$lay" -o "$d/r.pdf" "$corpus" 2>/dev/null || return 1
    "$pb" --trace --layout "$lay" "$corpus" >"$d/m0.trace" 2>/dev/null || return 1 # as shipped
    local products=()
    for tenths in $(seq 150 "$SWEEP_STEP" 250); do
        mm=$((tenths / 10)).$((tenths % 10))
        # the layout with its bottom margin replaced (a layout built on a base may not write
        # the key: it is added in a [page] section of its own)
        { sed '/^margin-bottom *=/d' "$lay" && printf '\n[page]\nmargin-bottom = %smm\n' "$mm"; } \
            >"$d/m$tenths.ini"
        products+=(--layout "$d/m$tenths.ini" -o "$d/m$tenths.trace")
        # a run makes up to 16 products (one a margin, each trace the bytes a run of its own
        # writes): the fonts are opened once, a third of the time of a run each
        if ((${#products[@]} == 4 * 16 || tenths + SWEEP_STEP > 250)); then
            "$pb" --trace "${products[@]}" "$corpus" 2>/dev/null || return 1
            products=()
        fi
    done
}

# layouts/leaflet.ini: A4, top and bottom margins 20 mm (the text block's edges in pt from the
# page's foot), max-scale 1.2
LEAFLET_TOP=785.20 LEAFLET_BOTTOM=56.69 LEAFLET_MAX_SCALE=1.2
leaflets() { # leaflets CORPUS DIR
    local lay
    lay=$(layout_for "$1" leaflet "$2")
    "$pb" --report=json --layout "$lay" -o "$2/l-%d.pdf" "$1" 2>/dev/null || return 1
    "$pb" --trace --layout "$lay" "$1" >"$2/l.trace" 2>/dev/null || return 1
    # each leaflet at its own size: its fill; then the one size of the series
    { sed "s|^base = booklet\$|base = $PWD/layouts/booklet.ini|" "$lay"
        printf '\n[leaflet]\none-size = no\n'; } >"$2/each.ini"
    "$pb" --report=json --layout "$2/each.ini" -o "$2/e-%d.pdf" "$1" 2>/dev/null || return 1
    "$pb" --trace --layout "$2/each.ini" "$1" >"$2/e.trace" 2>/dev/null || return 1
    $py tests/pages_check.py leaflet 0.85 $LEAFLET_TOP $LEAFLET_BOTTOM $LEAFLET_MAX_SCALE \
        "$2/e.report.json" "$2/e.trace" &&
        $py tests/pages_check.py leaflet-feet "$2/l.trace"
}

leaflet_runs() { # leaflet_runs CORPUS DIR (after leaflets): one over its page runs on
    $py tests/pages_check.py leaflet-runs $LEAFLET_TOP $LEAFLET_BOTTOM "$2/l.report.json" "$2/l.trace" &&
        $py tests/pages_check.py leaflet-runs $LEAFLET_TOP $LEAFLET_BOTTOM "$2/e.report.json" "$2/e.trace"
}

leaflet_fits() { # leaflet_fits CORPUS DIR (after leaflets): how much over, the size it fits at
    local least
    least=$($py -c 'import json, sys
f = [o["fits_at"] for o in json.load(open(sys.argv[1]))["outputs"] if o.get("fits_at", 0) > 0]
print(min(f) if f else "")' "$2/e.report.json")
    [[ -n $least ]] || { $py tests/pages_check.py leaflet-fits 1 "$2/e.report.json"; return; }
    # min-scale at that size (the report rounds it down)
    { cat "$2/each.ini"; printf '\n[leaflet]\nmin-scale = %s\n' "$least"; } >"$2/lower.ini"
    "$pb" --report=json --layout "$2/lower.ini" -o "$2/lo-%d.pdf" "$1" 2>/dev/null || return 1
    $py tests/pages_check.py leaflet-fits 1 "$2/e.report.json" "$2/lo.report.json"
}

leaflet_sizes() { # leaflet_sizes CORPUS DIR (after leaflets): one size, not shrunk for nothing
    { cat "$2/each.ini"; printf '\n[leaflet]\nmin-scale = 1\n'; } >"$2/full.ini"
    "$pb" --report=json --layout "$2/full.ini" -o "$2/f-%d.pdf" "$1" 2>/dev/null || return 1
    # leaflets of two pages: the first full as broken, the last filled
    { cat "$2/each.ini"; printf '\n[leaflet]\npages = 2\n'; } >"$2/two.ini"
    "$pb" --report=json --layout "$2/two.ini" -o "$2/t-%d.pdf" "$1" 2>/dev/null || return 1
    "$pb" --trace --layout "$2/two.ini" "$1" >"$2/t.trace" 2>/dev/null || return 1
    $py tests/pages_check.py leaflet-sizes 1 "$2/l.report.json" "$2/e.report.json" \
        "$2/f.report.json" &&
        $py tests/pages_check.py leaflet-gaps "$2/l.report.json" "$2/l.trace" &&
        $py tests/pages_check.py leaflet-gaps "$2/e.report.json" "$2/e.trace" &&
        $py tests/pages_check.py leaflet-gaps "$2/t.report.json" "$2/t.trace"
}

parallel_heads() { # parallel_heads CORPUS DIR
    local lay
    lay=$(layout_for "$1" parallel "$2")
    "$pb" --report=json --layout "$lay" -o "$2/r.pdf" "$1" 2>/dev/null || return 1
    "$pb" --trace --layout "$lay" "$1" >"$2/r.trace" 2>/dev/null || return 1
    $py tests/pages_check.py heads "$2/r.report.json" "$2/r.trace" &&
        $py tests/pages_check.py head-sections "$2/r.report.json" "$1" "$2/r.trace"
}

# A title with a subtitle in both languages, too long for the booklet's head: the Chinese drops
# its subtitle, and so does the English (tests/golden/head-subtitle.txt, also a golden trace).
head_halves() { # head_halves CORPUS LAYOUT DIR
    mkdir -p "$3"
    "$pb" --report=json --layout "layouts/$2.ini" -o "$3/h.pdf" "$1" 2>/dev/null &&
        $py tests/pages_check.py head-halves "$3/h.report.json" "$1" &&
        grep -q '"rule": "both to the title, without the subtitle"' "$3/h.report.json"
}
check "head-subtitle / booklet: the head drops the subtitle in both languages" \
    head_halves tests/golden/head-subtitle.txt booklet "$tmp/head-subtitle"

# A heading whose Chinese is cut at its colon for the head: the English to its colon too
# (review 9: "第五展區 · Gallery 5: After Martial Law and the Digital Age (1987– )").
head_colon() { # head_colon DIR
    mkdir -p "$1"
    { printf '年表\nTimeline\n# 第五展區：解嚴之後與數位時代的出版與閱讀生活（1987—）\n'
      printf '# Gallery 5: Publishing and Reading after Martial Law and in the Digital Age (1987– )\n'
      for _ in 1 2 3 4 5 6 7 8 9 10 11 12; do
          printf '一九八七年解嚴以後，報禁與出版管制相繼解除，書店與出版社大量出現，閱讀的樣貌也隨之改變。\n'
          printf 'After martial law ended in 1987, press and publishing controls were lifted one after another, and bookshops and publishers multiplied.\n'
      done; } >"$1/c.txt"
    "$pb" --report=json --layout layouts/booklet.ini -o "$1/h.pdf" "$1/c.txt" 2>/dev/null &&
        $py -c 'import json, sys
heads = json.load(open(sys.argv[1], encoding="utf-8"))["running_heads"]
sys.exit(not any(h["text"] == "第五展區 \u00b7 Gallery 5" and
                 h["rule"] == "both to the part before the colon" for h in heads))' "$1/h.report.json"
}
check "head at a colon / booklet: the English head cut at its colon too" head_colon "$tmp/head-colon"

for corpus in corpus/ai-plus-initiative.txt tests/corpora/*.txt; do
    name=$(basename "$corpus" .txt)
    for layout in booklet archive; do
        id=$name-$layout
        check "$name / $layout: traces at $((100 / SWEEP_STEP + 1)) bottom margins (15-25 mm)" sweep "$corpus" "$layout" "$id"
        check "$name / $layout: no heading at a foot, no widow, no orphan, a heading with its pair" \
            $py tests/pages_check.py flow "$tmp/$id/r.report.json" "$tmp/$id"/m*.trace
        check "$name / $layout: a closing block ({keep}, {right}, {left}, {center} pairs at the end) not alone on the last page" \
            $py tests/pages_check.py closing "$corpus" "$tmp/$id"/m*.trace
        check "$name / $layout: a page more than a fifth short is in the report, at what begins the next" \
            $py tests/pages_check.py short-pages 0.2 "$tmp/$id/r.report.json" "$tmp/$id/m0.trace"
        check "$name / $layout: every body baseline on the grid (${LEADING[$layout]} pt)" \
            $py tests/pages_check.py register "$tmp/$id/r.report.json" "${LEADING[$layout]}" \
            "$tmp/$id"/m*.trace
        check "$name / $layout: a running head in both languages on every text page, no ellipsis" \
            $py tests/pages_check.py heads "$tmp/$id/r.report.json" "$tmp/$id"/m*.trace
        check "$name / $layout: each running head names the title or a section on its page" \
            $py tests/pages_check.py head-sections "$tmp/$id/r.report.json" "$corpus" \
            "$tmp/$id"/m*.trace
        check "$name / $layout: a shortened head keeps both subtitles or neither" \
            $py tests/pages_check.py head-halves "$tmp/$id/r.report.json" "$corpus"
    done
    d=$tmp/$name-parallel
    mkdir -p "$d"
    check "$name / parallel: a head over each column on every text page, no ellipsis, its section's" \
        parallel_heads "$corpus" "$d"
    if grep -q '^#\|^第\|^一、\|^1、' "$corpus"; then # a corpus with sections makes leaflets
        check "$name / leaflets: text fills the page (85%, each at its own size), kicker flush with headline, standfirst apart, a second page says it continues" \
            leaflets "$corpus" "$d"
        check "$name / leaflets: one over its page runs on, each page but its last full or reported short, no pair parted at a page with room" \
            leaflet_runs "$corpus" "$d"
        check "$name / leaflets: one over its page says by how much, and the size it would fit at (and does)" \
            leaflet_fits "$corpus" "$d"
        check "$name / leaflets: one size for the series, not shrunk for nothing when over, overflow at its heading, no space stretched under a heading or on a page whose text goes on" \
            leaflet_sizes "$corpus" "$d"
    fi
done

# A {keep} pair in a later section that does not fit the page the pairs before it begin: its room
# is left on that page, not spread over the pages before (tests/golden/keep-later.txt: page 1
# holds the seven pairs it holds without the second section), and the report names the {keep}
# pair as the cause of that short page, as it does each short page's cause
keep_later() { # keep_later LAYOUT
    local d=$tmp/keep-later-$1 corpus=tests/golden/keep-later.txt
    mkdir -p "$d"
    head -n 24 "$corpus" >"$d/part.txt" # the title, the first section
    "$pb" --report=json --layout "layouts/$1.ini" -o "$d/r.pdf" "$corpus" 2>/dev/null &&
        "$pb" --trace --layout "layouts/$1.ini" "$corpus" >"$d/full.trace" 2>/dev/null &&
        "$pb" --trace --layout "layouts/$1.ini" "$d/part.txt" >"$d/part.trace" 2>/dev/null ||
        return 1
    $py tests/pages_check.py same-start "$d/full.trace" "$d/part.trace" &&
        $py tests/pages_check.py short-pages 0.2 "$d/r.report.json" "$d/full.trace"
}
for layout in parallel booklet archive; do
    check "keep-later / $layout: a later {keep} pair leaves its room on the page before it, not the pages before that; the report names it" \
        keep_later $layout
done
told_keep() { # the parallel's one short page: page 2, ended by the {keep} pair at line 33
    $py -c 'import json, sys
short = [(i["page"], i["cause"], i["cause_line"]) for i in json.load(open(sys.argv[1]))["issues"]
         if i["kind"] == "short page"]
print(short)
sys.exit(short != [(2, "{keep}", 33)])' "$tmp/keep-later-parallel/r.report.json"
}
check "keep-later / parallel: one short page, page 2, told as the {keep} pair's at line 33" told_keep

# A letter inside a section (an annual report's letter to shareholders): its salutation
# ("各位股東：" / "Dear Shareholders,", {noindent}) keeps the first lines of the text under it,
# its {right} signature the last lines of the text it signs, though a heading follows; the
# booklet at 16 foot margins (15-90 mm, one run) puts each at a page's foot or head in some
letter_corpus() { # letter_corpus FILE: title, heading, 3 pairs, salutation, 3 pairs, signature,
    # heading, 3 pairs
    $py - "$1" <<'PY'
import sys
zh = "本公司持續推動能源轉型，營收與獲利均創新高，並擴大研發投資以強化長期競爭力。"
en = ("The Company continued to drive the energy transition, with record revenue and profit, "
      "and expanded its research to strengthen its long-term position.")
body = lambda n: [p for k in range(3) for p in (zh * n(k), " ".join([en] * n(k)))]
lines = (["年度報告<br>摘錄", "Annual Report<br>Excerpt", "一、致股東報告書", "I. Letter to Shareholders"]
         + body(lambda k: k + 1) + ["各位股東：{noindent}", "Dear Shareholders, {noindent}"]
         + body(lambda k: 2) + ["董事長　林志明 {right}", "Lin Chih-ming, Chairman {right}",
                                "二、財務摘要", "II. Financial Highlights"] + body(lambda k: 2))
open(sys.argv[1], "w", encoding="utf-8").write("\n".join(lines) + "\n")
PY
}
letter() {
    local d=$tmp/letter products=()
    mkdir -p "$d"
    letter_corpus "$d/letter.txt"
    for mm in $(seq 15 5 90); do
        printf 'base = %s\n[page]\nmargin-bottom = %smm\n' "$PWD/layouts/booklet.ini" "$mm" >"$d/m$mm.ini"
        products+=(--layout "$d/m$mm.ini" -o "$d/m$mm.trace")
    done
    "$pb" --trace "${products[@]}" "$d/letter.txt" 2>/dev/null &&
        $py tests/pages_check.py letter "$d/letter.txt" "$d"/m*.trace
}
check "letter / booklet: a salutation never ends a page, a {right} signature inside the text never begins one" letter

# A contract's last article (a heading and a short pair), then its parties block ({left keep},
# 5 lines a side) and a {right} date: at 10 foot margins (15-60 mm, one run) the block does not
# fit under the article on some pages; kept with the article's last lines, it dragged the
# article over the turn and left the page before up to 64% empty (review 12 C2). A signature
# block may open a page alone: where the page before it is more than a fifth empty, nothing of
# the article went over with it; a short page left is reported at the {keep} block.
signature() {
    local d=$tmp/signature products=()
    mkdir -p "$d"
    $py - "$d/c.txt" <<'PY'
import sys
zh = "承租人應依約定方法使用租賃房屋，並應以善良管理人之注意保管房屋，不得擅自轉租或改變用途。"
en = ("The Tenant shall use the Premises as agreed, keep them with the care of a prudent "
      "manager, and shall not sublet them or change their use without consent.")
lines = ["房屋租賃契約書", "Residential Tenancy Agreement"]
for a in range(1, 7):
    lines += [f"第{a}條　約定事項", f"Article {a} Terms", zh * (1 + a % 3), " ".join([en] * (1 + a % 3))]
lines += ["第7條　其他約定", "Article 7 Other Terms", "本契約一式二份，雙方各執一份為憑。",
          "This Agreement is made in duplicate, one copy for each party, and takes effect on "
          "signature by both parties.",
          "立契約書人<br>甲方（出租人）：王美玲　　身分證字號：A223456789<br>電話：(02) 2736-5148"
          "<br>乙方（承租人）：David R. Thompson　　居留證號碼：AC01234567<br>電話：0912-345-678 {left keep}",
          "Parties<br>Landlord: Wang Mei-ling    ID No.: A223456789<br>Tel: (02) 2736-5148"
          "<br>Tenant: David R. Thompson    ARC No.: AC01234567<br>Tel: 0912-345-678 {left keep}",
          "中華民國115年12月15日 {right}", "15 December 2026 {right}"]
open(sys.argv[1], "w", encoding="utf-8").write("\n".join(lines) + "\n")
PY
    for mm in $(seq 15 5 60); do
        printf 'base = %s\n[page]\nmargin-bottom = %smm\n' "$PWD/layouts/booklet.ini" "$mm" >"$d/m$mm.ini"
        products+=(--layout "$d/m$mm.ini" -o "$d/m$mm.trace")
    done
    "$pb" --trace "${products[@]}" "$d/c.txt" 2>/dev/null &&
        "$pb" --report=json --layout "$d/m40.ini" -o "$d/r.pdf" "$d/c.txt" 2>/dev/null &&
        $py tests/pages_check.py signature 31 0.2 "$d"/m*.trace &&
        $py tests/pages_check.py short-pages 0.2 "$d/r.report.json" "$d/m40.trace" &&
        $py tests/pages_check.py flow "$d/r.report.json" "$d"/m*.trace
}
check "signature / booklet: a contract's parties block opens a page rather than drag the last article" signature

# A school newsletter (a notice, a {right} sign-off), then its reply slip: a last section of a
# heading ("# 回條"), "致：…" ({noindent}), a tick-box pair and two {left} pairs of fill-in
# fields -- review 12 C1's own lines. At 10 foot margins (15-60 mm), booklet and parallel, the
# slip is on one page (it was parted after its Chinese text, and in the parallel after its
# address), and a page it leaves short is reported with the closing section as its cause; so
# is a last section without fields that takes a third of a page or less ("# 查詢").
slip_corpus() { # slip_corpus FILE [FILL]
    $py - "$@" <<'PY'
import sys
zh = "本校將於12月19日（星期五）舉行聖誕聯歡會，請家長提醒子女準時回校，並穿着整齊校服出席。"
en = ("The school's Christmas party will be held on Friday 19 December; please remind your "
      "child to arrive on time in full school uniform.")
lines = ["聖保祿天主教小學<br>家長通訊（第五期）", "St. Paul's Catholic Primary School<br>Parents' Newsletter (Issue 5)"]
for s in range(1, 4):
    lines += [f"# 第{s}項", f"# Item {s}"] + [zh * 2, " ".join([en] * 2)] * s
lines += ["校長<br>李淑芬修女　謹啟<br>二〇二六年十二月一日 {right}",
          "Sister Lee Shuk-fun<br>Principal<br>1 December 2026 {right}",
          "# 回條", "# Reply Slip",
          "致：聖保祿天主教小學校長 {noindent}",
          "To: The Principal, St. Paul's Catholic Primary School {noindent}",
          "本人已知悉第五期家長通訊內容。本人　□將會　□不會　出席1月9日的家長講座，出席人數：＿＿＿＿人。",
          "I have read Parents' Newsletter Issue 5. I □ will □ will not attend the talk for parents "
          "on 9 January. Number attending: ____.",
          "學生姓名：＿＿＿＿＿＿＿＿　　班別：＿＿＿＿　　學號：＿＿＿ {left}",
          "Pupil's name: ______________    Class: ______    Class No.: _____ {left}",
          "家長簽署：＿＿＿＿＿＿＿＿　　日期：＿＿＿＿＿＿ {left}",
          "Parent's signature: ______________    Date: __________ {left}"]
if len(sys.argv) > 2:  # no fields: a last section of a third of a page or less, after FILL pairs
    lines[-10:] = ["本學期各班將分批參觀科學館。", "Classes will visit the Science Museum in turn this term."] * int(sys.argv[2])
    lines += ["# 查詢", "# Enquiries",
              "如有查詢，請致電學校校務處（電話：2890 1234）。", "For enquiries, please call the school office on 2890 1234.",
              "辦公時間：星期一至五上午八時至下午五時。", "Office hours: Monday to Friday, 8 a.m. to 5 p.m."]
open(sys.argv[1], "w", encoding="utf-8").write("\n".join(lines) + "\n")
PY
}
slip() {
    local d=$tmp/slip products first last
    mkdir -p "$d"
    slip_corpus "$d/n.txt"
    first=$(grep -n '^# 回條' "$d/n.txt" | cut -d: -f1)
    last=$(wc -l <"$d/n.txt")
    for layout in booklet parallel; do # one run a layout: at most 16 products in one
        products=()
        for mm in $(seq 15 5 60); do
            printf 'base = %s\n[page]\nmargin-bottom = %smm\n' "$PWD/layouts/$layout.ini" "$mm" \
                >"$d/$layout$mm.ini"
            products+=(--layout "$d/$layout$mm.ini" -o "$d/$layout$mm.trace")
        done
        "$pb" --trace "${products[@]}" "$d/n.txt" 2>/dev/null || return 1
    done
    "$pb" --report=json --layout "$d/booklet40.ini" -o "$d/r.pdf" "$d/n.txt" 2>/dev/null &&
        $py tests/pages_check.py together "$first" "$last" "$d"/*.trace &&
        $py tests/pages_check.py short-pages 0.2 "$d/r.report.json" "$d/booklet40.trace" &&
        $py -c 'import json, sys
r = json.load(open(sys.argv[1]))
causes = [i.get("cause") for i in r["issues"] if i["kind"] == "short page"]
print("short pages, causes:", causes)
sys.exit("closing section" not in causes)' "$d/r.report.json" || return 1
    # without fields, a last section of a third of a page or less: after 1, 3, 5 and 11 pairs of
    # one line, at three foot margins, it was parted in four of the booklets
    products=()
    for mm in 15 20 25; do
        printf 'base = %s\n[page]\nmargin-bottom = %smm\n' "$PWD/layouts/booklet.ini" "$mm" >"$d/q$mm.ini"
    done
    for n in 1 3 5 11; do
        slip_corpus "$d/q$n.txt" "$n"
        "$pb" --trace --layout "$d/q15.ini" -o "$d/q$n-15.trace" --layout "$d/q20.ini" \
            -o "$d/q$n-20.trace" --layout "$d/q25.ini" -o "$d/q$n-25.trace" "$d/q$n.txt" 2>/dev/null &&
            $py tests/pages_check.py together "$(grep -n '^# 查詢' "$d/q$n.txt" | cut -d: -f1)" \
                "$(wc -l <"$d/q$n.txt")" "$d/q$n"-*.trace || return 1
    done
}
check "slip / booklet, parallel: a closing reply slip on one page, a short page it leaves reported" slip

# A journal's title page: title, authors and affiliations ({center}), then `# 摘要` over a
# 7-line Chinese abstract and its 11-line English. The heading, the Chinese and 2 English lines
# do not fit under the affiliations, the heading and the Chinese do: the abstract starts on the
# title page, its English overleaf (review 8: the title page was left 42% empty), and the flow
# check takes it
abstract() {
    local d=$tmp/abstract
    mkdir -p "$d"
    $py - "$d/a.txt" <<'PY'
import sys
zh = "新聞標題為求精簡，常省略虛詞與標點，因而產生大量斷詞歧義，本研究蒐集標題並以人工標注。"
en = ("To be concise, news headlines often leave out function words and punctuation, which "
      "gives rise to a great deal of segmentation ambiguity in them.")
lines = ["臺灣華語新聞標題的斷詞歧義：<br>一項語料庫研究",
         "Segmentation Ambiguity in Taiwan Mandarin News Headlines:<br>A Corpus Study",
         "陳怡君¹　林柏翰²{center}", "Chen Yi-chun¹ and Lin Po-han² {center}",
         "¹國立臺灣師範大學華語文教學系　²中央研究院資訊科學研究所{center}",
         "¹Department of Chinese as a Second Language, National Taiwan Normal University; "
         "²Institute of Information Science, Academia Sinica {center}",
         "# 摘要", "# Abstract", zh * 5, " ".join([en] * 6),
         "# 參考文獻", "# References", zh * 2, " ".join([en] * 2)]
open(sys.argv[1], "w", encoding="utf-8").write("\n".join(lines) + "\n")
PY
    "$pb" --report=json --layout layouts/booklet.ini -o "$d/a.pdf" "$d/a.txt" 2>/dev/null &&
        "$pb" --trace --layout layouts/booklet.ini "$d/a.txt" >"$d/a.trace" 2>/dev/null || return 1
    $py -c 'import sys
sys.path.insert(0, "tests")
from pages_check import pages
ps = [p for p in pages(sys.argv[1]) if p[0] > 0]
first = [l[1] for l in ps[0][1]]
zh = sum(1 for _, ls in ps for l in ls if l[1] == 9)
print(f"title page: source lines {sorted(set(first) - {None})}; Chinese abstract {first.count(9)} of {zh} lines")
sys.exit(not (7 in first and first.count(9) == zh))' "$d/a.trace" &&
        $py tests/pages_check.py flow "$d/a.report.json" "$d/a.trace" &&
        $py tests/pages_check.py short-pages 0.2 "$d/a.report.json" "$d/a.trace"
}
check "abstract / booklet: the abstract's heading and Chinese on the title page, its English overleaf" abstract

# A saddle-stitched booklet whose last page would hold a note alone and cost a sheet (four
# pages, three blank): 33 board members (list items of 1 Chinese and 2 English lines, kept
# whole at a page's foot by the short-pair rule, which yields) and a note: the text is taken
# back onto the pages before and the booklet has 8 pages, not 12, without a warning; with 34
# members it cannot be: a warning and a report line say the last page holds 5 lines and adds
# a sheet (review 8: 8 -> 12 pages without a word)
sheet() {
    local d=$tmp/sheet
    mkdir -p "$d"
    for n in 33 34; do
        $py - "$d/s$n.txt" "$n" <<'PY'
import sys
lines = ["年度報告", "Annual Report", "# 董事會成員", "# Board of Directors"]
lines += ["- 張淑芬，獨立董事、審計委員會召集人",
          "- Chang Shu-fen, Independent Director; Convener of the Audit Committee"] * int(sys.argv[2])
lines += ["¹ 每股盈餘係以加權平均流通在外股數計算。",
          "¹ EPS is calculated on a weighted average of shares outstanding."]
open(sys.argv[1], "w", encoding="utf-8").write("\n".join(lines) + "\n")
PY
        "$pb" --report=json --layout layouts/booklet.ini -o "$d/s$n.pdf" "$d/s$n.txt" 2>"$d/s$n.err" ||
            return 1
    done
    $py -c 'import json, sys
a, b = (json.load(open(f))["outputs"][0] for f in sys.argv[1:3])
print(f"33 members: {a}; 34 members: {b}")
sys.exit(not (a["pages"] == 8 and "last_page_lines" not in a and b["pages"] == 12
              and b["last_page_lines"] == 5))' "$d/s33.report.json" "$d/s34.report.json" &&
        ! grep 'adds a sheet' "$d/s33.err" &&
        grep -F 'warning: the last page (page 8) holds 5 line(s) and adds a sheet: 4 blank pages' "$d/s34.err"
}
check "sheet / booklet: a last page of a few lines that costs a sheet is taken back, or warned of and reported" sheet

# A booklet whose last section (a heading and a pair, 7 lines) does not fit under the text of
# the page before, which it leaves 29% short, and goes on to page 8, a multiple of four: 4 blank
# pages for a page that 2 lines less would have saved. No rule that yields is there to give way:
# the warning and the report connect the short page, the sheet and the lines (review 9: "short
# page 32 %" and "4 blank pages added" said apart, nothing on stderr)
sheet_cut() {
    local d=$tmp/sheet-cut
    mkdir -p "$d"
    $py - "$d/t.txt" <<'PY'
import sys
zh = "西元{y}年：工匠以雕版印製經書與曆書，坊間書肆漸多，刻工與紙工分工日細，印本流通四方。"
en = ("{y}: craftsmen print classics and almanacs from carved blocks; bookshops multiply, "
      "carvers and papermakers specialise, and printed books travel far.")
lines = ["紙上春秋", "Spring and Autumn on Paper"]
for s in range(1, 6):
    lines += [f"# 第{s}展區", f"# Gallery {s}"]
    for p in range(3):
        y = 1000 + 7 * (3 * s + p)
        lines += [zh.format(y=y), en.format(y=y)]
lines += ["# 參觀資訊", "# Visitor Information",
          "開放時間：週二至週日9:00—17:00（週一休館）；票價：全票NT$150、優待票NT$80，65歲以上及身心障礙者免費。{noindent}",
          "Opening hours: Tuesday to Sunday, 9:00–17:00 (closed on Mondays). Admission: NT$150, "
          "concessions NT$80; free for visitors over 65 and visitors with disabilities. {noindent}"]
open(sys.argv[1], "w", encoding="utf-8").write("\n".join(lines) + "\n")
PY
    "$pb" --report=json --layout layouts/booklet.ini -o "$d/t.pdf" "$d/t.txt" 2>"$d/t.err" &&
        "$pb" --report --layout layouts/booklet.ini -o "$d/t.pdf" "$d/t.txt" 2>/dev/null || return 1
    cat "$d/t.err"
    $py -c 'import json, sys
o = json.load(open(sys.argv[1]))["outputs"][0]
print(o)
sys.exit(not (o["pages"] == 12 and o["last_page_lines"] == 7 and o["sheet_cut_lines"] == 2))' \
        "$d/t.report.json" &&
        grep -F 'warning: the last page (page 8) holds 7 line(s) and adds a sheet: 4 blank pages; page 7 is left 29% short before it (a short page in the report), and 2 line(s) less on pages 7-8, or page 7 2 line(s) longer, make 8 pages' "$d/t.err" &&
        grep -F '2 line(s) less on the last two pages (or the last page but one as many lines longer) would save that sheet' "$d/t.report.txt"
}
check "sheet-cut / booklet: a last page that a few lines less would save warned of with the short page before it" sheet_cut

# The FAQ's leaflets with a deeper foot margin: a question (##) kept with its answer leaves a
# page that runs on more than a fifth short, which the report must name as it does a booklet's
leaflet_short() { # leaflet_short MM
    local d=$tmp/faq-short-$1
    mkdir -p "$d"
    { sed "s|^base = booklet\$|base = $PWD/layouts/booklet.ini|; /^margin-bottom *=/d" layouts/leaflet.ini
        printf '\n[page]\nmargin-bottom = %smm\n[leaflet]\none-size = no\n' "$1"; } >"$d/l.ini"
    "$pb" --report=json --layout "$d/l.ini" -o "$d/l-%d.pdf" tests/corpora/faq-tc.txt 2>/dev/null &&
        "$pb" --trace --layout "$d/l.ini" tests/corpora/faq-tc.txt >"$d/l.trace" 2>/dev/null || return 1
    $py tests/pages_check.py leaflet-runs $LEAFLET_TOP "$($py -c "print($1 / 25.4 * 72)")" \
        "$d/l.report.json" "$d/l.trace"
}
for mm in 36 40; do
    check "faq-tc / leaflets, foot margin $mm mm: a page short by a heading's keep is in the report" \
        leaflet_short $mm
done

# A leaflet at its least size (x0.868, min-scale 0.85) over its page by less than its spaces
# between blocks give when each shrinks by a third: it fits its page, its last line inside the
# text block, and the report says so (review 9: a leaflet ran to a second page for half a line,
# the last pair alone there); one pair more is too long even so and runs on, as it did
leaflet_tight() {
    local d=$tmp/leaflet-tight
    mkdir -p "$d"
    for n in 7 8; do
        $py - "$d/l$n.txt" "$n" <<'PY'
import sys
zh = "西元{y}年：工匠以雕版印製經書與曆書，坊間書肆漸多，印本流通四方。"
en = ("{y}: craftsmen print classics and almanacs from carved blocks; bookshops multiply and "
      "printed books travel far.")
lines = ["紙上春秋", "Spring and Autumn on Paper", "本展以年表方式介紹文字載體的演變。",
         "Arranged as a timeline, the exhibition traces the carriers of writing.",
         "# 第一展區：書寫的源頭", "# Gallery 1: The Origins of Writing"]
for p in range(int(sys.argv[2])):
    lines += [zh.format(y=1007 + 7 * p), en.format(y=1007 + 7 * p)]
lines += ["約1040年：畢昇發明膠泥活字。", "c. 1040: Bi Sheng invents movable type."]
open(sys.argv[1], "w", encoding="utf-8").write("\n".join(lines) + "\n")
PY
        "$pb" --report=json --layout layouts/leaflet.ini -o "$d/l$n-%d.pdf" "$d/l$n.txt" \
            2>"$d/l$n.err" &&
            "$pb" --trace --layout layouts/leaflet.ini "$d/l$n.txt" >"$d/l$n.trace" 2>/dev/null ||
            return 1
    done
    $py -c 'import json, re, sys
a, b = (json.load(open(f))["outputs"][0] for f in sys.argv[1:3])
print(f"7 pairs: {a}; 8 pairs: {b}")
low = min(float(y) for y in re.findall(r"^  line y=([0-9.]+)", open(sys.argv[3]).read(), re.M))
foot = 20 / 25.4 * 72 # leaflet.ini margin-bottom
print(f"lowest baseline {low:.2f} pt, the text block ends at {foot:.2f} pt")
sys.exit(not (a["pages"] == 1 and a.get("tightened") and abs(a["scale"] - 0.868) < 1e-3
              and low >= foot and b["pages"] == 2 and not b.get("tightened")))' \
        "$d/l7.report.json" "$d/l8.report.json" "$d/l7.trace" &&
        ! grep 'does not fit' "$d/l7.err" && grep 'does not fit' "$d/l8.err" >/dev/null
}
check "leaflet-tight / leaflet: at its least size its spaces between blocks give a third rather than a second page" leaflet_tight

# An abstract's title page: its authors (marked with their affiliations' notes) and the
# affiliations, set apart under the title. Every leaflet sets them under its standfirst as the
# booklet's title page does, the affiliations are no standfirst, and nothing of the preamble is
# in no leaflet (review 8: the authors in no leaflet, the affiliations the standfirst)
byline() {
    local d=$tmp/byline
    mkdir -p "$d"
    cat >"$d/a.txt" <<'TXT'
臺灣華語新聞標題的斷詞歧義
Segmentation Ambiguity in Taiwan Mandarin News Headlines
陳怡君¹　林柏翰²{center}
Chen Yi-chun¹ and Lin Po-han² {center}
¹國立臺灣師範大學華語文教學系　²中央研究院資訊科學研究所{center}
¹Department of Chinese as a Second Language, National Taiwan Normal University; ²Institute of Information Science, Academia Sinica {center}
# 摘要
# Abstract
新聞標題為求精簡，常省略虛詞與標點，因而產生大量斷詞歧義。
To be concise, news headlines often leave out function words and punctuation.
# 研究方法
# Method
本研究自四家主要報社的網路版蒐集標題共128,460則。
We collected 128,460 headlines from the websites of four major newspapers.
TXT
    "$pb" --report=json --layout layouts/leaflet.ini -o "$d/a-%d.pdf" "$d/a.txt" 2>"$d/a.err" &&
        "$pb" --trace --layout layouts/leaflet.ini "$d/a.txt" >"$d/a.trace" 2>/dev/null ||
        return 1
    cat "$d/a.err"
    local k
    for k in 1 2; do
        pdftotext "$d/a-$k.pdf" - | tr -d '\n ' | grep -F 'ChenYi-chun¹andLinPo-han²' >/dev/null &&
            pdftotext "$d/a-$k.pdf" - | grep -F 'Academia Sinica' >/dev/null || return 1
    done
    $py -c 'import json, sys
r = json.load(open(sys.argv[1]))
left = [i for i in r.get("issues", []) if "preamble" in i.get("kind", "") or "note" in i.get("kind", "")]
print("preamble and note issues:", left)
sys.exit(bool(left))' "$d/a.report.json" &&
        ! grep -E 'note|preamble' "$d/a.err" &&
        $py -c 'import re, sys
runs = re.findall(r"^  run .* ([0-9.]+) \"(.*)\"$", open(sys.argv[1]).read(), re.M)
size = lambda t: {s for s, x in runs if t in x}
print("affiliations at", size("國立"), "pt, body text at", size("新聞標題"), "pt")
sys.exit(not (size("國立") and size("國立") == size("新聞標題")))' "$d/a.trace"
}
check "byline / leaflet: the authors and their affiliations in every leaflet, never the standfirst" byline

# A programme's dateline and venue, a manual's model line: a set-apart pair right under the
# title, over a preamble of its own (the standfirst). Every leaflet sets it under the standfirst
# as the booklet's title page sets it under the title; a sheet without the day and the place,
# or the model it is for, is not fit to print (review 13: only a report line, "preamble in no
# leaflet")
dateline() {
    local d=$tmp/dateline
    mkdir -p "$d"
    cat >"$d/f.txt" <<'TXT'
文學周<br>節目表
Literary Week<br>Programme
日期：7月14日至7月15日　地點：會議展覽中心 {center}
Dates: 14 to 15 July    Venue: Convention Centre {center}
文學周今年以「城市與記憶」為題，舉辦講座及工作坊。
This year's Literary Week takes "City and Memory" as its theme, with talks and workshops.
# 7月14日
# 14 July
- 10:30　開幕禮
- 10:30 Opening Ceremony
# 7月15日
# 15 July
- 14:00　閉幕禮
- 14:00 Closing Ceremony
TXT
    "$pb" --report=json --layout layouts/leaflet.ini -o "$d/f-%d.pdf" "$d/f.txt" 2>"$d/f.err" ||
        return 1
    cat "$d/f.err"
    local k
    for k in 1 2; do
        pdftotext "$d/f-$k.pdf" - | tr -d '\n ' | grep -F 'Venue:ConventionCentre' >/dev/null &&
            pdftotext "$d/f-$k.pdf" - | tr -d '\n ' | grep -F '地點：會議展覽中心' >/dev/null ||
            { echo "leaflet $k: no dateline"; return 1; }
    done
    $py -c 'import json, sys
r = json.load(open(sys.argv[1]))
left = [i for i in r.get("issues", []) if "preamble" in i.get("kind", "")]
print("preamble issues:", left)
sys.exit(bool(left))' "$d/f.report.json"
}
check "dateline / leaflet: a set-apart pair under the title (date, venue, model) in every leaflet" dateline

# A one-pair leaflet grown to its layout's max-scale still leaves most of its page empty: the
# report says it reached max-scale and how much of the page is empty, not that it fills the
# page (review 13)
grown_short() {
    local d=$tmp/grown
    mkdir -p "$d"
    printf '短文件\nShort document\n# 一、唯一一節\n# I. The only section\n一句話。\nOne sentence.\n' >"$d/s.txt"
    printf 'base = %s/layouts/leaflet.ini\n[leaflet]\nmax-scale = 2\n' "$PWD" >"$d/g.ini"
    "$pb" --report --layout "$d/g.ini" -o "$d/s-%d.pdf" "$d/s.txt" 2>"$d/s.err" || return 1
    grep 'output:' "$d/s.report.txt"
    grep -Eq "sizes x2\.000: grown to the layout's max-scale; its page still [0-9]+% of its text block empty" \
        "$d/s.report.txt" && ! grep -q 'grown to fill the page' "$d/s.report.txt"
}
check "grown / leaflet: one grown to max-scale with its page still half empty says so" grown_short

# A citation of honour: its text is centred paragraphs of prose, each written as one line. They
# are no short verse kept whole (a set-apart pair of few lines as written): they break over
# pages as paragraphs do, no page left short for them, none called a verse (review 13: pages
# 36% and 25% short, "the short verse at line 7 (... a poem, an address)")
prose_apart() {
    local d=$tmp/prose-apart
    mkdir -p "$d"
    cat >"$d/c.txt" <<'TXT'
褒　揚　令
Citation of Honour
總統府　華總一榮字第11500012345號 {center}
Office of the President    Ref. No. Hua-Zong-Yi-Rong 11500012345 {center}
國立臺灣大學名譽教授林秉鈞先生，秉性敦厚，治學嚴謹。早歲負笈英倫，獲劍橋大學博士學位；民國六十八年返國任教，歷任臺灣大學化學系主任、理學院院長，並膺選中央研究院院士。 {center}
Professor Emeritus Lin Ping-chun of National Taiwan University was a man of gentle nature and rigorous scholarship. Having studied in England as a young man and taken his doctorate at the University of Cambridge, he returned to Taiwan in 1979 to teach, served as Chair of the Department of Chemistry and Dean of the College of Science of National Taiwan University, and was elected an Academician of Academia Sinica. {center}
先生潛心綠色化學研究逾四十載，發表論文三百餘篇，培育碩博士生百餘人，蔚為國家棟樑；曾獲教育部學術獎、總統科學獎，聲譽卓著，蜚聲國際。 {center}
For more than forty years he devoted himself to research in green chemistry, publishing over three hundred papers and training more than a hundred master's and doctoral students who became pillars of the nation. He received the Ministry of Education Academic Award and the Presidential Science Prize, and his reputation spread far beyond Taiwan. {center}
先生晚年熱心公益，捐資設立「秉鈞清寒獎學金」，嘉惠學子無數。遽聞溘逝，軫悼良深。 {center}
In his later years he gave generously to public causes and endowed the Ping-chun Scholarship for students of limited means, from which countless young people have benefited. The news of his sudden passing is received with deep sorrow. {center}
綜其生平，學術丕著，德望允孚，應予明令褒揚，以示政府篤念耆賢之至意。 {center}
In recognition of a life of eminent scholarship and esteemed virtue, this Citation of Honour is hereby conferred, in token of the Government's abiding regard for its distinguished elders. {center}
此令 {center}
So ordered. {center}
總統　賴○○ {right}
President Lai ○○ {right}
行政院院長　卓○○ {right}
Premier Cho ○○ {right}
中華民國一百十五年十一月二十日 {right}
20 November 2026 (115th year of the Republic of China) {right}
TXT
    printf 'base = %s/layouts/booklet.ini\n[text]\nlang-zh = zh-Hant-TW\n' "$PWD" >"$d/c.ini"
    "$pb" --report=json --layout "$d/c.ini" -o "$d/c.pdf" "$d/c.txt" 2>/dev/null || return 1
    $py -c 'import json, sys
r = json.load(open(sys.argv[1]))
verse = [i for i in r.get("issues", []) if i.get("cause") == "short verse"]
print("short pages for a verse:", verse)
sys.exit(bool(verse))' "$d/c.report.json"
}
check "prose-apart / booklet: a citation's centred paragraphs break as prose, none kept whole as a verse" prose_apart

# A document of one section: its leaflet is no series ("1 / 1" numbers nothing)
one_section() {
    sed -n '1,/^二、/p' corpus/ai-plus-initiative.txt | sed '$d' >"$tmp/one.txt"
    "$pb" --trace --layout layouts/leaflet.ini "$tmp/one.txt" >"$tmp/one.trace" 2>/dev/null &&
        $py tests/pages_check.py leaflet-feet "$tmp/one.trace"
}
check "a one-section document: its leaflet numbers no series of one" one_section

summary pages
