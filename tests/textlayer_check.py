#!/usr/bin/python3
"""textlayer_check.py PAIBAN TMPDIR CHECK [ARG]: the text layer says what the corpus says.
  char HEX    one invisible or format character (U+HEX) in the English title and before the first
              space of a paragraph: pdftotext and PyMuPDF extract the paragraph as the corpus has it
              (a dropped character gone, U+FEFF as U+2060), every space as U+0020 (the space
              glyph's ToUnicode is U+0020 in every font), the title metadata (Info /Title,
              bookmarks, XMP dc:title) carries no invisible or format character, and the report
              lists the character with its line, column and what was done with it
  shy-break   tests/golden/soft-hyphen.txt: a line ends at a soft hyphen: the hyphen is drawn,
              pdftotext and PyMuPDF extract U+00AD there, and the words join again
  corpus FILE a corpus set as a booklet: the ActualText spans nest and each holds text of the
              corpus (as set: pinyin aside, bidi marks dropped, U+FEFF as U+2060)
  lines FILE  the same, and pdftotext extracts every line of the corpus in order (spaces and
              line ends aside; for a corpus with no ASCII punctuation in Chinese lines)
  line-end    tests/golden/narrow.txt, whose lines end with marks set half width (their blank
              compressed): PyMuPDF reads no character past the text block's right edge (a
              mark's full advance there reads as a mark hanging in the margin)
  brackets FILE  a corpus whose closing brackets and quotes are followed by marks (（AI）：,
              ）、, ）。, 」、), set with FILE's .ini beside it or as a booklet: pdftotext, PyMuPDF
              and pdf.js read each such pair on one line, and no line they read begins with a
              mark that may not begin one (the compressed pair's overlap read as a new line)
Prints what is wrong and exits 1 on failure, 0 on success, 2 on bad usage.
Needs Debian's poppler-utils, python3-fitz, python3-pikepdf and python3-fonttools."""
import json
import os
import re
import subprocess
import sys
import unicodedata

import fitz
import pikepdf
from fontTools.ttLib import TTFont

# What paiban does with each character in left-to-right text (None: dropped).
KEPT = {0x00AD: 0x00AD, 0x200B: 0x200B, 0x200C: 0x200C, 0x200D: 0x200D, 0x2060: 0x2060,
        0x200E: None, 0x200F: None, 0xFEFF: 0x2060, 0x061C: None}
PARA = "One{x}two three four five six."
TITLE_EN = "Invisible{x}title"


def invisible(c):
    """Default_Ignorable_Code_Point or format (Cf): what metadata must not carry."""
    o = ord(c)
    return (unicodedata.category(c) == "Cf" or o == 0x034F or 0x115F <= o <= 0x1160 or
            0x17B4 <= o <= 0x17B5 or 0x180B <= o <= 0x180F or 0xFE00 <= o <= 0xFE0F or
            o in (0x3164, 0xFFA0) or 0xE0000 <= o <= 0xE0FFF)


def run(*cmd):
    return subprocess.run(cmd, capture_output=True, text=True, check=False)


def pdftotext(pdf):
    return run("pdftotext", "-enc", "UTF-8", pdf, "-").stdout


def mupdf_text(pdf):
    with fitz.open(pdf) as d:
        return "".join(p.get_text() for p in d)


def space_maps_to_space(pdf, msgs):
    """Every embedded font whose original face maps U+0020 to a glyph: that glyph's CID (= the
    original glyph id) has ToUnicode U+0020."""
    with pikepdf.open(pdf) as p:
        seen = set()
        for page in p.pages:
            for _, f in page.Resources.get("/Font", {}).items():
                if f.objgen in seen or "/ToUnicode" not in f:
                    continue
                seen.add(f.objgen)
                base = str(f.BaseFont).split("+", 1)[-1]
                cmap = f.ToUnicode.read_bytes().decode("latin-1")
                tu = {}
                for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
                    for cid, uni in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
                        tu[int(cid, 16)] = bytes.fromhex(uni).decode("utf-16-be")
                gid = space_gid(base)
                if gid is not None and gid in tu and tu[gid] != " ":
                    msgs.append(f"{pdf}: {base}: the space glyph {gid} extracts as "
                                f"{ascii(tu[gid])}, not U+0020")


FACES = {}


def space_gid(psname):
    if not FACES:
        for fam in ("Noto Serif", "Noto Serif:bold", "Noto Serif CJK TC", "Noto Serif CJK TC:bold"):
            spec = run("fc-match", "-f", "%{file}\t%{index}", fam).stdout.split("\t")
            font = TTFont(spec[0], fontNumber=int(spec[1]), lazy=True)
            name = font["name"].getDebugName(6)
            FACES[name] = font.getGlyphID(font.getBestCmap()[0x20])
    return FACES.get(psname)


def metadata_titles(pdf):
    """Info /Title, every bookmark title and the XMP dc:title values."""
    out = []
    with pikepdf.open(pdf) as p:
        if "/Title" in p.docinfo:
            out.append(("/Title", str(p.docinfo.Title)))
        with p.open_outline() as ol:
            stack = list(ol.root)
            while stack:
                o = stack.pop()
                out.append(("bookmark", o.title))
                stack.extend(o.children)
        if "/Metadata" in p.Root:
            xmp = p.Root.Metadata.read_bytes().decode("utf-8")
            for t in re.findall(r"<rdf:li[^>]*>(.*?)</rdf:li>", xmp, re.S):
                out.append(("XMP", t))
    return out


def check_char(pb, tmp, hexcp):
    cp = int(hexcp, 16)
    x = chr(cp)
    kept = KEPT[cp]
    want_x = chr(kept) if kept is not None else ""
    d = os.path.join(tmp, f"char-{hexcp}")
    os.makedirs(d, exist_ok=True)
    corpus = os.path.join(d, "c.txt")
    with open(corpus, "w", encoding="utf-8") as f:
        f.write(f"標題\n{TITLE_EN.format(x=x)}\n第一段中文。\n{PARA.format(x=x)}\n")
    booklet, archive = os.path.join(d, "booklet.pdf"), os.path.join(d, "archive.pdf")
    r = run(pb, "--report=json", "--layout", "layouts/booklet.ini", "-o", booklet,
            "--layout", "layouts/archive.ini", "-o", archive, corpus)
    if r.returncode != 0:
        return [f"exit {r.returncode}: {r.stderr.strip()}"]
    msgs = []
    for tool, text in (("pdftotext", pdftotext(booklet)), ("PyMuPDF", mupdf_text(booklet)),
                       ("pdftotext (archive)", pdftotext(archive))):
        want_para = PARA.format(x=want_x)
        want_title = TITLE_EN.format(x=want_x)
        if tool == "PyMuPDF" and want_para not in text:
            # MuPDF before 1.23 reads no ActualText: the glyphs' own text, where the invisible
            # character has no glyph (never another character, never in the spaces)
            want_para, want_title = PARA.format(x=""), TITLE_EN.format(x="")
        if want_para not in text:
            i = text.find("One")
            msgs.append(f"{tool}: the paragraph is {ascii(text[i:i + 40])}, "
                        f"expected {ascii(want_para)}")
        titles = text.count(want_title)
        if not titles:
            msgs.append(f"{tool}: no {ascii(want_title)} in the text")
        if x != want_x and x in text:
            msgs.append(f"{tool}: U+{cp:04X} is in the text although it was "
                        f"{'dropped' if kept is None else 'replaced'}")
        n = text.count(want_x) if want_x else 0
        if want_x and n and n != titles + 1:
            msgs.append(f"{tool}: U+{ord(want_x):04X} extracted {n} times, expected "
                        f"{titles + 1} (the title {titles} times, the paragraph once)")
    for pdf in (booklet, archive):
        space_maps_to_space(pdf, msgs)
        for where, t in metadata_titles(pdf):
            bad = [f"U+{ord(c):04X}" for c in t if invisible(c)]
            if bad:
                msgs.append(f"{os.path.basename(pdf)}: {where} {ascii(t)} carries {', '.join(bad)}")
    with open(os.path.join(d, "booklet.report.json"), encoding="utf-8") as f:
        rep = json.load(f)
    inv = {(e["line"], e["col"]): e for e in rep.get("invisibles", [])}
    for line, col in ((2, 10), (4, 4)):
        e = inv.get((line, col))
        if not e or e.get("code") != f"U+{cp:04X}" or not e.get("name") or not e.get("action"):
            msgs.append(f"report: no entry for U+{cp:04X} at {line}:{col} "
                        f"(invisibles: {rep.get('invisibles')})")
        elif e["action"] != ("dropped" if kept is None else "kept" if kept == cp else "replaced"):
            msgs.append(f"report: U+{cp:04X} at {line}:{col} is {e['action']}")
    if len(inv) != 2:
        msgs.append(f"report: {len(inv)} invisible characters listed, expected 2")
    print(f"U+{cp:04X}: paragraph {ascii(PARA.format(x=want_x))}")
    return msgs


def check_shy_break(pb, tmp):
    d = os.path.join(tmp, "shy")
    os.makedirs(d, exist_ok=True)
    pdf = os.path.join(d, "shy.pdf")
    r = run(pb, "--layout", "tests/golden/soft-hyphen.ini", "-o", pdf, "tests/golden/soft-hyphen.txt")
    if r.returncode != 0:
        return [f"exit {r.returncode}: {r.stderr.strip()}"]
    corpus = open("tests/golden/soft-hyphen.txt", encoding="utf-8").read()
    words = re.findall(r"[A-Za-z\u00ad]+", corpus.split("\n")[3])
    shy_words = {w for w in words if "\u00ad" in w}
    msgs = []
    for tool, text in (("pdftotext", pdftotext(pdf)), ("PyMuPDF", mupdf_text(pdf))):
        # pdftotext reads the ActualText U+00AD; MuPDF before 1.23 reads the hyphen glyph
        mark = "\u00ad" if tool == "pdftotext" or "\u00ad\n" in text else "-"
        breaks = re.findall(r"([A-Za-z\u00ad]+)" + mark + r"[ \t]*\n\s*([A-Za-z\u00ad]+)", text)
        if not breaks:
            msgs.append(f"{tool}: no line ends at a soft hyphen")
        for a, b in breaks:
            if (a + "\u00ad" + b).replace("\u00ad", "") not in [w.replace("\u00ad", "") for w in shy_words]:
                msgs.append(f"{tool}: {ascii(a)} / {ascii(b)} is no word of the corpus")
        joined = re.sub(mark + r"[ \t]*\n\s*", "\u00ad", text)
        if mark == "-":
            joined = joined.replace("\u00ad", "")
        got = re.findall(r"[A-Za-z\u00ad]+", joined)
        missing = [w for w in shy_words if (w if mark != "-" else w.replace("\u00ad", "")) not in got]
        if missing:
            msgs.append(f"{tool}: words lost: {[ascii(w) for w in missing]}")
        print(f"{tool}: {len(breaks)} line(s) end at a soft hyphen ({ascii(mark)} extracted)")
    return msgs


PINYIN_RE = re.compile(r"(?<=[\u3400-\u9fff])\([a-z\u00e0-\u01dc\u1e3f]+\)")


def normalised(text):
    """The corpus as paiban sets it: bidi marks dropped, U+FEFF inside text as U+2060."""
    return re.sub("[\u200e\u200f\u061c]", "", text.lstrip("\ufeff")).replace("\ufeff", "\u2060")


def check_corpus(pb, tmp, path, lines):
    """The booklet of a corpus: its ActualText spans nest and hold corpus text only."""
    pdf = os.path.join(tmp, os.path.basename(path) + ".pdf")
    r = run(pb, "--layout", "layouts/booklet.ini", "-o", pdf, path)
    if r.returncode != 0:
        return [f"exit {r.returncode}: {r.stderr.strip()}"]
    annotated = normalised(open(path, encoding="utf-8").read())
    corpus = PINYIN_RE.sub("", annotated) # the running text: pinyin lifted out (ruby spans hold it)
    msgs = []
    spans = 0
    with pikepdf.open(pdf) as p:
        for n, page in enumerate(p.pages, 1):
            depth = 0
            for operands, op in pikepdf.parse_content_stream(page):
                if str(op) in ("BDC", "BMC"):
                    depth += 1
                    if str(op) == "BDC" and "/ActualText" in operands[1]:
                        spans += 1
                        t = str(operands[1].ActualText)
                        if t not in corpus and t not in annotated:
                            msgs.append(f"page {n}: ActualText {ascii(t)} is not in the corpus")
                elif str(op) == "EMC":
                    depth -= 1
                    if depth < 0:
                        msgs.append(f"page {n}: EMC without BDC")
            if depth:
                msgs.append(f"page {n}: {depth} marked-content sequence(s) left open")
    text = re.sub(r"\s+", "", re.sub(r"-\n", "", pdftotext(pdf)))
    at = 0
    for line in corpus.split("\n") if lines else []:
        want = re.sub(r"\s+", "", line)
        k = text.find(want, at)
        if k < 0:
            msgs.append(f"pdftotext: line {ascii(line[:40])}... not found in order")
        else:
            at = k + len(want)
    print(f"{spans} ActualText spans")
    return msgs


def check_line_end(pb, tmp):
    pdf = os.path.join(tmp, "line-end.pdf")
    args = ("--layout", "tests/golden/narrow.ini", "tests/golden/narrow.txt")
    r = run(pb, "-o", pdf, *args)
    t = run(pb, "--trace", *args)
    if r.returncode != 0 or t.returncode != 0:
        return [f"exit {r.returncode or t.returncode}: {(r.stderr or t.stderr).strip()}"]
    edge = max(float(m.group(1)) + float(m.group(2))
               for m in re.finditer(r"^  line y=\S+ x=(\S+) width=(\S+)", t.stdout, re.M))
    msgs, marks = [], 0
    for n, page in enumerate(fitz.open(pdf), 1):
        lines = {}
        for b in page.get_text("rawdict")["blocks"]:
            for ln in b.get("lines", []):
                for sp in ln["spans"]:
                    for ch in sp["chars"]:
                        lines.setdefault(round(ch["origin"][1], 1), []).append(ch)
        for y, chars in lines.items():
            last = max(chars, key=lambda ch: ch["bbox"][2])
            marks += last["c"] in "，。、；：」』）"
            if last["bbox"][2] > edge + 0.5:
                msgs.append(f"page {n} y={y}: {ascii(last['c'])} ends at {last['bbox'][2]:.2f}, "
                            f"past the edge {edge:.2f}")
    if not marks:
        msgs.append("no line ends with a full-width mark: the case is gone")
    print(f"{marks} line(s) end with a full-width mark")
    return msgs


# Marks that may not begin a line (clreq #prohibition_rules_for_line_start_and_end): a line of
# extracted text that begins with one was begun by the reader, not by the layout.
NOT_AT_START = "，。、；：！？）」』》〉】”’"
# A closing bracket or quote followed by another mark: a pair whose blank one of them gives up.
PAIR_RE = re.compile("[）」』》〉】”’][，。、；：！？）」』》〉】“‘（「『《〈【]")


def pdfjs_text(pdf):
    r = run("node", "tests/pdfjs_text.mjs", pdf)
    return r.stdout if r.returncode == 0 else None


def check_brackets(pb, tmp, path):
    pdf = os.path.join(tmp, os.path.basename(path) + ".pdf")
    layout = path[:-len(".txt")] + ".ini"
    if not os.path.exists(layout):
        layout = "layouts/booklet.ini"
    r = run(pb, "--layout", layout, "-o", pdf, path)
    if r.returncode != 0:
        return [f"exit {r.returncode}: {r.stderr.strip()}"]
    pairs = sorted(set(PAIR_RE.findall(open(path, encoding="utf-8").read())))
    if not pairs:
        return ["no closing bracket followed by a mark in the corpus: the case is gone"]
    msgs = []
    for tool, text in (("pdftotext", pdftotext(pdf)), ("MuPDF", mupdf_text(pdf)),
                       ("pdf.js", pdfjs_text(pdf))):
        if text is None:
            msgs.append(f"{tool}: no text")
            continue
        for line in text.splitlines():
            if line[:1] and line[0] in NOT_AT_START:
                msgs.append(f"{tool}: a line begins with {line[0]}: {line[:20]!r}")
        for pair in pairs:
            if pair not in text:
                msgs.append(f"{tool}: {pair!r} is not read on one line")
    print(f"{len(pairs)} kinds of pair: {' '.join(pairs)}")
    return msgs


def main(argv):
    if len(argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    pb, tmp, what = argv[1], argv[2], argv[3]
    if what == "char" and len(argv) == 5:
        msgs = check_char(pb, tmp, argv[4])
    elif what == "shy-break":
        msgs = check_shy_break(pb, tmp)
    elif what == "line-end":
        msgs = check_line_end(pb, tmp)
    elif what == "brackets" and len(argv) == 5:
        msgs = check_brackets(pb, tmp, argv[4])
    elif what in ("corpus", "lines") and len(argv) == 5:
        msgs = check_corpus(pb, tmp, argv[4], what == "lines")
    else:
        print(__doc__, file=sys.stderr)
        return 2
    for m in msgs:
        print(m)
    return 1 if msgs else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
