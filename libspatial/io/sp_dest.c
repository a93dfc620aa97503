/* sp_dest: file outputs through sp_output (temporary name, rename), database outputs in
 * one transaction (rolled back on failure). */
#include "io/sp_dest.h"
#include "core/sp_secret.h"
#include "core/sp_text.h"

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_string.h>
#include <ogr_srs_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

bool sp_dest_is_database(const char *dst)
{
    return dst && !strncasecmp(dst, "PG:", 3);
}

void sp_dest_shown(const char *dst, char *buf, size_t n)
{
    snprintf(buf, n, "%s", dst);
    sp_secret_mask(buf, n);
}

sp_status sp_dest_begin(sp_ctx *ctx, sp_dest *d, const char *dst, const char *fmt,
                        const sp_dest_options *o)
{
    static const sp_dest_options none = {0};
    memset(d, 0, sizeof *d);
    o = o ? o : &none;
    if (o->overwrite && o->append)
        return sp_error(ctx, SP_ERR_USAGE, "-overwrite and -append exclude each other");
    GDALDriverH drv = GDALGetDriverByName(fmt);
    if (!drv)
        return sp_error(ctx, SP_ERR_USAGE, "unknown output format '%s'", fmt);
    bool db = sp_dest_is_database(dst);
    if (db && strcasecmp(fmt, "PostgreSQL"))
        return sp_error(ctx, SP_ERR_USAGE, "'%.3s...' is a PostgreSQL connection; -of %s "
                        "cannot write to it (leave -of out, or give -of PostgreSQL)", dst, fmt);
    if (!db && !strcasecmp(fmt, "PostgreSQL"))
        return sp_error(ctx, SP_ERR_USAGE, "-of PostgreSQL writes to a database: give the "
                        "output as PG:\"dbname=... host=...\" (docs/conventions.md, 'Output flags and databases')");
    if (db && o->dsco && o->dsco[0])
        return sp_error(ctx, SP_ERR_USAGE, "-dsco applies when a file is created; a database "
                        "exists already");
    if (!db && o->append)
        return sp_error(ctx, SP_ERR_USAGE, "-append adds rows to a database table; a file "
                        "output is written whole (and replaced on the next run)");
    d->dst = dst;
    sp_dest_shown(dst, d->shown, sizeof d->shown);
    d->o = o;
    d->db = db;
    d->shp = !strcasecmp(GDALGetDriverShortName(drv), "ESRI Shapefile");
    snprintf(d->fmt, sizeof d->fmt, "%s", GDALGetDriverShortName(drv));
    d->pinned = sp_output_pin_date(); /* same inputs, same bytes */
    sp_status rc = SP_OK;
    if (db) {
        d->ds = GDALOpenEx(dst, GDAL_OF_VECTOR | GDAL_OF_UPDATE, NULL, NULL, NULL);
        if (!d->ds)
            rc = sp_error_gdal(ctx, SP_ERR_IO, "cannot open the database '%s' for writing",
                               d->shown);
    } else if (!(rc = sp_output_begin(ctx, &d->out, dst))) {
        d->ds = GDALCreate(drv, d->out.path, 0, 0, 0, GDT_Unknown, o->dsco);
        if (!d->ds)
            rc = sp_error_gdal(ctx, SP_ERR_IO, "cannot create '%s'", d->shown);
    }
    /* one transaction: GeoPackage writes are ~50x faster, and a database is left as it was
     * on failure; drivers without transactions answer OGRERR_UNSUPPORTED_OPERATION */
    if (!rc)
        d->tx = GDALDatasetStartTransaction(d->ds, FALSE) == OGRERR_NONE;
    if (!rc && db && !d->tx)
        rc = sp_error_gdal(ctx, SP_ERR_IO, "cannot start a transaction in '%s'", d->shown);
    if (rc) {
        if (d->ds)
            GDALClose(d->ds);
        sp_output_abort(&d->out);
        sp_output_unpin_date(d->pinned);
        memset(d, 0, sizeof *d);
    }
    return rc;
}

/* A shapefile's field names are 10 bytes at most: each longer name is cut on a UTF-8
 * character boundary (never inside a character) and made unique with a ~N suffix, each
 * change reported. names: the field count + 1 strings (free with CSLDestroy). */
static char **shapefile_names(sp_ctx *ctx, const char *dst, OGRFeatureDefnH fields)
{
    int n = OGR_FD_GetFieldCount(fields);
    char **names = calloc((size_t)n + 1, sizeof *names);
    for (int c = 0; names && c < n; c++) {
        const char *name = OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(fields, c));
        char buf[16];
        snprintf(buf, sizeof buf, "%.*s", (int)sp_utf8_cut(name, 10), name);
        for (int k = 1; k < 1000; k++) {
            bool taken = false;
            for (int q = 0; q < c && !taken; q++)
                taken = !strcasecmp(names[q], buf);
            if (!taken)
                break;
            char suffix[8];
            int sl = snprintf(suffix, sizeof suffix, "~%d", k);
            snprintf(buf, sizeof buf, "%.*s%s", (int)sp_utf8_cut(name, (size_t)(10 - sl)), name,
                     suffix);
        }
        if (!(names[c] = strdup(buf))) {
            CSLDestroy(names);
            return NULL;
        }
        if (strcmp(buf, name))
            sp_warn(ctx, "'%s': field '%s' is written as '%s' (a shapefile's names are 10 bytes "
                    "at most; GPKG keeps them whole)", dst, name, buf);
    }
    return names;
}

/* -append: the table's fields must be fields', in order (names compared without case: a
 * database folds them to lower case). */
static sp_status check_append(sp_ctx *ctx, sp_dest *d, OGRLayerH l, const char *name,
                              OGRFeatureDefnH fields)
{
    OGRFeatureDefnH have = OGR_L_GetLayerDefn(l);
    int n = OGR_FD_GetFieldCount(fields), m = OGR_FD_GetFieldCount(have);
    for (int c = 0; c < n || c < m; c++) {
        const char *want = c < n ? OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(fields, c)) : "(none)";
        const char *got = c < m ? OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(have, c)) : "(none)";
        if (strcasecmp(want, got))
            return sp_error(ctx, SP_ERR_USAGE, "-append: table '%s' in '%s' has other fields "
                            "than this run writes (field %d: '%s' there, '%s' here); give "
                            "-overwrite to replace it, or -nln another table", name, d->shown,
                            c + 1, got, want);
    }
    return SP_OK;
}

static OGRLayerH find_layer(GDALDatasetH ds, const char *name)
{
    CPLPushErrorHandler(CPLQuietErrorHandler);
    OGRLayerH l = GDALDatasetGetLayerByName(ds, name);
    CPLPopErrorHandler();
    CPLErrorReset();
    return l;
}

sp_status sp_dest_layer(sp_ctx *ctx, sp_dest *d, const char *name, const char *wkt,
                        OGRwkbGeometryType gtype, OGRFeatureDefnH fields, OGRLayerH *layer)
{
    *layer = NULL;
    if (d->o->nln && ++d->nlayers > 1)
        return sp_error(ctx, SP_ERR_USAGE, "-nln names one layer; this run writes several "
                        "(the second: '%s'): leave -nln out", name);
    name = d->o->nln ? d->o->nln : name;
    char **lco = CSLDuplicate(d->o->lco);
    /* shapefiles in UTF-8 with a .cpg (GDAL's default for new ones is ISO-8859-1: Chinese
     * text would become ????) unless -lco ENCODING= says otherwise */
    if (d->shp && !CSLFetchNameValue(lco, "ENCODING"))
        lco = CSLSetNameValue(lco, "ENCODING", "UTF-8");
    OGRLayerH l = d->db ? find_layer(d->ds, name) : NULL;
    if (l && d->o->append) {
        CSLDestroy(lco);
        sp_status rc = check_append(ctx, d, l, name, fields);
        *layer = rc ? NULL : l;
        return rc;
    }
    if (l && !d->o->overwrite) {
        CSLDestroy(lco);
        return sp_error(ctx, SP_ERR_USAGE, "table '%s' exists in '%s': give -overwrite to "
                        "replace it or -append to add rows (nothing was written)", name, d->shown);
    }
    if (l)
        lco = CSLSetNameValue(lco, "OVERWRITE", "YES"); /* dropped inside the transaction */
    OGRSpatialReferenceH srs = wkt && *wkt ? OSRNewSpatialReference(wkt) : NULL;
    if (srs)
        OSRSetAxisMappingStrategy(srs, OAMS_TRADITIONAL_GIS_ORDER);
    l = GDALDatasetCreateLayer(d->ds, name, srs, gtype, lco);
    CSLDestroy(lco);
    if (srs)
        OSRDestroySpatialReference(srs);
    if (!l)
        return sp_error_gdal(ctx, SP_ERR_IO, "cannot create layer '%s' in '%s'", name, d->shown);
    char **names = d->shp ? shapefile_names(ctx, d->shown, fields) : NULL;
    if (d->shp && !names)
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    sp_status rc = SP_OK;
    for (int c = 0; c < OGR_FD_GetFieldCount(fields) && !rc; c++) {
        OGRFieldDefnH fd = OGR_FD_GetFieldDefn(fields, c);
        OGRFieldDefnH nd = OGR_Fld_Create(names ? names[c] : OGR_Fld_GetNameRef(fd),
                                          OGR_Fld_GetType(fd));
        OGR_Fld_SetSubType(nd, OGR_Fld_GetSubType(fd));
        OGR_Fld_SetWidth(nd, OGR_Fld_GetWidth(fd));
        OGR_Fld_SetPrecision(nd, OGR_Fld_GetPrecision(fd));
        if (OGR_L_CreateField(l, nd, TRUE) != OGRERR_NONE)
            rc = sp_error_gdal(ctx, SP_ERR_IO, "cannot create field '%s' in '%s'",
                               OGR_Fld_GetNameRef(fd), d->shown);
        OGR_Fld_Destroy(nd);
    }
    CSLDestroy(names);
    *layer = rc ? NULL : l;
    return rc;
}

#define READBACK_MAX 64
/* A file output read back with its own driver before it is committed: it opens, has every
 * layer, and each layer the features written (where the writer knew its count cheaply).
 * A writer that produced a file no reader opens (a zip-based format whose path was split)
 * is an error, not "43 feature(s) written". */
static sp_status read_back(sp_ctx *ctx, const sp_dest *d, int n, const long long *count)
{
    const char *drivers[] = {d->fmt, NULL};
    const char *xls[] = {"HEADERS=FORCE", NULL}; /* the first row is the header we wrote */
    bool sheet = !strcasecmp(d->fmt, "XLSX") || !strcasecmp(d->fmt, "ODS");
    /* GDAL 3.6's XLSX driver takes its header rule from a configuration option only */
    const char *key = !strcasecmp(d->fmt, "XLSX") ? "OGR_XLSX_HEADERS" : "OGR_ODS_HEADERS";
    char *old = sheet && CPLGetThreadLocalConfigOption(key, NULL)
                    ? CPLStrdup(CPLGetThreadLocalConfigOption(key, NULL)) : NULL;
    if (sheet)
        CPLSetThreadLocalConfigOption(key, "FORCE");
    GDALDatasetH ds = GDALOpenEx(d->out.path, GDAL_OF_VECTOR | GDAL_OF_READONLY, drivers,
                                 sheet ? xls : NULL, NULL);
    sp_status rc = SP_OK;
    if (!ds)
        rc = sp_error_gdal(ctx, SP_ERR_IO, "'%s' was written but the %s driver cannot read "
                             "it back: not committed", d->shown, d->fmt);
    if (ds && GDALDatasetGetLayerCount(ds) < n)
        rc = sp_error(ctx, SP_ERR_IO, "'%s' read back has %d layer(s), %d were written: not "
                      "committed", d->shown, GDALDatasetGetLayerCount(ds), n);
    for (int i = 0; ds && i < n && i < READBACK_MAX && !rc; i++) {
        long long got = OGR_L_GetFeatureCount(GDALDatasetGetLayer(ds, i), TRUE);
        if (count[i] >= 0 && got != count[i])
            rc = sp_error(ctx, SP_ERR_IO, "'%s' read back has %lld feature(s) in layer %d, "
                          "%lld were written: not committed", d->shown, got, i + 1, count[i]);
    }
    if (ds)
        GDALClose(ds);
    if (sheet) { /* the header rule is read lazily: restored once the counts are read */
        CPLSetThreadLocalConfigOption(key, old);
        CPLFree(old);
    }
    return rc;
}

sp_status sp_dest_end(sp_ctx *ctx, sp_dest *d, sp_status rc)
{
    if (!d->ds && !d->out.path) /* never begun */
        return rc;
    int nl = d->ds && !d->db ? GDALDatasetGetLayerCount(d->ds) : 0;
    long long count[READBACK_MAX];
    for (int i = 0; i < nl && i < READBACK_MAX; i++) /* -1 where counting would cost a read */
        count[i] = OGR_L_GetFeatureCount(GDALDatasetGetLayer(d->ds, i), FALSE);
    if (d->tx) {
        if (!rc && GDALDatasetCommitTransaction(d->ds) != OGRERR_NONE)
            rc = sp_error_gdal(ctx, SP_ERR_IO, "cannot commit the writes to '%s'", d->shown);
        else if (rc)
            GDALDatasetRollbackTransaction(d->ds);
    }
    rc = sp_output_close(ctx, d->ds, d->shown, rc);
    d->ds = NULL;
    sp_output_unpin_date(d->pinned);
    if (!d->db && !rc)
        rc = read_back(ctx, d, nl, count);
    if (!d->db) {
        if (rc)
            sp_output_abort(&d->out);
        else
            rc = sp_output_commit(ctx, &d->out);
    }
    memset(d, 0, sizeof *d);
    return rc;
}

const char *sp_dest_driver_for(const char *path)
{
    if (sp_dest_is_database(path))
        return "PostgreSQL";
    const char *dot = strrchr(path, '.');
    if (!dot)
        return NULL;
    static const char *MAP[][2] = {{".gpkg", "GPKG"}, {".shp", "ESRI Shapefile"},
                                   {".geojson", "GeoJSON"}, {".json", "GeoJSON"},
                                   {".csv", "CSV"}, {".fgb", "FlatGeobuf"}, {".kml", "KML"},
                                   {".xlsx", "XLSX"}, {".ods", "ODS"}};
    for (size_t i = 0; i < sizeof MAP / sizeof MAP[0]; i++)
        if (!strcasecmp(dot, MAP[i][0]))
            return MAP[i][1];
    return NULL;
}
