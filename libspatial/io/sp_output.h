/* sp_output: atomic outputs. A dataset is written under a temporary folder beside its
 * destination (".NAME.tmp-PID-XXXXXX/NAME", so multi-file formats such as shapefiles
 * work too) and renamed into place only on success; on failure the folder is removed.
 * A failed or killed run never leaves a half-written file under the final name, no
 * output replaces an input, a folder output is swapped in by renames only, and only a
 * folder that onemap wrote (it holds the marker SP_OUTPUT_MARKER) is ever replaced. */
#ifndef SP_OUTPUT_H
#define SP_OUTPUT_H

#include "core/sp_ctx.h"

/* The file that marks a folder as onemap's own output (written into every folder
 * output; an existing folder without it is never replaced). */
#define SP_OUTPUT_MARKER ".onemap-output"
/* The longest temporary path: SQLite's unix VFS (GeoPackage, MBTiles) takes 512 bytes
 * at most, and GDAL's path helpers 2,048; longer destinations are refused up front. */
#define SP_OUTPUT_PATH_MAX 511

typedef struct {
    char *dst;    /* final path */
    char *tmpdir; /* temporary folder beside dst */
    char *path;   /* where to write: tmpdir/basename(dst) */
    bool folder;  /* dst is a folder output */
} sp_output;

/* Prepares a temporary location for dst. Fails (SP_ERR_IO) when dst's folder does not
 * exist or is not writable, or dst is an existing folder; SP_ERR_USAGE when dst is an
 * input of the run (sp_ctx_add_input) or its path is too long. Removes temporary
 * folders beside dst that a dead process left (with a warning). On failure *out is
 * zeroed. */
sp_status sp_output_begin(sp_ctx *ctx, sp_output *out, const char *dst);
/* The same for a folder output (a tile tree): out->path is a folder to fill, holding
 * the marker already. Refuses ".", "..", "/", an existing folder without the marker
 * that is not empty, and a folder that holds an input. */
sp_status sp_output_begin_folder(sp_ctx *ctx, sp_output *out, const char *dst);
/* Moves what was written under out->path to dst: each file by one rename (a folder by
 * one exchange of names, so that dst always holds a whole old or a whole new tree),
 * with the destination folder locked so that the files of two concurrent runs never
 * mix. Checks again that no file it replaces is an input. Frees out, on success or
 * failure (then the temporary folder is removed and dst is as before). While outputs
 * are held (sp_output_hold), only queues out; they are moved by sp_output_release. */
sp_status sp_output_commit(sp_ctx *ctx, sp_output *out);
/* Removes the temporary folder and everything in it; frees out. Accepts a zeroed out. */
void sp_output_abort(sp_output *out);

/* All outputs or none: after sp_output_hold, commits are queued in ctx; then
 * sp_output_release(ctx, true) moves them all into place (stopping at the first that
 * fails) and sp_output_release(ctx, false) removes them. sp_ctx_free removes any left. */
void sp_output_hold(sp_ctx *ctx);
sp_status sp_output_release(sp_ctx *ctx, bool commit);

/* Removes every temporary folder of this process that is not committed yet, using
 * system calls only: async-signal-safe, for a SIGINT/SIGTERM handler (sp_cli installs
 * one). */
void sp_output_remove_temporaries(void);

/* GeoPackage stamps the time of writing into gpkg_contents; pinning OGR_CURRENT_DATE
 * (thread-locally, unless the user set it) keeps the same inputs giving the same bytes,
 * as the eco-brain caches by content. Returns whether it pinned the date; give that to
 * sp_output_unpin_date afterwards. */
bool sp_output_pin_date(void);
void sp_output_unpin_date(bool pinned);
/* Shapefile .dbf headers hold the date of writing (bytes 1-3): sets it to a fixed date
 * (2000-01-01) in every .dbf under folder, so that same inputs give the same bytes. */
sp_status sp_output_pin_dbf_dates(sp_ctx *ctx, const char *folder);

/* Closes a GDAL dataset that was written (GDALDatasetH ds; NULL is fine) and returns
 * the error of its final flush (a full disk shows here), naming dst; else rc as given. */
sp_status sp_output_close(sp_ctx *ctx, void *ds, const char *dst, sp_status rc);

/* True if path exists (file or folder). */
bool sp_path_exists(const char *path);
/* Removes a folder tree (or a file). Returns 0 on success. */
int sp_remove_tree(const char *path);

#endif
