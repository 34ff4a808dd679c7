/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/*
 * Ingestion: list input paths (recursive, sorted, loop-safe), read files,
 * detect the encoding (BOM, UTF-8 validity, ICU charset detection) and
 * decode to code points that remember their byte offsets in the file.
 */
#ifndef ND_INGEST_H
#define ND_INGEST_H

#include <stddef.h>
#include <stdint.h>

#include "internal.h"

/* A decoded file: code point i came from bytes [off[i], off[i + 1]). */
typedef struct nd_decoded {
    uint32_t *cp;
    uint32_t *off;        /* n + 1 entries */
    size_t n;
    char encoding[40];    /* name used, e.g. "UTF-8", "GB18030", "UTF-16LE" */
    size_t bad;           /* invalid sequences replaced by U+FFFD */
    uint64_t first_bad;   /* byte offset of the first one */
} nd_decoded;

/*
 * Decode @p data.  @p force names an encoding (ICU converter name) or is
 * NULL to detect.  Returns ND_OK, ND_EBINARY (NUL bytes early, no UTF-16
 * BOM), ND_EENCODING (unknown forced name), ND_ETOOBIG (> 4 GiB - 1),
 * ND_ENOMEM, ND_EICU.  On success the caller frees with nd_decoded_free.
 */
int nd_decode(const uint8_t *data, size_t len, const char *force,
              nd_decoded *out);
void nd_decoded_free(nd_decoded *d);

/*
 * Decode bytes [start, end) of @p file (@p len bytes), which nd_decode
 * decoded before as @p enc (the name it gave): the same code points as that
 * whole-file decoding gave for the range, offsets relative to @p start.
 * start and end must be code point boundaries of that decoding.  Nothing
 * is detected and U+FEFF after the start of the file is text.  Stateful
 * encodings (ISO-2022, HZ, UTF-7, ...) are decoded from the file's start.
 * Returns as nd_decode, or ND_EINVAL for a range outside the file; the bad
 * count may include bytes decoded past the end.
 */
int nd_decode_range(const uint8_t *file, size_t len, size_t start,
                    size_t end, const char *enc, nd_decoded *out);

/* Whether bytes [start, start + n) of a file in encoding @p enc, at
 * @p s, are already the UTF-8 that decoding them gives (nd_decode_range,
 * then UTF-8 again): the file is UTF-8, the bytes are valid UTF-8 without
 * U+0000 (which decoding replaces or leaves out), and they are not the
 * file's byte order mark. */
int nd_range_is_utf8(const char *enc, size_t start, const uint8_t *s,
                     size_t n);

/* The bytes [*from, *to) of the file that nd_decode_range reads for
 * [start, end) (start <= end <= len). */
void nd_decode_range_window(size_t len, size_t start, size_t end,
                            const char *enc, size_t *from, size_t *to);

/* nd_decode_range given only those bytes: @p win holds bytes [from, to)
 * of the file (nd_decode_range_window), @p len is the file's length. */
int nd_decode_range_in(const uint8_t *win, size_t len, size_t start,
                       size_t end, const char *enc, nd_decoded *out);

/* Paths under @p path, recursive, sorted bytewise, regular files only
 * (FIFOs, devices and sockets are reported and skipped, even when named
 * directly).
 * Directories entered through symlinks are followed once (loops reported
 * and skipped).  Problems go to the log; *skipped counts them. */
typedef struct nd_pathlist {
    char **v;
    size_t n, cap;
} nd_pathlist;
int nd_list_paths(const nd_ctx *ctx, const char *path, nd_pathlist *out,
                  size_t *skipped);
void nd_pathlist_free(nd_pathlist *l);

/* Read a whole regular file (or stdin for "-") into memory.  A file that
 * grows while it is read is read up to the size it had when opened
 * (*changed = 1); one that shrank gives what was left (*changed = -1);
 * else *changed = 0.  @p changed may be NULL.  Anything but a regular file
 * is refused with ND_EIO (errno EISDIR or ENODEV). */
int nd_read_file(const char *path, uint8_t **data, size_t *len,
                 int *changed);

/* nd_read_file that also tells which file it read (*id, from fstat before
 * reading; zero for stdin). */
int nd_read_file_id(const char *path, uint8_t **data, size_t *len,
                    int *changed, nd_fileid *id);

/* Is the file at @p path still @p id (same device, inode, size, change
 * and modification times)? */
int nd_file_same(const char *path, const nd_fileid *id);

/* Open the file at @p path for reading if it is still @p id: a file
 * descriptor, or -1. */
int nd_file_open(const char *path, const nd_fileid *id);

/* Bytes [from, to) of open file @p fd into @p buf: ND_OK, ND_EIO. */
int nd_fd_pread(int fd, size_t from, size_t to, uint8_t *buf);

/* Both: ND_OK, ND_EIO (changed, gone or short). */
int nd_file_pread(const char *path, const nd_fileid *id, size_t from,
                  size_t to, uint8_t *buf);

#endif
