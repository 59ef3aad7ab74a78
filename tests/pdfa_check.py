#!/usr/bin/python3
"""pdfa_check.py FILE.pdf: checks a paiban pdfa-3u PDF for what PDF/A-3u (ISO 19005-3) and
paiban's archive profile ask, as far as a script can: header, no encryption, trailer /ID, fonts
(embedded, /W against the font program, CIDToGIDMap, ToUnicode for every code drawn, no
.notdef), the sRGB OutputIntent, the XMP packet and its agreement with the Info dictionary,
the embedded source files (Associated Files, name tree, /AF, checksums, SHA-256 in the XMP).

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


def main():
    if len(sys.argv) != 2:
        print("usage: tests/pdfa_check.py FILE.pdf", file=sys.stderr)
        return 2
    path = sys.argv[1]
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
        assert prop("pdfaid:conformance").text == "U", "pdfaid:conformance is not U"

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

    failed = 0
    for name, why in results:
        if why is None:
            print(f"ok   {name}")
        else:
            print(f"FAIL {name}: {why}")
            failed += 1
    print(f"pdfa: {len(results) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
