/* sp_convert: OGR-to-OGR copy through sp_vector, so that the correction and the
 * reprojection are the very ones the other tools apply to their inputs. */
#include "sp_convert.h"
#include "sp_output.h"

#include <cpl_string.h>
#include <gdal.h>
#include <ogr_srs_api.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void sp_convert_options_init(sp_convert_options *o)
{
    memset(o, 0, sizeof *o);
    sp_vector_options_init(&o->in);
    o->in.keep_crs = true;
}

const char *sp_convert_driver_for(const char *path)
{
    const char *dot = strrchr(path, '.');
    if (!dot)
        return NULL;
    static const char *MAP[][2] = {{".gpkg", "GPKG"}, {".shp", "ESRI Shapefile"},
                                   {".geojson", "GeoJSON"}, {".json", "GeoJSON"},
                                   {".csv", "CSV"}, {".fgb", "FlatGeobuf"}, {".kml", "KML"}};
    for (size_t i = 0; i < sizeof MAP / sizeof MAP[0]; i++)
        if (!strcasecmp(dot, MAP[i][0]))
            return MAP[i][1];
    return NULL;
}

/* One output layer per input layer (named after DST when there is one), with its
 * fields; shapefiles in UTF-8 with a .cpg. *outl: the layers (free). */
static sp_status create_layers(sp_ctx *ctx, sp_vector *v, GDALDatasetH ds, const char *fmt,
                               const char *dst, OGRLayerH **outl)
{
    OGRSpatialReferenceH srs = OSRNewSpatialReference(sp_vector_wkt(v));
    OSRSetAxisMappingStrategy(srs, OAMS_TRADITIONAL_GIS_ORDER);
    int nl = sp_vector_layer_count(v);
    sp_status rc = SP_OK;
    if (!(*outl = calloc((size_t)nl, sizeof **outl)))
        rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    for (int i = 0; i < nl && !rc; i++) {
        OGRFeatureDefnH d = OGR_L_GetLayerDefn(sp_vector_layer(v, i));
        char **lco = NULL;
        if (!strcmp(fmt, "ESRI Shapefile"))
            lco = CSLSetNameValue(lco, "ENCODING", "UTF-8");
        const char *name = nl == 1 ? CPLGetBasename(dst) : sp_vector_layer_name(v, i);
        OGRLayerH l = (*outl)[i] = GDALDatasetCreateLayer(ds, name, srs, OGR_FD_GetGeomType(d),
                                                          lco);
        CSLDestroy(lco);
        if (!l) {
            rc = sp_error_gdal(ctx, SP_ERR_IO, "cannot create layer '%s' in '%s'", name, dst);
            break;
        }
        for (int k = 0; k < OGR_FD_GetFieldCount(d) && !rc; k++)
            if (OGR_L_CreateField(l, OGR_FD_GetFieldDefn(d, k), TRUE) != OGRERR_NONE)
                rc = sp_error_gdal(ctx, SP_ERR_IO, "cannot create field '%s' in '%s'",
                                   OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(d, k)), dst);
    }
    OSRDestroySpatialReference(srs);
    return rc;
}

sp_status sp_convert_run(sp_ctx *ctx, const char *src, const char *dst,
                         const sp_convert_options *o, long long *nfeatures)
{
    const char *fmt = o->format ? o->format : sp_convert_driver_for(dst);
    if (!fmt)
        return sp_error(ctx, SP_ERR_USAGE, "cannot tell the output format of '%s' from its "
                                           "extension; give -of", dst);
    GDALDriverH drv = GDALGetDriverByName(fmt);
    if (!drv)
        return sp_error(ctx, SP_ERR_USAGE, "unknown output format '%s'", fmt);
    sp_vector *v = NULL;
    sp_status rc = sp_vector_open(ctx, src, &o->in, &v);
    if (rc)
        return rc;
    sp_output out = {0};
    GDALDatasetH ds = NULL;
    OGRLayerH *outl = NULL;
    long long n = 0, total = o->progress ? sp_vector_count(v) : -1;
    bool pinned = sp_output_pin_date(); /* same inputs, same bytes */
    if ((rc = sp_output_begin(ctx, &out, dst)))
        goto done;
    ds = GDALCreate(drv, out.path, 0, 0, 0, GDT_Unknown, NULL);
    if (!ds) {
        rc = sp_error_gdal(ctx, SP_ERR_IO, "cannot create '%s'", dst);
        goto done;
    }
    if ((rc = create_layers(ctx, v, ds, fmt, dst, &outl)))
        goto done;
    /* one transaction: GeoPackage writes are ~50x faster; drivers without
     * transactions answer OGRERR_UNSUPPORTED_OPERATION and write directly */
    bool in_tx = GDALDatasetStartTransaction(ds, FALSE) == OGRERR_NONE;
    sp_feature f;
    int got;
    while ((got = sp_vector_next(ctx, v, &f)) == 1) {
        OGRFeatureH of = OGR_F_Create(OGR_L_GetLayerDefn(outl[f.layer]));
        OGR_F_SetFrom(of, f.feat, TRUE);
        OGRErr e = OGR_L_CreateFeature(outl[f.layer], of);
        OGR_F_Destroy(of);
        if (e != OGRERR_NONE) {
            rc = sp_error_gdal(ctx, SP_ERR_IO, "layer '%s', feature %lld: cannot write to '%s'",
                               sp_vector_layer_name(v, f.layer), f.fid, dst);
            goto done;
        }
        n++;
        if (o->progress && total > 0 && (n & 0xfff) == 0 &&
            !o->progress((double)n / total, NULL, o->progress_user)) {
            rc = sp_error(ctx, SP_ERR_CANCEL, "cancelled");
            goto done;
        }
    }
    if (got < 0) {
        rc = (sp_status)got;
        goto done;
    }
    if (in_tx && GDALDatasetCommitTransaction(ds) != OGRERR_NONE) {
        rc = sp_error_gdal(ctx, SP_ERR_IO, "cannot commit the writes to '%s'", dst);
        goto done;
    }
    if (o->progress)
        o->progress(1.0, NULL, o->progress_user);
done:
    free(outl);
    rc = sp_output_close(ctx, ds, dst, rc);
    sp_output_unpin_date(pinned);
    sp_vector_close(v);
    if (rc) {
        sp_output_abort(&out);
        return rc;
    }
    if (nfeatures)
        *nfeatures = n;
    return sp_output_commit(ctx, &out);
}
