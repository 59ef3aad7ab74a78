/* report: what paiban changed and could not do, for the editor (text) or a machine (JSON). */
#include "report.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "uchar.h"

static const char *const ROLE_NAMES[PB_ROLE_COUNT] = {"han", "han-bold", "latin", "latin-bold",
                                                      "latin-italic"};
static const char *const ISSUE_NAMES[] = {"overfull line", "loose line", "leaflet overflow"};
static const char *const RUBY_MODES[] = {"ruby", "drop", "inline-check"};

typedef struct {
    size_t annots, pages, issues, notdef;
} totals;

static totals count(const pb_report_input *in)
{
    totals t = {0};
    for (size_t i = 0; i < in->doc->n_blocks; i++)
        t.annots += in->doc->blocks[i].n_annots;
    for (size_t o = 0; o < in->n_outputs; o++) {
        const pb_pages *p = in->pages[o];
        t.pages += p->n;
        t.issues += p->n_issues;
        for (size_t k = 0; k < p->n; k++)
            for (size_t g = 0; g < p->pages[k].n; g++)
                t.notdef += p->pages[k].g[g].gid == 0;
    }
    return t;
}

static void put_u32(FILE *f, const uint32_t *t, size_t n, int json)
{
    for (size_t i = 0; i < n; i++) {
        char u8[5] = {0};
        if (json && (t[i] == '"' || t[i] == '\\'))
            fputc('\\', f);
        if (json && t[i] < 0x20) {
            fprintf(f, "\\u%04x", (unsigned)t[i]);
            continue;
        }
        pb_uchar_encode(t[i], u8);
        fputs(u8, f);
    }
}

/* A JSON string of s, which may not be valid UTF-8 (a file name is bytes): every byte that is
 * not part of a valid sequence becomes U+FFFD, so the report stays valid JSON (RFC 8259 §8.1). */
static void put_str(FILE *f, const char *s)
{
    fputc('"', f);
    size_t n = strlen(s), i = 0;
    while (i < n) {
        uint32_t cp;
        size_t k = pb_uchar_decode((const uint8_t *)s + i, n - i, &cp);
        if (k == 0)
            cp = 0xFFFD, k = 1;
        put_u32(f, &cp, 1, 1);
        i += k;
    }
    fputc('"', f);
}

/* The roles a font serves, e.g. "han, han-bold". */
static void roles_of(const pb_fontset *fonts, pb_font *f, char *out, size_t n)
{
    out[0] = 0;
    for (int r = 0; r < PB_ROLE_COUNT; r++)
        if (pb_fonts_get(fonts, (pb_role)r) == f &&
            !(r == PB_ROLE_LATIN_ITALIC && f == pb_fonts_get(fonts, PB_ROLE_LATIN))) {
            size_t l = strlen(out);
            snprintf(out + l, n - l, "%s%s", l ? ", " : "", ROLE_NAMES[r]);
        }
    if (!out[0])
        snprintf(out, n, "fallback");
}

/* Glyphs font draws in output o (0 when the file was not written). */
static size_t glyphs_in(const pb_report_input *in, size_t o, const pb_font *font)
{
    const uint32_t *g;
    return in->usage && in->usage[o] ? pb_usage_glyphs(in->usage[o], font, &g) : 0;
}

#define CHAR_NAME_MAX 96

static const char *const CHANGE_KINDS[] = {"full-width", "quote", "dash", "ellipsis"};

/* "U+002D U+002D '--'" */
static void put_codes(FILE *f, const uint32_t *t, size_t n)
{
    for (size_t i = 0; i < n; i++)
        fprintf(f, "U+%04X ", (unsigned)t[i]);
    fputc('\'', f);
    put_u32(f, t, n, 0);
    fputc('\'', f);
}

/* The heading pairs, one line each: "FILE:LINE: level N: zh / en" */
static void write_headings(const pb_report_input *in, FILE *f)
{
    const pb_doc *d = in->doc;
    fprintf(f, "\nheadings: %d (%d level 1)\n", d->n_headings, d->n_sections);
    for (size_t i = 0; i + 1 < d->n_blocks; i += 2) {
        const pb_block *zh = &d->blocks[i], *en = &d->blocks[i + 1];
        if (zh->kind != PB_BLOCK_HEADING)
            continue;
        fprintf(f, "  %s:%d: level %d%s: ", in->corpus, zh->line, zh->level,
                zh->flags & PB_BLOCK_MARKED ? " (marked)" : "");
        put_u32(f, zh->text, zh->len, 0);
        fputs(" / ", f);
        put_u32(f, en->text, en->len, 0);
        fputc('\n', f);
    }
}

static void write_text(const pb_report_input *in, FILE *f)
{
    totals t = count(in);
    fprintf(f, "paiban preflight report: %s\n", in->product);
    fprintf(f, "corpus: %s (%zu blocks, %d sections, %d headings)\n", in->corpus,
            in->doc->n_blocks, in->doc->n_sections, in->doc->n_headings);
    fprintf(f, "layout: %s\n", in->layout->path[0] ? in->layout->path : "(built-in)");
    for (size_t o = 0; o < in->n_outputs; o++)
        fprintf(f, "output: %s: %zu page(s)%s\n", in->outputs[o], in->pages[o]->n,
                in->pages[o]->scale < 1 ? " (sizes shrunk to fit)" : "");
    fprintf(f, "\nfonts:\n");
    for (size_t i = 0; i < pb_fonts_count(in->fonts); i++) {
        pb_font *font = pb_fonts_at(in->fonts, i);
        pb_font_info info;
        pb_font_get_info(font, &info);
        char roles[64];
        roles_of(in->fonts, font, roles, sizeof roles);
        fprintf(f, "  %-22s %s, %s (face %d), ", roles, info.psname, info.file, info.index);
        if (in->n_outputs == 1)
            fprintf(f, "%zu glyphs\n", glyphs_in(in, 0, font));
        else {
            fputs("glyphs per file:", f);
            for (size_t o = 0; o < in->n_outputs; o++)
                fprintf(f, "%s %zu", o ? "," : "", glyphs_in(in, o, font));
            fputc('\n', f);
        }
    }
    write_headings(in, f);
    fprintf(f, "\nmissing glyphs: %s\n", t.notdef ? "" : "none");
    if (t.notdef)
        fprintf(f, "  %zu .notdef glyphs drawn\n", t.notdef);
    fprintf(f, "\npunctuation normalised: %zu\n", in->changes->n);
    for (size_t i = 0; i < in->changes->n; i++) {
        const pb_change *c = &in->changes->items[i];
        fprintf(f, "  %s:%d:%d: %s ", in->corpus, c->line, c->col, CHANGE_KINDS[c->kind]);
        put_codes(f, c->before, c->n_before);
        fputs(" -> ", f);
        put_codes(f, c->after, c->n_after);
        fputc('\n', f);
    }
    fprintf(f, "\ninvisible and format characters: %zu\n", in->changes->n_invisibles);
    for (size_t i = 0; i < in->changes->n_invisibles; i++) {
        const pb_invisible *v = &in->changes->invisibles[i];
        char name[CHAR_NAME_MAX];
        pb_uchar_name(v->cp, name, sizeof name);
        fprintf(f, "  %s:%d:%d: U+%04X %s: %s", in->corpus, v->line, v->col, (unsigned)v->cp, name,
                pb_normalize_action_name(v->action));
        if (v->action == PB_INVISIBLE_REPLACED) {
            pb_uchar_name(v->replacement, name, sizeof name);
            fprintf(f, " by U+%04X %s", (unsigned)v->replacement, name);
        }
        fprintf(f, " (%s)\n", v->why);
    }
    fprintf(f, "\npinyin annotations: %zu, %s\n", t.annots, RUBY_MODES[in->layout->ruby_mode]);
    for (size_t i = 0; i < in->doc->n_blocks; i++) {
        const pb_block *blk = &in->doc->blocks[i];
        for (size_t k = 0; k < blk->n_annots; k++) {
            const pb_annot *a = &blk->annots[k];
            fprintf(f, "  %s:%d:%d: ", in->corpus, a->line, a->col);
            put_u32(f, blk->text + a->base, 1, 0);
            fputs(" ", f);
            put_u32(f, a->text, a->len, 0);
            fputc('\n', f);
        }
    }
    const pb_queries *q = in->queries;
    fprintf(f, "\neditor queries: %zu\n", q ? q->n : 0);
    if (!q || !q->checked)
        fprintf(f, "  (Han text not checked: the Chinese language tag %s names no variant)\n",
                in->layout->lang_zh);
    for (size_t i = 0; q && i < q->n; i++) {
        const pb_query *e = &q->v[i];
        fprintf(f, "  %s:%d:%d: ", in->corpus, e->line, e->col);
        put_u32(f, e->found, e->found_len, 0);
        if (e->kind == PB_QUERY_VARIANT)
            fprintf(f, " U+%04X", (unsigned)e->found[0]);
        fputs(" -> ", f);
        put_u32(f, e->suggested, e->suggested_len, 0);
        if (e->kind == PB_QUERY_VARIANT)
            fprintf(f, " U+%04X: %s form in a zh-%s text? (ICU %s, in context)\n",
                    (unsigned)e->suggested[0],
                    strcmp(q->variant, "Hant") == 0 ? "a Simplified" : "a Traditional", q->variant,
                    strcmp(q->variant, "Hant") == 0 ? "Hans-Hant" : "Hant-Hans");
        else
            fputs(": l for I? (the text has the word in capitals)\n", f);
    }
    fprintf(f, "\ncomposition problems accepted: %zu\n", t.issues);
    for (size_t o = 0; o < in->n_outputs; o++)
        for (size_t i = 0; i < in->pages[o]->n_issues; i++) {
            const pb_issue *is = &in->pages[o]->issues[i];
            fprintf(f, "  %s:%d: %s on page %zu of %s (%s%.2f%s)\n", in->corpus, is->line,
                    ISSUE_NAMES[is->kind], is->page + 1, in->outputs[o],
                    is->kind == PB_ISSUE_OVERFULL ? "by " : "", is->value,
                    is->kind == PB_ISSUE_OVERFULL ? " pt" : "");
        }
    size_t heads = 0;
    for (size_t o = 0; o < in->n_outputs; o++)
        heads += in->pages[o]->n_heads;
    fprintf(f, "\nrunning heads shortened: %zu\n", heads);
    for (size_t o = 0; o < in->n_outputs; o++)
        for (size_t i = 0; i < in->pages[o]->n_heads; i++) {
            const pb_headnote *h = &in->pages[o]->heads[i];
            fprintf(f, "  %s:%d: %s of %s: \"", in->corpus, h->line,
                    h->section ? "a section's head" : "the title's head", in->outputs[o]);
            put_u32(f, h->text, h->len, 0);
            fprintf(f, "\" (%s)\n", h->rule);
        }
}

static void write_json(const pb_report_input *in, FILE *f)
{
    totals t = count(in);
    fputs("{\n  \"product\": ", f);
    put_str(f, in->product);
    fputs(",\n  \"corpus\": ", f);
    put_str(f, in->corpus);
    fputs(",\n  \"layout\": ", f);
    put_str(f, in->layout->path);
    if (in->doc->n_blocks >= 2) /* the title pair's source lines */
        fprintf(f, ",\n  \"title\": {\"line\": %d, \"en_line\": %d}", in->doc->blocks[0].line,
                in->doc->blocks[1].line);
    fputs(",\n  \"headings\": [", f);
    for (size_t i = 0, n = 0; i + 1 < in->doc->n_blocks; i += 2) {
        const pb_block *zh = &in->doc->blocks[i], *en = &in->doc->blocks[i + 1];
        if (zh->kind != PB_BLOCK_HEADING)
            continue;
        fprintf(f, "%s\n    {\"line\": %d, \"en_line\": %d, \"level\": %d, \"marked\": %s, \"zh\": \"",
                n++ ? "," : "", zh->line, en->line, zh->level,
                zh->flags & PB_BLOCK_MARKED ? "true" : "false");
        put_u32(f, zh->text, zh->len, 1);
        fputs("\", \"en\": \"", f);
        put_u32(f, en->text, en->len, 1);
        fputs("\"}", f);
    }
    fputs("],\n  \"outputs\": [", f);
    for (size_t o = 0; o < in->n_outputs; o++) {
        fprintf(f, "%s{\"file\": ", o ? ", " : "");
        put_str(f, in->outputs[o]);
        fprintf(f, ", \"pages\": %zu, \"scale\": %.3f}", in->pages[o]->n, in->pages[o]->scale);
    }
    fputs("],\n  \"fonts\": [", f);
    for (size_t i = 0; i < pb_fonts_count(in->fonts); i++) {
        pb_font *font = pb_fonts_at(in->fonts, i);
        pb_font_info info;
        pb_font_get_info(font, &info);
        char roles[64];
        roles_of(in->fonts, font, roles, sizeof roles);
        fprintf(f, "%s{\"roles\": ", i ? ", " : "");
        put_str(f, roles);
        fputs(", \"name\": ", f);
        put_str(f, info.psname);
        fputs(", \"file\": ", f);
        put_str(f, info.file);
        fprintf(f, ", \"face\": %d, \"glyphs\": [", info.index); /* per output file */
        for (size_t o = 0; o < in->n_outputs; o++)
            fprintf(f, "%s%zu", o ? ", " : "", glyphs_in(in, o, font));
        fputs("]}", f);
    }
    fprintf(f, "],\n  \"notdef_glyphs\": %zu,\n  \"normalisations\": [", t.notdef);
    for (size_t i = 0; i < in->changes->n; i++) {
        const pb_change *c = &in->changes->items[i];
        fprintf(f, "%s\n    {\"line\": %d, \"col\": %d, \"kind\": \"%s\", \"before\": \"",
                i ? "," : "", c->line, c->col, CHANGE_KINDS[c->kind]);
        put_u32(f, c->before, c->n_before, 1);
        fputs("\", \"after\": \"", f);
        put_u32(f, c->after, c->n_after, 1);
        fputs("\"}", f);
    }
    fputs("],\n  \"invisibles\": [", f);
    for (size_t i = 0; i < in->changes->n_invisibles; i++) {
        const pb_invisible *v = &in->changes->invisibles[i];
        char name[CHAR_NAME_MAX];
        pb_uchar_name(v->cp, name, sizeof name);
        fprintf(f, "%s\n    {\"line\": %d, \"col\": %d, \"code\": \"U+%04X\", \"name\": ",
                i ? "," : "", v->line, v->col, (unsigned)v->cp);
        put_str(f, name);
        fprintf(f, ", \"action\": \"%s\"", pb_normalize_action_name(v->action));
        if (v->action == PB_INVISIBLE_REPLACED)
            fprintf(f, ", \"replacement\": \"U+%04X\"", (unsigned)v->replacement);
        fputs(", \"why\": ", f);
        put_str(f, v->why);
        fputs("}", f);
    }
    fprintf(f, "],\n  \"ruby_mode\": \"%s\",\n  \"annotations\": [", RUBY_MODES[in->layout->ruby_mode]);
    size_t n = 0;
    for (size_t i = 0; i < in->doc->n_blocks; i++) {
        const pb_block *blk = &in->doc->blocks[i];
        for (size_t k = 0; k < blk->n_annots; k++, n++) {
            const pb_annot *a = &blk->annots[k];
            fprintf(f, "%s\n    {\"line\": %d, \"col\": %d, \"base\": \"", n ? "," : "", a->line,
                    a->col);
            put_u32(f, blk->text + a->base, 1, 1);
            fputs("\", \"pinyin\": \"", f);
            put_u32(f, a->text, a->len, 1);
            fputs("\"}", f);
        }
    }
    const pb_queries *q = in->queries;
    fprintf(f, "],\n  \"queries_checked\": %s,\n  \"queries\": [",
            q && q->checked ? "true" : "false");
    for (size_t i = 0; q && i < q->n; i++) {
        const pb_query *e = &q->v[i];
        fprintf(f, "%s\n    {\"kind\": \"%s\", \"line\": %d, \"col\": %d, \"found\": \"",
                i ? "," : "", e->kind == PB_QUERY_VARIANT ? "variant" : "l-for-I", e->line,
                e->col);
        put_u32(f, e->found, e->found_len, 1);
        fputs("\", \"suggested\": \"", f);
        put_u32(f, e->suggested, e->suggested_len, 1);
        fputs("\"}", f);
    }
    fputs("],\n  \"issues\": [", f);
    n = 0;
    for (size_t o = 0; o < in->n_outputs; o++)
        for (size_t i = 0; i < in->pages[o]->n_issues; i++, n++) {
            const pb_issue *is = &in->pages[o]->issues[i];
            fprintf(f, "%s\n    {\"kind\": \"%s\", \"line\": %d, \"page\": %zu, \"output\": ",
                    n ? "," : "", ISSUE_NAMES[is->kind], is->line, is->page + 1);
            put_str(f, in->outputs[o]);
            fprintf(f, ", \"value\": %.3f}", is->value);
        }
    fputs("],\n  \"running_heads\": [", f);
    n = 0;
    for (size_t o = 0; o < in->n_outputs; o++)
        for (size_t i = 0; i < in->pages[o]->n_heads; i++, n++) {
            const pb_headnote *h = &in->pages[o]->heads[i];
            fprintf(f, "%s\n    {\"line\": %d, \"section\": %d, \"output\": ", n ? "," : "",
                    h->line, h->section);
            put_str(f, in->outputs[o]);
            fputs(", \"text\": \"", f);
            put_u32(f, h->text, h->len, 1);
            fprintf(f, "\", \"rule\": \"%s\", \"ellipsis\": %s}", h->rule,
                    h->ellipsis ? "true" : "false");
        }
    fputs("]\n}\n", f);
}

pb_status pb_report_write(const pb_report_input *in, int json, pb_output *out)
{
    FILE *f = pb_output_open(out) == PB_OK ? pb_output_text(out) : NULL;
    if (!f)
        return PB_ESYSTEM;
    if (json)
        write_json(in, f);
    else
        write_text(in, f);
    return pb_output_close(out);
}

void pb_report_summary(const pb_report_input *in, FILE *f)
{
    totals t = count(in);
    fprintf(f, "paiban: %s: %zu file(s), %zu page(s); %zu punctuation changes, %zu annotations (%s)",
            in->product, in->n_outputs, t.pages, in->changes->n, t.annots,
            RUBY_MODES[in->layout->ruby_mode]);
    if (t.issues || t.notdef)
        fprintf(f, "; %zu composition problem(s), %zu missing glyph(s): see the report", t.issues,
                t.notdef);
    if (in->changes->n_invisibles)
        fprintf(f, "; %zu invisible or format character(s): see the report",
                in->changes->n_invisibles);
    if (in->queries && in->queries->n)
        fprintf(f, "; %zu editor quer%s: see the report", in->queries->n,
                in->queries->n == 1 ? "y" : "ies");
    fputc('\n', f);
}
