/* sp_disperse_star: the weather of a run as a STAR table: an hourly met file (the sun at the
 * grid's centre, in lon/lat) or a STAR table, refused when it is too large to read. Used by
 * the run and by each weather combination of the joint ensemble. */
#include "disperse/sp_disperse_impl.h"
#include "core/sp_text.h"

#include <ogr_srs_api.h>
#include <stdlib.h>
#include <sys/stat.h>

/* the grid's centre in WGS84 lon/lat, where the sun is computed */
static sp_status grid_lonlat(sp_ctx *ctx, const sp_grid *g, double *lon, double *lat)
{
    OGRSpatialReferenceH src = OSRNewSpatialReference(g->wkt), wgs = OSRNewSpatialReference(NULL);
    OSRSetWellKnownGeogCS(wgs, "WGS84");
    OSRSetAxisMappingStrategy(src, OAMS_TRADITIONAL_GIS_ORDER);
    OSRSetAxisMappingStrategy(wgs, OAMS_TRADITIONAL_GIS_ORDER);
    OGRCoordinateTransformationH ct = OCTNewCoordinateTransformation(src, wgs);
    double x = (g->xmin + g->xmax) / 2, y = (g->ymin + g->ymax) / 2;
    sp_status rc = ct && OCTTransform(ct, 1, &x, &y, NULL)
                       ? SP_OK
                       : sp_error_gdal(ctx, SP_ERR_DATA, "cannot find the grid's centre in lon/lat");
    *lon = x;
    *lat = y;
    if (ct)
        OCTDestroyCoordinateTransformation(ct);
    OSRDestroySpatialReference(src);
    OSRDestroySpatialReference(wgs);
    return rc;
}

sp_status sp_disperse_read_star(sp_ctx *ctx, const sp_disperse_options *o, const sp_grid *g,
                                double cloud, sp_star *star, sp_disperse_report *rep)
{
    if (!o->met == !o->star)
        return sp_error(ctx, SP_ERR_USAGE, "give the meteorology: -met HOURLY.csv or -star STAR.csv");
    char *text = NULL;
    struct stat st; /* a huge (or sparse) file is refused before it is read */
    const char *path = o->met ? o->met : o->star;
    if (stat(path, &st) == 0 && st.st_size > SP_MET_BYTES_MAX)
        return sp_error(ctx, SP_ERR_DATA, "%s '%s' is %.1f GB: more than the %lld MB a century "
                        "of hours needs; not a met file?", o->met ? "met file" : "STAR table",
                        path, (double)st.st_size / 1e9, SP_MET_BYTES_MAX >> 20);
    /* the reader holds the text twice (read, then split in place) */
    char a[32], b[32];
    if (o->max_mem > 0 && stat(path, &st) == 0 && 2.0 * (double)st.st_size > (double)o->max_mem)
        return sp_error(ctx, SP_ERR_LIMIT, "reading '%s' needs about %s: more than -max_mem %s",
                        path, sp_format_bytes(2.0 * (double)st.st_size, a, sizeof a),
                        sp_format_bytes((double)o->max_mem, b, sizeof b));
    sp_status rc = sp_text_read_file(ctx, path, o->met ? "met file" : "STAR table", &text);
    if (rc)
        return rc;
    if (o->met) {
        sp_met_options mo = o->met_opts;
        mo.cloud = cloud;
        rep->urban_height = sp_met_urban_height(mo.urban_pop);
        if (!(rc = grid_lonlat(ctx, g, &mo.lon, &mo.lat))) {
            rep->lon = mo.lon;
            rep->lat = mo.lat;
            rc = sp_met_parse(ctx, text, o->met, &mo, star);
        }
    } else
        rc = sp_star_parse(ctx, text, o->star, star);
    free(text);
    return rc;
}
