/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/*
 * ndgen: a deterministic generator of speech-like test corpora with planted
 * reuse, for measuring neardup.  Speeches are built from the word lists and
 * templates in ndgen_vocab.h; between them it plants copied passages
 * (verbatim, with 5/10/20% of characters substituted, re-punctuated, in
 * Traditional characters), whole near-duplicate speeches, stock formulas and
 * advertising footers, and records every planted occurrence in truth.jsonl
 * with byte offsets into the files as written (UTF-8, UTF-8 with BOM,
 * GB18030 or UTF-16LE, LF or CRLF).  The corpus is streamed one file at a
 * time: only a bounded pool of source passages and a ring of recent
 * speeches stay in memory.  The seed fixes every output byte.  Standalone:
 * it uses ICU (Hans-Hant transliteration, GB18030 converter) and not the
 * neardup library.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <unicode/uchar.h>
#include <unicode/ucnv.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>

#include "ndgen_vocab.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define NONE_U32 UINT32_MAX

/* ---- small utilities -------------------------------------------------- */

static void die(const char *what)
{
    fprintf(stderr, "ndgen: %s\n", what);
    exit(1);
}

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p)
        die("out of memory");
    return p;
}

/* Grow *v (elements of size sz, capacity *cap) to hold at least need. */
static void *grow(void *v, size_t sz, size_t need, size_t *cap)
{
    if (need <= *cap)
        return v;
    size_t c = *cap ? *cap : 8;
    while (c < need)
        c *= 2;
    *cap = c;
    return xrealloc(v, c * sz);
}

typedef struct {
    char *p;
    size_t n, cap;
} sbuf;

static void sb_put(sbuf *b, const char *s, size_t n)
{
    b->p = grow(b->p, 1, b->n + n + 1, &b->cap);
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = 0;
}

static void sb_puts(sbuf *b, const char *s) { sb_put(b, s, strlen(s)); }

static void sb_cp(sbuf *b, uint32_t c)
{
    char t[4];
    size_t n;
    if (c < 0x80) {
        t[0] = (char)c;
        n = 1;
    } else if (c < 0x800) {
        t[0] = (char)(0xC0 | c >> 6);
        t[1] = (char)(0x80 | (c & 0x3F));
        n = 2;
    } else if (c < 0x10000) {
        t[0] = (char)(0xE0 | c >> 12);
        t[1] = (char)(0x80 | (c >> 6 & 0x3F));
        t[2] = (char)(0x80 | (c & 0x3F));
        n = 3;
    } else {
        t[0] = (char)(0xF0 | c >> 18);
        t[1] = (char)(0x80 | (c >> 12 & 0x3F));
        t[2] = (char)(0x80 | (c >> 6 & 0x3F));
        t[3] = (char)(0x80 | (c & 0x3F));
        n = 4;
    }
    sb_put(b, t, n);
}

/* Decode the (valid, self-generated) UTF-8 character at s[*i]. */
static uint32_t u8_next(const char *s, size_t *i)
{
    const unsigned char *u = (const unsigned char *)s + *i;
    if (u[0] < 0x80) {
        *i += 1;
        return u[0];
    }
    if (u[0] < 0xE0) {
        *i += 2;
        return (uint32_t)(u[0] & 0x1F) << 6 | (u[1] & 0x3F);
    }
    if (u[0] < 0xF0) {
        *i += 3;
        return (uint32_t)(u[0] & 0x0F) << 12 | (uint32_t)(u[1] & 0x3F) << 6 |
               (u[2] & 0x3F);
    }
    *i += 4;
    return (uint32_t)(u[0] & 0x07) << 18 | (uint32_t)(u[1] & 0x3F) << 12 |
           (uint32_t)(u[2] & 0x3F) << 6 | (u[3] & 0x3F);
}

static size_t u8_prev(const char *s, size_t i)
{
    do
        i--;
    while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80);
    return i;
}

static int is_han(uint32_t c)
{
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
           (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x3FFFF);
}

/* A character that survives normalization (not Z*, P*, S* or C*). */
static int is_kept(uint32_t c)
{
    return !(U_GET_GC_MASK((UChar32)c) &
             (U_GC_Z_MASK | U_GC_P_MASK | U_GC_S_MASK | U_GC_C_MASK));
}

static uint32_t count_kept(const char *s, size_t n)
{
    uint32_t k = 0;
    for (size_t i = 0; i < n;)
        k += (uint32_t)is_kept(u8_next(s, &i));
    return k;
}

/* Shrink [*s, *e) to start and end on kept characters. */
static void trim_kept(const char *t, size_t *s, size_t *e)
{
    while (*s < *e) {
        size_t j = *s;
        if (is_kept(u8_next(t, &j)))
            break;
        *s = j;
    }
    while (*e > *s) {
        size_t j = u8_prev(t, *e), k = j;
        if (is_kept(u8_next(t, &k)))
            break;
        *e = j;
    }
}

/* ---- PRNG: splitmix64 seeding xoshiro256** ---------------------------- */

typedef struct {
    uint64_t s[4];
} rng_t;

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15u);
    z = (z ^ z >> 30) * 0xBF58476D1CE4E5B9u;
    z = (z ^ z >> 27) * 0x94D049BB133111EBu;
    return z ^ z >> 31;
}

static uint64_t rotl(uint64_t x, int k) { return x << k | x >> (64 - k); }

static uint64_t rng_next(rng_t *r)
{
    uint64_t *s = r->s, res = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return res;
}

static uint32_t rng_below(rng_t *r, uint32_t n)
{
    return (uint32_t)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

static double rng_unit(rng_t *r) { return (double)(rng_next(r) >> 11) * 0x1.0p-53; }

/* Uniform in [lo, hi]. */
static uint32_t rng_range(rng_t *r, uint32_t lo, uint32_t hi)
{
    return lo + rng_below(r, hi - lo + 1);
}

/* ---- vocabularies ----------------------------------------------------- */

typedef struct {
    const char *const *w;
    uint32_t n;
} wlist;

#define WL(a) { (a), (uint32_t)NELEM(a) }

enum { ZH, EN };

typedef struct {
    const char *sep; /* between a noun and its suffix or a place and a
                        department; also between sentences */
    wlist noun, suffix, mod, verb, adv, subj, people, event, when, problem,
        way, stat, unit, result, quality, conn, modal, dept, place1, place2,
        ptype, scope;
    wlist sent, goal, head, intro, closing, closeline, salut, title;
} vocab;

static const vocab vocabs[2] = {
    { "", WL(zh_noun), WL(zh_suffix), WL(zh_mod), WL(zh_verb), WL(zh_adv),
      WL(zh_subj), WL(zh_people), WL(zh_event), WL(zh_when), WL(zh_problem),
      WL(zh_way), WL(zh_stat), WL(zh_unit), WL(zh_result), WL(zh_quality),
      WL(zh_conn), WL(zh_modal), WL(zh_dept), WL(zh_place1), WL(zh_place2), WL(zh_ptype),
      WL(zh_scope), WL(zh_sent), WL(zh_goal), WL(zh_head), WL(zh_intro),
      WL(zh_closing), WL(zh_closeline), WL(zh_salut), WL(zh_title) },
    { " ", WL(en_noun), WL(en_suffix), WL(en_mod), WL(en_verb), WL(en_adv),
      WL(en_subj), WL(en_people), WL(en_event), WL(en_when), WL(en_problem),
      WL(en_way), WL(en_stat), WL(en_unit), WL(en_result), WL(en_quality),
      WL(en_conn), WL(en_modal), WL(en_dept), WL(en_place1), WL(en_place2), WL(en_ptype),
      WL(en_scope), WL(en_sent), WL(en_goal), WL(en_head), WL(en_intro),
      WL(en_closing), WL(en_closeline), WL(en_salut), WL(en_title) },
};

/* Formulas and footers of both languages in one numbering. */
typedef struct {
    const char *text;
    int lang;
} stock;

/* ---- planted-reuse bookkeeping ---------------------------------------- */

enum {
    K_SOURCE, K_VERBATIM, K_EDIT5, K_EDIT10, K_EDIT20, K_REPUNCT, K_TRAD,
    K_NEARDUP, K_EXACT, K_NKINDS
};
#define K_FIRST_PLANT K_VERBATIM
#define K_LAST_PLANT K_TRAD

static const char *const kind_name[K_NKINDS] = {
    "source", "verbatim", "edit5", "edit10", "edit20", "repunct",
    "traditional", "neardup", "exact",
};

/* Where a copy sits: inside a paragraph, as its own paragraph, at the very
 * start or end of its file, inside a near-duplicate speech; or the record
 * covers a whole near-duplicate speech. */
enum { W_INLINE, W_PARA, W_START, W_END, W_NEARDUP, W_SPEECH };
static const char *const where_name[] = {
    "inline", "paragraph", "start", "end", "neardup", "speech",
};

/* One occurrence of a pooled passage, final byte offsets. */
typedef struct {
    uint32_t file, speech;
    uint64_t s, e;
    uint32_t chars;
    uint8_t kind;
} occ;

typedef struct {
    uint64_t id; /* 0: empty slot */
    char *text;  /* the passage as planted at its origin */
    uint32_t tlen;
    int lang, pins;
    occ *o;
    size_t no, ocap;
} entry;

/* IT_DROPPED: a source passage the full pool had no room for. */
enum { IT_COPY, IT_SOURCE, IT_FORMULA, IT_DROPPED };

/* Something planted in a speech, with byte offsets into its body. */
typedef struct {
    int type, kind, where;
    int32_t slot; /* pool slot (copy, source) or stock index (formula) */
    uint64_t id;
    uint32_t s, e;   /* trimmed to kept characters */
    uint32_t rs, re; /* source: the raw passage, with its punctuation */
} item;

/* A recent fresh speech that a near-duplicate may be made of. */
typedef struct {
    char *text;
    uint32_t n;
    item *it;
    size_t nit;
    occ loc;
    int lang;
} rdoc;

typedef struct {
    uint32_t file;
    uint64_t s, e;
} bocc;

typedef struct {
    bocc *v;
    size_t n, cap;
} bvec;

/* Error-diffusion scheduler: picks a share of the trials, spread out at
 * random; a wanted pick that could not be done stays owed. */
typedef struct {
    double share, acc;
} sched;

/* ---- speech under construction ---------------------------------------- */

enum { SEG_FRESH, SEG_HEAD, SEG_LINE, SEG_COPY, SEG_FORMULA };
enum { P_TITLE, P_BLANK, P_SALUT, P_HEAD, P_BODY, P_CLOSE };

typedef struct {
    uint32_t off, len; /* in the arena */
    uint8_t type, used;
    int32_t ref; /* plant or stock index */
    uint32_t os, oe; /* in the serialized body */
} seg;

typedef struct {
    seg *v;
    size_t n, cap;
    int type;
} para;

typedef struct {
    int32_t slot;
    uint64_t id;
    int kind, where;
} plant;

typedef struct {
    size_t pi, s0, s1; /* paragraph, segments [s0, s1) */
    uint32_t skip;      /* bytes skipped at the start of s0 */
} srcsel;

typedef struct {
    int lang, indent, titled, final_nl;
    sbuf arena, out;
    para *p;
    size_t np, pcap;
    plant *pl;
    size_t npl, plcap;
    srcsel *src;
    size_t nsrc, srccap;
    item *it;
    size_t nit, itcap;
} docb;

/* ---- options and generator state -------------------------------------- */

enum { ENC_UTF8, ENC_UTF8BOM, ENC_GB18030, ENC_UTF16LE };
static const char *const enc_name[] = {
    "UTF-8", "UTF-8-BOM", "GB18030", "UTF-16LE",
};

typedef struct {
    const char *out;
    const char *truth; /* folder of the truth files (default: out) */
    uint64_t seed;
    long docs;
    double size_mb;
    double english, gb, utf16, bom, crlf, compilation, dup, passages,
        sources, edge, footer, formula;
    int comp_max, pool, ring, max_copies, quiet, no_enc;
    uint32_t chars_min, chars_max;
    double kw[K_NKINDS];
} options;

typedef struct {
    uint32_t idx;
    int enc, crlf, lang, nsp, footer;
    sbuf out;
    uint32_t lines;
    struct spinfo {
        uint64_t start;
        uint32_t first_line;
        char *title;
    } *sp;
    size_t nsp_done, spcap;
    /* u8 -> encoded offsets for the last chunk */
    uint64_t *map;
    size_t mapcap;
    int ident;
    uint64_t base;
} curfile;

typedef struct {
    options o;
    rng_t rng;
    entry *pool;
    size_t npool;
    uint64_t next_id;
    rdoc *ring;
    size_t nring;
    stock *formulas, *footers;
    size_t nformula, nfooter;
    bvec *formula_occ, *footer_occ;
    uint32_t *subst_zh;
    size_t nsubst_zh;
    UTransliterator *hant;
    UConverter *gbconv;
    uint8_t (*gbcache)[5];
    FILE *truth, *pairs, *speeches, *files;
    int first_speech_rec;
    curfile cur;
    uint32_t nfiles, nspeeches;
    uint64_t bytes;
    sched s_comp, s_gb, s_utf16, s_bom, s_crlf, s_footer, s_english, s_dup,
        s_start, s_end;
    double kacc[K_NKINDS];
    uint64_t n_plant[K_NKINDS], n_truth[K_NKINDS], n_enc[4], n_where[4];
    uint64_t n_formula, n_footer, n_comp, n_pairs;
    sbuf tmp;
    docb doc;
} gen;

static int sched_want(gen *g, sched *s)
{
    s->acc += s->share;
    return s->acc > 0 && rng_unit(&g->rng) < s->acc;
}

static void sched_done(sched *s) { s->acc -= 1.0; }

/* ---- template expansion ----------------------------------------------- */

static const char *pick(gen *g, const wlist *l)
{
    return l->w[rng_below(&g->rng, l->n)];
}

static void put_int(sbuf *o, uint32_t a)
{
    char t[16];
    snprintf(t, sizeof t, "%" PRIu32, a);
    sb_puts(o, t);
}

/* a.b with one decimal digit b */
static void put_dec(sbuf *o, uint32_t a, uint32_t b)
{
    char t[24];
    snprintf(t, sizeof t, "%" PRIu32 ".%" PRIu32, a, b);
    sb_puts(o, t);
}

static void expand(gen *g, sbuf *o, const vocab *v, const char *t, int depth);

/* A word from the list; a word with slots of its own is expanded too. */
static void put_pick(gen *g, sbuf *o, const vocab *v, const wlist *l,
                     int depth)
{
    const char *w = pick(g, l);
    if (strchr(w, '%') && depth < 3)
        expand(g, o, v, w, depth + 1);
    else
        sb_puts(o, w);
}

static void expand(gen *g, sbuf *o, const vocab *v, const char *t, int depth)
{
    rng_t *r = &g->rng;
    while (*t) {
        const char *pct = strchr(t, '%');
        if (!pct) {
            sb_puts(o, t);
            return;
        }
        sb_put(o, t, (size_t)(pct - t));
        char c = pct[1];
        t = pct + 2;
        const wlist *l = NULL;
        switch (c) {
        case 'N': l = &v->noun; break;
        case 'M': l = &v->mod; break;
        case 'V': l = &v->verb; break;
        case 'A': l = &v->adv; break;
        case 'S': l = &v->subj; break;
        case 'L': l = &v->people; break;
        case 'E': l = &v->event; break;
        case 'T': l = &v->when; break;
        case 'B': l = &v->problem; break;
        case 'W': l = &v->way; break;
        case 'Z': l = &v->stat; break;
        case 'U': l = &v->unit; break;
        case 'R': l = &v->result; break;
        case 'Q': l = &v->quality; break;
        case 'C': l = &v->conn; break;
        case 'w': l = &v->modal; break;
        case 'D': l = &v->dept; break;
        case 'K': l = &v->scope; break;
        }
        if (l) {
            put_pick(g, o, v, l, depth);
            continue;
        }
        switch (c) {
        case 'X':
            sb_puts(o, pick(g, &v->noun));
            sb_puts(o, v->sep);
            sb_puts(o, pick(g, &v->suffix));
            break;
        case 'P':
        case 'O': {
            const char *a = pick(g, &v->place1), *b = pick(g, &v->place2);
            while (!strcmp(a, b))
                b = pick(g, &v->place2);
            sb_puts(o, a);
            sb_puts(o, b);
            sb_puts(o, pick(g, &v->ptype));
            if (c == 'O') {
                sb_puts(o, v->sep);
                sb_puts(o, pick(g, &v->dept));
            }
            break;
        }
        case 'G':
        case 'H':
            if (depth < 2)
                expand(g, o, v, pick(g, c == 'G' ? &v->goal : &v->head),
                       depth + 1);
            break;
        case 'Y': put_int(o, rng_range(r, 2016, 2025)); break;
        case 'n': put_int(o, rng_range(r, 2, 480)); break;
        case 'm':
            if (rng_below(r, 2))
                put_int(o, rng_range(r, 3, 960));
            else
                put_dec(o, rng_range(r, 1, 99), rng_below(r, 10));
            break;
        case 'p': put_dec(o, rng_range(r, 0, 29), rng_range(r, 1, 9)); break;
        case '%': sb_put(o, "%", 1); break;
        default: die("bad template slot");
        }
    }
}

/* Expand a template as a sentence (capitalized in English). */
static void expand_sentence(gen *g, sbuf *o, int lang, const char *t)
{
    size_t at = o->n;
    expand(g, o, &vocabs[lang], t, 0);
    if (lang == EN && o->n > at && o->p[at] >= 'a' && o->p[at] <= 'z')
        o->p[at] = (char)(o->p[at] - 'a' + 'A');
}

/* ---- speech builder --------------------------------------------------- */

static seg *para_seg(para *p, size_t at)
{
    p->v = grow(p->v, sizeof *p->v, p->n + 1, &p->cap);
    memmove(p->v + at + 1, p->v + at, (p->n - at) * sizeof *p->v);
    p->n++;
    memset(&p->v[at], 0, sizeof p->v[at]);
    return &p->v[at];
}

/* Append the text expanded from t as a segment of the last paragraph. */
static seg *doc_expand(gen *g, docb *d, int type, const char *t)
{
    para *p = &d->p[d->np - 1];
    seg *s = para_seg(p, p->n);
    s->off = (uint32_t)d->arena.n;
    expand_sentence(g, &d->arena, d->lang, t);
    s->len = (uint32_t)(d->arena.n - s->off);
    s->type = (uint8_t)type;
    s->ref = -1;
    return s;
}

static seg *doc_text(docb *d, size_t pi, size_t at, int type, const char *t,
                     size_t n, int32_t ref)
{
    seg *s = para_seg(&d->p[pi], at);
    s->off = (uint32_t)d->arena.n;
    sb_put(&d->arena, t, n);
    s->len = (uint32_t)n;
    s->type = (uint8_t)type;
    s->ref = ref;
    return s;
}

/* Insert an empty paragraph at index at. */
static para *doc_insert_para(docb *d, size_t at, int type)
{
    size_t old = d->pcap;
    d->p = grow(d->p, sizeof *d->p, d->np + 1, &d->pcap);
    if (d->pcap > old)
        memset(d->p + old, 0, (d->pcap - old) * sizeof *d->p);
    para spare = d->p[d->np];
    memmove(d->p + at + 1, d->p + at, (d->np - at) * sizeof *d->p);
    d->p[at] = spare;
    d->p[at].n = 0;
    d->p[at].type = type;
    d->np++;
    return &d->p[at];
}

static para *doc_add_para(docb *d, int type)
{
    return doc_insert_para(d, d->np, type);
}

static void doc_reset(docb *d, int lang)
{
    d->lang = lang;
    d->arena.n = 0;
    d->out.n = 0;
    d->np = 0;
    d->npl = 0;
    d->nsrc = 0;
    d->nit = 0;
    d->final_nl = 1;
}

static size_t doc_chars(const docb *d)
{
    return d->lang == ZH ? d->arena.n / 3 : d->arena.n;
}

static const char *const zh_big[] = {
    "一", "二", "三", "四", "五", "六", "七", "八", "九", "十",
};
static const char *const en_roman[] = {
    "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X",
};

static void gen_fresh(gen *g, docb *d, int lang, int titled)
{
    rng_t *r = &g->rng;
    const vocab *v = &vocabs[lang];
    char t[64];
    doc_reset(d, lang);
    d->titled = titled;
    d->indent = titled && lang == ZH && rng_below(r, 2);
    size_t target = rng_range(r, g->o.chars_min, g->o.chars_max);
    if (titled) {
        doc_add_para(d, P_TITLE);
        doc_expand(g, d, SEG_LINE, pick(g, &v->title));
        if (rng_below(r, 2))
            doc_add_para(d, P_BLANK);
        if (rng_below(r, 2)) {
            doc_add_para(d, P_SALUT);
            doc_expand(g, d, SEG_LINE, pick(g, &v->salut));
        }
    }
    doc_add_para(d, P_BODY);
    doc_expand(g, d, SEG_FRESH, pick(g, &v->intro));
    for (uint32_t k = rng_range(r, 1, 3); k; k--)
        doc_expand(g, d, SEG_FRESH, pick(g, &v->sent));
    int substyle = (int)rng_below(r, 4); /* none, (一), 第一，, 一是 */
    for (int sec = 0; sec < 10; sec++) {
        if (sec >= 2 && doc_chars(d) >= target * 9 / 10)
            break;
        doc_add_para(d, P_HEAD);
        if (lang == ZH)
            snprintf(t, sizeof t, "%s、", zh_big[sec]);
        else
            snprintf(t, sizeof t, "%s. ", en_roman[sec]);
        seg *h = doc_text(d, d->np - 1, 0, SEG_LINE, t, strlen(t), -1);
        expand_sentence(g, &d->arena, lang, pick(g, &v->head));
        h->len = (uint32_t)(d->arena.n - h->off);
        uint32_t nsub = rng_range(r, 1, 3);
        for (uint32_t sub = 0; sub < nsub; sub++) {
            doc_add_para(d, P_BODY);
            if (nsub > 1 && substyle) {
                seg *s;
                if (lang == EN)
                    snprintf(t, sizeof t, "(%c) ", 'a' + (int)sub);
                else if (substyle == 1)
                    snprintf(t, sizeof t, "（%s）", zh_big[sub]);
                else if (substyle == 2)
                    snprintf(t, sizeof t, "第%s，", zh_big[sub]);
                else
                    snprintf(t, sizeof t, "%s是", zh_big[sub]);
                s = doc_text(d, d->np - 1, 0, SEG_HEAD, t, strlen(t), -1);
                if (lang == EN || substyle == 1) {
                    expand_sentence(g, &d->arena, lang, pick(g, &v->head));
                    sb_puts(&d->arena, lang == ZH ? "。" : ".");
                    s->len = (uint32_t)(d->arena.n - s->off);
                }
            }
            for (uint32_t k = rng_range(r, 3, 8); k; k--)
                doc_expand(g, d, SEG_FRESH, pick(g, &v->sent));
        }
    }
    doc_add_para(d, P_BODY);
    doc_expand(g, d, SEG_FRESH, pick(g, &v->closing));
    if (rng_below(r, 2))
        doc_expand(g, d, SEG_FRESH, pick(g, &v->sent));
    if (titled && rng_below(r, 10) < 7) {
        doc_add_para(d, P_CLOSE);
        doc_expand(g, d, SEG_LINE, pick(g, &v->closeline));
    }
}

/* Serialize paragraphs to d->out, noting each segment's byte range. */
static void doc_serialize(docb *d)
{
    const char *sep = vocabs[d->lang].sep;
    d->out.n = 0;
    for (size_t pi = 0; pi < d->np; pi++) {
        para *p = &d->p[pi];
        if (p->type == P_BODY && d->indent)
            sb_puts(&d->out, "\xE3\x80\x80\xE3\x80\x80"); /* two U+3000 */
        for (size_t si = 0; si < p->n; si++) {
            seg *s = &p->v[si];
            if (si > 0)
                sb_puts(&d->out, sep);
            s->os = (uint32_t)d->out.n;
            sb_put(&d->out, d->arena.p + s->off, s->len);
            s->oe = (uint32_t)d->out.n;
        }
        sb_put(&d->out, "\n", 1);
    }
    if (!d->final_nl && d->out.n)
        d->out.n--;
}

/* ---- passage transforms ----------------------------------------------- */

static uint32_t rand_subst(gen *g, int lang, uint32_t old)
{
    uint32_t c;
    do {
        if (lang == ZH)
            c = g->subst_zh[rng_below(&g->rng, (uint32_t)g->nsubst_zh)];
        else
            c = 'a' + rng_below(&g->rng, 26);
    } while (c == old);
    return c;
}

static int editable(int lang, uint32_t c)
{
    return lang == ZH ? is_han(c) : ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

/* Substitute round(rate * n) of the n editable characters (at least 1). */
static void tf_edit(gen *g, sbuf *o, const char *s, size_t n, int lang,
                    double rate)
{
    uint32_t elig = 0;
    for (size_t i = 0; i < n;)
        elig += (uint32_t)editable(lang, u8_next(s, &i));
    uint32_t k = (uint32_t)(rate * elig + 0.5);
    if (k < 1)
        k = 1;
    /* Knuth's selection sampling: each editable character is chosen with
     * probability (still needed) / (still left). */
    for (size_t i = 0; i < n;) {
        uint32_t c = u8_next(s, &i);
        if (editable(lang, c) && elig) {
            if (rng_below(&g->rng, elig) < k) {
                c = rand_subst(g, lang, c);
                k--;
            }
            elig--;
        }
        sb_cp(o, c);
    }
}

/* Change punctuation, insert spaces, swap full- and half-width forms. */
static void tf_repunct(gen *g, sbuf *o, const char *s, size_t n, int lang)
{
    rng_t *r = &g->rng;
    size_t start = o->n;
    int changed = 0;
    for (size_t i = 0; i < n;) {
        uint32_t c = u8_next(s, &i);
        const char *rep = NULL;
        uint32_t alt = 0;
        double u = rng_unit(r);
        switch (c) {
        case 0xFF0C: /* ， */
            if (u < 0.6) {
                static const char *const opt[] = { "、", "；", ",", ", " };
                rep = opt[rng_below(r, 4)];
            }
            break;
        case 0x3002: /* 。 */
            if (u < 0.6) {
                static const char *const opt[] = { ".", "；", "．", "。 " };
                rep = opt[rng_below(r, 4)];
            }
            break;
        case 0xFF1A: if (u < 0.7) rep = ":"; break;
        case 0xFF1B: if (u < 0.7) rep = ";"; break;
        case 0x3001: if (u < 0.6) rep = ","; break;
        case 0xFF08: if (u < 0.7) rep = "("; break;
        case 0xFF09: if (u < 0.7) rep = ")"; break;
        case 0x201C:
        case 0x201D: if (u < 0.7) rep = "\""; break;
        case 0xFF01: if (u < 0.7) rep = "!"; break;
        case 0xFF1F: if (u < 0.7) rep = "?"; break;
        case 0xFF05: if (u < 0.7) rep = "%"; break;
        case '%': if (u < 0.7) alt = 0xFF05; break;
        case ',':
            if (u < 0.5)
                rep = rng_below(r, 2) ? ";" : " ,";
            break;
        case '.':
            if (u < 0.4)
                rep = rng_below(r, 2) ? "!" : " .";
            break;
        case ' ':
            if (u < 0.15)
                rep = "  ";
            break;
        default:
            if (c >= '0' && c <= '9' && u < 0.6)
                alt = 0xFF10 + (c - '0');
            else if (c >= 0xFF10 && c <= 0xFF19 && u < 0.6)
                alt = '0' + (c - 0xFF10);
            else if (((c | 0x20) >= 'a' && (c | 0x20) <= 'z') &&
                     u < (lang == ZH ? 0.6 : 0.05))
                alt = c + 0xFF21 - 'A';
        }
        if (rep) {
            sb_puts(o, rep);
            changed = 1;
        } else if (alt) {
            sb_cp(o, alt);
            changed = 1;
        } else {
            sb_cp(o, c);
        }
        if (is_han(c) && i < n) {
            double w = rng_unit(r);
            if (w < 0.03) {
                sb_puts(o, " ");
                changed = 1;
            } else if (w < 0.05) {
                sb_puts(o, "\xE3\x80\x80");
                changed = 1;
            }
        }
    }
    if (!changed && o->n > start) {
        /* Make sure something differs: a space after the first character. */
        size_t i = start;
        u8_next(o->p, &i);
        sb_put(o, " ", 1);
        memmove(o->p + i + 1, o->p + i, o->n - 1 - i);
        o->p[i] = ' ';
    }
}

static void tf_trad(gen *g, sbuf *o, const char *s, size_t n)
{
    UErrorCode st = U_ZERO_ERROR;
    int32_t cap = (int32_t)n * 2 + 16, len = 0;
    UChar *u = xrealloc(NULL, (size_t)cap * sizeof *u);
    u_strFromUTF8(u, cap, &len, s, (int32_t)n, &st);
    int32_t limit = len;
    utrans_transUChars(g->hant, u, &len, cap, 0, &limit, &st);
    if (U_FAILURE(st))
        die("Hans-Hant transliteration failed");
    int32_t need = 0;
    st = U_ZERO_ERROR;
    u_strToUTF8(NULL, 0, &need, u, len, &st);
    st = U_ZERO_ERROR;
    o->p = grow(o->p, 1, o->n + (size_t)need + 1, &o->cap);
    u_strToUTF8(o->p + o->n, need + 1, NULL, u, len, &st);
    if (U_FAILURE(st))
        die("UTF-8 conversion failed");
    o->n += (size_t)need;
    free(u);
}

static void transform(gen *g, sbuf *o, const char *s, size_t n, int lang,
                      int kind)
{
    o->n = 0;
    switch (kind) {
    case K_EDIT5: tf_edit(g, o, s, n, lang, 0.05); break;
    case K_EDIT10: tf_edit(g, o, s, n, lang, 0.10); break;
    case K_EDIT20: tf_edit(g, o, s, n, lang, 0.20); break;
    case K_REPUNCT: tf_repunct(g, o, s, n, lang); break;
    case K_TRAD: tf_trad(g, o, s, n); break;
    default: sb_put(o, s, n);
    }
}

/* ---- output records --------------------------------------------------- */

static void file_name(char *buf, size_t n, uint32_t idx)
{
    snprintf(buf, n, "d%06" PRIu32 ".txt", idx);
}

static void json_str(FILE *f, const char *s, size_t n)
{
    putc('"', f);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            putc('\\', f);
            putc(c, f);
        } else if (c == '\n') {
            fputs("\\n", f);
        } else if (c == '\r') {
            fputs("\\r", f);
        } else if (c == '\t') {
            fputs("\\t", f);
        } else if (c < 0x20) {
            fprintf(f, "\\u%04x", c);
        } else {
            putc(c, f);
        }
    }
    putc('"', f);
}

static void emit_passage(gen *g, const occ *a, const occ *b, int kind,
                         int where, const char *text, size_t tn)
{
    char fa[32], fb[32];
    file_name(fa, sizeof fa, a->file);
    file_name(fb, sizeof fb, b->file);
    uint32_t chars = a->chars < b->chars ? a->chars : b->chars;
    fprintf(g->truth,
            "{\"type\":\"passage\",\"a_file\":\"%s\",\"a_start\":%" PRIu64
            ",\"a_end\":%" PRIu64 ",\"b_file\":\"%s\",\"b_start\":%" PRIu64
            ",\"b_end\":%" PRIu64 ",\"chars\":%" PRIu32
            ",\"kind\":\"%s\",\"a_kind\":\"%s\",\"where\":\"%s\",\"text\":",
            fa, a->s, a->e, fb, b->s, b->e, chars, kind_name[kind],
            kind_name[a->kind], where_name[where]);
    json_str(g->truth, text, tn);
    fputs("}\n", g->truth);
    g->n_truth[kind]++;
}

/* ---- pool and ring ---------------------------------------------------- */

static void occ_push(entry *e, const occ *o)
{
    e->o = grow(e->o, sizeof *e->o, e->no + 1, &e->ocap);
    e->o[e->no++] = *o;
}

/* Find a pooled passage of this language not yet in speech sp. */
static int32_t pool_pick(gen *g, int lang, uint32_t sp)
{
    for (int tries = 0; tries < 24 && g->npool; tries++) {
        uint32_t slot = rng_below(&g->rng, (uint32_t)g->npool);
        entry *e = &g->pool[slot];
        if (!e->id || e->lang != lang ||
            e->no > (size_t)g->o.max_copies)
            continue;
        int here = 0;
        for (size_t k = 0; k < e->no; k++)
            here |= e->o[k].speech == sp;
        if (!here)
            return (int32_t)slot;
    }
    return -1;
}

/* Add a new source passage; returns its slot or -1 when the pool is full
 * of passages still needed by the ring. */
static int32_t pool_add(gen *g, const char *text, size_t n, int lang)
{
    size_t slot;
    if (g->npool < (size_t)g->o.pool) {
        slot = g->npool++;
        memset(&g->pool[slot], 0, sizeof g->pool[slot]);
    } else {
        int tries = 0;
        do
            slot = rng_below(&g->rng, (uint32_t)g->npool);
        while (g->pool[slot].pins && ++tries < 24);
        if (g->pool[slot].pins)
            return -1;
    }
    entry *e = &g->pool[slot];
    e->id = ++g->next_id;
    e->text = xrealloc(e->text, n + 1);
    memcpy(e->text, text, n);
    e->text[n] = 0;
    e->tlen = (uint32_t)n;
    e->lang = lang;
    e->pins = 0;
    e->no = 0;
    return (int32_t)slot;
}

static void ring_unpin(gen *g, rdoc *rd)
{
    for (size_t k = 0; k < rd->nit; k++) {
        const item *it = &rd->it[k];
        if (it->type != IT_FORMULA && g->pool[it->slot].id == it->id)
            g->pool[it->slot].pins--;
    }
    free(rd->text);
    free(rd->it);
}

static void ring_remove(gen *g, size_t k)
{
    ring_unpin(g, &g->ring[k]);
    memmove(g->ring + k, g->ring + k + 1,
            (g->nring - k - 1) * sizeof *g->ring);
    g->nring--;
}

static void ring_add(gen *g, const char *text, size_t n, const item *it,
                     size_t nit, const occ *loc, int lang)
{
    if (g->o.ring <= 0)
        return;
    if (g->nring == (size_t)g->o.ring)
        ring_remove(g, 0);
    rdoc *rd = &g->ring[g->nring++];
    rd->text = xrealloc(NULL, n + 1);
    memcpy(rd->text, text, n);
    rd->text[n] = 0;
    rd->n = (uint32_t)n;
    rd->it = xrealloc(NULL, (nit ? nit : 1) * sizeof *it);
    if (nit)
        memcpy(rd->it, it, nit * sizeof *it);
    rd->nit = nit;
    rd->loc = *loc;
    rd->lang = lang;
    for (size_t k = 0; k < nit; k++)
        if (it[k].type != IT_FORMULA)
            g->pool[it[k].slot].pins++;
}

/* ---- file encoding ---------------------------------------------------- */

static void put_u16(sbuf *o, uint32_t u)
{
    char t[2] = { (char)(u & 0xFF), (char)(u >> 8) };
    sb_put(o, t, 2);
}

static void enc_cp(gen *g, sbuf *o, uint32_t c)
{
    switch (g->cur.enc) {
    case ENC_UTF16LE:
        if (c < 0x10000) {
            put_u16(o, c);
        } else {
            put_u16(o, 0xD800 + ((c - 0x10000) >> 10));
            put_u16(o, 0xDC00 + ((c - 0x10000) & 0x3FF));
        }
        break;
    case ENC_GB18030: {
        uint8_t *cache = c < 0x10000 ? g->gbcache[c] : NULL;
        if (cache && cache[0]) {
            sb_put(o, (const char *)cache + 1, cache[0]);
            break;
        }
        UChar u[2];
        int32_t ul = 0;
        char t[8];
        UErrorCode st = U_ZERO_ERROR;
        U16_APPEND_UNSAFE(u, ul, (UChar32)c);
        int32_t n = ucnv_fromUChars(g->gbconv, t, sizeof t, u, ul, &st);
        if (U_FAILURE(st) || n <= 0 || n > 4)
            die("GB18030 conversion failed");
        if (cache) {
            cache[0] = (uint8_t)n;
            memcpy(cache + 1, t, (size_t)n);
        }
        sb_put(o, t, (size_t)n);
        break;
    }
    default: sb_cp(o, c);
    }
}

/* Append UTF-8 text s[0..n) to the current file in its encoding; after
 * this, at(g, i) is the file offset of s + i. */
static void enc_chunk(gen *g, const char *s, size_t n)
{
    curfile *f = &g->cur;
    for (size_t i = 0; i < n; i++)
        f->lines += s[i] == '\n';
    f->base = f->out.n;
    if (f->enc <= ENC_UTF8BOM && !f->crlf) {
        f->ident = 1;
        sb_put(&f->out, s, n);
        return;
    }
    f->ident = 0;
    f->map = grow(f->map, sizeof *f->map, n + 1, &f->mapcap);
    for (size_t i = 0; i < n;) {
        f->map[i] = f->out.n;
        size_t j = i;
        uint32_t c = u8_next(s, &j);
        if (c == '\n' && f->crlf)
            enc_cp(g, &f->out, '\r');
        enc_cp(g, &f->out, c);
        i = j;
    }
    f->map[n] = f->out.n;
}

static uint64_t at(const gen *g, size_t i)
{
    return g->cur.ident ? g->cur.base + i : g->cur.map[i];
}

/* ---- planting ---------------------------------------------------------- */

static int pick_kind(gen *g, int lang)
{
    double sum = 0;
    for (int k = K_FIRST_PLANT; k <= K_LAST_PLANT; k++)
        if (!(lang == EN && k == K_TRAD))
            sum += g->o.kw[k];
    if (sum <= 0)
        return K_VERBATIM;
    int best = -1;
    double bv = 0;
    for (int k = K_FIRST_PLANT; k <= K_LAST_PLANT; k++) {
        if ((lang == EN && k == K_TRAD) || g->o.kw[k] <= 0)
            continue;
        g->kacc[k] += g->o.kw[k] / sum;
        double v = g->kacc[k] + 0.8 * rng_unit(&g->rng);
        if (best < 0 || v > bv) {
            best = k;
            bv = v;
        }
    }
    g->kacc[best] -= 1.0;
    return best;
}

static uint32_t binomial8(gen *g, double mean)
{
    uint32_t n = 0;
    double p = mean / 8;
    for (int i = 0; i < 8; i++)
        n += rng_unit(&g->rng) < p;
    return n;
}

/* Plant one copy of a pooled passage into the speech being built. */
static int plant_one(gen *g, docb *d, int where)
{
    int32_t slot = pool_pick(g, d->lang, g->nspeeches);
    if (slot < 0)
        return 0;
    entry *e = &g->pool[slot];
    int kind = pick_kind(g, d->lang);
    transform(g, &g->tmp, e->text, e->tlen, d->lang, kind);
    d->pl = grow(d->pl, sizeof *d->pl, d->npl + 1, &d->plcap);
    plant *pl = &d->pl[d->npl];
    pl->slot = slot;
    pl->id = e->id;
    pl->kind = kind;
    pl->where = where;
    int32_t ref = (int32_t)d->npl++;
    size_t pi = 0, si = 0;
    if (where == W_START) {
        for (pi = 0; d->p[pi].type != P_BODY; pi++)
            ;
        si = 0;
    } else if (where == W_END) {
        doc_add_para(d, P_BODY);
        pi = d->np - 1;
        d->final_nl = 0;
    } else {
        /* A random body paragraph, not the one ending a file. */
        size_t nb = 0, want;
        for (size_t k = 0; k < d->np; k++)
            nb += d->p[k].type == P_BODY && (d->final_nl || k + 1 < d->np);
        want = rng_below(&g->rng, (uint32_t)nb);
        for (pi = 0;; pi++)
            if (d->p[pi].type == P_BODY && (d->final_nl || pi + 1 < d->np) &&
                want-- == 0)
                break;
        if (where == W_PARA) {
            doc_insert_para(d, pi + 1, P_BODY);
            pi++;
        } else {
            para *p = &d->p[pi];
            size_t lo = p->n && p->v[0].type == SEG_HEAD ? 1 : 0;
            if (p->n && p->v[0].type == SEG_COPY && p->v[0].ref >= 0 &&
                d->pl[p->v[0].ref].where == W_START)
                lo = 1;
            si = lo + rng_below(&g->rng, (uint32_t)(p->n - lo + 1));
        }
    }
    doc_text(d, pi, si, SEG_COPY, g->tmp.p, g->tmp.n, ref);
    g->n_plant[kind]++;
    g->n_where[where]++;
    return 1;
}

static void plant_formulas(gen *g, docb *d)
{
    if (rng_unit(&g->rng) >= g->o.formula)
        return;
    uint32_t n = rng_below(&g->rng, 10) < 3 ? 2 : 1;
    for (uint32_t k = 0; k < n; k++) {
        size_t cand[16], nc = 0;
        for (size_t i = 0; i < g->nformula && nc < NELEM(cand); i++)
            if (g->formulas[i].lang == d->lang)
                cand[nc++] = i;
        if (!nc)
            return;
        size_t fi = cand[rng_below(&g->rng, (uint32_t)nc)];
        size_t nb = 0, want, pi;
        for (size_t i = 0; i < d->np; i++)
            nb += d->p[i].type == P_BODY && (d->final_nl || i + 1 < d->np);
        want = rng_below(&g->rng, (uint32_t)nb);
        for (pi = 0;; pi++)
            if (d->p[pi].type == P_BODY && (d->final_nl || pi + 1 < d->np) &&
                want-- == 0)
                break;
        para *p = &d->p[pi];
        size_t lo = p->n && (p->v[0].type == SEG_HEAD ||
                             p->v[0].type == SEG_COPY) ? 1 : 0;
        size_t si = lo + rng_below(&g->rng, (uint32_t)(p->n - lo + 1));
        const char *t = g->formulas[fi].text;
        doc_text(d, pi, si, SEG_FORMULA, t, strlen(t), (int32_t)fi);
        g->n_formula++;
    }
}

/* Choose non-overlapping runs of fresh sentences as new source passages. */
static void select_sources(gen *g, docb *d)
{
    rng_t *r = &g->rng;
    uint32_t want = binomial8(g, g->o.sources);
    for (uint32_t k = 0, tries = 0; k < want && tries < 20; tries++) {
        double u = rng_unit(r);
        uint32_t target = u < 0.45 ? rng_range(r, 40, 80)
                          : u < 0.8 ? rng_range(r, 80, 150)
                                    : rng_range(r, 150, 300);
        size_t pi = rng_below(r, (uint32_t)d->np);
        para *p = &d->p[pi];
        if (p->type != P_BODY || !p->n)
            continue;
        size_t s0 = rng_below(r, (uint32_t)p->n), s1 = s0;
        uint32_t chars = 0, skip = 0;
        while (s1 < p->n && p->v[s1].type == SEG_FRESH && !p->v[s1].used) {
            uint32_t c = count_kept(d->arena.p + p->v[s1].off,
                                    p->v[s1].len);
            if (chars >= 40 && chars + c > 300)
                break;
            chars += c;
            s1++;
            if (chars >= target)
                break;
        }
        if (s1 == s0 || chars < 40 || chars > 300)
            continue;
        /* Sometimes start at a clause inside the first sentence. */
        if (rng_below(r, 10) < 3) {
            const char *t = d->arena.p + p->v[s0].off;
            const char *comma = d->lang == ZH ? "，" : ", ";
            const char *c = strstr(t, comma);
            if (c && (size_t)(c - t) + strlen(comma) < p->v[s0].len) {
                uint32_t sk = (uint32_t)(c - t + (ptrdiff_t)strlen(comma));
                uint32_t lost = count_kept(t, sk);
                if (chars - lost >= 40) {
                    skip = sk;
                    chars -= lost;
                }
            }
        }
        for (size_t i = s0; i < s1; i++)
            p->v[i].used = 1;
        d->src = grow(d->src, sizeof *d->src, d->nsrc + 1, &d->srccap);
        d->src[d->nsrc++] = (srcsel){ pi, s0, s1, skip };
        k++;
    }
}

static void add_item(docb *d, const item *it)
{
    d->it = grow(d->it, sizeof *d->it, d->nit + 1, &d->itcap);
    d->it[d->nit++] = *it;
}

/* After serializing: the items of the speech, offsets into d->out. */
static void collect_items(docb *d)
{
    d->nit = 0;
    for (size_t pi = 0; pi < d->np; pi++) {
        for (size_t si = 0; si < d->p[pi].n; si++) {
            const seg *s = &d->p[pi].v[si];
            if (s->type != SEG_COPY && s->type != SEG_FORMULA)
                continue;
            item it = { 0 };
            size_t a = s->os, b = s->oe;
            trim_kept(d->out.p, &a, &b);
            it.s = (uint32_t)a;
            it.e = (uint32_t)b;
            if (s->type == SEG_COPY) {
                const plant *pl = &d->pl[s->ref];
                it.type = IT_COPY;
                it.kind = pl->kind;
                it.where = pl->where;
                it.slot = pl->slot;
                it.id = pl->id;
            } else {
                it.type = IT_FORMULA;
                it.slot = s->ref;
            }
            add_item(d, &it);
        }
    }
    for (size_t k = 0; k < d->nsrc; k++) {
        const srcsel *ss = &d->src[k];
        const para *p = &d->p[ss->pi];
        item it = { 0 };
        it.type = IT_SOURCE;
        it.kind = K_SOURCE;
        it.slot = -1;
        it.rs = p->v[ss->s0].os + ss->skip;
        it.re = p->v[ss->s1 - 1].oe;
        size_t a = it.rs, b = it.re;
        trim_kept(d->out.p, &a, &b);
        it.s = (uint32_t)a;
        it.e = (uint32_t)b;
        add_item(d, &it);
    }
}

/* ---- speeches and files ------------------------------------------------ */

static void bvec_push(bvec *v, uint32_t file, uint64_t s, uint64_t e)
{
    v->v = grow(v->v, sizeof *v->v, v->n + 1, &v->cap);
    v->v[v->n++] = (bocc){ file, s, e };
}

static char *title_of(const char *body, size_t n, int titled)
{
    size_t k = 0;
    if (titled)
        while (k < n && body[k] != '\n')
            k++;
    char *t = xrealloc(NULL, k + 1);
    memcpy(t, body, k);
    t[k] = 0;
    return t;
}

static void speech_begin(gen *g, const char *body, size_t n, int titled)
{
    curfile *f = &g->cur;
    f->sp = grow(f->sp, sizeof *f->sp, f->nsp_done + 1, &f->spcap);
    struct spinfo *sp = &f->sp[f->nsp_done++];
    sp->start = f->nsp_done == 1 ? 0 : f->out.n;
    sp->first_line = f->lines + 1;
    sp->title = title_of(body, n, titled);
}

/* Write the speech body, then record what was planted in it.  items have
 * offsets into body; skip_speech: occurrences in that speech are already
 * covered by a whole-speech record. */
static void emit_items(gen *g, const char *body, const item *items,
                       size_t nit, uint32_t skip_speech, occ *srcs_out)
{
    for (size_t k = 0; k < nit; k++) {
        const item *it = &items[k];
        occ o = { g->cur.idx, g->nspeeches, at(g, it->s), at(g, it->e),
                  count_kept(body + it->s, it->e - it->s),
                  (uint8_t)it->kind };
        if (it->type == IT_FORMULA) {
            bvec_push(&g->formula_occ[it->slot], o.file, o.s, o.e);
            continue;
        }
        if (it->type == IT_SOURCE) {
            srcs_out[k] = o;
            continue;
        }
        entry *e = &g->pool[it->slot];
        if (e->id != it->id)
            die("internal: pooled passage vanished");
        for (size_t j = 0; j < e->no; j++)
            if (e->o[j].speech != skip_speech)
                emit_passage(g, &e->o[j], &o, it->kind, it->where, e->text,
                             e->tlen);
        occ_push(e, &o);
    }
}

/* A fresh speech: build, plant, write, pool its sources, ring it. */
static void speech_fresh(gen *g, int lang, int first, int last, int nsp)
{
    docb *d = &g->doc;
    int start = 0, end = 0;
    if (first && nsp == 1 && g->npool) {
        if (sched_want(g, &g->s_start))
            start = 1;
    }
    if (last && g->cur.footer < 0 && g->npool && !start) {
        if (sched_want(g, &g->s_end))
            end = 1;
    }
    gen_fresh(g, d, lang, !start);
    if (start && plant_one(g, d, W_START))
        sched_done(&g->s_start);
    if (end && plant_one(g, d, W_END))
        sched_done(&g->s_end);
    for (uint32_t n = binomial8(g, g->o.passages); n; n--)
        plant_one(g, d, rng_below(&g->rng, 5) ? W_INLINE : W_PARA);
    plant_formulas(g, d);
    select_sources(g, d);
    doc_serialize(d);
    collect_items(d);

    speech_begin(g, d->out.p, d->out.n, d->titled);
    enc_chunk(g, d->out.p, d->out.n);
    occ *srcs = xrealloc(NULL, (d->nit ? d->nit : 1) * sizeof *srcs);
    emit_items(g, d->out.p, d->it, d->nit, NONE_U32, srcs);
    /* Pin this speech's passages (copied ones, then each new one as it is
     * pooled) so that adding the next cannot evict them before the ring
     * refers to them. */
    for (size_t k = 0; k < d->nit; k++)
        if (d->it[k].type == IT_COPY)
            g->pool[d->it[k].slot].pins++;
    for (size_t k = 0; k < d->nit; k++) {
        item *it = &d->it[k];
        if (it->type != IT_SOURCE)
            continue;
        int32_t slot = pool_add(g, d->out.p + it->rs, it->re - it->rs, lang);
        if (slot < 0) {
            it->type = IT_DROPPED;
            continue;
        }
        it->slot = slot;
        it->id = g->pool[slot].id;
        g->pool[slot].pins++;
        occ_push(&g->pool[slot], &srcs[k]);
        g->n_plant[K_SOURCE]++;
    }
    free(srcs);
    /* Speeches without a title or without a final newline are not copied
     * whole: a copy would not look like a speech. */
    if (d->titled && d->final_nl) {
        size_t m = 0;
        for (size_t k = 0; k < d->nit; k++)
            if (d->it[k].type != IT_DROPPED)
                d->it[m++] = d->it[k];
        d->nit = m;
        occ loc = { g->cur.idx, g->nspeeches, at(g, 0), at(g, d->out.n),
                    count_kept(d->out.p, d->out.n), K_SOURCE };
        ring_add(g, d->out.p, d->out.n, d->it, d->nit, &loc, lang);
    }
    for (size_t k = 0; k < d->nit; k++)
        if (d->it[k].type == IT_COPY || d->it[k].type == IT_SOURCE)
            g->pool[d->it[k].slot].pins--;
}

typedef struct {
    uint32_t out; /* byte offset in the copy */
    int32_t src;  /* byte offset in the original, -1 for inserted */
} origin;

/* Find two adjacent sentences of one line (not the title, not the first
 * sentence of a line, which may carry a heading) clear of planted items. */
static int find_swap(gen *g, const rdoc *rd, size_t *a0, size_t *a1,
                     size_t *b0, size_t *b1)
{
    const char *t = rd->text;
    size_t n = rd->n, seen = 0;
    size_t i = 0;
    while (i < n && t[i] != '\n')
        i++;
    while (i < n) {
        size_t eol = ++i;
        while (eol < n && t[eol] != '\n')
            eol++;
        /* sentences [s, e) of this line, split after 。！？ or ". " */
        size_t ps = 0, pe = 0, s = i, nsent = 0;
        for (size_t k = i; k < eol;) {
            uint32_t c = u8_next(t, &k);
            int end = rd->lang == ZH
                          ? (c == 0x3002 || c == 0xFF01 || c == 0xFF1F)
                          : ((c == '.' || c == '!' || c == '?') &&
                             (k >= eol || t[k] == ' '));
            if (!end)
                continue;
            if (nsent >= 2) {
                int clash = 0;
                for (size_t q = 0; q < rd->nit; q++)
                    clash |= rd->it[q].s < k && ps < rd->it[q].e;
                if (!clash && rng_below(&g->rng, (uint32_t)++seen) == 0) {
                    *a0 = ps;
                    *a1 = pe;
                    *b0 = s;
                    *b1 = k;
                }
            }
            nsent++;
            ps = s;
            pe = k;
            while (k < eol && t[k] == ' ')
                k++;
            s = k;
        }
        i = eol;
    }
    return seen > 0;
}

/* A near-duplicate of a ring speech: some characters substituted, deleted
 * or inserted, maybe two sentences swapped. */
static void speech_neardup(gen *g, size_t ri)
{
    rdoc *rd = &g->ring[ri];
    rng_t *r = &g->rng;
    int exact = rng_below(r, 100) < 15;
    double rate = exact ? 0 : 0.01 + 0.09 * rng_unit(r);
    size_t a0 = 0, a1 = 0, b0 = 0, b1 = 0;
    int swapped = !exact && rng_below(r, 2) &&
                  find_swap(g, rd, &a0, &a1, &b0, &b1);
    /* Pieces of the original in output order. */
    size_t piece[5][2] = { { 0, rd->n } };
    size_t np = 1;
    if (swapped) {
        size_t q[5][2] = { { 0, a0 }, { b0, b1 }, { a1, b0 }, { a0, a1 },
                           { b1, rd->n } };
        memcpy(piece, q, sizeof q);
        np = 5;
    }
    sbuf *o = &g->tmp;
    o->n = 0;
    origin *org = NULL;
    size_t norg = 0, orgcap = 0;
    uint32_t edits = 0, elig = 0;
    for (size_t pc = 0; pc < np; pc++) {
        for (size_t i = piece[pc][0]; i < piece[pc][1];) {
            size_t at0 = i;
            uint32_t c = u8_next(rd->text, &i);
            org = grow(org, sizeof *org, norg + 2, &orgcap);
            int ed = editable(rd->lang, c);
            /* Stock formulas stay intact: boilerplate is identical text. */
            for (size_t q = 0; q < rd->nit && ed; q++)
                ed = !(rd->it[q].type == IT_FORMULA && rd->it[q].s <= at0 &&
                       at0 < rd->it[q].e);
            elig += (uint32_t)ed;
            if (ed && rate > 0 && rng_unit(r) < rate) {
                uint32_t op = rng_below(r, 100);
                edits++;
                if (op < 70) {
                    org[norg++] = (origin){ (uint32_t)o->n, (int32_t)at0 };
                    sb_cp(o, rand_subst(g, rd->lang, c));
                } else if (op < 85) {
                    /* deleted */
                } else {
                    org[norg++] = (origin){ (uint32_t)o->n, (int32_t)at0 };
                    sb_cp(o, c);
                    org[norg++] = (origin){ (uint32_t)o->n, -1 };
                    sb_cp(o, rand_subst(g, rd->lang, 0));
                }
                continue;
            }
            org[norg++] = (origin){ (uint32_t)o->n, (int32_t)at0 };
            sb_cp(o, c);
        }
    }
    /* Map the original's planted items onto the copy. */
    item *items = xrealloc(NULL, (rd->nit ? rd->nit : 1) * sizeof *items);
    size_t nit = 0;
    for (size_t k = 0; k < rd->nit; k++) {
        const item *it = &rd->it[k];
        size_t lo = SIZE_MAX, hi = 0;
        for (size_t j = 0; j < norg; j++) {
            if (org[j].src < 0 || (uint32_t)org[j].src < it->s ||
                (uint32_t)org[j].src >= it->e)
                continue;
            size_t e = j + 1 < norg ? org[j + 1].out : o->n;
            if (org[j].out < lo)
                lo = org[j].out;
            if (e > hi)
                hi = e;
        }
        if (lo >= hi)
            continue;
        item m = *it;
        trim_kept(o->p, &lo, &hi);
        m.s = (uint32_t)lo;
        m.e = (uint32_t)hi;
        if (m.type == IT_SOURCE)
            m.type = IT_COPY;
        if (m.type == IT_COPY) {
            m.kind = K_NEARDUP;
            m.where = W_NEARDUP;
        }
        items[nit++] = m;
    }
    free(org);

    speech_begin(g, o->p, o->n, 1);
    enc_chunk(g, o->p, o->n);
    occ b = { g->cur.idx, g->nspeeches, at(g, 0), at(g, o->n),
              count_kept(o->p, o->n), (uint8_t)(exact ? K_EXACT : K_NEARDUP) };
    double actual = elig ? (double)edits / elig : 0;
    emit_passage(g, &rd->loc, &b, exact ? K_EXACT : K_NEARDUP, W_SPEECH,
                 rd->text, rd->n);
    g->n_plant[exact ? K_EXACT : K_NEARDUP]++;
    char fa[32], fb[32];
    file_name(fa, sizeof fa, rd->loc.file);
    file_name(fb, sizeof fb, b.file);
    fprintf(g->pairs,
            "%s\t%s\t%" PRIu64 "\t%" PRIu64 "\t%" PRIu64 "\t%" PRIu64
            "\t%s\t%.4f\t%d\n",
            fa, fb, rd->loc.s, rd->loc.e, b.s, b.e,
            kind_name[exact ? K_EXACT : K_NEARDUP], actual, swapped);
    g->n_pairs++;
    emit_items(g, o->p, items, nit, rd->loc.speech, NULL);
    free(items);
    ring_remove(g, ri);
}

static void write_speeches(gen *g)
{
    curfile *f = &g->cur;
    char fn[32];
    file_name(fn, sizeof fn, f->idx);
    for (size_t k = 0; k < f->nsp_done; k++) {
        const struct spinfo *sp = &f->sp[k];
        uint64_t end = k + 1 < f->nsp_done ? f->sp[k + 1].start : f->out.n;
        fprintf(g->speeches,
                "%s {\"file\": \"%s\", \"speech\": %zu, \"first_line\": %" PRIu32
                ", \"byte_start\": %" PRIu64 ", \"byte_end\": %" PRIu64
                ", \"title\": ",
                g->first_speech_rec ? "" : ",\n", fn, k, sp->first_line,
                sp->start, end);
        json_str(g->speeches, sp->title, strlen(sp->title));
        fputs("}", g->speeches);
        g->first_speech_rec = 0;
        free(sp->title);
    }
}

static int done(const gen *g)
{
    if (g->o.docs > 0 && g->nspeeches >= (uint64_t)g->o.docs)
        return 1;
    if (g->o.size_mb > 0 && (double)g->bytes >= g->o.size_mb * 1e6)
        return 1;
    return 0;
}

static void one_file(gen *g)
{
    rng_t *r = &g->rng;
    curfile *f = &g->cur;
    f->idx = g->nfiles;
    f->nsp = 1;
    if (sched_want(g, &g->s_comp)) {
        sched_done(&g->s_comp);
        f->nsp = (int)rng_range(r, 2, (uint32_t)g->o.comp_max);
    }
    if (g->o.docs > 0 && g->nspeeches + (uint64_t)f->nsp > (uint64_t)g->o.docs)
        f->nsp = (int)(g->o.docs - g->nspeeches);
    g->n_comp += f->nsp > 1;
    f->lang = ZH;
    if (sched_want(g, &g->s_english)) {
        sched_done(&g->s_english);
        f->lang = EN;
    }
    f->enc = ENC_UTF8;
    f->crlf = 0;
    if (!g->o.no_enc) {
        /* Each scheduler sees every file, so shares do not interact. */
        int gb = sched_want(g, &g->s_gb), u16 = sched_want(g, &g->s_utf16),
            bom = sched_want(g, &g->s_bom);
        if (gb) {
            f->enc = ENC_GB18030;
            sched_done(&g->s_gb);
        } else if (u16) {
            f->enc = ENC_UTF16LE;
            sched_done(&g->s_utf16);
        } else if (bom) {
            f->enc = ENC_UTF8BOM;
            sched_done(&g->s_bom);
        }
        if (sched_want(g, &g->s_crlf)) {
            f->crlf = 1;
            sched_done(&g->s_crlf);
        }
    }
    f->footer = -1;
    if (sched_want(g, &g->s_footer)) {
        size_t cand[8], nc = 0;
        for (size_t i = 0; i < g->nfooter && nc < NELEM(cand); i++)
            if (g->footers[i].lang == f->lang)
                cand[nc++] = i;
        if (nc) {
            f->footer = (int)cand[rng_below(r, (uint32_t)nc)];
            sched_done(&g->s_footer);
        }
    }
    f->out.n = 0;
    f->lines = 0;
    f->nsp_done = 0;
    if (f->enc == ENC_UTF8BOM)
        sb_put(&f->out, "\xEF\xBB\xBF", 3);
    else if (f->enc == ENC_UTF16LE)
        sb_put(&f->out, "\xFF\xFE", 2);

    for (int k = 0; k < f->nsp; k++) {
        int dup = 0;
        if (sched_want(g, &g->s_dup)) {
            size_t cand = 0, pickk = 0;
            for (size_t i = 0; i < g->nring; i++)
                if (g->ring[i].lang == f->lang &&
                    rng_below(r, (uint32_t)++cand) == 0)
                    pickk = i;
            if (cand) {
                sched_done(&g->s_dup);
                speech_neardup(g, pickk);
                dup = 1;
            }
        }
        if (!dup)
            speech_fresh(g, f->lang, k == 0, k == f->nsp - 1, f->nsp);
        g->nspeeches++;
        if (k + 1 < f->nsp)
            enc_chunk(g, "\n", 1);
    }
    if (f->footer >= 0) {
        sbuf *t = &g->tmp;
        t->n = 0;
        if (rng_below(r, 2))
            sb_puts(t, "\n");
        size_t s = t->n;
        sb_puts(t, g->footers[f->footer].text);
        size_t e = t->n;
        sb_puts(t, "\n");
        enc_chunk(g, t->p, t->n);
        trim_kept(t->p, &s, &e);
        bvec_push(&g->footer_occ[f->footer], f->idx, at(g, s), at(g, e));
        g->n_footer++;
    }
    write_speeches(g);

    char fn[32], path[4096];
    file_name(fn, sizeof fn, f->idx);
    snprintf(path, sizeof path, "%s/%s", g->o.out, fn);
    FILE *fp = fopen(path, "wb");
    if (!fp || fwrite(f->out.p, 1, f->out.n, fp) != f->out.n || fclose(fp))
        die("cannot write a corpus file");
    fprintf(g->files, "%s\t%s\t%s\t%zu\t%d\t%s\n", fn, enc_name[f->enc],
            f->crlf ? "CRLF" : "LF", f->out.n, f->nsp,
            f->footer >= 0 ? "footer" : "-");
    g->n_enc[f->enc]++;
    g->bytes += f->out.n;
    g->nfiles++;
}

static void write_boilerplate(gen *g, const char *kind, const stock *st,
                              const bvec *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!v[i].n)
            continue;
        size_t s = 0, e = strlen(st[i].text);
        trim_kept(st[i].text, &s, &e);
        fprintf(g->truth, "{\"type\":\"boilerplate\",\"kind\":\"%s\",\"text\":",
                kind);
        json_str(g->truth, st[i].text + s, e - s);
        fprintf(g->truth, ",\"chars\":%" PRIu32 ",\"df\":%zu,\"occurrences\":[",
                count_kept(st[i].text, strlen(st[i].text)), v[i].n);
        for (size_t k = 0; k < v[i].n; k++) {
            char fn[32];
            file_name(fn, sizeof fn, v[i].v[k].file);
            fprintf(g->truth,
                    "%s{\"file\":\"%s\",\"start\":%" PRIu64 ",\"end\":%" PRIu64
                    "}",
                    k ? "," : "", fn, v[i].v[k].s, v[i].v[k].e);
        }
        fputs("]}\n", g->truth);
    }
}

/* ---- setup ------------------------------------------------------------- */

static void build_subst(gen *g)
{
    static uint8_t seen[0x10000];
    const vocab *v = &vocabs[ZH];
    const wlist *lists[] = { &v->noun, &v->suffix, &v->mod, &v->verb,
                             &v->adv, &v->people, &v->problem, &v->quality };
    for (size_t l = 0; l < NELEM(lists); l++)
        for (uint32_t w = 0; w < lists[l]->n; w++)
            for (size_t i = 0; lists[l]->w[w][i];) {
                uint32_t c = u8_next(lists[l]->w[w], &i);
                if (is_han(c) && c < 0x10000)
                    seen[c] = 1;
            }
    size_t n = 0;
    for (uint32_t c = 0; c < 0x10000; c++)
        n += seen[c];
    g->subst_zh = xrealloc(NULL, n * sizeof *g->subst_zh);
    g->nsubst_zh = 0;
    for (uint32_t c = 0; c < 0x10000; c++)
        if (seen[c])
            g->subst_zh[g->nsubst_zh++] = c;
}

static void stocks(gen *g)
{
    static stock f[NELEM(zh_formula) + NELEM(en_formula)];
    static stock t[NELEM(zh_footer) + NELEM(en_footer)];
    size_t n = 0;
    for (size_t i = 0; i < NELEM(zh_formula); i++)
        f[n++] = (stock){ zh_formula[i], ZH };
    for (size_t i = 0; i < NELEM(en_formula); i++)
        f[n++] = (stock){ en_formula[i], EN };
    g->formulas = f;
    g->nformula = n;
    n = 0;
    for (size_t i = 0; i < NELEM(zh_footer); i++)
        t[n++] = (stock){ zh_footer[i], ZH };
    for (size_t i = 0; i < NELEM(en_footer); i++)
        t[n++] = (stock){ en_footer[i], EN };
    g->footers = t;
    g->nfooter = n;
    g->formula_occ = xrealloc(NULL, g->nformula * sizeof *g->formula_occ);
    memset(g->formula_occ, 0, g->nformula * sizeof *g->formula_occ);
    g->footer_occ = xrealloc(NULL, g->nfooter * sizeof *g->footer_occ);
    memset(g->footer_occ, 0, g->nfooter * sizeof *g->footer_occ);
}

static FILE *out_file(const gen *g, const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", g->o.truth, name);
    FILE *f = fopen(path, "wb");
    if (!f) {
        fprintf(stderr, "ndgen: cannot create %s: %s\n", path,
                strerror(errno));
        exit(1);
    }
    return f;
}

static void usage(FILE *f)
{
    fputs(
        "usage: ndgen --out DIR [--docs N] [--size-mb M] [options]\n"
        "Writes a corpus of speech-like documents with planted reuse and its\n"
        "ground truth (truth.jsonl, pairs.tsv, speeches.json, files.tsv,\n"
        "manifest.json).  Stops after N speeches or M MB (10^6 bytes),\n"
        "whichever comes first (default: 100 speeches).\n"
        "  --truth DIR            write the truth files there instead of\n"
        "                         beside the documents (so that DIR of\n"
        "                         --out holds documents only)\n"
        "  --seed S               PRNG seed (default 1)\n"
        "  --english-share F      share of files in English (0)\n"
        "  --no-encodings         all files UTF-8 without BOM, LF\n"
        "  --gb18030-share F      share of files in GB18030 (0.02)\n"
        "  --utf16-share F        share of files in UTF-16LE with BOM (0.01)\n"
        "  --bom-share F          share of UTF-8 files with a BOM (0.03)\n"
        "  --crlf-share F         share of files with CRLF line ends (0.03)\n"
        "  --compilation-share F  share of files holding several speeches "
        "(0.05)\n"
        "  --compilation-max K    most speeches in a compilation (6)\n"
        "  --dup-share F          share of speeches that are near-copies "
        "(0.04)\n"
        "  --passages F           mean planted passages per speech (1.0)\n"
        "  --sources F            mean new source passages per speech (0.8)\n"
        "  --kinds LIST           weights, e.g. verbatim=3,edit5=1.5,edit10=1.5,"
        "\n"
        "                         edit20=1,repunct=1.5,traditional=1.5 "
        "(default)\n"
        "  --edge-share F         share of eligible speeches with a passage at\n"
        "                         the very start / very end of the file (0.03)\n"
        "  --footer-share F       share of files with an advertising footer "
        "(0.15)\n"
        "  --formula-share F      share of speeches with stock formulas (0.25)\n"
        "  --doc-chars MIN:MAX    speech length in characters (1500:6000)\n"
        "  --pool N               source passages kept for copying (4096)\n"
        "  --ring N               recent speeches kept for near-copies (64)\n"
        "  --max-copies N         copies of one passage at most (4)\n"
        "  --quiet                no summary on stderr\n",
        f);
}

static double arg_f(const char *s, const char *opt)
{
    char *end;
    double v = strtod(s, &end);
    if (*end || v < 0) {
        fprintf(stderr, "ndgen: bad value for %s: %s\n", opt, s);
        exit(2);
    }
    return v;
}

static void parse_kinds(options *o, const char *s)
{
    for (int k = 0; k < K_NKINDS; k++)
        o->kw[k] = 0;
    while (*s) {
        const char *eq = strchr(s, '='), *comma = strchr(s, ',');
        if (!comma)
            comma = s + strlen(s);
        if (!eq || eq > comma)
            die("--kinds: expected name=weight[,...]");
        int k;
        for (k = K_FIRST_PLANT; k <= K_LAST_PLANT; k++)
            if (strlen(kind_name[k]) == (size_t)(eq - s) &&
                !strncmp(kind_name[k], s, (size_t)(eq - s)))
                break;
        if (k > K_LAST_PLANT)
            die("--kinds: unknown kind");
        char num[32];
        size_t nl = (size_t)(comma - eq - 1);
        if (nl >= sizeof num)
            die("--kinds: bad weight");
        memcpy(num, eq + 1, nl);
        num[nl] = 0;
        o->kw[k] = arg_f(num, "--kinds");
        s = *comma ? comma + 1 : comma;
    }
}

static void parse(options *o, int argc, char **argv)
{
    *o = (options){ .seed = 1, .gb = 0.02, .utf16 = 0.01, .bom = 0.03,
                    .crlf = 0.03, .compilation = 0.05, .comp_max = 6,
                    .dup = 0.04, .passages = 1.0, .sources = 0.8,
                    .edge = 0.03, .footer = 0.15, .formula = 0.25,
                    .chars_min = 1500, .chars_max = 6000, .pool = 4096,
                    .ring = 64, .max_copies = 4 };
    parse_kinds(o, "verbatim=3,edit5=1.5,edit10=1.5,edit20=1,repunct=1.5,"
                   "traditional=1.5");
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
#define OPT(name) (!strcmp(a, name) && (v || (die("missing value"), 0)) && ++i)
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            exit(0);
        } else if (!strcmp(a, "--no-encodings")) {
            o->no_enc = 1;
        } else if (!strcmp(a, "--quiet")) {
            o->quiet = 1;
        } else if (OPT("--out")) {
            o->out = v;
        } else if (OPT("--truth")) {
            o->truth = v;
        } else if (OPT("--docs")) {
            o->docs = (long)arg_f(v, a);
        } else if (OPT("--size-mb")) {
            o->size_mb = arg_f(v, a);
        } else if (OPT("--seed")) {
            o->seed = strtoull(v, NULL, 0);
        } else if (OPT("--english-share")) {
            o->english = arg_f(v, a);
        } else if (OPT("--gb18030-share")) {
            o->gb = arg_f(v, a);
        } else if (OPT("--utf16-share")) {
            o->utf16 = arg_f(v, a);
        } else if (OPT("--bom-share")) {
            o->bom = arg_f(v, a);
        } else if (OPT("--crlf-share")) {
            o->crlf = arg_f(v, a);
        } else if (OPT("--compilation-share")) {
            o->compilation = arg_f(v, a);
        } else if (OPT("--compilation-max")) {
            o->comp_max = (int)arg_f(v, a);
        } else if (OPT("--dup-share")) {
            o->dup = arg_f(v, a);
        } else if (OPT("--passages")) {
            o->passages = arg_f(v, a);
        } else if (OPT("--sources")) {
            o->sources = arg_f(v, a);
        } else if (OPT("--kinds")) {
            parse_kinds(o, v);
        } else if (OPT("--edge-share")) {
            o->edge = arg_f(v, a);
        } else if (OPT("--footer-share")) {
            o->footer = arg_f(v, a);
        } else if (OPT("--formula-share")) {
            o->formula = arg_f(v, a);
        } else if (OPT("--doc-chars")) {
            unsigned lo, hi;
            if (sscanf(v, "%u:%u", &lo, &hi) != 2 || lo < 100 || hi < lo)
                die("--doc-chars: expected MIN:MAX, MIN >= 100");
            o->chars_min = lo;
            o->chars_max = hi;
        } else if (OPT("--pool")) {
            o->pool = (int)arg_f(v, a);
        } else if (OPT("--ring")) {
            o->ring = (int)arg_f(v, a);
        } else if (OPT("--max-copies")) {
            o->max_copies = (int)arg_f(v, a);
        } else {
            fprintf(stderr, "ndgen: unknown option %s\n", a);
            usage(stderr);
            exit(2);
        }
#undef OPT
    }
    if (!o->out) {
        usage(stderr);
        exit(2);
    }
    if (!o->truth)
        o->truth = o->out;
    if (o->docs <= 0 && o->size_mb <= 0)
        o->docs = 100;
    if (o->comp_max < 2)
        o->comp_max = 2;
    if (o->pool < 1)
        o->pool = 1;
    if (o->passages > 8 || o->sources > 8)
        die("--passages and --sources are at most 8");
    if (o->english > 1 || o->gb + o->utf16 > 1)
        die("shares must be at most 1");
}

static void write_manifest(gen *g)
{
    FILE *m = out_file(g, "manifest.json");
    const options *o = &g->o;
    fprintf(m, "{\n \"generator\": \"ndgen\",\n \"seed\": %" PRIu64
               ",\n \"files\": %" PRIu32 ",\n \"speeches\": %" PRIu32
               ",\n \"bytes\": %" PRIu64 ",\n",
            o->seed, g->nfiles, g->nspeeches, g->bytes);
    fprintf(m, " \"compilations\": %" PRIu64 ",\n \"near_duplicate_pairs\": %"
               PRIu64 ",\n \"formula_occurrences\": %" PRIu64
               ",\n \"footer_occurrences\": %" PRIu64 ",\n",
            g->n_comp, g->n_pairs, g->n_formula, g->n_footer);
    fputs(" \"encodings\": {", m);
    for (int e = 0; e < 4; e++)
        fprintf(m, "%s\"%s\": %" PRIu64, e ? ", " : "", enc_name[e],
                g->n_enc[e]);
    fputs("},\n \"planted\": {", m);
    for (int k = 0; k < K_NKINDS; k++)
        fprintf(m, "%s\"%s\": %" PRIu64, k ? ", " : "", kind_name[k],
                g->n_plant[k]);
    fputs("},\n \"copies_by_position\": {", m);
    for (int w = W_INLINE; w <= W_END; w++)
        fprintf(m, "%s\"%s\": %" PRIu64, w ? ", " : "", where_name[w],
                g->n_where[w]);
    fputs("},\n \"truth_passage_records\": {", m);
    for (int k = K_FIRST_PLANT; k < K_NKINDS; k++)
        fprintf(m, "%s\"%s\": %" PRIu64, k > K_FIRST_PLANT ? ", " : "",
                kind_name[k], g->n_truth[k]);
    fprintf(m, "},\n \"options\": {\"english_share\": %g, \"gb18030_share\": "
               "%g, \"utf16_share\": %g, \"bom_share\": %g, \"crlf_share\": %g, "
               "\"compilation_share\": %g, \"compilation_max\": %d, "
               "\"dup_share\": %g, \"passages\": %g, \"sources\": %g, "
               "\"edge_share\": %g, \"footer_share\": %g, \"formula_share\": "
               "%g, \"doc_chars\": \"%" PRIu32 ":%" PRIu32 "\", \"pool\": %d, "
               "\"ring\": %d, \"max_copies\": %d, \"no_encodings\": %s}\n}\n",
            o->english, o->gb, o->utf16, o->bom, o->crlf, o->compilation,
            o->comp_max, o->dup, o->passages, o->sources, o->edge, o->footer,
            o->formula, o->chars_min, o->chars_max, o->pool, o->ring,
            o->max_copies, o->no_enc ? "true" : "false");
    fclose(m);
}

int main(int argc, char **argv)
{
    static gen G;
    gen *g = &G;
    parse(&g->o, argc, argv);
    uint64_t sm = g->o.seed;
    for (int i = 0; i < 4; i++)
        g->rng.s[i] = splitmix64(&sm);
    const char *dirs[2] = {g->o.out, g->o.truth};
    for (int i = 0; i < 2; i++)
        if (mkdir(dirs[i], 0777) && errno != EEXIST) {
            fprintf(stderr, "ndgen: cannot create %s: %s\n", dirs[i],
                    strerror(errno));
            return 1;
        }
    UErrorCode st = U_ZERO_ERROR;
    static const UChar hans_hant[] = { 'H', 'a', 'n', 's', '-', 'H', 'a', 'n',
                                       't', 0 };
    g->hant = utrans_openU(hans_hant, -1, UTRANS_FORWARD, NULL, 0, NULL, &st);
    if (U_FAILURE(st))
        die("ICU has no Hans-Hant transliterator");
    g->gbconv = ucnv_open("GB18030", &st);
    if (U_FAILURE(st))
        die("ICU has no GB18030 converter");
    g->gbcache = xrealloc(NULL, 0x10000 * sizeof *g->gbcache);
    memset(g->gbcache, 0, 0x10000 * sizeof *g->gbcache);
    build_subst(g);
    stocks(g);
    g->pool = xrealloc(NULL, (size_t)g->o.pool * sizeof *g->pool);
    memset(g->pool, 0, (size_t)g->o.pool * sizeof *g->pool);
    g->ring = xrealloc(NULL, (size_t)(g->o.ring > 0 ? g->o.ring : 1) *
                                 sizeof *g->ring);
    /* Each scheduler starts at a random phase so the first pick is not
     * always the first file. */
    struct {
        sched *s;
        double share;
    } sc[] = {
        { &g->s_comp, g->o.compilation }, { &g->s_gb, g->o.gb },
        { &g->s_utf16, g->o.utf16 },      { &g->s_bom, g->o.bom },
        { &g->s_crlf, g->o.crlf },        { &g->s_footer, g->o.footer },
        { &g->s_english, g->o.english },  { &g->s_dup, g->o.dup },
        { &g->s_start, g->o.edge },       { &g->s_end, g->o.edge },
    };
    for (size_t i = 0; i < NELEM(sc); i++) {
        sc[i].s->share = sc[i].share;
        sc[i].s->acc = sc[i].share > 0 ? -rng_unit(&g->rng) * 0.5 : -1e300;
    }
    g->truth = out_file(g, "truth.jsonl");
    g->pairs = out_file(g, "pairs.tsv");
    g->speeches = out_file(g, "speeches.json");
    g->files = out_file(g, "files.tsv");
    static char tb[1 << 20];
    setvbuf(g->truth, tb, _IOFBF, sizeof tb);
    fputs("#file_a\tfile_b\ta_start\ta_end\tb_start\tb_end\tkind\tedit_rate"
          "\tswapped\n", g->pairs);
    fputs("#file\tencoding\tnewline\tbytes\tspeeches\tfooter\n", g->files);
    fputs("[\n", g->speeches);
    g->first_speech_rec = 1;

    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    while (!done(g))
        one_file(g);
    write_boilerplate(g, "formula", g->formulas, g->formula_occ, g->nformula);
    write_boilerplate(g, "footer", g->footers, g->footer_occ, g->nfooter);
    fputs("\n]\n", g->speeches);
    if (fclose(g->truth) || fclose(g->pairs) || fclose(g->speeches) ||
        fclose(g->files))
        die("cannot write the truth files");
    write_manifest(g);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) +
                  (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9;
    if (!g->o.quiet) {
        fprintf(stderr,
                "ndgen: %" PRIu32 " files, %" PRIu32 " speeches, %.1f MB in "
                "%.2f s (%.1f MB/s)\n",
                g->nfiles, g->nspeeches, (double)g->bytes / 1e6, secs,
                secs > 0 ? (double)g->bytes / 1e6 / secs : 0.0);
        fprintf(stderr, "ndgen: planted");
        for (int k = 0; k < K_NKINDS; k++)
            fprintf(stderr, " %s=%" PRIu64, kind_name[k], g->n_plant[k]);
        fprintf(stderr, " formula=%" PRIu64 " footer=%" PRIu64 "\n",
                g->n_formula, g->n_footer);
    }
    utrans_close(g->hant);
    ucnv_close(g->gbconv);
    return 0;
}
