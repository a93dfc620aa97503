/* sp_onemap_tilesets_run: the tile sets of the one map (-layer, -overlay, -months): each
 * folder's tiles.json read and checked (zooms, bounds, the grid it is in), the months of a
 * -months layer expanded into twelve. */
#include "onemap/sp_onemap_impl.h"
#include "onemap/sp_onemap_tiles_impl.h"
#include "core/sp_text.h"
#include "core/sp_utf8.h"
#include "io/sp_output.h"
#include "io/sp_page.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>



static sp_status read_tileset(sp_ctx *ctx, const char *arg, bool overlay, bool gcj02,
                              tileset *t)
{
    const char *eq = strchr(arg, '=');
    if (!eq || eq == arg || !eq[1])
        return sp_error(ctx, SP_ERR_USAGE, "%s '%s': want NAME=DIR (e.g. NOx=tiles_nox)",
                        overlay ? "-overlay" : "-layer", arg);
    t->name = strndup(arg, (size_t)(eq - arg));
    t->dir = eq + 1;
    t->overlay = overlay;
    if (!t->name)
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    if (!sp_utf8_valid(t->name, strlen(t->name)))
        return sp_error(ctx, SP_ERR_USAGE, "layer name '%s' is not UTF-8", t->name);
    char path[4200], *text = NULL;
    snprintf(path, sizeof path, "%s/tiles.json", t->dir);
    if (!sp_path_exists(t->dir)) /* a bad input is exit 1, not a usage error */
        return sp_error(ctx, SP_ERR_IO, "layer '%s': folder '%s' does not exist", t->name, t->dir);
    if (!sp_path_exists(path))
        return sp_error(ctx, SP_ERR_DATA, "layer '%s': '%s' has no tiles.json: give a folder "
                        "that sp-tiles wrote (with the XYZ tree, -of xyz)", t->name, t->dir);
    sp_status rc = sp_text_read_file(ctx, path, "TileJSON", &text);
    if (rc)
        return rc;
    double z0, z1;
    sp_onemap_grid grid;
    bool ok = sp_onemap_parse_tilejson(text, &z0, &z1, t->b, &grid);
    free(text);
    if (!ok || z0 < 0 || z1 < z0 || z1 > 30)
        return sp_error(ctx, SP_ERR_DATA, "'%s': no minzoom, maxzoom and bounds", path);
    bool gcj = grid == GRID_GCJ02;
    if (grid == GRID_CGCS2000)
        return sp_error(ctx, SP_ERR_USAGE, "layer '%s' is in the CGCS2000 grid (-tiling "
                        "cgcs2000): the one map is Web Mercator; make it without -tiling",
                        t->name);
    if (grid == GRID_BD09)
        return sp_error(ctx, SP_ERR_USAGE, "layer '%s' is in Baidu's grid (-t_coord bd09): the "
                        "one map is Web Mercator; make it without -t_coord bd09", t->name);
    if (grid == GRID_OTHER)
        return sp_error(ctx, SP_ERR_DATA, "'%s': a \"crs\" that sp-tiles does not write: give "
                        "a Web Mercator tile set", path);
    if (gcj != gcj02)
        return sp_error(ctx, SP_ERR_USAGE, gcj ? "layer '%s' is GCJ-02 (sp-tiles -t_coord gcj02): "
                        "give the page -t_coord gcj02, so that the streets and points move with it"
                        : "layer '%s' is plain Web Mercator, and the page is -t_coord gcj02: make "
                        "every layer with sp-tiles -t_coord gcj02", t->name);
    t->minz = (int)z0;
    t->maxz = (int)z1;
    snprintf(path, sizeof path, "%s/%d", t->dir, t->minz);
    if (!sp_path_exists(path))
        return sp_error(ctx, SP_ERR_USAGE, "layer '%s': no tiles in '%s' (an MBTiles-only "
                        "set? make it with -of xyz)", t->name, path);
    snprintf(path, sizeof path, "%s/legend.svg", t->dir);
    t->legend = sp_path_exists(path);
    snprintf(path, sizeof path, "%s/values.js", t->dir);
    t->values = sp_path_exists(path);
    return SP_OK;
}

/* Month m of -months NAME=DIR: t's group NAME and month, its spec "NAME · M月=DIR/monthMM"
 * in t->mdir (read_tileset's NAME=DIR) */
static sp_status month_of(sp_ctx *ctx, const char *spec, int m, tileset *t)
{
    const char *eq = strchr(spec, '=');
    if (!eq || eq == spec || !eq[1])
        return sp_error(ctx, SP_ERR_USAGE, "-months '%s': want NAME=DIR (DIR/month01..month12: "
                        "sp-tiles of each month)", spec);
    t->month = m;
    if (asprintf(&t->mdir, "%.*s · %d月=%s/month%02d", (int)(eq - spec), spec, m, eq + 1, m) < 0 ||
        !(t->group = strndup(spec, (size_t)(eq - spec)))) {
        t->mdir = NULL;
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    }
    return SP_OK;
}

sp_status sp_onemap_read_tilesets(sp_ctx *ctx, const sp_onemap_options *o, tileset *ts, int *n,
                                  sp_onemap_report *rep)
{
    char **lists[3] = {o->layers, o->overlays, o->months};
    sp_status rc = SP_OK;
    rep->minz = 99;
    rep->maxz = -1;
    rep->west = rep->south = INFINITY;
    rep->east = rep->north = -INFINITY;
    for (int l = 0; l < 3; l++)
        for (int k = 0; lists[l] && lists[l][k] && !rc; k++)
            for (int m = l == 2 ? 1 : 0; m <= (l == 2 ? 12 : 0) && !rc; m++) {
                tileset *t = &ts[(*n)++];
                if (l == 2 && (rc = month_of(ctx, lists[l][k], m, t)))
                    return rc;
                rc = read_tileset(ctx, t->mdir ? t->mdir : lists[l][k], l == 1, o->gcj02, t);
                if (rc)
                    break;
                for (int q = 0; q < *n - 1; q++)
                    if (!strcmp(ts[q].name, t->name))
                        return sp_error(ctx, SP_ERR_USAGE, "two layers are called '%s'", t->name);
                rep->minz = t->minz < rep->minz ? t->minz : rep->minz;
                rep->maxz = t->maxz > rep->maxz ? t->maxz : rep->maxz;
                rep->west = fmin(rep->west, t->b[0]);
                rep->south = fmin(rep->south, t->b[1]);
                rep->east = fmax(rep->east, t->b[2]);
                rep->north = fmax(rep->north, t->b[3]);
                rep->layers += l == 0 || m == 1;
                rep->overlays += l == 1;
            }
    return rc;
}

