/* sp_tiles_plan: the pyramid's plan (sp_tiles_plan.h): the order tiles are drawn, reduced
 * and written in, their indices and the units of work. */
#include "tiles/sp_tiles_plan.h"

#include <stdlib.h>

static bool plan_push(tile_plan *p, int z, int x, int y, long long index, int how)
{
    if (p->n == p->cap) {
        long long nc = p->cap ? 2 * p->cap : 1024;
        tile_id *nt = realloc(p->t, (size_t)nc * sizeof *nt);
        if (!nt)
            return false;
        p->t = nt;
        p->cap = nc;
    }
    p->t[p->n++] = (tile_id){index, x, y, (uint8_t)z, (uint8_t)how};
    return true;
}

/* The entries from start to the last one are a unit of work (none when empty). */
static bool plan_unit(tile_plan *p, long long start)
{
    if (start == p->n)
        return true;
    if (p->nu == p->ucap) {
        long long nc = p->ucap ? 2 * p->ucap : 256;
        tile_unit *nu = realloc(p->u, (size_t)nc * sizeof *nu);
        if (!nu)
            return false;
        p->u = nu;
        p->ucap = nc;
    }
    p->u[p->nu++] = (tile_unit){start, p->n};
    return true;
}

/* The subtree of tile (z, x, y), children before parents: the tiles of zoom maxz drawn,
 * the others reduced from their children; children outside the bounds are blank. */
static bool plan_subtree(tile_plan *p, int z, int x, int y)
{
    const int *r = p->range[z];
    if (x < r[0] || x > r[2] || y < r[1] || y > r[3])
        return plan_push(p, z, x, y, -1, TILE_BLANK);
    for (int q = 0; z < p->maxz && q < 4; q++)
        if (!plan_subtree(p, z + 1, 2 * x + (q & 1), 2 * y + (q >> 1)))
            return false;
    return plan_push(p, z, x, y, p->index++, z < p->maxz ? TILE_REDUCE : TILE_DRAW);
}

bool sp_tiles_plan_build(tile_plan *p, int minz, int maxz, bool reduce, int threads)
{
    p->maxz = p->zr = maxz;
    if (reduce) {
        p->zr = minz;
        for (;;) {
            const int *g = p->range[p->zr];
            long long cnt = (long long)(g[2] - g[0] + 1) * (g[3] - g[1] + 1);
            if (p->zr == p->maxz || (cnt >= 8LL * threads && p->maxz - p->zr <= 5))
                break;
            p->zr++;
        }
    }
    for (int z = minz; z <= p->zr; z++) {
        const int *g = p->range[z];
        /* tiles drawn on their own go in units of up to 64: about 256 units per thread */
        long long cnt = (long long)(g[2] - g[0] + 1) * (g[3] - g[1] + 1);
        long long per = cnt / (256LL * threads), start = p->n;
        per = per < 1 ? 1 : per > 64 ? 64 : per;
        bool ok = true;
        for (int x = g[0]; ok && x <= g[2]; x++)
            for (int y = g[1]; ok && y <= g[3]; y++) {
                if (z == p->zr) /* a subtree: a unit of its own */
                    ok = plan_subtree(p, z, x, y) && plan_unit(p, start);
                else
                    ok = plan_push(p, z, x, y, p->index++, TILE_DRAW) &&
                         ((p->n - start) % per || plan_unit(p, start));
                if ((p->n - start) % per == 0 || z == p->zr)
                    start = p->n;
            }
        if (!ok || !plan_unit(p, start))
            return false;
    }
    return true;
}

void sp_tiles_plan_free(tile_plan *p)
{
    free(p->t);
    free(p->u);
    p->t = NULL;
    p->u = NULL;
}
