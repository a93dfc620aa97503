/* sp_pool: every worker runs exactly once, with its own argument (or the shared one). */
#include "check.h"
#include "core/sp_pool.h"

#include <stdatomic.h>

typedef struct {
    int index;
    int runs;
    long long sum; /* of 1..1000 by this worker: real work on the thread */
} part;

static void *work(void *arg)
{
    part *p = arg;
    p->runs++;
    for (int i = 1; i <= 1000; i++)
        p->sum += i;
    return NULL;
}

static atomic_int shared_runs;
static void *shared(void *arg)
{
    (void)arg;
    atomic_fetch_add(&shared_runs, 1);
    return NULL;
}

int main(void)
{
    for (int n = 0; n <= 9; n++) {
        part p[9] = {{0}};
        for (int i = 0; i < 9; i++)
            p[i].index = i;
        sp_pool_run(n, work, p, sizeof *p);
        for (int i = 0; i < 9; i++) {
            CHECK(p[i].runs == (i < n ? 1 : 0));
            CHECK(p[i].sum == (i < n ? 500500 : 0));
        }
    }
    atomic_store(&shared_runs, 0);
    int token = 7;
    sp_pool_run(4, shared, &token, 0);
    CHECK(atomic_load(&shared_runs) == 4);
    return check_done();
}
