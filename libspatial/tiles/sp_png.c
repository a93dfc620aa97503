/* sp_png: tile PNGs through libpng (the reference PNG library: CRCs, zlib streams and
 * chunk order are its business, not ours). Palette detection uses a small open-addressing
 * hash of the tile's colours; fully transparent pixels share one palette entry. */
#include "tiles/sp_png.h"

#include <libdeflate.h>
#include <png.h>
#include <stdlib.h>
#include <string.h>

void sp_buf_free(sp_buf *b)
{
    if (!b)
        return;
    free(b->data);
    memset(b, 0, sizeof *b);
}

static void write_fn(png_structp p, png_bytep data, png_size_t n)
{
    sp_buf *b = png_get_io_ptr(p);
    if (b->size + n > b->cap) {
        size_t cap = b->cap ? b->cap : 16384;
        while (cap < b->size + n)
            cap *= 2;
        uint8_t *d = realloc(b->data, cap);
        if (!d)
            png_error(p, "out of memory");
        b->data = d;
        b->cap = cap;
    }
    memcpy(b->data + b->size, data, n);
    b->size += n;
}

static void flush_fn(png_structp p)
{
    (void)p;
}

/* Palette of at most 256 colours in first-seen order: an open-addressing hash of colour
 * keys (fully transparent pixels are key 0). */
typedef struct {
    uint32_t keys[1024];
    int16_t slot[1024];
    uint32_t *pal;
    int n;
} palette;

static void palette_init(palette *p, uint32_t *pal)
{
    memset(p->slot, -1, sizeof p->slot);
    p->pal = pal;
    p->n = 0;
}

static inline uint32_t color_key(const uint8_t *c)
{
    return c[3] ? (uint32_t)c[0] | (uint32_t)c[1] << 8 | (uint32_t)c[2] << 16 |
                      (uint32_t)c[3] << 24
                : 0;
}

/* the slot of colour key c (added when new); -1 when the palette is full */
static int palette_slot(palette *p, uint32_t c)
{
    uint32_t h = (c * 2654435761u) >> 22;
    while (p->slot[h] >= 0 && p->keys[h] != c)
        h = (h + 1) & 1023;
    if (p->slot[h] < 0) {
        if (p->n == 256)
            return -1;
        p->keys[h] = c;
        p->slot[h] = (int16_t)p->n;
        p->pal[p->n++] = c;
    }
    return p->slot[h];
}

/* the index of each pixel; false when the tile has more than 256 colours */
static bool make_palette(const uint8_t *rgba, size_t npx, uint32_t *pal, int *npal,
                         uint8_t *idx)
{
    palette p;
    palette_init(&p, pal);
    uint32_t last = 0;
    int last_i = -1;
    for (size_t i = 0; i < npx; i++) {
        uint32_t c = color_key(rgba + 4 * i);
        if (last_i >= 0 && c == last) { /* runs are common */
            idx[i] = (uint8_t)last_i;
            continue;
        }
        int k = palette_slot(&p, c);
        if (k < 0)
            return false;
        idx[i] = (uint8_t)k;
        last = c;
        last_i = k;
    }
    *npal = p.n;
    return true;
}

/* The libpng part (its own function: setjmp and the caller's locals do not mix). */
static bool encode(const uint8_t *rgba, const uint8_t *idx, const uint32_t *pal, int npal,
                   int w, int h, int level, sp_buf *out)
{
    png_structp p = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = p ? png_create_info_struct(p) : NULL;
    if (!info) {
        png_destroy_write_struct(&p, NULL);
        return false;
    }
    if (setjmp(png_jmpbuf(p))) {
        png_destroy_write_struct(&p, &info);
        return false;
    }
    png_set_write_fn(p, out, write_fn, flush_fn);
    png_set_compression_level(p, level);
    if (idx) {
        png_color colors[256];
        png_byte alpha[256];
        int ntrns = 0;
        for (int i = 0; i < npal; i++) {
            colors[i].red = pal[i] & 255;
            colors[i].green = (pal[i] >> 8) & 255;
            colors[i].blue = (pal[i] >> 16) & 255;
            alpha[i] = pal[i] >> 24;
            if (alpha[i] != 255)
                ntrns = i + 1;
        }
        int depth = npal <= 2 ? 1 : npal <= 4 ? 2 : npal <= 16 ? 4 : 8;
        png_set_IHDR(p, info, (png_uint_32)w, (png_uint_32)h, depth, PNG_COLOR_TYPE_PALETTE,
                     PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
        png_set_PLTE(p, info, colors, npal);
        if (ntrns)
            png_set_tRNS(p, info, alpha, ntrns, NULL);
        png_set_filter(p, 0, PNG_FILTER_NONE); /* indices do not predict well */
        png_write_info(p, info);
        if (depth < 8)
            png_set_packing(p);
        for (int y = 0; y < h; y++)
            png_write_row(p, idx + (size_t)y * w);
    } else {
        png_set_IHDR(p, info, (png_uint_32)w, (png_uint_32)h, 8, PNG_COLOR_TYPE_RGBA,
                     PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
        png_set_filter(p, 0, PNG_FILTER_SUB | PNG_FILTER_UP);
        png_write_info(p, info);
        for (int y = 0; y < h; y++)
            png_write_row(p, (png_const_bytep)(rgba + (size_t)y * w * 4));
    }
    png_write_end(p, NULL);
    png_destroy_write_struct(&p, &info);
    return true;
}

sp_status sp_png_encode(sp_ctx *ctx, const uint8_t *rgba, int w, int h, int level,
                        sp_buf *out, bool *palette)
{
    memset(out, 0, sizeof *out);
    size_t npx = (size_t)w * h;
    uint8_t *idx = malloc(npx);
    uint32_t pal[256];
    int npal = 0;
    if (!idx)
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    *palette = make_palette(rgba, npx, pal, &npal, idx);
    bool ok = encode(rgba, *palette ? idx : NULL, pal, npal, w, h, level, out);
    free(idx);
    if (!ok) {
        sp_buf_free(out);
        return sp_error(ctx, SP_ERR_NOMEM, "PNG encoding failed (out of memory?)");
    }
    return SP_OK;
}

/* Palette tiles are the hot path of sp-tiles: there the PNG container is written here
 * and the image data compressed with libdeflate (Debian's libdeflate, the fast
 * whole-buffer DEFLATE library that GDAL also uses). Measured on the benchmark's 10,063
 * palette tiles: zlib level 3 through libpng spent ~1.9 s of CPU; see sp_png_encoder_new. */
struct sp_png_encoder {
    struct libdeflate_compressor *c;
    uint8_t *raw, *z; /* filtered scanlines; compressed data */
    size_t raw_cap, z_cap;
};

sp_png_encoder *sp_png_encoder_new(int level)
{
    sp_png_encoder *e = calloc(1, sizeof *e);
    if (!e)
        return NULL;
    /* zlib's 0-9 scale onto libdeflate's: 0 stores, 1-9 the same numbers */
    e->c = libdeflate_alloc_compressor(level < 0 ? 0 : level > 9 ? 9 : level);
    if (!e->c) {
        free(e);
        return NULL;
    }
    return e;
}

void sp_png_encoder_free(sp_png_encoder *e)
{
    if (!e)
        return;
    libdeflate_free_compressor(e->c);
    free(e->raw);
    free(e->z);
    free(e);
}

static bool grow(uint8_t **p, size_t *cap, size_t n)
{
    if (*cap >= n)
        return true;
    uint8_t *q = realloc(*p, n);
    if (!q)
        return false;
    *p = q;
    *cap = n;
    return true;
}

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

/* one chunk: length, type, data, CRC-32 of type and data */
static bool chunk(sp_buf *b, const char *type, const uint8_t *data, size_t n)
{
    if (!grow(&b->data, &b->cap, b->size + n + 12))
        return false;
    uint8_t *p = b->data + b->size;
    put32(p, (uint32_t)n);
    memcpy(p + 4, type, 4);
    if (n)
        memcpy(p + 8, data, n);
    put32(p + 8 + n, libdeflate_crc32(0, p + 4, n + 4));
    b->size += n + 12;
    return true;
}

/* a row of indices, each map[src[x]] (< 2^depth), packed depth bits each, leftmost pixel
 * in the high bits, the last byte padded with zeros (inlined with constant depth) */
static inline void pack(const uint8_t *src, const uint8_t *map, int w, int depth,
                        uint8_t *dst)
{
    int per = 8 / depth;
    for (int x = 0; x < w; x += per) {
        unsigned b = 0;
        for (int k = 0; k < per; k++)
            b = b << depth | (x + k < w ? map[src[x + k]] : 0u);
        *dst++ = (uint8_t)b;
    }
}

/* the PNG of palette indices map[idx[i]] (w x h, each < npal): mapped while the rows are
 * laid out, in one pass */
static bool write_palette_png(sp_png_encoder *e, const uint8_t *idx, const uint8_t *map,
                              const uint32_t *pal, int npal, int w, int h, sp_buf *out)
{
    int depth = npal <= 2 ? 1 : npal <= 4 ? 2 : npal <= 16 ? 4 : 8;
    size_t stride = ((size_t)w * depth + 7) / 8 + 1; /* filter byte 0 (none): indices do
                                                        * not predict well */
    if (!grow(&e->raw, &e->raw_cap, stride * h))
        return false;
    for (int y = 0; y < h; y++) {
        uint8_t *row = e->raw + stride * y;
        const uint8_t *src = idx + (size_t)y * w;
        if (y && !memcmp(src, src - w, (size_t)w)) { /* zoomed in, rows repeat */
            memcpy(row, row - stride, stride);
            continue;
        }
        row[0] = 0;
        if (depth == 8) {
            for (int x = 0; x < w; x++)
                row[1 + x] = map[src[x]];
            continue;
        }
        if (depth == 4)
            pack(src, map, w, 4, row + 1);
        else if (depth == 2)
            pack(src, map, w, 2, row + 1);
        else
            pack(src, map, w, 1, row + 1);
    }
    size_t bound = libdeflate_zlib_compress_bound(e->c, stride * h);
    if (!grow(&e->z, &e->z_cap, bound))
        return false;
    size_t zn = libdeflate_zlib_compress(e->c, e->raw, stride * h, e->z, bound);
    if (!zn)
        return false;
    static const uint8_t sig[8] = {137, 80, 78, 71, 13, 10, 26, 10};
    uint8_t ihdr[13], plte[768], trns[256];
    put32(ihdr, (uint32_t)w);
    put32(ihdr + 4, (uint32_t)h);
    ihdr[8] = (uint8_t)depth;
    ihdr[9] = 3; /* palette */
    ihdr[10] = ihdr[11] = ihdr[12] = 0;
    int ntrns = 0;
    for (int i = 0; i < npal; i++) {
        plte[3 * i] = pal[i] & 255;
        plte[3 * i + 1] = (pal[i] >> 8) & 255;
        plte[3 * i + 2] = (pal[i] >> 16) & 255;
        trns[i] = (uint8_t)(pal[i] >> 24);
        if (trns[i] != 255)
            ntrns = i + 1;
    }
    if (!grow(&out->data, &out->cap, 8 + 25 + 12 + 3 * (size_t)npal + 12 + ntrns + 12 + zn + 12))
        return false;
    memcpy(out->data, sig, 8);
    out->size = 8;
    return chunk(out, "IHDR", ihdr, 13) && chunk(out, "PLTE", plte, 3 * (size_t)npal) &&
           (!ntrns || chunk(out, "tRNS", trns, ntrns)) && chunk(out, "IDAT", e->z, zn) &&
           chunk(out, "IEND", NULL, 0);
}

sp_status sp_png_encode_indexed(sp_ctx *ctx, sp_png_encoder *e, const uint8_t *in,
                                const uint8_t (*colors)[4], int w, int h, sp_buf *out)
{
    memset(out, 0, sizeof *out);
    /* the palette: the colours of the indices used, in index order, indices of the same
     * colour (e.g. two fully transparent ones) sharing an entry */
    uint8_t used[256] = {0};
    for (size_t y = 0; y < (size_t)h; y++) {
        const uint8_t *row = in + y * w;
        if (y && !memcmp(row, row - w, (size_t)w)) /* zoomed in, rows repeat */
            continue;
        for (int x = 0; x < w; x++)
            used[row[x]] = 1;
    }
    uint32_t pal[256];
    palette p;
    palette_init(&p, pal);
    uint8_t map[256] = {0};
    for (int k = 0; k < 256; k++)
        if (used[k])
            map[k] = (uint8_t)palette_slot(&p, color_key(colors[k]));
    bool ok = write_palette_png(e, in, map, pal, p.n, w, h, out);
    if (!ok) {
        sp_buf_free(out);
        return sp_error(ctx, SP_ERR_NOMEM, "PNG encoding failed (out of memory?)");
    }
    return SP_OK;
}

typedef struct {
    const uint8_t *d;
    size_t n, pos;
} reader;

static void read_fn(png_structp p, png_bytep data, png_size_t n)
{
    reader *r = png_get_io_ptr(p);
    if (r->pos + n > r->n)
        png_error(p, "truncated PNG");
    memcpy(data, r->d + r->pos, n);
    r->pos += n;
}

sp_status sp_png_decode(sp_ctx *ctx, const uint8_t *png, size_t size, uint8_t **rgba,
                        int *w, int *h)
{
    *rgba = NULL;
    reader r = {png, size, 0};
    png_structp p = png_create_read_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = p ? png_create_info_struct(p) : NULL;
    uint8_t *volatile px = NULL;
    if (!info) {
        png_destroy_read_struct(&p, NULL, NULL);
        return sp_error(ctx, SP_ERR_NOMEM, "cannot start a PNG decoder");
    }
    if (setjmp(png_jmpbuf(p))) {
        png_destroy_read_struct(&p, &info, NULL);
        free(px);
        return sp_error(ctx, SP_ERR_DATA, "not a readable PNG");
    }
    png_set_read_fn(p, &r, read_fn);
    png_read_info(p, info);
    png_set_expand(p);
    png_set_strip_16(p);
    png_set_gray_to_rgb(p);
    png_set_add_alpha(p, 0xff, PNG_FILLER_AFTER);
    png_read_update_info(p, info);
    *w = (int)png_get_image_width(p, info);
    *h = (int)png_get_image_height(p, info);
    px = malloc((size_t)*w * *h * 4);
    if (!px)
        png_error(p, "out of memory");
    for (int y = 0; y < *h; y++)
        png_read_row(p, px + (size_t)y * *w * 4, NULL);
    png_read_end(p, NULL);
    png_destroy_read_struct(&p, &info, NULL);
    *rgba = px;
    return SP_OK;
}
