/* hpdfx: the one place paiban reaches into libharu's internal structures (its object layer:
 * the document's memory manager, cross-reference table, catalog and info dicts, object numbers,
 * a dict's stream, filter and write hook, a page's attributes). Takes libharu handles; returns
 * the fields. Written for libharu 2.3.0 (Debian's libhpdf 2.3.0): another version stops the build. */
#ifndef PB_HPDFX_H
#define PB_HPDFX_H

#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>
#include <hpdf_version.h>
#include <stdint.h>

#if HPDF_MAJOR_VERSION != 2 || HPDF_MINOR_VERSION != 3 || HPDF_BUGFIX_VERSION != 0
#error "src/hpdfx.h reaches libharu 2.3.0's internal structures; check them against this libharu"
#endif

static inline HPDF_MMgr pb_hpdfx_mmgr(HPDF_Doc d) { return d->mmgr; }
static inline HPDF_Xref pb_hpdfx_xref(HPDF_Doc d) { return d->xref; }
static inline HPDF_Dict pb_hpdfx_catalog(HPDF_Doc d) { return d->catalog; }
/* Room for n objects in the cross-reference table at its next growth: libharu grows its lists
 * by a fixed step (HPDF_DEFALUT_XREF_ENTRY_NUM), copying the whole table byte by byte each
 * time, which made a long document's object count cost its square. */
static inline void pb_hpdfx_xref_reserve(HPDF_Doc d, HPDF_UINT n)
{
    if (d->xref->entries->items_per_block < n)
        d->xref->entries->items_per_block = n;
}
static inline HPDF_Dict pb_hpdfx_info(HPDF_Doc d) { return d->info; }
/* n - 1 more objects after obj, the xref's last: numbered on, each written by obj again when
 * the file is saved (in the xref's order: a write hook of obj's can tell them apart by
 * counting its calls). For objects written by one hook from one table of the writer's (the
 * structure elements), without a libharu dict each. HPDF_OK or libharu's error code. */
static inline HPDF_STATUS pb_hpdfx_xref_repeat(HPDF_Doc d, void *obj, HPDF_UINT n)
{
    HPDF_Xref x = d->xref;
    for (HPDF_UINT k = 1; k < n; k++) {
        if (x->entries->count >= HPDF_LIMIT_MAX_XREF_ELEMENT)
            return HPDF_XREF_COUNT_ERR;
        HPDF_XrefEntry e = (HPDF_XrefEntry)HPDF_GetMem(x->mmgr, sizeof(HPDF_XrefEntry_Rec));
        if (!e)
            return HPDF_FAILD_TO_ALLOC_MEM;
        if (HPDF_List_Add(x->entries, e) != HPDF_OK) {
            HPDF_FreeMem(x->mmgr, e);
            return HPDF_FAILD_TO_ALLOC_MEM;
        }
        e->entry_typ = HPDF_IN_USE_ENTRY;
        e->byte_offset = 0;
        e->gen_no = 0;
        e->obj = obj;
    }
    return HPDF_OK;
}
/* Before HPDF_Free: the entries pb_hpdfx_xref_repeat added after obj name nothing, so that obj
 * is freed once (by its own entry). */
static inline void pb_hpdfx_xref_unrepeat(HPDF_Doc d, void *obj)
{
    HPDF_Xref x = d->xref;
    HPDF_UINT own = (((HPDF_Obj_Header *)obj)->obj_id & 0xFFFFFF) - x->start_offset;
    for (HPDF_UINT k = own + 1; k < x->entries->count; k++) {
        HPDF_XrefEntry e = (HPDF_XrefEntry)HPDF_List_ItemAt(x->entries, k);
        if (e->obj != obj)
            break;
        e->obj = NULL;
    }
}
/* The object number of an object in the xref (ISO 32000-1 §7.3.10): libharu keeps it in the
 * low 24 bits of its header's obj_id. */
static inline uint32_t pb_hpdfx_obj_num(const void *obj)
{
    return ((const HPDF_Obj_Header *)obj)->obj_id & 0xFFFFFF;
}
static inline HPDF_Stream pb_hpdfx_stream(HPDF_Dict d) { return d->stream; }
static inline void pb_hpdfx_set_filter(HPDF_Dict d, HPDF_UINT filter) { d->filter = filter; }
/* A dict whose bytes hook writes when the file is saved (attr is the hook's, borrowed). */
static inline void pb_hpdfx_set_hook(HPDF_Dict d, HPDF_Dict_OnWriteFunc hook, void *attr)
{
    d->write_fn = hook;
    d->attr = attr;
}
static inline void *pb_hpdfx_hook_attr(HPDF_Dict d) { return d->attr; }
/* Save the document through write(stream, bytes, n) (data: pb_hpdfx_stream_data(stream)):
 * HPDF_SaveToStream writes into the document's stream, a memory stream it makes when there is
 * none, whose bytes are copied one at a time and read back; a callback stream put there is
 * written directly (its size counts the bytes, which the xref's offsets are taken from). */
static inline HPDF_STATUS pb_hpdfx_save_through(HPDF_Doc d, HPDF_Stream_Write_Func write,
                                                void *data)
{
    HPDF_Stream s = HPDF_CallbackWriter_New(d->mmgr, write, data);
    if (!s)
        return HPDF_FAILD_TO_ALLOC_MEM;
    HPDF_Stream_Free(d->stream);
    d->stream = s;
    return HPDF_SaveToStream(d);
}
static inline void *pb_hpdfx_stream_data(HPDF_Stream s) { return s->attr; }
/* A memory stream not yet written to takes its first n bytes in one block of n (libharu's
 * blocks are HPDF_STREAM_BUF_SIZ, 4 KB: a page's deflated content, about 4 KB, wasted half a
 * block on average). Its reads and seeks work in blocks of that size as before. */
static inline void pb_hpdfx_stream_exact(HPDF_Stream s, HPDF_UINT n)
{
    HPDF_MemStreamAttr a = (HPDF_MemStreamAttr)s->attr;
    if (s->type == HPDF_STREAM_MEMORY && s->size == 0 && a->buf->count == 0 && n > 0)
        a->buf_siz = a->w_pos = n;
}
static inline HPDF_PageAttr pb_hpdfx_page_attr(HPDF_Page p) { return (HPDF_PageAttr)p->attr; }

#endif
