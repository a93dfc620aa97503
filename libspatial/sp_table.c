/* sp_table: in-memory attribute tables read through OGR and written as CSV (our own
 * writer, for a fixed %.12g number format and byte-identical output) or through OGR
 * (GeoPackage, GeoJSON) with the row geometries. */
#include "sp_convert.h"
#include "sp_output.h"
#include "sp_table.h"
#include "sp_text.h"
#include "sp_vector.h"

#include <cpl_conv.h>
#include <cpl_string.h>
#include <gdal.h>
#include <math.h>
#include <ogr_srs_api.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

sp_table *sp_table_new(int nrows)
{
    sp_table *t = calloc(1, sizeof *t);
    if (t)
        t->nrows = nrows;
    return t;
}

void sp_table_free(sp_table *t)
{
    if (!t)
        return;
    for (int c = 0; c < t->ncols; c++) {
        sp_table_col *col = &t->cols[c];
        free(col->name);
        free(col->num);
        if (col->str)
            for (int r = 0; r < t->nrows; r++)
                free(col->str[r]);
        free(col->str);
    }
    free(t->cols);
    if (t->geom)
        for (int r = 0; r < t->nrows; r++)
            if (t->geom[r])
                OGR_G_DestroyGeometry(t->geom[r]);
    free(t->geom);
    free(t->wkt);
    free(t);
}

static int add_col(sp_table *t, const char *name, bool numeric, OGRFieldType type)
{
    if (sp_table_find(t, name) >= 0)
        return -1;
    sp_table_col *cols = realloc(t->cols, (size_t)(t->ncols + 1) * sizeof *cols);
    if (!cols)
        return -1;
    t->cols = cols;
    sp_table_col *c = &cols[t->ncols];
    memset(c, 0, sizeof *c);
    size_t n = t->nrows > 0 ? (size_t)t->nrows : 1;
    c->name = strdup(name);
    c->numeric = numeric;
    c->type = type;
    if (numeric) {
        if ((c->num = malloc(n * sizeof *c->num)))
            for (size_t r = 0; r < n; r++)
                c->num[r] = NAN;
    } else {
        c->str = calloc(n, sizeof *c->str);
    }
    if (!c->name || (numeric ? !c->num : !c->str)) {
        free(c->name);
        free(c->num);
        free(c->str);
        return -1;
    }
    return t->ncols++;
}

int sp_table_add_number(sp_table *t, const char *name)
{
    return add_col(t, name, true, OFTReal);
}

int sp_table_add_integer(sp_table *t, const char *name)
{
    return add_col(t, name, true, OFTInteger64);
}

int sp_table_add_text(sp_table *t, const char *name, OGRFieldType type)
{
    return add_col(t, name, false, type == OFTReal ? OFTString : type);
}

bool sp_table_set_text(sp_table *t, int c, int r, const char *s)
{
    char *d = s ? strdup(s) : NULL;
    if (s && !d)
        return false;
    free(t->cols[c].str[r]);
    t->cols[c].str[r] = d;
    return true;
}

int sp_table_find(const sp_table *t, const char *name)
{
    for (int c = 0; c < t->ncols; c++)
        if (!strcmp(t->cols[c].name, name))
            return c;
    return -1;
}

double sp_table_number(const sp_table *t, int c, int r, bool *ok)
{
    *ok = true;
    const sp_table_col *col = &t->cols[c];
    if (col->numeric)
        return col->num[r];
    const char *s = col->str[r];
    while (s && (*s == ' ' || *s == '\t'))
        s++;
    if (!s || !*s)
        return NAN;
    char *end;
    double v = strtod(s, &end);
    while (*end == ' ' || *end == '\t')
        end++;
    if (*end || end == s) {
        *ok = false;
        return NAN;
    }
    return v;
}

const char *sp_table_text(const sp_table *t, int c, int r, char *buf, size_t n)
{
    const sp_table_col *col = &t->cols[c];
    if (!col->numeric)
        return col->str[r] ? col->str[r] : "";
    double v = col->num[r];
    if (isnan(v))
        buf[0] = 0;
    else if (col->type == OFTInteger64) /* identifiers and counts: every digit */
        snprintf(buf, n, "%lld", (long long)llround(v));
    else
        snprintf(buf, n, "%.12g", v == 0 ? 0.0 : v); /* no "-0" */
    return buf;
}

sp_status sp_table_read(sp_ctx *ctx, const char *path, const char *layer, sp_table **out)
{
    *out = NULL;
    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
    if (!ds)
        return sp_error_gdal(ctx, SP_ERR_IO, "cannot open '%s'", path);
    sp_status rc = sp_ctx_add_dataset(ctx, ds, path);
    if (rc) {
        GDALClose(ds);
        return rc;
    }
    sp_table *t = NULL;
    OGRLayerH l = layer ? GDALDatasetGetLayerByName(ds, layer) : GDALDatasetGetLayer(ds, 0);
    if (!l) {
        rc = layer ? sp_error(ctx, SP_ERR_USAGE, "'%s' has no layer '%s'", path, layer)
                   : sp_error(ctx, SP_ERR_DATA, "'%s' has no layer", path);
        goto done;
    }
    OGRFeatureDefnH fd = OGR_L_GetLayerDefn(l);
    GIntBig n = OGR_L_GetFeatureCount(l, TRUE);
    if (n < 0 || n > 10000000) {
        rc = sp_error(ctx, SP_ERR_LIMIT, "'%s': cannot count its rows", path);
        goto done;
    }
    bool has_geom = OGR_FD_GetGeomFieldCount(fd) > 0 && OGR_FD_GetGeomType(fd) != wkbNone;
    if (!(t = sp_table_new((int)n)) || (has_geom && !(t->geom = calloc((size_t)(n ? n : 1),
                                                                         sizeof *t->geom)))) {
        rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
        goto done;
    }
    if (has_geom) {
        OGRSpatialReferenceH srs = OGR_L_GetSpatialRef(l);
        char *w = NULL;
        if (srs && OSRExportToWkt(srs, &w) == OGRERR_NONE && w)
            t->wkt = strdup(w);
        CPLFree(w);
    }
    int nf = OGR_FD_GetFieldCount(fd);
    for (int i = 0; i < nf; i++) {
        OGRFieldDefnH d = OGR_FD_GetFieldDefn(fd, i);
        OGRFieldType ty = OGR_Fld_GetType(d);
        bool num = ty == OFTReal || ty == OFTInteger || ty == OFTInteger64;
        bool integer = ty == OFTInteger || ty == OFTInteger64;
        if ((integer ? sp_table_add_integer(t, OGR_Fld_GetNameRef(d))
             : num   ? sp_table_add_number(t, OGR_Fld_GetNameRef(d))
                     : sp_table_add_text(t, OGR_Fld_GetNameRef(d), ty)) < 0) {
            rc = sp_table_find(t, OGR_Fld_GetNameRef(d)) >= 0
                     ? sp_error(ctx, SP_ERR_DATA, "'%s' has two columns called '%s'", path,
                                OGR_Fld_GetNameRef(d))
                     : sp_error(ctx, SP_ERR_NOMEM, "out of memory");
            goto done;
        }
    }
    OGR_L_ResetReading(l);
    OGRFeatureH f = NULL;
    int r = 0;
    const char *lname = OGR_L_GetName(l);
    while (!(rc = sp_ogr_next(ctx, l, lname, &f)) && f) {
        if (r == t->nrows) {
            rc = sp_error(ctx, SP_ERR_DATA, "'%s': layer '%s' has more rows than it counted "
                          "(%d)", path, lname, t->nrows);
            break;
        }
        for (int i = 0; i < nf && !rc; i++) {
            if (!OGR_F_IsFieldSetAndNotNull(f, i))
                continue;
            const char *txt = t->cols[i].numeric ? NULL : OGR_F_GetFieldAsString(f, i);
            if (t->cols[i].numeric)
                t->cols[i].num[r] = OGR_F_GetFieldAsDouble(f, i);
            else if (!sp_utf8_valid(txt, strlen(txt)))
                rc = sp_error(ctx, SP_ERR_DATA, "'%s', layer '%s', feature %lld, field '%s': "
                              "text is not UTF-8 (a GBK shapefile without .cpg? give "
                              "--config SHAPE_ENCODING GBK)", path, lname,
                              (long long)OGR_F_GetFID(f), t->cols[i].name);
            else if (!sp_table_set_text(t, i, r, txt))
                rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
        }
        if (rc)
            break;
        if (has_geom)
            t->geom[r] = OGR_F_StealGeometry(f);
        OGR_F_Destroy(f);
        r++;
    }
    if (f)
        OGR_F_Destroy(f);
    t->nrows = r; /* a count that was an estimate */
done:
    GDALClose(ds);
    if (rc)
        sp_table_free(t);
    else
        *out = t;
    return rc;
}

void sp_table_csv_field(FILE *fp, const char *s)
{
    if (!strpbrk(s, ",\"\n\r")) {
        fputs(s, fp);
        return;
    }
    fputc('"', fp);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', fp);
        fputc(*s, fp);
    }
    fputc('"', fp);
}

static sp_status write_csv(sp_ctx *ctx, const sp_table *t, const char *path, const char *dst,
                           bool bom)
{
    FILE *fp = fopen(path, "w");
    if (!fp)
        return sp_error(ctx, SP_ERR_IO, "cannot write '%s'", dst);
    if (bom)
        fputs("\xEF\xBB\xBF", fp);
    char buf[64];
    for (int c = 0; c < t->ncols; c++) {
        if (c)
            fputc(',', fp);
        sp_table_csv_field(fp, t->cols[c].name);
    }
    fputc('\n', fp);
    for (int r = 0; r < t->nrows; r++) {
        for (int c = 0; c < t->ncols; c++) {
            if (c)
                fputc(',', fp);
            sp_table_csv_field(fp, sp_table_text(t, c, r, buf, sizeof buf));
        }
        fputc('\n', fp);
    }
    bool bad = ferror(fp);
    if (fclose(fp) || bad)
        return sp_error(ctx, SP_ERR_IO, "cannot write '%s': %s", dst, strerror(errno));
    return SP_OK;
}

/* A shapefile's field names are 10 bytes at most: each longer name is cut on a UTF-8
 * character boundary (never inside a character) and made unique with a ~N suffix; each
 * change is reported. names[c] (malloc'd) for every column; false when out of memory. */
static bool shapefile_names(sp_ctx *ctx, const sp_table *t, const char *dst, char **names)
{
    for (int c = 0; c < t->ncols; c++) {
        const char *n = t->cols[c].name;
        char buf[16];
        snprintf(buf, sizeof buf, "%.*s", (int)sp_utf8_cut(n, 10), n);
        for (int k = 1; k < 1000; k++) {
            bool taken = false;
            for (int q = 0; q < c && !taken; q++)
                taken = !strcasecmp(names[q], buf);
            if (!taken)
                break;
            char suffix[8];
            int sl = snprintf(suffix, sizeof suffix, "~%d", k);
            snprintf(buf, sizeof buf, "%.*s%s", (int)sp_utf8_cut(n, (size_t)(10 - sl)), n, suffix);
        }
        if (!(names[c] = strdup(buf)))
            return false;
        if (strcmp(buf, n))
            sp_warn(ctx, "'%s': field '%s' is written as '%s' (a shapefile's names are 10 bytes "
                    "at most; GPKG keeps them whole)", dst, n, buf);
    }
    return true;
}

static sp_status write_ogr(sp_ctx *ctx, const sp_table *t, GDALDriverH drv, const char *path,
                           const char *dst, const sp_table_write_options *wo)
{
    bool pinned = sp_output_pin_date();
    char **names = NULL; /* a shapefile's field names */
    GDALDatasetH ds = GDALCreate(drv, path, 0, 0, 0, GDT_Unknown, wo ? wo->dsco : NULL);
    if (!ds) {
        sp_output_unpin_date(pinned);
        return sp_error_gdal(ctx, SP_ERR_IO, "cannot create '%s'", dst);
    }
    sp_status rc = SP_OK;
    OGRSpatialReferenceH srs = NULL;
    if (t->wkt) {
        srs = OSRNewSpatialReference(t->wkt);
        OSRSetAxisMappingStrategy(srs, OAMS_TRADITIONAL_GIS_ORDER);
    }
    /* shapefiles in UTF-8 with a .cpg (GDAL's default for new ones is ISO-8859-1: Chinese
     * text would become ????) unless -lco ENCODING= says otherwise */
    char **lco = CSLDuplicate(wo ? wo->lco : NULL);
    if (!strcasecmp(GDALGetDriverShortName(drv), "ESRI Shapefile") &&
        !CSLFetchNameValue(lco, "ENCODING"))
        lco = CSLSetNameValue(lco, "ENCODING", "UTF-8");
    OGRLayerH l = GDALDatasetCreateLayer(ds, wo && wo->nln ? wo->nln : CPLGetBasename(dst), srs,
                                         t->geom ? wkbMultiPolygon : wkbNone, lco);
    CSLDestroy(lco);
    if (srs)
        OSRDestroySpatialReference(srs);
    if (!l) {
        rc = sp_error_gdal(ctx, SP_ERR_IO, "cannot create a layer in '%s'", dst);
        goto done;
    }
    bool shp = !strcasecmp(GDALGetDriverShortName(drv), "ESRI Shapefile");
    names = shp ? calloc((size_t)t->ncols + 1, sizeof *names) : NULL;
    if (shp && (!names || !shapefile_names(ctx, t, dst, names))) {
        rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
        goto done;
    }
    for (int c = 0; c < t->ncols; c++) {
        OGRFieldDefnH fd = OGR_Fld_Create(shp ? names[c] : t->cols[c].name, t->cols[c].type);
        OGRErr e = OGR_L_CreateField(l, fd, TRUE);
        OGR_Fld_Destroy(fd);
        if (e != OGRERR_NONE) {
            rc = sp_error_gdal(ctx, SP_ERR_IO, "cannot create field '%s' in '%s'",
                               t->cols[c].name, dst);
            goto done;
        }
    }
    bool tx = GDALDatasetStartTransaction(ds, FALSE) == OGRERR_NONE;
    for (int r = 0; r < t->nrows && !rc; r++) {
        OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(l));
        for (int c = 0; c < t->ncols; c++) {
            const sp_table_col *col = &t->cols[c];
            if (col->numeric ? isnan(col->num[r]) : !col->str[r])
                OGR_F_SetFieldNull(f, c);
            else if (col->numeric && col->type == OFTInteger64)
                OGR_F_SetFieldInteger64(f, c, (GIntBig)llround(col->num[r]));
            else if (col->numeric)
                OGR_F_SetFieldDouble(f, c, col->num[r]);
            else
                OGR_F_SetFieldString(f, c, col->str[r]);
        }
        if (t->geom && t->geom[r])
            OGR_F_SetGeometryDirectly(f, OGR_G_ForceToMultiPolygon(OGR_G_Clone(t->geom[r])));
        if (OGR_L_CreateFeature(l, f) != OGRERR_NONE)
            rc = sp_error_gdal(ctx, SP_ERR_IO, "cannot write row %d to '%s'", r + 1, dst);
        OGR_F_Destroy(f);
    }
    if (!rc && tx && GDALDatasetCommitTransaction(ds) != OGRERR_NONE)
        rc = sp_error_gdal(ctx, SP_ERR_IO, "cannot commit '%s'", dst);
done:
    for (int c = 0; names && c < t->ncols; c++)
        free(names[c]);
    free(names);
    rc = sp_output_close(ctx, ds, dst, rc);
    sp_output_unpin_date(pinned);
    return rc;
}

sp_status sp_table_write(sp_ctx *ctx, const sp_table *t, const char *dst, const char *format)
{
    return sp_table_write_with(ctx, t, dst, format, NULL);
}

sp_status sp_table_write_with(sp_ctx *ctx, const sp_table *t, const char *dst,
                              const char *format, const sp_table_write_options *wo)
{
    const char *fmt = format ? format : sp_convert_driver_for(dst);
    if (!format && fmt && strcmp(fmt, "CSV") && strcmp(fmt, "GPKG") && strcmp(fmt, "GeoJSON") &&
        strcmp(fmt, "ESRI Shapefile"))
        fmt = NULL;
    if (!fmt)
        return sp_error(ctx, SP_ERR_USAGE, "cannot tell the output format of '%s' from its "
                        "extension (.csv, .gpkg, .geojson, .shp); give -of", dst);
    bool csv = !strcasecmp(fmt, "CSV"), bom = false;
    GDALDriverH drv = csv ? NULL : GDALGetDriverByName(fmt);
    if (!csv && !drv)
        return sp_error(ctx, SP_ERR_USAGE, "unknown output format '%s'", fmt);
    for (int i = 0; csv && wo && wo->lco && wo->lco[i]; i++) {
        if (!strcasecmp(wo->lco[i], "WRITE_BOM=YES") || !strcasecmp(wo->lco[i], "WRITE_BOM=TRUE"))
            bom = true;
        else if (strcasecmp(wo->lco[i], "WRITE_BOM=NO") && strcasecmp(wo->lco[i], "WRITE_BOM=FALSE"))
            return sp_error(ctx, SP_ERR_USAGE, "-lco %s: onemap's CSV takes WRITE_BOM=YES|NO "
                            "only (its format is fixed: comma, UTF-8, '.' decimals)", wo->lco[i]);
    }
    if (csv && wo && ((wo->dsco && wo->dsco[0]) || wo->nln))
        return sp_error(ctx, SP_ERR_USAGE, "-dsco and -nln are for GPKG/GeoJSON outputs, not CSV");
    sp_output out = {0};
    sp_status rc = sp_output_begin(ctx, &out, dst);
    if (rc)
        return rc;
    rc = csv ? write_csv(ctx, t, out.path, dst, bom) : write_ogr(ctx, t, drv, out.path, dst, wo);
    if (rc) {
        sp_output_abort(&out);
        return rc;
    }
    return sp_output_commit(ctx, &out);
}
