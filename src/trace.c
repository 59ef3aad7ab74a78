/* trace: page dumps for golden files. Numbers are printed with two decimals (0.01 pt), so a
 * change of layout shows while last-bit floating point noise does not. */
#include "trace.h"

#include <math.h>

#include "uchar.h"

static void put_text(FILE *out, const pb_gpos *g, size_t n)
{
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < g[i].ntext; k++) {
            char u8[5] = {0};
            uint32_t c = g[i].text[k];
            if (c == '"' || c == '\\')
                fputc('\\', out);
            pb_uchar_encode(c, u8);
            fputs(u8, out);
        }
}

pb_status pb_trace_write(const pb_pages *pages, FILE *out)
{
    for (size_t p = 0; p < pages->n; p++) {
        const pb_page *pg = &pages->pages[p];
        fprintf(out, "page %zu size %.2f x %.2f folio %d section %d", p + 1, pg->w, pg->h,
                pg->folio, pg->section);
        if (fabs(pages->scale - 1.0) > 1e-9) /* a leaflet shrunk or grown to fit its page */
            fprintf(out, " scale %.3f", pages->scale);
        fputc('\n', out);
        for (size_t m = 0; m < pages->n_marks; m++)
            if (pages->marks[m].page == p) {
                fprintf(out, "  mark y=%.2f \"", pages->marks[m].y);
                for (size_t k = 0; k < pages->marks[m].len; k++) {
                    char u8[5] = {0};
                    pb_uchar_encode(pages->marks[m].title[k], u8);
                    fputs(u8, out);
                }
                fputs("\"\n", out);
            }
        size_t i = 0, li = 0;
        while (i < pg->n) {
            const pb_gpos *g = &pg->g[i];
            while (li < pg->n_lines && pg->lines[li].g1 <= i)
                li++;
            if (li < pg->n_lines && pg->lines[li].g0 == i) {
                const pb_pline *l = &pg->lines[li];
                fprintf(out, "  line y=%.2f x=%.2f width=%.2f ratio=%.3f", l->y, l->x, l->width,
                        l->ratio);
                if (l->block) /* the source line of its block (checks of widows, orphans) */
                    fprintf(out, " src=%d", l->block->line);
                if (l->measure > 0) /* its right edge at x + measure (overfull lines aside) */
                    fprintf(out, " measure=%.2f", l->measure);
                fputc('\n', out);
            }
            size_t j = i + 1;
            size_t end = li < pg->n_lines && pg->lines[li].g0 <= i ? pg->lines[li].g1 : pg->n;
            while (j < end && pg->g[j].font == g->font && pg->g[j].size == g->size &&
                   pg->g[j].y == g->y && pg->g[j].ruby == g->ruby && pg->g[j].hscale == g->hscale &&
                   pg->g[j].artifact == g->artifact &&
                   !(g->ruby && pg->g[j].ruby_first))
                j++; /* each ruby is a run of its own */
            pb_font_info info;
            pb_font_get_info(g->font, &info);
            /* decorations (emphasis dots, bullets) are runs of their own, with no text */
            const char *what = g->artifact == PB_ARTIFACT_LAYOUT ? "deco" : g->ruby ? "ruby" : "run";
            fprintf(out, "  %s y=%.2f x=%.2f..%.2f %s %.2f ", what, g->y, g->x,
                    pg->g[j - 1].x + pb_font_get_advance(g->font, pg->g[j - 1].gid) *
                                         pg->g[j - 1].size * pg->g[j - 1].hscale / info.upem,
                    info.psname, g->size);
            if (g->hscale != 1.0f) /* font expansion */
                fprintf(out, "scale=%.4f ", g->hscale);
            fputc('"', out);
            put_text(out, g, j - i);
            fputs("\"\n", out);
            i = j;
        }
    }
    return ferror(out) ? PB_ESYSTEM : PB_OK;
}
