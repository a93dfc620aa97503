/* sp_png: tile PNGs through libpng (the reference PNG library: CRCs, zlib streams and
 * chunk order are its business, not ours). Palette detection uses a small open-addressing
 * hash of the tile's colours; fully transparent pixels share one palette entry. */
#include "sp_png.h"

#include <png.h>
#include <stdlib.h>
#include <string.h>

void sp_buf_free(sp_buf *b)
{
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

/* Palette of at most 256 colours in first-seen order and the index of each pixel; false
 * when the tile has more colours. */
static bool make_palette(const uint8_t *rgba, size_t npx, uint32_t *pal, int *npal,
                         uint8_t *idx)
{
    uint32_t keys[1024];
    int16_t slot[1024];
    memset(slot, -1, sizeof slot);
    int n = 0;
    uint32_t last = 0;
    int last_i = -1;
    for (size_t i = 0; i < npx; i++) {
        const uint8_t *p = rgba + 4 * i;
        uint32_t c = p[3] ? (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
                                (uint32_t)p[3] << 24
                          : 0;
        if (last_i >= 0 && c == last) { /* runs are common */
            idx[i] = (uint8_t)last_i;
            continue;
        }
        uint32_t h = (c * 2654435761u) >> 22;
        while (slot[h] >= 0 && keys[h] != c)
            h = (h + 1) & 1023;
        if (slot[h] < 0) {
            if (n == 256)
                return false;
            keys[h] = c;
            slot[h] = (int16_t)n;
            pal[n++] = c;
        }
        idx[i] = (uint8_t)slot[h];
        last = c;
        last_i = slot[h];
    }
    *npal = n;
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
