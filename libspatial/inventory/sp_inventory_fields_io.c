/* sp_inventory_fields: reading the activity fields of a registry: the field of each key
 * (-map), value mapping (-values 净化器:有=1,无=0) and defaults (-default days=330), with
 * errors that name the layer, the feature, the field and the value. */
#include "inventory/sp_inventory_run_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *sp_invr_layer_name(const sector_run *r, const sp_feature *f)
{
    return sp_vector_layer_name(r->v, f->layer);
}

/* Field index of key k; required: an error listing the layer's fields when absent.
 * A field the user named explicitly is always required. */
sp_status sp_invr_find_field(sector_run *r, int k, bool required)
{
    const char *name = r->o->field[k];
    r->idx[k] = -1;
    if (!name)
        return required ? sp_error(r->ctx, SP_ERR_USAGE, "%s is needed (-map %s=FIELD)",
                                   SP_INV_FIELDS[k].key, SP_INV_FIELDS[k].key)
                        : SP_OK;
    OGRFeatureDefnH d = OGR_L_GetLayerDefn(sp_vector_layer(r->v, 0));
    int i = OGR_FD_GetFieldIndex(d, name);
    if (i >= 0 || r->o->defaults[k] || (!required && !strcmp(name, SP_INV_FIELDS[k].def))) {
        r->idx[k] = i;
        return SP_OK;
    }
    sp_status rc = sp_vector_field(r->ctx, r->v, 0, name, &r->idx[k]);
    return rc ? sp_error_prefix(r->ctx, rc, "%s: ", SP_INV_FIELDS[k].key) : SP_OK;
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
const char *sp_invr_text(sector_run *r, const sp_feature *f, int k, char *buf, size_t n)
{
    int i = r->idx[k];
    if (i < 0 || !OGR_F_IsFieldSetAndNotNull(f->feat, i))
        return r->o->defaults[k];
    const char *raw = OGR_F_GetFieldAsString(f->feat, i);
    const char *m = r->o->values[k] ? map_value(r->o->values[k], raw, buf, n) : NULL;
    return m ? m : raw;
}

sp_status sp_invr_num_flags(sector_run *r, const sp_feature *f, int k, unsigned flags,
                            double *out)
{
    const sp_inventory_options *o = r->o;
    if (!o->values[k] && !o->defaults[k])
        return sp_vector_number(r->ctx, r->v, f, r->idx[k], flags, out);
    char buf[256];
    const char *t = sp_invr_text(r, f, k, buf, sizeof buf);
    if (!t && (flags & SP_NUM_NULL_IS_ZERO)) {
        *out = 0;
        return SP_OK;
    }
    const char *where = sp_invr_layer_name(r, f), *fname = o->field[k];
    if (!t)
        return sp_error(r->ctx, SP_ERR_DATA, "layer '%s', feature %lld, field '%s': no value "
                        "(give -default %s=VALUE)", where, f->fid, fname, SP_INV_FIELDS[k].key);
    char *end;
    *out = strtod(t, &end);
    if (end == t || *end || !isfinite(*out))
        return sp_error(r->ctx, SP_ERR_DATA, "layer '%s', feature %lld, field '%s': value '%s' "
                        "is not a number%s", where, f->fid, fname, t,
                        o->values[k] ? " and not in its -values mapping" : "");
    if (*out < 0 && !(flags & SP_NUM_ALLOW_NEGATIVE))
        return sp_error(r->ctx, SP_ERR_DATA, "layer '%s', feature %lld, field '%s': negative "
                        "value %g", where, f->fid, fname, *out);
    return SP_OK;
}

sp_status sp_invr_num(sector_run *r, const sp_feature *f, int k, double *out)
{
    return sp_invr_num_flags(r, f, k, 0, out);
}

sp_status sp_invr_fraction(sector_run *r, const sp_feature *f, int k, double dflt,
                           const char *what, double *out)
{
    *out = dflt;
    bool field = r->idx[k] >= 0 && OGR_F_IsFieldSetAndNotNull(f->feat, r->idx[k]);
    sp_status rc;
    if ((field || r->o->defaults[k]) && (rc = sp_invr_num(r, f, k, out)))
        return rc;
    if (*out > 1)
        return sp_error(r->ctx, SP_ERR_DATA, "layer '%s', feature %lld, field '%s': %s %g is "
                        "above 1", sp_invr_layer_name(r, f), f->fid, r->o->field[k], what, *out);
    return SP_OK;
}

/* A class value (string field): present, then found in the model's list. */
sp_status sp_invr_class_of(sector_run *r, const sp_feature *f, int k, const sp_inv_class *c,
                          int n, const char *what, int *out)
{
    const char *fname = r->o->field[k];
    char buf[256];
    const char *val = sp_invr_text(r, f, k, buf, sizeof buf);
    if (!val)
        return sp_error(r->ctx, SP_ERR_DATA, "layer '%s', feature %lld, field '%s': missing "
                        "%s (or give -default %s=VALUE)", sp_invr_layer_name(r, f), f->fid,
                        fname, what, SP_INV_FIELDS[k].key);
    *out = sp_inv_class_find(c, n, val);
    if (*out < 0 || !strcmp(val, "*")) {
        char known[1024];
        return sp_error(r->ctx, SP_ERR_DATA, "layer '%s', feature %lld, field '%s': unknown "
                        "%s '%s' (known: %s)", sp_invr_layer_name(r, f), f->fid, fname, what, val,
                        sp_inv_class_list(c, n, known, sizeof known));
    }
    return SP_OK;
}
