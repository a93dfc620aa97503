/* sp_hash: FNV-1a 64 (offset basis 14695981039346656037, prime 1099511628211), byte by
 * byte as the published algorithm, so that its test vectors check it. */
#include "core/sp_hash.h"

uint64_t sp_fnv1a64(uint64_t h, const void *data, size_t n)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 1099511628211ULL;
    return h;
}
