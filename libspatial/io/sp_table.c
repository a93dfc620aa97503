/* sp_table: in-memory attribute tables read through OGR and written as CSV (our own
 * writer, for a fixed %.12g number format and byte-identical output) or through OGR
 * (GeoPackage, GeoJSON) with the row geometries. */
#include "io/sp_dest.h"
#include "io/sp_output.h"
#include "io/sp_table.h"
#include "core/sp_text.h"
#include "io/sp_vector.h"
#include "io/sp_ctx_io.h"

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

int sp_table_find_name(const sp_table *t, const char *name)
{
    int c = sp_table_find(t, name);
    for (int k = 0; c < 0 && k < t->ncols; k++)
        if (!strcasecmp(t->cols[k].name, name))
            c = k;
    for (int i = 0; c < 0 && !strcasecmp(name, "name") && SP_NAME_FIELDS[i]; i++)
        c = sp_table_find(t, SP_NAME_FIELDS[i]);
    return c;
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

static sp_status read_open(sp_ctx *ctx, const char *path, const char *layer,
                           const char *const *oo, sp_table **out);

sp_status sp_table_read(sp_ctx *ctx, const char *path, const char *layer, sp_table **out)
{
    return sp_table_read_with(ctx, path, layer, NULL, NULL, out);
}

sp_status sp_table_read_with(sp_ctx *ctx, const char *path, const char *layer,
                             const char *const *oo, const char *s_srs, sp_table **out)
{
    *out = NULL;
    char *srs_wkt = NULL;
    if (s_srs) {
        OGRSpatialReferenceH r = OSRNewSpatialReference(NULL);
        if (OSRSetFromUserInput(r, s_srs) != OGRERR_NONE || OSRExportToWkt(r, &srs_wkt) != OGRERR_NONE) {
            OSRDestroySpatialReference(r);
            CPLFree(srs_wkt);
            return sp_error(ctx, SP_ERR_USAGE, "-s_srs: '%s' is not a CRS GDAL knows", s_srs);
        }
        OSRDestroySpatialReference(r);
    }
    sp_status rs = read_open(ctx, path, layer, oo, out);
    if (!rs && srs_wkt) {
        free((*out)->wkt);
        if (!((*out)->wkt = strdup(srs_wkt))) {
            sp_table_free(*out);
            *out = NULL;
            rs = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
        }
    }
    CPLFree(srs_wkt);
    return rs;
}

static sp_status read_open(sp_ctx *ctx, const char *path, const char *layer,
                           const char *const *oo, sp_table **out)
{
    *out = NULL;
    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, oo, NULL);
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

static sp_status write_ogr(sp_ctx *ctx, const sp_table *t, const char *fmt, const char *dst,
                           const sp_table_write_options *wo)
{
    sp_dest d;
    sp_status rc = sp_dest_begin(ctx, &d, dst, fmt, wo);
    if (rc)
        return rc;
    OGRFeatureDefnH defn = OGR_FD_Create("table");
    OGR_FD_Reference(defn);
    for (int c = 0; c < t->ncols; c++) {
        OGRFieldDefnH fd = OGR_Fld_Create(t->cols[c].name, t->cols[c].type);
        OGR_FD_AddFieldDefn(defn, fd);
        OGR_Fld_Destroy(fd);
    }
    OGRLayerH l = NULL;
    rc = sp_dest_layer(ctx, &d, sp_dest_is_database(dst) ? "onemap" : CPLGetBasename(dst), t->wkt,
                       t->geom ? wkbMultiPolygon : wkbNone, defn, &l);
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
    OGR_FD_Release(defn);
    return sp_dest_end(ctx, &d, rc);
}

sp_status sp_table_write(sp_ctx *ctx, const sp_table *t, const char *dst, const char *format)
{
    return sp_table_write_with(ctx, t, dst, format, NULL);
}

sp_status sp_table_csv_bom(sp_ctx *ctx, char **lco, bool *bom)
{
    *bom = false;
    for (int i = 0; lco && lco[i]; i++) {
        if (!strcasecmp(lco[i], "WRITE_BOM=YES") || !strcasecmp(lco[i], "WRITE_BOM=TRUE"))
            *bom = true;
        else if (strcasecmp(lco[i], "WRITE_BOM=NO") && strcasecmp(lco[i], "WRITE_BOM=FALSE"))
            return sp_error(ctx, SP_ERR_USAGE, "-lco %s: onemap's CSV takes WRITE_BOM=YES|NO "
                            "only (its format is fixed: comma, UTF-8, '.' decimals)", lco[i]);
    }
    return SP_OK;
}

sp_status sp_table_format(sp_ctx *ctx, const char *dst, const char *format,
                          const sp_table_write_options *wo, const char **fmt)
{
    *fmt = format ? format : sp_dest_driver_for(dst);
    if (!format && *fmt && strcmp(*fmt, "CSV") && strcmp(*fmt, "GPKG") && strcmp(*fmt, "GeoJSON") &&
        strcmp(*fmt, "ESRI Shapefile") && strcmp(*fmt, "PostgreSQL") && strcmp(*fmt, "XLSX") &&
        strcmp(*fmt, "ODS"))
        *fmt = NULL;
    if (!*fmt)
        return sp_error(ctx, SP_ERR_USAGE, "cannot tell the output format of '%s' from its "
                        "extension (.csv, .gpkg, .geojson, .shp, .xlsx, .ods) or a PG: prefix; give -of",
                        dst);
    if (strcasecmp(*fmt, "CSV") && !GDALGetDriverByName(*fmt))
        return sp_error(ctx, SP_ERR_USAGE, "unknown output format '%s'", *fmt);
    if (sp_dest_is_database(dst) && !(wo && wo->nln))
        return sp_error(ctx, SP_ERR_USAGE, "a database output needs the table's name: "
                        "give -nln TABLE");
    return SP_OK;
}

sp_status sp_table_write_with(sp_ctx *ctx, const sp_table *t, const char *dst,
                              const char *format, const sp_table_write_options *wo)
{
    const char *fmt;
    sp_status rc = sp_table_format(ctx, dst, format, wo, &fmt);
    if (rc)
        return rc;
    if (strcasecmp(fmt, "CSV"))
        return write_ogr(ctx, t, fmt, dst, wo);
    bool bom = false;
    if ((rc = sp_table_csv_bom(ctx, wo ? wo->lco : NULL, &bom)))
        return rc;
    if (wo && ((wo->dsco && wo->dsco[0]) || wo->nln || wo->append))
        return sp_error(ctx, SP_ERR_USAGE, "-dsco, -nln and -append are for GPKG/GeoJSON/"
                        "database outputs, not CSV");
    sp_output out = {0};
    if ((rc = sp_output_begin(ctx, &out, dst)))
        return rc;
    if ((rc = write_csv(ctx, t, out.path, dst, bom))) {
        sp_output_abort(&out);
        return rc;
    }
    return sp_output_commit(ctx, &out);
}
