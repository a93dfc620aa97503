/* sp_inventory_sectors: the table of sectors, from sectors/sp_sectors.def (one line each;
 * each sector is one file in sectors/ exporting its descriptor), the numbering of their
 * activity fields, and the check that every descriptor is whole. No GDAL here. */
#include "inventory/sp_inventory_impl.h"

#include <stdio.h>
#include <string.h>

#define SP_SECTOR(ID, name) extern const sp_sector_desc sp_sector_##name;
#include "inventory/sectors/sp_sectors.def"
#undef SP_SECTOR

const sp_sector_desc *const SP_SECTORS[SP_NSEC] = {
#define SP_SECTOR(ID, name) [SP_SEC_##ID] = &sp_sector_##name,
#include "inventory/sectors/sp_sectors.def"
#undef SP_SECTOR
};

int sp_inv_field_base(int s)
{
    int k = 0;
    for (int i = 0; i < s && i < SP_NSEC; i++)
        k += SP_SECTORS[i]->nfields;
    return k;
}

int sp_inv_nfields(void)
{
    return sp_inv_field_base(SP_NSEC);
}

const sp_inv_field_desc *sp_inv_field(int k, int *sec)
{
    for (int s = 0; s < SP_NSEC && k >= 0; s++) {
        if (k < SP_SECTORS[s]->nfields) {
            if (sec)
                *sec = s;
            return &SP_SECTORS[s]->fields[k];
        }
        k -= SP_SECTORS[s]->nfields;
    }
    return NULL;
}

sp_status sp_inventory_check_sectors(sp_ctx *ctx, const sp_sector_desc *const *table)
{
    if (!table)
        table = SP_SECTORS;
    int nf = 0;
    for (int s = 0; s < SP_NSEC; s++) {
        const sp_sector_desc *d = table[s];
        const char *lacks = !d->name ? "name" : !d->rows[0] ? "factor rows"
                            : !d->row ? "row parser" : !d->emit ? "emission function"
                            : !d->src_size ? "source size" : !d->help ? "--help text"
                            : !d->prepare || !d->read ? "reader"
                            : d->nfields <= 0 || !d->fields ? "activity fields"
                            : (d->measure != NULL) != (d->measures != NULL) ? "measures' names"
                            : (d->ext_count != NULL) != (d->ext_offset != 0) ? "per-feature data"
                            : d->src_size > SP_INV_SRC_MAX ? "source struct within the room"
                                                           : NULL;
        if (lacks)
            return sp_error(ctx, SP_ERR_INTERNAL, "sector %d (%s) lacks its %s in its "
                            "descriptor", s, d->name ? d->name : "no name", lacks);
        size_t l = strlen(d->name);
        for (int k = 0; k < d->nfields; k++) {
            const sp_inv_field_desc *fd = &d->fields[k];
            if (!fd->key || !fd->def || strncmp(fd->key, d->name, l) || fd->key[l] != '.')
                return sp_error(ctx, SP_ERR_INTERNAL, "activity field %d of sector '%s' is not "
                                "'%s.name' with a default", k, d->name, d->name);
        }
        nf += d->nfields;
    }
    if (nf > SP_INV_MAX_FIELDS)
        return sp_error(ctx, SP_ERR_INTERNAL, "%d activity fields, more than %d", nf,
                        SP_INV_MAX_FIELDS);
    return SP_OK;
}
