/* sp_disperse_classes: each emission grid's source class (release height, initial vertical
 * spread) from a table by the grid's sector: sp-grid records the inventory layer it gridded
 * as the dataset's LAYER metadata, and a classes table (sector,height_m,sz0_m,basis; see
 * samples/source_classes.csv) gives that sector's class. */
#include "disperse/sp_disperse_run.h"
#include "disperse/sp_disperse_impl.h"
#include "io/sp_table.h"

#include <gdal.h>
#include <math.h>
#include <string.h>

const char *sp_disperse_grid_layer(const char *path, char *buf, size_t n)
{
    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_RASTER | GDAL_OF_READONLY, NULL, NULL, NULL);
    const char *v = ds ? GDALGetMetadataItem(ds, "LAYER", NULL) : NULL;
    if (v)
        snprintf(buf, n, "%s", v);
    if (ds)
        GDALClose(ds);
    return v ? buf : NULL;
}

sp_status sp_disperse_resolve_classes(sp_ctx *ctx, const char *table, sp_disperse_input *in,
                                      int n)
{
    bool need = false;
    for (int i = 0; i < n; i++)
        need |= isnan(in[i].height);
    if (!need)
        return SP_OK;
    if (!table)
        return sp_error(ctx, SP_ERR_USAGE, "a grid without its release height and sigma_z0 needs "
                        "-classes TABLE.csv (or give them: FILE,H,SZ0)");
    sp_table *t = NULL;
    sp_status rc = sp_table_read(ctx, table, NULL, &t);
    if (rc)
        return rc;
    int cs = sp_table_find(t, "sector"), ch = sp_table_find(t, "height_m"),
        cz = sp_table_find(t, "sz0_m");
    if (cs < 0 || ch < 0 || cz < 0)
        rc = sp_error(ctx, SP_ERR_DATA, "'%s' is not a classes table (columns sector, height_m, "
                      "sz0_m)", table);
    for (int i = 0; i < n && !rc; i++) {
        if (!isnan(in[i].height))
            continue;
        char layer[256], b[256];
        if (!sp_disperse_grid_layer(in[i].path, layer, sizeof layer)) {
            rc = sp_error(ctx, SP_ERR_DATA, "'%s' does not say which sector it holds (no LAYER "
                          "metadata: sp-grid writes it when it grids one inventory layer, -l "
                          "SECTOR); give its class as FILE,H,SZ0", in[i].path);
            break;
        }
        int r = 0;
        while (r < t->nrows && strcmp(sp_table_text(t, cs, r, b, sizeof b), layer))
            r++;
        bool okh = false, okz = false;
        double h = r < t->nrows ? sp_table_number(t, ch, r, &okh) : NAN;
        double z = r < t->nrows ? sp_table_number(t, cz, r, &okz) : NAN;
        if (r == t->nrows)
            rc = sp_error(ctx, SP_ERR_DATA, "'%s' holds sector '%s', which '%s' does not list",
                          in[i].path, layer, table);
        else if (!okh || !okz || h < 0 || z < 0 || h > 1000 || z > 1000)
            rc = sp_error(ctx, SP_ERR_DATA, "'%s', row %d: height_m and sz0_m are metres 0-1000",
                          table, r + 2);
        else {
            in[i].height = h;
            in[i].sz0 = z;
        }
    }
    sp_table_free(t);
    return rc;
}
