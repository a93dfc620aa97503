/* sp_onemap: the one-map page. Inputs are all checked before anything is written (tile
 * sets: tiles.json and the tree; streets and tables: read and joined), then the folder
 * is filled under a temporary name: the tile trees copied, streets.js (the polygons as
 * GeoJSON in EPSG:4326, wrapped in a script so that file:// pages can load it),
 * config.js, the page and its script, Leaflet. */
#include "onemap/sp_onemap.h"
#include "onemap/sp_onemap_impl.h"
#include "onemap/sp_onemap_tiles_impl.h"
#include "core/sp_coord.h"
#include "io/sp_output.h"
#include "io/sp_page.h"
#include "core/sp_share.h"
#include "io/sp_table.h"
#include "core/sp_text.h"

#include <cpl_conv.h>
#include <dirent.h>
#include <math.h>
#include <ogr_srs_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef SP_PAGE_DIR
#define SP_PAGE_DIR "/usr/local/share/onemap/page"
#endif

void sp_onemap_options_init(sp_onemap_options *o)
{
    memset(o, 0, sizeof *o);
    o->label_zoom = 12;
    sp_vector_options_init(&o->streets_in);
    sp_vector_options_init(&o->points_in);
}

/* The input flags the page's tables take (-oo, -s_srs, -s_coord; -l for the streets):
 * any other is refused rather than ignored. */
static sp_status check_input_flags(sp_ctx *ctx, const sp_vector_options *vo, const char *what,
                                   bool layer_ok)
{
    if (vo->where || vo->sql || vo->dialect || vo->makevalid || vo->encoding ||
        (vo->nlayers && !layer_ok) || vo->nlayers > 1)
        return sp_error(ctx, SP_ERR_USAGE, "%s takes -oo, -s_srs and -s_coord%s, not -where, "
                        "-sql, -enc or -makevalid", what, layer_ok ? " and one -l" : "");
    return SP_OK;
}

static bool all_digits(const char *s, const char *suffix)
{
    size_t n = strspn(s, "0123456789");
    return n > 0 && !strcmp(s + n, suffix);
}

/* Copies the {z}/{x}/{y}.png tree of src into dst (only those names); counts tiles. */
static sp_status copy_tree(sp_ctx *ctx, const char *src, const char *dst, int depth,
                           long long *tiles)
{
    DIR *d = opendir(src);
    if (!d)
        return sp_error(ctx, SP_ERR_IO, "cannot read folder '%s'", src);
    sp_status rc = SP_OK;
    struct dirent *e;
    char from[4400], to[4400];
    while (!rc && (e = readdir(d))) {
        if (!all_digits(e->d_name, depth == 2 ? ".png" : ""))
            continue;
        snprintf(from, sizeof from, "%s/%s", src, e->d_name);
        snprintf(to, sizeof to, "%s/%s", dst, e->d_name);
        if (depth == 2) {
            rc = sp_page_copy(ctx, from, to);
            ++*tiles;
        } else if (!(rc = sp_page_mkdir(ctx, to))) {
            rc = copy_tree(ctx, from, to, depth + 1, tiles);
        }
    }
    closedir(d);
    return rc;
}

/* ---- streets ------------------------------------------------------------------- */

/* Appends a cell as a JSON value: numbers (NaN/inf: null), integers whole, text quoted. */
static bool json_cell(FILE *fp, const sp_table *t, int c, int r)
{
    const sp_table_col *col = &t->cols[c];
    if (col->numeric) {
        double v = col->num[r];
        if (!isfinite(v))
            return fputs("null", fp) >= 0;
        if (col->type == OFTInteger64 || col->type == OFTInteger)
            return fprintf(fp, "%.0f", v) >= 0;
        return fprintf(fp, "%.10g", v) >= 0;
    }
    if (!col->str[r])
        return fputs("null", fp) >= 0;
    char *s = sp_page_json(col->str[r], false);
    bool ok = s && fprintf(fp, "\"%s\"", s) >= 0;
    free(s);
    return ok;
}

/* The same for a joined table's cell, where a CSV's text that is a whole number is
 * written as one (sp_table_number), so that the page formats it. */
static bool json_cell_num(FILE *fp, const sp_table *t, int c, int r)
{
    bool ok;
    double v = t->cols[c].numeric ? NAN : sp_table_number(t, c, r, &ok);
    if (t->cols[c].numeric || !ok || !isfinite(v))
        return json_cell(fp, t, c, r);
    return fprintf(fp, "%.12g", v) >= 0;
}

static bool json_key(FILE *fp, const char *k)
{
    char *s = sp_page_json(k, false);
    bool ok = s && fprintf(fp, "\"%s\": ", s) >= 0;
    free(s);
    return ok;
}

/* A table joined to the streets: its title, the table, and per street its row (-1). */
typedef struct {
    char *title;
    sp_table *t;
    int *row;
} joined;

typedef struct {
    sp_table *t;
    int id, label, select;
    joined *j;
    int nj;
    OGRCoordinateTransformationH ct;
    bool gcj02; /* shift lon/lat to GCJ-02 after the transformation */
    sp_coord_kind from; /* the input's lon/lat are GCJ-02/BD-09: undone first */
} streets;

/* Every point of g (lon/lat): from the input's datum (GCJ-02/BD-09: undone) to WGS84,
 * then to GCJ-02 when the page is. */
static void shift_lonlat(OGRGeometryH g, sp_coord_kind from, bool gcj02)
{
    for (int i = 0; i < OGR_G_GetGeometryCount(g); i++)
        shift_lonlat(OGR_G_GetGeometryRef(g, i), from, gcj02);
    for (int i = 0; i < OGR_G_GetPointCount(g); i++) {
        double x = OGR_G_GetX(g, i), y = OGR_G_GetY(g, i);
        if (from == SP_COORD_GCJ02)
            sp_gcj02_to_wgs84(x, y, &x, &y);
        else if (from == SP_COORD_BD09)
            sp_bd09_to_wgs84(x, y, &x, &y);
        if (gcj02)
            sp_wgs84_to_gcj02(x, y, &x, &y);
        OGR_G_SetPoint_2D(g, i, x, y);
    }
}

static void streets_free(streets *s)
{
    sp_table_free(s->t);
    for (int k = 0; k < s->nj; k++) {
        free(s->j[k].title);
        sp_table_free(s->j[k].t);
        free(s->j[k].row);
    }
    free(s->j);
    if (s->ct)
        OCTDestroyCoordinateTransformation(s->ct);
}

/* A transformation from the CRS wkt to EPSG:4326 lon/lat (the page's GeoJSON), or NULL. */
static OGRCoordinateTransformationH to_lonlat(const char *wkt)
{
    OGRSpatialReferenceH src = OSRNewSpatialReference(wkt), wgs = OSRNewSpatialReference(NULL);
    OSRImportFromEPSG(wgs, 4326);
    OSRSetAxisMappingStrategy(src, OAMS_TRADITIONAL_GIS_ORDER);
    OSRSetAxisMappingStrategy(wgs, OAMS_TRADITIONAL_GIS_ORDER);
    OGRCoordinateTransformationH ct = OCTNewCoordinateTransformation(src, wgs);
    OSRDestroySpatialReference(src);
    OSRDestroySpatialReference(wgs);
    return ct;
}

static sp_status find_field(sp_ctx *ctx, const sp_table *t, const char *what, const char *name,
                            const char *path, int *idx)
{
    if ((*idx = sp_table_find(t, name)) < 0)
        return sp_error(ctx, SP_ERR_USAGE, "'%s' has no field '%s' (%s)", path, name, what);
    return SP_OK;
}

/* The street-name field when -label is not given: the first of the names registries use
 * (SP_NAME_FIELDS: sp-score's "name", a shapefile's "Name" or "NAME", Chinese "名称"...). */
static sp_status find_name(sp_ctx *ctx, const sp_table *t, const char *path, int *idx)
{
    if ((*idx = sp_table_find_name(t, "name")) >= 0)
        return SP_OK;
    return sp_error(ctx, SP_ERR_USAGE, "'%s' has no street-name field (name, Name, NAME, 名称, "
                    "街道名称, street_name, 乡镇街道): give it with -label FIELD", path);
}

/* Reads a TITLE=FILE table and finds each street's row by id. */
static sp_status join_table(sp_ctx *ctx, streets *s, const sp_onemap_options *o,
                            const char *arg)
{
    const char *eq = strchr(arg, '=');
    if (!eq || eq == arg || !eq[1])
        return sp_error(ctx, SP_ERR_USAGE, "-table '%s': want TITLE=FILE", arg);
    joined *j = &s->j[s->nj++];
    if (!(j->title = strndup(arg, (size_t)(eq - arg))) ||
        !(j->row = malloc(sizeof *j->row * (size_t)(s->t->nrows ? s->t->nrows : 1))))
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    sp_status rc = sp_table_read(ctx, eq + 1, NULL, &j->t);
    int id;
    if (rc || (rc = find_field(ctx, j->t, "the street id, -id", o->id_field, eq + 1, &id)))
        return rc;
    char a[256], b[256];
    for (int r = 0; r < s->t->nrows; r++) {
        j->row[r] = -1;
        const char *key = sp_table_text(s->t, s->id, r, a, sizeof a);
        for (int q = 0; q < j->t->nrows && j->row[r] < 0; q++)
            if (*key && !strcmp(key, sp_table_text(j->t, id, q, b, sizeof b)))
                j->row[r] = q;
    }
    return SP_OK;
}

static sp_status read_streets(sp_ctx *ctx, const sp_onemap_options *o, streets *s)
{
    const sp_vector_options *vi = &o->streets_in;
    sp_status rc = check_input_flags(ctx, vi, "-streets", true);
    if (!rc)
        rc = sp_table_read_with(ctx, o->streets, o->streets_layer ? o->streets_layer
                                : vi->nlayers ? vi->layers[0] : NULL,
                                vi->open_options, vi->s_srs, &s->t);
    if (rc)
        return rc;
    s->from = vi->s_coord;
    if (!s->t->geom || !s->t->wkt)
        return sp_error(ctx, SP_ERR_DATA, "'%s' has no geometry with a CRS: give the street "
                        "polygons (e.g. sp-score's GPKG output)", o->streets);
    if ((rc = find_field(ctx, s->t, "the street id, -id", o->id_field, o->streets, &s->id)) ||
        (rc = o->label_field ? find_field(ctx, s->t, "the street name, -label", o->label_field,
                                          o->streets, &s->label)
                             : find_name(ctx, s->t, o->streets, &s->label)))
        return rc;
    s->select = -1;
    if (o->select_field &&
        (rc = find_field(ctx, s->t, "the selected flag, -select", o->select_field, o->streets,
                         &s->select)))
        return rc;
    if (!o->select_field)
        s->select = sp_table_find(s->t, "selected");
    s->gcj02 = o->gcj02;
    if (!(s->ct = to_lonlat(s->t->wkt)))
        return sp_error(ctx, SP_ERR_DATA, "'%s': cannot transform its CRS to EPSG:4326",
                        o->streets);
    int nt = 0;
    while (o->tables && o->tables[nt])
        nt++;
    if (nt && !(s->j = calloc((size_t)nt, sizeof *s->j)))
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    for (int k = 0; k < nt && !rc; k++)
        rc = join_table(ctx, s, o, o->tables[k]);
    return rc;
}

/* One feature: geometry (EPSG:4326, 6 decimals: ~0.1 m), the street's fields, a label
 * point inside the polygon, and the joined rows as "_tables": {title: {field: value}}. */
static sp_status write_feature(sp_ctx *ctx, FILE *fp, const streets *s, int r, bool *any)
{
    OGRGeometryH g = s->t->geom[r] ? OGR_G_Clone(s->t->geom[r]) : NULL;
    if (!g)
        return SP_OK; /* a row without a polygon has nothing to click */
    if (OGR_G_Transform(g, s->ct) != OGRERR_NONE) {
        OGR_G_DestroyGeometry(g);
        return sp_error(ctx, SP_ERR_DATA, "street %d: cannot transform to EPSG:4326", r + 1);
    }
    if (s->gcj02 || s->from != SP_COORD_WGS84)
        shift_lonlat(g, s->from, s->gcj02);
    char *opts[] = {"COORDINATE_PRECISION=6", NULL};
    char *gj = OGR_G_ExportToJsonEx(g, opts);
    OGRGeometryH pt = OGR_G_PointOnSurface(g);
    OGR_G_DestroyGeometry(g);
    bool ok = gj && fprintf(fp, "%s{\"type\": \"Feature\", \"geometry\": %s, \"properties\": {",
                            *any ? ",\n" : "", gj) >= 0;
    CPLFree(gj);
    *any = true;
    for (int c = 0; ok && c < s->t->ncols; c++)
        ok = (!c || fputs(", ", fp) >= 0) && json_key(fp, s->t->cols[c].name) &&
             json_cell(fp, s->t, c, r);
    if (ok && pt && !OGR_G_IsEmpty(pt))
        ok = fprintf(fp, ", \"_label\": [%.6f, %.6f]", OGR_G_GetY(pt, 0), OGR_G_GetX(pt, 0)) >= 0;
    if (pt)
        OGR_G_DestroyGeometry(pt);
    ok = ok && fputs(", \"_tables\": {", fp) >= 0;
    for (int k = 0, n = 0; ok && k < s->nj; k++) {
        const joined *j = &s->j[k];
        if (j->row[r] < 0)
            continue;
        ok = (!n++ || fputs(", ", fp) >= 0) && json_key(fp, j->title) && fputs("{", fp) >= 0;
        for (int c = 0, m = 0; ok && c < j->t->ncols; c++) {
            if (!strcmp(j->t->cols[c].name, s->t->cols[s->id].name))
                continue;
            ok = (!m++ || fputs(", ", fp) >= 0) && json_key(fp, j->t->cols[c].name) &&
                 json_cell_num(fp, j->t, c, j->row[r]);
        }
        ok = ok && fputs("}", fp) >= 0;
    }
    ok = ok && fputs("}}}", fp) >= 0;
    return ok ? SP_OK : sp_error(ctx, SP_ERR_NOMEM, "out of memory");
}

/* Writes head, the features of s, tail into path: a script, so that file:// pages load it. */
static sp_status write_collection(sp_ctx *ctx, const char *path, const char *head,
                                  const char *tail, const streets *s, const char *what)
{
    char *text = NULL;
    size_t n = 0;
    FILE *fp = open_memstream(&text, &n);
    if (!fp)
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    fputs(head, fp);
    sp_status rc = SP_OK;
    bool any = false;
    for (int r = 0; r < s->t->nrows && !rc; r++)
        rc = write_feature(ctx, fp, s, r, &any);
    fputs(tail, fp);
    bool bad = ferror(fp);
    fclose(fp);
    if (!rc && (bad || !text))
        rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    if (!rc && !any)
        rc = sp_error(ctx, SP_ERR_DATA, "%s has no features", what);
    if (!rc)
        rc = sp_page_write(ctx, path, text);
    free(text);
    return rc;
}

/* streets.js: var ONEMAP_STREETS = {FeatureCollection}; */
static sp_status write_streets(sp_ctx *ctx, const char *dir, const streets *s,
                               sp_onemap_report *rep)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/streets.js", dir);
    sp_status rc = write_collection(ctx, path, "// the street polygons and their rows (sp-onemap)\n"
                                    "var ONEMAP_STREETS = {\"type\": \"FeatureCollection\", "
                                    "\"features\": [\n", "]};\n", s, "the streets");
    rep->streets = s->t->nrows;
    for (int r = 0; s->select >= 0 && r < s->t->nrows; r++) {
        bool ok;
        double v = sp_table_number(s->t, s->select, r, &ok);
        rep->selected += ok && v != 0 && !isnan(v);
    }
    return rc;
}

/* A -points TITLE=FILE: the table and its transformation to EPSG:4326. */
static sp_status read_points(sp_ctx *ctx, const char *arg, const sp_onemap_options *o,
                             char **title, streets *p)
{
    const char *eq = strchr(arg, '=');
    if (!eq || eq == arg || !eq[1])
        return sp_error(ctx, SP_ERR_USAGE, "-points '%s': want TITLE=FILE", arg);
    if (!(*title = strndup(arg, (size_t)(eq - arg))))
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    sp_status rc = check_input_flags(ctx, &o->points_in, "-points", false);
    if (!rc)
        rc = sp_table_read_with(ctx, eq + 1, NULL, o->points_in.open_options,
                                o->points_in.s_srs, &p->t);
    if (rc)
        return rc;
    p->from = o->points_in.s_coord;
    if (!p->t->geom || !p->t->wkt)
        return sp_error(ctx, SP_ERR_DATA, "'%s' has no geometry with a CRS (a CSV: -oo "
                        "X_POSSIBLE_NAMES=lon -oo Y_POSSIBLE_NAMES=lat -s_srs EPSG:4326)", eq + 1);
    for (int r = 0; r < p->t->nrows; r++)
        if (p->t->geom[r] && wkbFlatten(OGR_G_GetGeometryType(p->t->geom[r])) != wkbPoint &&
            wkbFlatten(OGR_G_GetGeometryType(p->t->geom[r])) != wkbMultiPoint)
            return sp_error(ctx, SP_ERR_DATA, "'%s', row %d: not a point (-points shows "
                            "points: key energy units, stations...)", eq + 1, r + 1);
    p->id = p->label = p->select = -1;
    p->ct = to_lonlat(p->t->wkt);
    p->gcj02 = o->gcj02;
    return p->ct ? SP_OK : sp_error(ctx, SP_ERR_DATA, "'%s': cannot transform to EPSG:4326", eq + 1);
}

/* points_N.js: ONEMAP_POINTS.push({title, data: FeatureCollection}) */
static sp_status write_points(sp_ctx *ctx, const char *dir, int k, const char *title,
                              const streets *p)
{
    char path[4200], *t = sp_page_json(title, false), *head = NULL;
    if (!t || asprintf(&head, "// points shown by the one map (sp-onemap)\n"
                       "(window.ONEMAP_POINTS = window.ONEMAP_POINTS || []).push({\"title\": "
                       "\"%s\", \"data\": {\"type\": \"FeatureCollection\", \"features\": [\n",
                       t) < 0) {
        free(t);
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    }
    snprintf(path, sizeof path, "%s/points_%d.js", dir, k + 1);
    sp_status rc = write_collection(ctx, path, head, "]}});\n", p, title);
    free(t);
    free(head);
    return rc;
}

/* ---- the page ------------------------------------------------------------------ */

static bool json_text(FILE *fp, const char *key, const char *v)
{
    if (!v)
        return fprintf(fp, "  \"%s\": null,\n", key) >= 0;
    char *s = sp_page_json(v, false);
    bool ok = s && fprintf(fp, "  \"%s\": \"%s\",\n", key, s) >= 0;
    free(s);
    return ok;
}

/* config.js: var ONEMAP_CONFIG = {...}; what onemap.js builds the map from */
static sp_status write_config(sp_ctx *ctx, const char *dir, const sp_onemap_options *o,
                              const tileset *ts, int n, const streets *s,
                              const sp_onemap_report *rep)
{
    char *text = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&text, &len);
    if (!fp)
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    bool ok = fputs("// what the one map shows (sp-onemap)\nvar ONEMAP_CONFIG = {\n", fp) >= 0 &&
              json_text(fp, "title", o->title ? o->title : "onemap") &&
              json_text(fp, "attribution", o->attribution);
    if (ok && o->basemap) {
        ok = fputs("  \"basemap\": {\n", fp) >= 0 && json_text(fp, "url", o->basemap) &&
             json_text(fp, "attribution", o->basemap_attribution) &&
             json_text(fp, "subdomains", o->basemap_subdomains) && fputs("  \"zIndex\": 0},\n", fp) >= 0;
    } else if (ok) {
        ok = fputs("  \"basemap\": null,\n", fp) >= 0;
    }
    if (ok && s->t) {
        ok = fputs("  \"streets\": {\n", fp) >= 0 &&
             json_text(fp, "id", s->t->cols[s->id].name) &&
             json_text(fp, "label", s->t->cols[s->label].name) &&
             json_text(fp, "select", s->select >= 0 ? s->t->cols[s->select].name : NULL) &&
             fprintf(fp, "  \"labelZoom\": %d},\n", o->label_zoom) >= 0;
    } else if (ok) {
        ok = fputs("  \"streets\": null,\n", fp) >= 0;
    }
    ok = ok && fputs("  \"layers\": [\n", fp) >= 0;
    for (int k = 0; ok && k < n; k++) {
        char *name = sp_page_json(ts[k].name, false);
        char *group = ts[k].group ? sp_page_json(ts[k].group, false) : NULL;
        ok = name && (!ts[k].group || group) &&
             fprintf(fp, "    {\"name\": \"%s\", \"group\": %s%s%s, \"month\": %d, \"path\": "
                     "\"layers/%d\", \"legend\": %s, "
                             "\"values\": %s, \"overlay\": %s, \"minzoom\": %d, \"maxzoom\": %d, "
                             "\"bounds\": [%.8f, %.8f, %.8f, %.8f]}%s\n", name, group ? "\"" : "",
                     group ? group : "null", group ? "\"" : "", ts[k].month, k + 1,
                             ts[k].legend ? "true" : "false", ts[k].values ? "true" : "false",
                             ts[k].overlay ? "true" : "false",
                             ts[k].minz, ts[k].maxz, ts[k].b[0], ts[k].b[1], ts[k].b[2],
                             ts[k].b[3], k + 1 < n ? "," : "") >= 0;
        free(name);
        free(group);
    }
    ok = ok && fprintf(fp, "  ],\n  \"zooms\": [%d, %d],\n  \"bounds\": [%.8f, %.8f, %.8f, %.8f]\n};\n",
                       rep->minz, rep->maxz, rep->west, rep->south, rep->east, rep->north) >= 0;
    bool bad = ferror(fp);
    fclose(fp);
    char path[4200];
    snprintf(path, sizeof path, "%s/config.js", dir);
    sp_status rc = !ok || bad || !text ? sp_error(ctx, SP_ERR_NOMEM, "out of memory")
                                       : sp_page_write(ctx, path, text);
    free(text);
    return rc;
}

static const char *PAGE =
    "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
    "<title>%s</title>\n"
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
    "<link rel=\"stylesheet\" href=\"leaflet/leaflet.css\">\n"
    "<link rel=\"stylesheet\" href=\"onemap.css\">\n"
    "<script src=\"leaflet/leaflet.js\"></script>\n"
    "</head>\n<body>\n<div id=\"map\"></div>\n"
    "<div id=\"status\" data-loaded=\"0\" data-failed=\"0\" data-layers=\"\" data-active=\"\">"
    "loading</div>\n"
    "<!-- the one map (sp-onemap): works from disk and from any static web server; no\n"
    "     request leaves the page unless a base map is configured -->\n"
    "<script src=\"config.js\"></script>\n%s"
    "<script src=\"onemap.js\"></script>\n</body>\n</html>\n";

/* index.html, and onemap.js/onemap.css from the installed page folder (or the source
 * tree's, for a tool in the build tree) */
static sp_status write_page(sp_ctx *ctx, const char *dir, const sp_onemap_options *o,
                            bool has_streets, int npoints, const tileset *ts, int n)
{
    char share[4096], from[8400], to[8400];
    const char *pdir = SP_PAGE_DIR;
    if (sp_share_dir(share, sizeof share - 16)) {
        strcat(share, "/page");
        pdir = share;
    }
    const char *files[] = {"onemap.js", "onemap.css"};
    sp_status rc = SP_OK;
    for (int i = 0; i < 2 && !rc; i++) {
        snprintf(from, sizeof from, "%s/%s", pdir, files[i]);
        snprintf(to, sizeof to, "%s/%s", dir, files[i]);
        rc = sp_path_exists(from) ? sp_page_copy(ctx, from, to)
                                  : sp_error(ctx, SP_ERR_IO, "'%s' is missing: reinstall onemap",
                                             from);
    }
    char scripts[4096] = "";
    if (has_streets)
        strcat(scripts, "<script src=\"streets.js\"></script>\n");
    if (o->scenario)
        strcat(scripts, "<script src=\"scenario.js\"></script>\n");
    for (int k = 0; k < npoints && k < 64; k++)
        snprintf(scripts + strlen(scripts), sizeof scripts - strlen(scripts),
                 "<script src=\"points_%d.js\"></script>\n", k + 1);
    for (int k = 0; k < n && k < 64; k++) /* the number under the cursor */
        if (ts[k].values)
            snprintf(scripts + strlen(scripts), sizeof scripts - strlen(scripts),
                     "<script src=\"layers/%d/values.js\"></script>\n", k + 1);
    char *title = sp_page_xml(o->title ? o->title : "onemap"), *page = NULL;
    if (!rc && (!title || asprintf(&page, PAGE, title, scripts) < 0))
        rc = sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    snprintf(to, sizeof to, "%s/index.html", dir);
    if (!rc)
        rc = sp_page_write(ctx, to, page);
    free(title);
    free(page);
    return rc;
}

/* Everything written under the temporary folder dir. */
/* The point sets of -points: their titles and tables. */
typedef struct {
    char **title;
    streets *p;
    int n;
} pointsets;

static sp_status fill(sp_ctx *ctx, const char *dir, const sp_onemap_options *o,
                      const tileset *ts, int n, const streets *s, const pointsets *ps,
                      sp_onemap_report *rep)
{
    char from[4400], to[4400];
    sp_status rc;
    bool copied;
    if ((rc = sp_page_leaflet(ctx, dir, o->leaflet, "the one map", &copied)))
        return rc;
    if (!copied)
        return sp_error(ctx, SP_ERR_USAGE, "the one map needs Leaflet: give -leaflet DIR");
    snprintf(to, sizeof to, "%s/layers", dir);
    if ((rc = sp_page_mkdir(ctx, to)))
        return rc;
    for (int k = 0; k < n && !rc; k++) {
        snprintf(to, sizeof to, "%s/layers/%d", dir, k + 1);
        if ((rc = sp_page_mkdir(ctx, to)) || (rc = copy_tree(ctx, ts[k].dir, to, 0, &rep->tiles)))
            break;
        const char *side[2] = {ts[k].legend ? "legend.svg" : NULL,
                               ts[k].values ? "values.js" : NULL};
        for (int i = 0; i < 2 && !rc; i++)
            if (side[i]) {
                snprintf(from, sizeof from, "%s/%s", ts[k].dir, side[i]);
                snprintf(to, sizeof to, "%s/layers/%d/%s", dir, k + 1, side[i]);
                rc = sp_page_copy(ctx, from, to);
            }
    }
    if (!rc && s->t)
        rc = write_streets(ctx, dir, s, rep);
    for (int k = 0; k < ps->n && !rc; k++)
        rc = write_points(ctx, dir, k, ps->title[k], &ps->p[k]);
    if (!rc && o->scenario)
        rc = sp_onemap_write_scenario(ctx, dir, o);
    if (!rc)
        rc = write_config(ctx, dir, o, ts, n, s, rep);
    if (!rc)
        rc = write_page(ctx, dir, o, s->t != NULL, ps->n, ts, n);
    return rc;
}

/* The options among themselves, before any input is read. */
static sp_status check_options(sp_ctx *ctx, const sp_onemap_options *o, int cap)
{
    if (!cap && !o->streets)
        return sp_error(ctx, SP_ERR_USAGE, "nothing to show: give -layer NAME=DIR and/or "
                        "-streets FILE");
    if (o->tables && !o->streets)
        return sp_error(ctx, SP_ERR_USAGE, "-table joins rows to the streets: give -streets");
    if (o->label_zoom < 0 || o->label_zoom > 24)
        return sp_error(ctx, SP_ERR_USAGE, "-label_zoom must be 0-24");
    const char *texts[][2] = {{"-title", o->title}, {"-attribution", o->attribution},
                              {"-basemap", o->basemap},
                              {"-basemap_attribution", o->basemap_attribution}};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        if (texts[i][1] && !sp_utf8_valid(texts[i][1], strlen(texts[i][1])))
            return sp_error(ctx, SP_ERR_USAGE, "%s: the text is not UTF-8", texts[i][0]);
    if (o->basemap && (!strstr(o->basemap, "{z}") || !strstr(o->basemap, "{x}") ||
                       !strstr(o->basemap, "{y}")))
        return sp_error(ctx, SP_ERR_USAGE, "-basemap '%s': want a URL template with {z}, {x} "
                        "and {y}", o->basemap);
    return SP_OK;
}

/* streets only: the view from their extent */
static void streets_view(const streets *s, sp_onemap_report *rep)
{
    OGREnvelope e, a = {INFINITY, -INFINITY, INFINITY, -INFINITY};
    for (int r = 0; r < s->t->nrows; r++)
        if (s->t->geom[r]) {
            OGRGeometryH g = OGR_G_Clone(s->t->geom[r]);
            if (OGR_G_Transform(g, s->ct) == OGRERR_NONE) {
                OGR_G_GetEnvelope(g, &e);
                a.MinX = fmin(a.MinX, e.MinX), a.MaxX = fmax(a.MaxX, e.MaxX);
                a.MinY = fmin(a.MinY, e.MinY), a.MaxY = fmax(a.MaxY, e.MaxY);
            }
            OGR_G_DestroyGeometry(g);
        }
    rep->west = a.MinX, rep->south = a.MinY, rep->east = a.MaxX, rep->north = a.MaxY;
    rep->minz = 9;
    rep->maxz = 16;
}

sp_status sp_onemap_run(sp_ctx *ctx, const char *dst, const sp_onemap_options *o,
                        sp_onemap_report *rep)
{
    memset(rep, 0, sizeof *rep);
    int cap = 0, npts = 0;
    for (char **l = o->layers; l && *l; l++)
        cap++;
    for (char **l = o->overlays; l && *l; l++)
        cap++;
    for (char **l = o->months; l && *l; l++)
        cap += 12;
    for (char **l = o->points; l && *l; l++)
        npts++;
    sp_status rc = check_options(ctx, o, cap);
    if (rc)
        return rc;
    tileset *ts = calloc((size_t)(cap ? cap : 1), sizeof *ts);
    pointsets ps = {calloc((size_t)npts + 1, sizeof(char *)), calloc((size_t)npts + 1, sizeof(streets)), 0};
    streets s = {0};
    sp_output out = {0};
    int n = 0;
    rc = ts && ps.title && ps.p ? SP_OK : sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    if (!rc)
        rc = sp_onemap_read_tilesets(ctx, o, ts, &n, rep);
    if (!rc && o->streets)
        rc = read_streets(ctx, o, &s);
    for (; !rc && ps.n < npts; ps.n++)
        rc = read_points(ctx, o->points[ps.n], o, &ps.title[ps.n], &ps.p[ps.n]);
    if (!rc && !n && s.t)
        streets_view(&s, rep);
    if (!rc && !n && !s.t)
        rc = sp_error(ctx, SP_ERR_USAGE, "-points need a layer or the streets to set the view");
    if (!rc && !(rc = sp_output_begin_folder(ctx, &out, dst))) {
        if (mkdir(out.path, 0755) != 0 && !sp_path_exists(out.path))
            rc = sp_error(ctx, SP_ERR_IO, "cannot create folder '%s'", out.path);
        if (!rc)
            rc = fill(ctx, out.path, o, ts, n, &s, &ps, rep);
        rc = rc ? (sp_output_abort(&out), rc) : sp_output_commit(ctx, &out);
    }
    for (int k = 0; ts && k < n; k++) {
        free(ts[k].name);
        free(ts[k].group);
        free(ts[k].mdir);
    }
    free(ts);
    for (int k = 0; k <= ps.n && ps.title && ps.p; k++) {
        free(ps.title[k]);
        streets_free(&ps.p[k]);
    }
    free(ps.title);
    free(ps.p);
    streets_free(&s);
    return rc;
}
