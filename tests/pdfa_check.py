#!/usr/bin/python3
"""pdfa_check.py [--ua] FILE.pdf: checks a paiban pdfa-3a PDF for what PDF/A-3a (ISO 19005-3)
and paiban's archive profile ask, as far as a script can: header, no encryption, trailer /ID,
fonts (embedded, /W against the font program, CIDToGIDMap, ToUnicode for every code drawn, no
.notdef), the sRGB OutputIntent, the XMP packet and its agreement with the Info dictionary,
the embedded source files (Associated Files, name tree, /AF, checksums, SHA-256 in the XMP);
level A (ISO 19005-2 §6.7 as ISO 19005-3 §6.7 takes it over): a-markinfo, a-struct-tree,
a-role-map, a-lang, a-pua; and PDF/UA-1 (ISO 14289-1) by the machine-checkable failure
conditions of the Matterhorn Protocol 1.02 (checks named ua-NN-NNN; UA_COVERED below lists
them). --ua runs the PDF/UA-1 checks alone (the print products claim PDF/UA-1 too).

Prints one `ok   NAME` or `FAIL NAME: why` line per check, then `pdfa: N passed, M failed`;
exits 1 if any failed, 2 on bad usage. Needs Debian's python3-pikepdf and python3-fonttools.
"""
import hashlib
import io
import re
import sys
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta, timezone

import pikepdf
from fontTools.cffLib import CFFFontSet
from fontTools.pens.basePen import NullPen
from fontTools.ttLib import TTFont

# Namespaces of the XMP properties checked (ISO 16684-1, ISO 19005-3 §6.6).
NS = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "pdfaExtension": "http://www.aiim.org/pdfa/ns/extension/",
    "pdfaSchema": "http://www.aiim.org/pdfa/ns/schema#",
    "pdfaProperty": "http://www.aiim.org/pdfa/ns/property#",
    "xml": "http://www.w3.org/XML/1998/namespace",
    "pb": "https://paiban.invalid/ns/1.0/",
}
# Namespaces of the schemas PDF/A predefines (ISO 19005-3 §6.6.2.3.2 via XMP 2004); any other
# namespace used in the packet needs a pdfaExtension:schemas description.
PREDEFINED = {NS[k] for k in ("x", "rdf", "dc", "xmp", "pdf", "pdfaid", "pdfaExtension",
                              "pdfaSchema", "pdfaProperty", "xml")} | {
    "http://ns.adobe.com/xap/1.0/mm/", "http://ns.adobe.com/xap/1.0/rights/",
    "http://ns.adobe.com/xap/1.0/bj/", "http://ns.adobe.com/xap/1.0/t/pg/",
    "http://ns.adobe.com/xap/1.0/sType/ResourceRef#", "http://ns.adobe.com/photoshop/1.0/",
    "http://ns.adobe.com/tiff/1.0/", "http://ns.adobe.com/exif/1.0/"}
LANGS = ("zh-Hant", "en")  # the archive layout's lang-zh / lang-en
SRGB = "sRGB IEC61966-2.1"
ID_BYTES = 16  # trailer /ID strings (ISO 32000-1 §14.4)
WIDTH_TOLERANCE = 1  # glyph-space units (veraPDF's rule 6.2.11.5 allows 1)
BAD_UNICODE = {0x0000, 0xFEFF, 0xFFFE}  # ISO 19005-3 §6.2.11.7.2
GLYPH_SPACE = 1000.0

results = []


def check(name):
    """Decorator: run a check, record ok, or FAIL with the AssertionError's text."""
    def wrap(fn):
        try:
            fn()
            results.append((name, None))
        except AssertionError as e:
            results.append((name, str(e) or "failed"))
        except Exception as e:  # a check that crashes has failed
            results.append((name, f"{type(e).__name__}: {e}"))
        return fn
    return wrap


def pdf_date(s):
    """datetime of a PDF date string D:YYYYMMDDHHmmSS+HH'mm'."""
    m = re.fullmatch(r"D:(\d{4})(\d\d)?(\d\d)?(\d\d)?(\d\d)?(\d\d)?"
                     r"(?:(Z)|([+-])(\d\d)'?(\d\d)?'?)?", s)
    assert m, f"not a PDF date: {s!r}"
    defaults = (0, 1, 1, 0, 0, 0)
    y, mo, d, h, mi, se = (int(g) if g else df for g, df in zip(m.groups()[:6], defaults))
    off = timedelta(0)
    if m.group(8):
        off = timedelta(hours=int(m.group(9)), minutes=int(m.group(10) or 0))
        off = off if m.group(8) == "+" else -off
    return datetime(y, mo, d, h, mi, se, tzinfo=timezone(off))


def xmp_date(s):
    """datetime of an XMP (ISO 8601) date."""
    return datetime.fromisoformat(s.replace("Z", "+00:00"))


def parse_cmap(data):
    """code -> unicode string from a ToUnicode CMap's bfchar and bfrange sections."""
    text = data.decode("latin-1")
    out = {}

    def u16(h):
        b = bytes.fromhex(h)
        return b.decode("utf-16-be", errors="surrogatepass")

    for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
        for src, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
            out[int(src, 16)] = u16(dst)
    for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
        triples = re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*"
                             r"(<[0-9A-Fa-f]*>|\[[^\]]*\])", block)
        for lo, hi, rest in triples:
            lo, hi = int(lo, 16), int(hi, 16)
            if rest.startswith("["):
                for i, d in enumerate(re.findall(r"<([0-9A-Fa-f]*)>", rest)):
                    out[lo + i] = u16(d)
            else:
                base = bytes.fromhex(rest[1:-1])
                for i in range(hi - lo + 1):
                    b = base[:-1] + bytes([base[-1] + i]) if base else b""
                    out[lo + i] = b.decode("utf-16-be", errors="surrogatepass")
    return out


def w_widths(cidfont):
    """CID -> width from a CIDFont's /W array (ISO 32000-1 §9.7.4.3)."""
    widths = {}
    w = list(cidfont.get("/W", []))
    i = 0
    while i < len(w):
        first = int(w[i])
        if isinstance(w[i + 1], pikepdf.Array):
            for k, v in enumerate(w[i + 1]):
                widths[first + k] = float(v)
            i += 2
        else:
            for c in range(first, int(w[i + 1]) + 1):
                widths[c] = float(w[i + 2])
            i += 3
    return widths


def program_widths(cidfont):
    """CID -> advance width in glyph space, read from the embedded font program."""
    fd = cidfont.FontDescriptor
    if "/FontFile2" in fd:
        tt = TTFont(io.BytesIO(fd.FontFile2.read_bytes()))
        order = tt.getGlyphOrder()
        scale = GLYPH_SPACE / tt["head"].unitsPerEm
        m = cidfont.get("/CIDToGIDMap", pikepdf.Name.Identity)
        if isinstance(m, pikepdf.Stream):
            b = m.read_bytes()
            gid_of = {c: (b[2 * c] << 8) | b[2 * c + 1] for c in range(len(b) // 2)}
        else:
            gid_of = {g: g for g in range(len(order))}
        return {c: tt["hmtx"][order[g]][0] * scale for c, g in gid_of.items() if g < len(order)}
    if "/FontFile3" in fd:
        cff = CFFFontSet()
        cff.decompile(io.BytesIO(fd.FontFile3.read_bytes()), TTFont())
        top = cff[cff.fontNames[0]]
        scale = GLYPH_SPACE * top.FontMatrix[0]
        out = {}
        for gid, name in enumerate(top.charset):
            cid = int(name[3:]) if name.startswith("cid") and name[3:].isdigit() else gid
            cs = top.CharStrings[name]
            cs.draw(NullPen())
            out[cid] = cs.width * scale
        return out
    raise AssertionError("no FontFile2/FontFile3")


def used_codes(pdf):
    """{font objgen: (name, set of codes drawn)} over every page's content stream."""
    used = {}
    for pno, page in enumerate(pdf.pages, 1):
        fonts = page.Resources.get("/Font", pikepdf.Dictionary())
        cur = None
        for operands, op in pikepdf.parse_content_stream(page):
            op = str(op)
            if op == "Tf":
                cur = fonts.get(operands[0])
            elif op in ("Tj", "TJ", "'", '"') and cur is not None:
                two = cur.get("/Subtype") == "/Type0"
                strings = []
                for o in operands:
                    if isinstance(o, pikepdf.Array):
                        strings += [x for x in o if isinstance(x, pikepdf.String)]
                    elif isinstance(o, pikepdf.String):
                        strings.append(o)
                entry = used.setdefault(cur.objgen, (cur, set(), set()))
                for s in strings:
                    b = bytes(s)
                    if two:
                        codes = [b[i] << 8 | b[i + 1] for i in range(0, len(b) - 1, 2)]
                    else:
                        codes = list(b)
                    entry[1].update(codes)
                    if 0 in codes:
                        entry[2].add(pno)
    return used


# Matterhorn Protocol 1.02 failure conditions this script checks (the machine-checkable ones
# that can apply to paiban's files; tables, forms, notes, media, optional content and XFA are
# not among what paiban writes, and the checks of fonts, 31-xxx, are the PDF/A checks
# fonts-embedded, fonts-widths, cidtogidmap, tounicode and no-notdef: PDF/UA-1 §7.21).
UA_COVERED = ("01-003 01-004 01-005 01-007 02-001 02-003 02-004 06-001 06-002 06-003 07-001 "
              "07-002 09-005 09-007 10-001 11-001 11-002 11-003 11-004 11-006 13-004 14-002 "
              "14-003 14-006 14-007 21-001 28-002 28-004 28-008 28-009 28-011 28-012 30-001 "
              "30-002").split()
# BCP 47 language tag (RFC 5646 §2.1), the form ISO 32000-1 §14.9.2 asks of /Lang.
LANG_TAG = re.compile(r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")
PUA = ((0xE000, 0xF8FF), (0xF0000, 0xFFFFD), (0x100000, 0x10FFFD))


def level_a_and_ua(pdf, raw, info, xmp, prop, used, fonts, ua_only):
    """PDF/A-3 level A (ISO 19005-2 §6.7, §6.2.11.7.3) and PDF/UA-1 (ISO 14289-1) checks."""
    from structure_check import HEADING, STANDARD, Page, read_tree
    root = pdf.Root
    elems, roles, tree = read_tree(pdf)
    pages = {p.objgen: Page(pdf, p) for p in pdf.pages}
    lang_of = {}

    def elem_lang(e):
        while e is not None:
            if e.lang:
                return e.lang
            e = e.parent
        return str(root.get("/Lang", "")) or None

    for e in elems:
        lang_of[id(e)] = elem_lang(e)

    def role_chain(t):
        seen = []
        while t in roles and t not in seen:
            seen.append(t)
            t = roles[t]
        return t, t in seen

    @check("a-markinfo")  # ISO 19005-2 §6.7.2.2
    def _():
        mi = root.get("/MarkInfo")
        assert mi is not None and bool(mi.get("/Marked", False)), "no /MarkInfo /Marked true"

    @check("a-struct-tree")  # ISO 19005-2 §6.7.3.3
    def _():
        assert tree is not None and elems, "no /StructTreeRoot with elements"

    @check("a-role-map")  # ISO 19005-2 §6.7.3.4
    def _():
        for e in elems:
            t, circular = role_chain(e.s)
            assert not circular, f"{e.s}: circular role mapping"
            assert t in STANDARD, f"{e.s} is not mapped to a standard type"
        for k in roles:
            assert k not in STANDARD, f"standard type {k} is remapped"

    @check("a-lang")  # ISO 19005-2 §6.7.4: every /Lang a language identifier
    def _():
        langs = [str(root["/Lang"])] if "/Lang" in root else []
        langs += [e.lang for e in elems if e.lang]
        for lg in langs:
            assert LANG_TAG.match(lg), f"/Lang {lg!r} is not a language tag (RFC 5646)"

    @check("a-pua")  # ISO 19005-2 §6.2.11.7.3: Private Use text needs ActualText
    def _():
        for key, f in fonts.items():
            cmap = parse_cmap(f.ToUnicode.read_bytes()) if "/ToUnicode" in f else {}
            for code in used.get(key, (None, set(), None))[1]:
                for ch in cmap.get(code, ""):
                    assert not any(a <= ord(ch) <= b for a, b in PUA), \
                        f"{f.BaseFont}: code {code:04X} maps to Private Use U+{ord(ch):04X}"

    @check("ua-01-003")  # Content marked as Artifact is present inside tagged content
    def _():
        for no, p in enumerate(pdf.pages, 1):
            bad = [t for t in pages[p.objgen].nested if t == "Artifact"]
            assert not bad, f"page {no}: an Artifact inside tagged content"

    @check("ua-01-004")  # Tagged content is present inside content marked as Artifact
    def _():
        for no, p in enumerate(pdf.pages, 1):
            bad = [t for t in pages[p.objgen].nested if t != "Artifact"]
            assert not bad, f"page {no}: tagged content ({bad[0]}) inside an Artifact"

    @check("ua-01-005")  # Content is neither marked as Artifact nor tagged as real content
    def _():
        for no, p in enumerate(pdf.pages, 1):
            u = pages[p.objgen].untagged
            assert not u, f"page {no}: {len(u)} operator(s) neither tagged nor artifact ({u[0]})"

    @check("ua-01-007")  # Suspects entry has a value of true
    def _():
        assert not bool(root.get("/MarkInfo", {}).get("/Suspects", False)), "/Suspects true"

    @check("ua-02-001")  # A non-standard tag's mapping does not terminate with a standard type
    def _():
        for e in elems:
            t, circular = role_chain(e.s)
            assert circular or t in STANDARD, f"{e.s} maps to {t}, not a standard type"

    @check("ua-02-003")  # A circular mapping exists
    def _():
        for k in roles:
            assert not role_chain(k)[1], f"{k}: circular role mapping"

    @check("ua-02-004")  # One or more standard types are remapped
    def _():
        for k in roles:
            assert k not in STANDARD, f"standard type {k} is remapped to {roles[k]}"

    @check("ua-06-001")  # Document does not contain an XMP metadata stream
    def _():
        assert isinstance(root.get("/Metadata"), pikepdf.Stream), "no /Metadata stream"

    @check("ua-06-002")  # The metadata stream does not include the PDF/UA identifier
    def _():
        text = xmp.get("text", "")
        m = re.search(r"<pdfuaid:part>\s*(\d+)\s*</pdfuaid:part>|pdfuaid:part=\"(\d+)\"", text)
        assert m and (m.group(1) or m.group(2)) == "1", "no pdfuaid:part 1 in the XMP"
        assert 'xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/"' in text, \
            "pdfuaid is not the PDF/UA namespace"

    @check("ua-06-003")  # Metadata stream does not contain dc:title
    def _():
        alt = prop("dc:title").find("rdf:Alt", NS)
        assert alt is not None and any((li.text or "").strip()
                                       for li in alt.findall("rdf:li", NS)), "no dc:title"

    @check("ua-07-001")  # ViewerPreferences does not contain a DisplayDocTitle entry
    def _():
        assert "/DisplayDocTitle" in root.get("/ViewerPreferences", {}), "no DisplayDocTitle"

    @check("ua-07-002")  # ViewerPreferences contains DisplayDocTitle with the value false
    def _():
        assert bool(root.get("/ViewerPreferences", {}).get("/DisplayDocTitle", True)), \
            "DisplayDocTitle false"

    @check("ua-09-005")  # List elements not as ISO 32000-1 Table 336 has them
    def _():
        for e in elems:
            kids = [k.type for k in e.kids if not isinstance(k, tuple)]
            if e.type == "L":
                assert set(kids) <= {"L", "LI", "Caption"}, f"L holds {kids}"
            if e.type == "LI":
                assert set(kids) <= {"Lbl", "LBody"}, f"LI holds {kids}"
                assert e.parent is not None and e.parent.type == "L", "LI outside an L"
            if e.type in ("Lbl", "LBody"):
                assert e.parent is not None and e.parent.type == "LI", f"{e.s} outside an LI"

    @check("ua-09-007")  # Ruby elements not as ISO 32000-1 Table 338 has them
    def _():
        for e in elems:
            kids = [k.type for k in e.kids if not isinstance(k, tuple)]
            if e.type == "Ruby":
                assert kids in (["RB", "RT"], ["RB", "RP", "RT", "RP"]), f"Ruby holds {kids}"
                assert not any(isinstance(k, tuple) for k in e.kids), "content directly in Ruby"
            if e.type in ("RB", "RT", "RP"):
                assert e.parent is not None and e.parent.type == "Ruby", f"{e.s} outside a Ruby"

    @check("ua-10-001")  # Character code cannot be mapped to Unicode
    def _():
        for key, f in fonts.items():
            cmap = parse_cmap(f.ToUnicode.read_bytes()) if "/ToUnicode" in f else {}
            for code in used.get(key, (None, set(), None))[1]:
                assert cmap.get(code), f"{f.BaseFont}: code {code:04X} maps to no Unicode"

    @check("ua-11-001")  # Natural language for text in page content cannot be determined
    def _():
        owner = {}
        for e in elems:
            for k in e.kids:
                if isinstance(k, tuple) and k[0] == "mc":
                    owner[(k[1], k[2])] = e
        for no, p in enumerate(pdf.pages, 1):
            for m, t in pages[p.objgen].text.items():
                e = owner.get((p.objgen, m))
                assert not t.strip() or (e is not None and lang_of[id(e)]), \
                    f"page {no}: no language for MCID {m} ({t[:20]!r})"

    @check("ua-11-002")  # ... for text in Alt, ActualText and E attributes
    def _():
        for e in elems:
            if e.actual or "/Alt" in e.obj or "/E" in e.obj:
                assert lang_of[id(e)], f"{e.s} {e.actual!r}: no language for its ActualText"

    @check("ua-11-003")  # ... in the Outline entries
    def _():
        if "/Outlines" in root and "/First" in root.Outlines:
            assert str(root.get("/Lang", "")), "bookmarks but no catalog /Lang"

    @check("ua-11-004")  # ... in the Contents entry of annotations
    def _():
        for p in pdf.pages:
            for a in p.get("/Annots", []):
                if "/Contents" in a:
                    assert str(root.get("/Lang", "")), "annotation /Contents, no catalog /Lang"

    @check("ua-11-006")  # ... for document metadata
    def _():
        alt = prop("dc:title").find("rdf:Alt", NS)
        langs = [li.get(f"{{{NS['xml']}}}lang") for li in alt.findall("rdf:li", NS)]
        assert any(lg and lg != "x-default" for lg in langs) or str(root.get("/Lang", "")), \
            "dc:title in no language and no catalog /Lang"

    @check("ua-13-004")  # Figure tag alternative or replacement text missing
    def _():
        for e in elems:
            if e.type == "Figure":
                assert "/Alt" in e.obj or e.actual, "a Figure without /Alt"

    heads = [e for e in elems if HEADING.match(e.type) or e.type == "H"]

    @check("ua-14-002")  # Numbered headings, but the first is not H1
    def _():
        n = [e for e in heads if e.type != "H"]
        assert not n or n[0].type == "H1", f"the first heading is {n[0].type}"

    @check("ua-14-003")  # Numbered heading levels in descending sequence are skipped
    def _():
        prev = 0
        for e in heads:
            if e.type == "H":
                continue
            lv = int(e.type[1])
            assert lv <= prev + 1 or not prev, f"{e.type} follows H{prev}"
            prev = lv

    @check("ua-14-006")  # A node contains more than one H tag
    def _():
        for e in elems:
            n = sum(1 for k in e.kids if not isinstance(k, tuple) and k.type == "H")
            assert n <= 1, f"{e.s} holds {n} H elements"

    @check("ua-14-007")  # Document uses both H and H# tags
    def _():
        kinds = {e.type == "H" for e in heads}
        assert len(kinds) < 2, "both H and H1-H6"

    @check("ua-21-001")  # An embedded file's specification lacks F or UF
    def _():
        tree = root.get("/Names", {}).get("/EmbeddedFiles")
        names = list(tree.get("/Names", [])) if tree is not None else []
        for i in range(1, len(names), 2):
            assert "/F" in names[i] and "/UF" in names[i], "a file specification without F/UF"

    annots = [(no, p, a) for no, p in enumerate(pdf.pages, 1) for a in p.get("/Annots", [])]
    objr = {}
    for e in elems:
        for k in e.kids:
            if isinstance(k, tuple) and k[0] == "obj":
                objr[k[1]] = e

    @check("ua-28-002")  # An annotation (not Widget, Link, PrinterMark) is not in an Annot tag
    def _():
        for no, p, a in annots:
            if str(a.get("/Subtype")) in ("/Widget", "/Link", "/PrinterMark", "/Popup"):
                continue
            e = objr.get(a.objgen)
            assert e is not None and e.type == "Annot", \
                f"page {no}: a {a.get('/Subtype')} annotation outside an Annot element"

    @check("ua-28-004")  # An annotation (not Widget) has neither Contents nor Alt
    def _():
        for no, p, a in annots:
            if str(a.get("/Subtype")) in ("/Widget", "/Popup") or int(a.get("/F", 0)) & 2:
                continue
            e = objr.get(a.objgen)
            assert str(a.get("/Contents", "")) or (e is not None and "/Alt" in e.obj), \
                f"page {no}: a {a.get('/Subtype')} annotation without /Contents or /Alt"

    @check("ua-28-008")  # A page with annotations has no Tabs entry
    def _():
        for no, p, a in annots:
            assert "/Tabs" in p, f"page {no} has annotations but no /Tabs"

    @check("ua-28-009")  # A page with annotations has Tabs other than S
    def _():
        for no, p, a in annots:
            assert p.get("/Tabs") in (None, "/S"), f"page {no}: /Tabs {p.get('/Tabs')}"

    @check("ua-28-011")  # A link annotation is not nested within a Link tag
    def _():
        for no, p, a in annots:
            if a.get("/Subtype") == "/Link":
                e = objr.get(a.objgen)
                assert e is not None and e.type == "Link", \
                    f"page {no}: a link annotation in no Link element"

    @check("ua-28-012")  # A link annotation has no alternate description in Contents
    def _():
        for no, p, a in annots:
            if a.get("/Subtype") == "/Link":
                assert str(a.get("/Contents", "")), f"page {no}: a link without /Contents"

    def forms():
        seen = {}

        def walk(res, depth):
            for _, x in (res.get("/XObject", {}) or {}).items():
                if x.get("/Subtype") == "/Form" and x.objgen not in seen and depth < 8:
                    seen[x.objgen] = x
                    walk(x.get("/Resources", {}), depth + 1)
        for p in pdf.pages:
            walk(p.get("/Resources", {}), 0)
        return seen

    @check("ua-30-001")  # A reference XObject is present
    def _():
        for x in forms().values():
            assert "/Ref" not in x, "a reference XObject"

    @check("ua-30-002")  # A form XObject with MCIDs is drawn more than once
    def _():
        uses = {}
        for p in pdf.pages:
            xs = p.get("/Resources", {}).get("/XObject", {})
            names = {str(k): v.objgen for k, v in xs.items()}
            for operands, op in pikepdf.parse_content_stream(p):
                if str(op) == "Do" and str(operands[0]) in names:
                    uses[names[str(operands[0])]] = uses.get(names[str(operands[0])], 0) + 1
        for og, x in forms().items():
            if b"/MCID" in x.read_bytes():
                assert uses.get(og, 0) <= 1, f"a form XObject with MCIDs drawn {uses[og]} times"

    print(f"     (Matterhorn conditions checked: {' '.join(UA_COVERED)})")


def main():
    args = sys.argv[1:]
    ua_only = args[:1] == ["--ua"]
    if ua_only:
        args = args[1:]
    if len(args) != 1:
        print("usage: tests/pdfa_check.py [--ua] FILE.pdf", file=sys.stderr)
        return 2
    path = args[0]
    raw = open(path, "rb").read()
    pdf = pikepdf.open(path)
    root, trailer = pdf.Root, pdf.trailer
    info = trailer.get("/Info", pikepdf.Dictionary())
    fonts = {}  # objgen -> Type0 font dict
    for page in pdf.pages:
        for _, f in page.Resources.get("/Font", pikepdf.Dictionary()).items():
            fonts[f.objgen] = f
    used = used_codes(pdf)
    xmp = {}

    @check("header")
    def _():
        assert raw.startswith(b"%PDF-1.7"), f"header {raw[:8]!r}, expected %PDF-1.7"
        m = re.match(rb"%PDF-1\.7(\r\n|\r|\n)%(....)", raw)
        assert m and all(c >= 128 for c in m.group(2)), "no binary comment line (4 bytes >= 128)"

    @check("no-encryption")
    def _():
        assert "/Encrypt" not in trailer and not pdf.is_encrypted, "file is encrypted"

    @check("trailer-id")
    def _():
        ids = trailer.get("/ID")
        assert isinstance(ids, pikepdf.Array) and len(ids) == 2, "trailer has no /ID [<..> <..>]"
        for s in ids:
            n = len(bytes(s))
            assert n == ID_BYTES, f"/ID string of {n} bytes, expected {ID_BYTES}"

    @check("fonts-embedded")
    def _():
        assert fonts, "no fonts"
        for f in fonts.values():
            desc = f.DescendantFonts[0] if "/DescendantFonts" in f else f
            fd = desc.get("/FontDescriptor")
            programs = ("/FontFile", "/FontFile2", "/FontFile3")
            assert fd is not None and any(k in fd for k in programs), f"{f.BaseFont} not embedded"

    @check("fonts-widths")
    def _():
        for f in fonts.values():
            desc = f.DescendantFonts[0]
            w, prog = w_widths(desc), program_widths(desc)
            dw = float(desc.get("/DW", GLYPH_SPACE))
            cids = set(w) | used.get(f.objgen, (None, set(), None))[1]
            for c in sorted(cids):
                assert c in prog, f"{f.BaseFont}: CID {c} not in the font program"
                got = w.get(c, dw)
                assert abs(got - prog[c]) <= WIDTH_TOLERANCE, \
                    f"{f.BaseFont}: CID {c} /W {got} but the program says {prog[c]:.1f}"

    @check("cidtogidmap")
    def _():
        for f in fonts.values():
            desc = f.DescendantFonts[0]
            if desc.Subtype == "/CIDFontType2":
                assert "/CIDToGIDMap" in desc, f"{f.BaseFont}: CIDFontType2 without /CIDToGIDMap"

    @check("tounicode")
    def _():
        for key, f in fonts.items():
            assert "/ToUnicode" in f, f"{f.BaseFont}: no /ToUnicode"
            cmap = parse_cmap(f.ToUnicode.read_bytes())
            for code in sorted(used.get(key, (None, set(), None))[1]):
                assert code in cmap and cmap[code], f"{f.BaseFont}: code {code:04X} has no Unicode"
                bad = [hex(ord(ch)) for ch in cmap[code] if ord(ch) in BAD_UNICODE]
                assert not bad, f"{f.BaseFont}: code {code:04X} maps to {bad}"

    @check("no-notdef")
    def _():
        for f, codes, pages in used.values():
            assert not pages, \
                f"{f.get('/BaseFont')}: CID 0 (.notdef) drawn on page(s) {sorted(pages)}"
            assert 0 not in codes

    @check("output-intent")
    def _():
        ois = root.get("/OutputIntents")
        assert isinstance(ois, pikepdf.Array) and len(ois) >= 1, "no /OutputIntents"
        oi = [o for o in ois if o.get("/S") == "/GTS_PDFA1"]
        assert len(oi) == 1, "no (or more than one) /S /GTS_PDFA1 output intent"
        oi = oi[0]
        assert str(oi.get("/OutputConditionIdentifier")) == SRGB, \
            "OutputConditionIdentifier is not " + SRGB
        prof = oi.get("/DestOutputProfile")
        assert isinstance(prof, pikepdf.Stream), "no DestOutputProfile stream"
        assert int(prof.get("/N", 0)) == 3, "DestOutputProfile /N is not 3"
        icc = prof.read_bytes()
        # ICC.1 header: 128 bytes, colour space at 16, 'acsp' at 36
        assert len(icc) >= 128 and icc[36:40] == b"acsp" and icc[16:20] == b"RGB ", \
            "not an RGB ICC profile"

    @check("metadata-stream")
    def _():
        md = root.get("/Metadata")
        assert isinstance(md, pikepdf.Stream), "catalog has no /Metadata stream"
        assert md.get("/Type") == "/Metadata" and md.get("/Subtype") == "/XML", \
            "not /Type /Metadata /Subtype /XML"
        assert "/Filter" not in md, "metadata stream is compressed"
        text = md.read_raw_bytes().decode("utf-8")
        pi = re.match(r"<\?xpacket ([^?]*)\?>", text)
        assert pi, "no <?xpacket begin ...?>"
        assert "bytes=" not in pi.group(1) and "encoding=" not in pi.group(1), \
            "xpacket has bytes/encoding"
        assert re.search(r"<\?xpacket end=[\"']w[\"']\?>\s*$", text), "no <?xpacket end=\"w\"?>"
        xmp["tree"] = ET.fromstring(text.encode("utf-8"))  # well-formed, entities escaped
        xmp["text"] = text

    def prop(qname):
        tree = xmp.get("tree")
        assert tree is not None, "no XMP"
        pfx, local = qname.split(":")
        for d in tree.iter(f"{{{NS['rdf']}}}Description"):
            e = d.find(f"{pfx}:{local}", NS)
            if e is not None:
                return e
            a = d.get(f"{{{NS[pfx]}}}{local}")
            if a is not None:
                el = ET.Element("v")
                el.text = a
                return el
        raise AssertionError(f"XMP has no {qname}")

    @check("xmp-pdfaid")
    def _():
        part = prop("pdfaid:part").text
        assert part == "3", f"pdfaid:part {part}, expected 3"
        conf = prop("pdfaid:conformance").text
        assert conf == "A", f"pdfaid:conformance is {conf}, not A (level A: tagged)"

    @check("xmp-title")
    def _():
        alt = prop("dc:title").find("rdf:Alt", NS)
        assert alt is not None, "dc:title is not an rdf:Alt"
        by = {li.get(f"{{{NS['xml']}}}lang"): li.text or "" for li in alt.findall("rdf:li", NS)}
        for lang in ("x-default",) + LANGS:
            assert lang in by, f"dc:title has no {lang} entry"
        assert by["x-default"] == str(info.get("/Title", "")), \
            "dc:title x-default differs from Info /Title"

    @check("xmp-language")
    def _():
        bag = prop("dc:language").find("rdf:Bag", NS)
        assert bag is not None, "dc:language is not an rdf:Bag"
        got = [li.text for li in bag.findall("rdf:li", NS)]
        assert got == list(LANGS), f"dc:language {got}, expected {list(LANGS)}"

    @check("xmp-dates")
    def _():
        for xname, iname in (("xmp:CreateDate", "/CreationDate"), ("xmp:ModifyDate", "/ModDate")):
            assert iname in info, f"Info has no {iname}"
            a, b = xmp_date(prop(xname).text), pdf_date(str(info[iname]))
            assert a == b, f"{xname} {a.isoformat()} is not Info {iname} {b.isoformat()}"
        assert xmp_date(prop("xmp:MetadataDate").text) == pdf_date(str(info["/ModDate"])), \
            "xmp:MetadataDate differs from the dates"

    @check("xmp-producer-creator")
    def _():
        assert prop("pdf:Producer").text == str(info.get("/Producer")), \
            "pdf:Producer differs from Info /Producer"
        assert prop("xmp:CreatorTool").text == str(info.get("/Creator")), \
            "xmp:CreatorTool differs from Info /Creator"

    @check("xmp-extension-schema")
    def _():
        tree = xmp.get("tree")
        assert tree is not None, "no XMP"
        used_ns = set()
        for d in tree.iter(f"{{{NS['rdf']}}}Description"):
            for child in d:
                used_ns.add(child.tag[1:].split("}")[0])
        declared = {}
        for li in tree.iterfind(".//pdfaExtension:schemas/rdf:Bag/rdf:li", NS):
            uri = li.findtext("pdfaSchema:namespaceURI", namespaces=NS)
            names = {p.findtext("pdfaProperty:name", namespaces=NS)
                     for p in li.iterfind("pdfaSchema:property/rdf:Seq/rdf:li", NS)}
            for p in li.iterfind("pdfaSchema:property/rdf:Seq/rdf:li", NS):
                for k in ("name", "valueType", "category", "description"):
                    assert p.findtext(f"pdfaProperty:{k}", namespaces=NS), \
                        f"extension property lacks {k}"
            assert li.findtext("pdfaSchema:prefix", namespaces=NS), \
                "extension schema lacks a prefix"
            declared[uri] = names
        for uri in used_ns - PREDEFINED:
            assert uri in declared, f"namespace {uri} used without a pdfaExtension schema"
            for d in tree.iter(f"{{{NS['rdf']}}}Description"):
                for child in d:
                    if child.tag.startswith(f"{{{uri}}}"):
                        local = child.tag.split("}")[1]
                        assert local in declared[uri], f"property {local} of {uri} not declared"

    @check("catalog-lang")
    def _():
        assert str(root.get("/Lang", "")), "catalog has no /Lang"

    specs = []

    @check("embedded-files")
    def _():
        tree = root.get("/Names", {}).get("/EmbeddedFiles")
        assert tree is not None, "no /Names /EmbeddedFiles"
        names = list(tree.get("/Names", []))
        assert names, "empty /EmbeddedFiles name tree"
        keys = [bytes(names[i]) for i in range(0, len(names), 2)]
        assert keys == sorted(keys), f"name tree keys not sorted: {keys}"
        for i in range(0, len(names), 2):
            fs = names[i + 1]
            specs.append(fs)
            assert fs.get("/Type") == "/Filespec", "filespec without /Type /Filespec"
            for k in ("/F", "/UF", "/Desc"):
                assert k in fs, f"filespec {names[i]} lacks {k}"
            assert fs.get("/AFRelationship") == "/Source", \
                f"filespec {names[i]}: /AFRelationship is not /Source"
            ef = fs.EF.get("/F")
            assert isinstance(ef, pikepdf.Stream) and ef.get("/Type") == "/EmbeddedFile", \
                "no /EmbeddedFile stream"
            assert re.fullmatch(r"/[a-z]+/[a-z0-9.+-]+", str(ef.get("/Subtype", ""))), \
                f"{names[i]}: /Subtype {ef.get('/Subtype')} is not a MIME type"
            data = ef.read_bytes()
            par = ef.get("/Params", {})
            assert int(par.get("/Size", -1)) == len(data), f"{names[i]}: /Params /Size wrong"
            assert "/ModDate" in par, f"{names[i]}: no /Params /ModDate"
            assert bytes(par.get("/CheckSum", b"")) == hashlib.md5(data).digest(), \
                f"{names[i]}: /CheckSum wrong"

    @check("catalog-af")
    def _():
        af = root.get("/AF")
        assert isinstance(af, pikepdf.Array) and len(af) > 0, "catalog has no /AF array"
        got = {x.objgen for x in af}
        for fs in specs:
            assert fs.objgen in got, f"{fs.get('/F')} is not in the catalog /AF"

    @check("xmp-source-sha256")
    def _():
        byname = {str(fs.UF): fs.EF.F.read_bytes() for fs in specs}
        for role in ("corpus", "layout"):
            name = prop(f"pb:{role}File").text
            assert name in byname, f"pb:{role}File {name} is not an embedded file"
            sha = hashlib.sha256(byname[name]).hexdigest()
            assert prop(f"pb:{role}SHA256").text == sha, f"pb:{role}SHA256 does not match {name}"

    level_a_and_ua(pdf, raw, info, xmp, prop, used, fonts, ua_only)
    if ua_only:  # the PDF/A checks ran too (they share their readers); report the UA ones
        results[:] = [r for r in results if r[0].startswith("ua-")]
    return report(results, "pdfa")


def report(checked, suite):
    """One ok or FAIL line per (name, why) of checked, then the suite's summary; 1 if any
    failed (structure_check.py reports the same way)."""
    failed = 0
    for name, why in checked:
        if why is None:
            print(f"ok   {name}")
        else:
            print(f"FAIL {name}: {why}")
            failed += 1
    print(f"{suite}: {len(checked) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
