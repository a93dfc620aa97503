/* sp_part: a shard's part (a Float64 GeoTIFF of its rows) and its JSON sidecar (json-c,
 * GDAL's own JSON dependency: the sidecar is read back by a parser, never by substring).
 * Numbers that must come back to the bit (extents, sums) travel as "%.17g" strings. */
#include "io/sp_part.h"
#include "io/sp_output.h"

#include <cpl_string.h>
#include <json-c/json.h>
#include <libdeflate.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* libdeflate's CRC-32 and Adler-32 (SIMD, GB/s: FNV-1a byte by byte took 12 % of a
 * shard's time on a 112 MB input), the CRC in the high half */
uint64_t sp_part_sum(uint64_t s, const void *data, size_t n)
{
    uint32_t crc = libdeflate_crc32((uint32_t)(s >> 32), data, n);
    uint32_t adler = libdeflate_adler32((uint32_t)s, data, n);
    return (uint64_t)crc << 32 | adler;
}

bool sp_part_hash_file(const char *path, int64_t *size, uint64_t *hash)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    unsigned char buf[1 << 16];
    uint64_t h = SP_PART_SUM_INIT;
    int64_t n = 0;
    size_t got;
    while ((got = fread(buf, 1, sizeof buf, f)) > 0) {
        h = sp_part_sum(h, buf, got);
        n += (int64_t)got;
    }
    bool ok = !ferror(f);
    fclose(f);
    *size = n;
    *hash = h;
    return ok;
}

static void add_str(json_object *o, const char *key, const char *v)
{
    json_object_object_add(o, key, v ? json_object_new_string(v) : NULL);
}

static void add_num(json_object *o, const char *key, double v)
{
    char buf[40];
    snprintf(buf, sizeof buf, "%.17g", v);
    json_object_object_add(o, key, json_object_new_string(buf));
}

static void add_hex(json_object *o, const char *key, uint64_t v)
{
    char buf[24];
    snprintf(buf, sizeof buf, "%016" PRIx64, v);
    json_object_object_add(o, key, json_object_new_string(buf));
}

static json_object *str_array(char **l)
{
    json_object *a = json_object_new_array();
    for (; l && *l; l++)
        json_object_array_add(a, json_object_new_string(*l));
    return a;
}

/* The inputs: each path with its size and hash when it is a regular file (a shapefile's
 * .dbf too: its attributes are the values); a database or /vsi path by its name. */
static json_object *inputs_json(const char *const *inputs)
{
    json_object *a = json_object_new_array();
    for (; inputs && *inputs; inputs++) {
        json_object *o = json_object_new_object();
        add_str(o, "path", *inputs);
        int64_t size;
        uint64_t h;
        if (sp_part_hash_file(*inputs, &size, &h)) {
            size_t n = strlen(*inputs);
            if (n > 4 && !strcasecmp(*inputs + n - 4, ".shp")) {
                char *dbf = CPLStrdup(*inputs);
                memcpy(dbf + n - 3, dbf[n - 3] == 's' ? "dbf" : "DBF", 3);
                int64_t s2;
                uint64_t h2;
                if (sp_part_hash_file(dbf, &s2, &h2)) {
                    size += s2;
                    h = sp_part_sum(h, &h2, sizeof h2);
                }
                CPLFree(dbf);
            }
            json_object_object_add(o, "size", json_object_new_int64(size));
            add_hex(o, "crc32_adler32", h);
        }
        json_object_array_add(a, o);
    }
    return a;
}

static json_object *grid_json(const sp_grid *g)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "ncols", json_object_new_int(g->ncols));
    json_object_object_add(o, "nrows", json_object_new_int(g->nrows));
    add_num(o, "xmin", g->xmin);
    add_num(o, "ymin", g->ymin);
    add_num(o, "xmax", g->xmax);
    add_num(o, "ymax", g->ymax);
    add_num(o, "dx", g->dx);
    add_num(o, "dy", g->dy);
    add_str(o, "wkt", g->wkt);
    return o;
}

static json_object *write_json(const sp_raster_write_options *wo)
{
    json_object *o = json_object_new_object();
    add_str(o, "format", wo->format ? wo->format : "GTiff");
    json_object_object_add(o, "float32", json_object_new_boolean(wo->float32));
    add_str(o, "compress", wo->compress);
    json_object_object_add(o, "co", str_array(wo->co));
    json_object_object_add(o, "meta", str_array(wo->meta));
    return o;
}

/* The band values' hash: the part's pixels as the shard computed them. */
static uint64_t data_hash(const sp_raster *r)
{
    size_t n = (size_t)r->grid.ncols * (size_t)r->grid.nrows;
    uint64_t h = SP_PART_SUM_INIT;
    for (int b = 0; b < r->nbands; b++)
        h = sp_part_sum(h, r->band[b], n * sizeof(double));
    return h;
}

static json_object *sidecar_json(const sp_raster *r, const sp_part_info *pi)
{
    json_object *o = json_object_new_object();
    add_str(o, "format", "onemap-part");
    json_object_object_add(o, "version", json_object_new_int(1));
    add_str(o, "tool", pi->run->tool);
    json_object_object_add(o, "index", json_object_new_int(pi->run->shard.index));
    json_object_object_add(o, "count", json_object_new_int(pi->run->shard.count));
    add_str(o, "args", pi->run->args);
    json_object_object_add(o, "argv", str_array((char **)pi->run->argv));
    json_object_object_add(o, "inputs", inputs_json(pi->inputs));
    json_object_object_add(o, "grid", grid_json(pi->full));
    json_object_object_add(o, "row0", json_object_new_int(pi->row0));
    json_object_object_add(o, "nrows", json_object_new_int(r->grid.nrows));
    json_object_object_add(o, "unit0", json_object_new_int64(pi->unit0));
    json_object_object_add(o, "unit1", json_object_new_int64(pi->unit1));
    json_object_object_add(o, "nunits", json_object_new_int64(pi->nunits));
    json_object_object_add(o, "unit_rows", json_object_new_int(pi->unit_rows));
    json_object_object_add(o, "write", write_json(pi->wo));
    add_str(o, "unit", r->unit);
    json_object *bands = json_object_new_array();
    for (int b = 0; b < r->nbands; b++) {
        json_object *x = json_object_new_object();
        add_str(x, "name", r->name[b]);
        if (pi->input)
            add_num(x, "input", pi->input[b]);
        add_num(x, "sum", sp_raster_band_sum(r, b));
        json_object_array_add(bands, x);
    }
    json_object_object_add(o, "bands", bands);
    add_hex(o, "data_crc32_adler32", data_hash(r));
    return o;
}

static sp_status write_text(sp_ctx *ctx, const char *dst, const char *text)
{
    sp_output out;
    sp_status rc = sp_output_begin(ctx, &out, dst);
    if (rc)
        return rc;
    FILE *f = fopen(out.path, "wb");
    bool ok = f && fputs(text, f) >= 0 && fputc('\n', f) != EOF;
    if (f && fclose(f))
        ok = false;
    if (!ok) {
        sp_output_abort(&out);
        return sp_error(ctx, SP_ERR_IO, "cannot write '%s'", dst);
    }
    return sp_output_commit(ctx, &out);
}

sp_status sp_part_check_dst(sp_ctx *ctx, const char *dst)
{
    size_t n = strlen(dst);
    if (n < 4 || strcasecmp(dst + n - 4, ".tif"))
        return sp_error(ctx, SP_ERR_USAGE, "a shard's part is a GeoTIFF: name it .tif, not '%s' "
                                           "(sp-merge writes the final format)", dst);
    return SP_OK;
}

sp_status sp_part_write(sp_ctx *ctx, const sp_raster *r, const char *dst, const sp_part_info *pi)
{
    sp_status rc = sp_part_check_dst(ctx, dst);
    if (rc)
        return rc;
    sp_raster_write_options pw;
    sp_raster_write_options_init(&pw);
    char **meta = NULL;
    char buf[64];
    snprintf(buf, sizeof buf, "%d/%d", pi->run->shard.index, pi->run->shard.count);
    meta = CSLSetNameValue(meta, "SHARD", buf);
    pw.meta = meta;
    json_object *o = sidecar_json(r, pi);
    char *side = CPLStrdup(CPLSPrintf("%s%s", dst, SP_PART_SIDECAR));
    sp_output_hold(ctx);
    rc = sp_raster_write(ctx, r, dst, &pw);
    if (!rc)
        rc = write_text(ctx, side,
                        json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
                                                              JSON_C_TO_STRING_NOSLASHESCAPE));
    sp_status rel = sp_output_release(ctx, rc == SP_OK);
    CPLFree(side);
    json_object_put(o);
    CSLDestroy(meta);
    return rc ? rc : rel;
}

/* ---- reading a sidecar back ---------------------------------------------------------- */

typedef struct {
    sp_ctx *ctx;
    const char *file;
    sp_status rc;
} reader;

static json_object *member(reader *rd, json_object *o, const char *key, json_type t)
{
    json_object *x = NULL;
    if (rd->rc)
        return NULL;
    if (!o || !json_object_object_get_ex(o, key, &x) || !json_object_is_type(x, t)) {
        rd->rc = sp_error(rd->ctx, SP_ERR_DATA, "'%s': no valid \"%s\": not a part's sidecar "
                                                "(or a damaged one)", rd->file, key);
        return NULL;
    }
    return x;
}

static char *get_str(reader *rd, json_object *o, const char *key, bool nullable)
{
    json_object *x = NULL;
    if (nullable && o && json_object_object_get_ex(o, key, &x) && !x)
        return NULL;
    x = member(rd, o, key, json_type_string);
    return x ? strdup(json_object_get_string(x)) : NULL;
}

static double get_num(reader *rd, json_object *o, const char *key)
{
    json_object *x = member(rd, o, key, json_type_string);
    char *e = NULL;
    double v = x ? strtod(json_object_get_string(x), &e) : 0;
    if (x && (e == json_object_get_string(x) || *e))
        rd->rc = sp_error(rd->ctx, SP_ERR_DATA, "'%s': \"%s\" is not a number", rd->file, key);
    return v;
}

static int64_t get_int(reader *rd, json_object *o, const char *key)
{
    json_object *x = member(rd, o, key, json_type_int);
    return x ? json_object_get_int64(x) : 0;
}

static char **get_strs(reader *rd, json_object *o, const char *key)
{
    json_object *a = member(rd, o, key, json_type_array);
    char **l = NULL;
    for (size_t i = 0; a && i < json_object_array_length(a); i++)
        l = CSLAddString(l, json_object_get_string(json_object_array_get_idx(a, i)));
    return l;
}

static void read_grid(reader *rd, json_object *o, sp_part *p)
{
    json_object *g = member(rd, o, "grid", json_type_object);
    p->full.ncols = (int)get_int(rd, g, "ncols");
    p->full.nrows = (int)get_int(rd, g, "nrows");
    p->full.xmin = get_num(rd, g, "xmin");
    p->full.ymin = get_num(rd, g, "ymin");
    p->full.xmax = get_num(rd, g, "xmax");
    p->full.ymax = get_num(rd, g, "ymax");
    p->full.dx = get_num(rd, g, "dx");
    p->full.dy = get_num(rd, g, "dy");
    p->full.wkt = get_str(rd, g, "wkt", true);
}

static void read_write(reader *rd, json_object *o, sp_part *p)
{
    json_object *w = member(rd, o, "write", json_type_object);
    if (w)
        p->write = strdup(json_object_to_json_string_ext(w, JSON_C_TO_STRING_PLAIN));
    p->format = get_str(rd, w, "format", false);
    p->compress = get_str(rd, w, "compress", true);
    json_object *f = member(rd, w, "float32", json_type_boolean);
    p->co = get_strs(rd, w, "co");
    p->meta = get_strs(rd, w, "meta");
    sp_raster_write_options_init(&p->wo);
    p->wo.format = p->format;
    p->wo.compress = p->compress;
    p->wo.float32 = f && json_object_get_boolean(f);
    p->wo.co = p->co;
    p->wo.meta = p->meta;
}

static void read_bands(reader *rd, json_object *o, sp_part *p)
{
    json_object *a = member(rd, o, "bands", json_type_array);
    if (!a)
        return;
    int nb = (int)json_object_array_length(a);
    p->nbands = nb;
    p->names = calloc((size_t)nb + 1, sizeof *p->names);
    p->input = calloc((size_t)nb + 1, sizeof *p->input);
    p->sum = calloc((size_t)nb + 1, sizeof *p->sum);
    if (!p->names || !p->input || !p->sum) {
        rd->rc = sp_error(rd->ctx, SP_ERR_NOMEM, "out of memory");
        return;
    }
    p->has_input = nb > 0;
    for (int b = 0; b < nb; b++) {
        json_object *x = json_object_array_get_idx(a, b), *in;
        p->names[b] = get_str(rd, x, "name", true);
        if (x && json_object_object_get_ex(x, "input", &in))
            p->input[b] = get_num(rd, x, "input");
        else
            p->has_input = false;
        p->sum[b] = get_num(rd, x, "sum");
    }
}

/* The numbers a merge relies on are in range. */
static bool plausible(const sp_part *p)
{
    const sp_grid *g = &p->full;
    return p->shard.count >= 1 && p->shard.count <= SP_SHARD_MAX && p->shard.index >= 0 &&
           p->shard.index < p->shard.count && g->ncols > 0 && g->nrows > 0 && g->dx > 0 &&
           g->dy > 0 && p->row0 >= 0 && p->nrows > 0 && p->row0 + (int64_t)p->nrows <= g->nrows &&
           p->unit_rows > 0 && p->nunits > 0 && p->nbands > 0 && p->nbands <= 4096;
}

sp_status sp_part_read(sp_ctx *ctx, const char *path, sp_part *p)
{
    memset(p, 0, sizeof *p);
    char *side = CPLStrdup(CPLSPrintf("%s%s", path, SP_PART_SIDECAR));
    reader rd = {ctx, side, SP_OK};
    json_object *o = json_object_from_file(side);
    if (!o) {
        rd.rc = sp_error(ctx, sp_path_exists(side) ? SP_ERR_DATA : SP_ERR_IO,
                         "'%s': %s", side, sp_path_exists(side) ? "not valid JSON"
                         : "missing: a part needs the sidecar its shard wrote beside it");
        CPLFree(side);
        return rd.rc;
    }
    char *format = get_str(&rd, o, "format", false);
    if (!rd.rc && strcmp(format, "onemap-part"))
        rd.rc = sp_error(ctx, SP_ERR_DATA, "'%s' is not a part's sidecar", side);
    free(format);
    p->path = strdup(path);
    p->tool = get_str(&rd, o, "tool", false);
    p->args = get_str(&rd, o, "args", false);
    p->shard.index = (int)get_int(&rd, o, "index");
    p->shard.count = (int)get_int(&rd, o, "count");
    json_object *in = member(&rd, o, "inputs", json_type_array);
    if (in)
        p->inputs = strdup(json_object_to_json_string_ext(in, JSON_C_TO_STRING_PLAIN));
    read_grid(&rd, o, p);
    p->row0 = (int)get_int(&rd, o, "row0");
    p->nrows = (int)get_int(&rd, o, "nrows");
    p->unit0 = get_int(&rd, o, "unit0");
    p->unit1 = get_int(&rd, o, "unit1");
    p->nunits = get_int(&rd, o, "nunits");
    p->unit_rows = (int)get_int(&rd, o, "unit_rows");
    read_write(&rd, o, p);
    p->unit = get_str(&rd, o, "unit", true);
    read_bands(&rd, o, p);
    char *h = get_str(&rd, o, "data_crc32_adler32", false);
    if (h)
        p->hash = strtoull(h, NULL, 16);
    free(h);
    json_object_put(o);
    if (!rd.rc && !plausible(p))
        rd.rc = sp_error(ctx, SP_ERR_DATA, "'%s': its shard, grid, rows or bands are out of "
                                           "range (a damaged sidecar)", side);
    CPLFree(side);
    if (rd.rc)
        sp_part_free(p);
    return rd.rc;
}

void sp_part_free(sp_part *p)
{
    if (!p)
        return;
    free(p->path);
    free(p->tool);
    free(p->args);
    free(p->inputs);
    sp_grid_clear(&p->full);
    free(p->write);
    free(p->format);
    free(p->compress);
    CSLDestroy(p->co);
    CSLDestroy(p->meta);
    free(p->unit);
    for (int b = 0; p->names && b < p->nbands; b++)
        free(p->names[b]);
    free(p->names);
    free(p->input);
    free(p->sum);
    memset(p, 0, sizeof *p);
}

/* ---- parts of a tile set ----------------------------------------------------------------- */

char *sp_part_inputs_string(const char *const *inputs)
{
    json_object *a = inputs_json(inputs);
    char *s = strdup(json_object_to_json_string_ext(a, JSON_C_TO_STRING_PLAIN));
    json_object_put(a);
    return s;
}

sp_status sp_part_write_units(sp_ctx *ctx, const char *part, const char *format,
                              const sp_part_run *run, const char *const *inputs,
                              const sp_part_units *t)
{
    json_object *o = json_object_new_object();
    add_str(o, "format", format);
    json_object_object_add(o, "version", json_object_new_int(1));
    add_str(o, "tool", run->tool);
    json_object_object_add(o, "index", json_object_new_int(run->shard.index));
    json_object_object_add(o, "count", json_object_new_int(run->shard.count));
    add_str(o, "args", run->args);
    json_object_object_add(o, "argv", str_array((char **)run->argv));
    json_object_object_add(o, "inputs", inputs_json(inputs));
    const char *key[] = {"index0", "index1", "total", "bytes", "palette", "empty"};
    const long long v[] = {t->index0, t->index1, t->total, t->bytes, t->palette, t->empty};
    for (int k = 0; k < 6; k++)
        json_object_object_add(o, key[k], json_object_new_int64(v[k]));
    add_hex(o, "crc32_adler32", t->sum);
    char *side = CPLStrdup(CPLSPrintf("%s%s", part, SP_PART_SIDECAR));
    sp_status rc = write_text(ctx, side, json_object_to_json_string_ext(
                                             o, JSON_C_TO_STRING_PRETTY |
                                                    JSON_C_TO_STRING_NOSLASHESCAPE));
    CPLFree(side);
    json_object_put(o);
    return rc;
}

static json_object *load_sidecar(sp_ctx *ctx, const char *path, const char *format,
                                 sp_status *rc)
{
    char *side = CPLStrdup(CPLSPrintf("%s%s", path, SP_PART_SIDECAR));
    json_object *o = json_object_from_file(side), *f;
    bool exists = sp_path_exists(side);
    *rc = SP_OK;
    if (!o)
        *rc = sp_error(ctx, exists ? SP_ERR_DATA : SP_ERR_IO, "'%s': %s", side,
                       exists ? "not valid JSON"
                              : "missing: a part needs the sidecar its shard wrote beside it");
    else if (!json_object_object_get_ex(o, "format", &f) ||
             strcmp(json_object_get_string(f), format)) {
        *rc = sp_error(ctx, SP_ERR_DATA, "'%s' is not the sidecar of a %s", side,
                       !strcmp(format, SP_PART_TILES) ? "tiles part"
                       : !strcmp(format, SP_PART_ZONAL) ? "zonal statistics part"
                                                         : "raster part");
        json_object_put(o);
        o = NULL;
    }
    CPLFree(side);
    return o;
}

const char *sp_part_rerun_tool(const char *path)
{
    static const char *const FORMATS[][2] = {{SP_PART_TILES, "sp-tiles"},
                                             {SP_PART_ZONAL, "sp-zonal"}};
    sp_ctx *tmp = sp_ctx_new_core();
    const char *tool = NULL;
    for (int k = 0; tmp && k < 2 && !tool; k++) {
        sp_status rc;
        json_object *o = load_sidecar(tmp, path, FORMATS[k][0], &rc);
        if (o)
            tool = FORMATS[k][1];
        json_object_put(o);
    }
    sp_ctx_free(tmp);
    return tool;
}

sp_status sp_part_read_units(sp_ctx *ctx, const char *path, const char *format,
                             sp_part_units *t)
{
    memset(t, 0, sizeof *t);
    sp_status rc;
    json_object *o = load_sidecar(ctx, path, format, &rc);
    if (!o)
        return rc;
    char *side = CPLStrdup(CPLSPrintf("%s%s", path, SP_PART_SIDECAR));
    reader rd = {ctx, side, SP_OK};
    t->path = strdup(path);
    t->tool = get_str(&rd, o, "tool", false);
    t->args = get_str(&rd, o, "args", false);
    t->argv = get_strs(&rd, o, "argv");
    json_object *in = member(&rd, o, "inputs", json_type_array);
    if (in)
        t->inputs = strdup(json_object_to_json_string_ext(in, JSON_C_TO_STRING_PLAIN));
    t->shard.index = (int)get_int(&rd, o, "index");
    t->shard.count = (int)get_int(&rd, o, "count");
    long long *v[] = {&t->index0, &t->index1, &t->total, &t->bytes, &t->palette, &t->empty};
    const char *key[] = {"index0", "index1", "total", "bytes", "palette", "empty"};
    for (int k = 0; k < 6; k++)
        *v[k] = get_int(&rd, o, key[k]);
    char *h = get_str(&rd, o, "crc32_adler32", false);
    t->sum = h ? strtoull(h, NULL, 16) : 0;
    free(h);
    if (!rd.rc && !(t->shard.count >= 1 && t->shard.count <= SP_SHARD_MAX &&
                    t->shard.index >= 0 && t->shard.index < t->shard.count &&
                    t->index0 >= 0 && t->index0 <= t->index1 && t->index1 <= t->total))
        rd.rc = sp_error(ctx, SP_ERR_DATA, "'%s': its shard or tiles are out of range (a "
                                           "damaged sidecar)", side);
    json_object_put(o);
    CPLFree(side);
    if (rd.rc)
        sp_part_units_free(t);
    return rd.rc;
}

void sp_part_units_free(sp_part_units *t)
{
    if (!t)
        return;
    free(t->path);
    free(t->tool);
    free(t->args);
    free(t->inputs);
    CSLDestroy(t->argv);
    memset(t, 0, sizeof *t);
}

sp_status sp_part_check_shards(sp_ctx *ctx, const sp_shard *shards, const char *const *paths,
                               int n)
{
    int count = shards[0].count;
    const char **by = calloc((size_t)count, sizeof *by);
    if (!by)
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    sp_status rc = SP_OK;
    for (int k = 0; k < n && !rc; k++) {
        if (shards[k].count != count)
            rc = sp_error(ctx, SP_ERR_USAGE, "'%s' and '%s' are parts of different runs: they "
                          "differ in the number of shards", paths[0], paths[k]);
        else if (by[shards[k].index])
            rc = sp_error(ctx, SP_ERR_USAGE, "shard %d/%d is given twice: '%s' and '%s'",
                          shards[k].index, count, by[shards[k].index], paths[k]);
        else
            by[shards[k].index] = paths[k];
    }
    char list[512] = "";
    int missing = 0;
    for (int i = 0; i < count && !rc; i++) {
        if (by[i])
            continue;
        size_t l = strlen(list);
        if (l < sizeof list - 16)
            snprintf(list + l, sizeof list - l, "%s%d", missing ? "," : "", i);
        missing++;
    }
    free(by);
    if (!rc && missing)
        rc = sp_error(ctx, SP_ERR_USAGE, "%d of %d shards missing (%s): re-run just those with "
                      "sbatch --array=%s (the same script), or -shard I/%d each, then merge again",
                      missing, count, list, list, count);
    return rc;
}

static int units_by_index(const void *a, const void *b)
{
    const sp_part_units *p = a, *q = b;
    return (p->shard.index > q->shard.index) - (p->shard.index < q->shard.index);
}

sp_status sp_part_units_order(sp_ctx *ctx, sp_part_units *t, int n)
{
    qsort(t, (size_t)n, sizeof *t, units_by_index);
    sp_shard *sh = calloc((size_t)n + 1, sizeof *sh);
    const char **paths = calloc((size_t)n + 1, sizeof *paths);
    for (int k = 0; sh && paths && k < n; k++) {
        sh[k] = t[k].shard;
        paths[k] = t[k].path;
    }
    sp_status rc = sh && paths ? sp_part_check_shards(ctx, sh, paths, n)
                               : sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    free(sh);
    free(paths);
    return rc;
}

const char *sp_part_units_differ(const sp_part_units *t, const char *tool, const char *args,
                                 const char *inputs)
{
    return strcmp(t->tool, tool) ? "the tool"
           : strcmp(t->args, args ? args : "") ? "the options"
           : strcmp(t->inputs, inputs) ? "the inputs (their sizes or contents)" : NULL;
}
