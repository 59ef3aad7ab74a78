/* trace: the text back end. Takes pb_pages; returns (writes) the same pages as text, one
 * line per placed run (baseline, x range, font, size, text), for golden tests. */
#ifndef PB_TRACE_H
#define PB_TRACE_H

#include <stdio.h>

#include "pagebuild.h"

pb_status pb_trace_write(const pb_pages *pages, FILE *out);

#endif
