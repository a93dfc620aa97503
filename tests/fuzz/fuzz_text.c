/* libFuzzer targets of the text parsers (score spec, colour style, outline style,
 * factor table, measures file, hourly meteorology, STAR table, a shard part's sidecar): any bytes must give SP_OK or an error with a message,
 * never a crash, a leak or undefined behaviour. One source, one target per -DTARGET_*
 * (see `make fuzz`). The input is given NUL-terminated, as sp_text_read_file does. */
#include "core/sp_factors.h"
#include "disperse/sp_met.h"
#include "inventory/sp_inventory.h"
#include "inventory/sp_inventory_run.h"
#include "score/sp_score.h"
#include "tiles/sp_style.h"
#include "io/sp_ctx_io.h"
#include "io/sp_part.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static sp_ctx *ctx;
    if (!ctx)
        ctx = sp_ctx_new();
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = 0;
    sp_ctx_clear(ctx);
#if defined(TARGET_SPEC)
    sp_score_spec *s = NULL;
    if (sp_score_spec_parse(ctx, text, "fuzz.spec", &s) == SP_OK)
        sp_score_spec_free(s);
    else if (!sp_ctx_message(ctx)[0])
        abort(); /* an error must say what is wrong */
#elif defined(TARGET_STYLE)
    sp_style *s = NULL;
    if (sp_style_parse(ctx, text, "fuzz.txt", &s) == SP_OK) {
        /* exercise the parsed ramp: colours of a few values and its look-up table */
        uint8_t rgba[4];
        double vals[] = {-1e300, -1, 0, 0.5, 1, 1e300, NAN};
        for (int i = 0; i < 7; i++)
            sp_style_color(s, vals[i], false, rgba);
        sp_style_free(s);
    } else if (!sp_ctx_message(ctx)[0])
        abort();
    double w;
    uint8_t rgba[4];
    sp_style_outline_parse(ctx, text, "fuzz.txt", &w, rgba);
#elif defined(TARGET_FACTORS)
    sp_factors *f = NULL;
    if (sp_factors_parse(ctx, text, "fuzz.csv", &f) == SP_OK)
        sp_factors_free(f);
    else if (!sp_ctx_message(ctx)[0])
        abort();
#elif defined(TARGET_MEASURES)
    sp_measures *m = NULL;
    if (sp_measures_parse(ctx, text, "fuzz.txt", &m) == SP_OK)
        sp_measures_free(m);
    else if (!sp_ctx_message(ctx)[0])
        abort();
#elif defined(TARGET_MET)
    sp_met_options o;
    sp_met_options_init(&o);
    sp_star st;
    if (sp_met_parse(ctx, text, "fuzz.csv", &o, &st) == SP_OK) {
        double sum = 0; /* a parsed table is a distribution */
        for (int i = 0; i < SP_MET_NSEC; i++)
            for (int j = 0; j < SP_MET_NSPEED; j++)
                for (int k = 0; k < SP_MET_NSTAB; k++)
                    sum += st.f[i][j][k];
        if (fabs(sum - 1) > 1e-9)
            abort();
    } else if (!sp_ctx_message(ctx)[0])
        abort();
#elif defined(TARGET_PART)
    /* a part's sidecar (raster and tiles), read from a file as sp-merge reads it */
    static char path[64];
    if (!path[0])
        snprintf(path, sizeof path, "/tmp/fuzz_part_%d.tif", (int)getpid());
    char side[80];
    snprintf(side, sizeof side, "%s%s", path, SP_PART_SIDECAR);
    FILE *f = fopen(side, "wb");
    if (f) {
        fwrite(data, 1, size, f);
        fclose(f);
        sp_part p;
        if (sp_part_read(ctx, path, &p) == SP_OK)
            sp_part_free(&p);
        else if (!sp_ctx_message(ctx)[0])
            abort();
        const char *formats[] = {SP_PART_TILES, SP_PART_ZONAL};
        for (int k = 0; k < 2; k++) {
            sp_part_units t;
            if (sp_part_read_units(ctx, path, formats[k], &t) == SP_OK)
                sp_part_units_free(&t);
            else if (!sp_ctx_message(ctx)[0])
                abort();
        }
        remove(side);
    }
#elif defined(TARGET_STAR)
    sp_star st;
    if (sp_star_parse(ctx, text, "fuzz.star", &st) != SP_OK && !sp_ctx_message(ctx)[0])
        abort();
#else
#error "define one TARGET_*"
#endif
    free(text);
    return 0;
}
