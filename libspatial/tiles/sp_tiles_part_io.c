/* sp_tiles_part_io: a shard's tiles in SQLite (one table keyed by the tile's index, so
 * that they come back in the sinks' order whatever order the threads stored them in). */
#include "tiles/sp_tiles_part.h"
#include "io/sp_part.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

struct sp_tiles_part {
    sqlite3 *db;
    sqlite3_stmt *st;
    pthread_mutex_t lock;
    bool writing;
};

static sp_status db_error(sp_ctx *ctx, sp_tiles_part *p, const char *what)
{
    return sp_error(ctx, SP_ERR_IO, "tiles part: %s: %s", what,
                    p->db ? sqlite3_errmsg(p->db) : "cannot open");
}

static sp_status open_db(sp_ctx *ctx, const char *path, bool create, sp_tiles_part **out)
{
    *out = NULL;
    sp_tiles_part *p = calloc(1, sizeof *p);
    if (!p)
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    pthread_mutex_init(&p->lock, NULL);
    p->writing = create;
    int flags = create ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY;
    const char *sql = create ? "INSERT INTO tiles VALUES (?, ?, ?, ?, ?, ?, ?)"
                             : "SELECT idx, z, x, y, data, empty, palette FROM tiles ORDER BY idx";
    sp_status rc = SP_OK;
    if (sqlite3_open_v2(path, &p->db, flags, NULL) != SQLITE_OK)
        rc = db_error(ctx, p, path);
    else if (create && sqlite3_exec(p->db, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;"
                                    "CREATE TABLE tiles (idx INTEGER PRIMARY KEY, z INTEGER, "
                                    "x INTEGER, y INTEGER, data BLOB, empty INTEGER, palette "
                                    "INTEGER); BEGIN", NULL, NULL, NULL) != SQLITE_OK)
        rc = db_error(ctx, p, "create");
    else if (sqlite3_prepare_v2(p->db, sql, -1, &p->st, NULL) != SQLITE_OK)
        rc = db_error(ctx, p, create ? "insert" : "not a tiles part");
    if (rc) {
        sp_tiles_part_close(p);
        return rc;
    }
    *out = p;
    return SP_OK;
}

sp_status sp_tiles_part_create(sp_ctx *ctx, const char *path, sp_tiles_part **out)
{
    return open_db(ctx, path, true, out);
}

sp_status sp_tiles_part_open(sp_ctx *ctx, const char *path, sp_tiles_part **out)
{
    return open_db(ctx, path, false, out);
}

sp_status sp_tiles_part_put(sp_ctx *ctx, sp_tiles_part *p, const sp_tiles_part_tile *t)
{
    pthread_mutex_lock(&p->lock);
    sqlite3_stmt *st = p->st;
    sqlite3_reset(st);
    sqlite3_bind_int64(st, 1, t->index);
    sqlite3_bind_int(st, 2, t->z);
    sqlite3_bind_int(st, 3, t->x);
    sqlite3_bind_int(st, 4, t->y);
    if (t->data)
        sqlite3_bind_blob(st, 5, t->data, (int)t->size, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, 5);
    sqlite3_bind_int(st, 6, t->empty);
    sqlite3_bind_int(st, 7, t->palette);
    int r = sqlite3_step(st);
    sqlite3_clear_bindings(st);
    sp_status rc = r == SQLITE_DONE ? SP_OK : db_error(ctx, p, "insert");
    pthread_mutex_unlock(&p->lock);
    return rc;
}

int sp_tiles_part_next(sp_ctx *ctx, sp_tiles_part *p, sp_tiles_part_tile *t)
{
    int r = sqlite3_step(p->st);
    if (r == SQLITE_DONE)
        return 0;
    if (r != SQLITE_ROW)
        return (int)db_error(ctx, p, "read");
    t->index = sqlite3_column_int64(p->st, 0);
    t->z = sqlite3_column_int(p->st, 1);
    t->x = sqlite3_column_int(p->st, 2);
    t->y = sqlite3_column_int(p->st, 3);
    t->data = sqlite3_column_type(p->st, 4) == SQLITE_NULL ? NULL : sqlite3_column_blob(p->st, 4);
    t->size = (size_t)sqlite3_column_bytes(p->st, 4);
    t->empty = sqlite3_column_int(p->st, 5) != 0;
    t->palette = sqlite3_column_int(p->st, 6) != 0;
    return 1;
}

uint64_t sp_tiles_part_sum(uint64_t s, const sp_tiles_part_tile *t)
{
    int64_t head[5] = {t->index, t->z, t->x, t->y, (t->data ? 1 : 0) | t->empty << 1 |
                                                          t->palette << 2};
    s = sp_part_sum(s, head, sizeof head);
    return t->data ? sp_part_sum(s, t->data, t->size) : s;
}

sp_status sp_tiles_part_finish(sp_ctx *ctx, sp_tiles_part *p, uint64_t *sum)
{
    sp_status rc = sqlite3_exec(p->db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK
                       ? SP_OK : db_error(ctx, p, "commit");
    sqlite3_finalize(p->st);
    p->st = NULL;
    if (!rc && sqlite3_prepare_v2(p->db, "SELECT idx, z, x, y, data, empty, palette FROM tiles "
                                  "ORDER BY idx", -1, &p->st, NULL) != SQLITE_OK)
        rc = db_error(ctx, p, "read back");
    *sum = SP_PART_SUM_INIT;
    sp_tiles_part_tile t;
    int r;
    while (!rc && (r = sp_tiles_part_next(ctx, p, &t)) != 0) {
        if (r < 0)
            rc = sp_ctx_status(ctx);
        else
            *sum = sp_tiles_part_sum(*sum, &t);
    }
    p->writing = false;
    sp_tiles_part_close(p);
    return rc;
}

void sp_tiles_part_close(sp_tiles_part *p)
{
    if (!p)
        return;
    sqlite3_finalize(p->st);
    sqlite3_close(p->db);
    pthread_mutex_destroy(&p->lock);
    free(p);
}
