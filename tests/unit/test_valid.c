/* Unit tests of sp_valid on hand-made geometries: a bow-tie is refused with GEOS's
 * reason and repaired into two triangles of area 1 each (a hand count), valid shapes
 * and lines pass untouched, NaN / huge / empty coordinates are refused. */
#include "check.h"
#include "io/sp_valid.h"
#include "io/sp_ctx_io.h"

#include <math.h>

static OGRGeometryH wkt(const char *text)
{
    OGRGeometryH g = NULL;
    char *p = (char *)text;
    OGR_G_CreateFromWkt(&p, NULL, &g);
    return g;
}

int main(void)
{
    sp_ctx *ctx = sp_ctx_new();
    char why[256];
    OGRGeometryH fixed;
    OGRGeometryH bow = wkt("POLYGON ((0 0, 2 2, 2 0, 0 2, 0 0))");
    CHECK(sp_valid_polygon(ctx, bow, false, &fixed, why, sizeof why) == SP_ERR_DATA && !fixed);
    CHECK_HAS(why, "Self-intersection");
    CHECK(sp_valid_polygon(ctx, bow, true, &fixed, why, sizeof why) == SP_OK && fixed);
    CHECK_HAS(why, "Self-intersection");
    if (fixed) {
        CHECK_REL(OGR_G_Area(fixed), 2.0, 1e-12);
        CHECK(OGR_G_GetDimension(fixed) == 2 && OGR_G_IsValid(fixed));
        OGR_G_DestroyGeometry(fixed);
    }
    /* a hole outside its shell */
    OGRGeometryH hole = wkt("POLYGON ((0 0, 1 0, 1 1, 0 1, 0 0), (5 5, 6 5, 6 6, 5 5))");
    CHECK(sp_valid_polygon(ctx, hole, false, &fixed, why, sizeof why) == SP_ERR_DATA);
    CHECK_HAS(why, "Hole lies outside shell");
    /* valid polygons and non-polygons pass as they are */
    const char *ok[] = {"POLYGON ((0 0, 1 0, 1 1, 0 1, 0 0))",
                        "MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)), ((3 3, 4 3, 4 4, 3 3)))",
                        "LINESTRING (0 0, 1 1, 0 1, 1 0)", "POINT (1 2)"};
    for (int i = 0; i < 4; i++) {
        OGRGeometryH g = wkt(ok[i]);
        CHECK(sp_valid_polygon(ctx, g, true, &fixed, why, sizeof why) == SP_OK && !fixed);
        const char *w = "x";
        CHECK(sp_valid_coords(g, &w) == SP_OK);
        OGR_G_DestroyGeometry(g);
    }
    /* coordinates */
    const char *w = NULL;
    OGRGeometryH p = OGR_G_CreateGeometry(wkbPoint);
    OGR_G_SetPoint_2D(p, 0, NAN, 1);
    CHECK(sp_valid_coords(p, &w) == SP_ERR_DATA && strstr(w, "NaN"));
    OGR_G_SetPoint_2D(p, 0, 1e308, 1);
    CHECK(sp_valid_coords(p, &w) == SP_ERR_DATA && strstr(w, "larger than 1e9"));
    OGR_G_SetPoint_2D(p, 0, 999999999, -999999999);
    CHECK(sp_valid_coords(p, &w) == SP_OK);
    OGRGeometryH e = wkt("POINT EMPTY");
    CHECK(sp_valid_coords(e, &w) == SP_ERR_DATA && strstr(w, "empty"));
    OGRGeometryH ml = wkt("MULTILINESTRING ((0 0, 1 1), (2 2, 1e10 3))");
    CHECK(sp_valid_coords(ml, &w) == SP_ERR_DATA);
    OGR_G_DestroyGeometry(bow);
    OGR_G_DestroyGeometry(hole);
    OGR_G_DestroyGeometry(p);
    OGR_G_DestroyGeometry(e);
    OGR_G_DestroyGeometry(ml);
    sp_ctx_free(ctx);
    return check_done();
}
