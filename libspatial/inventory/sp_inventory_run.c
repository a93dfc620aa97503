/* sp_inventory_run: reads the activity registries through sp_vector, checks every value
 * (a bad one is an error naming the layer, the feature and the field), computes the
 * baseline and, with measures, the scenario of each source, and writes one layer per
 * sector with the input fields, the emission columns and the measures applied. */
#include "inventory/sp_inventory_impl.h"
#include "inventory/sp_inventory_run_impl.h"
#include "io/sp_dest.h"
#include "io/sp_output.h"
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
    for (int i = 0; i < SP_NFIELDS; i++)
        o->field[i] = SP_INV_FIELDS[i].def;
    o->share_tol = 0.01;
}

/* Natural gas is the only fuel the boiler factors cover. */
static const char *const GAS_NAMES[] = {"gas", "natural_gas", "natural gas", "ng", "NG",
                                        "天然气"};




static sp_status read_catering(sector_run *r, const sp_feature *f, void *src)
{
    sp_catering_src *s = src;
    const sp_inventory_model *m = r->base;
    sp_status rc;
    if ((rc = sp_invr_num(r, f, SP_F_STOVES, &s->stoves)) || (rc = sp_invr_num(r, f, SP_F_HOURS, &s->hours)) ||
        (rc = sp_invr_num(r, f, SP_F_DAYS, &s->days)) ||
        (rc = sp_invr_class_of(r, f, SP_F_CUISINE, m->cuisine, m->ncuisine, "cuisine", &s->cuisine)))
        return rc;
    if (s->hours > 24 || s->days > 366)
        return sp_error(r->ctx, SP_ERR_DATA, "layer '%s', feature %lld: %s > 24 h/day or %s "
                        "> 366 days/yr", sp_invr_layer_name(r, f), f->fid, r->o->field[SP_F_HOURS],
                        r->o->field[SP_F_DAYS]);
    s->removal = -1;
    double pur = 0;
    if (sp_invr_has(r, SP_F_PURIFIER) &&
        (rc = sp_invr_num_flags(r, f, SP_F_PURIFIER, SP_NUM_NULL_IS_ZERO, &pur)))
        return rc;
    if (pur != 0 && pur != 1)
        return sp_error(r->ctx, SP_ERR_DATA, "layer '%s', feature %lld, field '%s': %g is "
                        "not 0 (no purifier) or 1", sp_invr_layer_name(r, f), f->fid,
                        r->o->field[SP_F_PURIFIER], pur);
    if (pur == 1) {
        if (!sp_invr_has(r, SP_F_PUR_CLASS))
            return sp_error(r->ctx, SP_ERR_DATA, "layer '%s' has purifiers but no field '%s' "
                            "for their class (-map catering.pur_class=FIELD, or -default "
                            "catering.pur_class=CLASS)",
                            sp_invr_layer_name(r, f), r->o->field[SP_F_PUR_CLASS]);
        if ((rc = sp_invr_class_of(r, f, SP_F_PUR_CLASS, m->removal, m->nremoval, "purifier class",
                           &s->removal)))
            return rc;
    }
    return SP_OK;
}

static sp_status read_boiler(sector_run *r, const sp_feature *f, void *src)
{
    sp_boiler_src *s = src;
    const sp_inventory_model *m = r->base;
    sp_status rc;
    if ((rc = sp_invr_class_of(r, f, SP_F_NOX_CLASS, m->boiler, m->nboiler, "NOx class", &s->cls)))
        return rc;
    if (sp_invr_has(r, SP_F_FUEL)) {
        char fb[256];
        const char *fuel = sp_invr_text(r, f, SP_F_FUEL, fb, sizeof fb);
        fuel = fuel ? fuel : "";
        bool gas = false;
        for (size_t i = 0; i < sizeof GAS_NAMES / sizeof *GAS_NAMES; i++)
            gas |= !strcmp(fuel, GAS_NAMES[i]);
        if (!gas)
            return sp_error(r->ctx, SP_ERR_DATA, "layer '%s', feature %lld, field '%s': fuel "
                            "'%s' is not covered (the boiler factors are for natural gas: "
                            "gas, natural_gas, ng, 天然气)", sp_invr_layer_name(r, f), f->fid,
                            r->o->field[SP_F_FUEL], fuel);
    }
    s->cap_mw = -1;
    if (sp_invr_has(r, SP_F_CAP_MW) && (rc = sp_invr_num(r, f, SP_F_CAP_MW, &s->cap_mw)))
        return rc;
    bool have_gas = (r->idx[SP_F_GAS] >= 0 && OGR_F_IsFieldSetAndNotNull(f->feat, r->idx[SP_F_GAS])) ||
                    r->o->defaults[SP_F_GAS];
    if (have_gas) {
        double g;
        if ((rc = sp_invr_num(r, f, SP_F_GAS, &g)))
            return rc;
        s->gas_m3 = g * 1e4; /* the field is in 10^4 m3, as Chinese registries give it */
        return SP_OK;
    }
    if (sp_invr_has(r, SP_F_CAP_MW) && sp_invr_has(r, SP_F_BOILER_HOURS)) {
        double h;
        if ((rc = sp_invr_num(r, f, SP_F_BOILER_HOURS, &h)))
            return rc;
        if (m->boiler_gas_rate <= 0)
            return sp_error(r->ctx, SP_ERR_DATA, "layer '%s', feature %lld: no gas use, and "
                            "the factor table has no 'boiler,gas,gas_rate' row to derive it "
                            "from capacity x hours", sp_invr_layer_name(r, f), f->fid);
        s->gas_m3 = s->cap_mw * h * m->boiler_gas_rate;
        return SP_OK;
    }
    return sp_error(r->ctx, SP_ERR_DATA, "layer '%s', feature %lld, field '%s': missing gas "
                    "use (or give capacity and full-load hours: -map boiler.hours=FIELD)",
                    sp_invr_layer_name(r, f), f->fid, r->o->field[SP_F_GAS]);
}

/* Length (lines) or area (polygons) in metres, in the output CRS when projected, else
 * in the UTM zone of the data. */
static sp_status measure(sector_run *r, const sp_feature *f, bool area, double *out)
{
    OGRGeometryH g = f->geom, tmp = NULL;
    if (!g || OGR_G_IsEmpty(g))
        return sp_error(r->ctx, SP_ERR_DATA, "layer '%s', feature %lld: empty geometry",
                        sp_invr_layer_name(r, f), f->fid);
    OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(g));
    bool ok = area ? (t == wkbPolygon || t == wkbMultiPolygon || t == wkbCurvePolygon ||
                      t == wkbMultiSurface)
                   : (t == wkbLineString || t == wkbMultiLineString || t == wkbCompoundCurve ||
                      t == wkbCircularString || t == wkbMultiCurve);
    if (!ok)
        return sp_error(r->ctx, SP_ERR_DATA, "layer '%s', feature %lld: a %s source must be a "
                        "%s, not a %s", sp_invr_layer_name(r, f), f->fid, SP_SECTORS[r->sec].name,
                        area ? "polygon" : "line", OGRGeometryTypeToName(t));
    if (r->measure_ct) {
        tmp = OGR_G_Clone(g);
        if (OGR_G_Transform(tmp, r->measure_ct) != OGRERR_NONE) {
            OGR_G_DestroyGeometry(tmp);
            return sp_error_gdal(r->ctx, SP_ERR_DATA, "layer '%s', feature %lld: cannot "
                                 "project to measure it", sp_invr_layer_name(r, f), f->fid);
        }
        g = tmp;
    }
    *out = area ? OGR_G_Area(g) : OGR_G_Length(g);
    if (tmp)
        OGR_G_DestroyGeometry(tmp);
    if (!(*out > 0))
        return sp_error(r->ctx, SP_ERR_DATA, "layer '%s', feature %lld: zero %s", sp_invr_layer_name(r, f),
                        f->fid, area ? "area" : "length");
    return SP_OK;
}

static sp_status read_road(sector_run *r, const sp_feature *f, void *src)
{
    sp_road_src *s = src;
    const sp_inventory_model *m = r->base;
    sp_status rc;
    if ((rc = measure(r, f, false, &s->length_m)) || (rc = sp_invr_num(r, f, SP_F_AADT, &s->aadt)))
        return rc;
    s->speed_bin = 0;
    if (m->nspeed) {
        double v;
        if ((rc = sp_invr_num(r, f, SP_F_SPEED, &v)))
            return rc;
        if ((s->speed_bin = sp_inventory_speed_bin(m, v)) < 0)
            return sp_error(r->ctx, SP_ERR_DATA, "layer '%s', feature %lld, field '%s': speed "
                            "%g km/h is in no speed bin of the factor table", sp_invr_layer_name(r, f),
                            f->fid, r->o->field[SP_F_SPEED], v);
    }
    double sum = 0;
    for (int i = 0; i < m->nveh; i++) {
        if ((rc = sp_vector_number(r->ctx, r->v, f, r->share_idx[i], 0, &r->share[i])))
            return rc;
        sum += r->share[i];
    }
    if (!(sum > 0) || (fabs(sum - 1) > r->o->share_tol && !r->o->renormalise))
        return sp_error(r->ctx, SP_ERR_DATA, "layer '%s', feature %lld: the vehicle shares "
                        "(%s*) sum to %.6g, not 1 (tolerance %g; -renorm rescales them)",
                        sp_invr_layer_name(r, f), f->fid, r->o->field[SP_F_SHARE_PREFIX], sum,
                        r->o->share_tol);
    /* shares within the tolerance (rounded registries) are rescaled so that the whole
     * AADT is counted exactly once */
    for (int i = 0; i < m->nveh; i++)
        r->share[i] /= sum;
    s->share = r->share;
    return SP_OK;
}

static sp_status read_area(sector_run *r, const sp_feature *f, void *src)
{
    sp_area_src *s = src;
    const sp_inventory_model *m = r->base;
    sp_status rc;
    if ((rc = measure(r, f, true, &s->area_m2)))
        return rc;
    if (sp_invr_has(r, SP_F_AREA_CLASS)) {
        if ((rc = sp_invr_class_of(r, f, SP_F_AREA_CLASS, m->area, m->narea, "area class", &s->cls)))
            return rc;
    } else if ((s->cls = sp_inv_class_find(m->area, m->narea, "*")) < 0) {
        return sp_error(r->ctx, SP_ERR_DATA, "layer '%s' has no class field '%s' and the "
                        "factor table has no 'area,*' rows", sp_invr_layer_name(r, f),
                        r->o->field[SP_F_AREA_CLASS]);
    }
    s->months = 12;
    bool per_month = false;
    for (int p = 0; p < SP_NPOL; p++)
        per_month |= m->area[s->cls].unit[p] == SP_AREA_PER_M2_MONTH;
    if (per_month) {
        if (!sp_invr_has(r, SP_F_MONTHS))
            return sp_error(r->ctx, SP_ERR_DATA, "layer '%s': the area factors are per month "
                            "but there is no field '%s' (-map area.months=FIELD)",
                            sp_invr_layer_name(r, f), r->o->field[SP_F_MONTHS]);
        if ((rc = sp_invr_num(r, f, SP_F_MONTHS, &s->months)))
            return rc;
        if (s->months > 12)
            return sp_error(r->ctx, SP_ERR_DATA, "layer '%s', feature %lld, field '%s': %g "
                            "months in a year", sp_invr_layer_name(r, f), f->fid,
                            r->o->field[SP_F_MONTHS], s->months);
    }
    return SP_OK;
}

/* The reader of each sector: finds its fields (prepare), then fills the source struct
 * of SP_SECTORS[sector].emit from one feature (read). Indexed like SP_SECTORS. */
typedef struct {
    sp_status (*prepare)(sector_run *r);
    sp_status (*read)(sector_run *r, const sp_feature *f, void *src);
} sector_reader;
static sp_status prepare_catering(sector_run *r);
static sp_status prepare_boiler(sector_run *r);
static sp_status prepare_road(sector_run *r);
static sp_status prepare_area(sector_run *r);
static const sector_reader READERS[SP_NSEC] = {
    [SP_SEC_NONROAD] = {sp_invr_prepare_nonroad, sp_invr_read_nonroad},
    [SP_SEC_AUTOREPAIR] = {sp_invr_prepare_autorepair, sp_invr_read_autorepair},
    [SP_SEC_PETROL] = {sp_invr_prepare_petrol, sp_invr_read_petrol},
    [SP_SEC_FACILITY] = {sp_invr_prepare_facility, sp_invr_read_facility},
    [SP_SEC_CATERING] = {prepare_catering, read_catering},
    [SP_SEC_BOILER] = {prepare_boiler, read_boiler},
    [SP_SEC_ROAD] = {prepare_road, read_road},
    [SP_SEC_AREA] = {prepare_area, read_area},
};

/* Computes one source with a model; the inputs were read with the base model, and
 * class indices are the same in both (same table). */
static void compute(const sector_run *r, const sp_inventory_model *m, double E[SP_NPOL],
                    uint64_t *applied, const void *src)
{
    SP_SECTORS[r->sec].emit(m, src, E, applied);
}

static sp_status prepare_catering(sector_run *r)
{
    sp_ctx *ctx = r->ctx;
    sp_status rc;
    if (!r->base->ncuisine)
        return sp_error(ctx, SP_ERR_DATA, "the factor table has no catering rows");
    if ((rc = sp_invr_find_field(r, SP_F_STOVES, true)) || (rc = sp_invr_find_field(r, SP_F_CUISINE, true)) ||
        (rc = sp_invr_find_field(r, SP_F_HOURS, true)) || (rc = sp_invr_find_field(r, SP_F_DAYS, true)) ||
        (rc = sp_invr_find_field(r, SP_F_PURIFIER, false)) || (rc = sp_invr_find_field(r, SP_F_PUR_CLASS, false)))
        return rc;
    if (!sp_invr_has(r, SP_F_PURIFIER))
        sp_warn(ctx, "catering: no field '%s': every restaurant is taken as having no "
                "purifier", r->o->field[SP_F_PURIFIER]);
    return SP_OK;
}

static sp_status prepare_boiler(sector_run *r)
{
    sp_ctx *ctx = r->ctx;
    sp_status rc;
    if (!r->base->nboiler)
        return sp_error(ctx, SP_ERR_DATA, "the factor table has no boiler rows");
    if ((rc = sp_invr_find_field(r, SP_F_NOX_CLASS, true)) || (rc = sp_invr_find_field(r, SP_F_GAS, false)) ||
        (rc = sp_invr_find_field(r, SP_F_CAP_MW, false)) ||
        (rc = sp_invr_find_field(r, SP_F_BOILER_HOURS, false)) || (rc = sp_invr_find_field(r, SP_F_FUEL, false)))
        return rc;
    if (!sp_invr_has(r, SP_F_CAP_MW) && r->scen)
        for (int i = 0; i < r->scen->measures->n; i++)
            if (r->scen->measures->m[i].kind == SP_M_RETROFIT && r->scen->measures->m[i].min > 0)
                return sp_error(ctx, SP_ERR_DATA, "%s:%d: min_mw needs the boiler capacity, "
                                "but the layer has no field '%s' (-map boiler.cap_mw=FIELD)",
                                r->scen->measures->path, r->scen->measures->m[i].line,
                                r->o->field[SP_F_CAP_MW]);
    if (!sp_invr_has(r, SP_F_GAS) && (!sp_invr_has(r, SP_F_CAP_MW) || !sp_invr_has(r, SP_F_BOILER_HOURS)))
        return sp_invr_find_field(r, SP_F_GAS, true);
    return SP_OK;
}

static sp_status prepare_road(sector_run *r)
{
    sp_ctx *ctx = r->ctx;
    const sp_inventory_model *m = r->base;
    sp_status rc;
    if (!m->nveh)
        return sp_error(ctx, SP_ERR_DATA, "the factor table has no fleet rows");
    if ((rc = sp_invr_find_field(r, SP_F_AADT, true)) ||
        (m->nspeed && (rc = sp_invr_find_field(r, SP_F_SPEED, true))))
        return rc;
    r->share_idx = calloc((size_t)m->nveh, sizeof *r->share_idx);
    r->share = calloc((size_t)m->nveh, sizeof *r->share);
    if (!r->share_idx || !r->share)
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    for (int i = 0; i < m->nveh; i++) {
        char name[256];
        snprintf(name, sizeof name, "%s%s", r->o->field[SP_F_SHARE_PREFIX], m->veh[i].name);
        if ((rc = sp_vector_field(ctx, r->v, 0, name, &r->share_idx[i])))
            return sp_error_prefix(ctx, rc, "share of vehicle class '%s': ", m->veh[i].name);
    }
    return SP_OK;
}

static sp_status prepare_area(sector_run *r)
{
    sp_status rc;
    if (!r->base->narea)
        return sp_error(r->ctx, SP_ERR_DATA, "the factor table has no area rows");
    if ((rc = sp_invr_find_field(r, SP_F_AREA_CLASS, false)) || (rc = sp_invr_find_field(r, SP_F_MONTHS, false)))
        return rc;
    return SP_OK;
}

/* Lengths and areas are measured in metres: in the data's CRS when it is projected,
 * else in its UTM zone. */
static sp_status prepare_measure(sector_run *r)
{
    if (SP_SECTORS[r->sec].geom == SP_GEOM_POINT)
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
                               "%s sources", SP_SECTORS[r->sec].name);
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
    OGRFeatureDefnH defn = OGR_FD_Create(SP_SECTORS[r->sec].name);
    OGR_FD_Reference(defn);
    for (int k = 0; k < nf; k++)
        OGR_FD_AddFieldDefn(defn, OGR_FD_GetFieldDefn(in, k));
    for (int p = 0; p <= SP_NPOL; p++) {
        OGRFieldDefnH fd = OGR_Fld_Create(p < SP_NPOL ? SP_POL_COLUMN[p] : "measures",
                                          p < SP_NPOL ? OFTReal : OFTString);
        OGR_FD_AddFieldDefn(defn, fd);
        OGR_Fld_Destroy(fd);
    }
    r->out_first = nf;
    if (!(r->field_map = malloc(((size_t)nf + 1) * sizeof *r->field_map)))
        return sp_error(ctx, SP_ERR_NOMEM, "out of memory");
    for (int k = 0; k < nf; k++)
        r->field_map[k] = k;
    sp_status rc = sp_dest_layer(ctx, d, SP_SECTORS[r->sec].name, sp_vector_wkt(r->v),
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
    sp_geom_kind want = SP_SECTORS[r->sec].geom;
    static const char *const KIND[] = {[SP_GEOM_NONE] = "?", [SP_GEOM_POINT] = "point", [SP_GEOM_LINE] = "line",
                                       [SP_GEOM_POLYGON] = "polygon"};
    if ((is_pt || is_ln || is_pg) && !(want == SP_GEOM_POINT  ? is_pt
                                       : want == SP_GEOM_LINE ? is_ln
                                                              : is_pg))
        return sp_error(r->ctx, SP_ERR_DATA, "%s: layer '%s' holds %ss; %s sources are %ss",
                        SP_SECTORS[r->sec].name, sp_vector_layer_name(r->v, 0),
                        OGRGeometryTypeToName(lt), SP_SECTORS[r->sec].name, KIND[want]);
    if (lt == wkbNone) /* a CSV opened without its coordinate columns, a plain table */
        return sp_error(r->ctx, SP_ERR_DATA, "%s: layer '%s' has no geometry: an inventory needs "
                        "where each source is (a CSV: -oo X_POSSIBLE_NAMES=lon -oo "
                        "Y_POSSIBLE_NAMES=lat, or -oo GEOM_POSSIBLE_NAMES=wkt for a WKT column, "
                        "and -s_srs EPSG:4326)", SP_SECTORS[r->sec].name, sp_vector_layer_name(r->v, 0));
    return SP_OK;
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
        return sp_error_prefix(ctx, rc, "%s: ", SP_SECTORS[r->sec].name);
    if (sp_vector_layer_count(r->v) != 1)
        return sp_error(ctx, SP_ERR_USAGE, "%s: '%s' has %d layers; name one with -l %s=LAYER",
                        SP_SECTORS[r->sec].name, o->src[r->sec], sp_vector_layer_count(r->v),
                        SP_SECTORS[r->sec].name);
    if ((rc = check_layer_geometry(r)))
        return rc;
    if ((rc = READERS[r->sec].prepare(r)) || (rc = prepare_measure(r)) || (rc = create_layer(r, ds)))
        return rc;
    sp_feature f;
    int got;
    _Alignas(max_align_t) unsigned char src[SP_INV_SRC_MAX];
    while ((got = sp_vector_next(ctx, r->v, &f)) == 1) {
        memset(src, 0, sizeof src);
        if (!f.geom) /* README's promise: a source without a place is refused */
            return sp_error(ctx, SP_ERR_DATA, "layer '%s', feature %lld has no geometry",
                            sp_invr_layer_name(r, &f), f.fid);
        if ((rc = READERS[r->sec].read(r, &f, src)))
            return rc;
        if (SP_SECTORS[r->sec].geom == SP_GEOM_POINT && f.geom) {
            OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(f.geom));
            if (t != wkbPoint && t != wkbMultiPoint)
                return sp_error(ctx, SP_ERR_DATA, "layer '%s', feature %lld: a %s source must "
                                "be a point, not a %s", sp_invr_layer_name(r, &f), f.fid,
                                SP_SECTORS[r->sec].name, OGRGeometryTypeToName(t));
        }
        double eb[SP_NPOL], es[SP_NPOL];
        uint64_t ab = 0, as = 0;
        if (r->mc && !sp_inv_mc_add(r->mc, r->sec, src, SP_SECTORS[r->sec].src_size,
                                    r->sec == SP_SEC_ROAD ? r->share : NULL, r->base->nveh))
            return sp_error(ctx, SP_ERR_NOMEM, "out of memory keeping the sources for -mc");
        compute(r, r->base, eb, &ab, src);
        if (r->scen)
            compute(r, r->scen, es, &as, src);
        else
            memcpy(es, eb, sizeof es);
        OGRFeatureH of = OGR_F_Create(OGR_L_GetLayerDefn(r->out));
        /* by index: a shapefile renames long names */
        OGR_F_SetFromWithMap(of, f.feat, TRUE, r->field_map);
        if (f.geom)
            OGR_F_SetGeometry(of, f.geom);
        char applied[2048] = "";
        for (int i = 0; r->scen && i < r->scen->measures->n; i++)
            if (as >> i & 1) {
                size_t l = strlen(applied);
                snprintf(applied + l, sizeof applied - l, "%s%s", l ? "; " : "",
                         r->scen->measures->m[i].text);
            }
        for (int p = 0; p < SP_NPOL; p++) {
            OGR_F_SetFieldDouble(of, r->out_first + p, es[p]);
            r->t->base[r->sec][p] += eb[p];
            r->t->scen[r->sec][p] += es[p];
        }
        OGR_F_SetFieldString(of, r->out_first + SP_NPOL, applied);
        OGRErr e = OGR_L_CreateFeature(r->out, of);
        OGR_F_Destroy(of);
        if (e != OGRERR_NONE)
            return sp_error_gdal(ctx, SP_ERR_IO, "layer '%s', feature %lld: cannot write to '%s'",
                                 sp_invr_layer_name(r, &f), f.fid, dst);
        r->t->n[r->sec]++;
        r->t->changed[r->sec] += as != 0;
        ++*done;
        if (o->progress && total > 0 && (*done & 0x3ff) == 0 &&
            !o->progress((double)*done / total, NULL, o->progress_user))
            return sp_error(ctx, SP_ERR_CANCEL, "cancelled");
    }
    if (got < 0)
        return (sp_status)got;
    if (r->t->n[r->sec] == 0)
        return sp_error(ctx, SP_ERR_DATA, "%s: '%s' has no features", SP_SECTORS[r->sec].name,
                        o->src[r->sec]);
    return SP_OK;
}

static void sector_free(sector_run *r)
{
    free(r->field_map);
    free(r->share_idx);
    free(r->share);
    if (r->measure_ct)
        OCTDestroyCoordinateTransformation(r->measure_ct);
    sp_vector_close(r->v);
}

/* A measure for a sector this run does not read changes nothing: said, not silent. */
static void warn_unread_measures(sp_ctx *ctx, const sp_measures *ms, const sp_inventory_options *o)
{
    static const sp_sector OF_KIND[] = {
        [SP_M_RETROFIT] = SP_SEC_BOILER, [SP_M_PURIFIER] = SP_SEC_CATERING,
        [SP_M_REMOVE] = SP_SEC_ROAD, [SP_M_NEV] = SP_SEC_ROAD, [SP_M_FACILITY] = SP_SEC_FACILITY,
        [SP_M_PETROL] = SP_SEC_PETROL, [SP_M_NONROAD_NEV] = SP_SEC_NONROAD,
        [SP_M_AUTOREPAIR] = SP_SEC_AUTOREPAIR};
    for (int i = 0; ms && i < ms->n; i++) {
        const sp_measure *m = &ms->m[i];
        sp_sector sec = m->kind == SP_M_REDUCE ? m->sector : OF_KIND[m->kind];
        if (!o->src[sec])
            sp_warn(ctx, "%s:%d: this measure is for %s sources, and the run reads none "
                    "(-%s): it changes nothing", ms->path, m->line, SP_SECTORS[sec].name,
                    SP_SECTORS[sec].name);
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
        if (!READERS[s].prepare || !READERS[s].read || SP_SECTORS[s].src_size > SP_INV_SRC_MAX)
            return sp_error(ctx, SP_ERR_INTERNAL, "sector '%s' has no reader in READERS, or "
                            "a source struct over %d bytes", SP_SECTORS[s].name, SP_INV_SRC_MAX);
        size_t l = strlen(flags);
        snprintf(flags + l, sizeof flags - l, "%s-%s", s ? ", " : "", SP_SECTORS[s].name);
    }
    if (!any)
        return sp_error(ctx, SP_ERR_USAGE, "no input: give at least one of %s", flags);
    const char *fmt = o->format ? o->format : sp_dest_is_database(dst) ? "PostgreSQL" : "GPKG";
    if (!GDALGetDriverByName(fmt))
        return sp_error(ctx, SP_ERR_USAGE, "unknown output format '%s'", fmt);
    warn_unread_measures(ctx, ms, o);
    sp_inventory_model *base = NULL, *scen = NULL;
    sp_status rc;
    if ((rc = sp_inventory_model_new(ctx, fac, NULL, &base)) ||
        (ms && (rc = sp_inventory_model_new(ctx, fac, ms, &scen)))) {
        sp_inventory_model_free(base);
        return rc;
    }
    sp_dest ds;
    long long total = 0, done = 0;
    if ((rc = sp_dest_begin(ctx, &ds, dst, fmt, &o->write)))
        goto end;
    sp_inv_mc_set mc = {0};
    for (int s = 0; s < SP_NSEC && !rc; s++) {
        if (!o->src[s])
            continue;
        t->run[s] = true;
        sector_run r = {.ctx = ctx, .o = o, .base = base, .scen = scen, .sec = (sp_sector)s, .t = t,
                        .mc = o->mc > 0 ? &mc : NULL};
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
        rc = sp_inv_mc_run(ctx, fac, ms, &mc, o->mc, o->seed ? o->seed : 1, t);
    sp_inv_mc_free(&mc);
    if (!rc && o->progress)
        o->progress(1.0, NULL, o->progress_user);
    rc = sp_dest_end(ctx, &ds, rc);
end:
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
            fprintf(fp, "%s,%s,%lld,%.9g,%.9g,%s\n", s < SP_NSEC ? SP_SECTORS[s].name : "total",
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

sp_status sp_inventory_run(sp_ctx *ctx, const sp_inventory_options *o, sp_inventory_totals *t)
{
    if (!o->factors || !o->dst)
        return sp_error(ctx, SP_ERR_USAGE, "need a factor table and an output");
    if ((o->mc_out || o->mc_draws_out || o->mc_inventories) && o->mc <= 0)
        return sp_error(ctx, SP_ERR_USAGE, "-mc_out, -mc_draws and -mc_inventories need -mc N "
                        "(the number of draws)");
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
    if (!rc && o->mc_draws_out)
        rc = sp_inventory_write_mc_draws(ctx, t, o->mc_draws_out);
    if (!rc && o->mc_inventories)
        rc = sp_inventory_write_mc_inventories(ctx, fac, ms, o, o->mc, o->mc_inventories);
    sp_status rel = sp_output_release(ctx, !rc);
    sp_factors_free(fac);
    sp_measures_free(ms);
    return rc ? rc : rel;
}
