#!/usr/bin/env python3
"""man.py: write doc/paiban-layout.5 (man(7) source) on stdout from the documents that are the
truth for it: README.md's "The corpus" and steps 1-3 of "Typeset your own document" (the
corpus format and its markup), and layouts/README.md (every layout key). `make man` runs it;
tests/cli.sh checks that the committed page is what it writes.

Knows the Markdown those files use: headings, paragraphs, "- " and "1. " lists, fenced code,
tables (each row becomes a tagged paragraph: the first cell the tag, the others under their
column's name), `code`, **bold**, *emphasis*, [text](url)."""
import os
import re
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")


def read(path):
    with open(os.path.join(ROOT, path), encoding="utf-8") as f:
        return f.read()


def section(text, title, stop=None):
    """The lines of `## title` up to the next `## ` heading (or the line `stop` matches)."""
    lines = text.split("\n")
    start = lines.index("## " + title) + 1
    out = []
    for line in lines[start:]:
        if line.startswith("## ") or (stop and re.match(stop, line)):
            break
        out.append(line)
    return "\n".join(out)


def escape(s):
    """Text for roff: backslashes and a leading control character made plain."""
    return s.replace("\\", "\\e")


def inline(s):
    """Markdown inline markup to roff fonts."""
    out = []
    for i, part in enumerate(re.split(r"(`[^`]*`)", s)):
        if i % 2:  # a code span: literal, bold, ASCII hyphens
            out.append("\\fB" + escape(part[1:-1]).replace("-", "\\-") + "\\fR")
            continue
        t = escape(part)
        t = re.sub(r"\[([^\]]+)\]\(([^)]+)\)", r"\1 <\2>", t)
        t = re.sub(r"\*\*([^*]+)\*\*", r"\\fB\1\\fR", t)
        t = re.sub(r"(?<![\w*])\*([^*\s][^*]*)\*(?![\w*])", r"\\fI\1\\fR", t)
        out.append(t)
    return "".join(out)


def line_out(s):
    s = s.strip()
    return "\\&" + s if s[:1] in (".", "'") else s


def cells(row):
    """The cells of a table row, split at | outside code spans."""
    parts, cur, code = [], "", False
    for ch in row.strip().strip("|"):
        if ch == "`":
            code = not code
        if ch == "|" and not code:
            parts.append(cur.strip())
            cur = ""
        else:
            cur += ch
    parts.append(cur.strip())
    return parts


def convert(md):
    out = []
    lines = md.split("\n")
    i = 0
    para = []

    def flush():
        if para:
            out.append(".PP")
            out.extend(line_out(inline(p)) for p in para)
            para.clear()

    while i < len(lines):
        raw = lines[i]
        s = raw.strip()
        if not s:
            flush()
            i += 1
        elif s.startswith("```"):
            flush()
            indent = len(raw) - len(raw.lstrip())
            out += [".RS 4" if indent == 0 else ".RS", ".nf"]
            i += 1
            while i < len(lines) and not lines[i].strip().startswith("```"):
                out.append("\\&" + escape(lines[i][indent:]).replace("-", "\\-"))
                i += 1
            out += [".fi", ".RE"]
            i += 1
        elif s.startswith("#"):
            flush()
            out.append(".SS " + inline(s.lstrip("#").strip()))
            i += 1
        elif s.startswith("|") and i + 1 < len(lines) and re.match(r"^\|[-| :]+\|$", lines[i + 1].strip()):
            flush()
            head = cells(s)
            nested = raw.startswith(" ")  # a table inside a list item keeps its indent
            if nested:
                out.append(".RS 4")
            i += 2
            while i < len(lines) and lines[i].strip().startswith("|"):
                row = cells(lines[i])
                out += [".TP", line_out(inline(row[0]))]
                for k, c in enumerate(row[1:], 1):
                    if k > 1:
                        out.append(".br")
                    text = inline(c) if k == 1 else "%s: %s" % (head[k], inline(c))
                    out.append(line_out(text))
                i += 1
            if nested:
                out.append(".RE")
        elif re.match(r"^(- |\d+\. )", s):
            flush()
            m = re.match(r"^(- |\d+\. )", s)
            mark = "\\(bu" if m.group(1) == "- " else m.group(1).strip()
            item = [s[len(m.group(1)):]]
            i += 1
            # continuation lines are indented; a fenced block inside the item follows it
            while (i < len(lines) and lines[i].startswith("  ") and lines[i].strip()
                   and not lines[i].strip().startswith(("```", "|"))):
                item.append(lines[i].strip())
                i += 1
            out.append(".IP %s 4" % mark)
            out.extend(line_out(inline(p)) for p in item)
        else:
            para.append(s)
            i += 1
    flush()
    return out


def main():
    readme = read("README.md")
    layouts = read("layouts/README.md")
    version = re.search(r'#define PB_VERSION "([^"]+)"', read("src/main.c")).group(1)
    page = [
        '.\\" Made by tools/man.py from README.md and layouts/README.md: edit those, then `make man`.',
        '.TH PAIBAN\\-LAYOUT 5 "" "paiban %s" "File Formats"' % version,
        ".SH NAME",
        "paiban-layout \\- the corpus format and the layout files of paiban",
        ".SH SYNOPSIS",
        "\\fBpaiban\\fR [\\fB\\-\\-layout\\fR \\fIFILE\\fR|\\fINAME\\fR]... \\fICORPUS\\fR",
        ".SH DESCRIPTION",
        "paiban typesets a corpus, a UTF\\-8 text file of paired Chinese and English",
        "paragraphs, as a layout file says. A layout is named by its path, or by the name of",
        "a shipped layout (\\fBbooklet\\fR, \\fBleaflet\\fR, \\fBparallel\\fR, \\fBarchive\\fR),",
        "found in \\fBPAIBAN_LAYOUT_PATH\\fR, the source tree's \\fIlayouts/\\fR (for a program",
        "run from its \\fIbuild/\\fR) and the installed \\fIshare/paiban/layouts\\fR.",
        ".SH THE CORPUS",
    ]
    page += convert(section(readme, "The corpus"))
    page.append(".SH WRITING A CORPUS")
    page += convert(section(readme, "Typeset your own document", stop=r"^4\. "))
    page.append(".SH LAYOUT FILES")
    body = layouts.split("\n", 1)[1]  # without its "# Layout files" title
    page += convert(body)
    page += [".SH SEE ALSO", "\\fBpaiban\\fR(1)"]
    sys.stdout.write("\n".join(page) + "\n")


if __name__ == "__main__":
    main()
