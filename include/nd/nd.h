/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/*
 * neardup: find reused text.  The public API.
 *
 * A corpus is a set of documents (speeches) read from files: each file is
 * decoded (any encoding ICU knows), split into documents, normalized (NFKC,
 * case folding, Traditional to Simplified, punctuation dropped) with every
 * character keeping the byte range it came from in the file on disk.
 * nd_corpus_scan() then finds near-duplicate document pairs (MinHash + LSH,
 * verified exactly) and reused passages (anchor index + alignment), and
 * hands every result to a caller-supplied callback as an nd_record.
 *
 * Conventions:
 *  - Functions return ND_OK (0) or a negative ND_E* code; nd_strerror()
 *    names a code and nd_ctx_errmsg() gives the detail of the last failure.
 *  - The library prints nothing; diagnostics go to the log callback of the
 *    settings.
 *  - Every object that is created has a destroy function accepting NULL.
 *  - Strings are UTF-8.  Offsets are bytes into the file as stored on disk,
 *    end exclusive.  Character counts are normalized characters.
 *  - An nd_ctx is read-only after creation and may be shared between
 *    threads; an nd_corpus belongs to one thread at a time.
 */
#ifndef ND_ND_H
#define ND_ND_H

#include <stddef.h>
#include <stdint.h>

#include "nd/version.h"

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#define ND_API __declspec(dllexport)
#elif defined(__GNUC__)
#define ND_API __attribute__((visibility("default")))
#else
#define ND_API
#endif

/** Result codes.  Values never change once released. */
enum nd_error {
    ND_OK = 0,
    ND_ENOMEM = -1,    /**< out of memory */
    ND_EINVAL = -2,    /**< invalid argument or setting */
    ND_EIO = -3,       /**< a file could not be read or written */
    ND_EENCODING = -4, /**< unknown encoding or conversion failure */
    ND_EBINARY = -5,   /**< the input looks binary and was skipped */
    ND_EICU = -6,      /**< an ICU service failed */
    ND_ETOOBIG = -7,   /**< the input exceeds a limit (4 GiB per file) */
    ND_EABORT = -8,    /**< the record callback asked to stop */
    ND_ESTORE = -9,    /**< the index store failed */
    ND_ENOTINDEX = -10, /**< the file is not a neardup index, or corrupt */
    ND_EVERSION = -11, /**< the index was written by a newer version */
    ND_EPARAMS = -12,  /**< settings differ from the index's */
    ND_EBUSY = -13,    /**< the index is locked by another process */
};

/** @return a fixed English description of @p code. */
ND_API const char *nd_strerror(int code);

/** @return the library version, "MAJOR.MINOR.PATCH". */
ND_API const char *nd_version(void);

/** Severity of a diagnostic passed to the log callback. */
enum nd_log_level { ND_LOG_ERROR = 0, ND_LOG_WARN = 1, ND_LOG_INFO = 2,
                    ND_LOG_DEBUG = 3 };

/**
 * Log callback.  @p file is the input the message is about (NULL when none),
 * @p msg a complete sentence without trailing newline.  Called from the
 * thread that runs the library call.
 */
typedef void (*nd_log_fn)(void *user, int level, const char *file,
                          const char *msg);

/** Stages reported to the progress callback. */
enum nd_stage {
    ND_STAGE_READ = 1,  /**< files read (per nd_corpus_add_path call) */
    ND_STAGE_SIGN = 2,  /**< documents signed (nd_corpus_scan) */
    ND_STAGE_ALIGN = 3, /**< candidate pairs verified and aligned */
};

/**
 * Progress callback: @p done of @p total units of @p stage (total 0 when
 * unknown); @p bytes is the input read so far by the current call.  Called
 * from the thread that runs the library call, often: keep it cheap.
 */
typedef void (*nd_progress_fn)(void *user, int stage, uint64_t done,
                               uint64_t total, uint64_t bytes);

/** How a file is split into documents. */
enum nd_split {
    ND_SPLIT_AUTO = 0,  /**< at title lines (default) */
    ND_SPLIT_NONE = 1,  /**< one file is one document */
    ND_SPLIT_BLANK = 2, /**< at blank lines */
    ND_SPLIT_REGEX = 3, /**< at lines matching split_regex (ICU syntax) */
};

/** Settings.  Fill with nd_default_settings(), then change fields. */
typedef struct nd_settings {
    int shingle;          /**< characters per shingle (k), default 5 */
    int perm;             /**< MinHash values per document, default 128 */
    double threshold;     /**< Jaccard threshold for pairs, default 0.5 */
    double containment;   /**< containment threshold, default 0.8 */
    int min_passage;      /**< shortest passage in characters, default 30 */
    int max_df;           /**< passages in more documents are boilerplate,
                               default 10 */
    int split;            /**< enum nd_split, default ND_SPLIT_AUTO */
    const char *split_regex; /**< pattern for ND_SPLIT_REGEX (copied) */
    const char *encoding; /**< force this input encoding; NULL: detect */
    int fold_variants;    /**< Traditional to Simplified, default 1 */
    int keep_punct;       /**< keep punctuation and symbols, default 0 */
    int threads;          /**< worker threads for loading, signing and
                               verification; 0: all online cores.  Results
                               are identical for any value. */
    nd_log_fn log;        /**< diagnostics; NULL: discard */
    void *log_user;       /**< passed to log */
    nd_progress_fn progress; /**< progress reports; NULL: none */
    void *progress_user;  /**< passed to progress */
    int pairs_only;       /**< scans: document pairs only, no passage
                               search (several times faster).  Candidates
                               come from document LSH alone, so a pair
                               whose Jaccard is low and containment high
                               (a short speech inside a long one) can be
                               missed; no passage or boilerplate records,
                               and pairs' passage counts are 0.  Default
                               0. */
    uint8_t reserved[60]; /**< zero */
} nd_settings;

/** Fill @p s with the defaults. */
ND_API void nd_default_settings(nd_settings *s);

/** Library context: settings and tables built once (normalization). */
typedef struct nd_ctx nd_ctx;

/**
 * Create a context.  Builds the normalization tables (about 30 ms).
 * @param[out] out  the new context; NULL on failure
 * @param s         settings, copied; NULL for the defaults
 * @return ND_OK, ND_ENOMEM, ND_EINVAL (bad setting, see nd_ctx_errmsg of a
 *         temporary context is not possible, so the log callback receives
 *         the detail), ND_EICU.
 */
ND_API int nd_ctx_new(nd_ctx **out, const nd_settings *s);

/** Destroy a context (NULL is fine).  Corpora made from it must be gone. */
ND_API void nd_ctx_free(nd_ctx *ctx);

/** Settings in use by @p ctx (read-only). */
ND_API const nd_settings *nd_ctx_settings(const nd_ctx *ctx);

/* ------------------------------------------------------------------ */
/* Result records                                                       */

enum nd_record_type {
    ND_REC_DOCUMENT = 1,
    ND_REC_PAIR = 2,
    ND_REC_PASSAGE = 3,
    ND_REC_BOILERPLATE = 4,
    ND_REC_CLUSTER = 5,
    ND_REC_REPORT = 6, /**< the audit of one draft (nd_index_check) */
};

/** A document: one speech of a file. */
typedef struct nd_document {
    uint32_t id;          /**< 0-based, in input order */
    const char *file;     /**< path as given */
    uint32_t ordinal;     /**< 0-based position within its file */
    uint64_t start, end;  /**< byte range in the file */
    const char *title;    /**< first line, trimmed (may be "") */
    uint32_t chars;       /**< normalized characters */
    const char *encoding; /**< encoding used to decode the file */
} nd_document;

/** A pair of documents with reused text. */
typedef struct nd_pair {
    uint32_t a, b;           /**< document ids, a < b */
    double jaccard;          /**< exact shingle Jaccard */
    double jaccard_est;      /**< MinHash estimate */
    double containment_a;    /**< |A and B| / |A| over shingles */
    double containment_b;    /**< |A and B| / |B| */
    uint32_t passages;       /**< passages between a and b */
    uint32_t boilerplate;    /**< of which boilerplate */
    uint32_t reused_chars_a; /**< characters of a covered by passages */
    uint32_t reused_chars_b;
    int near_duplicate;      /**< 1 when jaccard or containment passed */
} nd_pair;

/** A passage of document a found in document b. */
typedef struct nd_passage {
    uint32_t a, b;
    uint64_t a_start, a_end; /**< bytes in a's file */
    uint64_t b_start, b_end; /**< bytes in b's file */
    uint32_t chars;          /**< normalized characters of a's span */
    uint32_t matched;        /**< characters matched exactly */
    double similarity;       /**< matched / aligned span length */
    uint32_t df;             /**< documents containing the passage */
    int boilerplate;         /**< df > max_df */
    const char *a_text;      /**< original text of a's span, UTF-8
                                  (U+0000 characters left out) */
    const char *b_text;
} nd_passage;

/** One place where a boilerplate passage occurs. */
typedef struct nd_occurrence {
    uint32_t doc;
    uint64_t start, end;
} nd_occurrence;

/** A passage shared by more than max_df documents, reported once. */
typedef struct nd_boilerplate {
    const char *text;   /**< original text of the first occurrence */
    uint32_t chars;     /**< normalized characters of that occurrence */
    uint32_t df;        /**< distinct documents */
    size_t n;           /**< occurrences */
    const nd_occurrence *occ;
} nd_boilerplate;

/** A cluster of near-duplicate documents (connected component). */
typedef struct nd_cluster {
    uint32_t id;
    size_t n;
    const uint32_t *docs; /**< ascending */
} nd_cluster;

/** An indexed document a checked draft copies from. */
typedef struct nd_source {
    uint32_t doc;         /**< document id in the index */
    const char *file;     /**< path as stored in the index */
    uint32_t ordinal;     /**< position within its file */
    uint64_t start, end;  /**< byte range of the document in its file */
    const char *title;
    uint32_t chars;       /**< draft characters attributed to this source:
                               each copied character goes to one source,
                               the source covering most of the draft first */
    uint32_t matched;     /**< draft characters its passages cover */
    double share;         /**< chars / draft characters */
} nd_source;

/** A section of a draft: from one numbered heading (一、 （一） 1. ...) to
 *  the next; text before the first heading is a section titled "". */
typedef struct nd_section {
    const char *title;    /**< the heading line, trimmed */
    uint64_t start, end;  /**< bytes in the draft */
    uint32_t chars;       /**< normalized characters */
    uint32_t copied;      /**< of which counted as copied */
    double copy_ratio;    /**< copied / chars (0 when empty) */
} nd_section;

/**
 * The audit of one draft against an index.  Ratios are shares of the
 * draft's normalized characters.  A character counts as copied when a
 * passage found in the index covers it, unless it is quoted (with
 * exclude_quotes) or also in the template.
 */
typedef struct nd_report {
    const char *draft;      /**< name of the draft */
    uint32_t chars;         /**< normalized characters of the draft */
    uint32_t copied;        /**< characters counted as copied */
    double copy_ratio;      /**< copied / chars */
    double copy_ratio_excluding_boilerplate; /**< same, passages whose df
                                 exceeds max_df left out */
    double largest_source_ratio; /**< largest matched / chars of a source */
    double quoted_ratio;    /**< characters inside quotation marks / chars
                                 (computed whether or not excluded) */
    double template_ratio;  /**< characters shared with the template */
    uint32_t passages;      /**< passage records that follow */
    size_t nsources;        /**< sources, by chars descending then doc */
    const nd_source *sources;
    size_t nsections;
    const nd_section *sections;
} nd_report;

/** One result.  Pointers are valid only during the callback. */
typedef struct nd_record {
    int type; /**< enum nd_record_type */
    union {
        nd_document document;
        nd_pair pair;
        nd_passage passage;
        nd_boilerplate boilerplate;
        nd_cluster cluster;
        nd_report report;
    } u;
} nd_record;

/** Record callback: return 0 to continue, non-zero to stop (ND_EABORT). */
typedef int (*nd_record_fn)(void *user, const nd_record *rec);

/* ------------------------------------------------------------------ */
/* Corpus                                                               */

typedef struct nd_corpus nd_corpus;

/** Create an empty corpus.  @return ND_OK or ND_ENOMEM. */
ND_API int nd_corpus_new(nd_ctx *ctx, nd_corpus **out);

/** Destroy a corpus (NULL is fine). */
ND_API void nd_corpus_free(nd_corpus *c);

/**
 * Add a file, a directory (recursively, sorted by path) or "-" (stdin).
 * Unreadable entries, symlink loops and binary files are reported through
 * the log callback and skipped; the call still succeeds and
 * nd_corpus_skipped() counts them.
 * @return ND_OK, ND_ENOMEM, ND_EIO (the path itself cannot be opened),
 *         ND_EBINARY, ND_EENCODING, ND_ETOOBIG (for a single file).
 */
ND_API int nd_corpus_add_path(nd_corpus *c, const char *path);

/**
 * Add one in-memory file named @p name.  @p data is copied.
 * @return as nd_corpus_add_path.
 */
ND_API int nd_corpus_add_memory(nd_corpus *c, const char *name,
                                const void *data, size_t len);

/** Number of documents. */
ND_API size_t nd_corpus_size(const nd_corpus *c);

/** Inputs skipped or read with errors so far. */
ND_API size_t nd_corpus_skipped(const nd_corpus *c);

/** Document @p id (< nd_corpus_size), or NULL.  Valid while @p c lives. */
ND_API const nd_document *nd_corpus_document(const nd_corpus *c,
                                             uint32_t id);

/** Normalized text of a document: code points and source byte ranges. */
typedef struct nd_text {
    size_t n;
    const uint32_t *cp;    /**< normalized code points */
    const uint32_t *start; /**< byte where cp[i] starts in the file */
    const uint32_t *end;   /**< byte where it ends (exclusive) */
} nd_text;

/**
 * Fill @p out with the normalized text of document @p id.  The corpus
 * keeps texts and byte ranges compact (2 or 4 bytes and about 1 byte a
 * character); the first call for a document builds its start and end
 * arrays, and its cp array when kept in 16 bits (8 or 12 bytes a
 * character), kept until the corpus is freed or the document's arrays
 * released (nd_corpus_text_release): calls for one corpus must not run on
 * several threads at once.
 * @return ND_OK, ND_EINVAL (no such document), ND_ENOMEM.
 */
ND_API int nd_corpus_text(const nd_corpus *c, uint32_t id, nd_text *out);

/**
 * Free the arrays that nd_corpus_text built for document @p id: an
 * nd_text filled for it is no longer valid, and the next call builds them
 * again.  A caller that goes through many documents' texts keeps its
 * memory bounded so.  No effect for an unknown @p id or arrays not built.
 */
ND_API void nd_corpus_text_release(const nd_corpus *c, uint32_t id);

/**
 * Original text of bytes [start, end) of document @p id's file, decoded to
 * UTF-8 into a new string that the caller frees with nd_free().  U+0000
 * characters are left out (normalization drops them too).  @p start and
 * @p end should be the byte boundaries of characters, as in records.
 * A corpus keeps the bytes of standard input and of nd_corpus_add_memory;
 * files added by path are read again here (the bytes needed), if they
 * are still the files read (same inode, size, modification and change
 * times); a file changed since is logged once and its texts are empty.
 */
ND_API int nd_corpus_slice(const nd_corpus *c, uint32_t id, uint64_t start,
                           uint64_t end, char **out);

/** Where a byte offset lies in a file, counted in decoded characters. */
typedef struct nd_position {
    uint64_t line;   /**< 1-based; a line ends after U+000A */
    uint64_t column; /**< 1-based, in characters (code points) */
    uint64_t offset; /**< 0-based character offset in the decoded file (a
                          BOM is not a character), as PAN counts them */
} nd_position;

/**
 * Locate byte @p byte of document @p id's file (a byte inside a character
 * gives that character; the file's length gives the end).  For reports:
 * turns the byte offsets of records into line:column and character offsets.
 * The first call for a file decodes it (reading it again from disk, see
 * nd_corpus_slice) and keeps a table of about 4 bytes per character, freed
 * with the corpus, so @p c is not const.
 * @return ND_OK, ND_EINVAL (no such document, byte beyond the file),
 *         ND_EIO (the file changed or went since it was read), ND_ENOMEM,
 *         ND_EICU.
 */
ND_API int nd_corpus_locate(nd_corpus *c, uint32_t id, uint64_t byte,
                            nd_position *out);

/**
 * Run statistics of the last scan.  Times are seconds.  t_ingest (read,
 * detect, decode, split) and t_normalize are summed over the files of the
 * corpus, on whatever thread prepared them (with several threads their sum
 * exceeds the wall time of loading); the scan stages are wall times:
 * t_sign (shingles, MinHash), t_lsh (LSH, anchors, candidate pairs),
 * t_align (verification, alignment, passage groups), t_report (records).
 */
typedef struct nd_stats {
    uint64_t bytes, documents, chars;
    uint64_t doc_candidates, passage_candidates;
    uint64_t pairs, passages, boilerplate, clusters;
    double t_ingest, t_sign, t_lsh, t_align, t_report;
    double t_normalize;
    int threads; /**< threads used by the scan */
} nd_stats;

/**
 * Find near-duplicate pairs and reused passages, calling @p fn for every
 * record: all documents, then each pair followed by its passages (pairs by
 * (a, b)), then boilerplate, then clusters.  The output is deterministic.
 * @return ND_OK, ND_ENOMEM, ND_EABORT.
 */
ND_API int nd_corpus_scan(nd_corpus *c, nd_record_fn fn, void *user,
                          nd_stats *stats);

/* ------------------------------------------------------------------ */
/* Index: a corpus stored in one SQLite file, and checks against it     */

/**
 * An index holds the files added to it (path, size, modification time,
 * content hash, encoding), their documents (byte ranges, titles,
 * normalized text with its byte map, MinHash signature), LSH band keys
 * and passage anchors, and the settings it was built with: shingle,
 * perm, threshold (which fixes the bands), fold_variants and keep_punct,
 * and for adding files also split, split_regex and encoding.  Paths are
 * stored as absolute paths.  An nd_index belongs to one thread at a time;
 * any number of processes may read an index while one adds to it.
 */
typedef struct nd_index nd_index;

/** How to open an index. */
enum nd_index_mode {
    ND_INDEX_READ = 0,  /**< read only; the file must exist */
    ND_INDEX_WRITE = 1, /**< read and write; created when missing */
};

/**
 * Copy the settings an existing index was built with into @p s (the
 * fields listed at nd_index; others are left alone).  split_regex and
 * encoding then point into *strings, which the caller frees with nd_free
 * after the last use of @p s.  The file is opened read-only and never
 * modified.
 * @return ND_OK, ND_EIO (missing or unreadable), ND_ENOTINDEX,
 *         ND_EVERSION, ND_ENOMEM.  Detail goes to the log of @p s.
 */
ND_API int nd_index_settings(const char *path, nd_settings *s,
                             char **strings);

/**
 * Open (or with ND_INDEX_WRITE create) the index at @p path.  An existing
 * file is first checked read-only: a file that is not an index, a
 * corrupt one or one from a newer version is refused and left untouched.
 * An index of the previous format (1) opened for writing is upgraded in
 * place (a table is added, nothing is rewritten); read only, it is read
 * as it is.  @p ctx must outlive the index.
 * @return ND_OK, ND_EIO, ND_ENOTINDEX, ND_EVERSION, ND_EPARAMS (the
 *         settings of @p ctx differ from the index's; the log names them),
 *         ND_EBUSY, ND_ESTORE, ND_ENOMEM.
 */
ND_API int nd_index_open(nd_ctx *ctx, const char *path, int mode,
                         nd_index **out);

/** Close an index (NULL is fine). */
ND_API void nd_index_close(nd_index *ix);

/** Counts of one nd_index_add call. */
typedef struct nd_index_stats {
    uint64_t added;     /**< files new to the index */
    uint64_t replaced;  /**< files whose content changed */
    uint64_t unchanged; /**< files skipped (same size, time or hash) */
    uint64_t failed;    /**< files that could not be read or decoded */
    uint64_t documents; /**< documents written */
    uint64_t bytes;     /**< bytes read */
} nd_index_stats;

/**
 * Add files and directories (recursively) to an index opened for
 * writing.  Unchanged files are skipped, changed ones replaced, new ones
 * added; files are committed in batches (one transaction each), so an
 * interrupted call keeps every batch that committed, and running it again
 * completes the work.  Unreadable inputs are logged and counted in
 * @p st->failed.  @p progress (may be NULL) receives ND_STAGE_READ with
 * files handled of the files listed, and bytes read.
 * @return ND_OK, ND_EINVAL (index opened read-only), ND_EBUSY, ND_ESTORE,
 *         ND_ENOMEM.
 */
ND_API int nd_index_add(nd_index *ix, const char *const *paths, size_t n,
                        nd_progress_fn progress, void *user,
                        nd_index_stats *st);

/** Files per transaction of nd_index_add at most (default 8192, and at
 *  most 48 MB read; 0 restores the default). */
ND_API void nd_index_set_batch(nd_index *ix, size_t files);

/**
 * Remove a file, or every file under a directory, from the index.
 * *removed counts the files removed (0 when @p path is not indexed).
 * @return ND_OK, ND_EINVAL (read-only), ND_EBUSY, ND_ESTORE, ND_ENOMEM.
 */
ND_API int nd_index_remove(nd_index *ix, const char *path, size_t *removed);

/** What nd_index_info reports. */
typedef struct nd_index_info {
    uint32_t version;         /**< format version of the file */
    uint64_t files, documents, chars, anchors;
    uint64_t bytes;           /**< size on disk, write-ahead log included */
    int bands, rows;          /**< LSH banding */
    nd_settings settings;     /**< the stored settings; strings valid
                                   while the index is open */
    uint32_t segments;        /**< segments of anchors and band keys (a
                                   batch adds one; merges join them) */
} nd_index_info;

/** Fill @p out.  @return ND_OK, ND_ESTORE. */
ND_API int nd_index_info_get(nd_index *ix, nd_index_info *out);

/** Options of nd_index_check. */
typedef struct nd_check_opts {
    int min_match;        /**< ignore passages shorter than this many
                               characters; 0: the min_passage setting */
    int exclude_quotes;   /**< quoted text (“…” ‘…’ 「…」 『…』 "…") is cited,
                               not copied */
    const char *template_name; /**< a base text whose passages never
                               count as copied; NULL: none */
    const void *template_data;
    size_t template_len;
    uint8_t reserved[32]; /**< zero */
} nd_check_opts;

/**
 * Check one draft (@p len bytes named @p name; decoded, normalized like
 * the index's documents, one document) against the index.  Calls @p fn
 * with one ND_REC_REPORT record, then the passages (nd_passage: a is 0,
 * a_* are bytes of the draft, b the source document) in draft order.
 * Source text (b_text) is read from the source file when it is unchanged
 * since indexing (same content hash); otherwise b_text is NULL and a
 * warning is logged.  @p o may be NULL for the defaults.  On an index
 * opened with ND_INDEX_READ, the lookups and alignments run on the
 * context's threads (at most 4), each with another read-only connection
 * that stays open with the index (the records are the same for any
 * thread count); on one opened to write, on the calling thread.
 * @return ND_OK, ND_EBINARY, ND_EENCODING, ND_ETOOBIG, ND_ESTORE,
 *         ND_ENOMEM, ND_EABORT.
 */
ND_API int nd_index_check(nd_index *ix, const char *name, const void *data,
                          size_t len, const nd_check_opts *o,
                          nd_record_fn fn, void *user);

/**
 * A corpus of every indexed document, from the stored text (files in path
 * order, document ids in that order), for nd_corpus_scan: the corpus-wide
 * report from the index without re-reading and normalizing the sources.
 * Original texts (nd_corpus_slice) come from the source files; a file
 * changed or gone since indexing is logged and its texts are empty.
 * Free with nd_corpus_free.
 * @return ND_OK, ND_ENOTINDEX (corrupt stored text), ND_ESTORE, ND_ENOMEM.
 */
ND_API int nd_index_corpus(nd_index *ix, nd_corpus **out);

/** Free memory returned by the library. */
ND_API void nd_free(void *p);

#ifdef __cplusplus
}
#endif
#endif
