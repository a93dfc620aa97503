/* sp_shard: a run split into shards (-shard I/N) over fixed units of work (row strips of
 * one full grid), so that the number of shards never changes the bytes merged. Pure. */
#ifndef SP_SHARD_H
#define SP_SHARD_H

#include <stdbool.h>
#include <stdint.h>

/* Shard index of count (0 <= index < count); count 0 means not sharded. */
typedef struct {
    int index, count;
} sp_shard;

/* The largest count accepted (a Slurm array's default MaxArraySize is 1001). */
#define SP_SHARD_MAX 100000

/* Parses "I/N" (0-based I, as Slurm's SLURM_ARRAY_TASK_ID with --array=0-(N-1)).
 * False on anything else: I >= N, N < 1, N > SP_SHARD_MAX, signs, spaces, trailing text. */
bool sp_shard_parse(const char *s, sp_shard *out);

/* The units [*u0, *u1) of shard s among nunits units, as equal as whole units allow
 * (the first shards get the larger share); the whole range when s is not sharded. */
void sp_shard_units(const sp_shard *s, int64_t nunits, int64_t *u0, int64_t *u1);

#endif
