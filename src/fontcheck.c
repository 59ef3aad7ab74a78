/* fontcheck: `paiban fonts`. The faces come from pb_fonts_match (what pb_fonts_new opens);
 * each character's font from pb_itemize_choose (what composing does), so the report and a run
 * never disagree. */
#include "fontcheck.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fonts.h"
#include "itemize.h"
#include "uchar.h"

#define CP_LIMIT 0x110000u /* code points are below this (Unicode §2.4) */
/* the role column: the longest role name, "latin-bold-italic", and a space */
#define ROLE_COLUMN 18

/* What one role sets of the corpus. */
typedef struct {
    size_t chars;       /* occurrences */
    size_t distinct;
    size_t elsewhere;   /* occurrences its font lacks, set by another font */
    uint8_t *seen;      /* CP_LIMIT bits: characters asked for */
    uint8_t *lacks;     /* CP_LIMIT bits: of those, the ones its font lacks */
} role_use;

static int bit(const uint8_t *set, uint32_t c) { return set[c >> 3] >> (c & 7) & 1; }
static int set_bit(uint8_t *set, uint32_t c) /* 1 when it was not set */
{
    int was = bit(set, c);
    set[c >> 3] |= (uint8_t)(1u << (c & 7));
    return !was;
}

/* " 'c'" for a character that can be shown, else "" (out: 8 bytes). */
static void show(uint32_t c, char *out)
{
    out[0] = '\0';
    if (pb_uchar_is_visible(c)) {
        char u8[5] = {0};
        pb_uchar_encode(c, u8);
        snprintf(out, 8, " '%s'", u8);
    }
}

static void print_faces(const pb_font_match *m, FILE *out)
{
    for (int r = 0; r <= PB_ROLE_COUNT; r++) {
        fprintf(out, "  %-*s", ROLE_COLUMN, pb_fonts_role_name((pb_role)r));
        if (!m[r].family[0])
            fprintf(out, "none\n");
        else if (!m[r].installed)
            fprintf(out, "%s: NOT INSTALLED\n", m[r].family);
        else if (m[r].index)
            fprintf(out, "%s: %s, %s (face %d)\n", m[r].family, m[r].style, m[r].file,
                    m[r].index);
        else
            fprintf(out, "%s: %s, %s\n", m[r].family, m[r].style, m[r].file);
    }
    int missing = 0;
    for (int r = 0; r < PB_ROLE_COUNT; r++) {
        if (!m[r].installed || !(m[r].no_bold || m[r].no_italic))
            continue;
        if (!missing++)
            fprintf(out, "missing faces:\n");
        fprintf(out, "  %-*sfamily '%s' has no %s face: its '%s' face is used, so that text is "
                     "not set in %s\n", ROLE_COLUMN, pb_fonts_role_name((pb_role)r), m[r].family,
                m[r].no_bold ? "bold" : "italic", m[r].style, m[r].no_bold ? "bold" : "italic");
    }
    if (!missing)
        fprintf(out, "missing faces: none\n");
}

/* Every character of block b (style as composing gives it) counted for its role; an uncovered
 * one listed (up to the limit) and counted in *uncovered. */
static pb_status count_block(const pb_block *b, int style, pb_fontset *fonts, role_use *use,
                             const char *file, size_t *uncovered, FILE *out)
{
    if (!b->len)
        return PB_OK;
    pb_itemize_choice *ch = malloc(b->len * sizeof *ch);
    if (!ch)
        return pb_diag_oom("checking the fonts");
    pb_itemize_choose(b, style, fonts, ch);
    for (size_t i = 0; i < b->len; i++) {
        uint32_t c = b->text[i];
        if (c == PB_LINE_BREAK || pb_uchar_is_default_ignorable(c))
            continue; /* draws nothing: needs no font */
        role_use *u = &use[ch[i].role];
        u->chars++;
        u->distinct += (size_t)set_bit(u->seen, c);
        if (ch[i].font != pb_fonts_get(fonts, ch[i].role)) {
            set_bit(u->lacks, c);
            u->elsewhere += ch[i].font != NULL;
        }
        if (!ch[i].font && (*uncovered)++ < PB_FONTCHECK_LIST_MAX) {
            char shown[8];
            show(c, shown);
            fprintf(out, "  %s:%d:%u: U+%04X%s (role %s)\n", file, b->line,
                    (unsigned)b->col[i], (unsigned)c, shown, pb_fonts_role_name(ch[i].role));
        }
    }
    free(ch);
    return PB_OK;
}

/* The coverage lines: per role its characters, and what its font lacks. */
static void print_coverage(const role_use *use, FILE *out)
{
    for (int r = 0; r < PB_ROLE_COUNT; r++) {
        const role_use *u = &use[r];
        fprintf(out, "  %-*s", ROLE_COLUMN, pb_fonts_role_name((pb_role)r));
        if (!u->chars) {
            fprintf(out, "sets nothing of this text\n");
            continue;
        }
        fprintf(out, "%zu characters (%zu distinct)", u->chars, u->distinct);
        size_t lacking = 0;
        for (uint32_t c = 0; c < CP_LIMIT; c++)
            lacking += (size_t)bit(u->lacks, c);
        if (!lacking) {
            fprintf(out, ", all in its font\n");
            continue;
        }
        fprintf(out, "; its font lacks %zu:", lacking);
        size_t shown = 0;
        for (uint32_t c = 0; c < CP_LIMIT && shown < PB_FONTCHECK_SHOW_MAX; c++)
            if (bit(u->lacks, c)) {
                char text[8];
                show(c, text);
                fprintf(out, " U+%04X%s", (unsigned)c, text);
                shown++;
            }
        fprintf(out, "%s", lacking > shown ? " ..." : "");
        if (u->elsewhere)
            fprintf(out, "; other fonts set them (%zu times)", u->elsewhere);
        fputc('\n', out);
    }
}

pb_status pb_fontcheck_write(const pb_layout *layout, const char *fonts_dir, const pb_doc *doc,
                             FILE *out)
{
    pb_font_match m[PB_ROLE_COUNT + 1];
    pb_status st = pb_fonts_match(layout, fonts_dir, m);
    if (st != PB_OK)
        return st;
    fprintf(out, "fonts by role (family asked for: face chosen, file):\n");
    print_faces(m, out);
    for (int r = 0; r <= PB_ROLE_COUNT; r++)
        if (m[r].family[0] && !m[r].installed) {
            pb_diag_syserr("font family '%s' (role %s) is not installed",
                           m[r].family, pb_fonts_role_name((pb_role)r));
            st = PB_ESYSTEM;
        }
    if (st != PB_OK || !doc)
        return st;

    /* the faces open as a run opens them (their warnings are in the list above) */
    pb_fontset *fonts = NULL;
    pb_diag_set_thread_quiet(1);
    st = pb_fonts_new(layout, fonts_dir, &fonts);
    pb_diag_set_thread_quiet(0);
    if (st != PB_OK) /* again, to say why */
        return pb_fonts_new(layout, fonts_dir, &fonts) == PB_OK ? (pb_fonts_free(fonts), st) : st;
    role_use use[PB_ROLE_COUNT];
    memset(use, 0, sizeof use);
    for (int r = 0; r < PB_ROLE_COUNT && st == PB_OK; r++)
        if (!(use[r].seen = calloc(CP_LIMIT / 8, 1)) || !(use[r].lacks = calloc(CP_LIMIT / 8, 1)))
            st = pb_diag_oom("checking the fonts");
    size_t uncovered = 0;
    int emph_bold = layout->emphasis_zh == PB_EMPH_ZH_BOLD ? PB_ITEMIZE_EMPH_ZH_BOLD : 0;
    fprintf(out, "characters no font covers:\n");
    for (size_t i = 0; i < doc->n_blocks && st == PB_OK; i++) {
        const pb_block *b = &doc->blocks[i];
        int bold = b->kind == PB_BLOCK_TITLE || b->kind == PB_BLOCK_HEADING;
        st = count_block(b, (bold ? PB_ITEMIZE_BOLD : 0) | emph_bold, fonts, use, doc->file,
                         &uncovered, out);
        /* pinyin ruby is set in the Latin font (ruby.c), when the layout sets it */
        for (size_t k = 0; k < b->n_annots && st == PB_OK && layout->ruby_mode == PB_RUBY_RUBY;
             k++) {
            const pb_annot *a = &b->annots[k];
            uint32_t *cols = malloc((a->len ? a->len : 1) * sizeof *cols);
            if (!cols) {
                st = pb_diag_oom("checking the fonts");
                break;
            }
            for (size_t j = 0; j < a->len; j++)
                cols[j] = (uint32_t)(a->col + 1 + j); /* the pinyin starts after the '(' */
            pb_block pb = {.kind = PB_BLOCK_PARA, .lang = PB_LANG_EN, .text = a->text,
                           .len = a->len, .col = cols, .line = a->line};
            st = count_block(&pb, 0, fonts, use, doc->file, &uncovered, out);
            free(cols);
        }
    }
    if (st == PB_OK) {
        if (uncovered > PB_FONTCHECK_LIST_MAX)
            fprintf(out, "  ... and %zu more\n", uncovered - PB_FONTCHECK_LIST_MAX);
        else if (!uncovered)
            fprintf(out, "  none\n");
        fprintf(out, "coverage of %s:\n", doc->file);
        print_coverage(use, out);
        if (uncovered && layout->fallback[0]) {
            pb_diag_error(doc->file, 0, 0, "%zu character%s no configured font covers, the "
                          "[fonts] fallback '%s' included (listed above; set fallback to a family "
                          "that has them)", uncovered, uncovered == 1 ? "" : "s",
                          layout->fallback);
            st = PB_EINPUT;
        } else if (uncovered) {
            pb_diag_error(doc->file, 0, 0, "%zu character%s no configured font covers (listed "
                          "above; set [fonts] fallback to a family that has them)", uncovered,
                          uncovered == 1 ? "" : "s");
            st = PB_EINPUT;
        }
    }
    for (int r = 0; r < PB_ROLE_COUNT; r++) {
        free(use[r].seen);
        free(use[r].lacks);
    }
    pb_fonts_free(fonts);
    return st;
}
