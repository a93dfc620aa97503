/* sp_pool: fork-join over pthreads, worker 0 on the caller's thread. */
#include "core/sp_pool.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

void sp_pool_run(int n, void *(*fn)(void *), void *args, size_t size)
{
    if (n <= 0)
        return;
    pthread_t *th = n > 1 ? calloc((size_t)n, sizeof *th) : NULL;
    bool *started = n > 1 ? calloc((size_t)n, sizeof *started) : NULL;
    char *a = args;
    for (int t = 1; t < n && th && started; t++)
        started[t] = pthread_create(&th[t], NULL, fn, a + (size_t)t * size) == 0;
    fn(a);
    for (int t = 1; t < n; t++) {
        if (th && started && started[t])
            pthread_join(th[t], NULL);
        else /* no thread (or no memory for one): run it here */
            fn(a + (size_t)t * size);
    }
    free(th);
    free(started);
}

int sp_threads(int requested)
{
    if (requested > 0)
        return requested;
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 4 ? 4 : n < 1 ? 1 : (int)n;
}
