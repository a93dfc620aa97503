/* sp_mbtiles: MBTiles 1.3 through SQLite. Identical images share one row of `images`,
 * keyed by a 64-bit FNV-1a hash and the size (a hash collision with other bytes gets a
 * suffix, checked byte for byte). One transaction for the whole file; no timestamps, so
 * the same tiles added in the same order give the same file. */
#include "tiles/sp_mbtiles.h"
#include "core/sp_hash.h"
#include "core/sp_tile.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct sp_mbtiles {
    sqlite3 *db;
    sqlite3_stmt *find, *img, *map;
    long long unique;
};

static sp_status db_error(sp_ctx *ctx, sqlite3 *db, const char *what)
{
    int e = db ? sqlite3_system_errno(db) : 0; /* the OS's word: "File too large"... */
    return sp_error(ctx, SP_ERR_IO, "MBTiles: %s: %s%s%s", what, db ? sqlite3_errmsg(db) : "?",
                    e ? ": " : "", e ? strerror(e) : "");
}

void sp_mbtiles_abort(sp_mbtiles *m)
{
    if (!m)
        return;
    sqlite3_finalize(m->find);
    sqlite3_finalize(m->img);
    sqlite3_finalize(m->map);
    sqlite3_close(m->db);
    free(m);
}

sp_status sp_mbtiles_create(sp_ctx *ctx, const char *path, sp_mbtiles **out)
{
    *out = NULL;
    sp_mbtiles *m = calloc(1, sizeof *m);
    if (!m)
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    if (sqlite3_open_v2(path, &m->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
        SQLITE_OK) {
        sp_status rc = db_error(ctx, m->db, "cannot create the file");
        sp_mbtiles_abort(m);
        return rc;
    }
    const char *schema =
        "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA page_size = 4096;"
        "BEGIN;"
        "CREATE TABLE metadata (name TEXT, value TEXT);"
        "CREATE UNIQUE INDEX metadata_name ON metadata (name);"
        "CREATE TABLE map (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_id TEXT);"
        "CREATE UNIQUE INDEX map_index ON map (zoom_level, tile_column, tile_row);"
        "CREATE TABLE images (tile_data BLOB, tile_id TEXT);"
        "CREATE UNIQUE INDEX images_id ON images (tile_id);"
        "CREATE VIEW tiles AS SELECT map.zoom_level AS zoom_level, map.tile_column AS "
        "tile_column, map.tile_row AS tile_row, images.tile_data AS tile_data FROM map "
        "JOIN images ON images.tile_id = map.tile_id;";
    if (sqlite3_exec(m->db, schema, NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(m->db, "SELECT tile_data FROM images WHERE tile_id = ?", -1,
                           &m->find, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(m->db, "INSERT INTO images (tile_data, tile_id) VALUES (?, ?)", -1,
                           &m->img, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(m->db, "INSERT INTO map (zoom_level, tile_column, tile_row, tile_id) "
                           "VALUES (?, ?, ?, ?)", -1, &m->map, NULL) != SQLITE_OK) {
        sp_status rc = db_error(ctx, m->db, "cannot set up the tables");
        sp_mbtiles_abort(m);
        return rc;
    }
    *out = m;
    return SP_OK;
}

sp_status sp_mbtiles_meta(sp_ctx *ctx, sp_mbtiles *m, const char *name, const char *value)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(m->db, "INSERT OR REPLACE INTO metadata (name, value) VALUES (?, ?)",
                           -1, &st, NULL) != SQLITE_OK)
        return db_error(ctx, m->db, "metadata");
    sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, value, -1, SQLITE_TRANSIENT);
    int r = sqlite3_step(st);
    sqlite3_finalize(st);
    return r == SQLITE_DONE ? SP_OK : db_error(ctx, m->db, "metadata");
}

sp_status sp_mbtiles_add(sp_ctx *ctx, sp_mbtiles *m, int z, int x, int y, const uint8_t *data,
                         size_t size)
{
    uint64_t h = sp_fnv1a64(SP_FNV1A64_INIT, data, size);
    char id[64];
    for (int k = 0;; k++) {
        snprintf(id, sizeof id, "%016llx-%zu%s%.0d", (unsigned long long)h, size, k ? "-" : "", k);
        sqlite3_reset(m->find);
        sqlite3_bind_text(m->find, 1, id, -1, SQLITE_TRANSIENT);
        int r = sqlite3_step(m->find);
        if (r == SQLITE_DONE) { /* new image */
            sqlite3_reset(m->img);
            sqlite3_bind_blob(m->img, 1, data, (int)size, SQLITE_STATIC);
            sqlite3_bind_text(m->img, 2, id, -1, SQLITE_TRANSIENT);
            if (sqlite3_step(m->img) != SQLITE_DONE)
                return db_error(ctx, m->db, "cannot store a tile");
            m->unique++;
            break;
        }
        if (r != SQLITE_ROW)
            return db_error(ctx, m->db, "cannot look up a tile");
        if ((size_t)sqlite3_column_bytes(m->find, 0) == size &&
            !memcmp(sqlite3_column_blob(m->find, 0), data, size))
            break; /* the same image: share it */
    }
    sqlite3_reset(m->map);
    sqlite3_bind_int(m->map, 1, z);
    sqlite3_bind_int(m->map, 2, x);
    sqlite3_bind_int(m->map, 3, sp_tile_tms_row(z, y));
    sqlite3_bind_text(m->map, 4, id, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(m->map) != SQLITE_DONE)
        return db_error(ctx, m->db, "cannot store a tile");
    return SP_OK;
}

sp_status sp_mbtiles_close(sp_ctx *ctx, sp_mbtiles *m, long long *unique)
{
    sqlite3_finalize(m->find);
    sqlite3_finalize(m->img);
    sqlite3_finalize(m->map);
    m->find = m->img = m->map = NULL;
    sp_status rc = SP_OK;
    if (sqlite3_exec(m->db, "COMMIT;", NULL, NULL, NULL) != SQLITE_OK)
        rc = db_error(ctx, m->db, "cannot commit");
    if (unique)
        *unique = m->unique;
    if (sqlite3_close(m->db) != SQLITE_OK && !rc)
        rc = db_error(ctx, m->db, "cannot close");
    m->db = NULL;
    free(m);
    return rc;
}
