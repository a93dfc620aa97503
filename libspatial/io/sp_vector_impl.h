/* The insides of sp_vector, shared by sp_vector.c and sp_vector_direct.c (private). */
#ifndef SP_VECTOR_IMPL_H
#define SP_VECTOR_IMPL_H

#include "io/sp_vector.h"

#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

typedef struct {
    OGRLayerH layer;
    char *name;
    OGRCoordinateTransformationH ct; /* NULL when no reprojection is needed */
    OGRSpatialReferenceH src;        /* owned clone of the source CRS */
    bool has_geom;                   /* the layer has a geometry column */
} vlayer;

struct sp_vector {
    GDALDatasetH ds;
    OGRLayerH sql_layer; /* result of -sql, released at close */
    vlayer *layers;
    int nlayers, cur;
    OGRSpatialReferenceH dst;
    char *dst_wkt;
    sp_coord_kind s_coord;
    OGRFeatureH last;
    char *where; /* the -where text, so that field pruning keeps its fields */
    char *path;  /* to open it again (sp_vector_reopen) */
    sp_vector_options opts;
    long long repaired; /* polygons repaired by -makevalid */
    bool restricted;    /* sp_vector_restrict: FID < mid (part 0) or >= mid (part 1) */
    int part;
    long long mid;
};

/* The SQL identifier s quoted ("..."), or NULL when it is empty or holds a quote (free). */
char *sp_vector_sql_quote(const char *s);

/* sp_vector_direct's reading of one GeoPackage geometry blob (the GP header, then WKB of a
 * point, linestring, multipoint or multilinestring) into g: what it found. Pure, for
 * the fuzzer too. */
enum {
    SP_GPKG_GEOM_OK,
    SP_GPKG_GEOM_UNREADABLE, /* not a GP header + WKB, or cut short (or out of memory) */
    SP_GPKG_GEOM_OTHER,      /* a polygon or another type */
    SP_GPKG_GEOM_EMPTY,
    SP_GPKG_GEOM_BAD_COORD   /* NaN, infinite or beyond SP_COORD_MAX */
};
int sp_vector_direct_geom(sp_ctx *ctx, const unsigned char *blob, int n, sp_geom *g);

#endif
