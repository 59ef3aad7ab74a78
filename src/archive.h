/* archive: the PDF/A-3 profile's pieces that need no PDF library (pdf.c builds the objects).
 * Takes bytes, epochs and UTF-8 strings; returns SHA-256 / MD5 digests (nettle), PDF and XMP
 * dates, whole files read into memory, the sRGB ICC profile and the XMP metadata packet. */
#ifndef PB_ARCHIVE_H
#define PB_ARCHIVE_H

#include <stddef.h>
#include <stdint.h>

#include <nettle/sha2.h>

#include "diag.h"

#define PB_ARCHIVE_SHA256_SIZE 32 /* bytes (FIPS 180-4) */
#define PB_ARCHIVE_MD5_SIZE 16    /* bytes (RFC 1321); /Params /CheckSum, ISO 32000-1 §7.11.4 */
#define PB_ARCHIVE_DATE_MAX 32    /* bytes, enough for either date form and its NUL */

/* Namespace and prefix of paiban's own XMP properties (declared in the packet's
 * pdfaExtension:schemas, as ISO 19005-3 §6.6.2.3 asks of custom properties). */
#define PB_ARCHIVE_NS "https://paiban.invalid/ns/1.0/"
#define PB_ARCHIVE_NS_PREFIX "pb"

/* The sRGB profile of the OutputIntent, read at run time from Debian's icc-profiles-free
 * (ICC v2 "sRGB IEC61966-2.1" written by Little CMS). */
#define PB_ARCHIVE_SRGB_ICC "/usr/share/color/icc/sRGB.icc"
#define PB_ARCHIVE_SRGB_PACKAGE "icc-profiles-free"
#define PB_ARCHIVE_SRGB_CONDITION "sRGB IEC61966-2.1"

/* Incremental SHA-256. */
typedef struct {
    struct sha256_ctx ctx;
} pb_archive_hash;

void pb_archive_hash_init(pb_archive_hash *h);
void pb_archive_hash_update(pb_archive_hash *h, const void *data, size_t len);
void pb_archive_hash_final(pb_archive_hash *h, uint8_t out[PB_ARCHIVE_SHA256_SIZE]);
void pb_archive_sha256(const void *data, size_t len, uint8_t out[PB_ARCHIVE_SHA256_SIZE]);
void pb_archive_md5(const void *data, size_t len, uint8_t out[PB_ARCHIVE_MD5_SIZE]);
/* Lower-case hex of n bytes into out (2n + 1 bytes). */
void pb_archive_hex(const uint8_t *bytes, size_t n, char *out);

/* "D:YYYYMMDDHHmmSS+00'00'" (ISO 32000-1 §7.9.4) and "YYYY-MM-DDTHH:MM:SS+00:00" (XMP, ISO
 * 8601) of seconds since 1970 in UTC; the same instant in both forms. epoch: 0..253402300799. */
void pb_archive_pdf_date(long long epoch, char out[PB_ARCHIVE_DATE_MAX]);
void pb_archive_xmp_date(long long epoch, char out[PB_ARCHIVE_DATE_MAX]);
/* Seconds since 1970 from a PDF date "D:YYYYMMDDHHmmSS" with an optional offset (Z, +HH'mm',
 * -HH'mm'); PB_EINPUT (no message) when s is not such a date. */
pb_status pb_archive_parse_pdf_date(const char *s, long long *epoch);

/* The sRGB ICC profile (PB_ARCHIVE_SRGB_ICC), checked to be an RGB ICC profile of version 2
 * or 4. Missing or unreadable: a system error naming the file and the package (PB_ESYSTEM). */
pb_status pb_archive_load_srgb(uint8_t **bytes, size_t *len);

/* One embedded source file as the XMP records it. */
typedef struct {
    const char *role; /* property name stem: "corpus" or "layout" */
    const char *name; /* UTF-8 file name */
    uint8_t sha256[PB_ARCHIVE_SHA256_SIZE];
} pb_archive_source;

typedef struct {
    const char *title;    /* UTF-8; dc:title x-default, equal to Info /Title */
    const char *title_zh; /* UTF-8 or NULL; dc:title entry for lang_zh */
    const char *title_en; /* UTF-8 or NULL; dc:title entry for lang_en */
    const char *lang_zh, *lang_en; /* BCP 47; also dc:language */
    const char *producer; /* = Info /Producer (pdf:Producer) */
    const char *creator;  /* = Info /Creator (xmp:CreatorTool) */
    long long epoch;      /* = Info /CreationDate and /ModDate; < 0: none (no dates) */
    const pb_archive_source *sources;
    size_t n_sources;
    int section; /* > 0: the file sets only this section of the corpus (one leaflet of a
                  * leaflet layout), recorded as pb:section so that verify rebuilds it */
    int pdfa_part;        /* pdfaid:part (3), 0: not PDF/A (no pdfaid, no extension schemas) */
    const char *pdfa_conformance; /* pdfaid:conformance: "A" or "U" */
    int pdfua_part;       /* pdfuaid:part (1: ISO 14289-1), 0: no PDF/UA claim */
} pb_archive_xmp_info;

/* The XMP packet (UTF-8, ISO 16684-1) of every product: Dublin Core title and languages,
 * dates, producer, creator tool; the PDF/UA identifier (ISO 14289-1 §5) where the file claims
 * it; for PDF/A the pdfaid part and conformance, the sources' names and SHA-256 under
 * PB_ARCHIVE_NS, and the extension schemas of every property PDF/A does not predefine
 * (ISO 19005-3 §6.6.2.3). Malloc'ed, *out[*len] = NUL. */
pb_status pb_archive_xmp(const pb_archive_xmp_info *info, char **out, size_t *len);

/* The text of the first simple XMP property <prefix:name>…</prefix:name> in packet, XML
 * entities decoded, malloc'ed; NULL when absent (or out of memory). For verify. */
char *pb_archive_xmp_get(const char *packet, size_t len, const char *qname);

#endif
