/* sp_vector: OGR input. Axis order is forced to the traditional GIS order (x = easting
 * or longitude) on every CRS, so that EPSG:4326 data is read lon/lat whatever the
 * authority says. GCJ-02/BD-09 corrections are applied to lon/lat before reprojection. */
#include "io/sp_vector.h"
#include "io/sp_vector_impl.h"
#include "core/sp_text.h"
#include "io/sp_valid.h"
#include "io/sp_ctx_io.h"

#include <cpl_conv.h>
#include <cpl_string.h>
#include <gdal.h>
#include <math.h>
#include <ogr_srs_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

void sp_vector_options_init(sp_vector_options *o) { memset(o, 0, sizeof *o); }

static OGRSpatialReferenceH srs_from_user(sp_ctx *ctx, const char *text, sp_status *rc)
{
    OGRSpatialReferenceH s = OSRNewSpatialReference(NULL);
    if (OSRSetFromUserInput(s, text) != OGRERR_NONE) {
        OSRDestroySpatialReference(s);
        *rc = sp_error_gdal(ctx, SP_ERR_USAGE, "unknown CRS '%s'", text);
        return NULL;
    }
    OSRSetAxisMappingStrategy(s, OAMS_TRADITIONAL_GIS_ORDER);
    return s;
}

int sp_vector_utm_epsg(double lon, double lat)
{
    if (!(lon >= -180 && lon <= 180)) /* NaN too: never convert out of int's range */
        lon = 0;
    int zone = (int)floor((lon + 180.0) / 6.0) + 1;
    if (zone < 1)
        zone = 1;
    if (zone > 60)
        zone = 60;
    return (lat >= 0 ? 32600 : 32700) + zone;
}

static sp_status add_layer(sp_ctx *ctx, sp_vector *v, OGRLayerH l)
{
    vlayer *nl = realloc(v->layers, (size_t)(v->nlayers + 1) * sizeof *nl);
    if (!nl)
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    v->layers = nl;
    vlayer *vl = &v->layers[v->nlayers++];
    memset(vl, 0, sizeof *vl);
    vl->layer = l;
    vl->has_geom = OGR_L_GetGeomType(l) != wkbNone;
    vl->name = strdup(OGR_L_GetName(l));
    return vl->name ? SP_OK : sp_error(ctx, SP_ERR_NOMEM, "out of memory");
}

static sp_status list_layers(sp_ctx *ctx, GDALDatasetH ds, const char *path, const char *want)
{
    char buf[1024] = "";
    int n = GDALDatasetGetLayerCount(ds);
    for (int i = 0; i < n; i++) {
        size_t len = strlen(buf);
        snprintf(buf + len, sizeof buf - len, "%s'%s'", i ? ", " : "",
                 OGR_L_GetName(GDALDatasetGetLayer(ds, i)));
    }
    return sp_error(ctx, SP_ERR_USAGE, "'%s' has no layer '%s' (layers: %s)", path, want,
                    n ? buf : "none");
}

/* a shapefile's non-empty .prj beside its .shp (a copy), or NULL; GDAL leaves an
 * unparseable one out of the dataset's file list */
static const char *prj_of(GDALDatasetH ds)
{
    char **files = GDALGetFileList(ds);
    char *found = NULL;
    for (char **f = files; f && *f && !found; f++) {
        size_t n = strlen(*f);
        if (n < 4 || strcasecmp(*f + n - 4, ".shp") || !(found = strdup(*f)))
            continue;
        struct stat st;
        strcpy(found + n - 3, "prj");
        if (stat(found, &st) != 0 || st.st_size == 0) {
            strcpy(found + n - 3, "PRJ");
            if (stat(found, &st) != 0 || st.st_size == 0) {
                free(found);
                found = NULL;
            }
        }
    }
    CSLDestroy(files);
    return found;
}

/* The dataset (with open options and encoding) and its layers: the SQL result, the
 * named ones or all. */
static sp_status open_layers(sp_ctx *ctx, sp_vector *v, const char *path,
                             const sp_vector_options *o)
{
    char **oo = CSLDuplicate((char **)o->open_options);
    if (o->encoding)
        oo = CSLSetNameValue(oo, "ENCODING", o->encoding);
    v->ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL,
                       (const char *const *)oo, NULL);
    CSLDestroy(oo);
    if (!v->ds)
        return sp_error_gdal(ctx, SP_ERR_IO, "cannot open '%s'", path);
    sp_status rc;
    if ((rc = sp_ctx_add_dataset(ctx, v->ds, path)))
        return rc;
    if (o->sql) {
        v->sql_layer = GDALDatasetExecuteSQL(v->ds, o->sql, NULL, o->dialect);
        if (!v->sql_layer)
            return sp_error_gdal(ctx, SP_ERR_USAGE, "SQL failed on '%s'", path);
        return add_layer(ctx, v, v->sql_layer);
    }
    if (o->nlayers > 0) {
        for (int i = 0; i < o->nlayers; i++) {
            OGRLayerH l = GDALDatasetGetLayerByName(v->ds, o->layers[i]);
            if (!l)
                return list_layers(ctx, v->ds, path, o->layers[i]);
            if ((rc = add_layer(ctx, v, l)))
                return rc;
        }
    } else {
        int n = GDALDatasetGetLayerCount(v->ds);
        for (int i = 0; i < n; i++)
            if ((rc = add_layer(ctx, v, GDALDatasetGetLayer(v->ds, i))))
                return rc;
    }
    if (v->nlayers == 0)
        return sp_error(ctx, SP_ERR_DATA, "'%s' has no vector layers", path);
    return SP_OK;
}

/* No -t_srs: the layer's own CRS, or for geographic data the UTM zone of its centre
 * (auto_utm), or an error saying to give -t_srs. */
static sp_status choose_target(sp_ctx *ctx, sp_vector *v, const vlayer *vl,
                               const sp_vector_options *o)
{
    if (!OSRIsGeographic(vl->src) || o->keep_crs) {
        v->dst = OSRClone(vl->src);
        OSRSetAxisMappingStrategy(v->dst, OAMS_TRADITIONAL_GIS_ORDER);
        return SP_OK;
    }
    if (!o->auto_utm)
        return sp_error(ctx, SP_ERR_USAGE, "layer '%s' is in geographic coordinates; give a "
                        "projected CRS with -t_srs (e.g. EPSG:32650)", vl->name);
    OGREnvelope e;
    if (OGR_L_GetExtent(vl->layer, &e, TRUE) != OGRERR_NONE)
        return sp_error(ctx, SP_ERR_DATA, "layer '%s' is empty", vl->name);
    if (!(e.MinX >= -180 && e.MaxX <= 180 && e.MinY >= -90 && e.MaxY <= 90))
        return sp_error(ctx, SP_ERR_DATA, "layer '%s' is in geographic coordinates but its "
                        "extent (%g %g, %g %g) is not on the globe: a corrupt coordinate, or a "
                        "wrong CRS (give -s_srs)", vl->name, e.MinX, e.MinY, e.MaxX, e.MaxY);
    int epsg = sp_vector_utm_epsg(0.5 * (e.MinX + e.MaxX), 0.5 * (e.MinY + e.MaxY));
    v->dst = OSRNewSpatialReference(NULL);
    OSRImportFromEPSG(v->dst, epsg);
    OSRSetAxisMappingStrategy(v->dst, OAMS_TRADITIONAL_GIS_ORDER);
    sp_warn(ctx, "no -t_srs given: computing in EPSG:%d (UTM zone %d%s), the zone of the "
            "data's centre", epsg, epsg % 100, epsg < 32700 ? "N" : "S");
    return SP_OK;
}

/* A layer's filter, source CRS (or user_src), the target CRS and the transformation. */
static sp_status prepare_layer(sp_ctx *ctx, sp_vector *v, vlayer *vl, const char *path,
                               const sp_vector_options *o, OGRSpatialReferenceH user_src)
{
    if (o->where && !v->where && !(v->where = strdup(o->where)))
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    if (o->where && OGR_L_SetAttributeFilter(vl->layer, o->where) != OGRERR_NONE)
        return sp_error_gdal(ctx, SP_ERR_USAGE, "layer '%s': bad -where '%s'", vl->name,
                             o->where);
    OGRSpatialReferenceH s = user_src ? user_src : OGR_L_GetSpatialRef(vl->layer);
    if (!s) {
        const char *prj = prj_of(v->ds);
        sp_status rc =
            prj ? sp_error(ctx, SP_ERR_DATA, "layer '%s' of '%s': its CRS file '%s' cannot be "
                           "parsed; give the CRS with -s_srs (e.g. -s_srs EPSG:4326)", vl->name,
                           path, prj)
                : sp_error(ctx, SP_ERR_DATA, "layer '%s' of '%s' has no CRS; give it with "
                           "-s_srs (e.g. -s_srs EPSG:4326)", vl->name, path);
        free((char *)prj);
        return rc;
    }
    vl->src = OSRClone(s);
    OSRSetAxisMappingStrategy(vl->src, OAMS_TRADITIONAL_GIS_ORDER);
    if (o->s_coord != SP_COORD_WGS84 && !OSRIsGeographic(vl->src))
        return sp_error(ctx, SP_ERR_USAGE, "layer '%s': -s_coord %s needs lon/lat input, but "
                        "the layer's CRS is projected", vl->name, sp_coord_name(o->s_coord));
    sp_status rc;
    if (!v->dst && (rc = choose_target(ctx, v, vl, o)))
        return rc;
    /* GCJ-02/BD-09 corrections produce WGS84 lon/lat; reproject from there */
    OGRSpatialReferenceH from = vl->src, wgs = NULL;
    if (o->s_coord != SP_COORD_WGS84) {
        wgs = OSRNewSpatialReference(NULL);
        OSRSetWellKnownGeogCS(wgs, "WGS84");
        OSRSetAxisMappingStrategy(wgs, OAMS_TRADITIONAL_GIS_ORDER);
        from = wgs;
    }
    rc = SP_OK;
    if (!OSRIsSame(from, v->dst) && !(vl->ct = OCTNewCoordinateTransformation(from, v->dst)))
        rc = sp_error_gdal(ctx, SP_ERR_DATA, "layer '%s': cannot transform to the target CRS",
                           vl->name);
    OSRDestroySpatialReference(wgs);
    return rc;
}

sp_status sp_vector_open(sp_ctx *ctx, const char *path, const sp_vector_options *o,
                         sp_vector **out)
{
    *out = NULL;
    sp_vector_options def;
    if (!o) {
        sp_vector_options_init(&def);
        o = &def;
    }
    sp_vector *v = calloc(1, sizeof *v);
    if (!v || !(v->path = strdup(path))) {
        free(v);
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    }
    v->opts = *o;
    v->s_coord = o->s_coord;
    OGRSpatialReferenceH user_src = NULL;
    sp_status rc = open_layers(ctx, v, path, o);
    if (!rc && o->s_srs && !(user_src = srs_from_user(ctx, o->s_srs, &rc)))
        goto fail;
    if (!rc && o->t_srs && !(v->dst = srs_from_user(ctx, o->t_srs, &rc)))
        goto fail;
    for (int i = 0; i < v->nlayers && !rc; i++)
        rc = prepare_layer(ctx, v, &v->layers[i], path, o, user_src);
    if (rc)
        goto fail;
    char *wkt = NULL;
    const char *wopt[] = {"FORMAT=WKT2_2018", NULL};
    if (OSRExportToWktEx(v->dst, &wkt, wopt) != OGRERR_NONE || !wkt) {
        CPLFree(wkt);
        rc = sp_error(ctx, SP_ERR_INTERNAL, "cannot export the target CRS to WKT");
        goto fail;
    }
    v->dst_wkt = strdup(wkt);
    CPLFree(wkt);
    if (!v->dst_wkt) {
        rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
        goto fail;
    }
    OSRDestroySpatialReference(user_src);
    *out = v;
    return SP_OK;
fail:
    OSRDestroySpatialReference(user_src);
    sp_vector_close(v);
    return rc;
}

void sp_vector_close(sp_vector *v)
{
    if (!v)
        return;
    if (v->last)
        OGR_F_Destroy(v->last);
    for (int i = 0; i < v->nlayers; i++) {
        free(v->layers[i].name);
        if (v->layers[i].ct)
            OCTDestroyCoordinateTransformation(v->layers[i].ct);
        if (v->layers[i].src)
            OSRDestroySpatialReference(v->layers[i].src);
    }
    free(v->layers);
    if (v->sql_layer)
        GDALDatasetReleaseResultSet(v->ds, v->sql_layer);
    if (v->dst)
        OSRDestroySpatialReference(v->dst);
    free(v->dst_wkt);
    free(v->where);
    free(v->path);
    if (v->ds)
        GDALClose(v->ds);
    free(v);
}

sp_status sp_vector_reopen(sp_ctx *ctx, const sp_vector *v, sp_vector **out)
{
    sp_vector_options o = v->opts;
    o.t_srs = v->dst_wkt; /* the CRS chosen the first time (e.g. the UTM zone) */
    return sp_vector_open(ctx, v->path, &o, out);
}

char *sp_vector_sql_quote(const char *s)
{
    if (!s || !*s || strchr(s, '"'))
        return NULL;
    size_t n = strlen(s) + 3;
    char *q = malloc(n);
    if (q)
        snprintf(q, n, "\"%s\"", s);
    return q;
}

/* The FID column of a GeoPackage layer, quoted for SQL, or NULL. */
static char *gpkg_fid(const sp_vector *v)
{
    GDALDriverH d = GDALGetDatasetDriver(v->ds);
    if (v->sql_layer || v->nlayers != 1 || !d || strcmp(GDALGetDriverShortName(d), "GPKG"))
        return NULL;
    return sp_vector_sql_quote(OGR_L_GetFIDColumn(v->layers[0].layer));
}

bool sp_vector_split_point(sp_vector *v, long long *mid)
{
    char *fid = gpkg_fid(v);
    if (!fid || strchr(v->layers[0].name, '"')) {
        free(fid);
        return false;
    }
    char sql[1024];
    snprintf(sql, sizeof sql, "SELECT MIN(%s), MAX(%s) FROM \"%s\"", fid, fid,
             v->layers[0].name);
    free(fid);
    OGRLayerH l = GDALDatasetExecuteSQL(v->ds, sql, NULL, NULL);
    if (!l)
        return false;
    OGRFeatureH f = OGR_L_GetNextFeature(l);
    bool ok = f && OGR_F_IsFieldSetAndNotNull(f, 0) && OGR_F_IsFieldSetAndNotNull(f, 1);
    if (ok) {
        long long lo = OGR_F_GetFieldAsInteger64(f, 0), hi = OGR_F_GetFieldAsInteger64(f, 1);
        *mid = lo + (hi - lo + 1) / 2;
        ok = hi > lo;
    }
    if (f)
        OGR_F_Destroy(f);
    GDALDatasetReleaseResultSet(v->ds, l);
    return ok;
}

sp_status sp_vector_restrict(sp_ctx *ctx, sp_vector *v, int part, long long mid)
{
    char *fid = gpkg_fid(v);
    if (!fid)
        return sp_error(ctx, SP_ERR_INTERNAL, "this source cannot be split");
    size_t n = (v->where ? strlen(v->where) : 0) + strlen(fid) + 64;
    char *w = malloc(n);
    if (!w) {
        free(fid);
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    }
    if (v->where)
        snprintf(w, n, "(%s) AND %s %s %lld", v->where, fid, part ? ">=" : "<", mid);
    else
        snprintf(w, n, "%s %s %lld", fid, part ? ">=" : "<", mid);
    free(fid);
    v->restricted = true;
    v->part = part;
    v->mid = mid;
    OGRErr e = OGR_L_SetAttributeFilter(v->layers[0].layer, w);
    free(w);
    sp_vector_rewind(v);
    return e == OGRERR_NONE ? SP_OK : sp_error_gdal(ctx, SP_ERR_INTERNAL, "cannot split the "
                                                                          "layer's features");
}

int sp_vector_layer_count(const sp_vector *v) { return v->nlayers; }
const char *sp_vector_layer_name(const sp_vector *v, int i) { return v->layers[i].name; }
OGRLayerH sp_vector_layer(const sp_vector *v, int i) { return v->layers[i].layer; }
const char *sp_vector_wkt(const sp_vector *v) { return v->dst_wkt; }
const char *sp_vector_where(const sp_vector *v) { return v->where; }

long long sp_vector_count(sp_vector *v)
{
    long long n = 0;
    for (int i = 0; i < v->nlayers; i++) {
        GIntBig c = OGR_L_GetFeatureCount(v->layers[i].layer, TRUE);
        if (c < 0)
            return -1;
        n += c;
    }
    return n;
}

sp_status sp_vector_extent(sp_ctx *ctx, sp_vector *v, double *xmin, double *ymin,
                           double *xmax, double *ymax)
{
    double a = INFINITY, b = INFINITY, c = -INFINITY, d = -INFINITY;
    for (int i = 0; i < v->nlayers; i++) {
        vlayer *vl = &v->layers[i];
        OGREnvelope e;
        if (OGR_L_GetExtent(vl->layer, &e, TRUE) != OGRERR_NONE)
            continue;
        double big = fmax(fmax(fabs(e.MinX), fabs(e.MaxX)), fmax(fabs(e.MinY), fabs(e.MaxY)));
        if (!(big <= SP_COORD_MAX)) /* NaN fails too */
            return sp_error(ctx, SP_ERR_DATA, "layer '%s': its extent reaches %g: a coordinate "
                            "is NaN, infinite or larger than 1e9", vl->name, big);
        if (v->s_coord != SP_COORD_WGS84) { /* corrections shift by < 1 km: pad 0.01 deg */
            e.MinX -= 0.01;
            e.MinY -= 0.01;
            e.MaxX += 0.01;
            e.MaxY += 0.01;
        }
        if (vl->ct && !OCTTransformBounds(vl->ct, e.MinX, e.MinY, e.MaxX, e.MaxY, &e.MinX,
                                          &e.MinY, &e.MaxX, &e.MaxY, 21))
            return sp_error_gdal(ctx, SP_ERR_DATA, "layer '%s': cannot transform its extent",
                                 vl->name);
        a = fmin(a, e.MinX);
        b = fmin(b, e.MinY);
        c = fmax(c, e.MaxX);
        d = fmax(d, e.MaxY);
    }
    if (!(c >= a && d >= b))
        return sp_error(ctx, SP_ERR_DATA, "no features with geometry in the input layers");
    *xmin = a;
    *ymin = b;
    *xmax = c;
    *ymax = d;
    return SP_OK;
}

void sp_vector_rewind(sp_vector *v)
{
    for (int i = 0; i < v->nlayers; i++)
        OGR_L_ResetReading(v->layers[i].layer);
    v->cur = 0;
}

static void correct_coords(OGRGeometryH g, sp_coord_kind k)
{
    int n = OGR_G_GetGeometryCount(g);
    if (n > 0) {
        for (int i = 0; i < n; i++)
            correct_coords(OGR_G_GetGeometryRef(g, i), k);
        return;
    }
    int np = OGR_G_GetPointCount(g);
    for (int i = 0; i < np; i++) {
        double x = OGR_G_GetX(g, i), y = OGR_G_GetY(g, i);
        sp_coord_to_wgs84(k, &x, &y, 1, 1);
        if (OGR_G_CoordinateDimension(g) == 3)
            OGR_G_SetPoint(g, i, x, y, OGR_G_GetZ(g, i));
        else
            OGR_G_SetPoint_2D(g, i, x, y);
    }
}

sp_status sp_ogr_next(sp_ctx *ctx, OGRLayerH layer, const char *name, OGRFeatureH *out)
{
    CPLErrorReset();
    *out = OGR_L_GetNextFeature(layer);
    if (CPLGetLastErrorType() < CE_Failure)
        return SP_OK;
    if (*out) {
        OGR_F_Destroy(*out);
        *out = NULL;
    }
    return sp_error_gdal(ctx, SP_ERR_IO, "cannot read layer '%s' (the file may be damaged)",
                         name);
}

/* sane coordinates, corrected, reprojected, then valid polygons (or repaired) */
static sp_status check_geometry(sp_ctx *ctx, sp_vector *v, vlayer *vl, sp_feature *f)
{
    const char *why;
    if (sp_valid_coords(f->geom, &why))
        return sp_error(ctx, SP_ERR_DATA, "layer '%s', feature %lld: %s", vl->name, f->fid, why);
    if (v->s_coord != SP_COORD_WGS84)
        correct_coords(f->geom, v->s_coord);
    if (vl->ct && OGR_G_Transform(f->geom, vl->ct) != OGRERR_NONE)
        return sp_error_gdal(ctx, SP_ERR_DATA, "layer '%s', feature %lld: cannot reproject the "
                             "geometry", vl->name, f->fid);
    if (v->opts.no_validity)
        return SP_OK;
    char reason[256];
    OGRGeometryH fixed;
    if (sp_valid_polygon(ctx, f->geom, v->opts.makevalid, &fixed, reason, sizeof reason))
        return sp_error(ctx, SP_ERR_DATA, "layer '%s', feature %lld: invalid polygon (%s)%s",
                        vl->name, f->fid, reason,
                        v->opts.makevalid ? "" : "; -makevalid repairs it with GEOS MakeValid");
    if (fixed) {
        OGR_F_SetGeometryDirectly(f->feat, fixed);
        f->geom = OGR_F_GetGeometryRef(f->feat);
        v->repaired++;
        sp_warn(ctx, "layer '%s', feature %lld: invalid polygon (%s) repaired (-makevalid)",
                vl->name, f->fid, reason);
    }
    return SP_OK;
}

/* text fields reach outputs: they must be UTF-8 (GDAL recodes a shapefile with a .cpg
 * or -enc; one without passes its GBK bytes through unchanged) */
static sp_status check_text(sp_ctx *ctx, const vlayer *vl, const sp_feature *f)
{
    OGRFeatureDefnH d = OGR_F_GetDefnRef(f->feat);
    int n = OGR_FD_GetFieldCount(d);
    for (int i = 0; i < n; i++) {
        if (OGR_Fld_GetType(OGR_FD_GetFieldDefn(d, i)) != OFTString ||
            !OGR_F_IsFieldSetAndNotNull(f->feat, i))
            continue;
        const char *s = OGR_F_GetFieldAsString(f->feat, i);
        if (!sp_utf8_valid(s, strlen(s)))
            return sp_error(ctx, SP_ERR_DATA, "layer '%s', feature %lld, field '%s': the text "
                            "is not UTF-8 (a GBK .dbf without .cpg? give -enc GBK)", vl->name,
                            f->fid, OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(d, i)));
    }
    return SP_OK;
}

long long sp_vector_repaired(const sp_vector *v) { return v->repaired; }

int sp_vector_next(sp_ctx *ctx, sp_vector *v, sp_feature *f)
{
    if (v->last) {
        OGR_F_Destroy(v->last);
        v->last = NULL;
    }
    while (v->cur < v->nlayers) {
        vlayer *vl = &v->layers[v->cur];
        OGRFeatureH feat;
        sp_status rc = sp_ogr_next(ctx, vl->layer, vl->name, &feat);
        if (rc)
            return rc;
        if (!feat) {
            v->cur++;
            continue;
        }
        v->last = feat;
        f->feat = feat;
        f->layer = v->cur;
        f->fid = OGR_F_GetFID(feat);
        f->geom = OGR_F_GetGeometryRef(feat);
        if (!f->geom && vl->has_geom)
            return sp_error(ctx, SP_ERR_DATA, "layer '%s', feature %lld has no geometry (a NaN "
                            "or missing coordinate?): a source or zone needs a place", vl->name,
                            f->fid);
        if ((f->geom && (rc = check_geometry(ctx, v, vl, f))) || (rc = check_text(ctx, vl, f)))
            return rc;
        return 1;
    }
    return 0;
}

sp_status sp_vector_field(sp_ctx *ctx, const sp_vector *v, int layer, const char *name,
                          int *idx)
{
    OGRFeatureDefnH d = OGR_L_GetLayerDefn(v->layers[layer].layer);
    int i = OGR_FD_GetFieldIndex(d, name); /* any case */
    /* "name", every tool's default street-name field: a registry's own spelling */
    for (int k = 0; i < 0 && !strcasecmp(name, "name") && SP_NAME_FIELDS[k]; k++)
        i = OGR_FD_GetFieldIndex(d, SP_NAME_FIELDS[k]);
    if (i >= 0) {
        *idx = i;
        return SP_OK;
    }
    char buf[1024] = "";
    bool raw = false; /* names that are not UTF-8: GBK bytes of a .dbf without .cpg */
    for (int k = 0; k < OGR_FD_GetFieldCount(d); k++) {
        const char *n = OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(d, k));
        size_t len = strlen(buf);
        raw |= !sp_utf8_valid(n, strlen(n));
        snprintf(buf + len, sizeof buf - len, "%s%s", k ? ", " : "", n);
    }
    return sp_error(ctx, SP_ERR_DATA, "layer '%s' has no field '%s' (fields: %s)%s",
                    v->layers[layer].name, name, buf[0] ? buf : "none",
                    raw ? "; its field names are not UTF-8: a GBK .dbf without .cpg? give -enc GBK"
                        : "");
}

sp_status sp_vector_number(sp_ctx *ctx, const sp_vector *v, const sp_feature *f, int idx,
                           unsigned flags, double *out)
{
    const char *lname = v->layers[f->layer].name;
    OGRFieldDefnH fd = OGR_F_GetFieldDefnRef(f->feat, idx);
    const char *fname = OGR_Fld_GetNameRef(fd);
    if (!OGR_F_IsFieldSetAndNotNull(f->feat, idx)) {
        if (flags & SP_NUM_NULL_IS_ZERO) {
            *out = 0;
            return SP_OK;
        }
        return sp_error(ctx, SP_ERR_DATA, "layer '%s', feature %lld, field '%s': value is "
                                          "missing (null)", lname, f->fid, fname);
    }
    double x;
    OGRFieldType t = OGR_Fld_GetType(fd);
    if (t == OFTInteger || t == OFTInteger64 || t == OFTReal) {
        x = OGR_F_GetFieldAsDouble(f->feat, idx);
    } else if (t == OFTString) {
        const char *s = OGR_F_GetFieldAsString(f->feat, idx);
        char *end;
        x = strtod(s, &end);
        while (*end == ' ')
            end++;
        if (end == s || *end)
            return sp_error(ctx, SP_ERR_DATA, "layer '%s', feature %lld, field '%s': '%s' is "
                                              "not a number", lname, f->fid, fname, s);
    } else {
        return sp_error(ctx, SP_ERR_DATA, "layer '%s', field '%s' is of type %s, not a number",
                        lname, fname, OGR_GetFieldTypeName(t));
    }
    return sp_vector_check_number(ctx, lname, f->fid, fname, x, flags, out);
}

sp_status sp_vector_check_number(sp_ctx *ctx, const char *lname, long long fid,
                                 const char *fname, double x, unsigned flags, double *out)
{
    if (!isfinite(x))
        return sp_error(ctx, SP_ERR_DATA, "layer '%s', feature %lld, field '%s': value %g is "
                                          "not finite", lname, fid, fname, x);
    if (fabs(x) > SP_VALUE_MAX)
        return sp_error(ctx, SP_ERR_DATA, "layer '%s', feature %lld, field '%s': value %g is "
                        "beyond any activity figure (|value| > %g): a unit or a typing "
                        "error?", lname, fid, fname, x, SP_VALUE_MAX);
    if (x < 0 && !(flags & SP_NUM_ALLOW_NEGATIVE))
        return sp_error(ctx, SP_ERR_DATA, "layer '%s', feature %lld, field '%s': value %g is "
                                          "negative", lname, fid, fname, x);
    *out = x;
    return SP_OK;
}

/* Appends the vertices of a point, linestring or ring as one part. */
static sp_status add_run(sp_ctx *ctx, OGRGeometryH g, sp_geom *out, bool hole)
{
    int np = OGR_G_GetPointCount(g);
    if (np == 0)
        return SP_OK;
    sp_status rc = sp_geom_begin_part(ctx, out, hole);
    for (int i = 0; i < np && !rc; i++)
        rc = sp_geom_add(ctx, out, OGR_G_GetX(g, i), OGR_G_GetY(g, i));
    return rc;
}

static sp_status flatten_rec(sp_ctx *ctx, OGRGeometryH g, sp_geom *out, bool hole)
{
    OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(g));
    sp_geom_kind k;
    switch (t) {
    case wkbPoint: case wkbMultiPoint: k = SP_GEOM_POINT; break;
    case wkbLineString: case wkbMultiLineString: k = SP_GEOM_LINE; break;
    case wkbPolygon: case wkbMultiPolygon: k = SP_GEOM_POLYGON; break;
    case wkbGeometryCollection: k = SP_GEOM_NONE; break;
    default: return sp_error(ctx, SP_ERR_DATA, "unsupported geometry type %s",
                             OGRGeometryTypeToName(t));
    }
    if (k != SP_GEOM_NONE) {
        if (out->kind == SP_GEOM_NONE)
            out->kind = k;
        else if (out->kind != k)
            return sp_error(ctx, SP_ERR_DATA, "geometry collection mixes points, lines and "
                                              "polygons");
    }
    if (t == wkbPolygon) { /* rings: the first is the exterior, the others holes */
        int n = OGR_G_GetGeometryCount(g);
        for (int i = 0; i < n; i++) {
            sp_status rc = add_run(ctx, OGR_G_GetGeometryRef(g, i), out, i > 0);
            if (rc)
                return rc;
        }
        return SP_OK;
    }
    if (t == wkbMultiPoint || t == wkbMultiLineString || t == wkbMultiPolygon ||
        t == wkbGeometryCollection) {
        int n = OGR_G_GetGeometryCount(g);
        for (int i = 0; i < n; i++) {
            sp_status rc = flatten_rec(ctx, OGR_G_GetGeometryRef(g, i), out, false);
            if (rc)
                return rc;
        }
        return SP_OK;
    }
    return add_run(ctx, g, out, hole);
}

sp_status sp_vector_flatten(sp_ctx *ctx, OGRGeometryH geom, sp_geom *g)
{
    sp_geom_reset(g, SP_GEOM_NONE);
    if (!geom || OGR_G_IsEmpty(geom))
        return SP_OK;
    OGRGeometryH lin = NULL;
    if (OGR_G_HasCurveGeometry(geom, TRUE)) {
        lin = OGR_G_GetLinearGeometry(geom, 0, NULL);
        if (!lin)
            return sp_error_gdal(ctx, SP_ERR_DATA, "cannot linearise a curve geometry");
        geom = lin;
    }
    sp_status rc = flatten_rec(ctx, geom, g, false);
    if (lin)
        OGR_G_DestroyGeometry(lin);
    return rc;
}
