/* sp_zonal_run: zones through OGR (reprojected to the raster's CRS with PROJ), rasters
 * through GDAL, exact cell weights and statistics from sp_zonal, overlaps and gaps of the
 * zones from their union, the vector mode with GEOS intersections, and the output
 * table (CSV written here for a fixed number format; GeoPackage/GeoJSON through OGR). */
#include "io/sp_gdalio.h"
#include "io/sp_output.h"
#include "io/sp_raster.h"
#include "io/sp_table.h"
#include "zonal/sp_zonal_impl.h"
#include "core/sp_pool.h"

#include <cpl_conv.h>
#include <cpl_string.h>
#include <gdal.h>
#include <geos_c.h>
#include <math.h>
#include <ogr_srs_api.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void sp_zonal_options_init(sp_zonal_options *o)
{
    memset(o, 0, sizeof *o);
    sp_vector_options_init(&o->zones);
    sp_vector_options_init(&o->inv);
}

void sp_zonal_report_free(sp_zonal_report *r)
{
    if (!r)
        return;
    for (int i = 0; i < r->ncols; i++)
        free(r->label[i]);
    free(r->label);
    free(r->total);
    free(r->in_zones);
    memset(r, 0, sizeof *r);
}

static void zones_free(zones *zs)
{
    for (int i = 0; i < zs->n; i++) {
        OGR_F_Destroy(zs->z[i].feat);
        OGR_G_DestroyGeometry(zs->z[i].geom);
        free(zs->z[i].id);
    }
    free(zs->z);
    free(zs->inc_idx);
}

static int cmp_zone_num(const void *a, const void *b)
{
    const zone *x = a, *y = b;
    return (x->idnum > y->idnum) - (x->idnum < y->idnum);
}
static int cmp_zone_str(const void *a, const void *b)
{
    return strcmp(((const zone *)a)->id, ((const zone *)b)->id);
}

static bool is_polygonal(OGRGeometryH g)
{
    OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(g));
    return t == wkbPolygon || t == wkbMultiPolygon || t == wkbCurvePolygon || t == wkbMultiSurface;
}


/* Reads every zone, its id and its geometry in the computing CRS (target_wkt). */
static sp_status load_zones(sp_ctx *ctx, sp_vector *v, const sp_zonal_options *o,
                            const char *target_wkt, zones *zs)
{
    sp_status rc = SP_OK;
    const char *lname = sp_vector_layer_name(v, 0);
    zs->defn = OGR_L_GetLayerDefn(sp_vector_layer(v, 0));
    zs->id_idx = -1;
    if (o->id && (rc = sp_vector_field(ctx, v, 0, o->id, &zs->id_idx)))
        return sp_error_prefix(ctx, rc, "-id: ");
    zs->ninc = sp_zonal_list_len(o->include);
    if (zs->ninc && !(zs->inc_idx = calloc((size_t)zs->ninc, sizeof *zs->inc_idx)))
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    for (int i = 0; i < zs->ninc; i++)
        if ((rc = sp_vector_field(ctx, v, 0, o->include[i], &zs->inc_idx[i])))
            return sp_error_prefix(ctx, rc, "-include: ");
    OGRSpatialReferenceH src = OSRNewSpatialReference(sp_vector_wkt(v));
    OGRSpatialReferenceH dst = OSRNewSpatialReference(target_wkt);
    OSRSetAxisMappingStrategy(src, OAMS_TRADITIONAL_GIS_ORDER);
    OSRSetAxisMappingStrategy(dst, OAMS_TRADITIONAL_GIS_ORDER);
    bool need_ct = !OSRIsSame(src, dst);
    OGRCoordinateTransformationH ct = need_ct ? OCTNewCoordinateTransformation(src, dst) : NULL;
    OSRDestroySpatialReference(src);
    OSRDestroySpatialReference(dst);
    if (need_ct && !ct)
        return sp_error_gdal(ctx, SP_ERR_DATA, "cannot reproject the zones to the raster's CRS");
    int cap = 0;
    sp_feature f;
    int got;
    zs->numeric = true;
    while ((got = sp_vector_next(ctx, v, &f)) == 1) {
        if (!f.geom || OGR_G_IsEmpty(f.geom)) {
            sp_warn(ctx, "zones layer '%s', feature %lld: empty geometry, skipped", lname, f.fid);
            continue;
        }
        if (!is_polygonal(f.geom)) {
            rc = sp_error(ctx, SP_ERR_DATA, "zones layer '%s', feature %lld: zones must be "
                          "polygons, not %s", lname, f.fid,
                          OGRGeometryTypeToName(OGR_G_GetGeometryType(f.geom)));
            break;
        }
        if (zs->n == cap) {
            cap = cap ? cap * 2 : 64;
            zone *nz = realloc(zs->z, (size_t)cap * sizeof *nz);
            if (!nz) {
                rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
                break;
            }
            zs->z = nz;
        }
        zone *z = &zs->z[zs->n];
        memset(z, 0, sizeof *z);
        z->fid = f.fid;
        char buf[32];
        if (zs->id_idx >= 0 && !OGR_F_IsFieldSetAndNotNull(f.feat, zs->id_idx)) {
            rc = sp_error(ctx, SP_ERR_DATA, "zones layer '%s', feature %lld, field '%s': the "
                          "zone id is missing", lname, f.fid, o->id);
            break;
        }
        if (zs->id_idx < 0)
            snprintf(buf, sizeof buf, "%lld", f.fid);
        z->id = strdup(zs->id_idx >= 0 ? OGR_F_GetFieldAsString(f.feat, zs->id_idx) : buf);
        z->feat = OGR_F_Clone(f.feat);
        z->geom = OGR_G_Clone(f.geom);
        zs->n++;
        if (!z->id || !z->feat || !z->geom) {
            rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
            break;
        }
        char *end;
        z->idnum = strtod(z->id, &end);
        zs->numeric &= end != z->id && !*end && isfinite(z->idnum);
        if (ct && OGR_G_Transform(z->geom, ct) != OGRERR_NONE) {
            rc = sp_error_gdal(ctx, SP_ERR_DATA, "zones layer '%s', feature %lld: cannot "
                               "reproject it to the raster's CRS", lname, f.fid);
            break;
        }
    }
    if (ct)
        OCTDestroyCoordinateTransformation(ct);
    if (rc)
        return rc;
    if (got < 0)
        return (sp_status)got;
    if (!zs->n)
        return sp_error(ctx, SP_ERR_DATA, "zones layer '%s' has no polygons", lname);
    qsort(zs->z, (size_t)zs->n, sizeof *zs->z, zs->numeric ? cmp_zone_num : cmp_zone_str);
    for (int i = 1; i < zs->n; i++)
        if (zs->numeric ? zs->z[i].idnum == zs->z[i - 1].idnum
                        : !strcmp(zs->z[i].id, zs->z[i - 1].id))
            return sp_error(ctx, SP_ERR_DATA, "zones layer '%s': id '%s' is used by features "
                            "%lld and %lld; ids must be unique (-id FIELD)", lname,
                            zs->z[i].id, zs->z[i - 1].fid, zs->z[i].fid);
    return SP_OK;
}

/* Sum of the zones' areas, the overlap (sum - union) and the holes of the union. */
static void overlaps(const zones *zs, sp_zonal_report *rep)
{
    OGRGeometryH mp = OGR_G_CreateGeometry(wkbMultiPolygon);
    double sum = 0;
    for (int i = 0; i < zs->n; i++) {
        OGRGeometryH g = OGR_G_ForceToMultiPolygon(OGR_G_Clone(zs->z[i].geom));
        sum += OGR_G_Area(g);
        for (int k = 0; k < OGR_G_GetGeometryCount(g); k++)
            OGR_G_AddGeometry(mp, OGR_G_GetGeometryRef(g, k));
        OGR_G_DestroyGeometry(g);
    }
    OGRGeometryH u = OGR_G_UnionCascaded(mp);
    rep->zones_area = sum;
    if (u) {
        rep->overlap = fmax(0, sum - OGR_G_Area(u));
        OGRGeometryH um = OGR_G_ForceToMultiPolygon(u);
        for (int k = 0; k < OGR_G_GetGeometryCount(um); k++) {
            OGRGeometryH p = OGR_G_GetGeometryRef(um, k);
            for (int r = 1; r < OGR_G_GetGeometryCount(p); r++) {
                OGRGeometryH ring = OGR_G_GetGeometryRef(p, r);
                OGRGeometryH poly = OGR_G_CreateGeometry(wkbPolygon);
                OGR_G_AddGeometry(poly, ring);
                rep->gaps += OGR_G_Area(poly);
                OGR_G_DestroyGeometry(poly);
            }
        }
        OGR_G_DestroyGeometry(um);
    }
    OGR_G_DestroyGeometry(mp);
}

static char *band_label(const sp_raster *r, int b, int number)
{
    char buf[256];
    if (r->name[b] && r->name[b][0]) {
        snprintf(buf, sizeof buf, "%s", r->name[b]);
        for (char *p = buf; *p; p++)
            if (*p == ' ' || *p == ',' || *p == '"')
                *p = '_';
    } else {
        snprintf(buf, sizeof buf, "b%d", number);
    }
    return strdup(buf);
}

/* CSV cell: quoted when it holds a comma, a quote or a line break. */
/* The output as an sp_table: id (the FID when there is no -id: "fid" in a CSV,
 * "fid_zone" where OGR keeps "fid" for itself), the included fields with their types,
 * the value columns, and the zone polygons as read. */
static sp_status make_table(sp_ctx *ctx, const zones *zs, bool csv, const char *zone_wkt,
                            char **cols, const double *values, int ncols, sp_table **out)
{
    sp_table *t = *out = sp_table_new(zs->n);
    if (!t || !(t->geom = calloc((size_t)(zs->n ? zs->n : 1), sizeof *t->geom)) ||
        !(t->wkt = strdup(zone_wkt)))
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    int nin = 1 + zs->ninc;
    for (int i = 0; i < nin; i++) {
        int fi = i == 0 ? zs->id_idx : zs->inc_idx[i - 1];
        int c = fi < 0 ? sp_table_add_text(t, csv ? "fid" : "fid_zone", OFTInteger64)
                       : sp_table_add_text(t, OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(zs->defn, fi)),
                                           OGR_Fld_GetType(OGR_FD_GetFieldDefn(zs->defn, fi)));
        if (c < 0)
            return sp_error(ctx, SP_ERR_USAGE, "column '%s' is given twice",
                            fi < 0 ? "fid" : OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(zs->defn, fi)));
        for (int z = 0; z < zs->n; z++) {
            const char *v = fi < 0 ? zs->z[z].id
                            : OGR_F_IsFieldSetAndNotNull(zs->z[z].feat, fi)
                                ? OGR_F_GetFieldAsString(zs->z[z].feat, fi) : NULL;
            if (!sp_table_set_text(t, c, z, i == 0 ? zs->z[z].id : v))
                return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
        }
    }
    for (int k = 0; k < ncols; k++) {
        int c = sp_table_add_number(t, cols[k]);
        if (c < 0)
            return sp_error(ctx, SP_ERR_USAGE, "column '%s' is given twice", cols[k]);
        for (int z = 0; z < zs->n; z++)
            t->cols[c].num[z] = values[(size_t)z * ncols + k];
    }
    for (int z = 0; z < zs->n; z++)
        t->geom[z] = OGR_G_Clone(OGR_F_GetGeometryRef(zs->z[z].feat));
    return SP_OK;
}

/* The metric CRS of the vector mode: the zones' own when projected, else their UTM
 * zone. Returns a malloc'd WKT. */
static char *vector_crs(sp_ctx *ctx, sp_vector *zv)
{
    OGRSpatialReferenceH s = OSRNewSpatialReference(sp_vector_wkt(zv));
    char *wkt = NULL;
    if (!OSRIsGeographic(s)) {
        wkt = strdup(sp_vector_wkt(zv));
    } else {
        double x0, y0, x1, y1;
        if (sp_vector_extent(ctx, zv, &x0, &y0, &x1, &y1) == SP_OK) {
            int epsg = sp_vector_utm_epsg((x0 + x1) / 2, (y0 + y1) / 2);
            OGRSpatialReferenceH u = OSRNewSpatialReference(NULL);
            OSRImportFromEPSG(u, epsg);
            char *w = NULL;
            OSRExportToWkt(u, &w);
            wkt = w ? strdup(w) : NULL;
            CPLFree(w);
            OSRDestroySpatialReference(u);
            sp_warn(ctx, "the zones are in a geographic CRS: measuring in EPSG:%d (UTM zone "
                    "%d%s)", epsg, epsg % 100, epsg < 32700 ? "N" : "S");
        }
    }
    OSRDestroySpatialReference(s);
    return wkt;
}

/* The options among themselves (the tool's flags), before any I/O: the output format
 * (*fmt, *drv: NULL for the CSV written here), the mode's inputs and statistics. */
static sp_status check_options(sp_ctx *ctx, const sp_zonal_options *o, const char *dst,
                               const char **fmt, GDALDriverH *drv)
{
    /* a shard writes its part (name.zonal), not a table */
    sp_status rc = o->part.shard.count ? (*fmt = "CSV", SP_OK)
                                       : sp_table_format(ctx, dst, o->format, &o->write, fmt);
    if (rc)
        return rc;
    *drv = strcasecmp(*fmt, "CSV") ? GDALGetDriverByName(*fmt) : NULL;
    bool vec = o->inventory != NULL, wmean = false;
    if (vec && (o->nrasters || !o->fields))
        return sp_error(ctx, SP_ERR_USAGE, o->nrasters ? "-v does not take rasters"
                                                       : "-v needs -a FIELD[,FIELD...]");
    if (!vec && o->fields)
        return sp_error(ctx, SP_ERR_USAGE, "-a is for the vector mode (-v)");
    if (!vec && !o->nrasters)
        return sp_error(ctx, SP_ERR_USAGE, "no raster: give RASTER, -r NAME=RASTER or -v "
                        "INVENTORY");
    for (int k = 0; k < o->nrasters; k++)
        for (int j = 0; j < k; j++)
            if (o->rasters[k].name && o->rasters[j].name &&
                !strcmp(o->rasters[k].name, o->rasters[j].name))
                return sp_error(ctx, SP_ERR_USAGE, "-r: the name '%s' is given twice",
                                o->rasters[k].name);
    for (int s = 0; s < o->nstats; s++)
        wmean |= (SP_STATS[o->stats[s].kind]->needs & SP_NEED_WEIGHTS) != 0;
    if (wmean && (!o->weights || vec))
        return sp_error(ctx, SP_ERR_USAGE, "weighted_mean needs -weights RASTER (e.g. a "
                        "population grid) and a raster to weigh");
    if (o->weights && !wmean)
        return sp_error(ctx, SP_ERR_USAGE, "-weights is for -stats weighted_mean");
    if (vec)
        for (int s = 0; s < o->nstats; s++)
            if (!(SP_STATS[o->stats[s].kind]->needs & SP_NEED_VECTOR))
                return sp_error(ctx, SP_ERR_USAGE, "-stats '%s' needs a raster; the vector "
                                "mode gives sum, area_km2, density and share", o->stats[s].name);
    return SP_OK;
}

/* Raster mode: the rasters' headers (same bands, a CRS). */
static sp_status open_rasters(sp_ctx *ctx, const sp_zonal_options *o, sp_raster ***out)
{
    sp_raster **rs = calloc((size_t)o->nrasters, sizeof *rs);
    *out = rs;
    if (!rs)
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    sp_status rc;
    for (int k = 0; k < o->nrasters; k++) {
        if ((rc = sp_raster_read_info(ctx, o->rasters[k].path, o->bands, o->nbands, &rs[k])))
            return rc;
        if (rs[k]->nbands != rs[0]->nbands)
            return sp_error(ctx, SP_ERR_DATA, "'%s' has %d band(s), '%s' %d: the rasters must "
                            "have the same bands", o->rasters[k].path, rs[k]->nbands,
                            o->rasters[0].path, rs[0]->nbands);
    }
    if (!rs[0]->grid.wkt || !rs[0]->grid.wkt[0])
        return sp_error(ctx, SP_ERR_DATA, "'%s' has no CRS", o->rasters[0].path);
    return SP_OK;
}

/* The zones in the computing CRS (*target: the raster's, or a metric one for the
 * vector mode), with the overlap and gap warnings. */
static sp_status open_zones(sp_ctx *ctx, const char *zones_path, const sp_zonal_options *o,
                            sp_raster **rs, sp_vector **zv, char **target, zones *zs,
                            sp_zonal_report *rep)
{
    sp_vector_options zo = o->zones;
    zo.keep_crs = true;
    zo.t_srs = NULL;
    sp_status rc;
    if ((rc = sp_vector_open(ctx, zones_path, &zo, zv)))
        return rc;
    if (sp_vector_layer_count(*zv) != 1)
        return sp_error(ctx, SP_ERR_USAGE, "'%s' has %d layers; name the zones layer with -zl",
                        zones_path, sp_vector_layer_count(*zv));
    *target = o->inventory ? vector_crs(ctx, *zv) : strdup(rs[0]->grid.wkt);
    if (!*target)
        return sp_error(ctx, SP_ERR_DATA, "cannot set up the CRS to compute in");
    if ((rc = load_zones(ctx, *zv, o, *target, zs)))
        return rc;
    rep->nzones = zs->n;
    if (o->part.shard.count) /* a shard: the merge finds and reports them (GEOS's union was */
        return SP_OK;        /* half of a shard's time); its strips count overlaps as if any */
    overlaps(zs, rep);
    /* real boundaries overlap and leave gaps at the 1e-7 level; more is a data error */
    if (rep->overlap > 1e-6 * rep->zones_area)
        sp_warn(ctx, "the zones overlap by %.6g m2 (%.3g %% of their area): the overlapping "
                "parts are counted in each zone", rep->overlap,
                100 * rep->overlap / rep->zones_area);
    if (rep->gaps > 1e-6 * rep->zones_area)
        sp_warn(ctx, "the zones leave gaps of %.6g m2 inside them", rep->gaps);
    return SP_OK;
}

/* The value columns: <raster>_<band>_<stat> (nvals of them), then with two rasters
 * delta_... and delta_pct_...; the report's labels. */
typedef struct {
    char **cols;
    int ncols, nvals, nb;
    bool delta;
} columns;

static sp_status make_columns(sp_ctx *ctx, const sp_zonal_options *o, sp_raster **rs,
                              columns *c, sp_zonal_report *rep)
{
    bool vec = o->inventory != NULL;
    int nb = vec ? sp_zonal_list_len(o->fields) : rs[0]->nbands, nr = vec ? 1 : o->nrasters;
    c->nb = nb;
    c->nvals = nr * nb * o->nstats;
    c->delta = !vec && o->nrasters == 2 && !o->no_delta;
    c->ncols = c->nvals + (c->delta ? 2 * nb * o->nstats : 0);
    rep->ncols = nr * nb;
    c->cols = calloc((size_t)(c->ncols ? c->ncols : 1), sizeof *c->cols);
    rep->label = calloc((size_t)rep->ncols, sizeof *rep->label);
    rep->total = calloc((size_t)rep->ncols, sizeof *rep->total);
    rep->in_zones = calloc((size_t)rep->ncols, sizeof *rep->in_zones);
    if (!c->cols || !rep->label || !rep->total || !rep->in_zones)
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    for (int k = 0; k < nr; k++)
        for (int b = 0; b < nb; b++) {
            const char *rn = vec ? NULL : o->rasters[k].name;
            char *bl = vec ? strdup(o->fields[b])
                           : band_label(rs[k], b, o->bands && o->nbands ? o->bands[b] : b + 1);
            char lab[300], col[340];
            snprintf(lab, sizeof lab, "%s%s%s", rn ? rn : "", rn ? "_" : "", bl ? bl : "");
            rep->label[k * nb + b] = strdup(lab);
            for (int s = 0; s < o->nstats; s++) {
                const char *st = o->stats[s].name;
                snprintf(col, sizeof col, "%s_%s", lab, st);
                c->cols[(k * nb + b) * o->nstats + s] = strdup(col);
                if (c->delta && k == 0) {
                    snprintf(col, sizeof col, "delta_%s_%s", bl ? bl : "", st);
                    c->cols[c->nvals + b * o->nstats + s] = strdup(col);
                    snprintf(col, sizeof col, "delta_pct_%s_%s", bl ? bl : "", st);
                    c->cols[c->nvals + (nb + b) * o->nstats + s] = strdup(col);
                }
            }
            free(bl);
        }
    for (int k = 0; k < c->ncols; k++)
        if (!c->cols[k])
            return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    return SP_OK;
}

/* Two rasters: second - first, and its percentage of the first. */
static void fill_deltas(const columns *c, int nzones, int nstats, double *values)
{
    int n = c->nb * nstats;
    for (int z = 0; z < nzones; z++) {
        double *row = values + (size_t)z * c->ncols;
        for (int i = 0; i < n; i++) {
            double a = row[i], b = row[n + i];
            row[c->nvals + i] = b - a;
            row[c->nvals + n + i] = a != 0 ? 100 * (b - a) / a : NAN;
        }
    }
}

sp_status sp_zonal_run(sp_ctx *ctx, const char *zones_path, const char *dst,
                       const sp_zonal_options *opt, sp_zonal_report *rep)
{
    memset(rep, 0, sizeof *rep);
    sp_zonal_options o = *opt;
    sp_stat *defaults = NULL;
    sp_status rc;
    if (!o.nstats) { /* the vector mode has no cells: no mean or count */
        const char *d = o.inventory ? "sum,area_km2,density,share"
                                    : "sum,mean,count,area_km2,density,share";
        if ((rc = sp_stats_parse(ctx, d, &defaults, &o.nstats)))
            return rc;
        o.stats = defaults;
    }
    const char *fmt = NULL;
    GDALDriverH drv = NULL;
    sp_raster **rs = NULL;
    sp_vector *zv = NULL;
    zones zs = {0};
    char *target = NULL;
    columns c = {0};
    double *values = NULL;
    sp_table *table = NULL;
    if ((rc = check_options(ctx, &o, dst, &fmt, &drv)))
        goto done;
    if (o.points) { /* values at points: no statistics, no coverage */
        rc = sp_zonal_points(ctx, zones_path, dst, &o);
        goto done;
    }
    sp_zonal_shard sh;
    sp_output part;
    if ((rc = sp_zonal_shard_setup(ctx, &o, zones_path, dst, &sh, &part))) {
        rc = sp_zonal_shard_finish(ctx, &o, zones_path, dst, &sh, &part, rc);
        goto done;
    }
    if ((!o.inventory && (rc = open_rasters(ctx, &o, &rs))) ||
        (rc = open_zones(ctx, zones_path, &o, rs, &zv, &target, &zs, rep)) ||
        (rc = make_columns(ctx, &o, rs, &c, rep))) {
        rc = sp_zonal_shard_finish(ctx, &o, zones_path, dst, &sh, &part, rc);
        goto done;
    }
    zs.shard = o.part.shard.count || o.from_parts ? &sh : NULL;
    if (!(values = malloc((size_t)zs.n * (size_t)(c.ncols ? c.ncols : 1) * sizeof *values))) {
        rc = sp_zonal_shard_finish(ctx, &o, zones_path, dst, &sh, &part,
                                   sp_error(ctx, SP_ERR_NOMEM, "out of memory"));
        goto done;
    }
    rc = o.inventory ? sp_zonal_vector_stats(ctx, &o, &zs, target, values, c.ncols, rep)
                     : sp_zonal_raster_stats(ctx, &o, rs, &zs, values, c.ncols, rep);
    if (!rc && o.weights)
        rc = sp_zonal_weighted_means(ctx, &o, rs, &zs, values, c.ncols);
    rc = sp_zonal_shard_finish(ctx, &o, zones_path, dst, &sh, &part, rc);
    if (rc || o.part.shard.count) /* a shard: its part, no table */
        goto done;
    if (c.delta)
        fill_deltas(&c, zs.n, o.nstats, values);
    if (!(rc = make_table(ctx, &zs, !drv, sp_vector_wkt(zv), c.cols, values, c.ncols, &table)))
        rc = sp_table_write_with(ctx, table, dst, drv ? fmt : "CSV", &o.write);
    /* 100 % from the run once the table is written: the workers only report along the way
     * (worker 0, which may finish before the others) */
    if (!rc && o.progress)
        o.progress(1.0, NULL, o.progress_user);
done:
    sp_table_free(table);
    for (int k = 0; c.cols && k < c.ncols; k++)
        free(c.cols[k]);
    free(c.cols);
    free(values);
    free(target);
    zones_free(&zs);
    sp_vector_close(zv);
    for (int k = 0; rs && k < o.nrasters; k++)
        sp_raster_free(rs[k]);
    free(rs);
    free(defaults);
    if (rc)
        sp_zonal_report_free(rep);
    return rc;
}
