// pdfjs_text.mjs: the text pdf.js reads from a PDF, for tests/e2e_text.py and the find checks.
//
//   node tests/pdfjs_text.mjs PDF                  the text of every page to standard output
//   node tests/pdfjs_text.mjs --each SUFFIX PDF... the text of each PDF into PDF+SUFFIX
//   node tests/pdfjs_text.mjs --find QUERY PDF...  the pages where the viewer's find bar finds
//                                                  QUERY; exit 1 when a PDF has none
//
// A page's text is its getTextContent() items joined as pdf.js's viewer joins them for find
// (web/pdf_find_controller.js, extractText): each item's str, then a newline after an item
// with hasEOL. pdf.js adds no separator of its own between items; the spaces in the text are
// the ones its text builder put into an item's str, or a " " item of its own, where the pen
// moved on past a glyph's advance by more than 0.1 em (the worker's TRACKING_SPACE_FACTOR) or
// a space glyph was drawn. Each page ends with a form feed, as pdftotext's pages do.
//
// --find compares QUERY with the page's text as the viewer's find normalises it (pdf.js 2.14,
// pdf_find_controller.js normalize): both decomposed (NFD), a line end after a hyphen that
// follows a non-space character removed with the line end (a word broken at a line's end),
// every other line end a space, and a few characters read as ASCII (U+2010 as -, curly quotes
// as straight ones, vulgar fractions as digits). Case is ignored, as by default. A query
// without spaces, punctuation or marks (2030年) is then a plain substring of that text.
//
// pdf.js comes from Debian's libjs-pdf (/usr/share/nodejs/pdfjs-dist), or from the folder
// PDFJS_DIR names (a pdfjs-dist package of the same layout). Exit 0 ok, 1 not found (--find)
// or an unreadable PDF, 2 bad usage, 3 pdf.js missing.
import { createRequire } from "node:module";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const require = createRequire(import.meta.url);
const DEFAULT_DIR = "/usr/share/nodejs/pdfjs-dist";

function usage() {
    process.stderr.write("usage: node tests/pdfjs_text.mjs [--each SUFFIX | --find QUERY] PDF...\n");
    process.exit(2);
}

function loadPdfjs() {
    const dir = process.env.PDFJS_DIR || DEFAULT_DIR;
    const lib = join(dir, "build", "pdf.js");
    const worker = join(dir, "build", "pdf.worker.js");
    if (!existsSync(lib) || !existsSync(worker)) {
        process.stderr.write(`pdfjs_text: pdf.js not found (${lib}); install Debian's libjs-pdf ` +
                             "(tools/deps.sh test) or set PDFJS_DIR\n");
        process.exit(3);
    }
    const pdfjs = require(lib);
    pdfjs.GlobalWorkerOptions.workerSrc = worker; // the "fake worker": same thread, in Node
    return { pdfjs, dir };
}

// The text of each page: items joined as the viewer's find joins them.
async function pageTexts(pdfjs, dir, file) {
    const doc = await pdfjs.getDocument({
        url: file,
        verbosity: pdfjs.VerbosityLevel.ERRORS,
        cMapUrl: join(dir, "cmaps") + "/",
        cMapPacked: true,
    }).promise;
    const pages = [];
    for (let n = 1; n <= doc.numPages; n++) {
        const page = await doc.getPage(n);
        const content = await page.getTextContent();
        let text = "";
        for (const item of content.items)
            text += item.str + (item.hasEOL ? "\n" : "");
        pages.push(text);
        page.cleanup();
    }
    await doc.destroy();
    return pages;
}

// What the viewer's find does to a page's text (and to the query) before it matches.
const AS_ASCII = {
    "\u2010": "-", "\u2018": "'", "\u2019": "'", "\u201A": "'", "\u201B": "'",
    "\u201C": '"', "\u201D": '"', "\u201E": '"', "\u201F": '"',
    "\u00BC": "1/4", "\u00BD": "1/2", "\u00BE": "3/4",
};
function findNormal(text) {
    return text.normalize("NFD")
        .replace(/(\S)-\n/gu, "$1")
        .replace(/\n/g, " ")
        .replace(/[\u2010\u2018-\u201F\u00BC-\u00BE]/g, (c) => AS_ASCII[c])
        .toLowerCase();
}

async function main(argv) {
    let each = null, query = null;
    while (argv.length && argv[0].startsWith("--")) {
        const opt = argv.shift();
        if (opt === "--each" && argv.length) each = argv.shift();
        else if (opt === "--find" && argv.length) query = argv.shift();
        else usage();
    }
    if (!argv.length || (each === null && query === null && argv.length !== 1) ||
        (each !== null && query !== null))
        usage();
    const { pdfjs, dir } = loadPdfjs();
    let status = 0;
    for (const file of argv) {
        let pages;
        try {
            pages = await pageTexts(pdfjs, dir, file);
        } catch (e) {
            process.stderr.write(`pdfjs_text: ${file}: ${e && e.message ? e.message : e}\n`);
            status = 1;
            continue;
        }
        if (query !== null) {
            const q = findNormal(query);
            const found = pages.flatMap((t, i) => (findNormal(t).includes(q) ? [i + 1] : []));
            if (found.length) {
                process.stdout.write(`${file}: ${query} found on page ${found.join(", ")}\n`);
            } else {
                process.stdout.write(`${file}: ${query} not found\n`);
                status = 1;
            }
        } else {
            const text = pages.map((t) => t + "\f").join("");
            if (each !== null) writeFileSync(file + each, text);
            else process.stdout.write(text);
        }
    }
    return status;
}

main(process.argv.slice(2)).then((rc) => process.exit(rc), (e) => {
    process.stderr.write(`pdfjs_text: ${e && e.stack ? e.stack : e}\n`);
    process.exit(1);
});
