/* sp_table: a small in-memory attribute table (text and number columns, optional
 * polygon geometry per row) read from any OGR table (CSV, GeoPackage, GeoJSON...) and
 * written atomically as CSV (fixed number format, so the same table gives the same
 * bytes) or through OGR with the geometry. sp-score reads and writes its tables here. */
#ifndef SP_TABLE_H
#define SP_TABLE_H

#include "core/sp_ctx.h"
#include "io/sp_dest.h"

#include <ogr_api.h>
#include <stdio.h>

typedef struct {
    char *name;
    bool numeric;   /* true: num[] holds the values; false: str[] */
    OGRFieldType type; /* OGR type to write (text columns keep the type they were read as) */
    double *num;    /* nrows values, NaN = null */
    char **str;     /* nrows texts, NULL = null */
} sp_table_col;

typedef struct {
    int nrows, ncols;
    sp_table_col *cols;
    OGRGeometryH *geom; /* nrows geometries (owned, may be NULL each) or NULL: no geometry */
    char *wkt;          /* CRS of geom (owned) or NULL */
} sp_table;

/* A table of nrows rows and no columns. NULL when out of memory. Free with sp_table_free. */
sp_table *sp_table_new(int nrows);
void sp_table_free(sp_table *t);

/* Adds a column; returns its index or -1 when out of memory (or the name is taken:
 * check with sp_table_find first). Numbers start as NaN, texts as NULL. */
int sp_table_add_number(sp_table *t, const char *name);
int sp_table_add_text(sp_table *t, const char *name, OGRFieldType type);
/* A number column written as a 64-bit integer (ids, ranks, flags; exact to 2^53). */
int sp_table_add_integer(sp_table *t, const char *name);
/* Sets row r of text column c to a copy of s (NULL = null). False when out of memory. */
bool sp_table_set_text(sp_table *t, int c, int r, const char *s);

/* Index of the column called name, or -1. */
int sp_table_find(const sp_table *t, const char *name);
/* The column of a street-name field asked as name: that name exactly, else in any case,
 * else, when name is "name" (every tool's default), the first of SP_NAME_FIELDS
 * (core/sp_text.h) the table
 * has; -1 when none. */
int sp_table_find_name(const sp_table *t, const char *name);

/* Value of row r of column c as a number: numbers as stored; texts parsed in full
 * (strtod); empty/null gives NaN with *ok true; text that is not a number gives NaN
 * with *ok false. */
double sp_table_number(const sp_table *t, int c, int r, bool *ok);
/* Value of row r of column c as text in buf (numbers with %.12g, integer columns with
 * every digit); "" for null. */
const char *sp_table_text(const sp_table *t, int c, int r, char *buf, size_t n);

/* Reads the first (or the named) layer of an OGR table. Integer and real fields become
 * number columns (integers stay integers when written back), every other field a text column (a CSV's fields are all text). The
 * geometry is kept when the layer has one. */
sp_status sp_table_read(sp_ctx *ctx, const char *path, const char *layer, sp_table **out);
/* The same with GDAL open options (X_POSSIBLE_NAMES=lon for a CSV...; NULL: none) and a
 * CRS that overrides the layer's (s_srs, any GDAL user input; NULL: the layer's). */
sp_status sp_table_read_with(sp_ctx *ctx, const char *path, const char *layer,
                             const char *const *oo, const char *s_srs, sp_table **out);

/* Writes t to dst: CSV (format "CSV" or a .csv dst) with numbers as %.12g, or an OGR
 * format (GPKG, GeoJSON, by name or dst's extension) with a layer named after dst and
 * the geometry. Atomic: dst appears only when complete. */
sp_status sp_table_write(sp_ctx *ctx, const sp_table *t, const char *dst, const char *format);

/* How a table is written beyond its format: GDAL's layer and dataset creation options
 * (-lco, -dsco: for CSV only WRITE_BOM=YES, a UTF-8 byte-order mark so that Excel reads
 * Chinese text), the layer name (-nln; default: dst's base name; a database needs it) and
 * -overwrite/-append for a database table (sp_dest). */
typedef sp_dest_options sp_table_write_options;
/* The CSV layer creation options onemap's CSV writers take: WRITE_BOM=YES|NO (a UTF-8
 * byte-order mark, for Excel) into *bom; anything else is a usage error. */
sp_status sp_table_csv_bom(sp_ctx *ctx, char **lco, bool *bom);
/* The output format of dst: format, or by dst's extension (.csv .gpkg .geojson .shp) or
 * its PG: prefix; a usage error when it cannot be told, GDAL lacks the driver, or a
 * database output has no -nln (wo may be NULL). For a check before the work. */
sp_status sp_table_format(sp_ctx *ctx, const char *dst, const char *format,
                          const sp_table_write_options *wo, const char **fmt);
/* sp_table_write with options (NULL: none). An unsupported CSV option is a usage error. */
sp_status sp_table_write_with(sp_ctx *ctx, const sp_table *t, const char *dst,
                              const char *format, const sp_table_write_options *wo);

/* Writes one CSV field, quoted when it holds a comma, quote or newline. */
void sp_table_csv_field(FILE *fp, const char *s);

#endif
