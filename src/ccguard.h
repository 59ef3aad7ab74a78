/* ccguard: OpenCC's C functions called so that no C++ exception reaches paiban's C code.
 *
 * OpenCC is C++ behind a C API (<opencc.h>), and that API catches only its own
 * opencc::Exception: a std::bad_alloc (a run under `ulimit -v`, review 12 B3) went on through
 * query.c's C frames to the top of the thread and std::terminate aborted the run (rc 134,
 * "terminate called after throwing an instance of 'std::bad_alloc'"). These calls, in C++,
 * catch what the library throws and say what it was; query.c calls OpenCC through them only. */
#ifndef PB_CCGUARD_H
#define PB_CCGUARD_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What a guarded call gives: done, out of memory (std::bad_alloc), or failed otherwise (any
 * other exception; the library's own failures are its return values, as <opencc.h> says). */
typedef enum { PB_CC_OK = 0, PB_CC_NOMEM, PB_CC_FAILED } pb_cc_status;

/* opencc_open, opencc_convert_utf8 as <opencc.h> declares them (opencc_t is void *). */
typedef void *(*pb_cc_open_fn)(const char *config);
typedef char *(*pb_cc_convert_fn)(void *cc, const char *input, size_t length);

/* *cc = open(config); on an exception *cc is (void *)-1, opencc_open's failure. */
pb_cc_status pb_ccguard_open(pb_cc_open_fn open, const char *config, void **cc);
/* *out = convert(cc, input, length); on an exception *out is NULL. */
pb_cc_status pb_ccguard_convert(pb_cc_convert_fn convert, void *cc, const char *input,
                                size_t length, char **out);

#ifdef __cplusplus
}
#endif

#endif
