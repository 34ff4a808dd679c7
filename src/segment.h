/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/*
 * Segmentation: split a decoded file into documents (speeches).
 */
#ifndef ND_SEGMENT_H
#define ND_SEGMENT_H

#include <stddef.h>

#include "ingest.h"

/* A document as a range of code point indices of the decoded file.
 * Segments are contiguous and cover the whole file: seg[0].from == 0,
 * seg[i].to == seg[i + 1].from, seg[last].to == d->n.  The title is the
 * first non-blank line of the segment, trimmed of surrounding white space
 * ([title_from, title_to), empty when the segment has no text). */
typedef struct nd_segment {
    size_t from, to;
    size_t title_from, title_to;
} nd_segment;

/*
 * Split @p d according to @p mode (enum nd_split); @p regex is the ICU
 * pattern for ND_SPLIT_REGEX, matched against each line: a matching line
 * starts a document.  Returns ND_OK, ND_ENOMEM, ND_EINVAL (bad regex;
 * detail in @p err).  *out is freed with nd_free.  An empty file gives one
 * empty segment.
 */
int nd_segment_split(const nd_decoded *d, int mode, const char *regex,
                     nd_segment **out, size_t *n, char *err, size_t errlen);

/* Is the trimmed line @p s (n code points) a numbered heading: 一、 （一）
 * (1) 1. 第一， 第二部分 一是 ① ...?  (Such lines never start a document;
 * the draft check uses them to find sections.) */
int nd_segment_is_heading(const uint32_t *s, size_t n);

#endif
