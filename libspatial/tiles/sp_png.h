/* sp_png: PNG encoding of RGBA tiles into memory with libpng: an 8-bit palette image with
 * transparency (tRNS) when the tile has at most 256 colours, else 32-bit RGBA. No time
 * or text chunks, so the same pixels give the same bytes. */
#ifndef SP_PNG_H
#define SP_PNG_H

#include "core/sp_ctx.h"

#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint8_t *data;
    size_t size, cap;
} sp_buf;
/* Frees the buffer's data and zeroes it; accepts NULL. */
void sp_buf_free(sp_buf *b);

/* Encodes w x h straight (not premultiplied) RGBA pixels. level: zlib 0-9. On success
 * out holds the PNG (caller frees with sp_buf_free); *palette tells which kind. */
sp_status sp_png_encode(sp_ctx *ctx, const uint8_t *rgba, int w, int h, int level,
                        sp_buf *out, bool *palette);

/* A palette-PNG encoder for one thread at a time: libdeflate's compressor at level 0-9
 * and scratch buffers, reused from tile to tile. NULL when out of memory. */
typedef struct sp_png_encoder sp_png_encoder;
/* A reusable PNG encoder at DEFLATE level 0-9 (libdeflate); NULL when out of memory. One
 * per thread. */
sp_png_encoder *sp_png_encoder_new(int level);
/* Frees the encoder; accepts NULL. */
void sp_png_encoder_free(sp_png_encoder *e);

/* Encodes w x h palette indices whose colours are colors[index] (straight RGBA) as a
 * palette PNG (1, 2, 4 or 8 bits as the number of colours allows, tRNS for alpha): the
 * colours used, in index order, one entry per distinct colour; the image data compressed
 * by libdeflate. */
sp_status sp_png_encode_indexed(sp_ctx *ctx, sp_png_encoder *e, const uint8_t *idx,
                                const uint8_t (*colors)[4], int w, int h, sp_buf *out);

/* Decodes a PNG (any kind libpng reads) to RGBA; *rgba is malloc'd. For tests. */
sp_status sp_png_decode(sp_ctx *ctx, const uint8_t *png, size_t size, uint8_t **rgba,
                        int *w, int *h);

#endif
