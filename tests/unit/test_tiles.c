/* Unit tests of sp_tile, sp_style, sp_png, sp_render and sp_mbtiles: known tiles and the
 * TMS flip, gdal2tiles' zoom rule, style parsing and colours against gdaldem color-relief
 * run on the same file, the palette lookup table's error, PNG round trips (palette, packed
 * palette and RGBA), raster tiles drawn with and without the per-cell colour index, and
 * MBTiles deduplication. */
#include "check.h"
#include "tiles/sp_mbtiles.h"
#include "tiles/sp_png.h"
#include "tiles/sp_render.h"
#include "io/sp_page.h"
#include "tiles/sp_style.h"
#include "core/sp_tile.h"
#include "tiles/sp_tiles_sink.h"
#include "tiles/sp_pmtiles.h"
#include "tiles/sp_tiles_plan.h"
#include "io/sp_ctx_io.h"

#include <gdal.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void test_tile_math(void)
{
    int x, y;
    /* the tile of 116.45E 39.95N at z13 is x=6745, y=3102 (TMS row 5089) */
    sp_tile_of_lonlat(116.45, 39.95, 13, &x, &y);
    CHECK(x == 6745 && y == 3102);
    CHECK(sp_tile_tms_row(13, 3102) == 5089);
    CHECK(sp_tile_tms_row(13, 5089) == 3102);
    CHECK(sp_tile_tms_row(0, 0) == 0);
    sp_tile_of_lonlat(0, 0, 1, &x, &y); /* on the corner of four tiles: east/south */
    CHECK(x == 1 && y == 1);
    sp_tile_of_lonlat(-180, 85.0511287798, 2, &x, &y);
    CHECK(x == 0 && y == 0);
    sp_tile_of_lonlat(180, -89, 2, &x, &y); /* clamped */
    CHECK(x == 3 && y == 3);
    double a, b, c, d;
    sp_tile_bounds(0, 0, 0, &a, &b, &c, &d);
    CHECK_REL(a, -20037508.342789244, 1e-15);
    CHECK_REL(d, 20037508.342789244, 1e-15);
    sp_tile_bounds(13, 6745, 3102, &a, &b, &c, &d);
    double mx, my;
    sp_merc_from_lonlat(116.45, 39.95, &mx, &my);
    CHECK(a <= mx && mx < c && b < my && my <= d);
    CHECK_REL(c - a, 2 * 20037508.342789244 / 8192, 1e-12);
    double lon, lat;
    sp_merc_to_lonlat(mx, my, &lon, &lat);
    CHECK_REL(lon, 116.45, 1e-12);
    CHECK_REL(lat, 39.95, 1e-12);
    CHECK_REL(sp_tile_resolution(0), 156543.03392804097, 1e-12);
    /* gdal2tiles: the zoom before the first finer than the pixel size */
    CHECK(sp_tile_zoom_for_pixel(130) == 10);
    CHECK(sp_tile_zoom_for_pixel(13.05) == 13);
    CHECK(sp_tile_zoom_for_pixel(1e7) == 0);
    int x0, y0, x1, y1;
    sp_tile_bounds(5, 10, 12, &a, &b, &c, &d);
    sp_tile_range(a, b, c, d, 5, &x0, &y0, &x1, &y1); /* exactly one tile */
    CHECK(x0 == 10 && x1 == 10 && y0 == 12 && y1 == 12);
    sp_tile_range(a, b, c, d, 6, &x0, &y0, &x1, &y1);
    CHECK(x0 == 20 && x1 == 21 && y0 == 24 && y1 == 25);
}

/* Tianditu's CGCS2000 "c" grid, against numbers worked by hand: tiles of 360/2^z
 * degrees from 180 W, 90 N; 116.45E 39.95N at level 13 (0.0439453125 degree tiles):
 * x = floor(296.45 / 0.0439453125) = 6745, y = floor(50.05 / 0.0439453125) = 1138 */
static void test_tiling_cgcs2000(void)
{
    sp_tiling t;
    CHECK(sp_tiling_parse("cgcs2000", &t) && t == SP_TILING_CGCS2000);
    CHECK(sp_tiling_parse("EPSG:3857", &t) && t == SP_TILING_WEBMERCATOR);
    CHECK(!sp_tiling_parse("tianditu", &t));
    CHECK(sp_tiling_epsg(SP_TILING_CGCS2000) == 4490 && sp_tiling_minz(SP_TILING_CGCS2000) == 1);
    int x, y;
    sp_tiling_tile_of(SP_TILING_CGCS2000, 116.45, 39.95, 13, &x, &y);
    CHECK(x == 6745 && y == 1138);
    double a, b, c, d;
    sp_tiling_bounds(SP_TILING_CGCS2000, 13, 6745, 1138, &a, &b, &c, &d);
    CHECK_REL(a, -180 + 6745 * 0.0439453125, 1e-14);
    CHECK_REL(c - a, 0.0439453125, 1e-12);
    CHECK_REL(d, 90 - 1138 * 0.0439453125, 1e-14);
    CHECK(a <= 116.45 && 116.45 < c && b < 39.95 && 39.95 <= d);
    double cols, rows; /* level 1: two tiles of 180 degrees */
    sp_tiling_counts(SP_TILING_CGCS2000, 1, &cols, &rows);
    CHECK(cols == 2 && rows == 1);
    sp_tiling_tile_of(SP_TILING_CGCS2000, 179, -89, 1, &x, &y);
    CHECK(x == 1 && y == 0); /* clamped to the one row */
    CHECK_REL(sp_tiling_resolution(SP_TILING_CGCS2000, 1), 0.703125, 1e-15);
    /* OGC 0.28 mm pixels: 0.703125 deg x (2 pi 6378137 / 360) m/deg / 0.00028 */
    CHECK_REL(sp_tiling_scale_denominator(SP_TILING_CGCS2000, 1), 279541132.0143589, 1e-9);
    CHECK_REL(sp_tiling_scale_denominator(SP_TILING_WEBMERCATOR, 0), 559082264.0287178, 1e-12);
    /* a pixel of 0.001 deg: level 10 has 0.00137 deg per pixel, level 11 0.00069 (the
     * first finer one), so 10 */
    CHECK(sp_tiling_zoom_for_pixel(SP_TILING_CGCS2000, 0.001) == 10);
    CHECK(sp_tiling_zoom_for_pixel(SP_TILING_CGCS2000, 5) == 1); /* never below level 1 */
    int x0, y0, x1, y1;
    sp_tiling_range(SP_TILING_CGCS2000, a, b, c, d, 14, &x0, &y0, &x1, &y1);
    CHECK(x0 == 13490 && x1 == 13491 && y0 == 2276 && y1 == 2277);
}

/* Baidu's tiles: Tian'an Men (BD-09 116.404 39.915: 12958175, 4825923.77 in Baidu's
 * Mercator) is tile 3, 1 at level 4 and 50617, 18851 at level 18, as the leaflet-baidu
 * README gives them (12958175 / 256 = 50617.9; 4825923.77 / 256 = 18851.3; at level 4
 * pixels are 2^14 m: 790.9 / 256, 294.5 / 256). Rows grow northward, numbers go negative
 * west and south of (0, 0). */
static void test_tiling_bd09(void)
{
    sp_tiling t;
    CHECK(sp_tiling_parse("bd09", &t) && t == SP_TILING_BD09 && sp_tiling_y_up(t));
    CHECK(!sp_tiling_y_up(SP_TILING_WEBMERCATOR) && !sp_tiling_y_up(SP_TILING_CGCS2000));
    int x, y;
    double mx, my;
    sp_tiling_from_lonlat(SP_TILING_BD09, 116.404, 39.915, &mx, &my);
    sp_tiling_tile_of(SP_TILING_BD09, mx, my, 4, &x, &y);
    CHECK(x == 3 && y == 1);
    sp_tiling_tile_of(SP_TILING_BD09, mx, my, 18, &x, &y);
    CHECK(x == 50617 && y == 18851);
    CHECK(sp_tiling_resolution(SP_TILING_BD09, 18) == 1 && sp_tiling_resolution(SP_TILING_BD09, 4) == 16384);
    double a, b, c, d;
    sp_tiling_bounds(SP_TILING_BD09, 18, 50617, 18851, &a, &b, &c, &d);
    CHECK(a == 50617 * 256.0 && c == 50618 * 256.0 && b == 18851 * 256.0 && d == 18852 * 256.0);
    int x0, y0, x1, y1; /* a box about (0, 0) at level 18 (256 m tiles) */
    sp_tiling_range(SP_TILING_BD09, -1000, -300, 1000, 512, 18, &x0, &y0, &x1, &y1);
    CHECK(x0 == -4 && x1 == 3 && y0 == -2 && y1 == 1);
    sp_tiling_tile_of(SP_TILING_BD09, -1, -1, 18, &x, &y);
    CHECK(x == -1 && y == -1);
    double lon, lat;
    sp_tiling_to_lonlat(SP_TILING_BD09, mx, my, &lon, &lat);
    CHECK(fabs(lon - 116.404) < 1e-6 && fabs(lat - 39.915) < 1e-6);
}

static const char *STYLE =
    "# a test ramp\n"
    "# title: test\n# unit: t/km2\n"
    "nv 1 2 3 0\n"
    "0 0 0 255\n"
    "10,255,0,0,128\n"
    "50%\t0 255 0\n"
    "100:0:0:255:255\n";

static void test_style_parse(sp_ctx *ctx)
{
    sp_style *s = NULL;
    CHECK(sp_style_parse(ctx, STYLE, "t.txt", &s) == SP_OK);
    if (!s)
        return;
    CHECK(s->n == 4 && s->has_nv && s->nv[3] == 0 && s->nv[0] == 1);
    CHECK_STR(s->title, "test");
    CHECK_STR(s->unit, "t/km2");
    CHECK(sp_style_has_pct(s));
    sp_style_resolve(s, 0, 200); /* 50% of 0-200 = 100... and the "100" entry */
    CHECK(s->e[0].value == 0 && s->e[1].value == 10 && s->e[2].value == 100);
    /* a percentage of a range that does not start at 0: 50 % of 100-300 is 200 */
    sp_style *s2 = NULL;
    CHECK(sp_style_parse(ctx, "0% 0 0 0\n50% 255 0 0\n100% 0 0 255\n", "p.txt", &s2) == SP_OK);
    if (s2) {
        sp_style_resolve(s2, 100, 300);
        CHECK(s2->e[0].value == 100 && s2->e[1].value == 200 && s2->e[2].value == 300);
        sp_style_free(s2);
    }
    uint8_t c[4];
    sp_style_color(s, 5, false, c); /* halfway 0 0 255 255 -> 255 0 0 128 */
    CHECK(c[0] == 127 && c[1] == 0 && c[2] == 127 && c[3] == 191);
    sp_style_color(s, -5, false, c);
    CHECK(c[0] == 0 && c[2] == 255 && c[3] == 255);
    sp_style_color(s, 1000, false, c);
    CHECK(c[2] == 255 && c[3] == 255);
    sp_style_color(s, 0, true, c);
    CHECK(c[0] == 1 && c[1] == 2 && c[2] == 3 && c[3] == 0);
    s->mode = SP_STYLE_EXACT;
    sp_style_color(s, 5, false, c);
    CHECK(c[3] == 0);
    sp_style_color(s, 10, false, c);
    CHECK(c[0] == 255 && c[3] == 128);
    s->mode = SP_STYLE_NEAREST;
    sp_style_color(s, 7, false, c);
    CHECK(c[0] == 255);
    sp_style_free(s);

    static const struct { const char *text, *msg; } bad[] = {
        {"0 0 0\n", "t.txt:1: want 'VALUE R G B [A]'"},
        {"0 0 0 0\nten 1 2 3\n", "t.txt:2: 'ten' is not a value"},
        {"0 0 0 256\n", "t.txt:1: colour '256' is not a whole number from 0 to 255"},
        {"white 255 255 255\n", "colour names are not supported"},
        {"# only comments\n", "t.txt: no colour entries"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        sp_style *b = NULL;
        CHECK(sp_style_parse(ctx, bad[i].text, "t.txt", &b) == SP_ERR_DATA && !b);
        CHECK_HAS(sp_ctx_message(ctx), bad[i].msg);
    }
    double w;
    uint8_t rgba[4];
    CHECK(sp_style_outline_parse(ctx, "# c\nwidth 2.5\ncolor 1 2 3\n", "o", &w, rgba) == SP_OK);
    CHECK(w == 2.5 && rgba[0] == 1 && rgba[2] == 3 && rgba[3] == 255);
    CHECK(sp_style_outline_parse(ctx, "colour 1 2 3\n", "o", &w, rgba) == SP_ERR_DATA);
    CHECK_HAS(sp_ctx_message(ctx), "o:1: want 'width PX'");
}

/* Our colours against gdaldem color-relief -alpha on the same style and values. */
static void test_style_vs_gdaldem(sp_ctx *ctx)
{
    const char *style = "/tmp/sp_test_style.txt", *in = "/tmp/sp_test_vals.tif",
               *out = "/tmp/sp_test_rgba.tif";
    FILE *fp = fopen(style, "w");
    fputs("# log-like ramp with a nodata colour\nnv 9 9 9 0\n0 255 255 178 0\n1 255 255 178 200\n"
          "3 254 217 118 210\n10 254 178 76 215\n30 253 141 60 220\n100 252 78 42 225\n"
          "300 227 26 28 230\n1000 177 0 38 235\n", fp);
    fclose(fp);
    GDALAllRegister();
    GDALDatasetH ds = GDALCreate(GDALGetDriverByName("GTiff"), in, 64, 64, 1, GDT_Float32, NULL);
    double gt[6] = {0, 1, 0, 0, 0, -1};
    GDALSetGeoTransform(ds, gt);
    GDALRasterBandH b = GDALGetRasterBand(ds, 1);
    GDALSetRasterNoDataValue(b, -9999);
    float v[64 * 64];
    srand(5);
    for (int i = 0; i < 64 * 64; i++)
        v[i] = i % 97 == 0 ? -9999 : (float)(exp((rand() / (double)RAND_MAX) * 8 - 1) - 0.5);
    CHECK(GDALRasterIO(b, GF_Write, 0, 0, 64, 64, v, 64, 64, GDT_Float32, 0, 0) == CE_None);
    GDALClose(ds);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "gdaldem color-relief -q -alpha %s %s %s", in, style, out);
    CHECK(system(cmd) == 0);
    ds = GDALOpen(out, GA_ReadOnly);
    CHECK(ds != NULL);
    if (!ds)
        return;
    uint8_t px[4][64 * 64];
    for (int k = 0; k < 4; k++)
        CHECK(GDALRasterIO(GDALGetRasterBand(ds, k + 1), GF_Read, 0, 0, 64, 64, px[k], 64, 64,
                     GDT_Byte, 0, 0) == CE_None);
    GDALClose(ds);
    sp_style *s = NULL;
    CHECK(sp_style_read(ctx, style, &s) == SP_OK);
    sp_style_resolve(s, 0, 1);
    int diff = 0, lutdiff = 0;
    sp_style_lut lut;
    sp_style_lut_build(s, &lut);
    CHECK(lut.n <= 256);
    for (int i = 0; i < 64 * 64; i++) {
        uint8_t c[4];
        bool nd = v[i] == -9999;
        sp_style_color(s, v[i], nd, c);
        for (int k = 0; k < 4; k++)
            diff += c[k] != px[k][i];
        const uint8_t *l = lut.rgba[sp_style_lut_index(&lut, v[i], nd)];
        for (int k = 0; k < 4; k++)
            lutdiff = abs(l[k] - px[k][i]) > lutdiff ? abs(l[k] - px[k][i]) : lutdiff;
    }
    CHECK(diff == 0); /* the same colours as gdaldem, channel for channel */
    if (diff)
        fprintf(stderr, "  %d channel values differ from gdaldem\n", diff);
    CHECK(lutdiff <= 2); /* the palette table is within 2 of the exact colour */
    sp_style_free(s);
    unlink(style);
    unlink(in);
    unlink(out);
}

static void test_png(sp_ctx *ctx)
{
    uint8_t *img = malloc(256 * 256 * 4), *back = NULL;
    for (int i = 0; i < 256 * 256; i++) { /* 3 colours and transparent */
        uint8_t *p = img + 4 * i;
        int k = (i / 256) % 4;
        p[0] = (uint8_t)(k * 60);
        p[1] = 10;
        p[2] = 200;
        p[3] = k == 3 ? 0 : 255;
        if (k == 3)
            p[0] = p[1] = p[2] = 0;
    }
    sp_buf png;
    bool pal;
    CHECK(sp_png_encode(ctx, img, 256, 256, 6, &png, &pal) == SP_OK && pal);
    CHECK(png.size > 8 && !memcmp(png.data, "\x89PNG", 4));
    int w, h;
    CHECK(sp_png_decode(ctx, png.data, png.size, &back, &w, &h) == SP_OK && w == 256 && h == 256);
    CHECK(back && !memcmp(back, img, 256 * 256 * 4));
    sp_buf png2;
    CHECK(sp_png_encode(ctx, img, 256, 256, 6, &png2, &pal) == SP_OK);
    CHECK(png2.size == png.size && !memcmp(png2.data, png.data, png.size)); /* same bytes */
    sp_buf_free(&png2);
    free(back);
    back = NULL;
    for (int i = 0; i < 256 * 256; i++) /* a gradient: > 256 colours -> RGBA */
        img[4 * i] = (uint8_t)i, img[4 * i + 1] = (uint8_t)(i >> 8), img[4 * i + 3] = 255;
    sp_buf_free(&png);
    CHECK(sp_png_encode(ctx, img, 256, 256, 1, &png, &pal) == SP_OK && !pal);
    CHECK(sp_png_decode(ctx, png.data, png.size, &back, &w, &h) == SP_OK);
    CHECK(back && !memcmp(back, img, 256 * 256 * 4));
    sp_buf_free(&png);
    free(back);
    free(img);
}

/* palette indices straight to PNG: every bit depth, an odd width (padded rows), two
 * indices of one colour sharing a palette entry; decoded by libpng */
static void test_png_indexed(sp_ctx *ctx)
{
    uint8_t colors[256][4] = {{0}};
    for (int k = 1; k < 256; k++) {
        colors[k][0] = (uint8_t)k;
        colors[k][1] = (uint8_t)(255 - k);
        colors[k][2] = 7;
        colors[k][3] = (uint8_t)(k % 3 ? 255 : 128);
    }
    memcpy(colors[9], colors[8], 4); /* same colour as 8 */
    colors[5][3] = 0;                /* transparent, like index 0 */
    sp_png_encoder *e = sp_png_encoder_new(1);
    CHECK(e != NULL);
    int ncol[] = {2, 4, 16, 200}, depth[] = {1, 2, 4, 8};
    for (int t = 0; t < 4; t++) {
        int w = 13, h = 5; /* 13 px: 2, 4 and 8 pixels per byte all leave padding */
        uint8_t idx[13 * 5], want[13 * 5 * 4];
        /* ncol distinct colours: indices 0 and 5 (both transparent) count as one, 8 and 9 too */
        static const uint8_t pool[] = {0, 5, 8, 9, 1, 2, 3, 4, 6, 7, 10, 11, 12, 13, 14, 15,
                                       16, 17};
        int used = 0;
        for (int i = 0; i < w * h; i++) {
            int k;
            if (t == 0)
                k = pool[i % 4]; /* 0/5 and 8/9: 2 colours */
            else if (t == 1)
                k = pool[i % 5]; /* + 1: 3 colours */
            else if (t == 2)
                k = pool[i % 18]; /* 16 colours */
            else
                k = 20 + i % 200 / 2 * 2; /* many */
            idx[i] = (uint8_t)k;
            memcpy(want + 4 * i, colors[k], 4);
            if (!colors[k][3])
                memset(want + 4 * i, 0, 4);
            used |= k;
        }
        (void)used;
        sp_buf png;
        CHECK(sp_png_encode_indexed(ctx, e, idx, (const uint8_t(*)[4])colors, w, h, &png) == SP_OK);
        CHECK(png.size > 33 && !memcmp(png.data, "\x89PNG\r\n\x1a\n", 8));
        CHECK(png.data[24] == depth[t] && png.data[25] == 3); /* IHDR bit depth, palette */
        /* PLTE right after IHDR: 3 bytes per distinct colour */
        uint32_t plte = (uint32_t)png.data[33] << 24 | png.data[34] << 16 | png.data[35] << 8 | png.data[36];
        CHECK(!memcmp(png.data + 37, "PLTE", 4));
        if (t < 3)
            CHECK(plte == 3u * (t == 0 ? 2 : t == 1 ? 3 : 16));
        else
            CHECK(plte > 3u * 16);
        (void)ncol;
        uint8_t *back = NULL;
        int bw, bh;
        CHECK(sp_png_decode(ctx, png.data, png.size, &back, &bw, &bh) == SP_OK && bw == w && bh == h);
        if (back)
            for (int i = 0; i < w * h; i++)
                if (!back[4 * i + 3])
                    memset(back + 4 * i, 0, 4);
        CHECK(back && !memcmp(back, want, sizeof want));
        sp_buf png2;
        CHECK(sp_png_encode_indexed(ctx, e, idx, (const uint8_t(*)[4])colors, w, h, &png2) == SP_OK);
        CHECK(png2.size == png.size && !memcmp(png2.data, png.data, png.size));
        sp_buf_free(&png2);
        sp_buf_free(&png);
        free(back);
    }
    sp_png_encoder_free(e);
}

/* A 64x64 raster in EPSG:3857 covering tile 14/13490/6204 exactly (a cell is 4x4 pixels
 * of that tile), value = column + 100 * (row % 2), one nodata cell. Pixels are checked by
 * hand against the style's look-up; the per-cell index gives the same tiles. */
static void identity(void *user, int n, double *x, double *y, int *ok)
{
    (void)user, (void)x, (void)y;
    for (int i = 0; i < n; i++)
        ok[i] = 1;
}

/* The Web Mercator raster at path with a style (resolved over 0..hi), a worker and its
 * look-up table; false (a failed check, nothing left open) when any of them fails. */
static bool open_drawing(sp_ctx *ctx, const char *path, const char *style, double hi,
                         sp_style **st, sp_render_raster **r, sp_render_worker **w,
                         sp_style_lut *lut)
{
    if (sp_style_parse(ctx, style, "t", st) || sp_render_raster_open(ctx, path, 1, 1 << 30,
                                                                   SP_TILING_WEBMERCATOR, r) ||
        sp_render_worker_new(ctx, *r, false, w)) {
        CHECK(!"the test raster, style and worker");
        sp_render_raster_free(*r);
        sp_style_free(*st);
        *r = NULL, *st = NULL;
        return false;
    }
    sp_style_resolve(*st, 0, hi);
    sp_style_lut_build(*st, lut);
    return true;
}

/* Blocks of one colour and the edges of coloured cells: a 200x200 raster over tile
 * 14/13490/6204 (a cell is 1.28 px at z14, 5.12 px at z16, 0.64 px at z13), zero
 * (transparent) almost everywhere, an aligned and an unaligned square of 50, a one-cell
 * diagonal "road" of 150, a nodata block. The tiles drawn with the per-cell index (its
 * uniform blocks filled at once, the 2x2 edge path) equal those drawn without it. */
static void test_render_blocks(sp_ctx *ctx)
{
    const int z = 14, tx = 13490, ty = 6204, n = 200;
    double x0, y0, x1, y1;
    sp_tile_bounds(z, tx, ty, &x0, &y0, &x1, &y1);
    GDALDatasetH ds = GDALCreate(GDALGetDriverByName("GTiff"), "/vsimem/blocks.tif", n, n, 1,
                                 GDT_Float32, NULL);
    double gt[6] = {x0, (x1 - x0) / n, 0, y1, 0, -(y1 - y0) / n};
    GDALSetGeoTransform(ds, gt);
    GDALSetProjection(ds, "EPSG:3857");
    float *v = calloc((size_t)n * n, sizeof *v);
    for (int r = 0; r < n; r++)
        for (int c = 0; c < n; c++) {
            if ((r >= 40 && r < 88 && c >= 16 && c < 64) || (r >= 101 && r < 139 && c >= 117 && c < 171))
                v[r * n + c] = 50;
            if (r == c || r == c + 1)
                v[r * n + c] = 150;
            if (r >= 170 && c < 30)
                v[r * n + c] = -9999;
        }
    GDALRasterBandH b = GDALGetRasterBand(ds, 1);
    GDALSetRasterNoDataValue(b, -9999);
    CHECK(GDALRasterIO(b, GF_Write, 0, 0, n, n, v, n, n, GDT_Float32, 0, 0) == CE_None);
    GDALClose(ds);
    free(v);
    sp_style *st = NULL;
    sp_render_raster *r = NULL;
    sp_render_worker *w = NULL;
    sp_style_lut lut;
    if (!open_drawing(ctx, "/vsimem/blocks.tif", "nv 0 0 0 0\n0 255 255 178 0\n1 255 255 178 "
                      "200\n100 253 141 60 220\n200 177 0 38 235\n", 150, &st, &r, &w, &lut))
        return;
    /* zooms 13-16 over the raster: every tile, near and average */
    enum { NT = 1 + 4 + 16 + 64 };
    int tz[NT], txx[NT], tyy[NT], nt = 0;
    for (int dz = -1; dz <= 2; dz++) {
        int f = dz < 0 ? 1 : 1 << dz;
        for (int j = 0; j < f; j++)
            for (int i = 0; i < f; i++) {
                tz[nt] = z + dz;
                txx[nt] = dz < 0 ? tx / 2 : tx * f + i;
                tyy[nt] = dz < 0 ? ty / 2 : ty * f + j;
                nt++;
            }
    }
    uint8_t *plain = malloc((size_t)2 * NT * 65536), *fast = malloc(65536);
    for (int t = 0; t < nt; t++)
        for (int a = 0; a < 2; a++)
            sp_render_tile_index(w, r, &lut, a ? SP_RESAMPLE_AVERAGE : SP_RESAMPLE_NEAR, tz[t],
                                 txx[t], tyy[t], plain + (size_t)(2 * t + a) * 65536);
    CHECK(sp_render_raster_index(ctx, r, &lut, 2) == SP_OK && r->uk);
    int uniform = 0, mixed = 0;
    for (int i = 0; r->uk && i < r->ub_w * r->ub_h; i++)
        r->uk[i] == SP_RENDER_MIXED ? mixed++ : uniform++;
    CHECK(r->ub_w == 25 && r->ub_h == 25 && uniform > 400 && mixed > 40);
    /* the aligned square's blocks are one colour; a block the road crosses is not */
    CHECK(r->uk && r->uk[6 * 25 + 3] == sp_style_lut_index(&lut, 50, false));
    CHECK(r->uk && r->uk[10 * 25 + 10] == SP_RENDER_MIXED);
    int bad = 0, colored = 0;
    for (int t = 0; t < nt; t++)
        for (int a = 0; a < 2; a++) {
            sp_render_tile_index(w, r, &lut, a ? SP_RESAMPLE_AVERAGE : SP_RESAMPLE_NEAR, tz[t],
                                 txx[t], tyy[t], fast);
            const uint8_t *p = plain + (size_t)(2 * t + a) * 65536;
            for (int i = 0; i < 65536; i++) {
                bad += fast[i] != p[i];
                colored += lut.rgba[p[i]][3] != 0;
            }
        }
    CHECK(bad == 0);
    CHECK(colored > 100000); /* the comparison is not of empty tiles */
    free(plain);
    free(fast);
    sp_render_worker_free(w);
    sp_render_raster_free(r);
    sp_style_free(st);
    VSIUnlink("/vsimem/blocks.tif");
}

/* A tile from its four children (2x2 child pixels per pixel): by hand on a ramp whose
 * index 0 is no colour and whose lowest entry is see-through (alpha 0). */
static void test_reduce(sp_ctx *ctx)
{
    sp_style *st = NULL;
    CHECK(sp_style_parse(ctx, "0 0 0 0 0\n1 255 0 0 255\n100 0 0 255 255\n", "t", &st) == SP_OK);
    if (!st)
        return;
    sp_style_resolve(st, 0, 100);
    sp_style_lut lut;
    sp_style_lut_build(st, &lut);
    int clear = sp_style_lut_index(&lut, 0, false); /* see-through, not 0 */
    int k1 = sp_style_lut_index(&lut, 10, false), k2 = sp_style_lut_index(&lut, 60, false);
    CHECK(clear > 0 && lut.rgba[clear][3] == 0 && lut.rgba[k1][3] && lut.rgba[k2][3]);
    uint8_t *c = calloc(4 * 65536, 1), out[65536];
    const uint8_t *child[4] = {c, c + 65536, c + 2 * 65536, c + 3 * 65536};
    /* child 0 (top left): pixels (0,0) (1,0) (0,1) (1,1) = k1 k2 k2 k2 -> (k1 + 3 k2) / 4 */
    c[0] = (uint8_t)k1, c[1] = c[256] = c[257] = (uint8_t)k2;
    /* its pixel (1, 0): two opaque and two see-through: the mean of the opaque two */
    c[2] = (uint8_t)k1, c[3] = (uint8_t)k2, c[258] = c[259] = (uint8_t)clear;
    /* pixel (2, 0): see-through and empty only: see-through */
    c[4] = (uint8_t)clear;
    /* pixel (4, 0): three opaque, one see-through: (k1 + 2 k2) / 3 rounded */
    c[8] = (uint8_t)k1, c[9] = c[264] = (uint8_t)k2, c[265] = (uint8_t)clear;
    /* child 3 (bottom right): its pixels (254, 254)..(255, 255) make out pixel (255, 255) */
    uint8_t *d = c + 3 * 65536;
    d[254 * 256 + 254] = d[254 * 256 + 255] = d[255 * 256 + 254] = d[255 * 256 + 255] = (uint8_t)k2;
    CHECK(sp_render_reduce(&lut, child, out));
    CHECK(out[0] == (int)((k1 + 3.0 * k2) / 4 + 0.5));
    CHECK(out[1] == (int)((k1 + k2) / 2.0 + 0.5));
    CHECK(out[2] == clear && out[3] == 0);
    CHECK(out[4] == (int)((k1 + 2.0 * k2) / 3 + 0.5));
    CHECK(out[255 * 256 + 255] == k2 && out[255 * 256 + 254] == 0 && out[128 * 256 + 128] == 0);
    /* child 1 lands in the top right quarter, child 2 in the bottom left */
    c[65536 + 0] = c[65536 + 1] = c[65536 + 256] = c[65536 + 257] = (uint8_t)k1;
    c[2 * 65536 + 0] = c[2 * 65536 + 1] = c[2 * 65536 + 256] = c[2 * 65536 + 257] = (uint8_t)k2;
    sp_render_reduce(&lut, child, out);
    CHECK(out[128] == k1 && out[128 * 256] == k2);
    memset(c, 0, 4 * 65536);
    CHECK(!sp_render_reduce(&lut, child, out)); /* nothing to see */
    free(c);
    sp_style_free(st);
}

/* sp_render_tile_leaf's edge plane, by hand: a raster in EPSG:3857 whose cells are 16 px of
 * a z16 tile (pixels a sixteenth of a cell: the centre rule), shifted by (0.25, 0.75) px,
 * all 0 (see-through) but one cell of 50. Pixel px covers [px, px + 1] and the cell
 * [16 ci + 0.25, 16 ci + 16.25] in x: its centre px + 0.5 is inside for px 16 ci .. 16 ci + 15
 * (idx), its footprint overlaps for px 16 ci .. 16 ci + 16 (edge); in y (shift 0.75) the
 * centres give rows 16 cj + 1 .. 16 cj + 16 and the footprints 16 cj .. 16 cj + 16. Then the
 * z15 tile reduced from four edge planes is opaque where its own footprints touch the cell.
 * Row 0's footprints reach into the raster: see-through in edge, none in idx. */
static void test_leaf_edge(sp_ctx *ctx)
{
    const int z = 16, tx = 53960, ty = 24818, ci = 5, cj = 7;
    double x0, y0, x1, y1;
    sp_tile_bounds(z, tx, ty, &x0, &y0, &x1, &y1);
    double px = (x1 - x0) / 256;
    GDALDatasetH ds = GDALCreate(GDALGetDriverByName("GTiff"), "/vsimem/leaf.tif", 40, 40, 1,
                                 GDT_Float32, NULL);
    double gt[6] = {x0 + 0.25 * px, 16 * px, 0, y1 - 0.75 * px, 0, -16 * px};
    GDALSetGeoTransform(ds, gt);
    GDALSetProjection(ds, "EPSG:3857");
    float v[40 * 40] = {0};
    v[cj * 40 + ci] = 50;
    GDALRasterBandH b = GDALGetRasterBand(ds, 1);
    CHECK(GDALRasterIO(b, GF_Write, 0, 0, 40, 40, v, 40, 40, GDT_Float32, 0, 0) == CE_None);
    GDALClose(ds);
    sp_style *st = NULL;
    sp_render_raster *r = NULL;
    sp_render_worker *w = NULL;
    sp_style_lut lut;
    if (!open_drawing(ctx, "/vsimem/leaf.tif", "0 0 0 0 0\n1 255 0 0 255\n100 0 0 255 255\n",
                      100, &st, &r, &w, &lut))
        return;
    int k = sp_style_lut_index(&lut, 50, false), clear = sp_style_lut_index(&lut, 0, false);
    CHECK(lut.rgba[k][3] && !lut.rgba[clear][3]);
    for (int pass = 0; pass < 2; pass++) { /* without and with the cell index */
        if (pass)
            CHECK(sp_render_raster_index(ctx, r, &lut, 1) == SP_OK);
        uint8_t *idx = malloc(65536), *plain = malloc(65536), *edge = malloc(4 * 65536);
        uint8_t *par = malloc(65536);
        CHECK(sp_render_tile_leaf(w, r, &lut, SP_RESAMPLE_AVERAGE, z, tx, ty, idx, edge));
        sp_render_tile_index(w, r, &lut, SP_RESAMPLE_AVERAGE, z, tx, ty, plain);
        CHECK(!memcmp(idx, plain, 65536)); /* the tile itself is the same */
        int bad_i = 0, bad_e = 0, n_e = 0;
        for (int y = 0; y < 256; y++)
            for (int x = 0; x < 256; x++) {
                bool in_i = x >= 16 * ci && x <= 16 * ci + 15 && y >= 16 * cj + 1 && y <= 16 * cj + 16;
                bool in_e = x >= 16 * ci && x <= 16 * ci + 16 && y >= 16 * cj && y <= 16 * cj + 16;
                /* row 0's centres lie above the raster (it starts 0.75 px down): none */
                bad_i += idx[y * 256 + x] != (in_i ? k : y ? clear : 0);
                bad_e += edge[y * 256 + x] != (in_e ? k : clear);
                n_e += in_e;
            }
        CHECK(bad_i == 0 && bad_e == 0 && n_e == 17 * 17);
        /* z15: tile (tx / 2, ty / 2) holds tx's pixels in its top-left quarter; its pixel
         * (qx, qy) covers z16 pixels 2qx .. 2qx + 1: opaque when that pair meets 16ci ..
         * 16ci + 16 (x) and 16cj .. 16cj + 16 (y) */
        for (int q = 1; q < 4; q++) /* the other children: empty of colour */
            sp_render_tile_leaf(w, r, &lut, SP_RESAMPLE_AVERAGE, z, tx + (q & 1), ty + (q >> 1),
                                plain, edge + (size_t)q * 65536);
        const uint8_t *child[4] = {edge, edge + 65536, edge + 2 * 65536, edge + 3 * 65536};
        CHECK(sp_render_reduce(&lut, child, par));
        int bad_p = 0;
        for (int qy = 0; qy < 256; qy++)
            for (int qx = 0; qx < 256; qx++) {
                bool on = qx < 128 && qy < 128 && 2 * qx + 1 >= 16 * ci && 2 * qx <= 16 * ci + 16 &&
                          2 * qy + 1 >= 16 * cj && 2 * qy <= 16 * cj + 16;
                bad_p += (lut.rgba[par[qy * 256 + qx]][3] != 0) != on;
            }
        CHECK(bad_p == 0);
        free(idx);
        free(plain);
        free(edge);
        free(par);
    }
    sp_render_worker_free(w);
    sp_render_raster_free(r);
    sp_style_free(st);
}

static void test_render(sp_ctx *ctx)
{
    const int z = 14, tx = 13490, ty = 6204;
    double x0, y0, x1, y1;
    sp_tile_bounds(z, tx, ty, &x0, &y0, &x1, &y1);
    GDALDatasetH ds = GDALCreate(GDALGetDriverByName("GTiff"), "/vsimem/render.tif", 64, 64, 1,
                                 GDT_Float32, NULL);
    double gt[6] = {x0, (x1 - x0) / 64, 0, y1, 0, -(y1 - y0) / 64};
    GDALSetGeoTransform(ds, gt);
    GDALSetProjection(ds, "EPSG:3857");
    float v[64 * 64];
    for (int r = 0; r < 64; r++)
        for (int c = 0; c < 64; c++)
            v[r * 64 + c] = (float)(c + 100 * (r % 2));
    v[3 * 64 + 5] = -9999;
    GDALRasterBandH b = GDALGetRasterBand(ds, 1);
    GDALSetRasterNoDataValue(b, -9999);
    CHECK(GDALRasterIO(b, GF_Write, 0, 0, 64, 64, v, 64, 64, GDT_Float32, 0, 0) == CE_None);
    GDALClose(ds);
    sp_style *st = NULL;
    CHECK(sp_style_parse(ctx, "0 0 0 255 255\n100 255 0 0 255\n200 0 255 0 255\n", "t", &st) == SP_OK);
    sp_style_resolve(st, 0, 163);
    sp_style_lut lut;
    sp_style_lut_build(st, &lut);
    sp_render_raster *r = NULL;
    CHECK(sp_render_raster_open(ctx, "/vsimem/render.tif", 1, 1 << 30, SP_TILING_WEBMERCATOR, &r) == SP_OK);
    sp_render_worker *w = NULL;
    CHECK(r && sp_render_worker_new(ctx, r, false, &w) == SP_OK);
    if (!r || !w) {
        sp_style_free(st);
        return;
    }
    uint8_t a[256 * 256], bidx[256 * 256], rgba[256 * 256 * 4];
    /* near at z14: pixel (px, py) lies in cell (px / 4, py / 4) */
    CHECK(sp_render_tile_index(w, r, &lut, SP_RESAMPLE_NEAR, z, tx, ty, a));
    int bad = 0;
    for (int py = 0; py < 256; py++)
        for (int px = 0; px < 256; px++) {
            int c = px / 4, rr = py / 4;
            int want = c == 5 && rr == 3 ? 0 : sp_style_lut_index(&lut, c + 100 * (rr % 2), false);
            bad += a[py * 256 + px] != want;
        }
    CHECK(bad == 0);
    /* bilinear between cell centres: pixel (2, 2)'s centre is 2.5 px = 0.625 cells from the
     * corner, an eighth of the way from cell (0, 0)'s centre to (1, 1)'s: by hand,
     * 0.125 x 1 (columns: value c) + 0.125 x 100 (rows: +100 on odd rows) = 12.625; half a
     * cell off would give 63.1 */
    uint8_t bl[256 * 256];
    CHECK(sp_render_tile_index(w, r, &lut, SP_RESAMPLE_BILINEAR, z, tx, ty, bl));
    CHECK(bl[2 * 256 + 2] == sp_style_lut_index(&lut, 12.625, false));
    CHECK(bl[2 * 256 + 2] != sp_style_lut_index(&lut, 63.125, false));
    /* the pure core on an in-memory raster (no GDAL, an identity transformation): the
     * same tile; and the per-cell index the same with 1, 2 and 4 threads */
    {
        sp_render_raster m = *r;
        m.v = malloc(sizeof v);
        m.k = NULL;
        m.k_bytes = 0;
        m.uk = NULL;
        m.uk_bytes = 0;
        memcpy(m.v, v, sizeof v);
        sp_render_worker *wi = sp_render_worker_with(identity, NULL, NULL);
        uint8_t mi[256 * 256];
        CHECK(wi && sp_render_tile_index(wi, &m, &lut, SP_RESAMPLE_NEAR, z, tx, ty, mi));
        CHECK(!memcmp(mi, a, sizeof mi));
        uint8_t *k1 = NULL;
        for (int t = 1; t <= 4; t *= 2) {
            m.k = NULL;
            m.uk = NULL;
            CHECK(sp_render_raster_index(ctx, &m, &lut, t) == SP_OK && m.k && m.uk);
            if (t == 1)
                k1 = m.k;
            else if (m.k) {
                CHECK(!memcmp(k1, m.k, 64 * 64));
                free(m.k); /* small: calloc'ed (sp_big_alloc below 4 MB) */
            }
            free(m.uk);
        }
        CHECK(k1 && k1[3 * 64 + 5] == 0 && k1[0] == sp_style_lut_index(&lut, 0, false));
        free(k1);
        free(m.v);
        sp_render_worker_free(wi);
    }
    /* average coarser than the cells (z11: a pixel is 2x2 cells): over a colour ramp, the
     * mean position along the ramp (the mean colour, as GDAL averages a coloured raster),
     * i.e. the rounded mean of the cells' look-up indices */
    CHECK(sp_render_tile_index(w, r, &lut, SP_RESAMPLE_AVERAGE, z - 3, tx / 8, ty / 8, bidx));
    int ox = (tx % 8) * 32, oy = (ty % 8) * 32; /* where our 64x64 cells lie in that tile */
#define K(v) sp_style_lut_index(&lut, (v), false)
    CHECK(bidx[(oy + 0) * 256 + ox + 0] == (int)((K(0) + K(1) + K(100) + K(101)) / 4.0 + 0.5));
    CHECK(bidx[(oy + 10) * 256 + ox + 7] == (int)((K(14) + K(15) + K(114) + K(115)) / 4.0 + 0.5));
    /* the nodata cell (5, 3) leaves three cells in its pixel (2, 1) */
    CHECK(bidx[(oy + 1) * 256 + ox + 2] == (int)((K(4) + K(5) + K(104)) / 3.0 + 0.5));
#undef K
    CHECK(bidx[(oy + 0) * 256 + ox - 1] == 0 && bidx[(oy + 32) * 256 + ox] == 0); /* outside */
    /* with the per-cell index: the same tiles, near and average, at z14 and z15 */
    uint8_t n14[256 * 256], a14[256 * 256], n15[256 * 256], a15[256 * 256];
    sp_render_tile_index(w, r, &lut, SP_RESAMPLE_NEAR, z, tx, ty, n14);
    sp_render_tile_index(w, r, &lut, SP_RESAMPLE_AVERAGE, z, tx, ty, a14);
    sp_render_tile_index(w, r, &lut, SP_RESAMPLE_NEAR, z + 1, 2 * tx + 1, 2 * ty, n15);
    sp_render_tile_index(w, r, &lut, SP_RESAMPLE_AVERAGE, z + 1, 2 * tx + 1, 2 * ty, a15);
    CHECK(!memcmp(n14, a, sizeof a) && !memcmp(a14, a, sizeof a));
    CHECK(r->k == NULL);
    CHECK(sp_render_raster_index(ctx, r, &lut, 3) == SP_OK && r->k);
    CHECK(r->k && r->k[3 * 64 + 5] == 0 && r->k[64 + 7] == sp_style_lut_index(&lut, 107, false));
    uint8_t c[256 * 256];
    sp_render_tile_index(w, r, &lut, SP_RESAMPLE_NEAR, z, tx, ty, c);
    CHECK(!memcmp(c, n14, sizeof c));
    sp_render_tile_index(w, r, &lut, SP_RESAMPLE_AVERAGE, z, tx, ty, c);
    CHECK(!memcmp(c, a14, sizeof c));
    sp_render_tile_index(w, r, &lut, SP_RESAMPLE_NEAR, z + 1, 2 * tx + 1, 2 * ty, c);
    CHECK(!memcmp(c, n15, sizeof c));
    sp_render_tile_index(w, r, &lut, SP_RESAMPLE_AVERAGE, z + 1, 2 * tx + 1, 2 * ty, c);
    CHECK(!memcmp(c, a15, sizeof c));
    sp_render_tile_index(w, r, &lut, SP_RESAMPLE_AVERAGE, z - 3, tx / 8, ty / 8, c);
    CHECK(!memcmp(c, bidx, sizeof c)); /* coarser: still the values */
    /* RGBA is the look-up table's colour of each index, (0, 0, 0, 0) for none */
    CHECK(sp_render_tile_raster(w, r, &lut, SP_RESAMPLE_NEAR, z, tx, ty, rgba));
    bad = 0;
    for (int i = 0; i < 256 * 256; i++)
        bad += memcmp(rgba + 4 * i, lut.rgba[a[i]], 4) != 0;
    CHECK(bad == 0 && rgba[(3 * 4 * 256 + 5 * 4) * 4 + 3] == 0);
    /* a tile away from the raster: nothing */
    CHECK(!sp_render_tile_index(w, r, &lut, SP_RESAMPLE_NEAR, z, tx + 3, ty, c));
    sp_render_worker_free(w);
    sp_render_raster_free(r);
    sp_style_free(st);
    VSIUnlink("/vsimem/render.tif");
}

static void test_mbtiles(sp_ctx *ctx)
{
    const char *path = "/tmp/sp_test.mbtiles";
    unlink(path);
    sp_mbtiles *m = NULL;
    CHECK(sp_mbtiles_create(ctx, path, &m) == SP_OK);
    if (!m)
        return;
    CHECK(sp_mbtiles_meta(ctx, m, "name", "t") == SP_OK);
    CHECK(sp_mbtiles_meta(ctx, m, "format", "png") == SP_OK);
    const uint8_t a[] = "tile A", b[] = "tile B";
    CHECK(sp_mbtiles_add(ctx, m, 13, 6745, 3102, a, sizeof a) == SP_OK);
    CHECK(sp_mbtiles_add(ctx, m, 13, 6746, 3102, a, sizeof a) == SP_OK);
    CHECK(sp_mbtiles_add(ctx, m, 13, 6747, 3102, b, sizeof b) == SP_OK);
    CHECK(sp_mbtiles_add(ctx, m, 13, 6747, 3102, b, sizeof b) != SP_OK); /* twice the same tile */
    long long unique = 0;
    CHECK(sp_mbtiles_close(ctx, m, &unique) == SP_OK && unique == 2);
    sqlite3 *db;
    CHECK(sqlite3_open(path, &db) == SQLITE_OK);
    sqlite3_stmt *st;
    sqlite3_prepare_v2(db, "SELECT tile_data FROM tiles WHERE zoom_level = 13 AND "
                       "tile_column = 6746 AND tile_row = 5089", -1, &st, NULL);
    CHECK(sqlite3_step(st) == SQLITE_ROW && !strcmp((const char *)sqlite3_column_blob(st, 0), "tile A"));
    sqlite3_finalize(st);
    sqlite3_prepare_v2(db, "SELECT count(*) FROM map", -1, &st, NULL);
    CHECK(sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) == 3);
    sqlite3_finalize(st);
    sqlite3_close(db);
    unlink(path);
}

/* The MBTiles sink stores tiles in index order whatever order they come in: the same
 * bytes from any thread schedule. The XYZ sink makes its folders on the way. */
static void test_sinks(sp_ctx *ctx)
{
    char dir[] = "/tmp/sinkXXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    const sp_tiles_sink_kind *mb = SP_TILES_SINKS[SP_SINK_MBTILES];
    sp_tiles_meta meta = {"t", NULL, NULL, 116, 39, 117, 40, 1, 2, NULL};
    static const uint8_t A[] = {1, 2, 3}, B[] = {4, 5}, C[] = {6};
    const struct {
        int z, x, y;
        const uint8_t *d;
        size_t n;
    } T[] = {{1, 0, 0, A, 3}, {1, 1, 0, NULL, 0}, {2, 3, 1, B, 2}, {2, 3, 2, C, 1}};
    static const int ORDER[2][4] = {{0, 1, 2, 3}, {3, 1, 2, 0}};
    char path[2][128];
    for (int k = 0; k < 2; k++) {
        snprintf(path[k], sizeof path[k], "%s/o%d.mbtiles", dir, k);
        sp_tiles_sink *s = NULL;
        CHECK(mb->open(ctx, path[k], &meta, &s) == SP_OK);
        for (int i = 0; i < 4; i++) {
            int t = ORDER[k][i];
            CHECK(mb->put(ctx, s, t, T[t].z, T[t].x, T[t].y, T[t].d, T[t].n) == SP_OK);
        }
        long long unique = -1;
        CHECK(mb->close(ctx, s, &unique) == SP_OK && unique == 3);
    }
    FILE *f0 = fopen(path[0], "rb"), *f1 = fopen(path[1], "rb");
    bool same = f0 && f1;
    for (int c0 = 0, c1 = 0; same && c0 != EOF;) {
        c0 = fgetc(f0);
        c1 = fgetc(f1);
        same = c0 == c1;
    }
    CHECK(same);
    if (f0)
        fclose(f0);
    if (f1)
        fclose(f1);
    /* a tile that never comes: close is an error, not a file with a hole */
    char p3[160];
    snprintf(p3, sizeof p3, "%s/o3.mbtiles", dir);
    sp_tiles_sink *s = NULL;
    CHECK(mb->open(ctx, p3, &meta, &s) == SP_OK);
    CHECK(mb->put(ctx, s, 1, 1, 1, 0, A, 3) == SP_OK);
    CHECK(mb->close(ctx, s, NULL) == SP_ERR_INTERNAL);
    CHECK_HAS(sp_ctx_message(ctx), "1 tiles never came in turn");
    /* XYZ */
    const sp_tiles_sink_kind *xyz = SP_TILES_SINKS[SP_SINK_XYZ];
    CHECK(xyz->open(ctx, dir, &meta, &s) == SP_OK);
    CHECK(xyz->put(ctx, s, 0, 2, 3, 1, B, 2) == SP_OK);
    CHECK(xyz->put(ctx, s, 1, 2, 3, 2, NULL, 0) == SP_OK); /* skipped: no file */
    CHECK(xyz->close(ctx, s, NULL) == SP_OK);
    char f[200];
    snprintf(f, sizeof f, "%s/2/3/1.png", dir);
    CHECK(access(f, R_OK) == 0);
    snprintf(f, sizeof f, "%s/2/3/2.png", dir);
    CHECK(access(f, F_OK) != 0);
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    CHECK(system(cmd) == 0);
}

/* PMTiles: the spec's tile ids; an archive with repeated images, runs, skipped tiles and
 * (with a small root limit) leaf directories, read back by the independent reader of the
 * tests (tests/cli/pmtiles_check.py) against the same tiles written as a tree. */
static void test_pmtiles(sp_ctx *ctx)
{
    CHECK(sp_pmtiles_tileid(0, 0, 0) == 0 && sp_pmtiles_tileid(1, 0, 0) == 1);
    CHECK(sp_pmtiles_tileid(1, 0, 1) == 2 && sp_pmtiles_tileid(1, 1, 1) == 3);
    CHECK(sp_pmtiles_tileid(1, 1, 0) == 4 && sp_pmtiles_tileid(2, 0, 0) == 5);
    CHECK(sp_pmtiles_tileid(12, 3423, 1763) == 19078479);
    for (int leaves = 0; leaves < 2; leaves++) {
        char dir[] = "/tmp/pmtXXXXXX", path[64], f[128], cmd[512];
        CHECK(mkdtemp(dir) != NULL);
        snprintf(path, sizeof path, "%s/a.pmtiles", dir);
        sp_tiles_meta meta = {"t \"q\"", NULL, NULL, 116, 39, 117, 40, 6, 7, NULL};
        sp_pmtiles *pm = NULL;
        CHECK(sp_pmtiles_open(ctx, path, &meta, &pm) == SP_OK);
        if (!pm)
            return;
        if (leaves)
            sp_pmtiles_set_root_max(pm, 400);
        int n = 0;
        bool ok = true; /* one check for all the puts and files */
        for (int z = 6; z <= 7; z++)
            for (int x = 0; x < (1 << z); x += 2)
                for (int y = 0; y < (1 << z); y += 3) {
                    uint8_t img[16];
                    /* a third the same image, a few skipped, the rest distinct */
                    int kind = (x + y) % 3;
                    if (x % 10 == 4)
                        continue;
                    size_t len = kind ? 5 + (size_t)((x * 7 + y) % 11) : 4;
                    for (size_t i = 0; i < len; i++)
                        img[i] = kind ? (uint8_t)(x * 31 + y * 17 + z + i) : 0xAB;
                    ok &= sp_pmtiles_put(ctx, pm, z, x, y, img, len) == SP_OK;
                    snprintf(f, sizeof f, "%s/t/%d/%d", dir, z, x);
                    if (y == 0) {
                        snprintf(cmd, sizeof cmd, "mkdir -p %s", f);
                        ok &= system(cmd) == 0;
                    }
                    snprintf(f, sizeof f, "%s/t/%d/%d/%d.png", dir, z, x, y);
                    FILE *fp = fopen(f, "wb");
                    ok &= fp && fwrite(img, 1, len, fp) == len;
                    if (fp)
                        fclose(fp);
                    n++;
                }
        CHECK(ok && n > 1000);
        CHECK(sp_pmtiles_put(ctx, pm, 7, 1, 1, NULL, 0) == SP_OK); /* nothing there */
        long long unique = 0;
        CHECK(sp_pmtiles_close(ctx, pm, &unique) == SP_OK && unique > 1 && unique < n);
        snprintf(cmd, sizeof cmd, "/usr/bin/python3 tests/cli/pmtiles_check.py %s %s/t > %s/r.txt",
                 path, dir, dir);
        CHECK(system(cmd) == 0);
        snprintf(f, sizeof f, "%s/r.txt", dir);
        char line[256] = "";
        FILE *fp = fopen(f, "r");
        if (fp) {
            if (!fgets(line, sizeof line, fp))
                line[0] = 0;
            fclose(fp);
        }
        CHECK(strstr(line, leaves ? " leaves," : " 0 leaves,") != NULL);
        CHECK(!leaves || !strstr(line, " 0 leaves,"));
        snprintf(f, sizeof f, "%s/a.pmtiles.tiles", dir);
        CHECK(access(f, F_OK) != 0); /* the scratch file is gone */
        snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
        CHECK(system(cmd) == 0);
    }
}

/* The pages' escaping: JSON (quotes, backslashes, control characters dropped; apostrophes
 * for single-quoted JavaScript) and XML/HTML (& < > "). */
static void test_page_escape(void)
{
    char *j = sp_page_json("a\"b\\c\nd'e", false), *js = sp_page_json("it's", true);
    char *x = sp_page_xml("<a href=\"x\">&</a>");
    CHECK_STR(j, "a\\\"b\\\\cd'e");
    CHECK_STR(js, "it\\'s");
    CHECK_STR(x, "&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;");
    free(j);
    free(js);
    free(x);
}

/* The pyramid's plan on a 3-zoom case counted by hand: zoom 1 has 2x2 tiles, zoom 2 4x2,
 * zoom 3 7x4 (x 0..6: the children at x = 7 are outside). One thread: zoom 1's 4 tiles are
 * fewer than 8, zoom 2's 8 are not, so zoom 2 is reduced from zoom 3 (zr = 2). Zoom 1: 4
 * tiles drawn, a unit each (indices 0-3). Zoom 2: 8 subtrees, a unit each: 4 children
 * (blank at x = 7), then the parent. 4 + 8 + 32 entries, 4 of them blank; 40 indices. */
static void test_tile_plan(void)
{
    tile_plan p = {0};
    int r1[4] = {0, 0, 1, 1}, r2[4] = {0, 0, 3, 1}, r3[4] = {0, 0, 6, 3};
    memcpy(p.range[1], r1, sizeof r1), memcpy(p.range[2], r2, sizeof r2), memcpy(p.range[3], r3, sizeof r3);
    CHECK(sp_tiles_plan_build(&p, 1, 3, true, 1));
    CHECK(p.zr == 2 && p.maxz == 3);
    CHECK(p.n == 44 && p.index == 40 && p.nu == 12);
    int seen[40] = {0}, blank = 0, reduce = 0, draw3 = 0;
    for (long long i = 0; i < p.n; i++) {
        const tile_id *t = &p.t[i];
        if (t->how == TILE_BLANK) {
            blank++;
            CHECK(t->index == -1 && t->z == 3 && t->x == 7);
            continue;
        }
        CHECK(t->index >= 0 && t->index < 40);
        if (t->index >= 0 && t->index < 40)
            seen[t->index]++;
        if (t->how == TILE_REDUCE) { /* its four children just before it, in order */
            reduce++;
            CHECK(t->z == 2 && i >= 4);
            for (int q = 0; q < 4 && i >= 4; q++) {
                const tile_id *c = &p.t[i - 4 + q];
                CHECK(c->z == 3 && c->x == 2 * t->x + (q & 1) && c->y == 2 * t->y + (q >> 1));
            }
        } else
            draw3 += t->z == 3;
    }
    CHECK(blank == 4 && reduce == 8 && draw3 == 28);
    int once = 0;
    for (int k = 0; k < 40; k++)
        once += seen[k] == 1;
    CHECK(once == 40);
    /* zoom 1: drawn, indices 0-3, a unit each; the first subtree is the next unit */
    for (int k = 0; k < 4; k++)
        CHECK(p.t[k].z == 1 && p.t[k].how == TILE_DRAW && p.t[k].index == k &&
              p.u[k].start == k && p.u[k].end == k + 1);
    CHECK(p.u[4].start == 4 && p.u[4].end == 9 && p.t[8].z == 2 && p.t[8].x == 0 &&
          p.t[8].y == 0 && p.t[8].index == 8);
    CHECK(p.u[11].end == 44);
    sp_tiles_plan_free(&p);
    /* -direct (no reduction): every zoom drawn, 40 tiles, none blank */
    tile_plan d = {0};
    memcpy(d.range[1], r1, sizeof r1), memcpy(d.range[2], r2, sizeof r2), memcpy(d.range[3], r3, sizeof r3);
    CHECK(sp_tiles_plan_build(&d, 1, 3, false, 1));
    CHECK(d.zr == 3 && d.n == 40 && d.index == 40);
    sp_tiles_plan_free(&d);
}

int main(void)
{
    test_page_escape();
    test_tiling_cgcs2000();
    test_tiling_bd09();
    sp_ctx *ctx = sp_ctx_new();
    test_tile_math();
    test_tile_plan();
    test_style_parse(ctx);
    test_style_vs_gdaldem(ctx);
    test_png(ctx);
    test_png_indexed(ctx);
    test_render(ctx);
    test_render_blocks(ctx);
    test_reduce(ctx);
    test_leaf_edge(ctx);
    test_mbtiles(ctx);
    test_sinks(ctx);
    test_pmtiles(ctx);
    sp_ctx_free(ctx);
    return check_done();
}
