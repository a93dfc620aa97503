/* Unit tests of sp_coord: published reference values of the forward formulas, and the
 * iterative inverses (round trips to well under 1 cm). */
#include "check.h"
#include <math.h>
#include "core/sp_coord.h"

#define DEG_M 111000.0 /* metres per degree, roughly, for reporting */

/* Baidu's Mercator against published points: Tian'an Men, BD-09 116.404 39.915, is
 * 12958175, 4825923.77 in Baidu's JavaScript API (BMap.MercatorProjection lngLatToPoint,
 * as the leaflet-baidu README quotes it), and the five points of projzh's tests (east,
 * west, north and south of China, from the same API: forward within 1 cm, inverse within
 * 1e-4 degree there; here 1e-6) */
static void test_bd09mc(void)
{
    double x, y, lon, lat;
    sp_bd09_to_bd09mc(116.404, 39.915, &x, &y);
    CHECK(fabs(x - 12958175) < 0.01 && fabs(y - 4825923.77) < 0.01);
    static const double cases[5][4] = {
        {72.01421676128244, 0.8367788448845025, 8016673.168576939, 92523.63565165037},
        {72.01577158351537, 55.83353212549679, 8016846.25, 7489653.42},
        {137.8436809381955, 0.8359606206992264, 15344855.34, 92433.16},
        {137.8500713872502, 55.83597897112281, 15345566.72, 7490137.41},
        {73.13470409826147, 5.6212751357384985, 8141406.61, 622541.72}};
    for (int i = 0; i < 5; i++) {
        sp_bd09_to_bd09mc(cases[i][0], cases[i][1], &x, &y);
        CHECK(fabs(x - cases[i][2]) < 0.01 && fabs(y - cases[i][3]) < 0.01);
        sp_bd09mc_to_bd09(cases[i][2], cases[i][3], &lon, &lat);
        CHECK(fabs(lon - cases[i][0]) < 1e-6 && fabs(lat - cases[i][1]) < 1e-6);
    }
    /* symmetric about the equator and the prime meridian; longitude wrapped */
    double x2, y2;
    sp_bd09_to_bd09mc(-116.404, -39.915, &x2, &y2);
    sp_bd09_to_bd09mc(116.404, 39.915, &x, &y);
    CHECK(x2 == -x && y2 == -y);
    sp_bd09_to_bd09mc(116.404 - 360, 39.915, &x2, &y2);
    CHECK(fabs(x2 - x) < 1e-6 && y2 == y);
}

int main(void)
{
    double x, y, bx, by;
    /* reference values widely used by public implementations of the algorithm */
    sp_wgs84_to_gcj02(116.404, 39.915, &x, &y);
    CHECK_REL(x, 116.41024449916938, 1e-13);
    CHECK_REL(y, 39.91640428150164, 1e-13);
    sp_gcj02_to_bd09(116.404, 39.915, &x, &y);
    CHECK_REL(x, 116.41036949371029, 1e-13);
    CHECK_REL(y, 39.92133699351021, 1e-13);
    /* the common one-step inverse gives 116.39775550083061, 39.91359571849836: ours is
     * exact instead, so forward(inverse(p)) == p */
    sp_gcj02_to_wgs84(116.404, 39.915, &x, &y);
    sp_wgs84_to_gcj02(x, y, &bx, &by);
    CHECK(fabs(bx - 116.404) * DEG_M < 1e-5 && fabs(by - 39.915) * DEG_M < 1e-5);
    /* the one-step answer, mapped forward, misses the input by ~6 cm here */
    sp_wgs84_to_gcj02(116.39775550083061, 39.91359571849836, &bx, &by);
    CHECK(fabs(by - 39.915) * DEG_M > 0.01);
    /* round trips over the Beijing area: every direction under 1 mm */
    unsigned long long s = 1;
    double worst = 0;
    for (int i = 0; i < 2000; i++) {
        double lon = check_rand(&s, 116.0, 117.0), lat = check_rand(&s, 39.5, 40.5);
        double a, b, c, d;
        sp_wgs84_to_gcj02(lon, lat, &a, &b);
        sp_gcj02_to_wgs84(a, b, &c, &d);
        worst = fmax(worst, fmax(fabs(c - lon), fabs(d - lat)));
        sp_wgs84_to_bd09(lon, lat, &a, &b);
        sp_bd09_to_wgs84(a, b, &c, &d);
        worst = fmax(worst, fmax(fabs(c - lon), fabs(d - lat)));
        sp_gcj02_to_bd09(lon, lat, &a, &b);
        sp_bd09_to_gcj02(a, b, &c, &d);
        worst = fmax(worst, fmax(fabs(c - lon), fabs(d - lat)));
    }
    CHECK(worst * DEG_M < 1e-3);
    printf("  worst round trip: %.3g m\n", worst * DEG_M);
    /* the offset in Beijing is a few hundred metres */
    sp_wgs84_to_gcj02(116.46, 39.92, &x, &y);
    CHECK((x - 116.46) * DEG_M > 300 && (x - 116.46) * DEG_M < 800);
    /* outside China: no offset */
    sp_wgs84_to_gcj02(2.35, 48.85, &x, &y);
    CHECK(x == 2.35 && y == 48.85);
    CHECK(sp_coord_outside_china(2.35, 48.85) && !sp_coord_outside_china(116.4, 39.9));
    /* in-place arrays */
    double lon[2] = {116.41024449916938, 116.41024449916938}, lat[2] = {39.91640428150164, 39.91640428150164};
    sp_coord_to_wgs84(SP_COORD_GCJ02, lon, lat, 2, 1);
    CHECK(fabs(lon[1] - 116.404) < 1e-9 && fabs(lat[0] - 39.915) < 1e-9);
    sp_coord_kind k;
    CHECK(sp_coord_parse("GCJ02", &k) && k == SP_COORD_GCJ02);
    CHECK(sp_coord_parse("bd09", &k) && k == SP_COORD_BD09);
    CHECK(!sp_coord_parse("mars", &k));
    CHECK_STR(sp_coord_name(SP_COORD_BD09), "bd09");
    test_bd09mc();
    return check_done();
}
