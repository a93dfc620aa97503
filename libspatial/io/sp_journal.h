/* sp_journal: SQLite's journals beside a destination. A viewer or editor that died while
 * writing an old OUT.mbtiles / OUT.gpkg leaves a hot OUT-journal (or OUT-wal) behind; if a
 * new file were renamed into place, SQLite would replay that journal into the new file at
 * its next open and truncate it. Before a commit replaces such a file, its journal is
 * settled: applied to the old file it belongs to, or the commit is refused. */
#ifndef SP_JOURNAL_H
#define SP_JOURNAL_H

#include "core/sp_ctx.h"

/* Makes sure no SQLite journal beside path can apply to a file renamed to path: when
 * path-journal or path-wal exists, path (the old database) is opened once, which rolls a
 * hot journal back into it (or checkpoints the WAL) and removes it. Errors (SP_ERR_IO,
 * nothing changed): the old database is being written by another program (it holds the
 * lock), the journal is still there after that, or a journal lies there without its
 * database; each message names the journal. SP_OK when there is no journal. */
sp_status sp_journal_settle(sp_ctx *ctx, const char *path);

#endif
