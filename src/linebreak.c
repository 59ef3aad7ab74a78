/* linebreak: greedy first-fit breaking over the node list (the Knuth-Plass breaker of the
 * composition issue replaces it through the same interface). */
#include "linebreak.h"
#include "util.h"

#define BREAKS_FIRST 256 /* feasible breaks the arena has room for before it grows */

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Slack allowed before a line counts as too wide: rounding in the PDF is 0.001 pt. */
#define FIT_EPSILON 1e-6

void pb_linebreak_free(pb_lines *lines)
{
    free(lines->v);
    memset(lines, 0, sizeof *lines);
}

static int is_legal_break(const pb_nodes *nl, size_t i, size_t start)
{
    const pb_node *nd = &nl->v[i];
    if (nd->kind == PB_NODE_GLUE)
        return i > start && nl->v[i - 1].kind == PB_NODE_BOX;
    if (nd->kind == PB_NODE_PENALTY)
        return nd->penalty < PB_PENALTY_INF;
    return 0;
}

static pb_status add_line(pb_lines *out, const pb_nodes *nl, size_t n0, size_t n1, double measure,
                          double boost)
{
    if (PB_GROW(out->v, out->cap, out->n))
        return pb_diag_oom("breaking a paragraph into lines");
    double nat = 0, stretch = 0, shrink = 0;
    double condense = 0; /* pt: a Chinese line's Latin letters, the last to shrink */
    int fill = 0;
    for (size_t i = n0; i < n1; i++) {
        const pb_node *nd = &nl->v[i];
        if (nd->kind == PB_NODE_PENALTY)
            continue;
        nat += nd->width;
        /* a box stretches or shrinks when its letters may (font expansion, compose.c) */
        stretch += nd->stretch;
        if (nd->kind == PB_NODE_BOX && nd->condense) {
            condense += nd->shrink;
            continue;
        }
        shrink += nd->shrink * (nd->kind == PB_NODE_GLUE && nd->glue_class == PB_GLUE_WORD ? boost : 1);
        fill |= nd->kind == PB_NODE_GLUE && nd->glue_class == PB_GLUE_FILL;
    }
    if (n1 < nl->n && nl->v[n1].kind == PB_NODE_PENALTY)
        nat += nl->v[n1].width;
    double ratio = 0;
    if (nat < measure && stretch > 0)
        ratio = (measure - nat) / stretch;
    else if (nat > measure && shrink > 0)
        ratio = (measure - nat) / shrink;
    int overfull = nat - shrink - condense > measure + FIT_EPSILON;
    if (ratio < -1 || (nat > measure && shrink <= 0 && condense > 0))
        ratio = -1; /* glue never shrinks past its shrink; the Latin letters take the rest
                     * (compose.c place_line), or the line is overfull */
    pb_line *ln = &out->v[out->n++];
    ln->overfull = overfull;
    ln->word_shrink = boost;
    ln->n0 = n0;
    ln->n1 = n1;
    ln->natural = nat;
    ln->ratio = ratio;
    ln->last = fill;
    return PB_OK;
}

pb_status pb_linebreak_greedy(const pb_nodes *nl, double measure, pb_lines *out)
{
    out->n = 0;
    size_t start = 0;
    while (start < nl->n) {
        while (start < nl->n && nl->v[start].kind != PB_NODE_BOX)
            start++;
        if (start >= nl->n)
            break;
        double nat = 0, shrink = 0;
        size_t best = (size_t)-1, first_legal = (size_t)-1;
        for (size_t i = start; i < nl->n; i++) {
            const pb_node *nd = &nl->v[i];
            if (is_legal_break(nl, i, start)) {
                double w = nat + (nd->kind == PB_NODE_PENALTY ? nd->width : 0);
                if (first_legal == (size_t)-1)
                    first_legal = i;
                if (w - shrink <= measure + FIT_EPSILON) {
                    best = i;
                    if (nd->kind == PB_NODE_PENALTY && nd->penalty <= -PB_PENALTY_INF)
                        break;
                } else {
                    break;
                }
            }
            if (nd->kind != PB_NODE_PENALTY) {
                nat += nd->width;
                shrink += nd->shrink;
            }
        }
        if (best == (size_t)-1)
            best = first_legal != (size_t)-1 ? first_legal : nl->n;
        pb_status st = add_line(out, nl, start, best, measure, 1);
        if (st != PB_OK)
            return st;
        start = best + 1;
    }
    return PB_OK;
}

/* ---- Knuth-Plass ------------------------------------------------------------------------ */

/* TeX's defaults (The TeXbook, ch. 14 and App. B): \linepenalty, \adjdemerits,
 * \doublehyphendemerits, \finalhyphendemerits, \tolerance; badness is 100 r^3. */
#define KP_LINE_PENALTY 10
#define KP_ADJ_DEMERITS 10000
#define KP_DOUBLE_HYPHEN_DEMERITS 10000
#define KP_FINAL_HYPHEN_DEMERITS 5000
/* A last line holding only the tail of a word hyphenated on the line before reads as a
 * fragment ("knowl-/edge."): forbidden when it is shorter than this share of the measure (the
 * reader's eye takes a long tail as a line of its own), but where every setting without it has
 * a line past the tolerance (the KP_TAILS pass: "…11.2 mg of phenyl-" / "alanine." rather than
 * "…11.2 mg of" with spaces of 0.69 em, which the emergency pass took), and in the last pass. */
#define KP_TAIL_MIN_SHARE 0.15
#define KP_TOLERANCE 200
/* \tolerance of a line set by its word spaces alone (no Han glue on it): the badness of such a
 * line is its word glue's (see kp_pass), so this bounds the spaces a reader sees: at most half
 * an em. Noto Serif's 0.26 em space with TeX's stretch of half a space shows 0.26 + 0.13 r em
 * at glue ratio r, half an em at r = 2 (0.5 / 0.26 - 1) = 1.846, badness 100 r^3 = 629
 * (test_compose hyphen_rate_products). A line at it costs (10 + 629)^2 = 4.1e5 demerits, less
 * than a hyphen (nodes.c HYPHEN_PENALTY: 1e6), so a paragraph takes a loose line within this
 * bound before a hyphen; TeX's first pass without hyphens (\pretolerance, tex.web §863) at
 * this tolerance changes no product's bytes, so there is none before. After it, a paragraph
 * that took a hyphen the patterns found is set again without any, its word spaces let shrink
 * as the emergency pass lets them (KP_EMERGENCY_WORD_SHRINK, to 60 % of the space), within
 * KP_TOLERANCE and with no Han letter-spaced; where that succeeds it is taken
 * (pb_linebreak_total_fit): a tight line before a hyphen, as the font expansion already
 * makes its letters. */
#define KP_TOLERANCE_WORDS 629
#define KP_INF_BAD 10000
/* Largest adjustment ratio the badness formula is given (beyond it every line is as bad). */
#define KP_RATIO_MAX 1000.0
/* Second pass, TeX's \emergencystretch: every line is judged as if it had this much more
 * stretch (a share of the measure, about 0.7 em on a 34-em line), so that looseness is spread
 * over several lines instead of piling up in one; \tolerance for this pass. */
#define KP_EMERGENCY_STRETCH_RATIO 0.02
#define KP_TOLERANCE_EMERGENCY 1000
/* ... and in that pass a word space may shrink 1.2 times its usual shrink (to 60% of the
 * space instead of 67%): a slightly tight line where the alternative is a loose one. */
#define KP_EMERGENCY_WORD_SHRINK 1.2
/* Ragged lines (headings, titles): each may fall short by about a quarter of the measure at
 * moderate badness, the last line included, so the lines come out balanced. */
#define KP_RAGGED_STRETCH_RATIO 0.25
/* Ragged running text breaks a tie (a number and its unit, a date, a telephone number's
 * groups) only where every line without it would be past the emergency tolerance: a short
 * line costs a ragged setting less than a split "23.5 × / 40 cm" (what such a line costs). */
#define KP_RAGGED_TIE_DEMERITS                                                                  \
    ((KP_LINE_PENALTY + KP_TOLERANCE_EMERGENCY) * (KP_LINE_PENALTY + KP_TOLERANCE_EMERGENCY))
/* ... and a line of it ending at a compound's own hyphen ("reading-" / "room") costs what one
 * ending at a pattern's hyphen does (nodes.c HYPHEN_PENALTY: 1000^2), besides its penalty
 * (TeX's \exhyphenpenalty, 50): a ragged line need not end hyphenated to keep its spaces
 * even, and a compound's hyphen at a line's end reads as a hyphenated line all the same (it
 * counts in a ladder of them: KP_DOUBLE_HYPHEN_DEMERITS). Taken where a line without it would
 * be past the emergency tolerance, as a hyphen is. */
#define KP_RAGGED_EXHYPHEN_DEMERITS 1e6
/* ... and in the last pass, which ragged lines reach when only a tie or a URL's break would
 * keep them within that: a line may fall short by the whole measure at the badness a quarter
 * had, so that a short line costs less than a broken tie or URL (a flush-left contact block:
 * "电子邮件：" ends a line, the address starts the next). */
#define KP_RAGGED_LAST_STRETCH_RATIO 1.0
/* A line of a ragged block ending at a clause or a field gap (pb_node.clause: after ；，, ;
 * or an ideographic space) may fall short at the cost a line of the last pass does, in every
 * pass: a typesetter breaks "收稿日期：2025年3月2日；" there, the line 40 % of the measure,
 * rather than "…；修訂" / "日期：…" at 60 %, or "18 July" / "2025;": a short line is no
 * fault of a ragged block, a field or a date torn in two is (review 8). Where a block has such
 * a break, its last line is marked too (compose.c mark_clause_ends()), so that every line is
 * judged alike and the lines stay balanced. */
#define KP_CLAUSE_STRETCH_RATIO KP_RAGGED_LAST_STRETCH_RATIO
/* ... and where such a block has a clause or a field gap to break at, a break elsewhere (inside
 * a clause: 通讯|地址, "²Institute" / "of") costs what a line at the tolerance does, less than
 * a tie (nodes.c KEEP_PENALTY: 300^2): the lines go by clauses where they can. */
#define KP_INSIDE_CLAUSE_DEMERITS ((KP_LINE_PENALTY + KP_TOLERANCE) * (KP_LINE_PENALTY + KP_TOLERANCE))
/* ... and where it has a break of a higher rank (pb_node.clause: a field's end above a
 * sentence's, PB_SENTENCE_END: "remain.", "apply.", "plain:", above a clause's), a break of a
 * lower one costs what a line at badness 50 (a quarter of KP_TOLERANCE) does for each rank
 * below: fields first, then sentences, then clauses, the lines balanced ("Prices may change;
 * those posted in the shop apply." / "Updated 1 November 2026", not "Prices may change;" / and
 * the rest, review 10; "…Shanghai 200032, China;" / "2 School of Public Health, …", not
 * "…X Hospital," / "Shanghai 200032, China; 2 School…", review 11). Two ranks below, badness
 * 100, still costs less than a break inside a clause (KP_INSIDE_CLAUSE_DEMERITS). A line that
 * starts after such a lower break and runs on past a break of the highest rank (the rest of a
 * field, then the next: "Taipei 100, Taiwan; ²Institute of Public Health,") costs that again:
 * the next field starts a line ("…Hospital," / "Taipei 100, Taiwan;" / "²Institute of …"). */
#define KP_LOWER_RANK_DEMERITS(ranks)                                                           \
    ((KP_LINE_PENALTY + KP_TOLERANCE / 4 * (ranks)) * (KP_LINE_PENALTY + KP_TOLERANCE / 4 * (ranks)))
/* Last pass: looser lines rather than overfull ones (\tolerance=10000 territory). */
#define KP_TOLERANCE_FINAL KP_INF_BAD
/* A paragraph should not end with a line of a single ideograph (or one + a mark): clreq
 * #adjustments_of_orphans_and_widows, 2024-03-21. */
#define KP_LONE_LAST_DEMERITS 1e7
/* An English paragraph of more than one line should not end with one short word on a line of
 * its own ("reference."): CSS Text Module Level 4, text-wrap-style: avoid-short-last-line
 * (the aim of `pretty`). A last line of a single word shorter than this share of the measure
 * costs KP_SHORT_LAST_DEMERITS: what a line at badness ~540 (word spaces ~0.49 em) costs, so
 * the paragraph takes one somewhat looser line to avoid it, never a hyphen (1e6, nodes.c). */
#define KP_SHORT_LAST_SHARE (1.0 / 3.0)
#define KP_SHORT_LAST_DEMERITS 3e5
/* Three hyphenated lines in a row are worse than any spacing we would accept instead. */
#define KP_TRIPLE_HYPHEN_DEMERITS 1e6
/* A break inside a URL's word (nodes.c, last_resort; legal only inside a piece wider than the
 * line, mark_pieces()) costs what a line at TeX's "infinitely bad" does ((10 + 10000)^2
 * ~ 1e8): within such a piece, the fewest such cuts. */
#define KP_LAST_RESORT_DEMERITS 1e8
/* A Chinese line letter-spaced (its inter-character glue stretched, because the Western spaces
 * and Han-Latin glue on it could not fill it, even opened to half an em) is the last resort of
 * line adjustment (clreq #procedures_for_inter-character_space_expansion, 2024-03-21; JIS X
 * 4051:2004 §6.3: compression (追込み) is tried before spacing (追出し)). It is judged by its
 * letter-spacing alone, r = s / CJK_STRETCH_EM for s the space added between two ideographs
 * (nodes.c, 0.1 em), and costs, besides its badness 100 r^3, KP_HAN_GIVE_DEMERITS (more than
 * any compressed line) and this much times r^2: what a break of penalty 1000 r costs, so that
 * spacing is priced on the scale of the breaks it competes with (nodes.c): a line spaced by
 * 0.017 em a character costs a number split from its Han unit (UNIT_TIE_PENALTY 170), by
 * 0.03 em a tie or a URL broken at a Chicago point (KEEP_PENALTY, URL_BREAK_PENALTY: 300),
 * by 0.06 em a date's number split from its unit or a URL broken before an inner period (600),
 * by 0.1 em a hyphen (HYPHEN_PENALTY: 1000). Square, not proportional: a paragraph spreads
 * what it must letter-space (two lines at 0.05 em cost half of one at 0.1 em), where with a
 * cost in proportion to r, once past the badness, one line took all. At 1e5 r (up to r = 1)
 * lines were spaced 0.06-0.125 em rather than take a tie or a URL's break after "https://". */
#define KP_HAN_SPACED_DEMERITS 1e6
/* Stretch (pt) a line may need from its inter-character glue before it counts as spaced:
 * rounding, far below what anyone sees. */
#define KP_SPACED_EPS 1e-3
/* A line with Han whose Western spaces and Han-Latin gaps open past their stretch (the house
 * style: a third of an em for a Han-Latin gap) towards clreq's half an em (nodes.c
 * GIVE_MAX_EM) costs what the most compressed line does ((10 + 100)^2, badness 100 at ratio
 * -1), so that compression still comes first (clreq #line_adjustment: compression before
 * expansion). */
#define KP_HAN_GIVE_DEMERITS ((KP_LINE_PENALTY + 100.0) * (KP_LINE_PENALTY + 100.0))

typedef struct {
    size_t pos;            /* break node index (SIZE_MAX for the paragraph start) */
    int line;
    int fitness;           /* 0 tight, 1 decent, 2 loose, 3 very loose */
    int hyphens;           /* consecutive hyphenated lines ending here */
    double demerits;
    long prev;             /* index into the break arena, -1 for the start */
    size_t start;          /* the first node of the line after it (line_start), found once */
} kp_break;

typedef struct {
    kp_break *v;
    size_t n, cap;
} kp_arena;

static long arena_add(kp_arena *a, kp_break b)
{
    if (pb_util_grow(&a->v, &a->cap, a->n + 1, sizeof *a->v, BREAKS_FIRST))
        return -1;
    a->v[a->n] = b;
    return (long)a->n++;
}

/* First node of the line that follows a break at pos: discardables after it are dropped. */
static size_t line_start(const pb_nodes *nl, size_t pos)
{
    size_t s = pos == (size_t)-1 ? 0 : pos + 1;
    if (pos == (size_t)-1)
        return 0;
    while (s < nl->n && nl->v[s].kind != PB_NODE_BOX)
        s++;
    return s;
}

static int fitness_of(double r)
{
    if (r < -0.5)
        return 0;
    if (r <= 0.5)
        return 1;
    if (r <= 1)
        return 2;
    return 3;
}

/* Does the line [s, end) hold just one ideograph, with only line-start marks besides? */
static int lone_ideograph(const pb_nodes *nl, size_t s, size_t end)
{
    uint32_t han = 0, other = 0;
    for (size_t i = s; i < end; i++)
        if (nl->v[i].kind == PB_NODE_BOX) {
            han += nl->v[i].han;
            other += nl->v[i].chars - nl->v[i].han;
        }
    return han == 1 && other == 0;
}

int pb_linebreak_lone_ideograph(const pb_nodes *nl, const pb_line *ln)
{
    return lone_ideograph(nl, ln->n0, ln->n1);
}

/* Does the line [s, end) hold one Latin word alone (no word space, no ideograph) narrower than
 * the share KP_SHORT_LAST_SHARE of the measure W? */
static int short_last_word(const pb_nodes *nl, size_t s, size_t end, double W)
{
    double w = 0; /* pt */
    uint32_t chars = 0;
    for (size_t i = s; i < end; i++) {
        const pb_node *nd = &nl->v[i];
        if (nd->kind == PB_NODE_GLUE && nd->glue_class != PB_GLUE_FILL)
            return 0;
        if (nd->kind == PB_NODE_BOX) {
            if (nd->han)
                return 0;
            chars += nd->chars;
        }
        if (nd->kind != PB_NODE_PENALTY)
            w += nd->width;
    }
    return chars > 0 && w < KP_SHORT_LAST_SHARE * W;
}

/* Prefix sums over the node list (see pb_linebreak_total_fit). */
typedef struct {
    const double *w, *y, *z, *zw, *ycjk, *yb, *give, *zc;
    const uint8_t *lr_ok; /* per node: a last-resort break that may be taken (its piece is
                           * wider than the measure); NULL: none may */
    const uint8_t *held;  /* per node, ragged text: a break inside an address that fits a line
                           * of its own (mark_pieces); NULL: none */
    int clauses;          /* the highest pb_node.clause of a break (0: none ends a clause) */
    size_t avoid0, avoid1; /* breaks never taken: nodes [avoid0, avoid1] (avoid0 > avoid1: none;
                            * pb_linebreak_total_fit_avoiding) */
    const uint32_t *tops; /* per node: the breaks of the highest pb_node.clause before it
                           * (none forced); NULL: no clauses */
} kp_sums;

/* Penalties marked by the pieces between two other legal breaks they lie in: with inner the
 * last-resort breaks (inside a URL's word), those of a piece wider than the measure W, which
 * may be taken, where the line would else run over ("https://ww / w.example" never: a loose
 * line is better); with inner the URL breaks (pb_node.url, ragged text), those of a piece that
 * fits W: an address, with the mark after it, that fits a line of its own
 * ("lin.xiaolan@humanities.example.edu.cn;"), held as a tie. 1 when one is marked in out. */
enum { PIECE_LAST_RESORT, PIECE_URL };
static int mark_pieces(const pb_nodes *nl, double W, int inner, uint8_t *out)
{
    int any = 0;
    size_t start = 0;
    double run = 0; /* pt: the piece's natural width so far */
    memset(out, 0, nl->n);
    for (size_t i = 0; i <= nl->n; i++) {
        const pb_node *nd = i < nl->n ? &nl->v[i] : NULL;
        int in = nd && nd->kind == PB_NODE_PENALTY &&
                 (inner == PIECE_URL ? nd->url : nd->last_resort);
        int brk = !nd || (nd->kind == PB_NODE_GLUE && i > 0 && nl->v[i - 1].kind == PB_NODE_BOX) ||
                  (nd->kind == PB_NODE_PENALTY && nd->penalty < PB_PENALTY_INF && !in);
        if (!brk) {
            run += nd->kind == PB_NODE_PENALTY ? 0 : nd->width;
            continue;
        }
        if (inner == PIECE_URL ? run <= W : run > W)
            for (size_t k = start; k < i; k++)
                if (nl->v[k].kind == PB_NODE_PENALTY &&
                    (inner == PIECE_URL ? nl->v[k].url : nl->v[k].last_resort))
                    out[k] = 1, any = 1;
        start = i + 1;
        run = 0;
    }
    return any;
}

/* May a line end at node b? At glue after a box, at a penalty below infinity, and inside a URL's
 * word only where its piece is wider than the line (mark_pieces). */
static int kp_legal(const pb_nodes *nl, const kp_sums *ps, size_t b)
{
    const pb_node *nd = &nl->v[b];
    if (b >= ps->avoid0 && b <= ps->avoid1)
        return 0;
    if (nd->kind == PB_NODE_GLUE)
        return b > 0 && nl->v[b - 1].kind == PB_NODE_BOX;
    return nd->kind == PB_NODE_PENALTY && nd->penalty < PB_PENALTY_INF &&
           (!nd->last_resort || (ps->lr_ok && ps->lr_ok[b]));
}

/* Would the line [s, b) still fit the measure W with the piece after b (up to the next legal
 * break) on it too, shrunk as far as it may? */
static int takes_next_piece(const pb_nodes *nl, const kp_sums *ps, size_t s, size_t b, double W)
{
    size_t j = line_start(nl, b);
    while (++j < nl->n && !kp_legal(nl, ps, j))
        ;
    if (j >= nl->n)
        return 0;
    double w = ps->w[j] - ps->w[s] + (nl->v[j].kind == PB_NODE_PENALTY ? nl->v[j].width : 0);
    return w - (ps->z[j] - ps->z[s]) <= W + 1e-9;
}

/* A hyphen the patterns found (not an explicit hyphen's break, nor the author's U+00AD) */
static int pattern_hyphen(const pb_node *nd)
{
    return nd->kind == PB_NODE_PENALTY && nd->flagged && nd->hyphen_gid && !nd->soft;
}

/* A break after a compound's own hyphen ("reading-|room": nodes.c, TeX's \exhyphenpenalty), not
 * a pattern's or the author's U+00AD, nor a name's (its penalty the last resort's already) */
static int explicit_hyphen(const pb_node *nd)
{
    return nd->kind == PB_NODE_PENALTY && nd->flagged && !nd->hyphen_gid && !nd->capital;
}

/* the two kinds of ragged lines: display lines and fields (balanced, the last line judged
 * like the others; no hyphen) and running text (filled, its word spaces as they are, hyphens
 * sparingly) */
enum { RAG_DISPLAY = 1, RAG_TEXT = 2 };

/* which hyphens a pass takes: KP_PRE, the pass before hyphenation (see
 * pb_linebreak_total_fit): no pattern hyphen is a break, and a line of words is held to the
 * tolerance given, not raised to KP_TOLERANCE_WORDS; KP_HYPHENS, every hyphen but one that
 * leaves a short tail alone on the last line (KP_TAIL_MIN_SHARE); KP_TAILS, that one too */
enum { KP_HYPHENS, KP_PRE, KP_TAILS };

static pb_status kp_pass(const pb_nodes *nl, double W, double tolerance, double emergency,
                         int final, int ragged, int hyph, double boost, const kp_sums *ps,
                         pb_lines *out, int *ok)
{
    int pre = hyph == KP_PRE;
    kp_arena ar = {0};
    long *active = NULL, *next = NULL;
    size_t n_active = 0, cap_active = 0;
    pb_status st = PB_ESYSTEM;
    *ok = 0;
    long first = arena_add(&ar, (kp_break){(size_t)-1, 0, 1, 0, 0, -1, 0});
    if (first < 0)
        goto nomem;
    cap_active = 64;
    active = malloc(cap_active * sizeof *active);
    next = malloc(cap_active * sizeof *next);
    if (!active || !next)
        goto nomem;
    active[n_active++] = first;

    /* best way to the break at hand per (fitness class, consecutive hyphens 0/1/2+): keeping
     * the hyphen state apart keeps the optimum exact under the consecutive-hyphen demerits;
     * emptied again once used (most breaks set none) */
    double best_d[4][3];
    long best_from[4][3];
    for (int f = 0; f < 4; f++)
        for (int h = 0; h < 3; h++) {
            best_d[f][h] = INFINITY;
            best_from[f][h] = -1;
        }
    for (size_t b = 0; b < nl->n && n_active; b++) {
        const pb_node *nd = &nl->v[b];
        int legal = kp_legal(nl, ps, b);
        /* ragged display lines need no hyphenation, and keep a compound whole ("well-being")
         * unless only the last-resort pass finds no other way (a word wider than the line: a
         * heading's hyphen rather than text run off the page) */
        if (legal && ragged == RAG_DISPLAY && nd->kind == PB_NODE_PENALTY && nd->flagged && !final)
            legal = 0;
        /* a tie, or a break inside a URL or an e-mail address, in ragged display lines and
         * blocks only where no way within the emergency tolerance is left: a short line there
         * is no fault (a contact block sets an address on a line of its own), and the first
         * pass's tolerance would take it for one. Ragged running text takes them at their
         * penalties, as justified text does: a line 16 em short before an address ("For
         * details, see") is a hole in its rag. */
        if (legal && ragged == RAG_DISPLAY && nd->kind == PB_NODE_PENALTY &&
            (nd->tie || nd->url) && !final)
            legal = 0;
        if (legal && pre && pattern_hyphen(nd))
            legal = 0;
        /* the first pass (and its pass without hyphens) breaks no address where what ends the
         * line reads as a whole one (pb_node.host), nor, in ragged running text, an address
         * that fits a line of its own (README: "in a ragged block an address that fits a line
         * of its own is not broken"; review 10: "e-mail: lin" / ".xiaolan@…"): the emergency
         * pass weighs them against looser lines, where a line a quarter of the measure short is
         * no fault of a rag */
        if (legal && !final && tolerance <= KP_TOLERANCE && nd->kind == PB_NODE_PENALTY &&
            (nd->host || (ragged == RAG_TEXT && ps->held && ps->held[b])))
            legal = 0;
        if (!legal)
            continue;
        int forced = nd->kind == PB_NODE_PENALTY && nd->penalty <= -PB_PENALTY_INF;
        long rescue = -1; /* final pass: the least bad way to an overfull line */
        int any = 0;      /* some best_from set */
        size_t n_next = 0;
        for (size_t k = 0; k < n_active; k++) {
            const kp_break *a = &ar.v[active[k]];
            size_t s = a->start;
            double w = s <= b ? ps->w[b] - ps->w[s] : 0;
            double y = s <= b ? ps->y[b] - ps->y[s] : 0;
            double z = s <= b ? ps->z[b] - ps->z[s] + (boost - 1) * (ps->zw[b] - ps->zw[s]) : 0;
            if (ragged == RAG_TEXT && !final && s <= b) /* its word spaces as they are */
                z -= boost * (ps->zw[b] - ps->zw[s]);
            double ycjk = s <= b ? ps->ycjk[b] - ps->ycjk[s] : 0;
            double yb = s <= b ? ps->yb[b] - ps->yb[s] : 0;
            double give = s <= b ? ps->give[b] - ps->give[s] : 0;
            double zc = s <= b ? ps->zc[b] - ps->zc[s] : 0; /* Latin letters in Han text */
            if (nd->kind == PB_NODE_PENALTY)
                w += nd->width;
            double e = ragged == RAG_DISPLAY && nd->clause && emergency < KP_CLAUSE_STRETCH_RATIO * W
                           ? KP_CLAUSE_STRETCH_RATIO * W
                           : emergency;
            double r;
            if (w < W - 1e-9)
                r = y > 0 || e > 0 ? (W - w) / (y + e) : INFINITY;
            else if (w > W + 1e-9)
                r = z > 0 ? (W - w) / z : -INFINITY;
            else
                r = 0;
            /* a line its glue shrinks exactly to the measure (a mark's blanks closed) fits: the
             * running sums' rounding (190.00000000000003 - 5 over 190) is no overfull line */
            if (r < -1 && w - z <= W + FIT_EPSILON)
                r = -1;
            /* past its glue's shrink, a Chinese line's Latin letters narrow (compose.c
             * allow_condensing): the line is as tight as a line gets, and costs more */
            int condensed = !ragged && r < -1 && zc > 0 && w - z - zc <= W + 1e-9;
            if (condensed)
                r = -1;
            /* past its letters' limit (font expansion, r > 1) a line's glue takes the rest alone
             * (compose.c place_line): judge the line by what its spaces then show */
            if (r > 1 && yb > 0 && y - yb > 0)
                r = (W - w - yb) / (y - yb + e);
            /* nothing but letters to stretch, and no room for the next piece (a URL's pieces in
             * a narrow column, one long word): the line cannot be justified, and is set flush
             * left at its letters' limit (compose.c); in the last pass it is judged as a ragged
             * line is, by what it lacks (KP_RAGGED_STRETCH_RATIO). Taken as infinitely
             * stretched, its 1e22 demerits drowned every other cost of its paragraph in
             * rounding: three Chinese lines were letter-spaced to pull one ideograph onto the
             * first line of such a URL. A line without glue that could hold more (one
             * ideograph) stays infinitely bad. */
            int glueless = final && !ragged && w < W - 1e-9 && y - yb <= 0 &&
                           !takes_next_piece(nl, ps, s, b, W);
            if (glueless)
                r = W - w > yb ? (W - w - yb) / (KP_RAGGED_STRETCH_RATIO * W) : (W - w) / yb;
            /* letter-spaced Han: what the Western spaces and Han-Latin gaps cannot fill, even
             * open to half an em, comes from between the characters */
            double spacing = !ragged && ycjk > 0 ? W - w - (y - ycjk) - give : 0;
            int spaced = spacing > KP_SPACED_EPS, opened = !ragged && spacing + give > KP_SPACED_EPS;
            if (spaced)
                r = spacing / ycjk;
            double tol =
                !pre && ragged != RAG_DISPLAY && ycjk <= 0 && tolerance < KP_TOLERANCE_WORDS
                    ? KP_TOLERANCE_WORDS
                    : tolerance;
            /* ragged text takes a short line up to the emergency tolerance before a hyphen
             * (about 2.15 times its zone short): hyphens sparingly */
            if (ragged == RAG_TEXT && tol < KP_TOLERANCE_EMERGENCY)
                tol = KP_TOLERANCE_EMERGENCY;
            int keep = !(r < -1 || forced);
            if (keep)
                next[n_next++] = active[k];
            if (r < -1) {
                /* like TeX's final pass, an overfull line starts from the latest break */
                if (final && (rescue < 0 || a->pos + 1 > ar.v[rescue].pos + 1 ||
                              (a->pos == ar.v[rescue].pos && a->demerits < ar.v[rescue].demerits)))
                    rescue = active[k];
                continue;
            }
            /* badness 100 r^3 (TeX §108), capped at "infinitely bad" -- except in the last-resort
             * pass, where every line is past the tolerance and a line stretched 90 times its
             * glue must cost more than one stretched 5 times (else the cap makes them equal) */
            double bad = fabs(r) > KP_RATIO_MAX ? KP_RATIO_MAX : fabs(r);
            bad = 100 * bad * bad * bad;
            if (bad > KP_INF_BAD && !final)
                bad = KP_INF_BAD;
            if (bad > tol && !final)
                continue;
            if (spaced && pre)
                continue; /* no Han letter-spaced to save a Western word's hyphen */
            double d = (KP_LINE_PENALTY + bad) * (KP_LINE_PENALTY + bad);
            if (nd->kind == PB_NODE_PENALTY) {
                if (nd->penalty >= 0)
                    d += (double)nd->penalty * nd->penalty;
                else if (!forced)
                    d -= (double)nd->penalty * nd->penalty;
            }
            if (nd->kind == PB_NODE_PENALTY && nd->last_resort)
                d += KP_LAST_RESORT_DEMERITS;
            if (ragged == RAG_TEXT && explicit_hyphen(nd))
                d += KP_RAGGED_EXHYPHEN_DEMERITS; /* a compound's hyphen ends a line as one */
            if (ragged == RAG_TEXT && nd->kind == PB_NODE_PENALTY &&
                (nd->tie || (ps->held && ps->held[b])))
                d += KP_RAGGED_TIE_DEMERITS; /* an address that fits a line: kept as a tie is */
            if (ragged == RAG_DISPLAY && ps->clauses && !nd->clause && !forced)
                d += KP_INSIDE_CLAUSE_DEMERITS;
            else if (ragged == RAG_DISPLAY && nd->clause && nd->clause < ps->clauses && !forced)
                d += KP_LOWER_RANK_DEMERITS(ps->clauses - nd->clause);
            if (ps->tops && a->pos != (size_t)-1 && nl->v[a->pos].clause < ps->clauses &&
                nl->v[a->pos].penalty > -PB_PENALTY_INF && ps->tops[b] > ps->tops[a->pos + 1])
                d += KP_LOWER_RANK_DEMERITS(ps->clauses - nl->v[a->pos].clause); /* runs on */
            int hy = nd->kind == PB_NODE_PENALTY && nd->flagged;
            if (hy && a->hyphens > 1 && !final)
                continue; /* a third hyphenated line in a row: only as a last resort */
            if (hy && a->hyphens > 0)
                d += KP_DOUBLE_HYPHEN_DEMERITS;
            if (hy && a->hyphens > 1)
                d += KP_TRIPLE_HYPHEN_DEMERITS;
            if (forced && a->hyphens > 0 && !final && hyph != KP_TAILS &&
                w < KP_TAIL_MIN_SHARE * W)
                continue; /* no paragraph ends on a short word's tail ("knowl-/edge.") but
                           * before a loose line (KP_TAILS) or as a last resort; a long one
                           * costs \finalhyphendemerits */
            if (forced && a->hyphens > 0)
                d += KP_FINAL_HYPHEN_DEMERITS;
            int fit = fitness_of(r);
            if (abs(fit - a->fitness) > 1)
                d += KP_ADJ_DEMERITS;
            if (forced && lone_ideograph(nl, s, b))
                d += KP_LONE_LAST_DEMERITS;
            if (forced && !ragged && a->line > 0 && short_last_word(nl, s, b, W))
                d += KP_SHORT_LAST_DEMERITS;
            if (opened || condensed)
                d += KP_HAN_GIVE_DEMERITS;
            if (spaced)
                d += KP_HAN_SPACED_DEMERITS * r * r;
            d += a->demerits;
            int hs = hy ? (a->hyphens + 1 > 2 ? 2 : a->hyphens + 1) : 0;
            if (d < best_d[fit][hs]) {
                best_d[fit][hs] = d;
                best_from[fit][hs] = active[k];
                any = 1;
            }
        }
        /* swap in the survivors, then add the new breaks */
        long *t = active;
        active = next;
        next = t;
        n_active = n_next;
        if (!any && rescue >= 0 && (n_active == 0 || forced)) {
            /* nothing fits: take an overfull line from the best node rather than fail */
            int hy = nd->kind == PB_NODE_PENALTY && nd->flagged;
            int hs = hy ? (ar.v[rescue].hyphens + 1 > 2 ? 2 : ar.v[rescue].hyphens + 1) : 0;
            best_from[1][hs] = rescue;
            best_d[1][hs] = ar.v[rescue].demerits + KP_INF_BAD * (double)KP_INF_BAD;
            any = 1;
        }
        for (int fh = 0; any && fh < 12; fh++) {
            int f = fh / 3, h = fh % 3;
            long from = best_from[f][h];
            double from_d = best_d[f][h];
            if (from < 0)
                continue;
            best_from[f][h] = -1;
            best_d[f][h] = INFINITY;
            const kp_break *a = &ar.v[from];
            kp_break nb = {b, a->line + 1, f, h, from_d, from, line_start(nl, b)};
            long id = arena_add(&ar, nb);
            if (id < 0)
                goto nomem;
            if (n_active + 1 > cap_active) {
                size_t cap = cap_active * 2;
                long *v1 = realloc(active, cap * sizeof *v1);
                if (!v1)
                    goto nomem;
                active = v1;
                long *v2 = realloc(next, cap * sizeof *v2);
                if (!v2)
                    goto nomem;
                next = v2;
                cap_active = cap;
            }
            active[n_active++] = id;
        }
        if (forced && b + 1 == nl->n) {
            /* the paragraph end: pick the best break here */
            long best = -1;
            for (size_t k = 0; k < n_active; k++)
                if (ar.v[active[k]].pos == b &&
                    (best < 0 || ar.v[active[k]].demerits < ar.v[best].demerits))
                    best = active[k];
            if (best < 0)
                break;
            /* walk back to collect the lines */
            size_t nlines = 0;
            for (long i = best; ar.v[i].prev >= 0; i = ar.v[i].prev)
                nlines++;
            out->n = 0;
            size_t *ends = malloc((nlines ? nlines : 1) * sizeof *ends);
            if (!ends)
                goto nomem;
            size_t k = nlines;
            for (long i = best; ar.v[i].prev >= 0; i = ar.v[i].prev)
                ends[--k] = ar.v[i].pos;
            size_t prev = (size_t)-1;
            for (size_t li = 0; li < nlines; li++) {
                if (add_line(out, nl, line_start(nl, prev), ends[li], W, boost) != PB_OK) {
                    free(ends);
                    st = PB_ESYSTEM; /* add_line said so */
                    goto done;
                }
                prev = ends[li];
            }
            free(ends);
            *ok = 1;
            break;
        }
    }
    st = PB_OK;
    goto done;
nomem:
    st = pb_diag_oom("breaking a paragraph into lines");
done:
    free(ar.v);
    free(active);
    free(next);
    return st;
}

/* ragged: 0 justified, RAG_DISPLAY or RAG_TEXT (with its zone rag_pt); no break taken at nodes
 * [avoid0, avoid1] (avoid0 > avoid1: none) */
static pb_status total_fit(const pb_nodes *nl, double W, int ragged, double rag_pt,
                           size_t avoid0, size_t avoid1, pb_lines *out)
{
    out->n = 0;
    if (nl->n == 0)
        return PB_OK;
    /* prefix sums: s?[i] = total of nodes [0, i) (boxes and glue; penalties count only when
     * taken) */
    double *sw = malloc(8 * (nl->n + 1) * sizeof *sw);
    if (!sw)
        return pb_diag_oom("breaking a paragraph into lines");
    double *sy = sw + nl->n + 1, *sz = sy + nl->n + 1, *szw = sz + nl->n + 1;
    double *syc = szw + nl->n + 1, *syb = syc + nl->n + 1, *sg = syb + nl->n + 1;
    double *szc = sg + nl->n + 1;
    sw[0] = sy[0] = sz[0] = szw[0] = syc[0] = syb[0] = sg[0] = szc[0] = 0;
    for (size_t i = 0; i < nl->n; i++) {
        const pb_node *nd = &nl->v[i];
        int counts = nd->kind != PB_NODE_PENALTY;
        /* ragged display lines are balanced: the last is judged like the others, not filled */
        int fill = nd->kind == PB_NODE_GLUE && nd->glue_class == PB_GLUE_FILL;
        sw[i + 1] = sw[i] + (counts ? nd->width : 0);
        sy[i + 1] = sy[i] + (counts && !(ragged == RAG_DISPLAY && fill) ? nd->stretch : 0);
        /* a Chinese line's Latin letters: their shrink is the last a line takes (szc) */
        int condense = nd->kind == PB_NODE_BOX && nd->condense;
        sz[i + 1] = sz[i] + (counts && !condense ? nd->shrink : 0);
        szc[i + 1] = szc[i] + (condense ? nd->shrink : 0);
        szw[i + 1] = szw[i] + (nd->kind == PB_NODE_GLUE && nd->glue_class == PB_GLUE_WORD ? nd->shrink : 0);
        syc[i + 1] = syc[i] +
                     (nd->kind == PB_NODE_GLUE && nd->glue_class == PB_GLUE_CJK ? nd->stretch : 0);
        syb[i + 1] = syb[i] + (nd->kind == PB_NODE_BOX ? nd->stretch : 0);
        sg[i + 1] = sg[i] + (nd->kind == PB_NODE_GLUE ? nd->give : 0);
    }
    int has_last_resort = 0; /* inside a URL's word: rare, so most paragraphs allocate nothing */
    int has_url = 0;
    for (size_t i = 0; i < nl->n; i++) {
        has_last_resort |= nl->v[i].kind == PB_NODE_PENALTY && nl->v[i].last_resort;
        has_url |= nl->v[i].kind == PB_NODE_PENALTY && nl->v[i].url;
    }
    int hold = has_url && ragged == RAG_TEXT;
    uint8_t *lr_ok = has_last_resort || hold ? malloc(2 * nl->n) : NULL;
    if ((has_last_resort || hold) && !lr_ok) {
        free(sw);
        return pb_diag_oom("breaking a paragraph into lines");
    }
    kp_sums ps = {sw, sy, sz, szw, syc, syb, sg, szc,
                  has_last_resort && mark_pieces(nl, W, PIECE_LAST_RESORT, lr_ok) ? lr_ok : NULL,
                  hold && mark_pieces(nl, W, PIECE_URL, lr_ok + nl->n) ? lr_ok + nl->n : NULL, 0,
                  avoid0, avoid1, NULL};
    for (size_t i = 0; i < nl->n && ragged == RAG_DISPLAY; i++)
        ps.clauses = nl->v[i].clause > ps.clauses ? nl->v[i].clause : ps.clauses;
    uint32_t *tops = ps.clauses ? malloc((nl->n + 1) * sizeof *tops) : NULL;
    if (ps.clauses && !tops) {
        free(sw);
        free(lr_ok);
        return pb_diag_oom("breaking a paragraph into lines");
    }
    if (tops) {
        tops[0] = 0;
        for (size_t i = 0; i < nl->n; i++)
            tops[i + 1] = tops[i] + (nl->v[i].clause == ps.clauses &&
                                     nl->v[i].penalty > -PB_PENALTY_INF);
    }
    ps.tops = tops;
    int ok = 0;
    double rag = ragged == RAG_DISPLAY ? KP_RAGGED_STRETCH_RATIO * W : ragged ? rag_pt : 0;
    pb_status st = kp_pass(nl, W, KP_TOLERANCE, rag, 0, ragged, KP_HYPHENS, 1, &ps, out, &ok);
    /* no way within the tolerance without a short word's tail alone on the last line: the
     * tail rather than a loose line ("phenyl-" / "alanine." before "…11.2 mg of" with its
     * spaces past half an em, which the emergency pass would take) */
    if (st == PB_OK && !ok && !ragged)
        st = kp_pass(nl, W, KP_TOLERANCE, 0, 0, 0, KP_TAILS, 1, &ps, out, &ok);
    int hyphenated = 0;
    for (size_t k = 0; st == PB_OK && ok && !ragged && k < out->n && !hyphenated; k++)
        hyphenated = out->v[k].n1 < nl->n && pattern_hyphen(&nl->v[out->v[k].n1]);
    if (hyphenated) {
        /* hyphens it may not need: the same paragraph without them, its word spaces let shrink
         * as far as the emergency pass lets them, taken whenever it is within the tolerance */
        pb_lines alt = {0};
        int alt_ok = 0;
        st = kp_pass(nl, W, KP_TOLERANCE, 0, 0, 0, KP_PRE, KP_EMERGENCY_WORD_SHRINK, &ps, &alt,
                     &alt_ok);
        if (st == PB_OK && alt_ok) {
            pb_lines t = *out;
            *out = alt;
            alt = t;
        }
        pb_linebreak_free(&alt);
    }
    if (st == PB_OK && !ok)
        st = kp_pass(nl, W, KP_TOLERANCE_EMERGENCY, rag + KP_EMERGENCY_STRETCH_RATIO * W, 0,
                     ragged, KP_HYPHENS, KP_EMERGENCY_WORD_SHRINK, &ps, out, &ok);
    if (st == PB_OK && !ok)
        st = kp_pass(nl, W, KP_TOLERANCE_FINAL, ragged ? KP_RAGGED_LAST_STRETCH_RATIO * W : 0, 1,
                     ragged, KP_HYPHENS, KP_EMERGENCY_WORD_SHRINK, &ps, out, &ok);
    free(sw);
    free(lr_ok);
    free(tops);
    if (st == PB_OK && !ok)
        st = pb_linebreak_greedy(nl, W, out);
    return st;
}

pb_status pb_linebreak_total_fit(const pb_nodes *nl, double W, int ragged, pb_lines *out)
{
    return total_fit(nl, W, ragged ? RAG_DISPLAY : 0, 0, 1, 0, out);
}

pb_status pb_linebreak_total_fit_avoiding(const pb_nodes *nl, double W, size_t from, size_t to,
                                          pb_lines *out)
{
    return total_fit(nl, W, 0, 0, from, to, out);
}

pb_status pb_linebreak_ragged_text(const pb_nodes *nl, double W, double rag, pb_lines *out)
{
    return total_fit(nl, W, RAG_TEXT, rag, 1, 0, out);
}
