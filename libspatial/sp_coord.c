/* sp_coord: GCJ-02 / BD-09 <-> WGS84. The GCJ-02 offset is the public reverse-engineered
 * formula (Krasovsky 1940 ellipsoid: a = 6378245 m, e^2 = 0.00669342162296594323, plus a
 * polynomial-and-sine shift of lon-105, lat-35); BD-09 adds Baidu's published rotation
 * and offset (0.0065, 0.006) on top of GCJ-02. Neither has a closed-form inverse. */
#include "sp_coord.h"

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
