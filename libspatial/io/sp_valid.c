/* sp_valid: geometry sanity checks of every feature read (sp_vector_next calls them).
 * Validity and repair are GEOS's own (isValidReason, MakeValid), reached through WKB so
 * that OGR and GEOS each stay the authority on their side. */
#include "io/sp_valid.h"

#include <geos_c.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static bool coords_ok(OGRGeometryH g)
{
    int ng = OGR_G_GetGeometryCount(g);
    if (ng > 0) {
        for (int i = 0; i < ng; i++)
            if (!coords_ok(OGR_G_GetGeometryRef(g, i)))
                return false;
        return true;
    }
    int np = OGR_G_GetPointCount(g);
    for (int i = 0; i < np; i++) {
        double x = OGR_G_GetX(g, i), y = OGR_G_GetY(g, i);
        if (!isfinite(x) || !isfinite(y) || fabs(x) > SP_COORD_MAX || fabs(y) > SP_COORD_MAX)
            return false;
    }
    return true;
}

sp_status sp_valid_coords(OGRGeometryH geom, const char **why)
{
    if (OGR_G_IsEmpty(geom)) {
        *why = "the geometry is empty (a NaN or missing coordinate?)";
        return SP_ERR_DATA;
    }
    if (!coords_ok(geom)) {
        *why = "a coordinate is NaN, infinite or larger than 1e9";
        return SP_ERR_DATA;
    }
    return SP_OK;
}

static GEOSGeometry *to_geos(GEOSContextHandle_t gh, OGRGeometryH g)
{
    OGRGeometryH lin = OGR_G_HasCurveGeometry(g, TRUE) ? OGR_G_GetLinearGeometry(g, 0, NULL) : NULL;
    OGRGeometryH src = lin ? lin : g;
    int n = OGR_G_WkbSize(src);
    unsigned char *wkb = n > 0 ? malloc((size_t)n) : NULL;
    GEOSGeometry *out = NULL;
    if (wkb && OGR_G_ExportToWkb(src, wkbNDR, wkb) == OGRERR_NONE)
        out = GEOSGeomFromWKB_buf_r(gh, wkb, (size_t)n);
    free(wkb);
    if (lin)
        OGR_G_DestroyGeometry(lin);
    return out;
}

static OGRGeometryH from_geos(GEOSContextHandle_t gh, const GEOSGeometry *g, OGRGeometryH like)
{
    size_t n = 0;
    unsigned char *wkb = GEOSGeomToWKB_buf_r(gh, g, &n);
    OGRGeometryH out = NULL;
    if (wkb && OGR_G_CreateFromWkb(wkb, NULL, &out, (int)n) == OGRERR_NONE && out)
        OGR_G_AssignSpatialReference(out, OGR_G_GetSpatialReference(like));
    GEOSFree_r(gh, wkb);
    return out;
}

sp_status sp_valid_polygon(sp_ctx *ctx, OGRGeometryH geom, bool repair, OGRGeometryH *fixed,
                           char *why, size_t n)
{
    *fixed = NULL;
    if (why && n)
        why[0] = '\0';
    if (OGR_G_GetDimension(geom) != 2)
        return SP_OK;
    GEOSContextHandle_t gh = sp_ctx_geos(ctx);
    GEOSGeometry *g = to_geos(gh, geom);
    if (!g) {
        snprintf(why, n, "GEOS cannot read it");
        return SP_ERR_DATA;
    }
    char v = GEOSisValid_r(gh, g);
    if (v == 1) {
        GEOSGeom_destroy_r(gh, g);
        return SP_OK;
    }
    char *reason = GEOSisValidReason_r(gh, g);
    snprintf(why, n, "%s", reason ? reason : "invalid");
    GEOSFree_r(gh, reason);
    sp_status rc = SP_ERR_DATA;
    if (repair) {
        GEOSMakeValidParams *p = GEOSMakeValidParams_create_r(gh);
        GEOSMakeValidParams_setMethod_r(gh, p, GEOS_MAKE_VALID_STRUCTURE);
        GEOSMakeValidParams_setKeepCollapsed_r(gh, p, 0);
        GEOSGeometry *m = GEOSMakeValidWithParams_r(gh, g, p);
        GEOSMakeValidParams_destroy_r(gh, p);
        if (m && !GEOSisEmpty_r(gh, m) && (*fixed = from_geos(gh, m, geom)))
            rc = SP_OK;
        else
            snprintf(why, n, "nothing is left of it once repaired");
        if (m)
            GEOSGeom_destroy_r(gh, m);
    }
    GEOSGeom_destroy_r(gh, g);
    return rc;
}
