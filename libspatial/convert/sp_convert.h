/* sp_convert: copy features from any OGR source to any OGR output, reprojected and
 * with GCJ-02/BD-09 undone (a minimal ogr2ogr for the Chinese web-map case). */
#ifndef SP_CONVERT_H
#define SP_CONVERT_H

#include "io/sp_dest.h"
#include "io/sp_vector.h"

typedef struct {
    sp_vector_options in; /* layers, where, s_srs, t_srs, s_coord, encoding */
    const char *format;   /* OGR driver short name; NULL: from DST's extension */
    sp_dest_options write; /* -lco, -dsco, -nln, -overwrite, -append (sp_dest) */
    sp_progress_fn progress;
    void *progress_user;
} sp_convert_options;

/* Sets the defaults: format from DST's extension, the source CRS kept. */
void sp_convert_options_init(sp_convert_options *o);

/* Writes every selected layer of src to dst (atomically), fields and values kept.
 * *nfeatures gets the number of features written (may be NULL). */
sp_status sp_convert_run(sp_ctx *ctx, const char *src, const char *dst,
                         const sp_convert_options *o, long long *nfeatures);

#endif
