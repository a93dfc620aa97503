/* sp_journal: a stale SQLite journal is applied to its own database before a commit
 * renames a new file over it (sp_journal.h). SQLite's rules (sqlite.org, "File Locking
 * And Concurrency In SQLite Version 3", section 4.2 hot journals; "Write-Ahead Logging"):
 * a journal is hot when it exists, is not empty, has a non-zero header and no process
 * holds a RESERVED lock; the first connection to read the database rolls it back. */
#include "io/sp_journal.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/* "path-journal" / "path-wal" when it exists and is not empty (into buf) */
static const char *journal_of(const char *path, const char *suffix, char *buf, size_t size)
{
    struct stat st;
    if (snprintf(buf, size, "%s%s", path, suffix) >= (int)size)
        return NULL;
    return stat(buf, &st) == 0 && st.st_size > 0 ? buf : NULL;
}

/* a rollback journal whose header is all zeros (journal_mode=PERSIST) is not hot */
static int journal_live(const char *j)
{
    FILE *fp = fopen(j, "rb");
    if (!fp)
        return errno == ENOENT ? 0 : 1;
    unsigned char h[28] = {0};
    size_t n = fread(h, 1, sizeof h, fp);
    fclose(fp);
    for (size_t i = 0; i < n; i++)
        if (h[i])
            return 1;
    return 0;
}

static const char *live_journal(const char *path, char *jb, size_t jsize, char *wb, size_t wsize)
{
    const char *j = journal_of(path, "-journal", jb, jsize);
    if (j && journal_live(j))
        return j;
    return journal_of(path, "-wal", wb, wsize);
}

static sp_status busy_error(sp_ctx *ctx, const char *path, const char *j)
{
    return sp_error(ctx, SP_ERR_IO, "'%s' is being written by another program (its journal "
                    "'%s' is in use): not replaced; close that program and run again", path, j);
}

sp_status sp_journal_settle(sp_ctx *ctx, const char *path)
{
    char jb[4200], wb[4200];
    const char *j = live_journal(path, jb, sizeof jb, wb, sizeof wb);
    if (!j)
        return SP_OK;
    struct stat st;
    if (stat(path, &st) != 0)
        return sp_error(ctx, SP_ERR_IO, "a stale SQLite journal '%s' lies where '%s' is to be "
                        "written, without its database: it would be applied to the new file; "
                        "remove it", j, path);
    sqlite3 *db = NULL;
    int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL);
    char msg[512] = "";
    if (rc == SQLITE_OK) {
        sqlite3_busy_timeout(db, 0);
        /* the first read rolls a hot journal back (or reads the WAL) */
        rc = sqlite3_exec(db, "SELECT count(*) FROM sqlite_master", NULL, NULL, NULL);
    }
    if (rc != SQLITE_OK)
        snprintf(msg, sizeof msg, "%s", db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    int busy = rc == SQLITE_BUSY || rc == SQLITE_LOCKED;
    sqlite3_close(db); /* the last connection: a WAL is checkpointed and removed */
    if (busy)
        return busy_error(ctx, path, j);
    if (rc != SQLITE_OK)
        return sp_error(ctx, SP_ERR_IO, "'%s' has an SQLite journal '%s' that could not be "
                        "applied to it (%s): not replaced; remove the journal or the file",
                        path, j, msg);
    /* still there: a live writer holds its lock (the journal is not hot, only in use) */
    if ((j = live_journal(path, jb, sizeof jb, wb, sizeof wb)))
        return busy_error(ctx, path, j);
    return SP_OK;
}
