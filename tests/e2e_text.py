#!/usr/bin/python3
"""e2e_text.py CHECK CORPUS TEXT: check the text pdftotext (or PyMuPDF) extracted from the
booklet (TEXT, UTF-8) against the corpus. CHECK is one of han, words, pinyin, comma, fffd, gaps,
gaps-white, or all (gaps-white is for pdf.js's text and is not part of all).
Prints what is wrong and exits 1 on failure, 0 on success, 2 on bad usage."""
import difflib
import re
import sys
import unicodedata

HAN = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"
HAN_RE = re.compile(f"[{HAN}]")
PINYIN = r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)"
PINYIN_RE = re.compile(PINYIN)
ANNOT_RE = re.compile(f"(?<=[{HAN}]){PINYIN}")  # an annotation in the corpus follows its Han
WORD_RE = re.compile(r"[A-Za-z]+")
# A word broken at a line end: "inter-\nnational" (hyphen, soft hyphen or U+2010).
BREAK_RE = re.compile(r"([A-Za-z]+)[-\u00ad\u2010][ \t]*\n\s*([A-Za-z]+)")
MIN_WORD_RATIO = 0.999


def context(seq, i, sep=""):
    """A few items of seq around index i, for messages."""
    return sep.join(seq[max(0, i - 8):i + 8])


# Lines short enough to be a title or a heading: running heads and the cover repeat them.
HEAD_MAX_HAN = 60


def check_han(corpus, text):
    """Every Han character of the corpus is in the PDF text, in order, and nothing else is
    there but repeats of the title and headings (the cover, running heads)."""
    want, got = HAN_RE.findall(corpus), HAN_RE.findall(text)
    heads = set()
    for line in corpus.splitlines():
        han = HAN_RE.findall(line)
        if len(han) <= HEAD_MAX_HAN:
            heads.update(han)
    # greedy in-order match; what is left over in the PDF must be heading text
    i, extra = 0, []
    for k, c in enumerate(got):
        if i < len(want) and c == want[i]:
            i += 1
        elif c not in heads:
            extra.append((k, c))
    if i == len(want) and not extra:
        return []
    msgs = [f"corpus has {len(want)} Han characters, {i} found in order in the PDF text "
            f"({len(got)} in all)"]
    if i < len(want):
        msgs.append(f"  missing from: …{context(want, i)}… (U+{ord(want[i]):04X} {want[i]})")
    for k, c in extra[:5]:
        msgs.append(f"  unexpected U+{ord(c):04X} {c} at {k}: …{context(got, k)}…")
    if [unicodedata.normalize("NFC", c) for c in got] != got:
        msgs.append("  some are CJK compatibility ideographs: the ToUnicode map sends a shared glyph "
                    "to the wrong code point")
    return msgs


def check_words(corpus, text):
    """The English words of the corpus appear in the PDF text in order (>= 99.9%)."""
    corpus, text = unicodedata.normalize("NFKC", corpus), unicodedata.normalize("NFKC", text)
    want = WORD_RE.findall(corpus)
    vocab = set(want)
    # Rejoin a line-end break when the joined word is a corpus word; else it was a real hyphen.
    text = BREAK_RE.sub(lambda m: m[1] + m[2] if m[1] + m[2] in vocab else f"{m[1]} {m[2]}", text)
    got = WORD_RE.findall(text)
    sm = difflib.SequenceMatcher(None, want, got, autojunk=False)
    matched = sum(b.size for b in sm.get_matching_blocks())
    ratio = matched / len(want) if want else 0.0
    if want and ratio >= MIN_WORD_RATIO:
        return []
    msgs = [f"{matched} of {len(want)} corpus words found in order ({ratio:.2%}, need "
            f"{MIN_WORD_RATIO:.1%})"]
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag in ("delete", "replace") and len(msgs) < 11:
            msgs.append(f"  corpus {' '.join(want[i1:i2][:12])!r} vs pdf {' '.join(got[j1:j2][:12])!r}"
                        f" (near: {context(want, i1, ' ')!r})")
    return msgs


def check_pinyin(_corpus, text):
    """No inline annotation such as (guó) made it into the text (full-width parens too)."""
    found = PINYIN_RE.findall(unicodedata.normalize("NFKC", text))
    return [f"{len(found)} pinyin annotations in the text, e.g. {found[:5]}"] if found else []


def check_comma(_corpus, text):
    """No ASCII comma between two Han characters (they must become full-width ,)."""
    found = re.findall(f"[{HAN}]\\s*,\\s*[{HAN}]", text)
    return [f"{len(found)} ASCII commas between Han characters, e.g. {found[:5]}"] if found else []


def check_fffd(_corpus, text):
    """No U+FFFD replacement character (a glyph without a Unicode mapping)."""
    n = text.count("\ufffd")
    return [f"{n} U+FFFD characters in the text"] if n else []


# A space touching a Han character or full-width punctuation: what a gap the layout leaves (the
# 1/4 em Han-Latin gap, a stretched line) turns into when an extractor guesses spaces.
GAP_RE = re.compile(f"(.)[ \t]+(?=([{HAN}\u3000-\u303f\uff00-\uffef]))|"
                    f"([{HAN}\u3000-\u303f\uff00-\uffef])[ \t]+(?=(.))")


def gap_contexts(text):
    """The (before, after) pairs around each space that touches Chinese text."""
    return {(m.group(1) or m.group(3), m.group(2) or m.group(4)) for m in GAP_RE.finditer(text)}


def check_gaps(corpus, text):
    """No space next to Chinese text the corpus does not have there (Han text as the corpus
    has it): a space between ideographs or at a Han-Latin gap is inserted. An ideographic space
    of the corpus is a space there (poppler reads U+3000 after a Latin run as U+0020)."""
    extra = sorted(gap_contexts(text) - gap_contexts(corpus.replace("\u3000", " ")))
    return [f"{len(extra)} spaces inserted next to Chinese text, e.g. "
            f"{['%s %s' % c for c in extra[:8]]}"] if extra else []


# White space in the corpus: U+3000 and the line ending a paragraph too.
WHITE_RE = re.compile(r"\s+")
# A paragraph's start in the corpus, its markup (heading #, list -, emphasis *) left out.
MARKUP_RE = re.compile(r"^[\W_]+|\*")
# How much of the text after a space must begin a corpus paragraph (shorter at a line end).
START_CHARS, START_LEAST = 12, 4


def check_gaps_white(corpus, text):
    """gaps for pdf.js's text (tests/pdfjs_text.mjs): no space next to Chinese text where the
    corpus has no white space. pdf.js reads every white-space glyph as U+0020 (an ideographic
    space U+3000 too: its worker's getCharUnicodeCategory, \\s), and a move right along the
    baseline into the next block (the parallel product's English paragraph beside a one-line
    Chinese one) as a space where the corpus ends a line. Neither is inserted: a space after
    which the text begins a corpus paragraph passes."""
    allowed = gap_contexts(WHITE_RE.sub(" ", corpus))
    starts = [MARKUP_RE.sub("", line) for line in corpus.splitlines()]
    extra = set()
    for m in GAP_RE.finditer(text):
        pair = (m.group(1) or m.group(3), m.group(2) or m.group(4))
        if pair in allowed:
            continue
        after = re.split(r"[\n\f]", text[m.end(3) if m.group(3) else m.end(1):].lstrip(" \t"))[0]
        after = after[:START_CHARS]
        if len(after) >= START_LEAST and any(line.startswith(after) for line in starts):
            continue  # the next paragraph
        extra.add(pair)
    return [f"{len(extra)} spaces inserted next to Chinese text, e.g. "
            f"{['%s %s' % c for c in sorted(extra)[:8]]}"] if extra else []


CHECKS = {"han": check_han, "words": check_words, "pinyin": check_pinyin,
          "comma": check_comma, "fffd": check_fffd, "gaps": check_gaps}
EXTRA_CHECKS = {"gaps-white": check_gaps_white}


def main(argv):
    checks = {**CHECKS, **EXTRA_CHECKS}
    if len(argv) != 4 or argv[1] not in (*checks, "all"):
        print(f"usage: {argv[0]} {{{','.join(checks)},all}} CORPUS TEXT", file=sys.stderr)
        return 2
    with open(argv[2], encoding="utf-8") as f:
        corpus = ANNOT_RE.sub("", f.read())
    with open(argv[3], encoding="utf-8") as f:
        text = f.read()
    if not text.strip():
        print(f"{argv[3]}: no text extracted")
        return 1
    failed = 0
    for name in CHECKS if argv[1] == "all" else [argv[1]]:
        msgs = checks[name](corpus, text)
        if msgs:
            failed += 1
            print(f"{name}: " + "\n".join(msgs))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
