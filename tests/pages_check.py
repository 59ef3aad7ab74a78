#!/usr/bin/python3
"""pages_check.py CHECK ARGS...: checks of the page breaks and the register, from traces.
  flow REPORT.json TRACE...   no heading (or title) line ends a page (but the last), no paragraph
                              leaves a single line at a page foot (orphan) or head (widow), no
                              page ends with a word hyphenated across the turn, a heading keeps
                              the start of the pair under it in both languages (the Chinese and
                              at least 2 lines of the English, all of a shorter one; or its
                              Chinese of more than 3 lines whole, where keeping the English with
                              it would leave a tenth of the page empty), and a short
                              pair (halves of at most 3 lines) is not split between its halves
                              unless keeping it whole would leave a tenth of the page empty or
                              more (vlist.h: it yields to a hole of a fifth of a page)
  closing CORPUS TRACE...     a closing block (the pairs ending the corpus marked {keep},
                              {right} or {center}: a signature, a date, an end mark) never stands
                              alone on the last page with text: it keeps with the last lines of
                              the text before it (a signature block opening with a {keep}
                              pair of more than 3 lines may: see signature)
  signature LINE SHARE TRACE...
                              a closing signature block (a {keep} pair of more than 3 lines at
                              source line LINE: a contract's parties) never drags the text before
                              it over a page turn: where the page before the block's page is
                              more than SHARE empty and the lines above the block would have
                              fitted there, the block opens its page
  together FIRST LAST TRACE...
                              source lines FIRST to LAST (a closing section: a reply slip) on one
                              page in every trace
  letter CORPUS TRACE...      a letter inside the text: its salutation (a {noindent} pair whose
                              lines end with a colon or comma) never ends a page, its {right}
                              sign-off (after a body pair) never begins one
  short-pages SHARE REPORT.json TRACE
                              every page but the last whose text ends more than SHARE of the
                              text block above its foot (the block's top and foot: the highest
                              first and the lowest last baseline of the trace's pages) is a
                              "short page" issue in the report, at the line its next page begins,
                              with the rule that ended it (a cause other than "none") and the
                              source line of the block that rule keeps, a line of the next page
  same-start FULL.trace PART.trace
                              the text's first pages set as they are without what follows: each
                              page of PART (a corpus's first lines) but its last holds the same
                              source lines in FULL (the whole corpus), so what comes pages later
                              moves no break before the page right before it
  register REPORT.json LEADING TRACE...
                              every body line's baseline on the grid: a whole number of leadings
                              (within 0.01 pt) below the highest body baseline of the document,
                              on every page (facing pages and both sides of a leaf back up)
  leaflet SHARE TOP BOTTOM MAXSCALE REPORT.json TRACE
                              leaflets: the last body baseline of a one-page leaflet at least
                              SHARE of the text block (TOP, BOTTOM: its edges, pt from the page
                              foot) down, unless its sizes grew to MAXSCALE already; kicker and headline start at one x (their English lines);
                              the standfirst (the pair before the first heading in the corpus)
                              set larger than the text
  leaflet-runs TOP BOTTOM REPORT.json TRACE
                              a leaflet on more pages than its layout's runs on as a booklet
                              does: each page but its last full (its last baseline in the
                              text block's bottom fifth) or a "short page" in the report at
                              that page, and a pair parted between its Chinese and its English
                              over a page only when that page is full to an eighth (the
                              spread's price: keeping the pair whole would leave more empty)
  leaflet-sizes PAGES ONE.json EACH.json FULL.json
                              the reports of a corpus's leaflets as shipped, with one-size =
                              no, and with min-scale = 1 too: one size for all, the least each
                              takes alone; none over PAGES shrunk when as many pages fit at
                              full size; each overflow an issue at its section's heading, in pages
  leaflet-fits PAGES EACH.json [LOWER.json]
                              each leaflet over PAGES says by how much (its text's excess in
                              lines and in a share of a page, its last page's fill) and the
                              size at which it would fit; with LOWER (the run with min-scale
                              at the least of those sizes), each that named one fits there
  leaflet-gaps REPORT.json TRACE
                              no space stretched under a heading (one distance from a heading
                              of a level to its text at one size), nor between pairs on a page
                              whose text goes on (the least the leaflet has)
  leaflet-feet TRACE          the foot of each leaflet page (the lowest line that is not text):
                              a leaflet that runs to more pages says so on each page after the
                              first ("continued" with 續 or 续), no two pages with one foot,
                              none numbering a series of one ("1 / 1")
  heads REPORT.json TRACE...  running heads: every numbered page with text but the title's has
                              a head above its text, in both languages (a Han and a Latin
                              letter on the head's baseline), none ending in an ellipsis
  head-sections REPORT.json CORPUS TRACE...
                              what each running head names: the title, or a section with text
                              on that page (the section in force at the page's top, or the one
                              whose heading opens it), never a section that ended before it
  head-halves REPORT.json CORPUS
                              the two halves of each shortened running head are shortened alike:
                              of a pair whose Chinese and English lines both have a subtitle
                              (a forced break, <br>), the head keeps both subtitles or neither
Traces carry each line's source line (src=N); the report names the heading pairs' lines.
Prints what is wrong (and one summary line) and exits 1 on failure."""
import json
import re
import sys

LINE = re.compile(r"  line y=([-\d.]+) x=\S+ width=\S+ ratio=\S+(?: src=(\d+))?")
RUN = re.compile(r"  run y=\S+ x=\S+ (\S+) ([\d.]+) (?:scale=\S+ )?\"(.*)\"$")


def pages(trace):
    """Per page: (folio, [[y, src, size, text of its last run]]) for its lines."""
    out = []
    for raw in open(trace, encoding="utf-8"):
        if raw.startswith("page "):
            out.append((int(re.search(r"folio (\d+)", raw).group(1)), []))
            continue
        m = LINE.match(raw)
        if m and out:
            out[-1][1].append([float(m.group(1)), int(m.group(2)) if m.group(2) else None, None, ""])
            continue
        m = RUN.match(raw.rstrip("\n"))
        if m and out and out[-1][1]:
            if out[-1][1][-1][2] is None:
                out[-1][1][-1][2] = float(m.group(2))
            out[-1][1][-1][3] = m.group(3)
    return out


def display_lines(report):
    r = json.load(open(report, encoding="utf-8"))
    lines = {r["title"]["line"], r["title"]["en_line"]}
    for h in r["headings"]:
        lines |= {h["line"], h["en_line"]}
    return lines


MIN_LINES = 2  # the widow and orphan rules' lines (galley.h PB_GALLEY_MIN_LINES)


def head_pairs(report):
    """(heading's English line, its first pair's Chinese line, English line) for every heading
    a body pair follows."""
    r = json.load(open(report, encoding="utf-8"))
    display = display_lines(report)
    return [(h["en_line"], h["en_line"] + 1, h["en_line"] + 2) for h in r["headings"]
            if h["en_line"] + 1 not in display]


# A short pair (halves of at most WHOLE_LINES lines) yields to a hole at a page's foot (vlist.h):
# it may split between its halves only where keeping it whole would leave at least this share of
# the page empty (its price, a fifth of a page, less what the total fit may trade on other
# pages).
WHOLE_LINES = 2 * MIN_LINES - 1
SHORT_PAIR_HOLE = 0.1


def hole_before(ps, k, src):
    """The share of page k left empty if its lines from the first of source line src on moved
    to the next page (None: src starts the page, nothing could move). The text block's top and
    foot are the highest first baseline and the lowest last one of the trace's pages."""
    body = [[l for l in lines if l[1] is not None] for _, lines in ps]
    firsts = [b[0][0] for b in body if b]
    lasts = [b[-1][0] for b in body[:-1] if b]
    if not lasts:
        return None
    top, foot = max(firsts), min(lasts)
    at = next(i for i, l in enumerate(body[k]) if l[1] == src)
    if at == 0 or top <= foot:
        return None
    return (body[k][at - 1][0] - foot) / (top - foot)


def flow(report, *traces):
    display = display_lines(report)
    firsts = head_pairs(report)
    bad = 0
    for t in traces:
        ps = [p for p in pages(t) if p[0] > 0]  # the cover and inside cover carry no flow
        count = {}  # lines of each source line (a list item's bullet is no line of its own)
        for _, lines in ps:
            for y, src in {(l[0], l[1]) for l in lines}:
                count[src] = count.get(src, 0) + 1
        for head, zh, en in firsts:
            on = [k for k, (_, lines) in enumerate(ps) if any(l[1] == head for l in lines)]
            if not on:
                continue
            here = [l[1] for l in ps[on[0]][1]]
            total_en = sum(1 for _, lines in ps for l in lines if l[1] == en)
            total_zh = sum(1 for _, lines in ps for l in lines if l[1] == zh)
            # a Chinese paragraph longer than a short pair's half whole under the heading, the
            # English overleaf, where keeping them together would leave the page a tenth empty
            # (vlist.h PB_VCOST_HEAD_SPLIT: it yields to a hole of a fifth)
            apart = (here.count(en) == 0 and here.count(zh) == total_zh > WHOLE_LINES
                     and (hole_before(ps, on[0], head - 1) or 0) >= SHORT_PAIR_HOLE)
            if here.count(en) < min(MIN_LINES, total_en) and not apart:
                print(f"{t}: page {ps[on[0]][0]}: the heading at source line {head - 1} keeps "
                      f"{here.count(zh)} Chinese and {here.count(en)} English line(s) of the pair "
                      f"under it")
                bad += 1
        for k, (folio, lines) in enumerate(ps):
            body = [l for l in lines if l[1] is not None]
            if not body:
                continue
            last, first = body[-1], body[0]
            if k + 1 < len(ps) and last[1] in display:
                print(f"{t}: page {folio} ends with a heading line (source line {last[1]})")
                bad += 1
            if k + 1 < len(ps) and last[3] == "-":  # the breaker's hyphen: a run of its own
                print(f"{t}: page {folio} ends with a hyphenated word (source line {last[1]})")
                bad += 1
            nxt = [l for l in ps[k + 1][1] if l[1] is not None] if k + 1 < len(ps) else []
            # a short pair split between its halves (its Chinese line odd, the English after)
            # (under a heading the heading's rule above says whether it might)
            if (nxt and nxt[0][1] == last[1] + 1 and last[1] % 2 == 1 and last[1] not in display
                    and last[1] - 1 not in display and count.get(last[1], 0) <= WHOLE_LINES
                    and count.get(last[1] + 1, 0) <= WHOLE_LINES):
                hole = hole_before(ps, k, last[1])
                if hole is not None and hole < SHORT_PAIR_HOLE:
                    print(f"{t}: page {folio}: the short pair at source line {last[1]} is split "
                          f"between its halves, where keeping it whole would leave {hole:.0%} of "
                          f"the page")
                    bad += 1
            # a paragraph split here: count its lines on this page and the next
            if nxt and nxt[0][1] == last[1] and last[1] not in display:
                here = sum(1 for l in body if l[1] == last[1])
                there = sum(1 for l in nxt if l[1] == last[1])
                if here < 2:
                    print(f"{t}: page {folio}: orphan (1 line of source line {last[1]} at the foot)")
                    bad += 1
                if there < 2:
                    print(f"{t}: page {folio + 1}: widow (1 line of source line {last[1]} at the head)")
                    bad += 1
    print(f"{len(traces)} traces: {bad} problems")
    return bad == 0


CLOSING = re.compile(r"\{[^{}]*\b(keep|right|left|center)\b[^{}]*\}\s*$")


def closing(corpus, *traces):
    lines = [l.rstrip("\n") for l in open(corpus, encoding="utf-8")]
    n = len(lines)
    while n and not lines[n - 1].strip():
        n -= 1
    block = set()  # the closing pairs' source lines (1-based): the Chinese line marked
    while n >= 2 and CLOSING.search(lines[n - 2]):
        block |= {n - 1, n}
        n -= 2
    if not block:
        print(f"{corpus}: no closing block")
        return True
    bad = 0
    for t in traces:
        body = [[l[1] for l in ls if l[1] is not None] for _, ls in pages(t)]
        last = [b for b in body if b]
        if len(last) > 1 and set(last[-1]) <= block:
            print(f"{t}: the closing block (source lines {min(block)}-{max(block)}) stands alone "
                  f"on the last page")
            bad += 1
    print(f"{len(traces)} traces, closing block lines {sorted(block)}: {bad} problems")
    return bad == 0


def signature(line, share, *traces):
    """Where the page before a closing signature block's page is more than SHARE empty at its
    foot (the text block's top and foot: the highest first and the lowest last baseline of the
    trace's pages), and the lines above the block on its page would have fitted that hole, the
    block opens its page: no line of the text before it dragged over with it."""
    line, share = int(line), float(share)
    bad = 0
    for t in traces:
        body = [[l for l in ls if l[1] is not None] for f, ls in pages(t) if f > 0]
        body = [b for b in body if b]
        k = next(i for i, b in enumerate(body) if any(l[1] == line for l in b))
        if k == 0 or body[k][0][1] == line:
            continue
        top, foot = max(b[0][0] for b in body), min(b[-1][0] for b in body[:-1])
        if top <= foot:
            continue
        empty = (body[k - 1][-1][0] - foot) / (top - foot)
        # the share of a page the lines above the block take on its page: what a page turn
        # before the block would have left on the page before, had they fitted its hole
        above = next(i for i, l in enumerate(body[k]) if l[1] == line)
        taken = (top - body[k][above - 1][0]) / (top - foot)
        if empty > share and taken < empty:
            print(f"{t}: page {k + 1} of text begins at source line {body[k][0][1]}, dragged "
                  f"over the turn with the signature block at line {line}; the page before is "
                  f"{empty:.0%} empty")
            bad += 1
    print(f"{len(traces)} traces, signature block at line {line}: {bad} problems")
    return bad == 0


def together(first, last, *traces):
    """Source lines FIRST to LAST all on one page of each trace."""
    want = set(range(int(first), int(last) + 1))
    bad = 0
    for t in traces:
        where = sorted({k for k, (_, ls) in enumerate(pages(t)) for l in ls if l[1] in want})
        if len(where) != 1:
            print(f"{t}: source lines {first}-{last} on pages {[k + 1 for k in where]}")
            bad += 1
    print(f"{len(traces)} traces, source lines {first}-{last} on one page: {bad} problems")
    return bad == 0


SALUTATION = re.compile(r"[:：,，]\s*\{[^{}]*\bnoindent\b[^{}]*\}\s*$")
RIGHT = re.compile(r"\{[^{}]*\bright\b[^{}]*\}\s*$")


def letter(corpus, *traces):
    """A salutation pair (its lines {noindent}, ending with a colon or comma) never ends a
    page, and a {right} sign-off after a body pair never begins one (a letter inside the
    text, wherever it stands)."""
    lines = [l.rstrip("\n") for l in open(corpus, encoding="utf-8")]
    salute = [k + 1 for k in range(0, len(lines) - 1, 2)
              if SALUTATION.search(lines[k]) and SALUTATION.search(lines[k + 1])]
    sign = [k + 1 for k in range(2, len(lines) - 1, 2)
            if RIGHT.search(lines[k]) and not RIGHT.search(lines[k - 2])
            and not lines[k - 2].startswith("#")]
    bad = 0
    for t in traces:
        body = [[l[1] for l in ls if l[1] is not None] for f, ls in pages(t) if f > 0]
        body = [b for b in body if b]
        for k, b in enumerate(body[:-1]):
            if b[-1] in {s + 1 for s in salute} or b[-1] in salute:
                print(f"{t}: page {k + 1} of text ends with the salutation at source line "
                      f"{b[-1]}")
                bad += 1
        for k, b in enumerate(body[1:], 1):
            if b[0] in sign:
                print(f"{t}: page {k + 1} of text begins with the sign-off at source line {b[0]}")
                bad += 1
    print(f"{len(traces)} traces, salutations {salute}, sign-offs {sign}: {bad} problems")
    return bad == 0


def short_pages(share, report, trace):
    """Every page but the last whose text ends more than SHARE of the text block above its foot is
    in the report as a short page, at the source line that begins the next page; no other."""
    share = float(share)
    r = json.load(open(report, encoding="utf-8"))
    told = sorted((i["page"], i["line"]) for i in r["issues"] if i["kind"] == "short page")
    ps = pages(trace)  # with the cover and inside cover (folio 0): the report counts them
    body = [[l for l in lines if l[1] is not None] if folio > 0 else [] for folio, lines in ps]
    firsts = [b[0][0] for b in body if b]
    lasts = [b[-1][0] for b in body[:-1] if b]
    want = []
    if lasts:
        top, foot = max(firsts), min(lasts)
        text = [k for k, b in enumerate(body) if b]
        for k, nk in zip(text, text[1:]):
            h = (body[k][-1][0] - foot) / (top - foot) if top > foot else 0
            if h > share + 0.02:  # the trace's baselines, not the breaker's heights: some slack
                want.append((k + 1, body[nk][0][1]))
    got = [x for x in told if x[0] in {w[0] for w in want}]
    bad = [w for w in want if w not in told]
    print(f"{trace}: pages short by more than {share:.0%}: {want}; reported: {told}")
    if bad:
        print(f"  not reported (page, line): {bad}")
    # the reason given is the cause: a rule, and a block of the page after (what went on to it)
    untrue = 0
    for i in r["issues"]:
        if i["kind"] != "short page":
            continue
        k = i["page"]  # 1-based: the next page is ps[k] (0-based)
        after = {l[1] for l in ps[k][1] if l[1]} if k < len(ps) else set()
        cause, line = i.get("cause", "none"), i.get("cause_line", 0)
        if cause == "none" or line not in after:
            print(f"  page {k}: cause {cause!r} at line {line}, not a block of the next page "
                  f"(its lines {sorted(after)})")
            untrue += 1
    return not bad and len(got) == len(want) and not untrue


def same_start(full, part):
    """Each page of PART but its last holds the same source lines in FULL."""
    f, p = pages(full), pages(part)
    text = [k for k, (_, lines) in enumerate(p) if any(l[1] for l in lines)]
    bad = 0
    for k in text[:-1]:
        a = sorted({l[1] for l in p[k][1] if l[1]})
        b = sorted({l[1] for l in f[k][1] if l[1]}) if k < len(f) else []
        if a != b:
            print(f"page {k + 1}: alone it holds lines {a[0]}-{a[-1]}, in the whole text "
                  f"{b[0] if b else '-'}-{b[-1] if b else '-'}")
            bad += 1
    print(f"{len(text) - 1} pages before the last of {part}: {bad} set otherwise in {full}")
    return bad == 0


def register(report, leading, *traces):
    L = float(leading)
    display = display_lines(report)
    bad = 0
    for t in traces:
        ps = pages(t)
        sizes = [l[2] for p in ps for l in p[1] if l[1] is not None and l[1] not in display and l[2]]
        if not sizes:
            continue  # no body text
        body_size = max(set(sizes), key=sizes.count)  # the text size: the most common
        ys = [(p[0], l[0]) for p in ps if p[0] > 0 for l in p[1]
              if l[1] is not None and l[1] not in display and l[2] == body_size]
        top = max(y for _, y in ys)
        for folio, y in ys:
            k = (top - y) / L
            if abs(k - round(k)) > 0.01 / L:
                print(f"{t}: page {folio}: baseline {y:.2f} is {k:.3f} leadings below {top:.2f}")
                bad += 1
    print(f"{len(traces)} traces: {bad} baselines off the grid")
    return bad == 0


def head_lines(trace):
    """Per page: (folio, body source lines, max body y, {y: text of the lines without a source
    line at that baseline})."""
    out = []
    cur = None
    for raw in open(trace, encoding="utf-8"):
        if raw.startswith("page "):
            out.append([int(re.search(r"folio (\d+)", raw).group(1)), set(), None, {}])
            continue
        m = LINE.match(raw)
        if m and out:
            y = float(m.group(1))
            if m.group(2):
                out[-1][1].add(int(m.group(2)))
                out[-1][2] = y if out[-1][2] is None else max(out[-1][2], y)
                cur = None
            else:
                cur = out[-1][3].setdefault(round(y, 2), [])
            continue
        m = RUN.match(raw.rstrip("\n"))
        if m and cur is not None:
            cur.append(m.group(3))
    return out


def heads(report, *traces):
    r = json.load(open(report, encoding="utf-8"))
    title = {r["title"]["line"], r["title"]["en_line"]}
    bad = 0
    for t in traces:
        for folio, srcs, top, extra in head_lines(t):
            if folio == 0 or not srcs or srcs & title:
                continue
            above = [" ".join(v) for y, v in extra.items() if y > top]
            text = " ".join(above)
            if not (re.search(r"[\u3400-\u9fff]", text) and re.search(r"[A-Za-z]", text)):
                print(f"{t}: page {folio} has no running head in both languages: {text!r}")
                bad += 1
            elif text.rstrip().endswith("\u2026"):
                print(f"{t}: page {folio}'s running head ends in an ellipsis: {text!r}")
                bad += 1
    for h in r.get("running_heads", []):
        if h["ellipsis"]:
            print(f"{report}: line {h['line']}: running head cut with an ellipsis: {h['text']!r}")
            bad += 1
    return bad == 0


def squash(text):
    """Text compared without white space, line breaks, colons (a title's forced break is
    joined with ': ' or '：' in the heads) or a corpus line's markup."""
    text = re.sub(r"(?<=[\u3400-\u9fff])\([^()\u3400-\u9fff]+\)", "", text)  # pinyin
    text = re.sub(r"<br>|\{[a-z]+(=\"[^\"]*\")?\}\s*$|^#+ ", "", text)
    text = text.translate({0x201C: '"', 0x201D: '"', 0x2018: "'", 0x2019: "'"})  # smart quotes
    return re.sub(r"[\s\u2028:\uff1a]", "", text)


def head_sections(report, corpus, *traces):
    r = json.load(open(report, encoding="utf-8"))
    lines = open(corpus, encoding="utf-8-sig").read().split("\n")
    title = {r["title"]["line"], r["title"]["en_line"]}
    # what a head may name: 0 the title, k the k-th section (its level-1 heading, or the
    # shortened form the report lists)
    def short(line):  # a {short="..."} at the line's end
        m = re.search(r'\{short="([^"]*)"\}\s*$', lines[line - 1])
        return [squash(m.group(1))] if m else []
    names = [(0, t) for t in [squash(lines[r["title"]["line"] - 1])] + short(r["title"]["line"])]
    starts = []  # the source line each section starts at
    for h in r["headings"]:
        if h["level"] == 1:
            starts.append(h["line"])
            names += [(len(starts), t) for t in [squash(h["zh"])] + short(h["line"])]
    names += [(h["section"], squash(h["text"])) for h in r.get("running_heads", [])]
    bad = 0
    for t in traces:
        for folio, srcs, top, extra in head_lines(t):
            if folio == 0 or not srcs or srcs & title or top is None:
                continue
            # the head's Chinese part: its runs up to the " · " before the English (figures are
            # runs of their own, in the Latin face)
            runs, seen_han = [], False
            for x in (x for y, v in extra.items() if y > top for x in v):
                if seen_han and re.search(r"[A-Za-z]", x) and not re.search(r"[\u3400-\u9fff]", x):
                    break  # the English part (the parallel sets it over its own column)
                seen_han |= bool(re.search(r"[\u3400-\u9fff]", x))
                runs.append(x)
            han = squash("".join(runs).split("\u00b7")[0])
            if not re.search(r"[\u3400-\u9fff]", han):
                han = ""
            if not han:
                continue  # heads() says a head is missing
            named = [k for k, text in names if text.startswith(han) or han.startswith(text)]
            here = {sum(1 for s0 in starts if s0 <= s) for s in srcs}
            if not named:
                print(f"{t}: page {folio}: the running head {han!r} names no section or title")
                bad += 1
            elif 0 not in named and not here & set(named):
                print(f"{t}: page {folio}: the running head {han!r} names section {named[0]}, "
                      f"but the page has text of section(s) {sorted(here)} only")
                bad += 1
    print(f"{len(traces)} traces: {bad} running heads naming a section not on their page")
    return bad == 0


def head_halves(report, corpus):
    r = json.load(open(report, encoding="utf-8"))
    lines = open(corpus, encoding="utf-8-sig").read().split("\n")
    pairs = {r["title"]["line"]: r["title"]["en_line"]}
    pairs.update({h["line"]: h["en_line"] for h in r["headings"]})
    bad = told = 0
    for h in r.get("running_heads", []):
        zh, en = (re.sub(r'\{short="[^"]*"\}\s*$', "", lines[k - 1]).split("<br>")
                  for k in (h["line"], pairs.get(h["line"], h["line"])))
        if len(zh) < 2 or len(en) < 2:
            continue
        told += 1
        head = h["text"].split(" \u00b7 ")
        if len(head) != 2:
            continue  # the parallel sets each half over its column: no separator to split at
        keeps = [squash(sub[1]) in squash(half) for sub, half in ((zh, head[0]), (en, head[1]))]
        if keeps[0] != keeps[1]:
            print(f"{report}: line {h['line']}: the running head {h['text']!r} keeps the "
                  f"{'Chinese' if keeps[0] else 'English'} subtitle only ({h['rule']})")
            bad += 1
    print(f"{told} shortened heads of pairs with subtitles: {bad} shortened unlike")
    return bad == 0


def leaflet_feet(trace):
    leaflets = []  # per leaflet: per page, the text of its lowest line without a source line
    for folio, srcs, top, extra in head_lines(trace):
        if folio == 1:
            leaflets.append([])
        low = min(extra) if extra else None
        leaflets[-1].append(" ".join(extra[low]) if low is not None else "")
    bad = 0
    for k, feet in enumerate(leaflets, 1):
        if len(set(feet)) != len(feet):
            print(f"{trace}: leaflet {k}: pages with the same foot: {feet}")
            bad += 1
        for n, foot in enumerate(feet, 1):
            if re.search(r"\b\d+ / 1\b", foot):
                print(f"{trace}: leaflet {k} page {n}: foot {foot!r} numbers a series of one")
                bad += 1
        for n, foot in enumerate(feet[1:], 2):
            if not re.search(r"continued.*[\u7e8c\u7eed]", foot):
                print(f"{trace}: leaflet {k} page {n}: foot {foot!r} does not say it continues")
                bad += 1
    print(f"{len(leaflets)} leaflets, {sum(map(len, leaflets))} pages: {bad} problems")
    return bad == 0


def leaflet_sizes(pages, one, each, full):
    """The sizes of a corpus's leaflets, from the reports of three runs: as shipped (one size),
    with one-size = no, and with one-size = no and min-scale = 1 (full size, never shrunk)."""
    pages = int(pages)
    one, each, full = (json.load(open(r, encoding="utf-8")) for r in (one, each, full))
    bad = 0
    scales = {o["scale"] for o in one["outputs"]}
    least = min(o["scale"] for o in each["outputs"])
    if len(one["outputs"]) > 1 and scales != {least}:
        print(f"one size: the leaflets are set at {sorted(scales)}, not all at {least} (the least "
              f"each takes on its own)")
        bad += 1
    for o, f in zip(each["outputs"], full["outputs"]):
        if o["pages"] > pages and o["scale"] < 1 and f["pages"] <= o["pages"]:
            print(f"{o['file']}: {o['pages']} pages at sizes x{o['scale']}, but as many at full size")
            bad += 1
    heads = {h["line"] for h in one["headings"] if h["level"] == 1}
    for o in one["outputs"]:
        over = [i for i in one["issues"] if i["kind"] == "leaflet overflow" and i["output"] == o["file"]]
        if (o["pages"] > pages) != bool(over):
            print(f"{o['file']}: {o['pages']} pages, overflow entries in the report: {over}")
            bad += 1
        for i in over:
            if i["line"] not in heads or i["unit"] != "pages" or i["value"] != o["pages"]:
                print(f"{o['file']}: the report's overflow entry {i} names no section heading, or not its pages")
                bad += 1
    print(f"{len(one['outputs'])} leaflets: {bad} problems")
    return bad == 0


def leaflet_fits(pages, each, lower=None):
    pages = int(pages)
    each = json.load(open(each, encoding="utf-8"))
    low = {o["file"]: o for o in json.load(open(lower, encoding="utf-8"))["outputs"]} if lower else {}
    bad = over = 0
    for o in each["outputs"]:
        if o["pages"] <= pages:
            continue
        over += 1
        if not all(k in o for k in ("over_lines", "over_share", "last_fill", "fits_at")):
            print(f"{o['file']}: {o['pages']} pages, but the report does not say by how much it is over")
            bad += 1
            continue
        if not 0 < o["last_fill"] <= 1 or o["over_lines"] < 0:
            print(f"{o['file']}: over by {o['over_lines']} lines, its last page {o['last_fill']} full?")
            bad += 1
        l = low.get(o["file"].replace("/e-", "/lo-"))
        if o["fits_at"] > 0 and lower and (not l or l["pages"] > pages):
            print(f"{o['file']}: said to fit at x{o['fits_at']}, but at that min-scale it takes "
                  f"{l['pages'] if l else '?'} pages")
            bad += 1
    print(f"{over} leaflets over {pages} page(s): {bad} problems")
    return bad == 0


def leaflet_gaps(report, trace):
    """No leaflet stretches the space between a heading and its text: the distance from a
    heading's last baseline to the next line is the same under every heading of its level (and
    the title) at one size; and the space between two body pairs on a page whose text goes on
    is the least the leaflet has (such a page is full as broken; only a last page is filled)."""
    r = json.load(open(report, encoding="utf-8"))
    level = {r["title"]["en_line"]: 0}
    level.update({h["en_line"]: h["level"] for h in r["headings"]})
    display = display_lines(report)
    gaps = {}
    leaflets = []  # per leaflet: [pages, [(page, gap between body pairs)]]
    scale = 1.0
    prev = None
    for raw in open(trace, encoding="utf-8"):
        if raw.startswith("page "):
            m = re.search(r"scale ([\d.]+)", raw)
            scale = float(m.group(1)) if m else 1.0
            if int(raw.split()[1]) == 1:
                leaflets.append([0, []])
            leaflets[-1][0] += 1
            prev = None
            continue
        m = LINE.match(raw)
        if not m or not m.group(2):
            continue
        y, src = float(m.group(1)), int(m.group(2))
        if prev and prev[1] in level and src != prev[1] and src not in level and src + 1 not in level:
            gaps.setdefault((scale, level[prev[1]]), set()).add(round(prev[0] - y, 2))
        if prev and src % 2 == 1 and prev[1] == src - 1 and not {src, src - 1} & display:
            leaflets[-1][1].append((leaflets[-1][0], round(prev[0] - y, 2)))
        prev = (y, src)
    bad = 0
    for (scale, lev), g in sorted(gaps.items()):
        if max(g) - min(g) > 0.02:
            print(f"{trace}: at scale {scale}, under {'the title' if lev == 0 else f'level-{lev} headings'}: "
                  f"gaps of {sorted(g)} pt (stretched)")
            bad += 1
    for k, (n, g) in enumerate(leaflets, 1):
        natural = min((gap for _, gap in g), default=0)
        wide = sorted({gap for page, gap in g if page < n and gap - natural > 0.02})
        if wide:
            print(f"{trace}: leaflet {k} ({n} pages): gaps between pairs of {wide} pt on a page "
                  f"whose text goes on, not {natural} (stretched)")
            bad += 1
    print(f"{sum(len(g) for g in gaps.values())} distinct gaps under headings: {bad} problems")
    return bad == 0


def leaflet(share, top, bottom, maxscale, report, trace):
    share, top, bottom, maxscale = float(share), float(top), float(bottom), float(maxscale)
    r = json.load(open(report, encoding="utf-8"))
    title_en = r["title"]["en_line"]
    first = min(h["line"] for h in r["headings"])
    stand = {first - 2, first - 1} - {r["title"]["line"], title_en}
    heads = {h["line"]: h["en_line"] for h in r["headings"]}
    bad = 0
    runs = []  # per page: [(y, src, x0, size)]
    info = []  # per page: (its number in its leaflet, the leaflet's scale)
    for raw in open(trace, encoding="utf-8"):
        if raw.startswith("page "):
            runs.append([])
            m = re.search(r"scale ([\d.]+)", raw)
            info.append((int(raw.split()[1]), float(m.group(1)) if m else 1.0))
            src = None
            continue
        m = LINE.match(raw)
        if m:
            src = int(m.group(2)) if m.group(2) else None
            y = float(m.group(1))
            continue
        m = re.match(r"  run y=\S+ x=([-\d.]+)\.\.\S+ \S+ ([\d.]+) ", raw)
        if m and runs and src is not None:
            runs[-1].append((y, src, float(m.group(1)), float(m.group(2))))
    if not runs:
        print(f"{trace}: no leaflet")
        return False
    for k, page in enumerate(runs, 1):
        ys = [y for y, s, x, z in page]
        got = (top - min(ys)) / (top - bottom)
        alone = info[k - 1][0] == 1 and (k == len(info) or info[k][0] == 1)
        if got < share and alone and info[k - 1][1] < maxscale - 1e-6:
            print(f"{trace}: leaflet {k}: last baseline at {got:.1%} of the text block")
            bad += 1
        srcs = {s for y, s, x, z in page}
        head_en = [heads[h] for h in heads if h in srcs]
        kx = [x for y, s, x, z in page if s == title_en]
        hx = [x for y, s, x, z in page if head_en and s == head_en[0]]
        if kx and hx and abs(kx[0] - hx[0]) > 0.01:
            print(f"{trace}: leaflet {k}: kicker at x={kx[0]}, headline at x={hx[0]}")
            bad += 1
        body = [z for y, s, x, z in page if s > max(stand | set(head_en or [0]))]
        sf = [z for y, s, x, z in page if s in stand]
        if sf and body and not min(sf) > max(body):
            print(f"{trace}: leaflet {k}: standfirst at {min(sf)} pt, text at {max(body)} pt")
            bad += 1
    return bad == 0


SHORT_PAGE = 0.2  # a page whose text goes on this share or more empty is short (pageout.c),
DEPTH = 0.02  # measured from its text's height; here from its last baseline (a line's depth)
PAIR_PARTED = 0.125  # a pair parted over a turn costs an eighth of a page (pagebuild.c SPREAD_COST)


def leaflet_runs(top, bottom, report, trace):
    top, bottom = float(top), float(bottom)
    r = json.load(open(report, encoding="utf-8"))
    display = display_lines(report)
    short = {(i["output"], i["page"]) for i in r["issues"] if i["kind"] == "short page"}
    leaflets = []  # per leaflet, per page: its body lines [(y, src)]
    for raw in open(trace, encoding="utf-8"):
        if raw.startswith("page "):
            if int(raw.split()[1]) == 1:
                leaflets.append([])
            leaflets[-1].append([])
            continue
        m = LINE.match(raw)
        if m and m.group(2) and leaflets:
            leaflets[-1][-1].append((float(m.group(1)), int(m.group(2))))
    bad = 0
    for k, (ps, out) in enumerate(zip(leaflets, r["outputs"]), 1):
        for n, page in enumerate(ps[:-1], 1):
            if not page or not ps[n]:
                continue
            empty = (min(y for y, s in page) - bottom) / (top - bottom)
            if empty > SHORT_PAGE + DEPTH and (out["file"], n) not in short:
                print(f"{trace}: leaflet {k} page {n} of {len(ps)}: {empty:.0%} empty at its foot, "
                      f"its text going on, and not in the report as a short page")
                bad += 1
            last, first = page[-1][1], ps[n][0][1]
            if (first == last + 1 and last % 2 == 1 and last not in display
                    and last - 1 not in display and empty > PAIR_PARTED):
                print(f"{trace}: leaflet {k} page {n}: the pair at source line {last} parted from "
                      f"its English over the page, {empty:.0%} of the page left empty")
                bad += 1
    print(f"{len(leaflets)} leaflets, {sum(len(p) > 1 for p in leaflets)} over a page: {bad} problems")
    return bad == 0


if __name__ == "__main__":
    ok = {"flow": flow, "closing": closing, "signature": signature, "together": together, "letter": letter, "register": register, "heads": heads, "leaflet": leaflet, "short-pages": short_pages,
          "same-start": same_start,
          "head-sections": head_sections, "head-halves": head_halves, "leaflet-feet": leaflet_feet,
          "leaflet-sizes": leaflet_sizes, "leaflet-gaps": leaflet_gaps,
          "leaflet-runs": leaflet_runs, "leaflet-fits": leaflet_fits}[sys.argv[1]](*sys.argv[2:])
    sys.exit(0 if ok else 1)
