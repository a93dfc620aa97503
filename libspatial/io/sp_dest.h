/* sp_dest: where the tools write vector outputs. A file (GeoPackage, shapefile, GeoJSON...)
 * is written under a temporary name and renamed into place on success (sp_output); a
 * database (PG:"dbname=... host=...") is written in one transaction that is rolled back on
 * failure, so an existing table is replaced (-overwrite) or extended (-append) whole or not
 * at all, as ogr2ogr's flags of the same names ask. */
#ifndef SP_DEST_H
#define SP_DEST_H

#include "core/sp_ctx.h"
#include "io/sp_output.h"

#include <gdal.h>
#include <ogr_api.h>

/* GDAL's output flags: -lco, -dsco, -nln, -overwrite, -append. */
typedef struct {
    char **lco, **dsco;
    const char *nln;
    bool overwrite, append;
} sp_dest_options;

/* True for a database connection string ("PG:..."), false for a path. */
bool sp_dest_is_database(const char *dst);

/* dst as messages show it: its password, in any form, as *** (sp_secret_mask). */
void sp_dest_shown(const char *dst, char *buf, size_t n);

typedef struct {
    sp_output out;     /* a file's temporary location */
    GDALDatasetH ds;   /* the open dataset */
    const char *dst;   /* as the user gave it */
    char shown[1024];  /* dst as messages show it (sp_dest_shown) */
    const sp_dest_options *o;
    bool db, tx, pinned, shp;
    int nlayers;       /* layers asked for so far */
    char fmt[32];      /* the driver's short name: a file is read back with it */
} sp_dest;

/* Opens dst for writing with the OGR driver fmt: a file is created (with -dsco) at a
 * temporary path; a database is opened for update (-dsco is refused: it exists already).
 * Starts a transaction where the driver has them. On failure *d is zeroed. */
sp_status sp_dest_begin(sp_ctx *ctx, sp_dest *d, const char *dst, const char *fmt,
                        const sp_dest_options *o);

/* The layer to write fields (a definition: its fields in order) into: named -nln (when
 * the run writes one layer) or name. A shapefile's fields longer than 10 bytes are
 * renamed on a character boundary (~N when taken, each reported) and it is written in
 * UTF-8 with a .cpg unless -lco ENCODING= says otherwise. In a database, an existing
 * table is an error unless -overwrite (dropped and created again, in the transaction) or
 * -append (its fields must be those of fields, in order; rows are added). The layer's
 * fields are then those of fields, by index. */
sp_status sp_dest_layer(sp_ctx *ctx, sp_dest *d, const char *name, const char *wkt,
                        OGRwkbGeometryType gtype, OGRFeatureDefnH fields, OGRLayerH *layer);

/* Ends the write: on rc == SP_OK commits the transaction, closes and moves a file into
 * place; otherwise rolls back (a database is as before) and removes the temporary file.
 * Returns rc, or the error of the commit. */
sp_status sp_dest_end(sp_ctx *ctx, sp_dest *d, sp_status rc);

/* Driver for a file name's extension (.gpkg, .shp, .geojson/.json, .csv, .fgb, .kml),
 * or NULL. */
const char *sp_dest_driver_for(const char *path);

#endif
