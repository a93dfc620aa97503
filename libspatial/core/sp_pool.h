/* sp_pool: the one way libspatial runs work on threads. Each parallel stage (strip
 * reading, zonal statistics, cell indexing, tile rendering) hands its workers here;
 * the workers share their work through an atomic counter or fixed parts, so the result
 * never depends on the number of threads. */
#ifndef SP_POOL_H
#define SP_POOL_H

#include <stddef.h>

/* Runs fn on n workers, worker i getting (char *)args + i * size: worker 0 on the calling
 * thread, the others on their own threads. A worker whose thread cannot start runs on the
 * calling thread after worker 0, so every worker runs exactly once whatever the system
 * allows (size 0: every worker gets args itself, a job they share). Returns when all
 * have finished. Errors are the workers' to record in their
 * argument (each its own: no shared sp_ctx). n <= 0 runs nothing. */
void sp_pool_run(int n, void *(*fn)(void *), void *args, size_t size);

/* Threads to use: requested when > 0, else the CPUs, at most 4. */
int sp_threads(int requested);

#endif
