/* sp_onemap_tilejson: what the one map reads of a tile set's tiles.json (see
 * sp_onemap_impl.h). Pure: json-c, no GDAL. */
#include "onemap/sp_onemap_impl.h"
#include "core/sp_coord.h"

#include <json-c/json.h>
#include <math.h>
#include <string.h>

/* The number under key in a parsed TileJSON object (json-c: the file is read as JSON, so
 * that a name or description can hold any text). */
static bool json_number(json_object *o, const char *key, double *v)
{
    json_object *x;
    if (!json_object_object_get_ex(o, key, &x) ||
        !(json_object_is_type(x, json_type_int) || json_object_is_type(x, json_type_double)))
        return false;
    *v = json_object_get_double(x);
    return isfinite(*v);
}

bool sp_onemap_parse_tilejson(const char *text, double *z0, double *z1, double b[4],
                              sp_onemap_grid *grid)
{
    json_object *o = json_tokener_parse(text), *x;
    bool ok = o && json_object_is_type(o, json_type_object) && json_number(o, "minzoom", z0) &&
              json_number(o, "maxzoom", z1) && json_object_object_get_ex(o, "bounds", &x) &&
              json_object_is_type(x, json_type_array) && json_object_array_length(x) == 4;
    for (int i = 0; ok && i < 4; i++) {
        json_object *e = json_object_array_get_idx(x, (size_t)i);
        ok = (json_object_is_type(e, json_type_int) || json_object_is_type(e, json_type_double)) &&
             isfinite(b[i] = json_object_get_double(e));
    }
    *grid = GRID_WEBMERCATOR;
    if (ok && json_object_object_get_ex(o, "crs", &x)) {
        const char *c = json_object_get_string(x);
        *grid = !c ? GRID_OTHER : !strcmp(c, SP_CRS_NAME_GCJ02) ? GRID_GCJ02
                : !strcmp(c, SP_CRS_NAME_BD09)           ? GRID_BD09
                : !strcmp(c, SP_CRS_NAME_CGCS2000)       ? GRID_CGCS2000
                                                         : GRID_OTHER;
    }
    json_object_put(o);
    return ok;
}

