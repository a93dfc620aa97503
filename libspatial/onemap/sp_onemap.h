/* sp_onemap: the one map (一张图), one page that planners open from disk or any static
 * web server: the tile sets sp-tiles made as layers to switch (each with its legend),
 * the street polygons as a clickable, labelled overlay whose popups show the street's
 * rows of sp-score's output and of other tables joined by the street code, the selected
 * candidates outlined, a street search, a scale bar, an optional base map with its
 * attribution (审图号), and a status element counting tiles loaded and failed. */
#ifndef SP_ONEMAP_H
#define SP_ONEMAP_H

#include "core/sp_ctx.h"
#include "io/sp_vector.h"

#include <stdbool.h>

typedef struct {
    char **layers;   /* NAME=DIR tile sets shown as base layers (one at a time) */
    char **overlays; /* NAME=DIR tile sets shown as overlays (check boxes) */
    const char *scenario; /* CUTS.csv=RESPONSES.csv: the scenario explorer (measures'
                      * tonnes, each street's PM2.5 cut by each; NULL: none) */
    char **months;   /* NAME=DIR: DIR/month01..month12 tile sets, one base layer NAME with a
                      * month slider (sp-disperse -monthly's bands, one sp-tiles each) */
    const char *streets;      /* polygons with attributes (sp-score's GPKG), or NULL */
    const char *streets_layer;
    const char *id_field;     /* default "code" */
    const char *label_field;  /* NULL: the first of name, Name, NAME, 名称, 街道名称,
                               * street_name, 乡镇街道 that the streets have */
    const char *select_field; /* default "selected" when the streets have it */
    char **tables;   /* TITLE=FILE tables joined to the streets by id (popup sections) */
    char **points;   /* TITLE=FILE point sets (key energy units...): clickable markers */
    int label_zoom;  /* street names shown from this zoom (default 12) */
    const char *title, *attribution;
    const char *basemap;             /* XYZ URL template of a base map, or NULL (none) */
    const char *basemap_attribution; /* its attribution, e.g. the 审图号 */
    const char *basemap_subdomains;  /* {s} values, e.g. "01234567" */
    const char *leaflet;             /* folder with leaflet.js/.css (NULL: installed) */
    sp_vector_options streets_in, points_in; /* how to read -streets and -points: -oo
                      * (a CSV's X_POSSIBLE_NAMES...), -s_srs, -s_coord (GCJ-02/BD-09 lon/lat
                      * undone first), -l (the streets' layer); the other input flags are
                      * refused */
    bool gcj02;      /* -t_coord gcj02: the tile sets are GCJ-02 (sp-tiles -t_coord gcj02,
                      * for Amap/Tencent base maps): streets, labels and points are shifted
                      * to match; a plain Web Mercator layer is then refused, and the other
                      * way round */
} sp_onemap_options;

/* Sets the defaults: street names from zoom 12, nothing else set. */
void sp_onemap_options_init(sp_onemap_options *o);

typedef struct {
    int layers, overlays;
    long long streets, selected, tiles;
    int minz, maxz;
    double west, south, east, north;
} sp_onemap_report;

/* Writes the page into the folder dst (index.html, config.js, streets.js, onemap.js,
 * onemap.css, leaflet/, layers/N/{z}/{x}/{y}.png and legend.svg): checks every input
 * first, then copies; atomic like every onemap output (dst is replaced only when the run
 * succeeds, and only if empty or written by onemap). */
sp_status sp_onemap_run(sp_ctx *ctx, const char *dst, const sp_onemap_options *o,
                        sp_onemap_report *rep);

#endif
