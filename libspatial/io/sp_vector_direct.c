/* sp_vector_direct: a GeoPackage point or line layer read with SQLite directly. The
 * GeoPackage binary geometry (GeoPackage 1.3, clause 2.1.3: "GP", version, flags, SRS id,
 * an optional envelope, then ISO WKB) is parsed here; everything else follows sp_vector
 * (the same checks, the same messages, the same transformation), so that the grids made
 * either way are equal to the bit (tests/cli/test_grid.sh). */
#include "io/sp_valid.h"
#include "io/sp_vector.h"
#include "io/sp_vector_impl.h"

#include <cpl_conv.h>
#include <cpl_string.h>
#include <math.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct sp_vector_direct {
    sqlite3 *db;
    sqlite3_stmt *st;
    const vlayer *vl;
    int nfields;
    char **fnames;  /* the fields' names, for messages */
    double *z;      /* zeros for the transformation (as OGR passes them) */
    int *ok;        /* its per-point success flags */
    int zcap;
};

static bool applies(const sp_vector *v, const char *const *fields, int nfields)
{
    GDALDriverH d = GDALGetDatasetDriver(v->ds);
    struct stat st;
    if (!CPLTestBool(CPLGetConfigOption("SP_GPKG_DIRECT", "YES"))) /* tests, comparisons */
        return false;
    if (v->sql_layer || v->nlayers != 1 || v->where || v->s_coord != SP_COORD_WGS84 || !d ||
        strcmp(GDALGetDriverShortName(d), "GPKG") || !v->path || stat(v->path, &st) ||
        !S_ISREG(st.st_mode))
        return false;
    OGRLayerH l = v->layers[0].layer;
    OGRwkbGeometryType t = OGR_L_GetGeomType(l);
    if (t != wkbPoint && t != wkbMultiPoint && t != wkbLineString && t != wkbMultiLineString)
        return false; /* polygons are checked for validity: through OGR */
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(l);
    for (int i = 0; i < nfields; i++) {
        int k = OGR_FD_GetFieldIndex(defn, fields[i]);
        OGRFieldType ft = k >= 0 ? OGR_Fld_GetType(OGR_FD_GetFieldDefn(defn, k)) : OFTString;
        if (ft != OFTInteger && ft != OFTInteger64 && ft != OFTReal)
            return false;
    }
    return true;
}

/* SELECT fid, geom, fields FROM table [WHERE fid < mid | fid >= mid]: rowid order, as
 * GDAL's GeoPackage driver reads them. */
static char *make_sql(const sp_vector *v, const char *const *fields, int nfields)
{
    OGRLayerH l = v->layers[0].layer;
    char *parts[3] = {sp_vector_sql_quote(OGR_L_GetFIDColumn(l)), sp_vector_sql_quote(OGR_L_GetGeometryColumn(l)),
                      sp_vector_sql_quote(v->layers[0].name)};
    size_t n = 128;
    for (int i = 0; i < nfields; i++)
        n += strlen(fields[i]) + 4;
    for (int i = 0; i < 3; i++)
        n += parts[i] ? 2 * strlen(parts[i]) : 0;
    char *sql = parts[0] && parts[1] && parts[2] ? malloc(n) : NULL;
    if (sql) {
        size_t o = (size_t)snprintf(sql, n, "SELECT %s, %s", parts[0], parts[1]);
        for (int i = 0; i < nfields && sql; i++) {
            char *q = sp_vector_sql_quote(fields[i]);
            if (q)
                o += (size_t)snprintf(sql + o, n - o, ", %s", q);
            else {
                free(sql);
                sql = NULL;
            }
            free(q);
        }
        if (sql && v->restricted)
            snprintf(sql + o, n - o, " FROM %s WHERE %s %s %lld", parts[2], parts[0],
                     v->part ? ">=" : "<", v->mid);
        else if (sql)
            snprintf(sql + o, n - o, " FROM %s", parts[2]);
    }
    for (int i = 0; i < 3; i++)
        free(parts[i]);
    return sql;
}

sp_status sp_vector_direct_open(sp_ctx *ctx, const sp_vector *v, const char *const *fields,
                                int nfields, sp_vector_direct **out)
{
    *out = NULL;
    if (!applies(v, fields, nfields))
        return SP_OK;
    char *sql = make_sql(v, fields, nfields);
    if (!sql)
        return SP_OK;
    sp_vector_direct *d = calloc(1, sizeof *d);
    if (!d || !(d->fnames = calloc((size_t)nfields + 1, sizeof *d->fnames))) {
        free(d);
        free(sql);
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    }
    d->vl = &v->layers[0];
    d->nfields = nfields;
    bool ok = sqlite3_open_v2(v->path, &d->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
                              NULL) == SQLITE_OK &&
              sqlite3_prepare_v2(d->db, sql, -1, &d->st, NULL) == SQLITE_OK;
    for (int i = 0; ok && i < nfields; i++)
        ok = (d->fnames[i] = strdup(fields[i])) != NULL;
    free(sql);
    if (!ok) { /* whatever SQLite disliked, OGR reads it (or says what is wrong) */
        sp_vector_direct_close(d);
        return SP_OK;
    }
    CPLDebug("SP", "direct GeoPackage read of layer '%s'%s", v->layers[0].name,
             v->restricted ? (v->part ? " (second half)" : " (first half)") : "");
    *out = d;
    return SP_OK;
}

void sp_vector_direct_close(sp_vector_direct *d)
{
    if (!d)
        return;
    sqlite3_finalize(d->st);
    sqlite3_close(d->db);
    for (int i = 0; d->fnames && i < d->nfields; i++)
        free(d->fnames[i]);
    free(d->fnames);
    free(d->z);
    free(d->ok);
    free(d);
}

/* A little WKB reader: p .. end, byte order per geometry. */
typedef struct {
    const unsigned char *p, *end;
} wkb;

static bool rd_u32(wkb *w, bool le, uint32_t *v)
{
    if (w->end - w->p < 4)
        return false;
    const unsigned char *b = w->p;
    *v = le ? (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24
            : (uint32_t)b[3] | (uint32_t)b[2] << 8 | (uint32_t)b[1] << 16 | (uint32_t)b[0] << 24;
    w->p += 4;
    return true;
}

static bool rd_f64(wkb *w, bool le, double *v)
{
    if (w->end - w->p < 8)
        return false;
    unsigned char b[8];
    for (int i = 0; i < 8; i++)
        b[i] = le ? w->p[i] : w->p[7 - i];
    memcpy(v, b, 8); /* the host is little-endian (x86-64, aarch64) */
    w->p += 8;
    return true;
}

/* A geometry's header: byte order, base type (1-7) and coordinates per point. */
static bool rd_head(wkb *w, bool *le, uint32_t *base, int *dims)
{
    if (w->p >= w->end || *w->p > 1)
        return false;
    *le = *w->p++ == 1;
    uint32_t t;
    if (!rd_u32(w, *le, &t))
        return false;
    bool z = false, m = false;
    if (t & 0xE0000000u) { /* EWKB flags */
        z = t & 0x80000000u;
        m = t & 0x40000000u;
        t &= 0xFFFF;
    } else {
        z = t / 1000 == 1 || t / 1000 == 3;
        m = t / 1000 == 2 || t / 1000 == 3;
        t %= 1000;
    }
    *base = t;
    *dims = 2 + z + m;
    return true;
}

/* Reads one point or linestring body into g as a part; a point with both coordinates
 * NaN is an empty point (as OGR reads it) and adds nothing. *bad: a coordinate that
 * sp_valid_coords refuses. */
static bool rd_run(sp_ctx *ctx, wkb *w, bool le, uint32_t base, int dims, sp_geom *g,
                   bool *bad)
{
    uint32_t n = 1;
    if (base == 2 && !rd_u32(w, le, &n))
        return false;
    if ((uint64_t)n * (uint64_t)dims * 8 > (uint64_t)(w->end - w->p))
        return false;
    bool started = false;
    for (uint32_t i = 0; i < n; i++) {
        double x, y, skip;
        rd_f64(w, le, &x);
        rd_f64(w, le, &y);
        for (int k = 2; k < dims; k++)
            rd_f64(w, le, &skip);
        if (base == 1 && isnan(x) && isnan(y))
            return true; /* an empty point */
        if (!isfinite(x) || !isfinite(y) || fabs(x) > SP_COORD_MAX || fabs(y) > SP_COORD_MAX)
            *bad = true;
        if ((!started && sp_geom_begin_part(ctx, g, false)) || sp_geom_add(ctx, g, x, y))
            return false;
        started = true;
    }
    return true;
}

/* The WKB of a point, linestring, multipoint or multilinestring into g. */
static bool rd_geom(sp_ctx *ctx, wkb *w, sp_geom *g, bool *bad, bool *other)
{
    bool le;
    uint32_t base;
    int dims;
    if (!rd_head(w, &le, &base, &dims))
        return false;
    if (base == 1 || base == 2) {
        g->kind = base == 1 ? SP_GEOM_POINT : SP_GEOM_LINE;
        return rd_run(ctx, w, le, base, dims, g, bad);
    }
    if (base != 4 && base != 5) {
        *other = true;
        return true;
    }
    g->kind = base == 4 ? SP_GEOM_POINT : SP_GEOM_LINE;
    uint32_t n;
    if (!rd_u32(w, le, &n))
        return false;
    for (uint32_t i = 0; i < n; i++) {
        bool le2;
        uint32_t b2;
        int d2;
        if (!rd_head(w, &le2, &b2, &d2) || b2 != base - 3)
            return false;
        if (!rd_run(ctx, w, le2, b2, d2, g, bad))
            return false;
    }
    return true;
}

/* The GeoPackage binary header: the WKB's start, or NULL; *empty from its flags. */
static const unsigned char *gp_body(const unsigned char *b, int n, bool *empty)
{
    static const int ENV[8] = {0, 32, 48, 48, 64, -1, -1, -1};
    if (n < 8 || b[0] != 'G' || b[1] != 'P' || (b[3] & 0x20)) /* extended: not WKB */
        return NULL;
    int env = ENV[(b[3] >> 1) & 7];
    if (env < 0 || n < 8 + env)
        return NULL;
    *empty = b[3] & 0x10;
    return b + 8 + env;
}

int sp_vector_direct_geom(sp_ctx *ctx, const unsigned char *blob, int n, sp_geom *g)
{
    bool empty = false, bad = false, other = false;
    const unsigned char *body = gp_body(blob, n, &empty);
    sp_geom_reset(g, SP_GEOM_NONE);
    wkb w = {body, blob + n};
    if (!body || (!empty && !rd_geom(ctx, &w, g, &bad, &other)))
        return SP_GPKG_GEOM_UNREADABLE;
    if (other)
        return SP_GPKG_GEOM_OTHER;
    if (empty || g->npoints == 0)
        return SP_GPKG_GEOM_EMPTY;
    return bad ? SP_GPKG_GEOM_BAD_COORD : SP_GPKG_GEOM_OK;
}

static sp_status reproject(sp_ctx *ctx, sp_vector_direct *d, sp_geom *g, long long fid)
{
    if (!d->vl->ct || g->npoints == 0)
        return SP_OK;
    if (g->npoints > d->zcap) {
        double *z = realloc(d->z, (size_t)g->npoints * sizeof *z);
        int *ok = z ? realloc(d->ok, (size_t)g->npoints * sizeof *ok) : NULL;
        if (z)
            d->z = z;
        if (!z || !ok)
            return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
        d->ok = ok;
        d->zcap = g->npoints;
    }
    memset(d->z, 0, (size_t)g->npoints * sizeof *d->z);
    bool good = OCTTransformEx(d->vl->ct, g->npoints, g->x, g->y, d->z, d->ok);
    for (int i = 0; good && i < g->npoints; i++)
        good = d->ok[i];
    if (!good)
        return sp_error_gdal(ctx, SP_ERR_DATA, "layer '%s', feature %lld: cannot reproject the "
                             "geometry", d->vl->name, fid);
    return SP_OK;
}

static sp_status read_values(sp_ctx *ctx, sp_vector_direct *d, double *vals, unsigned flags,
                             long long fid)
{
    for (int i = 0; i < d->nfields; i++) {
        int t = sqlite3_column_type(d->st, 2 + i);
        if (t == SQLITE_NULL && (flags & SP_NUM_NULL_IS_ZERO)) {
            vals[i] = 0;
            continue;
        }
        if (t == SQLITE_NULL)
            return sp_error(ctx, SP_ERR_DATA, "layer '%s', feature %lld, field '%s': value is "
                            "missing (null)", d->vl->name, fid, d->fnames[i]);
        if (t != SQLITE_INTEGER && t != SQLITE_FLOAT)
            return sp_error(ctx, SP_ERR_DATA, "layer '%s', feature %lld, field '%s': a text "
                            "or binary value in a numeric column", d->vl->name, fid,
                            d->fnames[i]);
        double x = t == SQLITE_INTEGER ? (double)sqlite3_column_int64(d->st, 2 + i)
                                       : sqlite3_column_double(d->st, 2 + i);
        sp_status rc = sp_vector_check_number(ctx, d->vl->name, fid, d->fnames[i], x, flags,
                                              &vals[i]);
        if (rc)
            return rc;
    }
    return SP_OK;
}

int sp_vector_direct_next(sp_ctx *ctx, sp_vector_direct *d, sp_geom *g, double *vals,
                          unsigned flags, long long *fid)
{
    int s = sqlite3_step(d->st);
    if (s == SQLITE_DONE)
        return 0;
    if (s != SQLITE_ROW)
        return sp_error(ctx, SP_ERR_IO, "cannot read layer '%s' (the file may be damaged): %s",
                        d->vl->name, sqlite3_errmsg(d->db));
    *fid = sqlite3_column_int64(d->st, 0);
    const unsigned char *blob = sqlite3_column_blob(d->st, 1);
    int n = sqlite3_column_bytes(d->st, 1);
    if (!blob)
        return sp_error(ctx, SP_ERR_DATA, "layer '%s', feature %lld has no geometry (a NaN or "
                        "missing coordinate?): a source or zone needs a place", d->vl->name, *fid);
    switch (sp_vector_direct_geom(ctx, blob, n, g)) {
    case SP_GPKG_GEOM_OK:
        break;
    case SP_GPKG_GEOM_OTHER:
        return sp_error(ctx, SP_ERR_DATA, "layer '%s', feature %lld: a %s layer holds another "
                        "geometry type", d->vl->name, *fid,
                        OGRGeometryTypeToName(OGR_L_GetGeomType(d->vl->layer)));
    case SP_GPKG_GEOM_EMPTY:
        return sp_error(ctx, SP_ERR_DATA, "layer '%s', feature %lld: the geometry is empty (a "
                        "NaN or missing coordinate?)", d->vl->name, *fid);
    case SP_GPKG_GEOM_BAD_COORD:
        return sp_error(ctx, SP_ERR_DATA, "layer '%s', feature %lld: a coordinate is NaN, "
                        "infinite or larger than 1e9", d->vl->name, *fid);
    default:
        return sp_error(ctx, SP_ERR_DATA, "layer '%s', feature %lld: the geometry cannot be "
                        "read (not GeoPackage WKB)", d->vl->name, *fid);
    }
    sp_status rc;
    if ((rc = reproject(ctx, d, g, *fid)) || (rc = read_values(ctx, d, vals, flags, *fid)))
        return rc;
    return 1;
}
