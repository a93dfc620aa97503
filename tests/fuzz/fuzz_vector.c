/* libFuzzer target of the vector reader: the bytes are a small GeoJSON (TARGET_GEOJSON)
 * or GeoPackage (TARGET_GPKG) file in GDAL's memory file system, read through
 * sp_vector as every tool reads its inputs: open, reproject, check, flatten, numbers.
 * Any bytes must give features or an error with a message, never a crash. TARGET_WKB:
 * the bytes are one GeoPackage geometry blob for sp-grid's direct reader
 * (sp_vector_direct_geom: the GP header and the WKB parsed by onemap). */
#include "io/sp_vector.h"
#include "io/sp_vector_impl.h"
#include "io/sp_ctx_io.h"

#include <cpl_vsi.h>
#include <stdint.h>
#include <stdlib.h>

#if defined(TARGET_GEOJSON)
#define PATH "/vsimem/fuzz.geojson"
#elif defined(TARGET_GPKG)
#define PATH "/vsimem/fuzz.gpkg"
#elif defined(TARGET_WKB)
#else
#error "define one TARGET_*"
#endif

#if defined(TARGET_WKB)
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static sp_ctx *ctx;
    if (!ctx)
        ctx = sp_ctx_new();
    sp_ctx_clear(ctx);
    sp_geom g = {0};
    int r = sp_vector_direct_geom(ctx, data, size > 1 << 20 ? 1 << 20 : (int)size, &g);
    if (r == SP_GPKG_GEOM_OK && g.npoints <= 0) /* a geometry read has its points */
        __builtin_trap();
    sp_geom_free(&g);
    return 0;
}
#else
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static sp_ctx *ctx;
    if (!ctx)
        ctx = sp_ctx_new();
    sp_ctx_clear(ctx);
    VSILFILE *fp = VSIFileFromMemBuffer(PATH, (GByte *)data, size, FALSE);
    if (!fp)
        return 0;
    VSIFCloseL(fp);
    sp_vector_options o;
    sp_vector_options_init(&o);
    o.auto_utm = true;
    sp_vector *v = NULL;
    if (sp_vector_open(ctx, PATH, &o, &v) == SP_OK) {
        sp_feature f;
        sp_geom g = {0};
        int got, n = 0;
        while (n++ < 1000 && (got = sp_vector_next(ctx, v, &f)) == 1) {
            if (f.geom)
                sp_vector_flatten(ctx, f.geom, &g);
            int nf = OGR_F_GetFieldCount(f.feat);
            for (int i = 0; i < nf; i++) {
                double x;
                sp_vector_number(ctx, v, &f, i, SP_NUM_ALLOW_NEGATIVE, &x);
            }
        }
        sp_geom_free(&g);
        sp_vector_close(v);
    }
    VSIUnlink(PATH);
    return 0;
}
#endif
