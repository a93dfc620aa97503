/* sp_inventory_fields: the reader a sector file sees (sp_inventory_impl.h): the field of
 * each key (-map), value mapping (-values 净化器:有=1,无=0) and defaults (-default
 * days=330), lengths and areas in metres, with errors that name the layer, the feature,
 * the field and the value. */
#include "inventory/sp_inventory_run_impl.h"

#include <gdal.h>
#include <math.h>
#include <ogr_srs_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

sp_ctx *sp_invr_ctx(const sp_inv_reader *r)
{
    return r->ctx;
}

const sp_inventory_model *sp_invr_base(const sp_inv_reader *r)
{
    return r->base;
}

const sp_measures *sp_invr_measures(const sp_inv_reader *r)
{
    return r->scen ? r->scen->measures : NULL;
}

const char *sp_invr_layer(const sp_inv_reader *r)
{
    return sp_vector_layer_name(r->v, r->f ? r->f->layer : 0);
}

long long sp_invr_fid(const sp_inv_reader *r)
{
    return r->f ? r->f->fid : -1;
}

const char *sp_invr_field_name(const sp_inv_reader *r, int k)
{
    return r->o->field[r->fbase + k];
}

static const char *key(const sp_inv_reader *r, int k)
{
    return r->desc->fields[k].key;
}

bool sp_invr_has(const sp_inv_reader *r, int k)
{
    return r->idx[k] >= 0 || r->o->defaults[r->fbase + k];
}

bool sp_invr_is_set(const sp_inv_reader *r, int k)
{
    return (r->idx[k] >= 0 && OGR_F_IsFieldSetAndNotNull(r->f->feat, r->idx[k])) ||
           r->o->defaults[r->fbase + k];
}

double sp_invr_share_tol(const sp_inv_reader *r)
{
    return r->o->share_tol;
}

bool sp_invr_renormalise(const sp_inv_reader *r)
{
    return r->o->renormalise;
}

sp_status sp_invr_field_index(sp_inv_reader *r, const char *name, int *idx)
{
    return sp_vector_field(r->ctx, r->v, 0, name, idx);
}

int sp_invr_field_lookup(const sp_inv_reader *r, const char *name)
{
    return OGR_FD_GetFieldIndex(OGR_L_GetLayerDefn(sp_vector_layer(r->v, 0)), name);
}

sp_status sp_invr_num_at(sp_inv_reader *r, int idx, double *out)
{
    return sp_vector_number(r->ctx, r->v, r->f, idx, 0, out);
}

void *sp_invr_state(sp_inv_reader *r, size_t size)
{
    if (!r->state && size) {
        if (!(r->state = calloc(1, size)))
            return NULL;
        r->state_size = size;
    }
    return r->state;
}

/* Length (lines) or area (polygons) in metres, in the output CRS when projected, else
 * in the UTM zone of the data. */
sp_status sp_invr_size(sp_inv_reader *r, double *out)
{
    const sp_feature *f = r->f;
    bool area = r->desc->geom == SP_GEOM_POLYGON;
    OGRGeometryH g = f->geom, tmp = NULL;
    if (!g || OGR_G_IsEmpty(g))
        return sp_error(r->ctx, SP_ERR_DATA, "layer '%s', feature %lld: empty geometry",
                        sp_invr_layer(r), f->fid);
    OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(g));
    bool ok = area ? (t == wkbPolygon || t == wkbMultiPolygon || t == wkbCurvePolygon ||
                      t == wkbMultiSurface)
                   : (t == wkbLineString || t == wkbMultiLineString || t == wkbCompoundCurve ||
                      t == wkbCircularString || t == wkbMultiCurve);
    if (!ok)
        return sp_error(r->ctx, SP_ERR_DATA, "layer '%s', feature %lld: a %s source must be a "
                        "%s, not a %s", sp_invr_layer(r), f->fid, r->desc->name,
                        area ? "polygon" : "line", OGRGeometryTypeToName(t));
    if (r->measure_ct) {
        tmp = OGR_G_Clone(g);
        if (OGR_G_Transform(tmp, r->measure_ct) != OGRERR_NONE) {
            OGR_G_DestroyGeometry(tmp);
            return sp_error_gdal(r->ctx, SP_ERR_DATA, "layer '%s', feature %lld: cannot "
                                 "project to measure it", sp_invr_layer(r), f->fid);
        }
        g = tmp;
    }
    *out = area ? OGR_G_Area(g) : OGR_G_Length(g);
    if (tmp)
        OGR_G_DestroyGeometry(tmp);
    if (!(*out > 0))
        return sp_error(r->ctx, SP_ERR_DATA, "layer '%s', feature %lld: zero %s", sp_invr_layer(r),
                        f->fid, area ? "area" : "length");
    return SP_OK;
}


/* Field index of key k; required: an error listing the layer's fields when absent.
 * A field the user named explicitly is always required. */
sp_status sp_invr_find_field(sp_inv_reader *r, int k, bool required)
{
    const char *name = sp_invr_field_name(r, k);
    r->idx[k] = -1;
    if (!name)
        return required ? sp_error(r->ctx, SP_ERR_USAGE, "%s is needed (-map %s=FIELD)",
                                   key(r, k), key(r, k))
                        : SP_OK;
    OGRFeatureDefnH d = OGR_L_GetLayerDefn(sp_vector_layer(r->v, 0));
    int i = OGR_FD_GetFieldIndex(d, name);
    if (i >= 0 || r->o->defaults[r->fbase + k] || (!required && !strcmp(name, r->desc->fields[k].def))) {
        r->idx[k] = i;
        return SP_OK;
    }
    sp_status rc = sp_vector_field(r->ctx, r->v, 0, name, &r->idx[k]);
    return rc ? sp_error_prefix(r->ctx, rc, "%s: ", key(r, k)) : SP_OK;
}

/* FROM's TO in a "FROM=TO,FROM=TO" mapping into buf, or NULL when FROM is not in it. */
static const char *map_value(const char *map, const char *from, char *buf, size_t n)
{
    size_t fl = strlen(from);
    for (const char *p = map; p && *p;) {
        const char *comma = strchr(p, ','), *end = comma ? comma : p + strlen(p);
        const char *eq = memchr(p, '=', (size_t)(end - p));
        if (eq && (size_t)(eq - p) == fl && !strncmp(p, from, fl)) {
            snprintf(buf, n, "%.*s", (int)(end - eq - 1), eq + 1);
            return buf;
        }
        p = comma ? comma + 1 : NULL;
    }
    return NULL;
}

/* Field k's text after -values, or its -default when absent or null; NULL: none. */
/* counts a value taken from -default once per feature and field */
static void note_default(sp_inv_reader *r, int k)
{
    if (r->t && r->noted[k] != r->serial) {
        r->noted[k] = r->serial;
        r->t->from_default[r->fbase + k]++;
    }
}

void sp_invr_from_class(sp_inv_reader *r, int k)
{
    if (r->t && r->noted[k] != r->serial) {
        r->noted[k] = r->serial;
        r->t->from_class[r->fbase + k]++;
    }
}

const char *sp_invr_text(sp_inv_reader *r, int k, char *buf, size_t n)
{
    const sp_feature *f = r->f;
    int i = r->idx[k];
    if (i < 0 || !OGR_F_IsFieldSetAndNotNull(f->feat, i)) {
        if (r->o->defaults[r->fbase + k])
            note_default(r, k);
        return r->o->defaults[r->fbase + k];
    }
    const char *raw = OGR_F_GetFieldAsString(f->feat, i);
    const char *m = r->o->values[r->fbase + k] ? map_value(r->o->values[r->fbase + k], raw, buf, n) : NULL;
    return m ? m : raw;
}

static sp_status num_flags(sp_inv_reader *r, int k, unsigned flags, double *out)
{
    const sp_inventory_options *o = r->o;
    const sp_feature *f = r->f;
    if (!o->values[r->fbase + k] && !o->defaults[r->fbase + k])
        return sp_vector_number(r->ctx, r->v, f, r->idx[k], flags, out);
    char buf[256];
    const char *t = sp_invr_text(r, k, buf, sizeof buf);
    if (!t && (flags & SP_NUM_NULL_IS_ZERO)) {
        *out = 0;
        return SP_OK;
    }
    const char *where = sp_invr_layer(r), *fname = o->field[r->fbase + k];
    if (!t)
        return sp_error(r->ctx, SP_ERR_DATA, "layer '%s', feature %lld, field '%s': no value "
                        "(give -default %s=VALUE)", where, f->fid, fname, key(r, k));
    char *end;
    *out = strtod(t, &end);
    if (end == t || *end || !isfinite(*out))
        return sp_error(r->ctx, SP_ERR_DATA, "layer '%s', feature %lld, field '%s': value '%s' "
                        "is not a number%s", where, f->fid, fname, t,
                        o->values[r->fbase + k] ? " and not in its -values mapping" : "");
    if (*out < 0 && !(flags & SP_NUM_ALLOW_NEGATIVE))
        return sp_error(r->ctx, SP_ERR_DATA, "layer '%s', feature %lld, field '%s': negative "
                        "value %g", where, f->fid, fname, *out);
    return SP_OK;
}

sp_status sp_invr_num(sp_inv_reader *r, int k, double *out)
{
    return num_flags(r, k, 0, out);
}

sp_status sp_invr_num_or_zero(sp_inv_reader *r, int k, double *out)
{
    return num_flags(r, k, SP_NUM_NULL_IS_ZERO, out);
}

sp_status sp_invr_fraction(sp_inv_reader *r, int k, double dflt, const char *what,
                           double *out)
{
    const sp_feature *f = r->f;
    *out = dflt;
    bool field = r->idx[k] >= 0 && OGR_F_IsFieldSetAndNotNull(f->feat, r->idx[k]);
    sp_status rc;
    if ((field || r->o->defaults[r->fbase + k]) && (rc = sp_invr_num(r, k, out)))
        return rc;
    if (!field && !r->o->defaults[r->fbase + k])
        sp_invr_from_class(r, k); /* the factor table's value */
    if (*out > 1)
        return sp_error(r->ctx, SP_ERR_DATA, "layer '%s', feature %lld, field '%s': %s %g is "
                        "above 1", sp_invr_layer(r), f->fid, r->o->field[r->fbase + k], what, *out);
    return SP_OK;
}

/* A class value (string field): present, then found in the model's list. */
sp_status sp_invr_class_of(sp_inv_reader *r, int k, const sp_inv_class *c, int n,
                           const char *what, int *out)
{
    const sp_feature *f = r->f;
    const char *fname = r->o->field[r->fbase + k];
    char buf[256];
    const char *val = sp_invr_text(r, k, buf, sizeof buf);
    if (!val)
        return sp_error(r->ctx, SP_ERR_DATA, "layer '%s', feature %lld, field '%s': missing "
                        "%s (or give -default %s=VALUE)", sp_invr_layer(r), f->fid,
                        fname, what, key(r, k));
    *out = sp_inv_class_find(c, n, val);
    if (*out < 0 || !strcmp(val, "*")) {
        char known[1024];
        return sp_error(r->ctx, SP_ERR_DATA, "layer '%s', feature %lld, field '%s': unknown "
                        "%s '%s' (known: %s)", sp_invr_layer(r), f->fid, fname, what, val,
                        sp_inv_class_list(c, n, known, sizeof known));
    }
    return SP_OK;
}
