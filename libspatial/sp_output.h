/* sp_output: atomic outputs. A dataset is written under a temporary folder beside its
 * destination (".NAME.tmp-XXXXXX/NAME", so multi-file formats such as shapefiles work
 * too) and its files are renamed into place only on success; on failure the folder is
 * removed. A failed or killed run never leaves a half-written file under the final name. */
#ifndef SP_OUTPUT_H
#define SP_OUTPUT_H

#include "sp_ctx.h"

typedef struct {
    char *dst;    /* final path */
    char *tmpdir; /* temporary folder beside dst */
    char *path;   /* where to write: tmpdir/basename(dst) */
} sp_output;

/* Prepares a temporary location for dst. Fails (SP_ERR_IO) when dst's folder does not
 * exist or is not writable, or dst is an existing folder. */
sp_status sp_output_begin(sp_ctx *ctx, sp_output *out, const char *dst);
/* The same for a folder of outputs (a tile tree): out->path is a folder to fill; on
 * commit an existing folder dst is replaced as a whole. */
sp_status sp_output_begin_folder(sp_ctx *ctx, sp_output *out, const char *dst);
/* Moves every file written under out->path into dst's folder, then frees out. */
sp_status sp_output_commit(sp_ctx *ctx, sp_output *out);
/* Removes the temporary folder and everything in it; frees out. Accepts a zeroed out. */
void sp_output_abort(sp_output *out);

/* GeoPackage stamps the time of writing into gpkg_contents; pinning OGR_CURRENT_DATE
 * (thread-locally, unless the user set it) keeps the same inputs giving the same bytes,
 * as the eco-brain caches by content. Returns whether it pinned the date; give that to
 * sp_output_unpin_date afterwards. */
bool sp_output_pin_date(void);
void sp_output_unpin_date(bool pinned);

/* True if path exists (file or folder). */
bool sp_path_exists(const char *path);
/* Removes a folder tree (used for temporary tile trees). Returns 0 on success. */
int sp_remove_tree(const char *path);

#endif
