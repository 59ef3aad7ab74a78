#!/usr/bin/python3
"""structure_check.py FILE.pdf [--dump [N] | --order]: checks the logical structure of a tagged
paiban PDF (ISO 32000-1 §14.7-14.8, ISO 14289-1 §7), read with pikepdf apart from paiban's code:

  marked          catalog /MarkInfo /Marked true, a /StructTreeRoot whose /K is a Document
  parent-tree     every page with marked content has /StructParents, and the ParentTree sends
                  each (page, MCID) to the element that holds it
  mcid-once       every MCID drawn on a page is referenced exactly once by the tree, and every
                  one referenced is drawn
  content-tagged  every text-showing, path-painting and XObject operator is inside a sequence
                  with an MCID or inside an /Artifact; no artifact inside tagged content and no
                  MCID inside an artifact
  standard-types  every type is standard (ISO 32000-1 §14.8.4) or role-mapped to one
  lang            /Lang on every P and H element (and a catalog /Lang)
  headings        heading levels from H1, none skipped going down (H1 -> H3)
  ruby            every Ruby is RB then RT; RB holds content, RT holds ActualText
  lists           L holds only LI (or L, Caption); LI only Lbl and LBody
  links           every /Link annotation has /StructParent and is an OBJR of a Link element;
                  every Link element holds one
  not-empty       every P and H has text
  lang-pairs      the blocks (H, P, LI) in reading order go Chinese, English, Chinese, ...
  bookmarks       one outline entry per heading pair (the title's and every H1/H2's), its title
                  the pair's Chinese and English heading text

--dump [N] prints the tree as an outline (type, /Lang, first text), N lines (default all);
--order prints the blocks' language and text in reading order. Otherwise prints one `ok NAME`
or `FAIL NAME: why` line per check, then `structure: N passed, M failed`; exits 1 if any
failed, 2 on bad usage. Needs Debian's python3-pikepdf (and python3-fonttools via pdfa_check).
"""
import os
import re
import sys

import pikepdf

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pdfa_check import parse_cmap, report  # noqa: E402

# ISO 32000-1 §14.8.4 standard structure types (Tables 333-340).
STANDARD = set("""Document Part Art Sect Div BlockQuote Caption TOC TOCI Index NonStruct Private
P H H1 H2 H3 H4 H5 H6 L LI Lbl LBody Table TR TH TD THead TBody TFoot Span Quote Note Reference
BibEntry Code Link Annot Ruby RB RT RP Warichu WT WP Figure Formula Form""".split())
HEADING = re.compile(r"H([1-6])$")
BLOCKS = {"P", "LI"}  # with the headings: one per block of the corpus
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
TEXT_OPS = {"Tj", "TJ", "'", '"'}
PAINT_OPS = {"f", "F", "f*", "B", "B*", "b", "b*", "S", "s", "sh", "Do", "BI"}


class Elem:
    def __init__(self, obj, parent):
        self.obj, self.parent = obj, parent
        self.s = str(obj.get("/S", ""))[1:]
        self.type = self.s
        self.lang = str(obj["/Lang"]) if "/Lang" in obj else None
        self.actual = str(obj["/ActualText"]) if "/ActualText" in obj else None
        self.kids = []  # Elem, ("mc", page objgen, mcid), ("obj", annot objgen)


def read_tree(pdf):
    """The elements in reading order (depth first) and the RoleMap."""
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return [], {}, None
    roles = {str(k)[1:]: str(v)[1:] for k, v in root.get("/RoleMap", {}).items()}
    elems = []

    def walk(obj, parent, page):
        e = Elem(obj, parent)
        e.type = roles.get(e.s, e.s)
        elems.append(e)
        pg = obj.get("/Pg", page)
        k = obj.get("/K")
        for kid in (list(k) if isinstance(k, pikepdf.Array) else [] if k is None else [k]):
            if isinstance(kid, int) or (not isinstance(kid, pikepdf.Dictionary) and
                                        not isinstance(kid, pikepdf.Stream)):
                e.kids.append(("mc", pg.objgen if pg is not None else None, int(kid)))
            elif kid.get("/Type") == "/MCR":
                e.kids.append(("mc", kid.Pg.objgen, int(kid.MCID)))
            elif kid.get("/Type") == "/OBJR":
                e.kids.append(("obj", kid.Obj.objgen))
            else:
                e.kids.append(walk(kid, e, pg))
        return e

    k = root.get("/K")
    tops = list(k) if isinstance(k, pikepdf.Array) else [k] if k is not None else []
    for t in tops:
        walk(t, None, None)
    return elems, roles, root


class Page:
    """One page's marked content: text per MCID, and what was drawn outside any."""

    def __init__(self, pdf, page):
        self.text = {}        # mcid -> extracted text
        self.drawn = set()    # MCIDs with any content
        self.untagged = []    # operators outside MCID and Artifact
        self.nested = []      # artifact inside MCID or MCID inside artifact
        self.mcids = []       # in content order, with repeats
        fonts = page.Resources.get("/Font", {})
        cmaps = {}
        stack = []            # (tag, mcid or None, artifact, actual text or None)
        font = None
        for operands, op in pikepdf.parse_content_stream(page):
            op = str(op)
            if op in ("BDC", "BMC"):
                tag = str(operands[0])[1:]
                props = operands[1] if op == "BDC" and len(operands) > 1 else None
                mcid = int(props.MCID) if isinstance(props, pikepdf.Dictionary) and \
                    "/MCID" in props else None
                actual = str(props.ActualText) if isinstance(props, pikepdf.Dictionary) and \
                    "/ActualText" in props else None
                art = tag == "Artifact"
                in_mc = any(s[1] is not None for s in stack)
                in_art = any(s[2] for s in stack)
                if (art and in_mc) or (mcid is not None and in_art):
                    self.nested.append(tag)
                if mcid is not None:
                    self.mcids.append(mcid)
                    self.text.setdefault(mcid, "")
                stack.append((tag, mcid, art, actual))
                if actual is not None:  # the span's text, read instead of its glyphs'
                    m = self.current(stack)
                    if m is not None:
                        self.text[m] += actual
                continue
            if op == "EMC":
                if stack:
                    stack.pop()
                continue
            if op == "Tf":
                font = fonts.get(operands[0])
                continue
            if op in TEXT_OPS or op in PAINT_OPS:
                m = self.current(stack)
                if m is None and not any(s[2] for s in stack):
                    self.untagged.append(op)
                if m is not None:
                    self.drawn.add(m)
                if op in TEXT_OPS and m is not None and font is not None and \
                        not any(s[3] is not None for s in stack):
                    key = font.objgen
                    if key not in cmaps:
                        cmaps[key] = parse_cmap(font.ToUnicode.read_bytes()) \
                            if "/ToUnicode" in font else {}
                    self.text[m] += decode(operands, cmaps[key])

    @staticmethod
    def current(stack):
        for s in reversed(stack):
            if s[1] is not None:
                return s[1]
        return None


def decode(operands, cmap):
    out = []
    for o in operands:
        items = list(o) if isinstance(o, pikepdf.Array) else [o]
        for x in items:
            if isinstance(x, pikepdf.String):
                b = bytes(x)
                out += [cmap.get(b[i] << 8 | b[i + 1], "") for i in range(0, len(b) - 1, 2)]
    return "".join(out)


def elem_text(e, pages):
    if e.actual is not None:
        return e.actual
    out = []
    for k in e.kids:
        if isinstance(k, Elem):
            out.append(elem_text(k, pages))
        elif k[0] == "mc" and k[1] in pages:
            out.append(pages[k[1]].text.get(k[2], ""))
    return "".join(out)


def squash(s):
    return re.sub(r"\s+", "", s)


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    path = argv[1]
    pdf = pikepdf.open(path)
    elems, roles, root = read_tree(pdf)
    pages = {p.objgen: Page(pdf, p) for p in pdf.pages}
    if len(argv) > 2 and argv[2] == "--dump":
        limit = int(argv[3]) if len(argv) > 3 else None
        lines = []

        def show(e, depth):
            t = squash(elem_text(e, pages)) if not any(isinstance(k, Elem) for k in e.kids) \
                else ""
            lang = f" /Lang {e.lang}" if e.lang else ""
            alt = f" /ActualText {e.actual!r}" if e.actual else ""
            txt = f"  “{t[:24]}{'…' if len(t) > 24 else ''}”" if t and not alt else ""
            lines.append(f"{'  ' * depth}{e.s}{lang}{alt}{txt}")
            for k in e.kids:
                if isinstance(k, Elem):
                    show(k, depth + 1)
        for e in elems:
            if e.parent is None:
                show(e, 0)
        print("\n".join(lines[:limit]))
        return 0
    if len(argv) > 2 and argv[2] == "--order":
        for e in elems:
            if e.type in BLOCKS or HEADING.match(e.type):
                lang = e.lang or (e.parent.lang if e.parent else "")
                print(f"{e.type:3} {lang:8} {squash(elem_text(e, pages))[:60]}")
        return 0

    results = []

    def check(name, fn):
        try:
            fn()
            results.append((name, None))
        except AssertionError as ex:
            results.append((name, str(ex) or "failed"))
        except Exception as ex:  # a check that crashes has failed
            results.append((name, f"{type(ex).__name__}: {ex}"))

    def marked():
        mi = pdf.Root.get("/MarkInfo")
        assert mi is not None and bool(mi.get("/Marked", False)), "no /MarkInfo /Marked true"
        assert root is not None, "no /StructTreeRoot"
        tops = [e for e in elems if e.parent is None]
        assert len(tops) == 1 and tops[0].type == "Document", \
            f"the root's kids are {[e.s for e in tops]}, expected one Document"

    def parent_tree():
        assert root is not None and "/ParentTree" in root, "no /ParentTree"
        nums = {}

        def collect(node):
            n = list(node.get("/Nums", []))
            for i in range(0, len(n), 2):
                nums[int(n[i])] = n[i + 1]
            for kid in node.get("/Kids", []):
                collect(kid)
        collect(root.ParentTree)
        owner = {}
        for e in elems:
            for k in e.kids:
                if not isinstance(k, Elem) and k[0] == "mc":
                    owner[(k[1], k[2])] = e.obj.objgen
        for no, p in enumerate(pdf.pages, 1):
            ids = set(pages[p.objgen].mcids)
            if not ids:
                continue
            assert "/StructParents" in p, f"page {no} has marked content but no /StructParents"
            arr = nums.get(int(p.StructParents))
            assert isinstance(arr, pikepdf.Array), f"page {no}: no ParentTree entry"
            for m in sorted(ids):
                assert m < len(arr) and arr[m].objgen == owner.get((p.objgen, m)), \
                    f"page {no}: ParentTree entry of MCID {m} is not the element holding it"

    def mcid_once():
        refs = {}
        for e in elems:
            for k in e.kids:
                if not isinstance(k, Elem) and k[0] == "mc":
                    refs[(k[1], k[2])] = refs.get((k[1], k[2]), 0) + 1
        for no, p in enumerate(pdf.pages, 1):
            seen = {}
            for m in pages[p.objgen].mcids:
                seen[m] = seen.get(m, 0) + 1
            for m, c in seen.items():
                assert c == 1, f"page {no}: MCID {m} begins {c} sequences"
                assert refs.get((p.objgen, m), 0) == 1, \
                    f"page {no}: MCID {m} is referenced {refs.get((p.objgen, m), 0)} times"
        for (pg, m), c in refs.items():
            assert pg in pages and m in pages[pg].mcids, f"MCID {m} referenced but not drawn"

    def content_tagged():
        for no, p in enumerate(pdf.pages, 1):
            pc = pages[p.objgen]
            assert not pc.untagged, \
                f"page {no}: {len(pc.untagged)} operator(s) outside tags and artifacts " \
                f"({', '.join(sorted(set(pc.untagged)))})"
            assert not pc.nested, f"page {no}: artifact and tagged content nested: {pc.nested}"

    def standard_types():
        for e in elems:
            assert e.type in STANDARD, f"type {e.s} is neither standard nor role-mapped"
        for k, v in roles.items():
            assert k not in STANDARD, f"standard type {k} is remapped"
            assert v in STANDARD, f"{k} maps to {v}, not a standard type"

    def lang():
        assert str(pdf.Root.get("/Lang", "")), "no catalog /Lang"
        for e in elems:
            if e.type == "P" or HEADING.match(e.type) or e.type == "H":
                assert e.lang, f"{e.s} without /Lang: {squash(elem_text(e, pages))[:30]!r}"

    def headings():
        prev = 0
        for e in elems:
            m = HEADING.match(e.type)
            if not m:
                continue
            lv = int(m.group(1))
            assert prev or lv == 1, f"the first heading is {e.s}, not H1"
            assert lv <= prev + 1 or not prev, f"{e.s} follows H{prev}"
            prev = lv

    def ruby():
        n = 0
        for e in elems:
            if e.type != "Ruby":
                continue
            n += 1
            kinds = [k.type for k in e.kids if isinstance(k, Elem)]
            assert [k for k in kinds if k != "RP"] == ["RB", "RT"], f"Ruby holds {kinds}"
            rb = next(k for k in e.kids if isinstance(k, Elem) and k.type == "RB")
            rt = next(k for k in e.kids if isinstance(k, Elem) and k.type == "RT")
            assert elem_text(rb, pages), "an RB without text"
            assert rt.actual, f"an RT without ActualText (over {elem_text(rb, pages)!r})"
            for k in e.kids:
                assert isinstance(k, Elem), "marked content directly in a Ruby"
        if n:
            print(f"     ({n} Ruby elements)")

    def lists():
        for e in elems:
            kinds = [k.type for k in e.kids if isinstance(k, Elem)]
            if e.type == "L":
                assert set(kinds) <= {"LI", "L", "Caption"}, f"L holds {kinds}"
            if e.type == "LI":
                assert set(kinds) <= {"Lbl", "LBody"} and "LBody" in kinds, f"LI holds {kinds}"
                assert e.parent is not None and e.parent.type == "L", "LI outside an L"
            if e.type in ("LBody", "Lbl"):
                assert e.parent is not None and e.parent.type == "LI", f"{e.s} outside an LI"

    def links():
        objr = {}
        for e in elems:
            for k in e.kids:
                if not isinstance(k, Elem) and k[0] == "obj":
                    objr[k[1]] = e
        for e in elems:
            if e.type == "Link":
                assert any(not isinstance(k, Elem) and k[0] == "obj" for k in e.kids), \
                    f"Link {squash(elem_text(e, pages))[:30]!r} references no annotation"
        for no, p in enumerate(pdf.pages, 1):
            for a in p.get("/Annots", []):
                if a.get("/Subtype") != "/Link":
                    continue
                assert "/StructParent" in a, f"page {no}: a Link annotation without /StructParent"
                e = objr.get(a.objgen)
                assert e is not None and e.type == "Link", \
                    f"page {no}: a Link annotation is in no Link element"

    def not_empty():
        for e in elems:
            if e.type == "P" or HEADING.match(e.type):
                assert squash(elem_text(e, pages)), f"an empty {e.s}"

    def lang_pairs():
        seq = []
        for e in elems:
            if e.type in BLOCKS or HEADING.match(e.type):
                seq.append((e.lang or "", e))
        want_zh = True
        for k, (lg, e) in enumerate(seq):
            zh = lg.startswith("zh")
            assert zh == want_zh, \
                f"block {k + 1} ({e.s} {lg}: {squash(elem_text(e, pages))[:20]!r}) breaks " \
                f"the Chinese, English order"
            want_zh = not want_zh
        assert want_zh, "the last Chinese block has no English one after it"

    def bookmarks():
        items = []

        def walk(ol):
            o = ol.get("/First")
            while o is not None:
                items.append(str(o.get("/Title", "")))
                walk(o)
                o = o.get("/Next")
        outlines = pdf.Root.get("/Outlines")
        if outlines is not None:
            walk(outlines)
        heads = [e for e in elems if HEADING.match(e.type)]
        pairs = [(heads[i], heads[i + 1]) for i in range(0, len(heads) - 1, 2)]
        if not items:
            return  # a product without bookmarks (a leaflet)
        assert len(items) == len(pairs), \
            f"{len(items)} bookmarks for {len(pairs)} heading pairs"
        # a bookmark is one line: a heading's forced breaks join as title: subtitle (": ", "：")
        def plain(s):
            return re.sub(r"[:\uFF1A]", "", squash(s))
        for t, (zh, en) in zip(items, pairs):
            for h in (zh, en):
                ht = plain(elem_text(h, pages))
                assert ht and ht in plain(t), f"bookmark {t[:30]!r} lacks heading {ht[:30]!r}"

    for name, fn in (("marked", marked), ("parent-tree", parent_tree), ("mcid-once", mcid_once),
                     ("content-tagged", content_tagged), ("standard-types", standard_types),
                     ("lang", lang), ("headings", headings), ("ruby", ruby), ("lists", lists),
                     ("links", links), ("not-empty", not_empty), ("lang-pairs", lang_pairs),
                     ("bookmarks", bookmarks)):
        check(name, fn)
    return report(results, "structure")


if __name__ == "__main__":
    sys.exit(main(sys.argv))
