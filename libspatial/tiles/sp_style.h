/* sp_style: colour ramps in GDAL's color-relief text format ("value R G B [A]", "nv" for
 * nodata, "N%" of the raster's range, '#' comments; separators space, tab, comma or
 * colon), so gdaldem users reuse their files, and gdaldem color-relief is the oracle of
 * the tests. Comments may carry "# mode: interpolate|exact|nearest", "# title: ..." and
 * "# unit: ...", which gdaldem ignores. Also a 256-entry lookup table for palette tiles. */
#ifndef SP_STYLE_H
#define SP_STYLE_H

#include "core/sp_ctx.h"

#include <stdint.h>

typedef enum { SP_STYLE_INTERPOLATE, SP_STYLE_EXACT, SP_STYLE_NEAREST } sp_style_mode;

typedef struct {
    double value;
    bool pct;      /* value is a percentage of the range until sp_style_resolve */
    bool nv;       /* the nodata entry */
    uint8_t rgba[4];
} sp_style_entry;

typedef struct {
    sp_style_entry *e; /* sorted by value after sp_style_resolve; nv entries removed */
    int n;
    bool has_nv;
    uint8_t nv[4];
    sp_style_mode mode;
    char title[128], unit[64];
} sp_style;

/* Parses a style text (name for messages: "NAME:LINE: ..."). Free with sp_style_free. */
sp_status sp_style_parse(sp_ctx *ctx, const char *text, const char *name, sp_style **out);
/* The file of a style: path itself when it is a file (or has a '/'), else the onemap
 * style of that name (nox_density: share/onemap/styles/nox_density.txt), into found. */
sp_status sp_style_locate(sp_ctx *ctx, const char *path, char *found, size_t n,
                          const char **out);
/* Reads and parses the style file path; a bare name that is no file in the current
 * folder ("nox_density" or "nox_density.txt") is looked up among the installed styles
 * (PREFIX/share/onemap/styles, sp_share). Free with sp_style_free. */
sp_status sp_style_read(sp_ctx *ctx, const char *path, sp_style **out);
void sp_style_free(sp_style *s);
/* The style as a QGIS layer style (.qml: a single-band pseudocolour renderer of band,
 * interpolated, exact or, for nearest, discrete classes bounded halfway between the
 * entries), after sp_style_resolve; QGIS loads NAME.qml with NAME.tif. malloc'd; NULL
 * when out of memory. */
char *sp_style_qml(const sp_style *s, int band);
/* Turns N% entries into min + N/100 (max - min) and sorts the entries. Call once. */
void sp_style_resolve(sp_style *s, double min, double max);
/* True when any entry is a percentage (the caller then needs the raster's min/max). */
bool sp_style_has_pct(const sp_style *s);
/* Colour of value v as gdaldem color-relief gives it (after resolve). nodata: the nv
 * colour or transparent. Values outside the ramp take the end colours (exact: none). */
void sp_style_color(const sp_style *s, double v, bool nodata, uint8_t rgba[4]);

/* A lookup table of at most 255 colours for fast palette tiles: index = sp_style_lut_index
 * of a value, colour = lut->rgba[index]; index 0 is transparent (nodata, outside). With
 * interpolation, each segment of the ramp gets its share of 254 steps (colour error under
 * one step); exact/nearest styles map each entry to one index. */
typedef struct {
    int n;            /* entries used, 1..256 */
    uint8_t rgba[256][4];
    const sp_style *s;
    int seg_start[256]; /* first index of each segment (interpolated) */
    int seg_steps[256];
} sp_style_lut;
/* Fills lut with the style's colours over its value range (a LUT index per value; index
 * 0 is transparent). s is borrowed by lut. */
void sp_style_lut_build(const sp_style *s, sp_style_lut *lut);
/* The LUT index of value v (0: no colour, also for nodata). */
int sp_style_lut_index(const sp_style_lut *lut, double v, bool nodata);

/* The overlay style of boundaries: lines "width PX" and "color R G B [A]" ('#' comments).
 * Defaults: width 1.5, color 40 40 40 255. */
sp_status sp_style_outline_parse(sp_ctx *ctx, const char *text, const char *name,
                                 double *width, uint8_t rgba[4]);

#endif
