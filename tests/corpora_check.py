#!/usr/bin/python3
"""corpora_check.py CHECK ARGS...: checks of a test corpus set through a layout.
  headings N REPORT.json PDF...   the report found N headings, and the PDFs' bookmarks hold
                                  them all (each PDF's title bookmark aside)
  heading-foot TRACE              no page but the last ends with a heading line
  urls CORPUS PDF...              every URL and e-mail address of the corpus comes out of the
                                  PDFs' text whole (no hyphen added where a line breaks it)
  links CORPUS PDF...             the PDFs' /Link annotations go to exactly the corpus's URLs
                                  and mailto: addresses
  bullets TRACE [CORPUS LAYOUT]   every list bullet of the trace is drawn in one face and size;
                                  one a list pair (one in each column of the parallel)
                                  per size of item (a pair's Chinese and English items alike)
  measure TRACE REPORT.json STDERR [N]
                                  every text line of the trace stays inside its measure (from
                                  its x to x + measure) but N (default 0), each of which the
                                  report lists as an overfull line on its page and the run's
                                  warnings name at its source line
  spacing REPORT.json PDF...      every letter-spaced line (ideographs at a pitch over 1.035 em),
                                  every line with a gap between an ideograph and a Latin letter
                                  or digit wider than 0.345 em, every line of words with a
                                  space wider than 0.51 em, and every tight line (a line of
                                  words with a space narrower than 0.17 em, a Chinese line
                                  whose Latin letters are drawn narrower than 99.5 % of their
                                  width) that the PDFs draw is listed in the report (its page,
                                  its pitch), by the kind of its widest gap (letter-spaced: the
                                  ideographs'; loose: a word space or a gap beside Latin); and
                                  the report lists no spacing a reader does not see (ideographs
                                  under 0.03 em apart, gaps within their stretch)
  lone TRACE                      no paragraph of two lines or more ends with one ideograph
                                  (and its mark) on its last line
Written apart from paiban's own code: URLs are found here with a regular expression.
Prints what is wrong and exits 1 on failure."""
import json
import re
import subprocess
import sys

URL = re.compile(r"(?:https?://|www\.)[A-Za-z0-9._~:/?#\[\]@!$&'()*+,;=%-]+"
                 r"|[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
TRAIL = ".,;:!?'\")"


def sh(*cmd):
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def corpus_urls(corpus):
    found = []
    for m in URL.finditer(open(corpus, encoding="utf-8").read()):
        u = m.group(0).rstrip(TRAIL)
        found.append(u)
    return found


def outline_titles(pdf):
    d = json.loads(sh("qpdf", "--json", pdf))
    items = []

    def walk(ol):
        for o in ol:
            items.append(o["title"])
            walk(o.get("kids", []))
    walk(d.get("outlines", []))
    return items


def headings(n, report, *pdfs):
    n = int(n)
    found = len(json.load(open(report, encoding="utf-8"))["headings"])
    written = sum(len(outline_titles(p)) - 1 for p in pdfs)  # each PDF's first is its title
    print(f"{found} headings found, {written} bookmarked, {n} in the document")
    return found == n and written == n


def trace_pages(path):
    """Per page its lines, each {y, runs [(font, size)]}; the cover and inside cover (folio 0)
    have none (a title there is not a heading at a foot)."""
    pages, cover = [], False
    for line in open(path, encoding="utf-8"):
        if line.startswith("page "):
            pages.append([])
            cover = " folio 0 " in line
        elif cover:
            continue
        elif line.startswith("  line "):
            pages[-1].append({"y": float(re.search(r"y=([-\d.]+)", line).group(1)), "runs": []})
        elif line.startswith("  run ") and pages and pages[-1]:
            m = re.match(r"  run y=\S+ x=\S+ (\S+) ([\d.]+) ", line)
            pages[-1][-1]["runs"].append((m.group(1), float(m.group(2))))
    return pages


def heading_foot(trace):
    pages = trace_pages(trace)
    ok = True
    for p, lines in enumerate(pages[:-1], 1):
        body = [l for l in lines if l["runs"] and l["runs"][0][1] >= 9]  # heads, folios: 8 pt
        if not body:
            continue
        last = min(body, key=lambda l: l["y"])
        if all("Bold" in f for f, _ in last["runs"]):
            print(f"{trace}: page {p} ends with a heading line")
            ok = False
    return ok


def pdf_text(pdf):
    """The text in drawing order (poppler reorders columns by position and would interleave the
    parallel product's two columns line by line)."""
    import fitz
    with fitz.open(pdf) as d:
        return "".join(page.get_text("text") for page in d)


def urls(corpus, *pdfs):
    text = "".join(pdf_text(p) for p in pdfs).replace("\n", "")
    ok = True
    for u in corpus_urls(corpus):
        if u not in text:
            near = text.find(u[:12])
            print(f"not whole in the PDF text: {u}  (found: {text[near:near + len(u) + 8]!r})")
            ok = False
    print(f"{len(corpus_urls(corpus))} URLs and addresses checked")
    return ok


def links(corpus, *pdfs):
    want = set()
    for u in corpus_urls(corpus):
        want.add(u if "://" in u else ("https://" + u if u.startswith("www.") else "mailto:" + u))
    got = set()
    for p in pdfs:
        d = json.loads(sh("qpdf", "--json=2", p))
        for v in d["qpdf"][1].values():
            v = v.get("value", {}) if isinstance(v, dict) else {}
            if isinstance(v, dict) and v.get("/Subtype") == "/Link":
                got.add(v["/A"]["/URI"].removeprefix("u:"))
    print(f"{len(got)} link targets, {len(want)} in the corpus")
    for u in sorted(want ^ got):
        print(f"  {'missing' if u in want else 'unexpected'}: {u}")
    return got == want


def bullets(trace, corpus=None, layout=None):
    faces, n = {}, 0
    for line in open(trace, encoding="utf-8"):
        m = re.match(r'  deco y=\S+ x=\S+ (\S+) ([\d.]+) "\u2022"', line)
        if m:
            faces.setdefault(m.group(2), set()).add(m.group(1))
            n += 1
    mixed = {size: sorted(f) for size, f in faces.items() if len(f) > 1}
    for size, f in mixed.items():
        print(f"{trace}: bullets at {size} pt drawn in {len(f)} faces: {', '.join(f)}")
    ok = not mixed
    # a list item is a pair: one bullet before its Chinese when the two are stacked, one in
    # each column of the parallel edition (leaflets leave the preamble out: not counted)
    if corpus and layout in ("booklet", "archive", "parallel"):
        items = sum(1 for l in open(corpus, encoding="utf-8") if l.startswith("- ")) // 2
        want = items * (2 if layout == "parallel" else 1)
        if n != want:
            print(f"{trace}: {n} bullets drawn, {want} wanted ({items} list items, {layout})")
            ok = False
    return ok


def is_han(c):
    o = ord(c)
    return 0x3400 <= o <= 0x4DBF or 0x4E00 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0x20000 <= o <= 0x3134F


SEEN_GAP = 0.03       # em: a gap between ideographs a reader sees: normal eyesight resolves one
                      # minute of arc, 0.1 mm at 350 mm, 0.29 pt, 0.03 em of 10 pt text
SPACED_PITCH = 1 + SEEN_GAP + 0.005  # em: a drawn line spaced past it, with the measuring's slack
PITCH_SLACK = 0.01    # em: the report's pitch and the one measured here
KIND_SLACK = 0.02     # em: gaps of two kinds this close are either's to be the widest
LOOSE_SPACE = 0.51    # em: a word space past clreq's half an em, with rounding
LOOSE_GAP = 0.345     # em: a gap between an ideograph and a Latin letter or digit past its
                      # stretch (a quarter em opening to a third), with rounding
LINE_RUBY_EM = 1.5    # a ruby glyph stands within this many ems above its base's baseline
TIGHT_SPACE = 0.17    # em: a word space under two thirds of Noto Serif's 0.26 em space (TeX
                      # lets a space shrink by a third), with rounding and the letters' scale
CONDENSED = 0.995     # the scale of a Chinese line's Latin letters a reader could see


def drawn_lines(page, spaces=False):
    """MuPDF's lines of a page (one per column: it splits at the pen's jumps), each a list of
    (char, x0, x1, y, size) of its visible characters (with spaces: its space characters too,
    such as a typed ideographic space). A glyph drawn with a horizontal scale
    (Tz: paiban stretches the glyph before a gap over it for extractors) reads as size
    s * sqrt(Tz) and width s * Tz: an ideograph's own size is size^2 / width."""
    import fitz
    raw = page.get_text("rawdict", flags=fitz.TEXT_PRESERVE_WHITESPACE | fitz.TEXT_PRESERVE_LIGATURES)
    out = []
    for b in raw["blocks"]:
        for l in b.get("lines", []):
            chars = [(ch["c"], ch["bbox"][0], ch["bbox"][2], ch["origin"][1], s["size"])
                     for s in l["spans"] for ch in s["chars"] if spaces or not ch["c"].isspace()]
            if chars:
                out.append(chars)
    return out


def han_latin_gap(a, b):
    """em: the gap between an ideograph and a Latin letter or digit beside it, from where the
    second starts and where the first's advance ends. The glyph before a gap is drawn stretched
    over it (drawn_lines), so its own advance is worked out: an ideograph's is its own size (an
    em); a Latin glyph's is its width over the stretch, (size / own size)^2, the own size being
    its ideograph neighbour's."""
    han = a if is_han(a[0]) else b
    em = han[4] ** 2 / (han[2] - han[1])
    if a is han:
        advance = em
    else:
        advance = (a[2] - a[1]) / (a[4] / em) ** 2
    return (b[1] - (a[1] + advance)) / em


def spacing(report, *pdfs):
    import fitz
    import os
    import statistics
    issues = json.load(open(report, encoding="utf-8"))["issues"]
    ok = True
    for pdf in pdfs:
        listed = [i for i in issues if os.path.basename(i["output"]) == os.path.basename(pdf)
                  and i["kind"] in ("letter-spaced line", "loose line", "tight line")]
        for pno, page in enumerate(fitz.open(pdf)):
            lines = drawn_lines(page)
            # the gaps between an ideograph and a Latin letter or digit drawn side by side
            # (not across a typed space), by line: MuPDF's lines with spaces and without
            # them come in the same order
            han_latin = {}
            typed = set()  # (char, right edge) of each glyph a run of typed spaces follows
            for l in drawn_lines(page, spaces=True):
                run, prev = 0, None
                for a, b in zip(l, l[1:]):
                    if not a[0].isspace():
                        prev = (a[0], round(a[2], 2))
                    run = run + 1 if b[0].isspace() else 0
                    # a gap the author typed (a form's "Name:    ID", drawn as an em space
                    # U+2003): two spaces or more, or one wider than a word space
                    if run == 2 or (run == 1 and b[0] != " "):
                        typed.add(prev)
                text = "".join(c[0] for c in l if not c[0].isspace())
                han_latin[text] = max([han_latin_gap(a, b) for a, b in zip(l, l[1:])
                                       if (is_han(a[0]) and b[0].isascii() and b[0].isalnum())
                                       or (a[0].isascii() and a[0].isalnum() and is_han(b[0]))]
                                      + [han_latin.get(text, 0)])
            rubies = [c for l in lines for c in l if c[0].isascii() and c[4] < 0.75 * max(x[4] for x in l)]
            found = []
            for l in lines:
                body = max(c[4] for c in l)
                rubied = lambda c: any(r[1] < c[2] and r[2] > c[1] and 0 < c[3] - r[3] < LINE_RUBY_EM * body
                                       for r in rubies)
                pitch = [(b[1] - a[1]) / (a[4] ** 2 / (a[2] - a[1])) for a, b in zip(l, l[1:])
                         if is_han(a[0]) and is_han(b[0]) and a[2] > a[1] and not rubied(a) and not rubied(b)]
                text = "".join(c[0] for c in l)
                # the gaps a reader sees, by kind: the report names the line by its widest
                gaps = {}
                if pitch and statistics.median(pitch) > SPACED_PITCH:
                    gaps["letter-spaced line"] = statistics.median(pitch) - 1
                if han_latin.get(text, 0) > LOOSE_GAP:
                    gaps["loose line"] = han_latin[text]
                if gaps:
                    widest = max(gaps.values())
                    kinds = {k for k, v in gaps.items() if v >= widest - KIND_SLACK}
                    # the value: the pitch of a letter-spaced line, else its widest gap
                    found.append((kinds, widest + ("letter-spaced line" in kinds), text))
                    continue
                # a Chinese line's Latin letters drawn narrower: each one's scale from its size
                # and its line's ideographs' own (the glyph before a gap, stretched over it,
                # reads wider: the median)
                own = [c[4] ** 2 / (c[2] - c[1]) for c in l if is_han(c[0]) and c[2] > c[1]]
                letters = [c for c in l if c[0].isascii() and c[0].isalnum()]
                if own and letters:
                    em = statistics.median(own)
                    scale = statistics.median([(c[4] / em) ** 2 for c in letters])
                    if scale < CONDENSED:
                        found.append(("tight line", scale, text))
                        continue
                latin = [c for c in l if c[0].isascii()]
                if len(latin) > 0.8 * len(l):
                    gaps = [(b[1] - a[2]) / a[4] for a, b in zip(l, l[1:]) if b[1] - a[2] > 0.12 * a[4]
                            and (a[0], round(a[2], 2)) not in typed]
                    if gaps and max(gaps) > LOOSE_SPACE:
                        found.append(({"loose line"}, max(gaps), text))
                    spaces = [(b[1] - a[2]) / a[4] for a, b in zip(l, l[1:])
                              if b[1] - a[2] > 0.12 * a[4] and a[0].isascii() and b[0].isascii()]
                    if spaces and min(spaces) < TIGHT_SPACE:
                        found.append(("tight line", min(spaces), text))
            here = [i for i in listed if i["page"] == pno + 1]
            for kinds, value, text in found:
                kinds = {kinds} if isinstance(kinds, str) else kinds
                match = [i for i in here if i["kind"] in kinds and
                         (i["kind"] != "letter-spaced line" or abs(i["value"] - value) <= PITCH_SLACK)]
                if match:
                    here.remove(match[0])
                else:
                    print(f"{pdf} page {pno + 1}: {' or '.join(sorted(kinds))} ({value:.3f} em) "
                          f"not in the report: {text}")
                    ok = False
    # nothing listed that a reader does not see: ideographs closer than SEEN_GAP, a loose line
    # whose widest gap is within a Han-Latin gap's stretch (a quarter em to a third)
    for i in issues:
        if (i["kind"] == "letter-spaced line" and i["value"] < 1 + SEEN_GAP - 0.0005) or \
           (i["kind"] == "loose line" and i["value"] < 1 / 3):
            print(f"{i['output']} page {i['page']}: the report lists a {i['kind']} at "
                  f"{i['value']:.3f} em, which a reader does not see (line {i['line']})")
            ok = False
    return ok


# A line reaches past its measure when what it sets does by more than TeX's \hfuzz (0.1 pt, The
# TeXbook ch. 12, the composer's own) and the trace's rounding (0.01 pt in each of three numbers).
MEASURE_FUZZ = 0.1 + 0.03
TRACE_LINE = re.compile(r"  line y=\S+ x=(\S+) width=\S+ ratio=\S+(?: src=(\d+))? measure=(\S+)")
TRACE_RUN = re.compile(r'  run y=\S+ x=([-\d.]+)\.\.([-\d.]+) (\S+) ([\d.]+) (?:scale=([\d.]+) )?"(.*)"$')
FACES, FILES = {}, {}


def face(psname):
    """(font, glyph set, cmap, units per em) of the font with this PostScript name as fontconfig
    finds it (None: not found): the trace names a run's font so."""
    if not FILES:
        for line in sh("fc-list", ":", "postscriptname", "file", "index").splitlines():
            m = re.match(r"(.*): :index=(\d+):postscriptname=(\S+)$", line)
            if m:
                FILES.setdefault(m.group(3), (m.group(1), int(m.group(2))))
    if psname not in FACES and psname in FILES:
        from fontTools.ttLib import TTFont
        font = TTFont(FILES[psname][0], fontNumber=FILES[psname][1], lazy=True)
        FACES[psname] = (font, font.getGlyphSet(), font.getBestCmap(), font["head"].unitsPerEm)
    return FACES.get(psname)


def mark_ink(psname, c):
    """(xMin, xMax) of a full-width mark's ink in ems of its face, None for any other character:
    a full-width mark's blank is space the composer may take (clreq
    #punctuation_width_adjustment, 2024-03-21: a line-end mark set half width, an opening
    bracket's blank dropped at a line start), so the mark is measured by its ink there; a
    letter is measured by its advance, as TeX's boxes are (an f's hook may pass it)."""
    import unicodedata
    from fontTools.pens.boundsPen import BoundsPen
    f = face(psname) if unicodedata.category(c).startswith("P") else None
    if not f or ord(c) not in f[2]:
        return None
    font, glyphs, cmap, upem = f
    g = cmap[ord(c)]
    if font["hmtx"][g][0] != upem:
        return None  # not a full-width mark
    pen = BoundsPen(glyphs)
    glyphs[g].draw(pen)
    x0, _, x1, _ = pen.bounds or (0, 0, 0, 0)
    return x0 / upem, x1 / upem


def trace_lines(trace):
    """The text lines of a trace with a measure: (document, page, source line, x, measure, runs
    (x0, x1, font, size, scale, text)); a leaflet series' trace holds its leaflets one after the
    other, each from its page 1."""
    doc, page, out, take = -1, 0, [], False
    for line in open(trace, encoding="utf-8"):
        if line.startswith("page "):
            page = int(line.split()[1])
            doc += page == 1
            take = False
            continue
        if line.startswith("  line "):  # a running head or folio has no measure: not taken
            m = TRACE_LINE.match(line)
            take = bool(m)
            if m:
                out.append((doc, page, int(m.group(2) or 0), float(m.group(1)), float(m.group(3)), []))
            continue
        m = TRACE_RUN.match(line.rstrip("\n"))
        if m and take and line.startswith("  run "):
            text = m.group(6).replace('\\"', '"').replace("\\\\", "\\")  # trace.c's escapes
            out[-1][5].append((float(m.group(1)), float(m.group(2)), m.group(3), float(m.group(4)),
                               float(m.group(5) or 1), text))
    return out


def lone(trace):
    """No paragraph of two lines or more ends with a line of one ideograph, with or without its
    mark (clreq #adjustments_of_orphans_and_widows); a paragraph that is one ideograph (an
    answer, 是。) is no such line: it has nothing above it to take it."""
    paras = {}
    for doc, page, src, x, measure, runs in trace_lines(trace):
        if src:
            paras.setdefault((doc, src), []).append((page, runs))
    ok = True
    for (doc, src), lines in paras.items():
        page, runs = lines[-1]
        body = max((r[3] for r in runs), default=0)
        text = "".join(r[5] for r in runs if r[3] >= 0.75 * body)  # not a ruby's
        if len(lines) > 1 and sum(map(is_han, text)) == 1 and not any(c.isalnum() and c.isascii() for c in text):
            print(f"{trace}: page {page}: source line {src} ends with one ideograph: {text}")
            ok = False
    return ok


def line_extent(runs):
    """pt: where a line's first glyph starts and its last ends, a full-width mark by its ink."""
    first, last = min(runs, key=lambda r: r[0]), max(runs, key=lambda r: r[1])
    left, right = first[0], last[1]
    ink = mark_ink(first[2], first[5][0]) if first[5] else None
    if ink:
        left = first[0] + ink[0] * first[3] * first[4]
    text = last[5].rstrip()
    ink = mark_ink(last[2], text[-1]) if text else None
    if ink:
        right = last[1] - (1 - ink[1]) * last[3] * last[4]
    return left, right


def measure(trace, report, stderr, n="0"):
    import os
    r = json.load(open(report, encoding="utf-8"))
    outputs = [os.path.basename(o["file"]) for o in r["outputs"]]
    named = {(os.path.basename(i["output"]), i["page"], i["line"]) for i in r["issues"]
             if i["kind"] == "overfull line"}
    warned = open(stderr, encoding="utf-8", errors="replace").read()
    lines, past, ok = trace_lines(trace), 0, True
    for doc, page, src, x, width, runs in lines:
        if not runs:
            continue
        left, right = line_extent(runs)
        over = max(right - (x + width), x - left)
        if over <= MEASURE_FUZZ:
            continue
        past += 1
        where = f"{outputs[doc] if doc < len(outputs) else '?'} page {page}, line {src}"
        text = "".join(r[5] for r in runs)
        if (outputs[doc] if doc < len(outputs) else None, page, src) not in named:
            print(f"{where}: {over:.2f} pt past its measure, not in the report: {text}")
            ok = False
        if not re.search(rf":{src}(:\d+)?: warning: (line|\d+ lines) overfull", warned):
            print(f"{where}: {over:.2f} pt past its measure, no warning at its line: {text}")
            ok = False
    print(f"{len(lines)} lines, {past} past their measure ({n} expected)")
    return ok and past == int(n)


if __name__ == "__main__":
    ok = {"headings": headings, "heading-foot": heading_foot, "urls": urls,
          "links": links, "bullets": bullets, "spacing": spacing, "measure": measure, "lone": lone}[sys.argv[1]](*sys.argv[2:])
    sys.exit(0 if ok else 1)
