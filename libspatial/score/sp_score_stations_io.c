/* sp_score_stations: monitoring stations joined to the zones (sp-score -stations): the
 * mean of the stations inside a zone, else inverse-distance weighting from its centroid,
 * in a metric CRS (the zones' own, or their UTM zone). */
#include "score/sp_score_impl.h"

#include <cpl_conv.h>
#include <math.h>
#include <ogr_srs_api.h>
#include <stdio.h>

/* The CRS to measure distances in: the zones' own, or their UTM zone when geographic
 * (*ct from the zones' CRS then, else NULL); its WKT in *wkt (CPLFree). */
static void metric_crs(const sp_table *t, OGRSpatialReferenceH zs, OGRSpatialReferenceH *ms,
                       OGRCoordinateTransformationH *ct, char **wkt)
{
    *ms = NULL;
    *ct = NULL;
    if (OSRIsGeographic(zs)) {
        OGREnvelope e = {0}, ge;
        bool first = true;
        for (int r = 0; r < t->nrows; r++)
            if (t->geom[r]) {
                OGR_G_GetEnvelope(t->geom[r], &ge);
                if (first) {
                    e = ge;
                } else {
                    e.MinX = fmin(e.MinX, ge.MinX); e.MaxX = fmax(e.MaxX, ge.MaxX);
                    e.MinY = fmin(e.MinY, ge.MinY); e.MaxY = fmax(e.MaxY, ge.MaxY);
                }
                first = false;
            }
        *ms = OSRNewSpatialReference(NULL);
        OSRImportFromEPSG(*ms, sp_vector_utm_epsg((e.MinX + e.MaxX) / 2, (e.MinY + e.MaxY) / 2));
        OSRSetAxisMappingStrategy(*ms, OAMS_TRADITIONAL_GIS_ORDER);
        *ct = OCTNewCoordinateTransformation(zs, *ms);
    }
    *wkt = NULL;
    OSRExportToWkt(*ms ? *ms : zs, wkt);
}

typedef struct {
    double *x, *y, *v;
    int n, cap;
} station_list;

/* The stations (points) and their values, in the CRS wkt. */
static sp_status read_stations(sp_ctx *ctx, const sp_score_options *o, const char *wkt,
                               station_list *sl)
{
    sp_vector_options vo = o->st;
    vo.t_srs = wkt;
    sp_vector *v = NULL;
    int fidx = -1, k;
    sp_status rc = sp_vector_open(ctx, o->stations, &vo, &v);
    if (!rc)
        rc = sp_vector_field(ctx, v, 0, o->station_field, &fidx);
    sp_feature f;
    while (!rc && (k = sp_vector_next(ctx, v, &f)) != 0) {
        if (k < 0) {
            rc = (sp_status)k;
            break;
        }
        if (!f.geom || wkbFlatten(OGR_G_GetGeometryType(f.geom)) != wkbPoint) {
            rc = sp_error(ctx, SP_ERR_DATA, "'%s': feature %lld is not a point", o->stations,
                          f.fid);
            break;
        }
        double val;
        if ((rc = sp_vector_number(ctx, v, &f, fidx, 0, &val)))
            break;
        if (sl->n == sl->cap) {
            sl->cap = sl->cap ? 2 * sl->cap : 16;
            double *a = realloc(sl->x, sl->cap * sizeof *a); if (a) sl->x = a;
            double *b = realloc(sl->y, sl->cap * sizeof *b); if (b) sl->y = b;
            double *c = realloc(sl->v, sl->cap * sizeof *c); if (c) sl->v = c;
            if (!a || !b || !c) {
                rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
                break;
            }
        }
        sl->x[sl->n] = OGR_G_GetX(f.geom, 0);
        sl->y[sl->n] = OGR_G_GetY(f.geom, 0);
        sl->v[sl->n++] = val;
    }
    sp_vector_close(v);
    if (!rc && sl->n == 0)
        rc = sp_error(ctx, SP_ERR_DATA, "'%s' has no stations", o->stations);
    return rc;
}

/* Zone r's value: the mean of the stations inside it, else IDW from its centroid; how
 * it was made into b. d: scratch for the distances. */
static double zone_value(OGRGeometryH zone, OGRCoordinateTransformationH ct,
                         const station_list *sl, double power, double *d, char *b, size_t bn)
{
    OGRGeometryH g = OGR_G_Clone(zone);
    if (ct)
        OGR_G_Transform(g, ct);
    OGRGeometryH c = OGR_G_CreateGeometry(wkbPoint);
    OGR_G_Centroid(g, c);
    double cx = OGR_G_GetX(c, 0), cy = OGR_G_GetY(c, 0), sum = 0, val;
    int in = 0;
    for (int i = 0; i < sl->n; i++) {
        OGRGeometryH p = OGR_G_CreateGeometry(wkbPoint);
        OGR_G_AddPoint_2D(p, sl->x[i], sl->y[i]);
        if (OGR_G_Contains(g, p)) {
            sum += sl->v[i];
            in++;
        }
        OGR_G_DestroyGeometry(p);
        d[i] = hypot(sl->x[i] - cx, sl->y[i] - cy);
    }
    if (in) {
        val = sum / in;
        snprintf(b, bn, "mean of %d station(s) in the zone", in);
    } else {
        val = sp_score_idw(d, sl->v, sl->n, power);
        snprintf(b, bn, "IDW of %d stations (power %g)", sl->n, power);
    }
    OGR_G_DestroyGeometry(c);
    OGR_G_DestroyGeometry(g);
    return val;
}

sp_status sp_score_stations(sp_ctx *ctx, const sp_score_options *o, zones *z)
{
    sp_table *t = z->t;
    if (!t->geom || !t->wkt)
        return sp_error(ctx, SP_ERR_USAGE, "-stations needs the zone polygons: give a table "
                        "with geometry (sp-zonal .gpkg) or -zones");
    OGRSpatialReferenceH zs = OSRNewSpatialReference(t->wkt), ms;
    OSRSetAxisMappingStrategy(zs, OAMS_TRADITIONAL_GIS_ORDER);
    OGRCoordinateTransformationH ct;
    char *mwkt;
    metric_crs(t, zs, &ms, &ct, &mwkt);
    station_list sl = {0};
    double *d = NULL;
    char col[200], how[200];
    snprintf(col, sizeof col, "station_%s", o->station_field);
    snprintf(how, sizeof how, "station_%s_from", o->station_field);
    int vc = -1, hc = -1;
    sp_status rc = read_stations(ctx, o, mwkt, &sl);
    if (!rc && ((vc = sp_table_add_number(t, col)) < 0 ||
                (hc = sp_table_add_text(t, how, OFTString)) < 0))
        rc = sp_error(ctx, SP_ERR_DATA, "cannot add column '%s': the table has it already", col);
    if (!rc && !(d = malloc((size_t)sl.n * sizeof *d)))
        rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    for (int r = 0; r < (rc ? 0 : t->nrows); r++) {
        if (!t->geom[r])
            continue;
        char b[96];
        t->cols[vc].num[r] = zone_value(t->geom[r], ct, &sl, o->idw_power, d, b, sizeof b);
        if (!sp_table_set_text(t, hc, r, b))
            rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    }
    free(sl.x); free(sl.y); free(sl.v); free(d);
    CPLFree(mwkt);
    if (ct)
        OCTDestroyCoordinateTransformation(ct);
    if (ms)
        OSRDestroySpatialReference(ms);
    OSRDestroySpatialReference(zs);
    return rc;
}
