#!/usr/bin/python3
"""hostile_pdf.py SRC DIR CASE...: hostile copies DIR/CASE.pdf of SRC, an archive paiban wrote
([pdf] profile = pdfa-3u), for the `paiban verify` checks of tests/verify.sh. Made with Debian's
python3-pikepdf at test time; only the part the case names is changed, so the rest is a real
archive.

Cases:
  kids-loop          /EmbeddedFiles is a name tree node whose /Kids are itself, twice
  deep-tree          the name tree's leaf under a chain of 40 distinct /Kids nodes
  wide-names         the leaf's /Names with 1 100 more (name, file spec) pairs
  no-size            the corpus stream without /Params /Size
  decode-parms       the corpus stream with /DecodeParms << /Predictor 1 >>
  bomb-corpus        the corpus stream holds 2 GiB of zeros, deflated twice (a few KB), its
                     /Params /Size honest
  bomb-corpus-flat   the same zeros deflated once (about 2 MB), /Params /Size honest
  bomb-corpus-liar   the same zeros deflated once, /Params /Size the real corpus's
  bomb-attachment    a third, unnamed attachment of 2 GiB of zeros (deflated twice)
  bomb-metadata      the XMP /Metadata stream replaced by 2 GiB of zeros (deflated once;
                     without its /Type, which verify does not read)
  bomb-page          page 1's content replaced by 2 GiB of zeros (deflated once); the sources
                     intact, so verify rebuilds and explains the difference
  esc-name           the corpus renamed "evil<ESC>]0;pwned<BEL><ESC>[31m.txt" (file spec and
                     XMP), its SHA-256 in the XMP made wrong, so verify names it in an error
  esc-missing        the XMP names a corpus "x<ESC>[2J.txt" that no attachment has
  hang-layout        the embedded layout's ruby size set to 9.5 pt, XMP SHA-256 and /Params
                     updated (paiban 9e839bd's ruby.c loops forever on it)
  base-layout        "base = /etc/passwd" put before the embedded layout, XMP SHA-256 and
                     /Params updated (a verify that opened it printed the machine's user names)
  accept-layout      "[query] accept = /etc/passwd" appended to the embedded layout, the same
  font-layout        the embedded layout's [fonts] han a family no machine has, the same
  selftest           no file: checks that the zeros above inflate to 2 GiB of zeros (7 s)
"""
import hashlib
import re
import sys
import zlib

import pikepdf
from pikepdf import Name

ZEROS = 2 << 30  # 2 GiB
CHUNK = 1 << 20


def deflated_zeros(total):
    """zlib stream of total zero bytes, built without deflating them all: after the first
    chunk the window holds only zeros, so one sync-flushed chunk's code is valid again and
    again; the Adler-32 of n zeros is (n mod 65521) << 16 | 1 (RFC 1950 §8.2)."""
    assert total % CHUNK == 0 and total >= 2 * CHUNK
    c = zlib.compressobj(9)
    first = c.compress(bytes(CHUNK)) + c.flush(zlib.Z_SYNC_FLUSH)
    again = c.compress(bytes(CHUNK)) + c.flush(zlib.Z_SYNC_FLUSH)
    end = c.flush(zlib.Z_FINISH)[:-4]
    adler = ((total % 65521) << 16) | 1
    out = first + again * (total // CHUNK - 1) + end + adler.to_bytes(4, "big")
    return out


def check_zeros(data, total):
    """Inflates data in bounded pieces: total zero bytes (a test of the generator)."""
    d = zlib.decompressobj()
    n = 0
    for i in range(0, len(data), 1 << 16):
        piece = d.decompress(data[i:i + (1 << 16)], 1 << 24)
        while True:
            assert piece.count(0) == len(piece)
            n += len(piece)
            if not d.unconsumed_tail:
                break
            piece = d.decompress(d.unconsumed_tail, 1 << 24)
    assert d.eof and n == total, (n, total)


def specs(pdf):
    tree = pdf.Root.Names.EmbeddedFiles
    names = tree.Names
    return [(str(names[i]), names[i + 1]) for i in range(0, len(names), 2)]


def xmp_replace(pdf, old, new):
    x = pdf.Root.Metadata.read_bytes()
    assert old in x, old
    pdf.Root.Metadata.write(x.replace(old, new))


def set_file(fs, data):
    ef = fs.EF.F
    ef.write(zlib.compress(data), filter=Name.FlateDecode)
    ef.Params.Size = len(data)
    ef.Params.CheckSum = pikepdf.String(hashlib.md5(data).digest())


def make(case, src, dst, flat):
    pdf = pikepdf.open(src)
    (cname, cfs), (lname, lfs) = specs(pdf)[0], specs(pdf)[1]
    if not cname.endswith(".txt"):
        (cname, cfs), (lname, lfs) = (lname, lfs), (cname, cfs)
    if case == "kids-loop":
        leaf = pdf.make_indirect(pikepdf.Dictionary(Names=pdf.Root.Names.EmbeddedFiles.Names))
        node = pdf.make_indirect(pikepdf.Dictionary())
        node.Kids = pikepdf.Array([leaf, node, node])
        pdf.Root.Names.EmbeddedFiles = node
    elif case == "deep-tree":
        node = pdf.make_indirect(pikepdf.Dictionary(Names=pdf.Root.Names.EmbeddedFiles.Names))
        for _ in range(40):
            node = pdf.make_indirect(pikepdf.Dictionary(Kids=pikepdf.Array([node])))
        pdf.Root.Names.EmbeddedFiles = node
    elif case == "wide-names":
        names = pdf.Root.Names.EmbeddedFiles.Names
        for i in range(1100):
            names.append(pikepdf.String(f"zz{i:05}"))
            names.append(cfs)
    elif case == "no-size":
        del cfs.EF.F.Params.Size
    elif case == "decode-parms":
        cfs.EF.F.DecodeParms = pikepdf.Dictionary(Predictor=1)
    elif case == "bomb-page":
        pdf.pages[0].Contents.write(flat, filter=Name.FlateDecode)
    elif case in ("bomb-corpus", "bomb-corpus-flat", "bomb-corpus-liar"):
        ef = cfs.EF.F
        size = int(ef.Params.Size)
        if case == "bomb-corpus":
            ef.write(zlib.compress(flat, 9), filter=[Name.FlateDecode, Name.FlateDecode])
        else:
            ef.write(flat, filter=Name.FlateDecode)
        ef.Params.Size = size if case == "bomb-corpus-liar" else ZEROS
    elif case == "bomb-attachment":
        ef = pikepdf.Stream(pdf, zlib.compress(flat, 9))
        ef.Filter = pikepdf.Array([Name.FlateDecode, Name.FlateDecode])
        ef.Type = Name.EmbeddedFile
        ef.Params = pikepdf.Dictionary(Size=ZEROS)
        fs = pdf.make_indirect(pikepdf.Dictionary(
            Type=Name.Filespec, F=pikepdf.String("zeros.bin"), UF=pikepdf.String("zeros.bin"),
            EF=pikepdf.Dictionary(F=ef)))
        names = pdf.Root.Names.EmbeddedFiles.Names
        names.append(pikepdf.String("zeros.bin"))
        names.append(fs)
    elif case == "bomb-metadata":
        del pdf.Root.Metadata.Type  # qpdf writes a /Type /Metadata stream inflated
        pdf.Root.Metadata.write(flat, filter=Name.FlateDecode)
    elif case in ("esc-name", "esc-missing"):
        evil = ("evil\x1b]0;pwned\x07\x1b[31m.txt" if case == "esc-name" else "x\x1b[2J.txt")
        tag = re.escape(b"<pb:corpusFile>") + rb"[^<]*" + re.escape(b"</pb:corpusFile>")
        x = pdf.Root.Metadata.read_bytes()
        x = re.sub(tag, b"<pb:corpusFile>" + evil.encode() + b"</pb:corpusFile>", x)
        if case == "esc-name":
            x = re.sub(rb"<pb:corpusSHA256>[0-9a-f]{64}", b"<pb:corpusSHA256>" + b"0" * 64, x)
            cfs.UF = pikepdf.String(evil)
            cfs.F = pikepdf.String(evil)
            names = pdf.Root.Names.EmbeddedFiles.Names
            for i in range(0, len(names), 2):
                if str(names[i]) == cname:
                    names[i] = pikepdf.String(evil)
        pdf.Root.Metadata.write(x)
    elif case == "hang-layout":
        old = lfs.EF.F.read_bytes()
        new, n = re.subn(rb"(\[ruby\][^\[]*?\nsize = )[0-9.]+pt", rb"\g<1>9.5pt", old)
        assert n == 1, "no [ruby] size in the embedded layout"
        set_file(lfs, new)
        xmp_replace(pdf, hashlib.sha256(old).hexdigest().encode(),
                    hashlib.sha256(new).hexdigest().encode())
    elif case in ("base-layout", "accept-layout", "font-layout"):
        old = lfs.EF.F.read_bytes()
        if case == "font-layout":
            new, n = re.subn(rb"\nhan = [^\n]*", b"\nhan = Nonexistent Font", old, count=1)
            assert n == 1, "no [fonts] han in the embedded layout"
        else:
            new = (b"base = /etc/passwd\n" + old if case == "base-layout"
                   else old + b"\n[query]\naccept = /etc/passwd\n")
        set_file(lfs, new)
        xmp_replace(pdf, hashlib.sha256(old).hexdigest().encode(),
                    hashlib.sha256(new).hexdigest().encode())
    else:
        sys.exit("hostile_pdf.py: unknown case " + case)
    # streams exactly as written (qpdf would inflate and deflate them again), XMP not parsed
    pdf.save(dst, stream_decode_level=pikepdf.StreamDecodeLevel.none, compress_streams=False,
             fix_metadata_version=False)


def main():
    src, outdir, cases = sys.argv[1], sys.argv[2], sys.argv[3:]
    flat = deflated_zeros(ZEROS)
    for case in cases:
        if case == "selftest":  # the generator's zeros inflate to 2 GiB of zeros (7 s)
            check_zeros(flat, ZEROS)
        else:
            make(case, src, f"{outdir}/{case}.pdf", flat)


if __name__ == "__main__":
    main()
