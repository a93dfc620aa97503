/* sp_inventory_run: reads the activity registries through sp_vector, checks every value
 * (a bad one is an error naming the layer, the feature and the field), computes the
 * baseline and, with measures, the scenario of each source, and writes one layer per
 * sector with the input fields, the emission columns and the measures applied. */
#include "inventory/sp_inventory_impl.h"
#include "inventory/sp_inventory_run_impl.h"
#include "io/sp_dest.h"
#include "io/sp_output.h"
#include "io/sp_table.h"
#include "io/sp_vector.h"

#include <cpl_conv.h>
#include <cpl_string.h>
#include <gdal.h>
#include <math.h>
#include <sys/stat.h>
#include <ogr_srs_api.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stddef.h>
#include <strings.h>

void sp_inventory_options_init(sp_inventory_options *o)
{
    memset(o, 0, sizeof *o);
    for (int s = 0; s < SP_NSEC; s++)
        sp_vector_options_init(&o->in[s]);
    for (int i = 0; i < sp_inv_nfields(); i++)
        o->field[i] = sp_inv_field(i, NULL)->def;
    o->share_tol = 0.01;
}

/* Lengths and areas are measured in metres: in the data's CRS when it is projected,
 * else in its UTM zone. */
static sp_status prepare_measure(sector_run *r)
{
    if (r->desc->geom == SP_GEOM_POINT)
        return SP_OK;
    OGRSpatialReferenceH s = OSRNewSpatialReference(sp_vector_wkt(r->v));
    sp_status rc = SP_OK;
    if (OSRIsGeographic(s)) {
        double x0, y0, x1, y1;
        if ((rc = sp_vector_extent(r->ctx, r->v, &x0, &y0, &x1, &y1)))
            goto done;
        OGRSpatialReferenceH utm = OSRNewSpatialReference(NULL);
        OSRImportFromEPSG(utm, sp_vector_utm_epsg((x0 + x1) / 2, (y0 + y1) / 2));
        OSRSetAxisMappingStrategy(utm, OAMS_TRADITIONAL_GIS_ORDER);
        OSRSetAxisMappingStrategy(s, OAMS_TRADITIONAL_GIS_ORDER);
        r->measure_ct = OCTNewCoordinateTransformation(s, utm);
        OSRDestroySpatialReference(utm);
        if (!r->measure_ct)
            rc = sp_error_gdal(r->ctx, SP_ERR_DATA, "cannot set up a metric CRS to measure "
                               "%s sources", r->desc->name);
    }
done:
    OSRDestroySpatialReference(s);
    return rc;
}

static sp_status create_layer(sector_run *r, sp_dest *d)
{
    sp_ctx *ctx = r->ctx;
    OGRFeatureDefnH in = OGR_L_GetLayerDefn(sp_vector_layer(r->v, 0));
    int nf = OGR_FD_GetFieldCount(in);
    for (int k = 0; k < nf; k++) {
        const char *n = OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(in, k));
        if (sp_pollutant_index(n) >= 0 || !strcasecmp(n, "measures"))
            return sp_error(ctx, SP_ERR_DATA, "layer '%s' already has a field '%s', which the "
                            "inventory adds: is it an inventory already?",
                            sp_vector_layer_name(r->v, 0), n);
    }
    OGRFeatureDefnH defn = OGR_FD_Create(r->desc->name);
    OGR_FD_Reference(defn);
    for (int k = 0; k < nf; k++)
        OGR_FD_AddFieldDefn(defn, OGR_FD_GetFieldDefn(in, k));
    for (int p = 0; p <= SP_NPOL; p++) {
        OGRFieldDefnH fd = OGR_Fld_Create(p < SP_NPOL ? SP_POL_COLUMN[p] : "measures",
                                          p < SP_NPOL ? OFTReal : OFTString);
        OGR_FD_AddFieldDefn(defn, fd);
        OGR_Fld_Destroy(fd);
    }
    sp_status rm = r->marg ? sp_inv_marginal_fields(ctx, r->marg, defn) : SP_OK;
    if (rm) {
        OGR_FD_Release(defn);
        return rm;
    }
    r->out_first = nf;
    if (!(r->field_map = malloc(((size_t)nf + 1) * sizeof *r->field_map)))
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    for (int k = 0; k < nf; k++)
        r->field_map[k] = k;
    sp_status rc = sp_dest_layer(ctx, d, r->desc->name, sp_vector_wkt(r->v),
                                 OGR_FD_GetGeomType(in), defn, &r->out);
    OGR_FD_Release(defn);
    return rc;
}

/* The layer's declared geometry type first: a wrong layer gives one clear message rather
 * than a missing-field one; a layer without geometry (a CSV without its coordinate
 * columns) is refused with what to give. */
static sp_status check_layer_geometry(sector_run *r)
{
    OGRwkbGeometryType lt =
        wkbFlatten(OGR_FD_GetGeomType(OGR_L_GetLayerDefn(sp_vector_layer(r->v, 0))));
    bool is_pt = lt == wkbPoint || lt == wkbMultiPoint;
    bool is_ln = lt == wkbLineString || lt == wkbMultiLineString;
    bool is_pg = lt == wkbPolygon || lt == wkbMultiPolygon;
    sp_geom_kind want = r->desc->geom;
    static const char *const KIND[] = {[SP_GEOM_NONE] = "?", [SP_GEOM_POINT] = "point", [SP_GEOM_LINE] = "line",
                                       [SP_GEOM_POLYGON] = "polygon"};
    if ((is_pt || is_ln || is_pg) && !(want == SP_GEOM_POINT  ? is_pt
                                       : want == SP_GEOM_LINE ? is_ln
                                                              : is_pg))
        return sp_error(r->ctx, SP_ERR_DATA, "%s: layer '%s' holds %ss; %s sources are %ss",
                        r->desc->name, sp_vector_layer_name(r->v, 0),
                        OGRGeometryTypeToName(lt), r->desc->name, KIND[want]);
    if (lt == wkbNone) /* a CSV opened without its coordinate columns, a plain table */
        return sp_error(r->ctx, SP_ERR_DATA, "%s: layer '%s' has no geometry: an inventory needs "
                        "where each source is (a CSV: -oo X_POSSIBLE_NAMES=lon -oo "
                        "Y_POSSIBLE_NAMES=lat, or -oo GEOM_POSSIBLE_NAMES=wkt for a WKT column, "
                        "and -s_srs EPSG:4326)", r->desc->name, sp_vector_layer_name(r->v, 0));
    return SP_OK;
}

/* What the registry lacked and a default filled, per key with its count: said, and kept
 * in the layer's metadata (ASSUMED). */
static void say_assumed(sector_run *r)
{
    const sp_inventory_options *o = r->o;
    char assumed[2048] = "";
    for (int k = 0, len = 0; k < r->desc->nfields && len < (int)sizeof assumed - 1; k++) {
        long long nd = r->t->from_default[r->fbase + k], nc = r->t->from_class[r->fbase + k];
        if (nd)
            len += snprintf(assumed + len, sizeof assumed - (size_t)len, "%s%s = %s (-default) "
                            "for %lld of %lld", len ? "; " : "", r->desc->fields[k].key,
                            o->defaults[r->fbase + k], nd, r->t->n[r->sec]);
        if (nc && len < (int)sizeof assumed - 1)
            len += snprintf(assumed + len, sizeof assumed - (size_t)len, "%s%s from the factor "
                            "table for %lld of %lld", len ? "; " : "", r->desc->fields[k].key, nc,
                            r->t->n[r->sec]);
    }
    if (r->t->clim_hours && r->sec == SP_SEC_ROAD) /* the exhaust's climate correction */
        GDALSetMetadataItem((GDALMajorObjectH)r->out, "CLIMATE", r->t->clim_note, NULL);
    if (assumed[0]) { /* said, and kept with the layer (GeoPackage metadata) */
        sp_warn(r->ctx, "%s: assumed %s sources", r->desc->name, assumed);
        GDALSetMetadataItem((GDALMajorObjectH)r->out, "ASSUMED", assumed, NULL);
    }
}

static sp_status run_sector(sector_run *r, sp_dest *ds, const char *dst, long long *done,
                            long long total)
{
    sp_ctx *ctx = r->ctx;
    const sp_inventory_options *o = r->o;
    sp_vector_options vo = o->in[r->sec];
    vo.t_srs = o->t_srs;
    vo.keep_crs = true;
    sp_status rc;
    if ((rc = sp_vector_open(ctx, o->src[r->sec], &vo, &r->v)))
        return sp_error_prefix(ctx, rc, "%s: ", r->desc->name);
    if (sp_vector_layer_count(r->v) != 1)
        return sp_error(ctx, SP_ERR_USAGE, "%s: '%s' has %d layers; name one with -l %s=LAYER",
                        r->desc->name, o->src[r->sec], sp_vector_layer_count(r->v),
                        r->desc->name);
    if ((rc = check_layer_geometry(r)))
        return rc;
    for (int k = 0; k < SP_INV_MAX_FIELDS; k++)
        r->idx[k] = -1;
    if ((rc = r->desc->prepare(r)) || (rc = prepare_measure(r)) || (rc = create_layer(r, ds)))
        return rc;
    sp_feature f;
    int got;
    _Alignas(max_align_t) unsigned char src[SP_INV_SRC_MAX];
    while ((got = sp_vector_next(ctx, r->v, &f)) == 1) {
        memset(src, 0, sizeof src);
        if (!f.geom) /* README's promise: a source without a place is refused */
            return sp_error(ctx, SP_ERR_DATA, "layer '%s', feature %lld has no geometry",
                            sp_vector_layer_name(r->v, f.layer), f.fid);
        r->f = &f;
        r->serial++;
        if ((rc = r->desc->read(r, src)))
            return rc;
        if (r->desc->geom == SP_GEOM_POINT && f.geom) {
            OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(f.geom));
            if (t != wkbPoint && t != wkbMultiPoint)
                return sp_error(ctx, SP_ERR_DATA, "layer '%s', feature %lld: a %s source must "
                                "be a point, not a %s", sp_vector_layer_name(r->v, f.layer), f.fid,
                                r->desc->name, OGRGeometryTypeToName(t));
        }
        double eb[SP_NPOL], es[SP_NPOL];
        uint64_t ab = 0, as = 0;
        const double *ext = NULL;
        if (r->desc->ext_count)
            memcpy(&ext, src + r->desc->ext_offset, sizeof ext);
        if (r->mc && !sp_inv_mc_add(r->mc, r->sec, src, r->desc->src_size, ext,
                                    ext ? r->desc->ext_count(r->base) : 0))
            return sp_error(ctx, SP_ERR_NOMEM, "out of memory keeping the sources for -mc");
        r->desc->emit(r->base, src, eb, &ab);
        if (r->scen)
            r->desc->emit(r->scen, src, es, &as);
        else
            memcpy(es, eb, sizeof es);
        if (r->dated && r->dated->n) /* -year: the dated measures pro rata */
            sp_inv_dated_emit(r->dated, r->desc, src, eb, es);
        OGRFeatureH of = OGR_F_Create(OGR_L_GetLayerDefn(r->out));
        /* by index: a shapefile renames long names */
        OGR_F_SetFromWithMap(of, f.feat, TRUE, r->field_map);
        if (f.geom)
            OGR_F_SetGeometry(of, f.geom);
        char applied[2048] = "";
        for (int i = 0; r->scen && i < r->scen->measures->n; i++)
            if (as >> i & 1) {
                size_t l = strlen(applied);
                const sp_measure *x = &r->scen->measures->m[i];
                double sh = o->year ? sp_measure_year_share(x, o->year) : 1;
                snprintf(applied + l, sizeof applied - l, sh < 1 ? "%s%s (%.1f %% of %d)" : "%s%s",
                         l ? "; " : "", x->text, 100 * sh, o->year);
            }
        for (int p = 0; p < SP_NPOL; p++) {
            OGR_F_SetFieldDouble(of, r->out_first + p, es[p]);
            r->t->base[r->sec][p] += eb[p];
            r->t->scen[r->sec][p] += es[p];
        }
        OGR_F_SetFieldString(of, r->out_first + SP_NPOL, applied);
        if (r->marg)
            sp_inv_marginal_source(r->marg, r->desc, src, eb, r->t, of, r->out_first + SP_NPOL + 1);
        OGRErr e = OGR_L_CreateFeature(r->out, of);
        OGR_F_Destroy(of);
        if (e != OGRERR_NONE)
            return sp_error_gdal(ctx, SP_ERR_IO, "layer '%s', feature %lld: cannot write to '%s'",
                                 sp_vector_layer_name(r->v, f.layer), f.fid, dst);
        r->t->n[r->sec]++;
        r->t->changed[r->sec] += as != 0;
        ++*done;
        if (o->progress && total > 0 && (*done & 0x3ff) == 0 &&
            !o->progress((double)*done / total, NULL, o->progress_user))
            return sp_error(ctx, SP_ERR_CANCEL, "cancelled");
    }
    if (got < 0)
        return (sp_status)got;
    say_assumed(r);
    if (r->t->n[r->sec] == 0)
        return sp_error(ctx, SP_ERR_DATA, "%s: '%s' has no features", r->desc->name,
                        o->src[r->sec]);
    return SP_OK;
}

static void sector_free(sector_run *r)
{
    free(r->field_map);
    free(r->state);
    if (r->measure_ct)
        OCTDestroyCoordinateTransformation(r->measure_ct);
    sp_vector_close(r->v);
}

/* A measure for a sector this run does not read changes nothing: said, not silent. */
static void warn_unread_measures(sp_ctx *ctx, const sp_measures *ms, const sp_inventory_options *o)
{
    for (int i = 0; ms && i < ms->n; i++) {
        const sp_measure *m = &ms->m[i];
        sp_sector sec = m->sector;
        if (!o->src[sec])
            sp_warn(ctx, "%s:%d: this measure is for %s sources, and the run reads none "
                    "(-%s): it changes nothing", ms->path, m->line, SP_SECTORS[sec]->name,
                    SP_SECTORS[sec]->name);
    }
}

sp_status sp_inventory_make(sp_ctx *ctx, const sp_factors *fac, const sp_measures *ms,
                           const char *dst, const sp_inventory_options *o,
                           sp_inventory_totals *t)
{
    memset(t, 0, sizeof *t);
    t->scenario = ms != NULL;
    bool any = false;
    for (int s = 0; s < SP_NSEC; s++)
        any |= o->src[s] != NULL;
    char flags[256] = "";
    for (int s = 0; s < SP_NSEC; s++) {
        size_t l = strlen(flags);
        snprintf(flags + l, sizeof flags - l, "%s-%s", s ? ", " : "", SP_SECTORS[s]->name);
    }
    if (!any)
        return sp_error(ctx, SP_ERR_USAGE, "no input: give at least one of %s", flags);
    const char *fmt = o->format ? o->format : sp_dest_is_database(dst) ? "PostgreSQL" : "GPKG";
    if (!GDALGetDriverByName(fmt))
        return sp_error(ctx, SP_ERR_USAGE, "unknown output format '%s'", fmt);
    warn_unread_measures(ctx, ms, o);
    sp_inventory_model *base = NULL, *scen = NULL;
    sp_status rc;
    if ((rc = sp_inventory_model_new_climate(ctx, fac, NULL, o->climate_hours, &base)) ||
        (ms && (rc = sp_inventory_model_new_climate(ctx, fac, ms, o->climate_hours, &scen)))) {
        sp_inventory_model_free(base);
        return rc;
    }
    if (o->climate_hours) {
        t->clim_hours = o->climate_hours->used;
        sp_inventory_model_climate_note(base, t->clim_note, sizeof t->clim_note);
        if (!base->climate_rows)
            sp_warn(ctx, "-climate: the factor table has no VEHICLE/climate:COND rows; nothing "
                    "corrected");
    }
    sp_inv_dated dated = {0};
    sp_inv_marginal marg = {0};
    if ((rc = sp_inv_dated_new(ctx, fac, ms, o->climate_hours, o->year, &dated)) ||
        (rc = sp_inv_marginal_new(ctx, fac, ms, o, t, &marg))) {
        sp_inv_marginal_free(&marg);
        sp_inv_dated_free(&dated);
        sp_inventory_model_free(base);
        sp_inventory_model_free(scen);
        return rc;
    }
    for (int i = 0; ms && !o->year && i < ms->n; i++)
        if (ms->m[i].since)
            sp_warn(ctx, "%s:%d: dated (from %d-%02d-%02d) but no -year: it counts in full; give "
                    "-year Y for the inventory of one year", ms->path, ms->m[i].line,
                    ms->m[i].since / 10000, ms->m[i].since / 100 % 100, ms->m[i].since % 100);
    sp_dest ds;
    long long total = 0, done = 0;
    if ((rc = sp_dest_begin(ctx, &ds, dst, fmt, &o->write)))
        goto end;
    sp_inv_mc_set mc = {0};
    for (int s = 0; s < SP_NSEC && !rc; s++) {
        if (!o->src[s])
            continue;
        t->run[s] = true;
        sector_run r = {.ctx = ctx, .o = o, .base = base, .scen = scen, .sec = (sp_sector)s,
                        .desc = SP_SECTORS[s], .fbase = sp_inv_field_base(s), .t = t,
                        .mc = o->mc > 0 ? &mc : NULL, .dated = &dated,
                        .marg = o->marginal ? &marg : NULL};
        if (o->progress) {
            GDALDatasetH tmp = GDALOpenEx(o->src[s], GDAL_OF_VECTOR, NULL, NULL, NULL);
            if (tmp && GDALDatasetGetLayerCount(tmp) > 0)
                total += OGR_L_GetFeatureCount(GDALDatasetGetLayer(tmp, 0), FALSE);
            if (tmp)
                GDALClose(tmp);
        }
        rc = run_sector(&r, &ds, dst, &done, total);
        sector_free(&r);
    }
    if (!rc && o->mc > 0) /* before the commit: a run with draws that fail writes nothing */
        rc = sp_inv_mc_run(ctx, fac, ms, o->climate_hours, o->year, &mc, o->mc,
                           o->seed ? o->seed : 1, t);
    sp_inv_mc_free(&mc);
    if (!rc && o->progress)
        o->progress(1.0, NULL, o->progress_user);
    rc = sp_dest_end(ctx, &ds, rc);
end:
    sp_inv_marginal_free(&marg);
    sp_inv_dated_free(&dated);
    sp_inventory_model_free(base);
    sp_inventory_model_free(scen);
    return rc;
}

sp_status sp_inventory_write_totals(sp_ctx *ctx, const sp_inventory_totals *t, const char *path)
{
    bool std = !strcmp(path, "-");
    sp_output out = {0};
    sp_status rc;
    if (!std && (rc = sp_output_begin(ctx, &out, path)))
        return rc;
    FILE *fp = std ? stdout : fopen(out.path, "w");
    if (!fp) {
        sp_output_abort(&out);
        return sp_error(ctx, SP_ERR_IO, "cannot write '%s'", path);
    }
    fprintf(fp, "sector,pollutant,sources,baseline_t,scenario_t,change_pct\n");
    double sum_b[SP_NPOL] = {0}, sum_s[SP_NPOL] = {0};
    for (int s = 0; s <= SP_NSEC; s++) {
        if (s < SP_NSEC && !t->run[s])
            continue;
        long long n = 0;
        for (int k = 0; k < SP_NSEC; k++)
            n += t->n[k];
        for (int p = 0; p < SP_NPOL; p++) {
            double b = s < SP_NSEC ? t->base[s][p] : sum_b[p];
            double c = s < SP_NSEC ? t->scen[s][p] : sum_s[p];
            if (s < SP_NSEC) {
                sum_b[p] += b;
                sum_s[p] += c;
            }
            char pct[32] = "";
            if (b > 0)
                snprintf(pct, sizeof pct, "%.4f", (c - b) / b * 100);
            fprintf(fp, "%s,%s,%lld,%.9g,%.9g,%s\n", s < SP_NSEC ? SP_SECTORS[s]->name : "total",
                    SP_POL_NAME[p], s < SP_NSEC ? t->n[s] : n, b, c, pct);
        }
    }
    if (std)
        return fflush(stdout) ? sp_error(ctx, SP_ERR_IO, "cannot write to stdout") : SP_OK;
    bool bad = ferror(fp);
    if (fclose(fp) || bad) {
        int e = errno;
        sp_output_abort(&out);
        return sp_error(ctx, SP_ERR_IO, "cannot write '%s': %s", path, strerror(e));
    }
    return sp_output_commit(ctx, &out);
}

sp_status sp_inventory_write_mc_inventories(sp_ctx *ctx, const sp_factors *f,
                                            const sp_measures *ms,
                                            const sp_inventory_options *o, int n,
                                            const char *dir)
{
    if (o->format && strcasecmp(o->format, "GPKG"))
        return sp_error(ctx, SP_ERR_USAGE, "-mc_inventories writes GeoPackages (draw_NNN.gpkg), "
                        "not %s", o->format);
    /* a folder output like the others: written whole beside DIR, swapped in at the end, and
     * only a folder onemap wrote is replaced (two runs' draws never mix) */
    sp_output out;
    sp_status rc = sp_output_begin_folder(ctx, &out, dir);
    if (rc)
        return sp_error_prefix(ctx, rc, "-mc_inventories: ");
    sp_factor *rows = malloc((size_t)(f->n ? f->n : 1) * sizeof *rows);
    if (!rows) {
        sp_output_abort(&out);
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    }
    sp_inventory_options od = *o; /* the same inputs; no draws of the draws, no progress */
    od.mc = 0;
    od.progress = NULL;
    memset(&od.write, 0, sizeof od.write);
    uint64_t state = o->seed ? o->seed : 1; /* as sp_inv_mc_run: the same draws */
    for (int d = 0; d < n && !rc; d++) {
        sp_inv_mc_draw_rows(f, rows, &state);
        sp_factors fd = *f;
        fd.rows = rows;
        char path[4096];
        if (snprintf(path, sizeof path, "%s/draw_%03d.gpkg", out.path, d + 1) >= (int)sizeof path) {
            rc = sp_error(ctx, SP_ERR_USAGE, "-mc_inventories: the folder's path is too long");
            break;
        }
        sp_inventory_totals t;
        if ((rc = sp_inventory_make(ctx, &fd, ms, path, &od, &t)))
            sp_error_prefix(ctx, rc, "Monte-Carlo draw %d: ", d + 1);
        sp_inventory_totals_free(&t);
    }
    free(rows);
    if (rc)
        sp_output_abort(&out);
    else
        rc = sp_output_commit(ctx, &out);
    return rc;
}

/* -climate: the hours of a weather file in the guideline's temperature and humidity cells.
 * Columns TEMP (C) and RH (%) or DEWP (the dew point, C), any case; a row without them
 * ("NA") is skipped and counted. */
static sp_status read_climate(sp_ctx *ctx, const char *path, sp_inv_climate *c)
{
    sp_table *tb = NULL;
    sp_status rc = sp_table_read(ctx, path, NULL, &tb);
    if (rc)
        return sp_error_prefix(ctx, rc, "-climate: ");
    int ct = -1, crh = -1, cdp = -1;
    for (int j = 0; j < tb->ncols; j++) {
        const char *n = tb->cols[j].name;
        if (!strcasecmp(n, "TEMP"))
            ct = j;
        else if (!strcasecmp(n, "RH"))
            crh = j;
        else if (!strcasecmp(n, "DEWP"))
            cdp = j;
    }
    memset(c, 0, sizeof *c);
    if (ct < 0 || (crh < 0 && cdp < 0))
        rc = sp_error(ctx, SP_ERR_DATA, "-climate: %s has no %s column (it needs TEMP, in "
                      "degrees C, and RH in %% or DEWP, the dew point in C)", path,
                      ct < 0 ? "TEMP" : "RH or DEWP");
    for (int i = 0; !rc && i < tb->nrows; i++) {
        bool ok;
        double tc = sp_table_number(tb, ct, i, &ok);
        double h = crh >= 0 ? sp_table_number(tb, crh, i, &ok)
                            : sp_inv_rh_from_dewpoint(tc, sp_table_number(tb, cdp, i, &ok));
        if (isfinite(tc) && (tc < -90 || tc > 60 || !(h >= 0 && h <= 100.5)))
            rc = sp_error(ctx, SP_ERR_DATA, "-climate: %s, row %d: %g C and %g %% humidity is "
                          "no weather (temperatures in C, humidity in %%)", path, i + 1, tc, h);
        else
            sp_inv_climate_add(c, tc, h);
    }
    if (!rc && c->used == 0)
        rc = sp_error(ctx, SP_ERR_DATA, "-climate: %s has no hour with a temperature and a "
                      "humidity", path);
    sp_table_free(tb);
    return rc;
}

sp_status sp_inventory_run(sp_ctx *ctx, const sp_inventory_options *o0, sp_inventory_totals *t)
{
    sp_inventory_options oc = *o0, *o = &oc;
    sp_inv_climate clim;
    if (o->climate) {
        sp_status rc = read_climate(ctx, o->climate, &clim);
        if (rc)
            return rc;
        o->climate_hours = &clim;
    }
    if (!o->factors || !o->dst)
        return sp_error(ctx, SP_ERR_USAGE, "need a factor table and an output");
    if ((o->marginal && !o->measures) || (o->marginal_out && !o->marginal))
        return sp_error(ctx, SP_ERR_USAGE, "%s", o->marginal_out && !o->marginal
                        ? "-marginal_out needs -marginal POLS" : "-marginal needs -m MEASURES.txt");
    if ((o->mc_out || o->mc_draws_out || o->mc_sectors_out || o->mc_inventories) && o->mc <= 0)
        return sp_error(ctx, SP_ERR_USAGE, "-mc_out, -mc_draws, -mc_sectors and -mc_inventories "
                        "need -mc N (the number of draws)");
    sp_factors *fac = NULL;
    sp_measures *ms = NULL;
    sp_output_hold(ctx); /* the inventory and its other outputs: all or none */
    sp_status rc = sp_factors_read(ctx, o->factors, &fac);
    if (!rc && o->measures)
        rc = sp_measures_read(ctx, o->measures, &ms);
    if (!rc)
        rc = sp_inventory_make(ctx, fac, ms, o->dst, o, t);
    if (!rc && o->totals_out)
        rc = sp_inventory_write_totals(ctx, t, o->totals_out);
    if (!rc && o->mc_out)
        rc = sp_inventory_write_mc(ctx, t, o->mc_out);
    if (!rc && o->marginal_out)
        rc = sp_inventory_write_marginal(ctx, t, ms, o->marginal_out);
    if (!rc && o->mc_draws_out)
        rc = sp_inventory_write_mc_draws(ctx, t, o->mc_draws_out);
    if (!rc && o->mc_sectors_out)
        rc = sp_inventory_write_mc_sectors(ctx, t, o->mc_sectors_out);
    if (!rc && o->mc_inventories)
        rc = sp_inventory_write_mc_inventories(ctx, fac, ms, o, o->mc, o->mc_inventories);
    sp_status rel = sp_output_release(ctx, !rc);
    sp_factors_free(fac);
    sp_measures_free(ms);
    return rc ? rc : rel;
}
