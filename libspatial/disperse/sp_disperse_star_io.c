/* sp_disperse_star: the weather of a run as a STAR table: an hourly met file (the sun at the
 * grid's centre, in lon/lat) or a STAR table, refused when it is too large to read. Used by
 * the run and by each weather combination of the joint ensemble. */
#include "disperse/sp_disperse_impl.h"
#include "core/sp_text.h"
#include "disperse/sp_profile.h"

#include <stdio.h>
#include <string.h>

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

static double profile_weight(void *user, int month, int dow, int hour)
{
    return sp_profile_weight(user, month, dow, hour);
}

sp_status sp_disperse_profile_stars(sp_ctx *ctx, const sp_disperse_options *o, const sp_grid *g,
                                    sp_star **stars, sp_disperse_report *rep)
{
    if (!o->met)
        return sp_error(ctx, SP_ERR_USAGE, "-profiles needs hourly weather (-met): each sector "
                        "meets the weather of its own hours");
    char *text = NULL;
    sp_profiles pr = {0};
    sp_status rc = sp_text_read_file(ctx, o->profiles, "profiles", &text);
    if (!rc)
        rc = sp_profiles_parse(ctx, text, o->profiles, &pr);
    free(text);
    for (int i = 0; !rc && i < o->nbase; i++) {
        char sec[64];
        const sp_profile *p = sp_disperse_grid_layer(o->base[i].path, sec, sizeof sec)
                                  ? sp_profile_of(&pr, sec) : NULL;
        if (!p) {
            sp_warn(ctx, "-profiles: '%s' (%s) has no profile: the flat year", o->base[i].path,
                    sp_disperse_grid_layer(o->base[i].path, sec, sizeof sec) ? sec
                                                                            : "no LAYER");
            continue;
        }
        sp_disperse_options ov = *o;
        ov.met_opts.weight = profile_weight;
        ov.met_opts.weight_user = (void *)p;
        sp_disperse_report scratch;
        memset(&scratch, 0, sizeof scratch);
        if (!(stars[i] = malloc(sizeof **stars)))
            rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
        else if ((rc = sp_disperse_read_star(ctx, &ov, g, o->met_opts.cloud, stars[i], &scratch)))
            sp_error_prefix(ctx, rc, "-profiles, %s: ", sec);
        if (!rc && rep->nprofiled < 16)
            snprintf(rep->profiled[rep->nprofiled++], sizeof rep->profiled[0], "%.31s", sec);
    }
    sp_profiles_free(&pr);
    return rc;
}

sp_status sp_disperse_month_stars(sp_ctx *ctx, const sp_disperse_options *o, const sp_grid *g,
                                  const sp_disperse_input *in, int n, int month, sp_star *stars)
{
    char *text = NULL;
    sp_profiles pr = {0};
    sp_status rc = SP_OK;
    if (o->profiles) {
        rc = sp_text_read_file(ctx, o->profiles, "profiles", &text);
        if (!rc)
            rc = sp_profiles_parse(ctx, text, o->profiles, &pr);
        free(text);
    }
    for (int i = 0; !rc && i < n; i++) {
        char sec[64];
        const sp_profile *p = o->profiles && sp_disperse_grid_layer(in[i].path, sec, sizeof sec)
                                  ? sp_profile_of(&pr, sec) : NULL;
        bool off = p && p->month[month - 1] == 0; /* the sector emits nothing this month */
        sp_disperse_options ov = *o;
        ov.met_opts.month = month;
        ov.met_opts.weight = p && !off ? profile_weight : NULL;
        ov.met_opts.weight_user = (void *)p;
        sp_disperse_report scratch;
        memset(&scratch, 0, sizeof scratch);
        if ((rc = sp_disperse_read_star(ctx, &ov, g, o->met_opts.cloud, &stars[i], &scratch)))
            sp_error_prefix(ctx, rc, "-monthly, month %d: ", month);
        else if (off)
            stars[i].weight_sum = 0; /* the month's hours, no emission in them */
    }
    sp_profiles_free(&pr);
    return rc;
}
