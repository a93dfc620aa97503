/* Unit tests of sp_tile, sp_style, sp_png and sp_mbtiles: known tiles and the TMS flip,
 * gdal2tiles' zoom rule, style parsing and colours against gdaldem color-relief run on
 * the same file, the palette lookup table's error, PNG round trips (palette and RGBA)
 * and MBTiles deduplication. */
#include "check.h"
#include "sp_mbtiles.h"
#include "sp_png.h"
#include "sp_style.h"
#include "sp_tile.h"

#include <gdal.h>
#include <sqlite3.h>
#include <stdlib.h>
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
        CHECK(sp_style_parse(ctx, bad[i].text, "t.txt", &b) == SP_ERR_USAGE && !b);
        CHECK_HAS(sp_ctx_message(ctx), bad[i].msg);
    }
    double w;
    uint8_t rgba[4];
    CHECK(sp_style_outline_parse(ctx, "# c\nwidth 2.5\ncolor 1 2 3\n", "o", &w, rgba) == SP_OK);
    CHECK(w == 2.5 && rgba[0] == 1 && rgba[2] == 3 && rgba[3] == 255);
    CHECK(sp_style_outline_parse(ctx, "colour 1 2 3\n", "o", &w, rgba) == SP_ERR_USAGE);
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

int main(void)
{
    sp_ctx *ctx = sp_ctx_new();
    test_tile_math();
    test_style_parse(ctx);
    test_style_vs_gdaldem(ctx);
    test_png(ctx);
    test_mbtiles(ctx);
    sp_ctx_free(ctx);
    return check_done();
}
