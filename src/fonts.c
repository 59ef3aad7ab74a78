/* fonts: fontconfig lookup, HarfBuzz faces and metrics, FreeType outlines, cmap reverse and
 * hb-subset. */
#include "fonts.h"
#include "util.h"

#define FONT_DIRS_FIRST 64 /* paths a list of font folders has room for before it grows */

#include "fontcache.h"
#include "parallel.h"

#include <dirent.h>
#include <stdatomic.h>
#include <pthread.h>
#include <errno.h>
#include <fontconfig/fontconfig.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_TRUETYPE_TABLES_H
#include FT_OUTLINE_H
#include <hb-ot.h>
#include <hb-subset.h>
#include <hb.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Longest message of a font that could not be opened (a path and a face number). */
#define PB_LOAD_ERR_MAX 600

#define SPACE_LANGS 4 /* languages whose pb_font_space_stands_apart answer a font keeps */
#define ADVANCE_SLOTS 2048 /* glyph advances a font keeps (pb_font_get_advance) */
#define NOMINAL_SLOTS 2048 /* code points' glyphs a font keeps (pb_font_get_glyph) */

struct pb_font {
    char *file;
    int index;
    char psname[128];
    int bold;
    pthread_mutex_t ft_lock;  /* FreeType is opened on the first outline (ft_open) */
    int ft_state;             /* 0 not tried, 1 open, -1 cannot be opened */
    FT_Library lib;           /* its own (FreeType wants one library per thread) */
    FT_Face ft;
    pb_status load_st;        /* font_load's outcome, and its message for the calling thread */
    char load_err[PB_LOAD_ERR_MAX];
    int load_oom;           /* load_err is what ran out of memory doing (pb_diag_oom's, once) */
    hb_blob_t *blob;
    hb_face_t *hb_face;
    hb_font_t *hb_font;       /* scale = upem: positions come back in font units */
    char ident[160];          /* the file's identity when opened (font_identity) */
    pb_font_info info;
    _Atomic uint64_t *advance; /* ADVANCE_SLOTS: (glyph id + 1) << 32 | its advance, once asked
                                * (0: empty); any thread */
    _Atomic uint64_t *nominal; /* NOMINAL_SLOTS: (code point + 1) << 32 | its glyph, 0 for none,
                                * once asked (0: empty); any thread */
    struct space_apart {      /* pb_font_space_stands_apart's answers (apart_lock) */
        hb_language_t lang;
        int apart;
    } apart[SPACE_LANGS];
    size_t n_apart;
};
static pthread_mutex_t apart_lock = PTHREAD_MUTEX_INITIALIZER;

struct pb_fontset {
    pb_font *role[PB_ROLE_COUNT];
    pb_font *fallback;
    pb_font *distinct[PB_ROLE_COUNT + 1];
    size_t n_distinct;
};

static const char *const role_names[PB_ROLE_COUNT] = {"han", "han-bold", "latin", "latin-bold",
                                                      "latin-italic", "latin-bold-italic"};

static int role_is_bold(int role)
{
    return role == PB_ROLE_HAN_BOLD || role == PB_ROLE_LATIN_BOLD ||
           role == PB_ROLE_LATIN_BOLD_ITALIC;
}
static int role_is_italic(int role)
{
    return role == PB_ROLE_LATIN_ITALIC || role == PB_ROLE_LATIN_BOLD_ITALIC;
}

static void font_free(pb_font *f)
{
    if (!f)
        return;
    if (f->hb_font)
        hb_font_destroy(f->hb_font);
    if (f->hb_face)
        hb_face_destroy(f->hb_face);
    if (f->blob)
        hb_blob_destroy(f->blob);
    if (f->ft)
        FT_Done_Face(f->ft);
    if (f->lib)
        FT_Done_FreeType(f->lib);
    free(f->advance);
    free(f->nominal);
    pthread_mutex_destroy(&f->ft_lock);
    free(f->file);
    free(f);
}

static int family_matches(FcPattern *pat, const char *want)
{
    FcChar8 *fam;
    for (int i = 0; FcPatternGetString(pat, FC_FAMILY, i, &fam) == FcResultMatch; i++)
        if (strcasecmp((const char *)fam, want) == 0)
            return 1;
    return 0;
}

/* What fontconfig has for family (bold or regular, italic or upright) into *m; PB_ESYSTEM
 * (unsaid) when out of memory. */
static pb_status match_face(FcConfig *fc, const char *family, int bold, int italic,
                            pb_font_match *m)
{
    memset(m, 0, sizeof *m);
    snprintf(m->family, sizeof m->family, "%s", family);
    FcPattern *pat = FcPatternCreate();
    if (!pat)
        return PB_ESYSTEM;
    FcPatternAddString(pat, FC_FAMILY, (const FcChar8 *)family);
    FcPatternAddInteger(pat, FC_WEIGHT, bold ? FC_WEIGHT_BOLD : FC_WEIGHT_REGULAR);
    FcPatternAddInteger(pat, FC_SLANT, italic ? FC_SLANT_ITALIC : FC_SLANT_ROMAN);
    FcConfigSubstitute(fc, pat, FcMatchPattern);
    FcDefaultSubstitute(pat);
    FcResult res;
    FcPattern *fm = FcFontMatch(fc, pat, &res);
    FcPatternDestroy(pat);
    FcChar8 *file = NULL;
    if (!fm || !family_matches(fm, family) ||
        FcPatternGetString(fm, FC_FILE, 0, &file) != FcResultMatch) {
        if (fm)
            FcPatternDestroy(fm);
        return PB_OK; /* not installed */
    }
    m->installed = 1;
    snprintf(m->file, sizeof m->file, "%s", (const char *)file);
    FcPatternGetInteger(fm, FC_INDEX, 0, &m->index);
    int weight = 0;
    FcPatternGetInteger(fm, FC_WEIGHT, 0, &weight);
    FcBool embolden = FcFalse;
    FcPatternGetBool(fm, FC_EMBOLDEN, 0, &embolden);
    int slant = FC_SLANT_ROMAN;
    FcPatternGetInteger(fm, FC_SLANT, 0, &slant);
    FcChar8 *style = NULL;
    snprintf(m->style, sizeof m->style, "%s",
             FcPatternGetString(fm, FC_STYLE, 0, &style) == FcResultMatch ? (const char *)style
                                                                            : "?");
    m->bold = weight >= FC_WEIGHT_DEMIBOLD && !embolden;
    m->no_bold = bold && !m->bold;
    FcMatrix *shear = NULL; /* fontconfig's synthetic oblique: the upright face, slanted */
    int synthetic = FcPatternGetMatrix(fm, FC_MATRIX, 0, &shear) == FcResultMatch && shear &&
                    shear->xy != 0;
    m->no_italic = italic && (slant == FC_SLANT_ROMAN || synthetic);
    FcPatternDestroy(fm);
    return PB_OK;
}

/* The face fontconfig found for family (m): a pb_font that knows its file. A family without
 * the face asked for is a warning naming the face used: fontconfig then offers the regular face
 * to be emboldened or slanted, which paiban does not do (a synthetic bold or oblique is not the
 * type designer's). A family not installed is an error at the layout key that named it. */
static pb_status font_match(const pb_font_match *m, const char *family, const char *what,
                            const pb_layout *layout, int slot, pb_font **out)
{
    *out = NULL;
    if (!m->installed) {
        /* at the layout key that named it (a base layout's too), or the built-in default */
        const pb_layout_origin *at = &layout->family_at[slot];
        char ask[PB_LAYOUT_PATH_MAX + 64];
        if (pb_diag_aliased(layout->path)) /* verify's rebuild: the layout is in the archive */
            snprintf(ask, sizeof ask, "install it to rebuild the archive");
        else
            snprintf(ask, sizeof ask, "'paiban fonts%s%s' lists the fonts a layout uses",
                     layout->path[0] ? " --layout " : "", layout->path);
        if (at->line)
            pb_diag_error(at->file, at->line, at->col,
                          "font family '%s' (%s in [fonts]) is not installed; %s", family, what,
                          ask);
        else
            pb_diag_syserr("font family '%s' (role %s, the built-in default) is not installed; %s",
                           family, what, ask);
        return PB_ESYSTEM;
    }
    const char *base = strrchr(m->file, '/');
    base = base ? base + 1 : m->file;
    if (m->no_bold)
        pb_diag_warning(NULL, 0, 0,
                        "family '%s' has no bold face: role %s uses its '%s' face (%s), so "
                        "text in that role is not set in bold",
                        family, what, m->style, base);
    if (m->no_italic)
        pb_diag_warning(NULL, 0, 0,
                        "family '%s' has no italic face: role %s uses its '%s' face (%s), so "
                        "emphasis in that role is not set in italic",
                        family, what, m->style, base);
    pb_font *f = calloc(1, sizeof *f);
    if (!f)
        return pb_diag_oom("matching fonts");
    pthread_mutex_init(&f->ft_lock, NULL);
    f->file = strdup(m->file);
    f->index = m->index;
    f->bold = m->bold;
    if (!f->file) {
        font_free(f);
        return pb_diag_oom("matching fonts");
    }
    *out = f;
    return PB_OK;
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The table directory of face `index` of an OpenType file (OpenType spec, "Organization of an
 * OpenType font": the table directory, and the TTC header before it): every table must lie
 * inside the file. FreeType and HarfBuzz open a truncated file and fail only later, on a
 * glyph, with no word of why. 0 when whole, else the message in err. */
static int check_tables(const uint8_t *d, size_t n, int index, const char *file, char *err,
                        size_t cap)
{
    size_t face = 0;
    if (n >= 12 && memcmp(d, "ttcf", 4) == 0) {
        if (index < 0 || 12 + 4 * (size_t)index + 4 > n) {
            snprintf(err, cap, "font %s is damaged: no face %d in its collection header", file,
                     index);
            return 1;
        }
        face = be32(d + 12 + 4 * (size_t)index);
    }
    if (face > n || n - face < 12) {
        snprintf(err, cap, "font %s is damaged: its table directory is cut off (%zu bytes)",
                 file, n);
        return 1;
    }
    size_t tables = (size_t)d[face + 4] << 8 | d[face + 5];
    if ((n - face - 12) / 16 < tables) {
        snprintf(err, cap, "font %s is damaged: its table directory is cut off (%zu bytes)",
                 file, n);
        return 1;
    }
    uint64_t end = 0; /* where the last table ends */
    for (size_t t = 0; t < tables; t++) {
        const uint8_t *rec = d + face + 12 + 16 * t;
        uint64_t e = (uint64_t)be32(rec + 8) + be32(rec + 12);
        end = e > end ? e : end;
    }
    if (end > n) {
        snprintf(err, cap,
                 "font %s is damaged: its tables need %llu bytes, the file has %zu (truncated?)",
                 file, (unsigned long long)end, n);
        return 1;
    }
    return 0;
}

/* The font file's identity before its bytes are read (device, inode, size, mtime, ctime), for
 * subsetcache.c's key; "" when the file changed too lately to vouch for the bytes read after. */
static void font_identity(pb_font *f)
{
    struct timespec now;
    struct stat sb;
    f->ident[0] = 0;
    if (clock_gettime(CLOCK_REALTIME, &now) != 0 || stat(f->file, &sb) != 0)
        return;
    int64_t limit = (int64_t)now.tv_sec * 1000000000 + now.tv_nsec - PB_FONTCACHE_RACY_NS;
    if ((int64_t)sb.st_mtim.tv_sec * 1000000000 + sb.st_mtim.tv_nsec >= limit ||
        (int64_t)sb.st_ctim.tv_sec * 1000000000 + sb.st_ctim.tv_nsec >= limit)
        return;
    snprintf(f->ident, sizeof f->ident, "%ju %ju %jd %jd.%09ld %jd.%09ld", (uintmax_t)sb.st_dev,
             (uintmax_t)sb.st_ino, (intmax_t)sb.st_size, (intmax_t)sb.st_mtim.tv_sec,
             sb.st_mtim.tv_nsec, (intmax_t)sb.st_ctim.tv_sec, sb.st_ctim.tv_nsec);
}

static int16_t s16(const uint8_t *p) { return (int16_t)(p[0] << 8 | p[1]); }
static uint16_t u16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }

/* The face's table tag: its bytes (kept alive by *blob, which the caller destroys) and *len. */
static const uint8_t *table(hb_face_t *face, hb_tag_t tag, unsigned *len, hb_blob_t **blob)
{
    *blob = hb_face_reference_table(face, tag);
    return (const uint8_t *)hb_blob_get_data(*blob, len);
}

/* The metrics the PDF's font descriptor needs, read from the tables (OpenType spec: 'head'
 * xMin..yMax, 'hhea' ascender/descender, 'OS/2' sTypo/usWin and sCapHeight, 'post'
 * italicAngle) as FreeType derives its FT_Face fields from them (FreeType 2.12 sfobjs.c: the
 * hhea values; when both are 0, OS/2's typographic ones, else its Windows ones), so that
 * FreeType need not open the face: that parses a CFF face's whole charset (~3 M instructions a
 * CJK face) and only outlines need it. tests/unit/test_fonts.c compares the two. */
static void read_metrics(hb_face_t *face, pb_font_info *in)
{
    hb_blob_t *b;
    unsigned n;
    const uint8_t *head = table(face, HB_TAG('h', 'e', 'a', 'd'), &n, &b);
    for (int k = 0; k < 4; k++)
        in->bbox[k] = n >= 54 ? s16(head + 36 + 2 * k) : 0;
    hb_blob_destroy(b);
    const uint8_t *hhea = table(face, HB_TAG('h', 'h', 'e', 'a'), &n, &b);
    in->ascender = n >= 36 ? s16(hhea + 4) : 0;
    in->descender = n >= 36 ? s16(hhea + 6) : 0;
    hb_blob_destroy(b);
    const uint8_t *os2 = table(face, HB_TAG('O', 'S', '/', '2'), &n, &b);
    int version = n >= 78 ? u16(os2) : -1; /* 78 bytes: version 0's fields */
    if (!in->ascender && !in->descender && version >= 0) {
        int typo = s16(os2 + 68) || s16(os2 + 70);
        in->ascender = typo ? s16(os2 + 68) : u16(os2 + 74);
        in->descender = typo ? s16(os2 + 70) : -u16(os2 + 76);
    }
    in->cap_height = version >= 2 && n >= 96 ? s16(os2 + 88) : in->ascender;
    hb_blob_destroy(b);
    const uint8_t *post = table(face, HB_TAG('p', 'o', 's', 't'), &n, &b);
    int32_t angle = n >= 32 ? (int32_t)((uint32_t)post[4] << 24 | (uint32_t)post[5] << 16 |
                                        (uint32_t)post[6] << 8 | post[7])
                            : 0; /* 16.16 fixed; whole degrees rounded down, as FreeType's >> 16 */
    in->italic_angle = (int)(angle >= 0 ? angle / 65536 : -((-(int64_t)angle + 65535) / 65536));
    hb_blob_destroy(b);
}

/* Why HarfBuzz could not read f's file (it says nothing): the file cannot be opened, or it
 * can and mapping it fails for want of memory (review 12 B3: a run under `ulimit -v` blamed
 * the font, "cannot read font ....ttc", a file that is fine), or neither (as HarfBuzz said). */
static void blob_failed(pb_font *f)
{
    int fd = open(f->file, O_RDONLY | O_CLOEXEC), err = 0;
    struct stat sb;
    if (fd < 0 || fstat(fd, &sb) != 0) {
        err = errno;
    } else if (S_ISREG(sb.st_mode) && sb.st_size > 0) {
        void *m = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (m == MAP_FAILED)
            err = errno;
        else
            munmap(m, (size_t)sb.st_size);
    }
    if (fd >= 0)
        close(fd);
    if (err == ENOMEM) {
        snprintf(f->load_err, sizeof f->load_err, "reading font %s", f->file);
        f->load_oom = 1;
    } else if (err)
        snprintf(f->load_err, sizeof f->load_err, "cannot read font %s: %s", f->file,
                 strerror(err));
    else
        snprintf(f->load_err, sizeof f->load_err, "cannot read font %s", f->file);
}

/* Open a matched font with HarfBuzz and read its metrics: a job of its own (it touches this
 * font only); a failure is kept in f->load_st and f->load_err. */
static void font_load(pb_font *f)
{
    f->load_st = PB_ESYSTEM;
    font_identity(f);
    f->blob = hb_blob_create_from_file_or_fail(f->file);
    if (!f->blob) {
        blob_failed(f);
        return;
    }
    unsigned blen;
    const char *bytes = hb_blob_get_data(f->blob, &blen);
    if (check_tables((const uint8_t *)bytes, blen, f->index, f->file, f->load_err,
                     sizeof f->load_err))
        return;
    f->hb_face = hb_face_create(f->blob, (unsigned)f->index);
    f->hb_font = hb_font_create(f->hb_face);
    unsigned upem = hb_face_get_upem(f->hb_face);
    hb_font_set_scale(f->hb_font, (int)upem, (int)upem);

    pb_font_info *in = &f->info;
    in->file = f->file;
    in->ident = f->ident;
    in->index = f->index;
    in->psname = f->psname;
    {
        hb_blob_t *cff = hb_face_reference_table(f->hb_face, HB_TAG('C', 'F', 'F', ' '));
        in->is_cff = hb_blob_get_length(cff) > 0;
        hb_blob_destroy(cff);
    }
    in->upem = upem;
    in->num_glyphs = hb_face_get_glyph_count(f->hb_face);
    /* zeroed memory is an atomic 0 on the platforms Debian builds for */
    f->advance = calloc(ADVANCE_SLOTS, sizeof *f->advance);
    f->nominal = calloc(NOMINAL_SLOTS, sizeof *f->nominal);
    if (!f->advance || !f->nominal) {
        snprintf(f->load_err, sizeof f->load_err, "opening fonts");
        f->load_oom = 1;
        return;
    }
    read_metrics(f->hb_face, in);
    in->bold = f->bold;
    f->load_st = PB_OK;
}

/* FreeType's face of f, opened on the first call; 0 if it cannot be (said). */
static int ft_open(pb_font *f)
{
    pthread_mutex_lock(&f->ft_lock);
    if (f->ft_state == 0) {
        f->ft_state = -1;
        if (FT_Init_FreeType(&f->lib) != 0)
            f->lib = NULL;
        else if (FT_New_Face(f->lib, f->file, f->index, &f->ft) != 0)
            f->ft = NULL;
        else
            f->ft_state = 1;
    }
    int ok = f->ft_state == 1;
    pthread_mutex_unlock(&f->ft_lock);
    if (!ok)
        pb_diag_syserr("cannot open font %s (face %d) with FreeType", f->file, f->index);
    return ok;
}

/* The face's PostScript name from its 'name' table (HarfBuzz's lookup gives FreeType's
 * FT_Get_Postscript_Name, test_fonts checks), kept to the characters a PDF name needs no
 * escape for. On the calling thread once the faces are open, not in font_load's jobs: the
 * lookup adds the language of every record of the table to HarfBuzz's process-wide list
 * (hb_language_from_string). That list is lock-free, its atomics compiled in HarfBuzz where
 * ThreadSanitizer does not see them, so two jobs adding "en" or "zh-tw" at once were reported
 * as a data race (tests/races.sh); one thread writing it needs no such argument. */
static void read_psname(pb_font *f)
{
    unsigned len = sizeof f->psname;
    hb_ot_name_get_utf8(f->hb_face, HB_OT_NAME_ID_POSTSCRIPT_NAME, HB_LANGUAGE_INVALID, &len,
                        f->psname);
    if (!f->psname[0])
        snprintf(f->psname, sizeof f->psname, "Unnamed");
    for (char *p = f->psname; *p; p++)
        if (*p <= ' ' || *p > '~' || strchr("()<>[]{}/%#", *p))
            *p = '-';
}

static void load_job(void *ctx, size_t i)
{
    pb_fontset *set = ctx;
    font_load(set->distinct[i]);
}

/* fontconfig's configuration with fonts_dir added to its search; NULL (said) if none. */
static FcConfig *new_config(const char *fonts_dir)
{
    FcConfig *fc = FcInitLoadConfigAndFonts();
    if (!fc) {
        pb_diag_syserr("cannot initialise fontconfig");
        return NULL;
    }
    struct stat sb;
    if (fonts_dir && stat(fonts_dir, &sb) == 0 && S_ISDIR(sb.st_mode))
        FcConfigAppFontAddDir(fc, (const FcChar8 *)fonts_dir);
    return fc;
}

/* The environment fontconfig reads (fonts-conf(5), ENVIRONMENT VARIABLES; the XDG and HOME
 * folders name its user configuration and font folders; the locale its default language). */
static const char *const fc_environment[] = {
    "FONTCONFIG_FILE", "FONTCONFIG_PATH", "FONTCONFIG_SYSROOT", "FC_LANG", "HOME",
    "XDG_CONFIG_HOME", "XDG_DATA_HOME", "LC_ALL", "LC_CTYPE", "LANG"};

/* The cache key (malloc'ed; NULL when out of memory): all but the files themselves that decides
 * fontconfig's answer: its version, the families and faces asked for, --fonts-dir, the
 * environment, and the working folder when a path of these is relative. Each part is written
 * NAME=LENGTH:VALUE; so that no two different sets of parts spell the same key. */
static char *cache_key(const pb_layout *layout, const char *fonts_dir)
{
    char *key = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&key, &len);
    if (!f)
        return NULL;
    int relative = fonts_dir && fonts_dir[0] != '/';
    fprintf(f, "fontconfig=%d;", FcGetVersion());
    for (int r = 0; r < PB_ROLE_COUNT; r++)
        fprintf(f, "%s=%zu:%s;", role_names[r], strlen(layout->family[r]), layout->family[r]);
    fprintf(f, "fallback=%zu:%s;", strlen(layout->fallback), layout->fallback);
    if (fonts_dir)
        fprintf(f, "fonts-dir=%zu:%s;", strlen(fonts_dir), fonts_dir);
    for (size_t i = 0; i < sizeof fc_environment / sizeof fc_environment[0]; i++) {
        const char *v = getenv(fc_environment[i]);
        if (v)
            fprintf(f, "%s=%zu:%s;", fc_environment[i], strlen(v), v);
        relative |= v && i < 2 && v[0] != '/';
    }
    char cwd[4096];
    if (relative)
        fprintf(f, "cwd=%s;", getcwd(cwd, sizeof cwd) ? cwd : "?");
    if (fclose(f) != 0 || (relative && !getcwd(cwd, sizeof cwd))) {
        free(key);
        return NULL;
    }
    return key;
}

/* The paths a cached answer depends on (a set: each once). */
typedef struct {
    char **path;
    size_t n, cap;
    int full; /* out of memory, or too many folders: keep no cache */
} dep_list;

/* Most folders under --fonts-dir whose status a cache entry keeps. */
#define FONTS_DIR_FOLDERS_MAX 1024

static void dep_add(dep_list *d, const char *path, size_t len)
{
    for (size_t i = 0; i < d->n; i++)
        if (strlen(d->path[i]) == len && memcmp(d->path[i], path, len) == 0)
            return;
    if (pb_util_grow(&d->path, &d->cap, d->n + 1, sizeof *d->path, FONT_DIRS_FIRST)) {
        d->full = 1;
        return;
    }
    if (!(d->path[d->n] = strndup(path, len)))
        d->full = 1;
    else
        d->n++;
}

static void dep_add_list(dep_list *d, FcStrList *l, int with_parent)
{
    if (!l) {
        d->full = 1;
        return;
    }
    for (FcChar8 *s; (s = FcStrListNext(l));) {
        const char *p = (const char *)s;
        dep_add(d, p, strlen(p));
        const char *slash = strrchr(p, '/');
        /* a configuration file's folder: an optional file <include>d beside it that appears */
        if (with_parent && slash && slash > p)
            dep_add(d, p, (size_t)(slash - p));
    }
    FcStrListDone(l);
}

/* dir and every folder below it (fontconfig scans an application font folder recursively). */
static void dep_add_tree(dep_list *d, const char *dir, int depth)
{
    size_t before = d->n;
    dep_add(d, dir, strlen(dir));
    if (d->n == before || d->full) /* seen (a link loop), or no room */
        return;
    if (d->n > FONTS_DIR_FOLDERS_MAX || depth > 32) {
        d->full = 1;
        return;
    }
    DIR *h = opendir(dir);
    if (!h)
        return;
    for (struct dirent *e; (e = readdir(h)) && !d->full;) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char sub[4096];
        struct stat sb;
        if (snprintf(sub, sizeof sub, "%s/%s", dir, e->d_name) < (int)sizeof sub &&
            stat(sub, &sb) == 0 && S_ISDIR(sb.st_mode))
            dep_add_tree(d, sub, depth + 1);
    }
    closedir(h);
}

/* Everything fontconfig's answer came from: the configuration files and folders it read, the
 * optional user configuration fonts-conf(5) (FILES) names where it may appear, the font folders
 * (also the ones that do not exist yet), --fonts-dir's tree, and the chosen files. */
static void deps_of(FcConfig *fc, const char *fonts_dir, const pb_font_match *m, size_t n,
                    dep_list *d)
{
    dep_add_list(d, FcConfigGetConfigFiles(fc), 1);
    dep_add_list(d, FcConfigGetConfigDirs(fc), 1);
    dep_add_list(d, FcConfigGetFontDirs(fc), 0);
    const char *home = getenv("HOME"), *xdg = getenv("XDG_CONFIG_HOME");
    char p[4096];
    static const char *const xdg_files[] = {"fontconfig/conf.d", "fontconfig/fonts.conf"};
    static const char *const home_files[] = {".fonts.conf.d", ".fonts.conf"};
    for (size_t i = 0; i < 2; i++) {
        int k = xdg && xdg[0] == '/' ? snprintf(p, sizeof p, "%s/%s", xdg, xdg_files[i])
                : home              ? snprintf(p, sizeof p, "%s/.config/%s", home, xdg_files[i])
                                    : -1;
        if (k > 0 && (size_t)k < sizeof p)
            dep_add(d, p, (size_t)k);
        k = home ? snprintf(p, sizeof p, "%s/%s", home, home_files[i]) : -1;
        if (k > 0 && (size_t)k < sizeof p)
            dep_add(d, p, (size_t)k);
    }
    struct stat sb;
    if (fonts_dir && stat(fonts_dir, &sb) == 0 && S_ISDIR(sb.st_mode))
        dep_add_tree(d, fonts_dir, 0);
    for (size_t i = 0; i < n; i++)
        if (m[i].installed)
            dep_add(d, m[i].file, strlen(m[i].file));
}

static void deps_free(dep_list *d)
{
    for (size_t i = 0; i < d->n; i++)
        free(d->path[i]);
    free(d->path);
}

/* What fontconfig chooses for every role of the layout and its fallback (out[PB_ROLE_COUNT];
 * family "" when none): from the cache (fontcache.c) while nothing it came from has changed, else
 * from fontconfig, which reads its whole configuration (~25 M instructions), then kept there. */
static pb_status resolve(const pb_layout *layout, const char *fonts_dir,
                         pb_font_match out[PB_ROLE_COUNT + 1])
{
    char *key = cache_key(layout, fonts_dir);
    if (key && pb_fontcache_lookup(key, out, PB_ROLE_COUNT + 1)) {
        free(key);
        return PB_OK;
    }
    struct timespec t0;
    clock_gettime(CLOCK_REALTIME, &t0);
    FcConfig *fc = new_config(fonts_dir);
    if (!fc) {
        free(key);
        return PB_ESYSTEM;
    }
    pb_status st = PB_OK;
    for (int r = 0; r < PB_ROLE_COUNT && st == PB_OK; r++)
        st = match_face(fc, layout->family[r], role_is_bold(r), role_is_italic(r), &out[r]);
    memset(&out[PB_ROLE_COUNT], 0, sizeof out[PB_ROLE_COUNT]);
    if (st == PB_OK && layout->fallback[0])
        st = match_face(fc, layout->fallback, 0, 0, &out[PB_ROLE_COUNT]);
    if (st == PB_OK && key) {
        dep_list d = {0};
        deps_of(fc, fonts_dir, out, PB_ROLE_COUNT + 1, &d);
        if (!d.full)
            pb_fontcache_store(key, (const char *const *)d.path, d.n, out, PB_ROLE_COUNT + 1,
                               (int64_t)t0.tv_sec * 1000000000 + t0.tv_nsec);
        deps_free(&d);
    }
    FcConfigDestroy(fc);
    free(key);
    return st == PB_OK ? PB_OK : pb_diag_oom("matching fonts");
}

pb_status pb_fonts_match(const pb_layout *layout, const char *fonts_dir,
                         pb_font_match out[PB_ROLE_COUNT + 1])
{
    return resolve(layout, fonts_dir, out);
}

const char *pb_fonts_role_name(pb_role role)
{
    return role >= 0 && role < PB_ROLE_COUNT ? role_names[role] : "fallback";
}

void pb_fonts_versions(char *buf, size_t cap)
{
    FT_Int ft[3] = {0, 0, 0};
    FT_Library lib;
    if (FT_Init_FreeType(&lib) == 0) {
        FT_Library_Version(lib, &ft[0], &ft[1], &ft[2]);
        FT_Done_FreeType(lib);
    }
    int fc = FcGetVersion(); /* major * 10000 + minor * 100 + revision */
    snprintf(buf, cap, "HarfBuzz %s, FreeType %d.%d.%d, fontconfig %d.%d.%d", hb_version_string(),
             ft[0], ft[1], ft[2], fc / 10000, fc / 100 % 100, fc % 100);
}

pb_status pb_fonts_new(const pb_layout *layout, const char *fonts_dir, pb_fontset **out)
{
    *out = NULL;
    pb_fontset *set = calloc(1, sizeof *set);
    if (!set)
        return pb_diag_oom("opening fonts");
    pb_font_match m[PB_ROLE_COUNT + 1];
    pb_status st = resolve(layout, fonts_dir, m);
    if (st != PB_OK)
        goto fail;

    /* every role first (messages in role order), then open the distinct faces on all cores */
    for (int r = 0; r < PB_ROLE_COUNT; r++) {
        /* two roles that resolve to the same face share one pb_font */
        pb_font *f;
        if (r == PB_ROLE_LATIN_ITALIC && !layout->family[r][0]) {
            set->role[r] = set->role[PB_ROLE_LATIN]; /* no emphasis to set: no face to open */
            continue;
        }
        if (r == PB_ROLE_LATIN_BOLD_ITALIC && !layout->family[r][0]) {
            set->role[r] = set->role[PB_ROLE_LATIN_BOLD]; /* none in bold: no face to open */
            continue;
        }
        if ((st = font_match(&m[r], layout->family[r], role_names[r], layout, r, &f)) != PB_OK)
            goto fail;
        for (size_t i = 0; i < set->n_distinct; i++) {
            pb_font *o = set->distinct[i];
            if (strcmp(o->file, f->file) == 0 && o->index == f->index) {
                font_free(f);
                f = o;
                break;
            }
        }
        int known = 0;
        for (size_t i = 0; i < set->n_distinct; i++)
            known |= set->distinct[i] == f;
        if (!known)
            set->distinct[set->n_distinct++] = f;
        set->role[r] = f;
    }
    if (layout->fallback[0]) {
        pb_font *f;
        if ((st = font_match(&m[PB_ROLE_COUNT], layout->fallback, "fallback", layout,
                             PB_ROLE_COUNT, &f)) != PB_OK)
            goto fail;
        set->fallback = f;
        set->distinct[set->n_distinct++] = f;
    }
    pb_parallel_run(set->n_distinct, load_job, set);
    for (size_t i = 0; i < set->n_distinct; i++)
        if (set->distinct[i]->load_st != PB_OK) {
            if (set->distinct[i]->load_oom)
                pb_diag_oom(set->distinct[i]->load_err); /* once, if a job said it too */
            else
                pb_diag_syserr("%s", set->distinct[i]->load_err);
            st = set->distinct[i]->load_st;
            goto fail;
        }
    for (size_t i = 0; i < set->n_distinct; i++)
        read_psname(set->distinct[i]);
    *out = set;
    return PB_OK;
fail:
    pb_fonts_free(set);
    return st;
}

void pb_fonts_free(pb_fontset *set)
{
    if (!set)
        return;
    for (size_t i = 0; i < set->n_distinct; i++)
        font_free(set->distinct[i]);
    free(set);
}

pb_font *pb_fonts_get(const pb_fontset *set, pb_role role) { return set->role[role]; }
pb_font *pb_fonts_get_fallback(const pb_fontset *set) { return set->fallback; }
size_t pb_fonts_count(const pb_fontset *set) { return set->n_distinct; }
pb_font *pb_fonts_at(const pb_fontset *set, size_t i) { return i < set->n_distinct ? set->distinct[i] : NULL; }

/* HarfBuzz's cmap lookup takes some 200 instructions; itemizing asks each block's code points
 * again (100x: 147 000 calls). Kept as the advances are (pb_font_get_advance), direct-mapped
 * by code point. */
uint32_t pb_font_get_glyph(pb_font *font, uint32_t cp)
{
    _Atomic uint64_t *slot = &font->nominal[cp % NOMINAL_SLOTS];
    uint64_t v = atomic_load_explicit(slot, memory_order_relaxed);
    if (v >> 32 == (uint64_t)cp + 1)
        return (uint32_t)v;
    hb_codepoint_t g;
    if (!hb_font_get_nominal_glyph(font->hb_font, cp, &g))
        g = 0;
    atomic_store_explicit(slot, ((uint64_t)cp + 1) << 32 | g, memory_order_relaxed);
    return g;
}

int pb_font_covers(pb_font *font, uint32_t cp) { return pb_font_get_glyph(font, cp) != 0; }

void pb_font_get_info(const pb_font *font, pb_font_info *info) { *info = font->info; }
void *pb_font_get_hb(pb_font *font) { return font->hb_font; }
unsigned pb_font_get_upem(const pb_font *font) { return font->info.upem; }

/* Tables that shape or move glyphs outside GSUB and GPOS: the legacy kern table, AAT's. */
static const hb_tag_t OTHER_SHAPING_TABLES[] = {
    HB_TAG('k', 'e', 'r', 'n'), HB_TAG('k', 'e', 'r', 'x'), HB_TAG('m', 'o', 'r', 'x'),
    HB_TAG('m', 'o', 'r', 't')};

/* Does a lookup HarfBuzz's plan for Latin text in lang applies (every feature of the plan,
 * whatever its mask) name the space glyph, or another table shape the text? */
static int space_named(pb_font *font, hb_language_t lang)
{
    hb_codepoint_t space;
    if (!hb_font_get_nominal_glyph(font->hb_font, ' ', &space) || !space)
        return 1;
    for (size_t t = 0; t < sizeof OTHER_SHAPING_TABLES / sizeof *OTHER_SHAPING_TABLES; t++) {
        hb_blob_t *b = hb_face_reference_table(font->hb_face, OTHER_SHAPING_TABLES[t]);
        unsigned n = hb_blob_get_length(b);
        hb_blob_destroy(b);
        if (n)
            return 1;
    }
    hb_segment_properties_t props = HB_SEGMENT_PROPERTIES_DEFAULT;
    props.direction = HB_DIRECTION_LTR;
    props.script = HB_SCRIPT_LATIN;
    props.language = lang;
    /* the plan shaping makes and keeps on the face: made here first, it costs nothing more */
    hb_shape_plan_t *plan = hb_shape_plan_create_cached(font->hb_face, &props, NULL, 0, NULL);
    static const hb_tag_t tables[] = {HB_OT_TAG_GSUB, HB_OT_TAG_GPOS};
    hb_set_t *lookups = hb_set_create(), *glyphs = hb_set_create();
    int named = !hb_set_allocation_successful(lookups) || !hb_set_allocation_successful(glyphs);
    for (size_t t = 0; !named && t < sizeof tables / sizeof *tables; t++) {
        hb_set_clear(lookups);
        hb_ot_shape_plan_collect_lookups(plan, tables[t], lookups);
        for (hb_codepoint_t i = HB_SET_VALUE_INVALID; !named && hb_set_next(lookups, &i);) {
            hb_set_clear(glyphs);
            hb_ot_layout_lookup_collect_glyphs(font->hb_face, tables[t], i, glyphs, glyphs,
                                               glyphs, glyphs);
            named = hb_set_has(glyphs, space) || !hb_set_allocation_successful(glyphs);
        }
    }
    hb_set_destroy(lookups);
    hb_set_destroy(glyphs);
    hb_shape_plan_destroy(plan);
    return named;
}

int pb_font_space_stands_apart(pb_font *font, const void *hb_language)
{
    hb_language_t lang = hb_language;
    pthread_mutex_lock(&apart_lock);
    size_t i = 0;
    while (i < font->n_apart && font->apart[i].lang != lang)
        i++;
    int apart;
    if (i < font->n_apart) {
        apart = font->apart[i].apart;
    } else {
        apart = !space_named(font, lang);
        if (i < SPACE_LANGS)
            font->apart[font->n_apart++] = (struct space_apart){lang, apart};
    }
    pthread_mutex_unlock(&apart_lock);
    return apart;
}

/* HarfBuzz finds an advance in some 130 instructions (its font functions, then hmtx); the
 * writer and the composer ask for the same glyphs' again and again (100x: 975 000 calls).
 * Each font keeps what it answered, direct-mapped by glyph id in ADVANCE_SLOTS slots of 8
 * bytes (16 KiB: an array per glyph id would be 256 KiB for a CJK face, and a page fault for
 * each 1 024 glyph ids touched), each slot the glyph id and its advance in one atomic word,
 * read and written from any thread (two that both find one store the same word). */
int32_t pb_font_get_advance(pb_font *font, uint32_t gid)
{
    _Atomic uint64_t *slot = &font->advance[gid % ADVANCE_SLOTS];
    uint64_t v = atomic_load_explicit(slot, memory_order_relaxed);
    if (v >> 32 == (uint64_t)gid + 1)
        return (int32_t)(uint32_t)v;
    int32_t a = hb_font_get_glyph_h_advance(font->hb_font, gid);
    atomic_store_explicit(slot, ((uint64_t)gid + 1) << 32 | (uint32_t)a, memory_order_relaxed);
    return a;
}

void pb_font_get_ink(pb_font *font, uint32_t gid, int32_t *x0, int32_t *x1)
{
    hb_glyph_extents_t e;
    if (!hb_font_get_glyph_extents(font->hb_font, gid, &e) || e.width == 0) {
        *x0 = *x1 = 0;
        return;
    }
    *x0 = e.x_bearing;
    *x1 = e.x_bearing + e.width;
}

void pb_font_get_ink_y(pb_font *font, uint32_t gid, int32_t *y0, int32_t *y1)
{
    hb_glyph_extents_t e;
    if (!hb_font_get_glyph_extents(font->hb_font, gid, &e) || e.height == 0) {
        *y0 = *y1 = 0;
        return;
    }
    *y1 = e.y_bearing;            /* top */
    *y0 = e.y_bearing + e.height; /* bottom (height is negative, y up) */
}

typedef struct {
    pb_outline_op op;
    void *ctx;
    double x, y;   /* current point */
    int open;      /* a contour is open */
} outline_walk;

/* The pieces of an outline, as FreeType's decomposition and HarfBuzz's drawing give them, to
 * op: each contour closed ('h') before the next starts and at the end. */
static void walk_move(outline_walk *w, double x, double y)
{
    if (w->open)
        w->op(w->ctx, 'h', NULL);
    double p[2] = {x, y};
    w->op(w->ctx, 'm', p);
    w->x = x;
    w->y = y;
    w->open = 1;
}

static void walk_line(outline_walk *w, double x, double y)
{
    double p[2] = {x, y};
    w->op(w->ctx, 'l', p);
    w->x = x;
    w->y = y;
}

/* A quadratic piece as the cubic that draws the same curve (control points at 2/3). */
static void walk_conic(outline_walk *w, double cx, double cy, double x, double y)
{
    double p[6] = {w->x + 2.0 / 3.0 * (cx - w->x), w->y + 2.0 / 3.0 * (cy - w->y),
                   x + 2.0 / 3.0 * (cx - x), y + 2.0 / 3.0 * (cy - y), x, y};
    w->op(w->ctx, 'c', p);
    w->x = x;
    w->y = y;
}

static void walk_cubic(outline_walk *w, const double p[6])
{
    w->op(w->ctx, 'c', p);
    w->x = p[4];
    w->y = p[5];
}

static int ow_move(const FT_Vector *to, void *u)
{
    walk_move(u, (double)to->x, (double)to->y);
    return 0;
}

static int ow_line(const FT_Vector *to, void *u)
{
    walk_line(u, (double)to->x, (double)to->y);
    return 0;
}

static int ow_conic(const FT_Vector *c, const FT_Vector *to, void *u)
{
    walk_conic(u, (double)c->x, (double)c->y, (double)to->x, (double)to->y);
    return 0;
}

static int ow_cubic(const FT_Vector *c1, const FT_Vector *c2, const FT_Vector *to, void *u)
{
    double p[6] = {(double)c1->x, (double)c1->y, (double)c2->x,
                   (double)c2->y, (double)to->x, (double)to->y};
    walk_cubic(u, p);
    return 0;
}

/* HarfBuzz's drawing of a CFF glyph: the pieces FreeType's decomposition gives (every glyph of
 * the 30 CFF faces of Debian's Noto CJK fonts, 1 966 050 glyphs, compared alike), without
 * FreeType parsing the face (a CJK face's charset and 65 535 offsets: 2 MB of memory and
 * 1.5 M instructions). A contour ends at the next move or at the end, as FreeType's. */
static void hw_move(hb_draw_funcs_t *d, void *u, hb_draw_state_t *st, float x, float y, void *ud)
{
    (void)d, (void)st, (void)ud;
    walk_move(u, x, y);
}

static void hw_line(hb_draw_funcs_t *d, void *u, hb_draw_state_t *st, float x, float y, void *ud)
{
    (void)d, (void)st, (void)ud;
    walk_line(u, x, y);
}

static void hw_conic(hb_draw_funcs_t *d, void *u, hb_draw_state_t *st, float cx, float cy,
                     float x, float y, void *ud)
{
    (void)d, (void)st, (void)ud;
    walk_conic(u, cx, cy, x, y);
}

static void hw_cubic(hb_draw_funcs_t *d, void *u, hb_draw_state_t *st, float c1x, float c1y,
                     float c2x, float c2y, float x, float y, void *ud)
{
    (void)d, (void)st, (void)ud;
    double p[6] = {c1x, c1y, c2x, c2y, x, y};
    walk_cubic(u, p);
}

static pb_status hb_outline(pb_font *font, uint32_t gid, outline_walk *w)
{
    hb_draw_funcs_t *df = hb_draw_funcs_create();
    if (hb_draw_funcs_is_immutable(df)) /* HarfBuzz's empty funcs: out of memory */
        return pb_diag_oom("drawing a glyph");
    hb_draw_funcs_set_move_to_func(df, hw_move, NULL, NULL);
    hb_draw_funcs_set_line_to_func(df, hw_line, NULL, NULL);
    hb_draw_funcs_set_quadratic_to_func(df, hw_conic, NULL, NULL);
    hb_draw_funcs_set_cubic_to_func(df, hw_cubic, NULL, NULL);
#if HB_VERSION_ATLEAST(7, 0, 0)
    hb_font_draw_glyph(font->hb_font, gid, df, w);
#else
    hb_font_get_glyph_shape(font->hb_font, gid, df, w);
#endif
    hb_draw_funcs_destroy(df);
    return PB_OK;
}

/* A glyph FreeType cannot read: the font file is damaged (its glyph data, not its directory,
 * which check_tables() saw whole). */
static pb_status bad_glyph(const pb_font *font, uint32_t gid, FT_Error e)
{
    pb_diag_syserr("font %s is damaged: glyph %u cannot be read (FreeType error 0x%02X)",
                   font->file, (unsigned)gid, (unsigned)e);
    return PB_ESYSTEM;
}

pb_status pb_font_outline(pb_font *font, uint32_t gid, pb_outline_op op, void *ctx)
{
    if (font->info.is_cff) {
        outline_walk w = {op, ctx, 0, 0, 0};
        pb_status st = hb_outline(font, gid, &w);
        if (st == PB_OK && w.open)
            op(ctx, 'h', NULL);
        return st;
    }
    if (!ft_open(font))
        return PB_ESYSTEM;
    FT_Error e =
        FT_Load_Glyph(font->ft, gid, FT_LOAD_NO_SCALE | FT_LOAD_NO_HINTING | FT_LOAD_NO_BITMAP);
    if (e)
        return bad_glyph(font, gid, e);
    if (font->ft->glyph->format != FT_GLYPH_FORMAT_OUTLINE) {
        pb_diag_syserr("font %s: glyph %u is not an outline (a bitmap font?)", font->file,
                       (unsigned)gid);
        return PB_ESYSTEM;
    }
    static const FT_Outline_Funcs funcs = {ow_move, ow_line, ow_conic, ow_cubic, 0, 0};
    outline_walk w = {op, ctx, 0, 0, 0};
    if ((e = FT_Outline_Decompose(&font->ft->glyph->outline, &funcs, &w)) != 0)
        return bad_glyph(font, gid, e);
    if (w.open)
        op(ctx, 'h', NULL);
    return PB_OK;
}

static int gid_cmp(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

void pb_font_cmap_reverse(const pb_font *font, const uint32_t *gids, size_t n, uint32_t *cps)
{
    for (size_t i = 0; i < n; i++)
        cps[i] = 0;
    if (n == 0)
        return;
    hb_set_t *unicodes = hb_set_create();
    hb_face_collect_unicodes(font->hb_face, unicodes);
    size_t left = n;
    /* the set runs in ascending order: the first code point found for a glyph is its smallest */
    for (hb_codepoint_t c = HB_SET_VALUE_INVALID; left && hb_set_next(unicodes, &c);) {
        hb_codepoint_t g;
        if (!hb_font_get_nominal_glyph(font->hb_font, c, &g))
            continue;
        uint32_t key = g;
        const uint32_t *at = bsearch(&key, gids, n, sizeof *gids, gid_cmp);
        if (at && !cps[at - gids]) {
            cps[at - gids] = c;
            left--;
        }
    }
    hb_set_destroy(unicodes);
}

/* The tables a CFF subset needs: the PDF embeds the bare 'CFF ' table (FontFile3), and hb-subset
 * reads the glyph count from 'maxp' and the units per em from 'head'. Leaving 'cmap' out matters
 * for speed: with a glyph set, hb-subset 6.0 otherwise maps the whole cmap (~65 000 code points in
 * a CJK face) to find the code points of the kept glyphs, which the PDF does not use. */
static hb_blob_t *cff_subset_table(hb_face_t *face, hb_tag_t tag, void *source)
{
    (void)face;
    if (tag != HB_TAG('C', 'F', 'F', ' ') && tag != HB_TAG('m', 'a', 'x', 'p') &&
        tag != HB_TAG('h', 'e', 'a', 'd'))
        return NULL;
    return hb_face_reference_table(source, tag);
}

static void face_release(void *face) { hb_face_destroy(face); }

pb_status pb_font_subset(const pb_font *font, const uint32_t *gids, size_t n, uint8_t **data,
                         size_t *len, uint16_t **map, size_t *map_len)
{
    *data = NULL;
    *len = 0;
    *map = NULL;
    *map_len = 0;
    hb_subset_input_t *in = hb_subset_input_create_or_fail();
    if (!in)
        return pb_diag_oom("subsetting fonts");
    errno = 0; /* HarfBuzz says not why it fails: a malloc that failed leaves ENOMEM here */
    hb_set_t *gs = hb_subset_input_glyph_set(in);
    hb_set_add(gs, 0);
    for (size_t i = 0; i < n; i++)
        hb_set_add(gs, gids[i]);
    hb_set_clear(hb_subset_input_unicode_set(in));
    /* glyphs are placed by paiban, so the PDF needs no layout tables (ISO 32000-1 §9.9 asks only
       for the tables a PDF renderer reads); a GSUB closure would add unused glyphs */
    static const hb_tag_t drop[] = {
        HB_TAG('G', 'S', 'U', 'B'), HB_TAG('G', 'P', 'O', 'S'), HB_TAG('G', 'D', 'E', 'F'),
        HB_TAG('B', 'A', 'S', 'E'), HB_TAG('V', 'O', 'R', 'G'), HB_TAG('v', 'h', 'e', 'a'),
        HB_TAG('v', 'm', 't', 'x'), HB_TAG('J', 'S', 'T', 'F'), HB_TAG('M', 'A', 'T', 'H'),
        HB_TAG('k', 'e', 'r', 'n'), HB_TAG('D', 'S', 'I', 'G')};
    hb_set_t *ds = hb_subset_input_set(in, HB_SUBSET_SETS_DROP_TABLE_TAG);
    for (size_t i = 0; i < sizeof drop / sizeof drop[0]; i++)
        hb_set_add(ds, drop[i]);
    hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_DESUBROUTINIZE | HB_SUBSET_FLAGS_NO_HINTING);

    pb_status st = PB_ESYSTEM;
    int said = 0; /* a message was printed */
    hb_face_t *sub = NULL;
    hb_face_t *source = font->info.is_cff
                            ? hb_face_create_for_tables(cff_subset_table,
                                                        hb_face_reference(font->hb_face),
                                                        face_release)
                            : hb_face_reference(font->hb_face);
    hb_subset_plan_t *plan = hb_subset_plan_create_or_fail(source, in);
    hb_face_destroy(source); /* the plan holds its own reference */
    if (!plan)
        goto out;
    sub = hb_subset_plan_execute_or_fail(plan);
    if (!sub)
        goto out;
    hb_blob_t *blob = font->info.is_cff ? hb_face_reference_table(sub, HB_TAG('C', 'F', 'F', ' '))
                                        : hb_face_reference_blob(sub);
    unsigned blen;
    const char *bytes = hb_blob_get_data(blob, &blen);
    if (blen == 0) {
        hb_blob_destroy(blob);
        goto out;
    }
    if (!(*data = malloc(blen))) {
        hb_blob_destroy(blob);
        said = pb_diag_oom("subsetting fonts") != PB_OK;
        goto out;
    }
    memcpy(*data, bytes, blen);
    *len = blen;
    hb_blob_destroy(blob);
    if (!font->info.is_cff) {
        const hb_map_t *m = hb_subset_plan_old_to_new_glyph_mapping(plan);
        size_t ml = (n ? gids[n - 1] : 0) + 1;
        *map = calloc(ml, sizeof **map);
        if (!*map) {
            free(*data);
            *data = NULL;
            said = pb_diag_oom("subsetting fonts") != PB_OK;
            goto out;
        }
        for (size_t i = 0; i < ml; i++) {
            hb_codepoint_t v = hb_map_get(m, (hb_codepoint_t)i);
            (*map)[i] = v == HB_MAP_VALUE_INVALID ? 0 : (uint16_t)v;
        }
        *map_len = ml;
    }
    st = PB_OK;
out:
    if (st != PB_OK && !said) { /* HarfBuzz failed inside, and says not why */
        /* an allocation failed on the way (errno, C11 7.22.3 leaves it to POSIX: malloc sets
         * ENOMEM), or a block the size of the font cannot be had: memory ran out (review 12
         * B3: under `ulimit -v` every face was called damaged, one line each); else the data
         * is bad */
        int oom = errno == ENOMEM;
        unsigned flen = hb_blob_get_length(font->blob);
        void *probe = oom ? NULL : malloc(flen ? flen : 1);
        if (!probe)
            pb_diag_oom("subsetting fonts");
        else
            pb_diag_syserr("hb-subset cannot cut font %s (%s): its glyph data is damaged, or "
                           "memory ran out",
                           font->file, font->psname);
        free(probe);
    }
    if (sub)
        hb_face_destroy(sub);
    if (plan)
        hb_subset_plan_destroy(plan);
    hb_subset_input_destroy(in);
    return st;
}
