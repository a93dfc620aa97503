/* sp_valid: what a feature's geometry must be before any tool computes with it: finite
 * coordinates of a sane magnitude, not empty, and polygons valid in the OGC sense
 * (a bow-tie polygon has a signed area that cancels, which made negative cells and
 * absurd densities). Invalid polygons are refused with GEOS's reason, or repaired with
 * GEOS MakeValid (the "structure" method: polygons stay polygons) when asked. */
#ifndef SP_VALID_H
#define SP_VALID_H

#include "core/sp_ctx.h"

#include <ogr_api.h>

/* Largest coordinate magnitude accepted (projected metres or degrees): anything
 * larger is a corrupt or unset value, never a place in a district. */
#define SP_COORD_MAX 1e9

/* Checks the coordinates of geom (any type): SP_ERR_DATA with *why set (a static
 * string) when one is NaN/infinite or larger than SP_COORD_MAX, or geom is empty. */
sp_status sp_valid_coords(OGRGeometryH geom, const char **why);

/* Checks a polygonal geometry (others pass). Valid: SP_OK, *fixed = NULL. Invalid and
 * repair false: SP_ERR_DATA with GEOS's reason in why[0..n). Invalid and repair true:
 * *fixed is a new valid polygonal geometry (the caller owns it; OGR_G_DestroyGeometry)
 * and why holds the reason it was invalid; SP_ERR_DATA when the repair leaves nothing. */
sp_status sp_valid_polygon(sp_ctx *ctx, OGRGeometryH geom, bool repair, OGRGeometryH *fixed,
                           char *why, size_t n);

#endif
