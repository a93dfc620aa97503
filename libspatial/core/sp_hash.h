/* sp_hash: the 64-bit FNV-1a hash (Fowler, Noll & Vo) that names contents, e.g. the tile
 * sinks' identical tiles stored once. Pure. */
#ifndef SP_HASH_H
#define SP_HASH_H

#include <stddef.h>
#include <stdint.h>

#define SP_FNV1A64_INIT 14695981039346656037ULL
/* FNV-1a, 64 bits: h is the running value (start with SP_FNV1A64_INIT). Not a
 * cryptographic hash: it tells contents apart, it does not defend against forgery. */
uint64_t sp_fnv1a64(uint64_t h, const void *data, size_t n);

#endif
