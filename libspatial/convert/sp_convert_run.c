/* sp_convert: OGR-to-OGR copy through sp_vector, so that the correction and the
 * reprojection are the very ones the other tools apply to their inputs. */
#include "convert/sp_convert.h"
#include "io/sp_dest.h"
#include "io/sp_output.h"

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

/* One output layer per input layer (named after DST when there is one, -nln when given),
 * with its fields. *outl: the layers (free). */
static sp_status create_layers(sp_ctx *ctx, sp_vector *v, sp_dest *d, const char *dst,
                               OGRLayerH **outl)
{
    int nl = sp_vector_layer_count(v);
    if (!(*outl = calloc((size_t)nl, sizeof **outl)))
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    sp_status rc = SP_OK;
    for (int i = 0; i < nl && !rc; i++) {
        OGRFeatureDefnH fd = OGR_L_GetLayerDefn(sp_vector_layer(v, i));
        const char *name = nl == 1 && !sp_dest_is_database(dst) ? CPLGetBasename(dst)
                                                                : sp_vector_layer_name(v, i);
        rc = sp_dest_layer(ctx, d, name, sp_vector_wkt(v), OGR_FD_GetGeomType(fd), fd, &(*outl)[i]);
    }
    return rc;
}

sp_status sp_convert_run(sp_ctx *ctx, const char *src, const char *dst,
                         const sp_convert_options *o, long long *nfeatures)
{
    const char *fmt = o->format ? o->format : sp_dest_driver_for(dst);
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
    sp_dest d;
    OGRLayerH *outl = NULL;
    long long n = 0, total = o->progress ? sp_vector_count(v) : -1;
    int nmax = 1; /* the identity map of OGR_F_SetFromWithMap, for the widest layer */
    for (int i = 0; i < sp_vector_layer_count(v); i++)
        if (OGR_FD_GetFieldCount(OGR_L_GetLayerDefn(sp_vector_layer(v, i))) > nmax)
            nmax = OGR_FD_GetFieldCount(OGR_L_GetLayerDefn(sp_vector_layer(v, i)));
    int *identity = malloc((size_t)nmax * sizeof *identity);
    for (int k = 0; identity && k < nmax; k++)
        identity[k] = k;
    if (!identity) {
        sp_vector_close(v);
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    }
    if ((rc = sp_dest_begin(ctx, &d, dst, fmt, &o->write)) ||
        (rc = create_layers(ctx, v, &d, dst, &outl)))
        goto done;
    sp_feature f;
    int got;
    while ((got = sp_vector_next(ctx, v, &f)) == 1) {
        OGRFeatureH of = OGR_F_Create(OGR_L_GetLayerDefn(outl[f.layer]));
        OGR_F_SetFromWithMap(of, f.feat, TRUE, identity); /* a shapefile renames long names */
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
    if (o->progress)
        o->progress(1.0, NULL, o->progress_user);
done:
    free(outl);
    free(identity);
    rc = sp_dest_end(ctx, &d, rc);
    sp_vector_close(v);
    if (rc)
        return rc;
    if (nfeatures)
        *nfeatures = n;
    return SP_OK;
}
