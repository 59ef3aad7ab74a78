#!/usr/bin/env python3
"""print_check.py CHECK ARGS...: the print products, read with pikepdf and PyMuPDF (fitz),
written apart from paiban's code. Prints what it found, and what is wrong; exits 1 on failure.

  booklet BOOKLET UNBOUND [COLOPHON_PAGE CORPUS DATE]
      BOOKLET is the saddle-stitched booklet of the document whose pages, unbound, are UNBOUND:
      its page count is the least multiple of four that leaves the outside back cover (and the
      inside one when COLOPHON_PAGE says 'inside') without text; pages 1..n of UNBOUND read the
      same; every added page is blank (no text, no path, no image: no folio, no running head)
      but the colophon's; the colophon (COLOPHON_PAGE 'inside' or 'outside', with the CORPUS and
      its DATE YYYY-MM-DD) reads title, date, 'Set from corpus SHA-256', the corpus's SHA-256
  imposed BOOKLET IMPOSED [CREEP_MM]
      each side of each sheet holds the booklet's pages in saddle-stitch order (read from the
      text of each half of the sheet), the pages drawn side by side, meeting at the fold in the
      sheet's middle, inner sheets' pages moved CREEP_MM per sheet toward the spine
  marks IMPOSED BLEED_MM
      the strokes of every sheet side (the marks): none inside the bleed box; at each of the
      trim box's four corners a horizontal and a vertical crop mark on the trim's lines, beyond
      the bleed; a fold mark on the spine above and below; all in /Artifact marked content, in
      the registration colour (Separation /All); the trim box two booklet pages, the bleed box
      the trim and BLEED_MM around it
  boxes PDF...
      every page has a MediaBox, a TrimBox and a BleedBox of its own (pikepdf), the trim inside
      the bleed inside the media box, and pdfinfo -box shows the same numbers; a page that is not
      a press sheet (untagged, larger than its pages) is cut at its edges: trim = bleed = media
  creep IMPOSED0 IMPOSED MM
      the text of each half of each side of IMPOSED stands MM per sheet (0: the outermost)
      nearer the spine than in IMPOSED0: left pages to the right, right pages to the left
"""
import hashlib
import re
import subprocess
import sys

import fitz
import pikepdf

PT_PER_MM = 72 / 25.4
EPS = 0.01  # pt: positions are written with two decimals at most


def squash(s):
    return re.sub(r"\s+", "", s)


def saddle(n):
    """[(left, right)] 1-based page numbers per sheet side for n pages (a multiple of 4), by
    folding: sheet s (outermost first) holds the leaves s and n/2-1-s; its outside shows the
    verso of the second and the recto of the first, its inside the verso of the first and the
    recto of the second."""
    sides = []
    for s in range(n // 4):
        first = (2 * s + 1, 2 * s + 2)  # recto, verso of leaf s
        second = (n - 2 * s - 1, n - 2 * s)  # recto, verso of leaf n/2-1-s
        sides.append((second[1], first[0]))  # outside: the second leaf's verso, left
        sides.append((first[1], second[0]))  # inside
    return sides


def page_text(doc, i):
    return doc[i].get_text()


def blank(page):
    return not page.get_text().strip() and not page.get_drawings() and not page.get_images()


def colophon_lines(corpus, date):
    lines = open(corpus, encoding="utf-8-sig").read().splitlines()
    strip = lambda s: re.sub(r"<br>", "", re.sub(r"\([^()]*\)", "", s))
    sha = hashlib.sha256(open(corpus, "rb").read()).hexdigest()
    return [strip(lines[0]), strip(lines[1]), date, "Set from corpus SHA-256", sha]


def booklet(path, unbound, where=None, corpus=None, date=None):
    b, u = fitz.open(path), fitz.open(unbound)
    t, n = len(u), len(b)
    kept = 2 if where == "inside" else 1
    want = -(-(t + kept) // 4) * 4
    ok = True
    print(f"{t} pages unbound, {n} bound (blank: {n - t - (1 if where else 0)})")
    if n != want:
        print(f"{n} pages, expected {want}: the least multiple of 4 with {kept} back cover "
              f"page(s) free of text after {t}")
        return False
    for i in range(t):
        if squash(page_text(b, i)) != squash(page_text(u, i)):
            print(f"page {i + 1} differs from the unbound booklet's")
            ok = False
    col = {"inside": n - 2, "outside": n - 1}.get(where)
    for i in range(t, n):
        if i == col:
            got = [l for l in page_text(b, i).splitlines() if l.strip()]
            expect = colophon_lines(corpus, date)
            if [squash(l) for l in got] != [squash(l) for l in expect]:
                print(f"page {i + 1}: colophon {got!r}, expected {expect!r}")
                ok = False
        elif not blank(b[i]):
            print(f"page {i + 1} is not blank: {page_text(b, i)[:80]!r}, "
                  f"{len(b[i].get_drawings())} drawings")
            ok = False
    last = page_text(b, n - 1)
    if col != n - 1 and last.strip():
        print(f"the outside back cover (page {n}) carries text: {last[:80]!r}")
        ok = False
    return ok


def trim_of(page):
    return [float(v) for v in page.obj.get("/TrimBox")]


def imposed(path, imposed_path, creep_mm="0"):
    creep = float(creep_mm) * PT_PER_MM
    b, im = fitz.open(path), fitz.open(imposed_path)
    pdf = pikepdf.open(imposed_path)
    n = len(b)
    ok = True
    if n % 4:
        print(f"the booklet has {n} pages, not a multiple of four")
        return False
    sides = saddle(n)
    if len(im) != len(sides):
        print(f"{len(im)} sheet sides for {n} pages, expected {len(sides)}")
        return False
    pw, ph = b[0].rect.width, b[0].rect.height
    for k, (left, right) in enumerate(sides):
        page = im[k]
        W, H = page.rect.width, page.rect.height
        spine = W / 2
        for half, no in enumerate((left, right)):
            clip = fitz.Rect(0, 0, spine, H) if half == 0 else fitz.Rect(spine, 0, W, H)
            got = squash(page.get_text(clip=clip))
            want = squash(page_text(b, no - 1))
            if got != want:
                print(f"sheet {k // 2 + 1} {'front' if k % 2 == 0 else 'back'} "
                      f"{'left' if half == 0 else 'right'}: expected page {no}: "
                      f"{got[:30]!r} != {want[:30]!r}")
                ok = False
        # where the pages stand: each form drawn by a translation; left at the spine less a
        # page, right at the spine, each moved (sheet) x creep toward the spine
        xs = placements(pdf.pages[k])
        shift = (k // 2) * creep
        want_x = [spine - pw + shift, spine - shift]
        for no, x, y in xs:
            half = 0 if abs(x - want_x[0]) < EPS else 1 if abs(x - want_x[1]) < EPS else None
            if half is None or abs(y - (H - ph) / 2) > EPS:
                print(f"side {k + 1}: a page drawn at ({x:.2f}, {y:.2f}), expected x "
                      f"{want_x[0]:.2f} or {want_x[1]:.2f}, y {(H - ph) / 2:.2f}")
                ok = False
        print(f"sheet {k // 2 + 1} {'front' if k % 2 == 0 else 'back '}: {left:2d} | {right:2d}"
              f"   (drawn at x {', '.join(f'{x:.2f}' for _, x, _ in xs)})")
    return ok


def operations(page):
    """(operator, operands, CTM, marked-content stack) of a page's content, forms not entered."""
    ctm = [1, 0, 0, 1, 0, 0]
    stack, mc = [], []
    for operands, op in pikepdf.parse_content_stream(page):
        op = str(op)
        if op == "q":
            stack.append(list(ctm))
        elif op == "Q":
            ctm = stack.pop()
        elif op == "cm":
            a, b_, c, d, e, f = [float(v) for v in operands]
            A, B, C, D, E, F = ctm
            ctm = [a * A + b_ * C, a * B + b_ * D, c * A + d * C, c * B + d * D,
                   e * A + f * C + E, e * B + f * D + F]
        elif op in ("BMC", "BDC"):
            mc.append(str(operands[0]))
        elif op == "EMC":
            mc.pop()
        yield op, operands, list(ctm), list(mc)


def placements(page):
    out = []
    for op, operands, ctm, _ in operations(page):
        if op == "Do":
            out.append((str(operands[0]), ctm[4], ctm[5]))
    return out


def strokes(page):
    """Stroked straight segments in page space, with their marked content and stroke colour
    space: [((x0, y0, x1, y1), mc, cs)]."""
    segs, path, cur, cs, saved = [], [], None, None, []
    apply = lambda m, x, y: (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])
    device = {"G": "/DeviceGray", "RG": "/DeviceRGB", "K": "/DeviceCMYK"}
    for op, operands, ctm, mc in operations(page):
        if op == "q":
            saved.append(cs)
        elif op == "Q":
            cs = saved.pop()
        elif op == "CS":
            cs = str(operands[0])
        elif op in device:  # the stroke colour set in a device space
            cs = device[op]
        elif op == "m":
            cur = apply(ctm, float(operands[0]), float(operands[1]))
        elif op == "l":
            nxt = apply(ctm, float(operands[0]), float(operands[1]))
            path.append((cur, nxt))
            cur = nxt
        elif op in ("S", "s"):
            segs += [((a[0], a[1], c[0], c[1]), mc, cs) for a, c in path]
            path = []
        elif op in ("n", "f", "F", "f*", "B", "B*", "b", "b*"):
            path = []
    return segs


def inside(seg, box):
    """Does the segment reach into the box's interior?"""
    x0, y0, x1, y1 = seg
    return (max(x0, x1) > box[0] + EPS and min(x0, x1) < box[2] - EPS and
            max(y0, y1) > box[1] + EPS and min(y0, y1) < box[3] - EPS)


def marks(imposed_path, bleed_mm):
    bleed = float(bleed_mm) * PT_PER_MM
    pdf = pikepdf.open(imposed_path)
    ok = True
    for k, page in enumerate(pdf.pages, 1):
        trim = trim_of(page)
        bbox = [float(v) for v in page.obj.get("/BleedBox")]
        want_bleed = [trim[0] - bleed, trim[1] - bleed, trim[2] + bleed, trim[3] + bleed]
        if any(abs(a - b) > EPS for a, b in zip(bbox, want_bleed)):
            print(f"side {k}: BleedBox {bbox}, expected the trim {trim} and {bleed_mm} mm")
            ok = False
        segs = strokes(page)
        spaces = page.obj.Resources.get("/ColorSpace", {})
        for seg, mc, cs in segs:
            if inside(seg, bbox):
                print(f"side {k}: a stroke {seg} inside the bleed box {bbox}")
                ok = False
            if "/Artifact" not in mc:
                print(f"side {k}: a stroke {seg} outside /Artifact marked content")
                ok = False
            space = spaces.get(cs) if cs else None
            if space is None or [str(v) for v in list(space)[:2]] != ["/Separation", "/All"]:
                print(f"side {k}: a stroke {seg} not in the registration colour ({cs})")
                ok = False
        found = []
        for cx, sx in ((trim[0], -1), (trim[2], 1)):
            for cy, sy in ((trim[1], -1), (trim[3], 1)):
                # on the trim's lines, beyond the corner, starting within 10 mm of it
                h = [s for s, _, _ in segs if abs(s[1] - cy) < EPS and abs(s[3] - cy) < EPS and
                     min(sx * (s[0] - cx), sx * (s[2] - cx)) >= bleed - EPS and
                     min(sx * (s[0] - cx), sx * (s[2] - cx)) < 10 * PT_PER_MM]
                v = [s for s, _, _ in segs if abs(s[0] - cx) < EPS and abs(s[2] - cx) < EPS and
                     min(sy * (s[1] - cy), sy * (s[3] - cy)) >= bleed - EPS and
                     min(sy * (s[1] - cy), sy * (s[3] - cy)) < 10 * PT_PER_MM]
                if len(h) != 1 or len(v) != 1:
                    print(f"side {k}: corner ({cx:.2f}, {cy:.2f}): {len(h)} horizontal and "
                          f"{len(v)} vertical crop marks, expected one each")
                    ok = False
                found += h + v
        spine = (trim[0] + trim[2]) / 2
        for cy, sy in ((trim[1], -1), (trim[3], 1)):
            f = [s for s, _, _ in segs if abs(s[0] - spine) < EPS and abs(s[2] - spine) < EPS and
                 min(sy * (s[1] - cy), sy * (s[3] - cy)) >= bleed - EPS]
            if len(f) != 1:
                print(f"side {k}: {len(f)} fold marks at the spine x {spine:.2f} "
                      f"{'above' if sy > 0 else 'below'} the trim, expected one")
                ok = False
            found += f
        if k == 1:
            print(f"{len(pdf.pages)} sides; trim {[round(v, 2) for v in trim]}, bleed "
                  f"{[round(v, 2) for v in bbox]}; {len(segs)} marks:")
            for s in found:
                print("  (%.2f, %.2f)-(%.2f, %.2f)" % s)
    return ok


def pdfinfo_boxes(path):
    out = subprocess.run(["pdfinfo", "-box", "-f", "1", "-l", "100000", path], check=True,
                         capture_output=True, text=True).stdout
    boxes = {}
    for m in re.finditer(r"^Page\s+(\d+) (MediaBox|CropBox|BleedBox|TrimBox|ArtBox):\s+(.*)$",
                         out, re.M):
        boxes.setdefault(int(m.group(1)), {})[m.group(2)] = [float(v) for v in m.group(3).split()]
    return boxes


def boxes(*paths):
    ok = True
    for path in paths:
        pdf = pikepdf.open(path)
        info = pdfinfo_boxes(path)
        press = not pdf.Root.get("/StructTreeRoot")  # the press sheet is the untagged product
        for no, page in enumerate(pdf.pages, 1):
            have = {k: [float(v) for v in page.obj.get("/" + k)] for k in
                    ("MediaBox", "TrimBox", "BleedBox") if page.obj.get("/" + k) is not None}
            if len(have) != 3:
                print(f"{path} page {no}: has {sorted(have)} of its own")
                ok = False
                continue
            for k, v in have.items():
                if any(abs(a - b) > EPS for a, b in zip(v, info[no][k])):
                    print(f"{path} page {no}: pdfinfo's {k} {info[no][k]} is not {v}")
                    ok = False
            m, t, b = have["MediaBox"], have["TrimBox"], have["BleedBox"]
            within = lambda a, c: a[0] >= c[0] - EPS and a[1] >= c[1] - EPS and \
                a[2] <= c[2] + EPS and a[3] <= c[3] + EPS
            if not (within(t, b) and within(b, m)):
                print(f"{path} page {no}: trim {t} / bleed {b} / media {m} not nested")
                ok = False
            if not press and not (t == m and b == m):
                print(f"{path} page {no}: a page cut at its edges, but trim {t}, bleed {b}")
                ok = False
            if press and t == m:
                print(f"{path} page {no}: the press sheet is trimmed at its edges")
                ok = False
        first = info[1]
        print(f"{path}: {len(pdf.pages)} pages; page 1 " +
              ", ".join(f"{k} {' '.join(f'{v:.2f}' for v in first[k])}"
                        for k in ("MediaBox", "TrimBox", "BleedBox")))
    return ok


def text_left(page, clip):
    xs = [w[0] for w in page.get_text("words", clip=clip)]
    return min(xs) if xs else None


def creep(plain, crept, creep_mm):
    c = float(creep_mm) * PT_PER_MM
    a, b = fitz.open(plain), fitz.open(crept)
    ok = True
    moved = 0
    if len(a) != len(b):
        print(f"{len(a)} and {len(b)} sides")
        return False
    for k in range(len(a)):
        W, H = a[k].rect.width, a[k].rect.height
        spine = W / 2
        for half in (0, 1):
            # the half as far as a page moved toward the spine may reach
            reach = (len(a) // 2) * c
            clip = fitz.Rect(0, 0, spine + reach, H) if half == 0 else fitz.Rect(spine - reach, 0, W, H)
            x0, x1 = text_left(a[k], clip), text_left(b[k], clip)
            if x0 is None and x1 is None:
                continue
            want = (k // 2) * c * (1 if half == 0 else -1)
            if x0 is None or x1 is None or abs((x1 - x0) - want) > EPS:
                print(f"side {k + 1} {'left' if half == 0 else 'right'}: moved "
                      f"{'?' if x0 is None or x1 is None else f'{x1 - x0:.3f}'} pt, "
                      f"expected {want:.3f} pt")
                ok = False
            else:
                print(f"sheet {k // 2 + 1} {'front' if k % 2 == 0 else 'back '} "
                      f"{'left ' if half == 0 else 'right'}: text moved {x1 - x0:+.3f} pt "
                      f"({(x1 - x0) / PT_PER_MM:+.3f} mm)")
                moved += want != 0
    if not moved:
        print("no page moved: nothing shows creep")
        ok = False
    return ok


CHECKS = {"booklet": booklet, "imposed": imposed, "marks": marks, "boxes": boxes, "creep": creep}

if __name__ == "__main__":
    if len(sys.argv) < 3 or sys.argv[1] not in CHECKS:
        sys.exit(__doc__)
    sys.exit(0 if CHECKS[sys.argv[1]](*sys.argv[2:]) else 1)
