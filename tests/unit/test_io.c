/* Unit tests of sp_raster, sp_vector, sp_output and sp_cli parsing on tiny files made
 * here: round trips, metadata, atomic writes, and the wording of data errors. */
#include "check.h"
#include "io/sp_table.h"
#include "cli/sp_cli.h"
#include "io/sp_output.h"
#include "io/sp_raster.h"
#include "io/sp_vector.h"
#include "io/sp_ctx_io.h"

#include <cpl_string.h>
#include <gdal.h>
#include <stdlib.h>
#include <unistd.h>

static char dir[64];

static void write_file(const char *name, const char *text)
{
    char p[256];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "w");
    fputs(text, f);
    fclose(f);
}

static void test_raster(sp_ctx *ctx)
{
    sp_grid g = {0};
    sp_grid_from_res(ctx, &g, 440000, 4400000, 440300, 4400200, 100, 100, false);
    sp_grid_set_crs(ctx, &g, "PROJCS[\"WGS 84 / UTM zone 50N\",GEOGCS[\"WGS 84\",DATUM[\"WGS_1984\",SPHEROID[\"WGS 84\",6378137,298.257223563]],PRIMEM[\"Greenwich\",0],UNIT[\"degree\",0.0174532925199433]],PROJECTION[\"Transverse_Mercator\"],PARAMETER[\"latitude_of_origin\",0],PARAMETER[\"central_meridian\",117],PARAMETER[\"scale_factor\",0.9996],PARAMETER[\"false_easting\",500000],PARAMETER[\"false_northing\",0],UNIT[\"metre\",1],AUTHORITY[\"EPSG\",\"32650\"]]");
    sp_raster *r = sp_raster_new(ctx, &g, 2);
    CHECK(r && r->grid.ncols == 3 && r->grid.nrows == 2);
    for (int i = 0; i < 6; i++) {
        r->band[0][i] = i * 0.1;
        r->band[1][i] = 1e-12 * i;
    }
    sp_raster_set_name(ctx, r, 0, "NOx");
    sp_raster_set_name(ctx, r, 1, "PM2.5");
    sp_raster_set_unit(ctx, r, "t/yr");
    CHECK_REL(sp_raster_band_sum(r, 0), 1.5, 1e-15);
    char path[256];
    snprintf(path, sizeof path, "%s/out.tif", dir);
    CHECK(sp_raster_write(ctx, r, path, NULL) == SP_OK);
    sp_raster *back = NULL;
    CHECK(sp_raster_read(ctx, path, NULL, 0, &back) == SP_OK);
    CHECK(back && back->nbands == 2 && back->band[0][5] == 0.5 && back->band[1][3] == 3e-12);
    CHECK_STR(back->name[1], "PM2.5");
    CHECK_STR(back->unit, "t/yr");
    CHECK(back->grid.xmin == 440000 && back->grid.dy == 100 && back->grid.wkt);
    GDALDatasetH ds = GDALOpen(path, GA_ReadOnly);
    CHECK_STR(GDALGetMetadataItem(GDALGetRasterBand(ds, 1), "total", NULL), "1.5");
    char **md = GDALGetMetadata(ds, "IMAGE_STRUCTURE");
    CHECK_STR(CSLFetchNameValue(md, "COMPRESSION"), "ZSTD");
    GDALClose(ds);
    int one = 2;
    sp_raster *b2 = NULL;
    CHECK(sp_raster_read(ctx, path, &one, 1, &b2) == SP_OK && b2->nbands == 1);
    sp_raster_free(b2);
    one = 3;
    CHECK(sp_raster_read(ctx, path, &one, 1, &b2) == SP_ERR_USAGE);
    CHECK_HAS(sp_ctx_message(ctx), "there is no band 3");
    /* a failed write leaves nothing: missing folder */
    snprintf(path, sizeof path, "%s/nope/out.tif", dir);
    CHECK(sp_raster_write(ctx, r, path, NULL) == SP_ERR_IO);
    CHECK_HAS(sp_ctx_message(ctx), "does not exist");
    /* Float32 COG */
    sp_raster_write_options o;
    sp_raster_write_options_init(&o);
    o.format = "COG";
    o.float32 = true;
    snprintf(path, sizeof path, "%s/cog.tif", dir);
    CHECK(sp_raster_write(ctx, r, path, &o) == SP_OK);
    CHECK(sp_raster_read(ctx, "/nonexistent.tif", NULL, 0, &b2) == SP_ERR_IO);
    CHECK_HAS(sp_ctx_message(ctx), "cannot open raster '/nonexistent.tif'");
    sp_raster_free(back);
    sp_raster_free(r);
    sp_grid_clear(&g);
}

static void test_vector(sp_ctx *ctx)
{
    write_file("v.geojson",
               "{\"type\":\"FeatureCollection\",\"features\":["
               "{\"type\":\"Feature\",\"properties\":{\"a\":1.5,\"s\":\"2.5\",\"t\":\"x\",\"n\":-1},"
               "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[116.4,39.9],[116.5,39.9],[116.5,40.0],[116.4,40.0],[116.4,39.9]],"
               "[[116.42,39.92],[116.44,39.92],[116.44,39.94],[116.42,39.92]]]}},"
               "{\"type\":\"Feature\",\"properties\":{\"a\":null,\"s\":\"1\",\"t\":\"y\",\"n\":2},"
               "\"geometry\":{\"type\":\"Point\",\"coordinates\":[116.45,39.95]}},"
               "{\"type\":\"Feature\",\"properties\":{\"a\":3},\"geometry\":null}]}");
    char path[256];
    snprintf(path, sizeof path, "%s/v.geojson", dir);
    sp_vector *v = NULL;
    /* geographic data needs a target CRS unless auto_utm */
    CHECK(sp_vector_open(ctx, path, NULL, &v) == SP_ERR_USAGE);
    CHECK_HAS(sp_ctx_message(ctx), "-t_srs");
    sp_vector_options o;
    sp_vector_options_init(&o);
    o.t_srs = "EPSG:32650";
    CHECK(sp_vector_open(ctx, path, &o, &v) == SP_OK);
    int ia, is, it, in;
    CHECK(sp_vector_field(ctx, v, 0, "a", &ia) == SP_OK);
    CHECK(sp_vector_field(ctx, v, 0, "s", &is) == SP_OK);
    CHECK(sp_vector_field(ctx, v, 0, "t", &it) == SP_OK);
    CHECK(sp_vector_field(ctx, v, 0, "n", &in) == SP_OK);
    CHECK(sp_vector_field(ctx, v, 0, "zz", &ia) == SP_ERR_DATA);
    CHECK_HAS(sp_ctx_message(ctx), "has no field 'zz' (fields: a, s, t, n)");
    sp_vector_field(ctx, v, 0, "a", &ia);
    sp_feature f;
    double x;
    CHECK(sp_vector_next(ctx, v, &f) == 1);
    CHECK(sp_vector_number(ctx, v, &f, ia, 0, &x) == SP_OK && x == 1.5);
    CHECK(sp_vector_number(ctx, v, &f, is, 0, &x) == SP_OK && x == 2.5);
    CHECK(sp_vector_number(ctx, v, &f, it, 0, &x) == SP_ERR_DATA);
    CHECK_HAS(sp_ctx_message(ctx), "feature 0, field 't': 'x' is not a number");
    CHECK(sp_vector_number(ctx, v, &f, in, 0, &x) == SP_ERR_DATA);
    CHECK_HAS(sp_ctx_message(ctx), "field 'n': value -1 is negative");
    CHECK(sp_vector_number(ctx, v, &f, in, SP_NUM_ALLOW_NEGATIVE, &x) == SP_OK && x == -1);
    sp_geom g = {0};
    CHECK(sp_vector_flatten(ctx, f.geom, &g) == SP_OK);
    CHECK(g.kind == SP_GEOM_POLYGON && g.nparts == 2 && g.hole[1] == 1 && !g.hole[0]);
    CHECK(g.x[0] > 400000 && g.x[0] < 500000 && g.y[0] > 4.4e6); /* in UTM 50N metres */
    double x0 = g.x[0], y0 = g.y[0];
    CHECK(sp_vector_next(ctx, v, &f) == 1);
    CHECK(sp_vector_number(ctx, v, &f, ia, 0, &x) == SP_ERR_DATA);
    CHECK_HAS(sp_ctx_message(ctx), "feature 1, field 'a': value is missing (null)");
    CHECK(sp_vector_number(ctx, v, &f, ia, SP_NUM_NULL_IS_ZERO, &x) == SP_OK && x == 0);
    CHECK(sp_vector_flatten(ctx, f.geom, &g) == SP_OK && g.kind == SP_GEOM_POINT && g.npoints == 1);
    /* a feature without geometry in a layer with geometries has no place: an error */
    CHECK(sp_vector_next(ctx, v, &f) == SP_ERR_DATA);
    CHECK_HAS(sp_ctx_message(ctx), "layer 'v', feature 2 has no geometry");
    CHECK(sp_vector_count(v) == 3);
    sp_vector_close(v);
    /* GCJ-02 correction moves the data by some hundred metres */
    o.s_coord = SP_COORD_GCJ02;
    CHECK(sp_vector_open(ctx, path, &o, &v) == SP_OK);
    CHECK(sp_vector_next(ctx, v, &f) == 1);
    sp_geom g2 = {0};
    sp_vector_flatten(ctx, f.geom, &g2);
    double d = hypot(g2.x[0] - x0, g2.y[0] - y0);
    CHECK(d > 300 && d < 800);
    sp_vector_close(v);
    sp_geom_free(&g);
    sp_geom_free(&g2);
    /* unknown layer lists the layers */
    const char *lay[] = {"roads"};
    o.layers = lay;
    o.nlayers = 1;
    CHECK(sp_vector_open(ctx, path, &o, &v) == SP_ERR_USAGE);
    CHECK_HAS(sp_ctx_message(ctx), "has no layer 'roads' (layers: 'v')");
    CHECK(sp_vector_open(ctx, "/nonexistent.shp", NULL, &v) == SP_ERR_IO);
    CHECK_HAS(sp_ctx_message(ctx), "cannot open '/nonexistent.shp'");
    /* found by fuzzing: a "geographic" layer far off the globe picked a UTM zone out of
     * int's range (UBSan); now a data error naming the extent */
    write_file("off.geojson", "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":"
               "\"Feature\",\"properties\":{},\"geometry\":{\"type\":\"Point\","
               "\"coordinates\":[450104114002,0]}}]}");
    snprintf(path, sizeof path, "%s/off.geojson", dir);
    sp_vector_options_init(&o);
    o.auto_utm = true;
    CHECK(sp_vector_open(ctx, path, &o, &v) == SP_ERR_DATA && !v);
    CHECK_HAS(sp_ctx_message(ctx), "is not on the globe");
    CHECK(sp_vector_utm_epsg(1e300, 40) >= 32601 && sp_vector_utm_epsg(NAN, 40) <= 32660);
}

static void test_output(sp_ctx *ctx)
{
    char dst[256];
    snprintf(dst, sizeof dst, "%s/atomic.txt", dir);
    sp_output o;
    CHECK(sp_output_begin(ctx, &o, dst) == SP_OK);
    FILE *f = fopen(o.path, "w");
    fputs("x", f);
    fclose(f);
    CHECK(!sp_path_exists(dst));
    CHECK(sp_output_commit(ctx, &o) == SP_OK);
    CHECK(sp_path_exists(dst));
    CHECK(sp_output_begin(ctx, &o, dst) == SP_OK);
    char tmp[256];
    snprintf(tmp, sizeof tmp, "%s", o.tmpdir);
    sp_output_abort(&o);
    CHECK(!sp_path_exists(tmp));
    CHECK(sp_output_begin(ctx, &o, dir) == SP_ERR_IO);
    CHECK_HAS(sp_ctx_message(ctx), "it is a folder");
}

static void test_cli(void)
{
    int64_t s;
    CHECK(sp_cli_size("512M", &s) && s == 512LL << 20);
    CHECK(sp_cli_size("4G", &s) && s == 4LL << 30);
    CHECK(sp_cli_size("1000", &s) && s == 1000);
    CHECK(!sp_cli_size("lots", &s));
    double d;
    CHECK(sp_cli_double("1e3", &d) && d == 1000);
    CHECK(!sp_cli_double("1e3x", &d) && !sp_cli_double("nan", &d));
    int i;
    CHECK(sp_cli_int("-7", &i) && i == -7);
    CHECK(!sp_cli_int("7.5", &i));
    char **l = sp_cli_split("NOx, PM2.5,CO2");
    CHECK(sp_cli_list_len(l) == 3);
    CHECK_STR(l[1], "PM2.5");
    sp_cli_free_list(l);
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/sp-test-io-XXXXXX");
    if (!mkdtemp(dir))
        return 1;
    sp_ctx *ctx = sp_ctx_new();
    { /* a negative zero is written "0", not "-0" (CSV outputs, Excel) */
        sp_table *t = sp_table_new(2);
        int c = t ? sp_table_add_number(t, "v") : -1;
        char b[32];
        CHECK(c >= 0);
        if (c >= 0) {
            t->cols[c].num[0] = -0.0;
            t->cols[c].num[1] = -1.5;
            CHECK_STR(sp_table_text(t, c, 0, b, sizeof b), "0");
            CHECK_STR(sp_table_text(t, c, 1, b, sizeof b), "-1.5");
        }
        sp_table_free(t);
    }
    test_raster(ctx);
    test_vector(ctx);
    test_output(ctx);
    test_cli();
    CHECK_STR(sp_status_name(SP_ERR_LIMIT), "limit exceeded");
    sp_error(ctx, SP_ERR_DATA, "x%d", 1);
    sp_error_prefix(ctx, SP_ERR_DATA, "layer 'a': ");
    CHECK_STR(sp_ctx_message(ctx), "layer 'a': x1");
    sp_ctx_free(ctx);
    sp_remove_tree(dir);
    return check_done();
}
