/* sp_pmtiles: the PMTiles v3 sink of sp-tiles (spec: github.com/protomaps/PMTiles,
 * spec/v3/spec.md). Tiles arrive from the render threads in any order and are appended
 * to a scratch file beside the output, identical images once (a hash, then the bytes
 * compared); at close the archive is written in one pass: the 127-byte header, the root
 * directory (gzip, within the first 16 KiB; leaf directories when it would not fit), the
 * JSON metadata, the leaves, then the tile data in Hilbert tile-id order (clustered),
 * each distinct image stored once and runs of equal tiles as one entry. */
#include "tiles/sp_pmtiles.h"
#include "core/sp_hash.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <libdeflate.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

uint64_t sp_pmtiles_tileid(int z, uint32_t x, uint32_t y)
{
    uint64_t acc = (((uint64_t)1 << (2 * z)) - 1) / 3, d = 0;
    uint64_t n = (uint64_t)1 << z, tx = x, ty = y;
    for (uint64_t s = n / 2; s > 0; s /= 2) { /* Hilbert xy -> d */
        uint64_t rx = (tx & s) > 0, ry = (ty & s) > 0;
        d += s * s * ((3 * rx) ^ ry);
        if (ry == 0) {
            if (rx == 1) {
                tx = n - 1 - tx;
                ty = n - 1 - ty;
            }
            uint64_t t = tx;
            tx = ty;
            ty = t;
        }
    }
    return acc + d;
}

typedef struct {
    uint64_t id;
    uint64_t off; /* in the scratch file */
    uint32_t len;
} tile_rec;

struct sp_pmtiles {
    char *path, *scratch;
    int fd; /* the scratch file: every distinct image once */
    pthread_mutex_t lock;
    tile_rec *t;
    size_t n, cap;
    uint64_t end;
    /* distinct images by hash: open addressing over (hash, offset, length) */
    struct slot {
        uint64_t h, off;
        uint32_t len;
        bool used;
    } *tab;
    size_t tabcap, ndistinct;
    sp_tiles_meta meta;
    char *name, *description, *attribution;
    size_t root_max; /* header + root directory, at most (16 KiB) */
};

static uint64_t fnv1a(const uint8_t *p, size_t n) { return sp_fnv1a64(SP_FNV1A64_INIT, p, n); }

static char *dup_or_null(const char *s) { return s ? strdup(s) : NULL; }

sp_status sp_pmtiles_open(sp_ctx *ctx, const char *path, const sp_tiles_meta *meta,
                          sp_pmtiles **out)
{
    sp_pmtiles *p = calloc(1, sizeof *p);
    if (!p || !(p->path = strdup(path)) || asprintf(&p->scratch, "%s.tiles", path) < 0) {
        if (p)
            free(p->path);
        free(p);
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    }
    p->fd = -1;
    p->root_max = 16384;
    p->meta = *meta;
    p->name = dup_or_null(meta->name);
    p->description = dup_or_null(meta->description);
    p->attribution = dup_or_null(meta->attribution);
    pthread_mutex_init(&p->lock, NULL);
    p->tabcap = 1024;
    p->tab = calloc(p->tabcap, sizeof *p->tab);
    p->fd = open(p->scratch, O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (p->fd < 0 || !p->tab) {
        sp_status rc = sp_error(ctx, p->fd >= 0 ? SP_ERR_NOMEM : SP_ERR_IO, "cannot create "
                                "'%s': %s", p->scratch, strerror(errno));
        sp_pmtiles_abort(p);
        return rc;
    }
    *out = p;
    return SP_OK;
}

/* The scratch offset of an image equal to data, or UINT64_MAX. */
static uint64_t find_image(sp_pmtiles *p, uint64_t h, const uint8_t *data, uint32_t len,
                           size_t *slot)
{
    size_t i = h & (p->tabcap - 1);
    uint8_t buf[4096];
    for (; p->tab[i].used; i = (i + 1) & (p->tabcap - 1)) {
        if (p->tab[i].h != h || p->tab[i].len != len)
            continue;
        bool same = true; /* the bytes, not only the hash */
        for (uint32_t o = 0; same && o < len; o += sizeof buf) {
            uint32_t k = len - o < sizeof buf ? len - o : (uint32_t)sizeof buf;
            same = pread(p->fd, buf, k, (off_t)(p->tab[i].off + o)) == (ssize_t)k &&
                   !memcmp(buf, data + o, k);
        }
        if (same)
            return p->tab[i].off;
    }
    *slot = i;
    return UINT64_MAX;
}

static bool grow_table(sp_pmtiles *p)
{
    size_t nc = p->tabcap * 2;
    struct slot *nt = calloc(nc, sizeof *nt);
    if (!nt)
        return false;
    for (size_t i = 0; i < p->tabcap; i++)
        if (p->tab[i].used) {
            size_t j = p->tab[i].h & (nc - 1);
            while (nt[j].used)
                j = (j + 1) & (nc - 1);
            nt[j] = p->tab[i];
        }
    free(p->tab);
    p->tab = nt;
    p->tabcap = nc;
    return true;
}

/* All of buf at off: a short write (a file-size limit or a full disk reached mid-way)
 * is retried, so that a failure ends with the call that says why (EFBIG, ENOSPC). */
static bool pwrite_all(int fd, const uint8_t *buf, size_t n, off_t off)
{
    while (n) {
        ssize_t w = pwrite(fd, buf, n, off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            errno = w == 0 ? EIO : errno;
            return false;
        }
        buf += w, n -= (size_t)w, off += w;
    }
    return true;
}

sp_status sp_pmtiles_put(sp_ctx *ctx, sp_pmtiles *p, int z, int x, int y, const uint8_t *data,
                         size_t size)
{
    if (!data)
        return SP_OK;
    if (size == 0 || size > UINT32_MAX)
        return sp_error(ctx, SP_ERR_DATA, "tile %d/%d/%d: %zu bytes", z, x, y, size);
    uint64_t h = fnv1a(data, size);
    sp_status rc = SP_OK;
    pthread_mutex_lock(&p->lock);
    if (p->n == p->cap) {
        size_t nc = p->cap ? 2 * p->cap : 1024;
        tile_rec *nt = realloc(p->t, nc * sizeof *nt);
        if (!nt) {
            rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
            goto done;
        }
        p->t = nt;
        p->cap = nc;
    }
    if (2 * (p->ndistinct + 1) > p->tabcap && !grow_table(p)) {
        rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
        goto done;
    }
    size_t slot = 0;
    uint64_t off = find_image(p, h, data, (uint32_t)size, &slot);
    if (off == UINT64_MAX) {
        off = p->end;
        if (!pwrite_all(p->fd, data, size, (off_t)off)) {
            rc = sp_error(ctx, SP_ERR_IO, "cannot write '%s': %s", p->scratch, strerror(errno));
            goto done;
        }
        p->end += size;
        p->tab[slot] = (struct slot){h, off, (uint32_t)size, true};
        p->ndistinct++;
    }
    p->t[p->n++] = (tile_rec){sp_pmtiles_tileid(z, (uint32_t)x, (uint32_t)y), off,
                              (uint32_t)size};
done:
    pthread_mutex_unlock(&p->lock);
    return rc;
}

/* ---- close: directories and the archive ------------------------------------------ */

typedef struct {
    uint64_t id, off;
    uint32_t len, run;
} entry;

typedef struct {
    uint8_t *b;
    size_t n, cap;
    bool oom;
} buf;

static void put_bytes(buf *o, const void *p, size_t n)
{
    if (!n)
        return;
    if (o->n + n > o->cap) {
        size_t nc = (o->cap ? o->cap * 2 : 4096) + n;
        uint8_t *nb = realloc(o->b, nc);
        if (!nb) {
            o->oom = true;
            return;
        }
        o->b = nb;
        o->cap = nc;
    }
    memcpy(o->b + o->n, p, n);
    o->n += n;
}

static void put_varint(buf *o, uint64_t v)
{
    uint8_t t[10];
    int k = 0;
    do {
        t[k++] = (uint8_t)((v & 0x7f) | (v >= 0x80 ? 0x80 : 0));
        v >>= 7;
    } while (v);
    put_bytes(o, t, (size_t)k);
}

/* in, gzipped (libdeflate), appended to out; false when out of memory. */
static bool gzip_into(struct libdeflate_compressor *c, const buf *in, buf *out)
{
    size_t cap = libdeflate_gzip_compress_bound(c, in->n);
    uint8_t *z = malloc(cap);
    size_t zn = z ? libdeflate_gzip_compress(c, in->b, in->n, z, cap) : 0;
    if (zn)
        put_bytes(out, z, zn);
    free(z);
    return zn > 0 && !out->oom;
}

static void put_u64(uint8_t *h, int at, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        h[at + i] = (uint8_t)(v >> (8 * i));
}

static void put_i32(uint8_t *h, int at, int32_t v)
{
    uint32_t u = (uint32_t)v;
    for (int i = 0; i < 4; i++)
        h[at + i] = (uint8_t)(u >> (8 * i));
}

/* Entries e[0..n-1] serialised (count, tile-id deltas, run lengths, lengths, offsets:
 * 0 when contiguous with the previous entry, else offset + 1) and gzipped. */
static bool directory(struct libdeflate_compressor *c, const entry *e, size_t n, buf *out)
{
    buf raw = {0};
    put_varint(&raw, n);
    for (size_t i = 0; i < n; i++)
        put_varint(&raw, e[i].id - (i ? e[i - 1].id : 0));
    for (size_t i = 0; i < n; i++)
        put_varint(&raw, e[i].run);
    for (size_t i = 0; i < n; i++)
        put_varint(&raw, e[i].len);
    for (size_t i = 0; i < n; i++)
        put_varint(&raw, i && e[i].off == e[i - 1].off + e[i - 1].len ? 0 : e[i].off + 1);
    out->n = 0;
    out->oom = false;
    bool ok = !raw.oom && gzip_into(c, &raw, out);
    free(raw.b);
    return ok;
}

static int cmp_rec(const void *a, const void *b)
{
    const tile_rec *x = a, *y = b;
    return (x->id > y->id) - (x->id < y->id);
}

/* The tile entries in tile-id order with the data laid out clustered: each distinct
 * image at its first use, later uses pointing back; runs of one image merged.
 * order[k]: the scratch offset of the k-th image laid out. */
static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static entry *layout(sp_pmtiles *p, size_t *nent, uint64_t **order, size_t *norder,
                     uint64_t *data_len)
{
    if (p->n) /* qsort of NULL is undefined, even for no element */
        qsort(p->t, p->n, sizeof *p->t, cmp_rec);
    size_t nd = p->ndistinct ? p->ndistinct : 1;
    entry *e = malloc((p->n ? p->n : 1) * sizeof *e);
    uint64_t *ord = malloc(nd * sizeof *ord), *soff = malloc(nd * sizeof *soff),
             *newoff = malloc(nd * sizeof *newoff);
    if (!e || !ord || !soff || !newoff) {
        free(e), free(ord), free(soff), free(newoff);
        return NULL;
    }
    size_t k = 0; /* the distinct images by scratch offset, each not yet laid out */
    for (size_t i = 0; i < p->tabcap; i++)
        if (p->tab[i].used)
            soff[k++] = p->tab[i].off;
    qsort(soff, k, sizeof *soff, cmp_u64);
    for (size_t i = 0; i < k; i++)
        newoff[i] = UINT64_MAX;
    size_t ne = 0, no = 0;
    uint64_t pos = 0;
    for (size_t i = 0; i < p->n; i++) {
        const tile_rec *t = &p->t[i];
        uint64_t *hit = bsearch(&t->off, soff, k, sizeof *soff, cmp_u64);
        size_t j = (size_t)(hit - soff);
        if (newoff[j] == UINT64_MAX) { /* first use: the next place in the data */
            ord[no++] = t->off;
            newoff[j] = pos;
            pos += t->len;
        }
        if (ne && e[ne - 1].off == newoff[j] && e[ne - 1].id + e[ne - 1].run == t->id)
            e[ne - 1].run++;
        else
            e[ne++] = (entry){t->id, newoff[j], t->len, 1};
    }
    free(soff);
    free(newoff);
    *nent = ne;
    *order = ord;
    *norder = no;
    *data_len = pos;
    return e;
}

/* The root directory and the leaves: all entries in the root when header + root fit in
 * 16 KiB, else leaves of `per` entries (doubled until the root of leaf pointers fits). */
static sp_status directories(sp_ctx *ctx, struct libdeflate_compressor *c, const entry *e,
                             size_t n, size_t root_max, buf *root, buf *leaves)
{
    if (!directory(c, e, n, root))
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    if (127 + root->n <= root_max)
        return SP_OK;
    for (size_t per = n / 256 ? n / 256 : 1;; per *= 2) {
        size_t nl = (n + per - 1) / per;
        entry *ptr = malloc(nl * sizeof *ptr);
        buf one = {0};
        if (!ptr)
            return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
        leaves->n = 0;
        bool ok = true;
        for (size_t l = 0; l < nl && ok; l++) {
            size_t a = l * per, m = n - a < per ? n - a : per;
            ok = directory(c, e + a, m, &one);
            ptr[l] = (entry){e[a].id, leaves->n, (uint32_t)one.n, 0}; /* run 0: a leaf */
            put_bytes(leaves, one.b, one.n);
            ok = ok && !leaves->oom;
        }
        ok = ok && directory(c, ptr, nl, root);
        free(ptr);
        free(one.b);
        if (!ok)
            return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
        if (127 + root->n <= root_max)
            return SP_OK;
        if (nl == 1)
            return sp_error(ctx, SP_ERR_LIMIT, "the PMTiles root directory does not fit in "
                            "%zu bytes", root_max);
    }
}

static void header(uint8_t h[127], const sp_pmtiles *p, const buf *root, size_t meta_len,
                   const buf *leaves, uint64_t data_len, size_t nent, size_t ncontents)
{
    memset(h, 0, 127);
    memcpy(h, "PMTiles", 7);
    h[7] = 3;
    uint64_t off = 127;
    put_u64(h, 8, off);                 /* root directory */
    put_u64(h, 16, root->n);
    put_u64(h, 24, off += root->n);     /* metadata */
    put_u64(h, 32, meta_len);
    put_u64(h, 40, off += meta_len);    /* leaf directories */
    put_u64(h, 48, leaves->n);
    put_u64(h, 56, off += leaves->n);   /* tile data */
    put_u64(h, 64, data_len);
    put_u64(h, 72, p->n);               /* addressed tiles */
    put_u64(h, 80, nent);               /* tile entries */
    put_u64(h, 88, ncontents);          /* tile contents */
    h[96] = 1;                          /* clustered */
    h[97] = 2;                          /* internal compression: gzip */
    h[98] = 1;                          /* tile compression: none (PNG) */
    h[99] = 2;                          /* tile type: PNG */
    h[100] = (uint8_t)p->meta.minz;
    h[101] = (uint8_t)p->meta.maxz;
    put_i32(h, 102, (int32_t)lround(p->meta.west * 1e7));
    put_i32(h, 106, (int32_t)lround(p->meta.south * 1e7));
    put_i32(h, 110, (int32_t)lround(p->meta.east * 1e7));
    put_i32(h, 114, (int32_t)lround(p->meta.north * 1e7));
    h[118] = (uint8_t)(p->meta.minz + (p->meta.maxz - p->meta.minz) / 2);
    put_i32(h, 119, (int32_t)lround((p->meta.west + p->meta.east) / 2 * 1e7));
    put_i32(h, 123, (int32_t)lround((p->meta.south + p->meta.north) / 2 * 1e7));
}

/* A JSON string's content: quotes, backslashes and control characters escaped. */
static void put_json(buf *o, const char *s)
{
    for (; s && *s; s++) {
        unsigned char ch = (unsigned char)*s;
        char esc[8];
        if (ch == '"' || ch == '\\')
            snprintf(esc, sizeof esc, "\\%c", ch);
        else if (ch < 0x20)
            snprintf(esc, sizeof esc, "\\u%04x", ch);
        else
            esc[0] = (char)ch, esc[1] = 0;
        put_bytes(o, esc, strlen(esc));
    }
}

static bool metadata(struct libdeflate_compressor *c, const sp_pmtiles *p, buf *out)
{
    buf j = {0};
    /* crs: only for a grid that is not plain Web Mercator (a static string) */
    const char *k[4] = {"name", "description", "attribution", "crs"};
    const char *v[4] = {p->name ? p->name : "onemap", p->description, p->attribution,
                        p->meta.crs};
    put_bytes(&j, "{", 1);
    for (int i = 0; i < 4; i++) {
        if (i == 3 && !v[i])
            break;
        put_bytes(&j, "\"", 1);
        put_bytes(&j, k[i], strlen(k[i]));
        put_bytes(&j, "\":\"", 3);
        put_json(&j, v[i] ? v[i] : "");
        put_bytes(&j, "\",", 2);
    }
    const char *tail = "\"type\":\"overlay\",\"format\":\"png\",\"version\":\"1.0.0\"}";
    put_bytes(&j, tail, strlen(tail));
    bool ok = !j.oom && gzip_into(c, &j, out);
    free(j.b);
    return ok;
}

/* The archive: header, root, metadata, leaves, then each distinct image in layout order,
 * copied from the scratch file. */
static sp_status write_archive(sp_ctx *ctx, sp_pmtiles *p, long long *unique)
{
    size_t nent = 0, norder = 0;
    uint64_t *order = NULL, data_len = 0;
    entry *e = layout(p, &nent, &order, &norder, &data_len);
    struct libdeflate_compressor *c = libdeflate_alloc_compressor(9);
    buf root = {0}, leaves = {0}, meta = {0};
    FILE *fp = NULL;
    uint8_t *blob = NULL;
    sp_status rc = SP_OK;
    if (!e || !c) {
        rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
        goto done;
    }
    if (!nent) {
        rc = sp_error(ctx, SP_ERR_DATA, "no tiles to store: a PMTiles archive cannot be empty");
        goto done;
    }
    if ((rc = directories(ctx, c, e, nent, p->root_max, &root, &leaves)))
        goto done;
    if (!metadata(c, p, &meta)) {
        rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
        goto done;
    }
    uint8_t h[127];
    header(h, p, &root, meta.n, &leaves, data_len, nent, norder);
    if (!(fp = fopen(p->path, "wb"))) {
        rc = sp_error(ctx, SP_ERR_IO, "cannot create '%s': %s", p->path, strerror(errno));
        goto done;
    }
    bool ok = fwrite(h, 1, 127, fp) == 127 && fwrite(root.b, 1, root.n, fp) == root.n &&
              fwrite(meta.b, 1, meta.n, fp) == meta.n &&
              (!leaves.n || fwrite(leaves.b, 1, leaves.n, fp) == leaves.n);
    /* the images, each at its first use in tile-id order */
    size_t cap = 0;
    for (size_t i = 0, k = 0; ok && k < norder; i++) {
        if (p->t[i].off != order[k])
            continue;
        uint32_t len = p->t[i].len;
        if (len > cap) {
            uint8_t *nb = realloc(blob, len);
            ok = nb != NULL;
            if (!ok)
                break;
            blob = nb;
            cap = len;
        }
        ok = pread(p->fd, blob, len, (off_t)order[k]) == (ssize_t)len &&
             fwrite(blob, 1, len, fp) == len;
        k++;
    }
    if (fclose(fp) != 0 || !ok)
        rc = sp_error(ctx, SP_ERR_IO, "cannot write '%s': %s", p->path, strerror(errno));
    fp = NULL;
    if (!rc && unique)
        *unique = (long long)norder;
done:
    free(e);
    free(order);
    free(root.b);
    free(leaves.b);
    free(meta.b);
    free(blob);
    if (c)
        libdeflate_free_compressor(c);
    return rc;
}

void sp_pmtiles_set_root_max(sp_pmtiles *p, size_t bytes) { p->root_max = bytes; }

sp_status sp_pmtiles_close(sp_ctx *ctx, sp_pmtiles *p, long long *unique)
{
    sp_status rc = write_archive(ctx, p, unique);
    sp_pmtiles_abort(p); /* frees, and removes the scratch file */
    return rc;
}

void sp_pmtiles_abort(sp_pmtiles *p)
{
    if (!p)
        return;
    if (p->fd >= 0)
        close(p->fd);
    if (p->scratch)
        unlink(p->scratch);
    pthread_mutex_destroy(&p->lock);
    free(p->t);
    free(p->tab);
    free(p->path);
    free(p->scratch);
    free(p->name);
    free(p->description);
    free(p->attribution);
    free(p);
}
