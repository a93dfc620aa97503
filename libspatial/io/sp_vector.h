/* sp_vector: reading features from any OGR dataset (several layers, -where, -sql),
 * with geometries brought into one projected metric CRS through PROJ, optional
 * GCJ-02/BD-09 correction, shapefile encodings, and numeric attributes read with
 * errors that name the layer, the feature id and the field. */
#ifndef SP_VECTOR_H
#define SP_VECTOR_H

#include "core/sp_coord.h"
#include "core/sp_geom.h"

#include <ogr_api.h>

typedef struct {
    const char *const *layers; /* layer names (borrowed); NULL/0 = every layer */
    int nlayers;
    const char *where;         /* attribute filter, OGR SQL */
    const char *sql;           /* SQL statement; replaces the layer list */
    const char *s_srs;         /* override the source CRS (any PROJ/GDAL user input) */
    const char *t_srs;         /* target CRS; NULL: see projected/auto_utm */
    sp_coord_kind s_coord;     /* input coordinates are GCJ-02/BD-09 lon/lat */
    const char *encoding;      /* shapefile .dbf encoding (e.g. GBK); NULL: .cpg / LDID */
    const char *dialect;       /* SQL dialect of sql (OGRSQL, SQLITE); NULL: the driver's */
    const char *const *open_options; /* GDAL open options NAME=VALUE, NULL-terminated
                                      * (borrowed): X_POSSIBLE_NAMES=lon for a CSV... */
    bool keep_crs;             /* no t_srs: keep the source CRS even if geographic */
    bool auto_utm;             /* no t_srs and geographic source: pick the UTM zone */
    bool makevalid;            /* repair invalid polygons (GEOS MakeValid) instead of refusing */
    bool no_validity;          /* skip the polygon validity check (drawing only) */
} sp_vector_options;

/* Sets the defaults: every layer, no filter, the source CRS (see keep_crs/auto_utm). */
void sp_vector_options_init(sp_vector_options *o);

typedef struct sp_vector sp_vector;

typedef struct {
    OGRFeatureH feat;  /* borrowed, valid until the next sp_vector_next */
    OGRGeometryH geom; /* in the target CRS; borrowed like feat; may be NULL */
    int layer;         /* index of the layer */
    long long fid;
} sp_feature;

/* Opens path and prepares its layers. Errors: cannot open, unknown layer (lists the
 * layers), no layers, a layer without CRS (says to use -s_srs), geographic data with no
 * target CRS when neither keep_crs nor auto_utm is set. Free with sp_vector_close. */
sp_status sp_vector_open(sp_ctx *ctx, const char *path, const sp_vector_options *o,
                         sp_vector **out);
void sp_vector_close(sp_vector *v);
/* Opens v's source again with the same options, for another thread. */
sp_status sp_vector_reopen(sp_ctx *ctx, const sp_vector *v, sp_vector **out);
/* Splitting the features in two halves that two readers can read at once, in the same
 * order as one reader: for a single GeoPackage layer, by FID (rows come in FID order).
 * split_point gives the FID where the second half starts (false: cannot split);
 * restrict keeps part 0 (FID < mid) or part 1 (FID >= mid), with -where still applied. */
bool sp_vector_split_point(sp_vector *v, long long *mid);
sp_status sp_vector_restrict(sp_ctx *ctx, sp_vector *v, int part, long long mid);

/* The number of layers read (an -sql result counts as one). */
int sp_vector_layer_count(const sp_vector *v);
/* Layer i's name (borrowed from the vector). */
const char *sp_vector_layer_name(const sp_vector *v, int i);
/* Layer i's OGR handle (borrowed). */
OGRLayerH sp_vector_layer(const sp_vector *v, int i);
/* WKT of the CRS the geometries are handed out in (borrowed). */
const char *sp_vector_wkt(const sp_vector *v);
/* EPSG code of the UTM zone (326zz north, 327zz south) holding lon/lat. */
int sp_vector_utm_epsg(double lon, double lat);
/* The -where text (borrowed), or NULL. */
const char *sp_vector_where(const sp_vector *v);
/* Total feature count (for progress), -1 if unknown. */
long long sp_vector_count(sp_vector *v);
/* Extent of all layers in the target CRS (densified transform of each layer's
 * extent). SP_ERR_DATA when the layers are empty. */
sp_status sp_vector_extent(sp_ctx *ctx, sp_vector *v, double *xmin, double *ymin,
                           double *xmax, double *ymax);

/* The next feature of layer (*out; NULL at the end), or an error naming the layer when
 * OGR reported a failure while reading: a damaged file is an error, never an early
 * end of the data. */
sp_status sp_ogr_next(sp_ctx *ctx, OGRLayerH layer, const char *name, OGRFeatureH *out);

/* Next feature of all layers in turn: returns 1 with *f filled, 0 at the end, or a
 * negative sp_status. Geometries are checked (finite, not empty: sp_valid_coords),
 * corrected (s_coord), reprojected, and polygons checked for validity (refused with
 * GEOS's reason, or repaired with a warning when o->makevalid). */
int sp_vector_next(sp_ctx *ctx, sp_vector *v, sp_feature *f);
/* Polygons repaired so far (makevalid). */
long long sp_vector_repaired(const sp_vector *v);
/* Rewinds every layer. */
void sp_vector_rewind(sp_vector *v);

/* Index of field name in layer, or an error that lists the layer's fields. */
sp_status sp_vector_field(sp_ctx *ctx, const sp_vector *v, int layer, const char *name,
                          int *idx);

enum { SP_NUM_ALLOW_NEGATIVE = 1, SP_NUM_NULL_IS_ZERO = 2 };
/* The largest magnitude a numeric attribute may have: 1e15 is more than any activity
 * figure a district has (stoves, m3 of gas, vehicles/day, m2, people, t/yr); larger
 * values are typing or unit errors (gas_10k = 1e300 gave an inventory of infinities). */
#define SP_VALUE_MAX 1e15
/* Reads field idx as a finite number (string fields are parsed in full). Errors name
 * the layer, feature id and field: missing (null), not a number, NaN/infinite, larger
 * than SP_VALUE_MAX, or negative unless SP_NUM_ALLOW_NEGATIVE. */
sp_status sp_vector_number(sp_ctx *ctx, const sp_vector *v, const sp_feature *f, int idx,
                           unsigned flags, double *out);
/* The checks of sp_vector_number on a value read otherwise (sp_vector_direct). */
sp_status sp_vector_check_number(sp_ctx *ctx, const char *lname, long long fid,
                                 const char *fname, double x, unsigned flags, double *out);

/* A faster way through a plain GeoPackage layer of points or lines (issue: sp-grid at
 * half of gdal_rasterize): its rows read with SQLite directly, the GeoPackage binary
 * header and the WKB parsed here, only the given numeric fields fetched. It gives what
 * sp_vector_next + sp_vector_flatten + sp_vector_number give on the same rows, in the
 * same order and with the same errors (coordinates checked, reprojected by the layer's
 * transformation), so a grid made either way is the same to the bit. Applies to one
 * GeoPackage layer of (multi)points or (multi)linestrings read without -where, -sql or
 * -s_coord, whose fields are all INTEGER or REAL (a FID range set by sp_vector_restrict
 * is kept); otherwise *out is NULL and the caller reads through OGR. */
typedef struct sp_vector_direct sp_vector_direct;
/* Opens the direct reader of v's layer for fields (nfields names; 0: geometry only);
 * *out NULL when it does not apply (read through OGR then). Free with
 * sp_vector_direct_close. */
sp_status sp_vector_direct_open(sp_ctx *ctx, const sp_vector *v, const char *const *fields,
                                int nfields, sp_vector_direct **out);
/* The next row: its geometry (flattened, in the target CRS) and fields (nfields values,
 * read with flags as sp_vector_number). 1: a row, 0: the end, < 0: an error. */
int sp_vector_direct_next(sp_ctx *ctx, sp_vector_direct *d, sp_geom *g, double *vals,
                          unsigned flags, long long *fid);
/* Closes the direct reader (accepts NULL). */
void sp_vector_direct_close(sp_vector_direct *d);

/* Flattens an OGR geometry (any type, curves linearised, Z dropped) into g: points,
 * lines or polygon rings. Geometry collections mixing dimensions are refused. */
sp_status sp_vector_flatten(sp_ctx *ctx, OGRGeometryH geom, sp_geom *g);

#endif
