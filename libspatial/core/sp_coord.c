/* sp_coord: GCJ-02 / BD-09 <-> WGS84. The GCJ-02 offset is the public reverse-engineered
 * formula (Krasovsky 1940 ellipsoid: a = 6378245 m, e^2 = 0.00669342162296594323, plus a
 * polynomial-and-sine shift of lon-105, lat-35); BD-09 adds Baidu's published rotation
 * and offset (0.0065, 0.006) on top of GCJ-02. Neither has a closed-form inverse. */
#include "core/sp_coord.h"

#include <math.h>
#include <strings.h>

static const double PI = 3.14159265358979323846;
static const double KRA_A = 6378245.0;
static const double KRA_EE = 0.00669342162296594323;
static const double BD_XPI = 3.14159265358979323846 * 3000.0 / 180.0;

bool sp_coord_parse(const char *name, sp_coord_kind *out)
{
    if (!strcasecmp(name, "wgs84"))
        *out = SP_COORD_WGS84;
    else if (!strcasecmp(name, "gcj02") || !strcasecmp(name, "gcj-02"))
        *out = SP_COORD_GCJ02;
    else if (!strcasecmp(name, "bd09") || !strcasecmp(name, "bd-09"))
        *out = SP_COORD_BD09;
    else
        return false;
    return true;
}

const char *sp_coord_name(sp_coord_kind k)
{
    return k == SP_COORD_GCJ02 ? "gcj02" : k == SP_COORD_BD09 ? "bd09" : "wgs84";
}

bool sp_coord_outside_china(double lon, double lat)
{
    return lon < 72.004 || lon > 137.8347 || lat < 0.8293 || lat > 55.8271;
}

static double shift_lat(double x, double y)
{
    double r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * sqrt(fabs(x));
    r += (20.0 * sin(6.0 * x * PI) + 20.0 * sin(2.0 * x * PI)) * 2.0 / 3.0;
    r += (20.0 * sin(y * PI) + 40.0 * sin(y / 3.0 * PI)) * 2.0 / 3.0;
    r += (160.0 * sin(y / 12.0 * PI) + 320.0 * sin(y * PI / 30.0)) * 2.0 / 3.0;
    return r;
}

static double shift_lon(double x, double y)
{
    double r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * sqrt(fabs(x));
    r += (20.0 * sin(6.0 * x * PI) + 20.0 * sin(2.0 * x * PI)) * 2.0 / 3.0;
    r += (20.0 * sin(x * PI) + 40.0 * sin(x / 3.0 * PI)) * 2.0 / 3.0;
    r += (150.0 * sin(x / 12.0 * PI) + 300.0 * sin(x / 30.0 * PI)) * 2.0 / 3.0;
    return r;
}

void sp_wgs84_to_gcj02(double lon, double lat, double *olon, double *olat)
{
    if (sp_coord_outside_china(lon, lat)) {
        *olon = lon;
        *olat = lat;
        return;
    }
    double dlat = shift_lat(lon - 105.0, lat - 35.0);
    double dlon = shift_lon(lon - 105.0, lat - 35.0);
    double rad = lat / 180.0 * PI;
    double m = sin(rad);
    m = 1 - KRA_EE * m * m;
    double sm = sqrt(m);
    dlat = (dlat * 180.0) / ((KRA_A * (1 - KRA_EE)) / (m * sm) * PI);
    dlon = (dlon * 180.0) / (KRA_A / sm * cos(rad) * PI);
    *olon = lon + dlon;
    *olat = lat + dlat;
}

void sp_gcj02_to_bd09(double lon, double lat, double *olon, double *olat)
{
    double z = sqrt(lon * lon + lat * lat) + 0.00002 * sin(lat * BD_XPI);
    double t = atan2(lat, lon) + 0.000003 * cos(lon * BD_XPI);
    *olon = z * cos(t) + 0.0065;
    *olat = z * sin(t) + 0.006;
}

void sp_wgs84_to_bd09(double lon, double lat, double *olon, double *olat)
{
    double glon, glat;
    sp_wgs84_to_gcj02(lon, lat, &glon, &glat);
    sp_gcj02_to_bd09(glon, glat, olon, olat);
}

typedef void (*fwd_fn)(double, double, double *, double *);

/* Solves fwd(x) = target: start at the target, step by the residual. The forward maps
 * are offsets of a few hundred metres that vary slowly, so this contracts fast
 * (three or four rounds reach 1e-10 degree in Beijing). */
static void invert(fwd_fn fwd, double lon, double lat, double *olon, double *olat)
{
    double x = lon, y = lat;
    for (int i = 0; i < 30; i++) {
        double fx, fy;
        fwd(x, y, &fx, &fy);
        double ex = fx - lon, ey = fy - lat;
        x -= ex;
        y -= ey;
        if (fabs(ex) < 1e-10 && fabs(ey) < 1e-10)
            break;
    }
    *olon = x;
    *olat = y;
}

void sp_gcj02_to_wgs84(double lon, double lat, double *olon, double *olat)
{
    invert(sp_wgs84_to_gcj02, lon, lat, olon, olat);
}

void sp_bd09_to_gcj02(double lon, double lat, double *olon, double *olat)
{
    invert(sp_gcj02_to_bd09, lon, lat, olon, olat);
}

void sp_bd09_to_wgs84(double lon, double lat, double *olon, double *olat)
{
    invert(sp_wgs84_to_bd09, lon, lat, olon, olat);
}

void sp_coord_to_wgs84(sp_coord_kind k, double *lon, double *lat, int n, int stride)
{
    if (k == SP_COORD_WGS84)
        return;
    for (int i = 0; i < n; i++) {
        double *x = lon + (long)i * stride, *y = lat + (long)i * stride;
        if (k == SP_COORD_GCJ02)
            sp_gcj02_to_wgs84(*x, *y, x, y);
        else
            sp_bd09_to_wgs84(*x, *y, x, y);
    }
}

/* ---- BD-09 Mercator (see the header for the source of the tables) ---------------- */

/* per band: x = c[0] + c[1] |u|; with d = |v| / c[9], y = c[2] + c[3] d + ... + c[8] d^6;
 * both take the signs of u and v */
static const double LL_BAND[6] = {75, 60, 45, 30, 15, 0};
static const double LL2MC[6][10] = {
    {-0.0015702102444, 111320.7020616939, 1704480524535203, -10338987376042340,
     26112667856603880, -35149669176653700, 26595700718403920, -10725012454188240,
     1800819912950474, 82.5},
    {0.0008277824516172526, 111320.7020463578, 647795574.6671607, -4082003173.641316,
     10774905663.51142, -15171875531.51559, 12053065338.62167, -5124939663.577472,
     913311935.9512032, 67.5},
    {0.00337398766765, 111320.7020202162, 4481351.045890365, -23393751.19931662,
     79682215.47186455, -115964993.2797253, 97236711.15602145, -43661946.33752821,
     8477230.501135234, 52.5},
    {0.00220636496208, 111320.7020209128, 51751.86112841131, 3796837.749470245,
     992013.7397791013, -1221952.21711287, 1340652.697009075, -620943.6990984312,
     144416.9293806241, 37.5},
    {-0.0003441963504368392, 111320.7020576856, 278.2353980772752, 2485758.690035394,
     6070.750963243378, 54821.18345352118, 9540.606633304236, -2710.55326746645,
     1405.483844121726, 22.5},
    {-0.0003218135878613132, 111320.7020701615, 0.00369383431289, 823725.6402795718,
     0.46104986909093, 2351.343141331292, 1.58060784298199, 8.77738589078284,
     0.37238884252424, 7.45}};
static const double MC_BAND[6] = {12890594.86, 8362377.87, 5591021, 3481989.83, 1678043.12, 0};
static const double MC2LL[6][10] = {
    {1.410526172116255e-8, 0.00000898305509648872, -1.9939833816331, 200.9824383106796,
     -187.2403703815547, 91.6087516669843, -23.38765649603339, 2.57121317296198,
     -0.03801003308653, 17337981.2},
    {-7.435856389565537e-9, 0.000008983055097726239, -0.78625201886289, 96.32687599759846,
     -1.85204757529826, -59.36935905485877, 47.40033549296737, -16.50741931063887,
     2.28786674699375, 10260144.86},
    {-3.030883460898826e-8, 0.00000898305509983578, 0.30071316287616, 59.74293618442277,
     7.357984074871, -25.38371002664745, 13.45380521110908, -3.29883767235584,
     0.32710905363475, 6856817.37},
    {-1.981981304930552e-8, 0.000008983055099779535, 0.03278182852591, 40.31678527705744,
     0.65659298677277, -4.44255534477492, 0.85341911805263, 0.12923347998204,
     -0.04625736007561, 4482777.06},
    {3.09191371068437e-9, 0.000008983055096812155, 0.00006995724062, 23.10934304144901,
     -0.00023663490511, -0.6321817810242, -0.00663494467273, 0.03430082397953,
     -0.00466043876332, 2555164.4},
    {2.890871144776878e-9, 0.000008983055095805407, -3.068298e-8, 7.47137025468032,
     -0.00000353937994, -0.02145144861037, -0.00001234426596, 0.00010322952773,
     -0.00000323890364, 826088.5}};

static void band_poly(const double *c, double u, double v, double *ou, double *ov)
{
    double d = fabs(v) / c[9], p = c[8];
    for (int k = 7; k >= 2; k--) /* Horner */
        p = p * d + c[k];
    double x = c[0] + c[1] * fabs(u);
    *ou = u < 0 ? -x : x;
    *ov = v < 0 ? -p : p;
}

void sp_bd09_to_bd09mc(double lon, double lat, double *x, double *y)
{
    lon = fmod(lon + 180, 360);
    lon = (lon < 0 ? lon + 360 : lon) - 180;
    lat = lat > 74 ? 74 : lat < -74 ? -74 : lat;
    int b = 0;
    while (b < 5 && fabs(lat) < LL_BAND[b])
        b++;
    band_poly(LL2MC[b], lon, lat, x, y);
}

void sp_bd09mc_to_bd09(double x, double y, double *lon, double *lat)
{
    int b = 0;
    while (b < 5 && fabs(y) < MC_BAND[b])
        b++;
    band_poly(MC2LL[b], x, y, lon, lat);
}
