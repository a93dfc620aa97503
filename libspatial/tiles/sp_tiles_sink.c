/* sp_tiles_sink: the table of tile sinks, from the list (sp_tiles_sinks.def), and the
 * lookups by name and by a file name's suffix. */
#include "tiles/sp_tiles_sink.h"

#include <string.h>
#include <strings.h>

const sp_tiles_sink_kind *const SP_TILES_SINKS[SP_NSINKS] = {
#define SP_SINK(ID, var) [SP_SINK_##ID] = &var,
#include "tiles/sp_tiles_sinks.def"
#undef SP_SINK
};

int sp_tiles_sink_by_name(const char *name)
{
    for (int k = 0; k < SP_NSINKS; k++)
        if (!strcasecmp(name, SP_TILES_SINKS[k]->name))
            return k;
    return -1;
}

int sp_tiles_sink_by_suffix(const char *path)
{
    size_t n = strlen(path);
    for (int k = 0; k < SP_NSINKS; k++) {
        const char *x = SP_TILES_SINKS[k]->suffix;
        size_t m = x ? strlen(x) : 0;
        if (m && n > m && !strcasecmp(path + n - m, x))
            return k;
    }
    return -1;
}
