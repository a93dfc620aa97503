/* sp_geom: a flat, library-independent geometry (points, lines or polygon rings as
 * coordinate runs) that the geometric core works on, so that coverage and gridding
 * are tested on hand-made coordinates without GDAL or GEOS. */
#ifndef SP_GEOM_H
#define SP_GEOM_H

#include "core/sp_ctx.h"

typedef enum { SP_GEOM_NONE = 0, SP_GEOM_POINT, SP_GEOM_LINE, SP_GEOM_POLYGON } sp_geom_kind;

typedef struct {
    sp_geom_kind kind;
    int npoints;      /* total vertices in x/y */
    int nparts;       /* points: one part per point; lines: one per linestring; */
    int *part_start;  /* polygons: one per ring. part i is [part_start[i], part_start[i+1]) */
    signed char *hole;/* polygons: 1 for an interior ring (hole), 0 for an exterior ring */
    double *x, *y;
    int cap_points, cap_parts; /* allocated sizes; the struct owns its arrays */
} sp_geom;

/* Empties g (keeps its buffers for reuse). */
void sp_geom_reset(sp_geom *g, sp_geom_kind kind);
/* Starts a new part (ring/line/point) flagged as hole or not. */
sp_status sp_geom_begin_part(sp_ctx *ctx, sp_geom *g, bool hole);
/* Appends a vertex to the current part. */
sp_status sp_geom_add(sp_ctx *ctx, sp_geom *g, double x, double y);
/* Frees the arrays (not the struct). Accepts NULL. */
void sp_geom_free(sp_geom *g);
/* Number of vertices of part i. */
static inline int sp_geom_part_len(const sp_geom *g, int i)
{
    return (i + 1 < g->nparts ? g->part_start[i + 1] : g->npoints) - g->part_start[i];
}
/* Area of a polygon geometry (exterior rings minus holes, whatever their orientation),
 * total length of a line geometry, or 0. */
double sp_geom_measure(const sp_geom *g);
/* Bounding box; returns false when g has no vertices. */
bool sp_geom_bbox(const sp_geom *g, double *xmin, double *ymin, double *xmax, double *ymax);

#endif
