/* archive: digests, dates, file reading, the sRGB profile and the XMP packet (PDF/A-3, UA).
 * Digests come from nettle (Debian nettle-dev); nothing here knows libharu. */
#include "archive.h"

#include "textbuf.h"
#include "util.h"

#include <errno.h>
#include <nettle/md5.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "uchar.h"

/* ICC.1:2010 §7.2: the header is 128 bytes; profile size at 0, major version at 8, data
 * colour space at 16, the file signature 'acsp' at 36. */
#define ICC_HEADER_SIZE 128
#define ICC_OFF_VERSION 8
#define ICC_OFF_COLOR_SPACE 16
#define ICC_OFF_SIGNATURE 36
/* PDF/A-3 (ISO 32000-1 §8.6.5.5) accepts ICC profiles up to version 4. */
#define ICC_VERSION_MIN 2
#define ICC_VERSION_MAX 4
/* Largest profile read (bytes); sRGB profiles are a few KB. */
#define ICC_SIZE_MAX (16 * 1024 * 1024)

/* XMP packet wrapper (ISO 16684-1 §7.3): the fixed id, and the begin attribute holding
 * U+FEFF in UTF-8. PDF/A forbids the bytes and encoding attributes, so there are none. */
#define XPACKET_ID "W5M0MpCehiHzreSzNTczkc9d"
#define XPACKET_BOM "\xEF\xBB\xBF"
/* Whitespace left before the trailer so the packet can be edited in place (ISO 16684-1
 * §7.3.3 recommends 2 KB); lines of XPACKET_PAD_LINE spaces. */
#define XPACKET_PAD_LINES 20
#define XPACKET_PAD_LINE 100

#define SECONDS_PER_DAY 86400LL
#define SECONDS_PER_HOUR 3600
#define SECONDS_PER_MINUTE 60
#define EPOCH_YEAR 1970
#define YEAR_MAX 9999

/* ---- digests ------------------------------------------------------------------------- */

void pb_archive_hash_init(pb_archive_hash *h) { sha256_init(&h->ctx); }

void pb_archive_hash_update(pb_archive_hash *h, const void *data, size_t len)
{
    if (len)
        sha256_update(&h->ctx, len, data);
}

void pb_archive_hash_final(pb_archive_hash *h, uint8_t out[PB_ARCHIVE_SHA256_SIZE])
{
    sha256_digest(&h->ctx, PB_ARCHIVE_SHA256_SIZE, out);
}

void pb_archive_sha256(const void *data, size_t len, uint8_t out[PB_ARCHIVE_SHA256_SIZE])
{
    pb_archive_hash h;
    pb_archive_hash_init(&h);
    pb_archive_hash_update(&h, data, len);
    pb_archive_hash_final(&h, out);
}

void pb_archive_md5(const void *data, size_t len, uint8_t out[PB_ARCHIVE_MD5_SIZE])
{
    struct md5_ctx c;
    md5_init(&c);
    if (len)
        md5_update(&c, len, data);
    md5_digest(&c, PB_ARCHIVE_MD5_SIZE, out);
}

void pb_archive_hex(const uint8_t *bytes, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[bytes[i] >> 4];
        out[2 * i + 1] = digits[bytes[i] & 0xF];
    }
    out[2 * n] = 0;
}

/* ---- dates --------------------------------------------------------------------------- */

static int is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int days_in_month(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return days[m - 1] + (m == 2 && is_leap(y));
}

typedef struct {
    int year, month, day, hour, minute, second;
} civil;

/* UTC calendar fields of an epoch (gmtime_r, which is exact for 1970..9999). */
static void to_civil(long long epoch, civil *c)
{
    time_t t = (time_t)epoch;
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    gmtime_r(&t, &tm);
    c->year = tm.tm_year + 1900;
    c->month = tm.tm_mon + 1;
    c->day = tm.tm_mday;
    c->hour = tm.tm_hour;
    c->minute = tm.tm_min;
    c->second = tm.tm_sec;
}

/* Seconds since 1970 of UTC calendar fields (year >= 1970); timegm is not POSIX. */
static long long from_civil(const civil *c)
{
    long long days = 0;
    for (int y = EPOCH_YEAR; y < c->year; y++)
        days += is_leap(y) ? 366 : 365;
    for (int m = 1; m < c->month; m++)
        days += days_in_month(c->year, m);
    days += c->day - 1;
    return days * SECONDS_PER_DAY + c->hour * SECONDS_PER_HOUR + c->minute * SECONDS_PER_MINUTE +
           c->second;
}

void pb_archive_pdf_date(long long epoch, char out[PB_ARCHIVE_DATE_MAX])
{
    civil c;
    to_civil(epoch, &c);
    snprintf(out, PB_ARCHIVE_DATE_MAX, "D:%04d%02d%02d%02d%02d%02d+00'00'", c.year, c.month, c.day,
             c.hour, c.minute, c.second);
}

void pb_archive_xmp_date(long long epoch, char out[PB_ARCHIVE_DATE_MAX])
{
    civil c;
    to_civil(epoch, &c);
    snprintf(out, PB_ARCHIVE_DATE_MAX, "%04d-%02d-%02dT%02d:%02d:%02d+00:00", c.year, c.month,
             c.day, c.hour, c.minute, c.second);
}

/* n decimal digits at *s into *v; advances *s. */
static int digits(const char **s, int n, int *v)
{
    *v = 0;
    for (int i = 0; i < n; i++) {
        if ((*s)[i] < '0' || (*s)[i] > '9')
            return 0;
        *v = *v * 10 + ((*s)[i] - '0');
    }
    *s += n;
    return 1;
}

pb_status pb_archive_parse_pdf_date(const char *s, long long *epoch)
{
    civil c = {0, 1, 1, 0, 0, 0};
    if (strncmp(s, "D:", 2) != 0)
        return PB_EINPUT;
    s += 2;
    if (!digits(&s, 4, &c.year))
        return PB_EINPUT;
    /* every later field is optional, but each needs the ones before it (ISO 32000-1 §7.9.4) */
    int *fields[] = {&c.month, &c.day, &c.hour, &c.minute, &c.second};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0] && *s >= '0' && *s <= '9'; i++)
        if (!digits(&s, 2, fields[i]))
            return PB_EINPUT;
    if (c.year < EPOCH_YEAR || c.year > YEAR_MAX || c.month < 1 || c.month > 12 || c.day < 1 ||
        c.day > days_in_month(c.year, c.month) || c.hour > 23 || c.minute > 59 || c.second > 59)
        return PB_EINPUT;
    long long offset = 0; /* seconds east of UTC */
    if (*s == '+' || *s == '-') {
        int sign = *s == '+' ? 1 : -1, oh = 0, om = 0;
        s++;
        if (!digits(&s, 2, &oh) || oh > 23)
            return PB_EINPUT;
        if (*s == '\'') {
            s++;
            if (*s && (!digits(&s, 2, &om) || om > 59))
                return PB_EINPUT;
            if (*s == '\'')
                s++;
        }
        offset = sign * (oh * SECONDS_PER_HOUR + om * SECONDS_PER_MINUTE);
    } else if (*s == 'Z') {
        s++;
        if (*s == '\'') /* "Z00'00'" is seen in the wild */
            s += strspn(s, "0'");
    }
    if (*s)
        return PB_EINPUT;
    long long v = from_civil(&c) - offset;
    if (v < 0)
        return PB_EINPUT;
    *epoch = v;
    return PB_OK;
}

/* ---- files --------------------------------------------------------------------------- */

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

pb_status pb_archive_load_srgb(uint8_t **bytes, size_t *len)
{
    FILE *probe = fopen(PB_ARCHIVE_SRGB_ICC, "rb");
    if (!probe) {
        pb_diag_syserr("cannot read the sRGB ICC profile %s: %s (install Debian's %s)",
                       PB_ARCHIVE_SRGB_ICC, strerror(errno), PB_ARCHIVE_SRGB_PACKAGE);
        return PB_ESYSTEM;
    }
    fclose(probe);
    pb_status st = pb_util_read_file(PB_ARCHIVE_SRGB_ICC, "the sRGB ICC profile",
                                        ICC_SIZE_MAX, bytes, len);
    if (st != PB_OK)
        return st;
    const uint8_t *b = *bytes;
    if (*len < ICC_HEADER_SIZE || *len > ICC_SIZE_MAX || be32(b) != *len ||
        memcmp(b + ICC_OFF_SIGNATURE, "acsp", 4) != 0 ||
        memcmp(b + ICC_OFF_COLOR_SPACE, "RGB ", 4) != 0 || b[ICC_OFF_VERSION] < ICC_VERSION_MIN ||
        b[ICC_OFF_VERSION] > ICC_VERSION_MAX) {
        pb_diag_syserr("%s is not an RGB ICC profile of version %d to %d", PB_ARCHIVE_SRGB_ICC,
                       ICC_VERSION_MIN, ICC_VERSION_MAX);
        free(*bytes);
        *bytes = NULL;
        return PB_ESYSTEM;
    }
    return PB_OK;
}

/* ---- XMP ----------------------------------------------------------------------------- */

typedef pb_buf xbuf;

static void xput(xbuf *s, const char *p, size_t n) { pb_buf_put(s, p, n); }

static void xstr(xbuf *s, const char *p) { pb_buf_str(s, p); }

/* UTF-8 text as XML character data or attribute value (XML 1.0 §2.4, §3.3.3): markup
 * characters as entities, characters XML 1.0 does not allow (C0 controls but tab, CR, LF;
 * U+FFFE, U+FFFF) dropped, invalid UTF-8 as U+FFFD. */
static void xesc(xbuf *s, const char *text)
{
    const uint8_t *p = (const uint8_t *)text;
    size_t n = strlen(text);
    while (n) {
        uint32_t c;
        size_t k = pb_uchar_decode(p, n, &c);
        if (!k) {
            xstr(s, "\xEF\xBF\xBD"); /* U+FFFD REPLACEMENT CHARACTER */
            p++, n--;
            continue;
        }
        switch (c) {
        case '&': xstr(s, "&amp;"); break;
        case '<': xstr(s, "&lt;"); break;
        case '>': xstr(s, "&gt;"); break;
        case '"': xstr(s, "&quot;"); break;
        case '\'': xstr(s, "&apos;"); break;
        default:
            if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0xFFFE || c == 0xFFFF)
                break;
            xput(s, (const char *)p, k);
        }
        p += k, n -= k;
    }
}

/* <qname>escaped text</qname> on its own line */
static void xelem(xbuf *s, const char *indent, const char *qname, const char *text)
{
    xstr(s, indent);
    xstr(s, "<");
    xstr(s, qname);
    xstr(s, ">");
    xesc(s, text);
    xstr(s, "</");
    xstr(s, qname);
    xstr(s, ">\n");
}

static void xli_lang(xbuf *s, const char *lang, const char *text)
{
    xstr(s, "     <rdf:li xml:lang=\"");
    xesc(s, lang);
    xstr(s, "\">");
    xesc(s, text);
    xstr(s, "</rdf:li>\n");
}

static void xdesc_open(xbuf *s, const char *prefix, const char *ns)
{
    xstr(s, "  <rdf:Description rdf:about=\"\" xmlns:");
    xstr(s, prefix);
    xstr(s, "=\"");
    xstr(s, ns);
    xstr(s, "\">\n");
}

static const char XDESC_CLOSE[] = "  </rdf:Description>\n";

/* The PDF/UA identification schema (ISO 14289-1 §5). */
#define PDFUAID_NS "http://www.aiim.org/pdfua/ns/id/"

/* One schema of pdfaExtension:schemas (ISO 19005-3 §6.6.2.3.2), its properties to follow. */
static void xschema_open(xbuf *s, const char *schema, const char *ns, const char *prefix)
{
    xstr(s, "     <rdf:li rdf:parseType=\"Resource\">\n");
    xelem(s, "      ", "pdfaSchema:schema", schema);
    xelem(s, "      ", "pdfaSchema:namespaceURI", ns);
    xelem(s, "      ", "pdfaSchema:prefix", prefix);
    xstr(s, "      <pdfaSchema:property>\n       <rdf:Seq>\n");
}

static const char XSCHEMA_CLOSE[] = "       </rdf:Seq>\n      </pdfaSchema:property>\n"
                                    "     </rdf:li>\n";

/* One custom property as the extension schema declares it (ISO 19005-3 §6.6.2.3.3). */
static void xext_property(xbuf *s, const char *name, const char *type, const char *description)
{
    xstr(s, "       <rdf:li rdf:parseType=\"Resource\">\n");
    xelem(s, "        ", "pdfaProperty:name", name);
    xelem(s, "        ", "pdfaProperty:valueType", type);
    xelem(s, "        ", "pdfaProperty:category", "internal");
    xelem(s, "        ", "pdfaProperty:description", description);
    xstr(s, "       </rdf:li>\n");
}

pb_status pb_archive_xmp(const pb_archive_xmp_info *info, char **out, size_t *len)
{
    xbuf s = {0};
    char date[PB_ARCHIVE_DATE_MAX] = "", qname[64], hex[2 * PB_ARCHIVE_SHA256_SIZE + 1];
    if (info->epoch >= 0)
        pb_archive_xmp_date(info->epoch, date);

    xstr(&s, "<?xpacket begin=\"" XPACKET_BOM "\" id=\"" XPACKET_ID "\"?>\n"
             "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
             " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n");

    if (info->pdfa_part) {
        char part[16];
        snprintf(part, sizeof part, "%d", info->pdfa_part);
        xdesc_open(&s, "pdfaid", "http://www.aiim.org/pdfa/ns/id/");
        xelem(&s, "   ", "pdfaid:part", part);
        xelem(&s, "   ", "pdfaid:conformance", info->pdfa_conformance);
        xstr(&s, XDESC_CLOSE);
    }
    if (info->pdfua_part) {
        char part[16];
        snprintf(part, sizeof part, "%d", info->pdfua_part);
        xdesc_open(&s, "pdfuaid", PDFUAID_NS);
        xelem(&s, "   ", "pdfuaid:part", part);
        xstr(&s, XDESC_CLOSE);
    }

    xdesc_open(&s, "dc", "http://purl.org/dc/elements/1.1/");
    xelem(&s, "   ", "dc:format", "application/pdf");
    xstr(&s, "   <dc:title>\n    <rdf:Alt>\n");
    xli_lang(&s, "x-default", info->title);
    if (info->title_zh)
        xli_lang(&s, info->lang_zh, info->title_zh);
    if (info->title_en)
        xli_lang(&s, info->lang_en, info->title_en);
    xstr(&s, "    </rdf:Alt>\n   </dc:title>\n   <dc:language>\n    <rdf:Bag>\n");
    xelem(&s, "     ", "rdf:li", info->lang_zh);
    xelem(&s, "     ", "rdf:li", info->lang_en);
    xstr(&s, "    </rdf:Bag>\n   </dc:language>\n");
    xstr(&s, XDESC_CLOSE);

    xdesc_open(&s, "xmp", "http://ns.adobe.com/xap/1.0/");
    if (info->epoch >= 0) {
        xelem(&s, "   ", "xmp:CreateDate", date);
        xelem(&s, "   ", "xmp:ModifyDate", date);
        xelem(&s, "   ", "xmp:MetadataDate", date);
    }
    xelem(&s, "   ", "xmp:CreatorTool", info->creator);
    xstr(&s, XDESC_CLOSE);

    xdesc_open(&s, "pdf", "http://ns.adobe.com/pdf/1.3/");
    xelem(&s, "   ", "pdf:Producer", info->producer);
    xstr(&s, XDESC_CLOSE);

    if (info->n_sources) {
        xdesc_open(&s, PB_ARCHIVE_NS_PREFIX, PB_ARCHIVE_NS);
        for (size_t i = 0; i < info->n_sources; i++) {
            const pb_archive_source *src = &info->sources[i];
            snprintf(qname, sizeof qname, PB_ARCHIVE_NS_PREFIX ":%sFile", src->role);
            xelem(&s, "   ", qname, src->name);
            snprintf(qname, sizeof qname, PB_ARCHIVE_NS_PREFIX ":%sSHA256", src->role);
            pb_archive_hex(src->sha256, PB_ARCHIVE_SHA256_SIZE, hex);
            xelem(&s, "   ", qname, hex);
        }
        if (info->section > 0) {
            char num[16];
            snprintf(num, sizeof num, "%d", info->section);
            xelem(&s, "   ", PB_ARCHIVE_NS_PREFIX ":section", num);
        }
        xstr(&s, XDESC_CLOSE);
    }
    if (info->pdfa_part && (info->n_sources || info->pdfua_part)) {
        xstr(&s, "  <rdf:Description rdf:about=\"\""
                 " xmlns:pdfaExtension=\"http://www.aiim.org/pdfa/ns/extension/\""
                 " xmlns:pdfaSchema=\"http://www.aiim.org/pdfa/ns/schema#\""
                 " xmlns:pdfaProperty=\"http://www.aiim.org/pdfa/ns/property#\">\n"
                 "   <pdfaExtension:schemas>\n    <rdf:Bag>\n");
        if (info->n_sources) {
            xschema_open(&s, "paiban archive: embedded source files", PB_ARCHIVE_NS,
                         PB_ARCHIVE_NS_PREFIX);
            for (size_t i = 0; i < info->n_sources; i++) {
                const char *role = info->sources[i].role;
                char name[64], what[160];
                snprintf(name, sizeof name, "%sFile", role);
                snprintf(what, sizeof what, "name of the embedded %s file (an Associated File)",
                         role);
                xext_property(&s, name, "Text", what);
                snprintf(name, sizeof name, "%sSHA256", role);
                snprintf(what, sizeof what, "SHA-256 of the embedded %s file, lower-case hex",
                         role);
                xext_property(&s, name, "Text", what);
            }
            if (info->section > 0)
                xext_property(&s, "section", "Integer",
                              "the section of the corpus this file sets (one leaflet of a "
                              "leaflet layout)");
            xstr(&s, XSCHEMA_CLOSE);
        }
        if (info->pdfua_part) { /* not predefined by PDF/A-3: described here (ISO 14289-1 §5) */
            xschema_open(&s, "PDF/UA Universal Accessibility Schema", PDFUAID_NS, "pdfuaid");
            xext_property(&s, "part", "Integer",
                          "Indicates, which part of ISO 14289 standard is followed");
            xstr(&s, XSCHEMA_CLOSE);
        }
        xstr(&s, "    </rdf:Bag>\n   </pdfaExtension:schemas>\n");
        xstr(&s, XDESC_CLOSE);
    }
    xstr(&s, " </rdf:RDF>\n</x:xmpmeta>\n");
    char pad[XPACKET_PAD_LINE + 1];
    memset(pad, ' ', XPACKET_PAD_LINE - 1);
    pad[XPACKET_PAD_LINE - 1] = '\n';
    pad[XPACKET_PAD_LINE] = 0;
    for (int i = 0; i < XPACKET_PAD_LINES; i++)
        xstr(&s, pad);
    xstr(&s, "<?xpacket end=\"w\"?>");
    if (s.oom) {
        free(s.b);
        pb_diag_oom("writing the XMP metadata");
        return PB_ESYSTEM;
    }
    *out = s.b;
    *len = s.n;
    return PB_OK;
}

char *pb_archive_xmp_get(const char *packet, size_t len, const char *qname)
{
    char open[96], close[96];
    snprintf(open, sizeof open, "<%s>", qname);
    snprintf(close, sizeof close, "</%s>", qname);
    size_t ol = strlen(open), cl = strlen(close);
    const char *end = packet + len, *a = NULL;
    for (const char *p = packet; p + ol <= end; p++)
        if (memcmp(p, open, ol) == 0) {
            a = p + ol;
            break;
        }
    if (!a)
        return NULL;
    const char *b = NULL;
    for (const char *p = a; p + cl <= end; p++)
        if (memcmp(p, close, cl) == 0) {
            b = p;
            break;
        }
    if (!b)
        return NULL;
    char *r = malloc((size_t)(b - a) + 1);
    if (!r)
        return NULL;
    static const struct {
        const char *ent;
        char c;
    } ents[] = {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
    size_t k = 0;
    for (const char *p = a; p < b;) {
        size_t e = 0;
        for (; e < sizeof ents / sizeof ents[0]; e++) {
            size_t el = strlen(ents[e].ent);
            if ((size_t)(b - p) >= el && memcmp(p, ents[e].ent, el) == 0) {
                r[k++] = ents[e].c;
                p += el;
                break;
            }
        }
        if (e == sizeof ents / sizeof ents[0])
            r[k++] = *p++;
    }
    r[k] = 0;
    return r;
}
