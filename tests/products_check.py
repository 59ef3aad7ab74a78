#!/usr/bin/python3
"""products_check.py CHECK ARGS...: checks of the products that need more than a shell line.
  bookmarks PDF              >= 6 outline entries, each with a Chinese and an English title
  imposed BOOKLET IMPOSED    each sheet side holds the booklet's pages in saddle-stitch order
  leaflet PDF CORPUS K       leaflet K shows heading K (both languages) and no other heading
  level TRACE                parallel: each pair's first lines share a baseline
  heading-foot TRACE...      no heading line is the last text line of a page
  ruby PDF CORPUS            one RT sequence (ActualText) per body annotation: the pinyin, in order
  expansion LIMIT TRACE...   font expansion within 1 +- LIMIT, one scale per line, English only
Prints what is wrong and exits 1 on failure."""
import json
import re
import subprocess
import sys

BODY_SIZES = (10.0, 10.5)  # layouts/parallel.ini [text] size and size-en
HAN = re.compile(r"[\u3400-\u9fff]")
LATIN = re.compile(r"[A-Za-z]")


def sh(*cmd):
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def squash(s):
    return re.sub(r"\s+", "", s)


def bookmarks(pdf):
    d = json.loads(sh("qpdf", "--json", pdf))
    items = []
    def walk(ol):
        for o in ol:
            items.append(o["title"])
            walk(o.get("kids", []))
    walk(d.get("outlines", []))
    bad = [t for t in items if not (HAN.search(t) and LATIN.search(t))]
    print(f"{len(items)} bookmarks")
    for t in items:
        print("  " + t[:70])
    return len(items) >= 6 and not bad


def pages_of(pdf):
    return int(re.search(r"Pages:\s+(\d+)", sh("pdfinfo", pdf)).group(1))


def imposed(booklet, imposed_pdf):
    n = pages_of(booklet)
    padded = (n + 3) // 4 * 4
    sides = pages_of(imposed_pdf)
    if sides != padded // 2:
        print(f"{sides} sheet sides for {n} pages, expected {padded // 2}")
        return False
    info = sh("pdfinfo", "-f", "1", "-l", "1", imposed_pdf)
    w, h = map(float, re.search(r"Page\s+1 size:\s+([\d.]+) x ([\d.]+)", info).groups())
    ok = w > h
    for side in range(sides):
        s = side // 2
        pair = (padded - 2 * s, 1 + 2 * s) if side % 2 == 0 else (2 + 2 * s, padded - 1 - 2 * s)
        for half, page in enumerate(pair):
            got = squash(sh("pdftotext", "-f", str(side + 1), "-l", str(side + 1), "-x",
                            str(int(half * w / 2)), "-y", "0", "-W", str(int(w / 2)), "-H",
                            str(int(h) + 1), imposed_pdf, "-"))
            want = squash(sh("pdftotext", "-f", str(page), "-l", str(page), booklet, "-")) \
                if page <= n else ""
            if got != want:
                print(f"side {side + 1} {'left' if half == 0 else 'right'}: expected page {page}")
                ok = False
    print(f"{sides} sides in saddle-stitch order for {n} pages")
    return ok


def leaflet(pdf, corpus, k):
    lines = open(corpus, encoding="utf-8").read().splitlines()
    heads_zh = [l for l in lines if re.match(r"^[一二三四五六七八九十]+、", l)]
    heads_en = [l for l in lines if re.match(r"^[IVX]+\. ", l)]
    text = squash(sh("pdftotext", pdf, "-"))
    strip = lambda s: squash(re.sub(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)", "", s)).replace(",", "，")
    k = int(k)
    ok = True
    for i, (z, e) in enumerate(zip(heads_zh, heads_en), 1):
        # the English heading may be hyphenated across lines: compare its first words
        has = strip(z)[:8] in text and squash(e)[:24] in text.replace("-", "")
        if (i == k) != has:
            print(f"heading {i} {'missing from' if i == k else 'found in'} leaflet {k}")
            ok = False
    return ok


def trace_pages(path):
    pages, cur = [], None
    for line in open(path, encoding="utf-8"):
        if line.startswith("page "):
            m = re.match(r"page \d+ size ([\d.]+) x ([\d.]+) folio (\d+)", line)
            cur = {"h": float(m.group(2)), "folio": int(m.group(3)), "lines": []}
            pages.append(cur)
        elif line.startswith("  line "):
            y, x = re.search(r"y=([-\d.]+) x=([-\d.]+)", line).groups()
            cur["lines"].append({"y": float(y), "x": float(x), "runs": []})
        elif line.startswith("  run ") and cur["lines"]:
            m = re.match(r"  run y=([-\d.]+) x=([-\d.]+)\.\.([-\d.]+) (\S+) ([\d.]+)", line)
            cur["lines"][-1]["runs"].append({"x": float(m.group(2)), "font": m.group(4),
                                             "size": float(m.group(5))})
    return pages


def level(trace):
    """A paragraph start is a line whose first run is indented; in each page the left and the
    right column must start paragraphs on the same baselines."""
    ok, n = True, 0
    for p, page in enumerate(trace_pages(trace), 1):
        xs = sorted({round(l["x"]) for l in page["lines"]
                     if l["runs"] and l["runs"][0]["size"] in BODY_SIZES})
        if len(xs) < 2:
            continue
        left, right = xs[0], xs[-1]
        starts = {left: set(), right: set()}
        body = [l for l in page["lines"] if l["runs"] and l["runs"][0]["size"] in BODY_SIZES]
        for l in body:
            if l["runs"][0]["x"] > l["x"] + 1 and round(l["x"]) in starts:
                starts[round(l["x"])].add(round(l["y"], 2))
        n += len(starts[left])
        if starts[left] != starts[right]:
            print(f"page {p}: left starts {sorted(starts[left])}, right {sorted(starts[right])}")
            ok = False
    print(f"{n} pairs start level")
    return ok and n > 0


def heading_foot(*traces):
    ok = True
    for t in traces:
        for p, page in enumerate(trace_pages(t), 1):
            body = [l for l in page["lines"] if l["runs"] and l["runs"][0]["size"] >= 9]
            if not body or page["folio"] == 0:
                continue  # the cover and the inside cover
            last = min(body, key=lambda l: l["y"])
            if "Bold" in last["runs"][0]["font"] and p < len(trace_pages(t)):
                print(f"{t}: page {p} ends with a heading line")
                ok = False
    return ok


# 字(pīn) in the corpus: a Han character, then its pinyin in parentheses.
ANNOTATION = re.compile(r"[\u3400-\u9fff]\(([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+)\)")
HEADING_ZH = re.compile(r"[一二三四五六七八九十]+、")
SPAN = re.compile(rb"/RT <</MCID [0-9]+ /ActualText <FEFF([0-9A-Fa-f]*)>>> BDC")


def ruby(pdf, corpus):
    import pikepdf
    # the title (the first line) and the headings (一、 …) carry no ruby: [ruby] display = no
    lines = open(corpus, encoding="utf-8").read().split("\n")
    want = [a for k, l in enumerate(lines) if k > 0 and not HEADING_ZH.match(l)
            for a in ANNOTATION.findall(l)]
    got = []
    with pikepdf.open(pdf) as doc:
        for page in doc.pages:
            data = b"".join(c.read_bytes() for c in page.Contents) \
                if isinstance(page.Contents, pikepdf.Array) else page.Contents.read_bytes()
            got += [bytes.fromhex(h.decode()).decode("utf-16-be") for h in SPAN.findall(data)]
    print(f"{len(got)} ruby spans, {len(want)} annotations in the corpus")
    for i, (g, w) in enumerate(zip(got, want)):
        if g != w:
            print(f"  span {i + 1}: {g!r}, corpus {w!r}")
            return False
    return len(got) == len(want) > 0


SCALE = re.compile(r" scale=([0-9.]+) ")


def expansion(limit, *traces):
    """Expanded runs: Latin fonts only, within the limit, all runs of a line alike; and some
    line is expanded at all (the layouts ask for it)."""
    limit = float(limit)
    seen = 0
    ok = True
    for t in traces:
        line_scales = set()
        for raw in open(t, encoding="utf-8"):
            if raw.startswith("  line "):
                line_scales = set()
            m = SCALE.search(raw)
            if not raw.startswith("  run ") or not m:
                continue
            v = float(m.group(1))
            seen += 1
            if "CJK" in raw or abs(v - 1) > limit + 1e-4:
                print(f"{t}: {raw.strip()[:100]}")
                ok = False
            line_scales.add(v)
            if len(line_scales) > 1:
                print(f"{t}: two scales on one line: {sorted(line_scales)}")
                ok = False
    print(f"{seen} expanded runs")
    return ok and seen > 0


def main(argv):
    checks = {"bookmarks": bookmarks, "imposed": imposed, "leaflet": leaflet, "level": level,
              "heading-foot": heading_foot, "ruby": ruby, "expansion": expansion}
    if len(argv) < 3 or argv[1] not in checks:
        print(__doc__)
        return 2
    return 0 if checks[argv[1]](*argv[2:]) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
