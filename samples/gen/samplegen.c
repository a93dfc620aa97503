/* samplegen: writes the synthetic sample district (SYNTHETIC data in real Beijing
 * coordinates) used by the demo and the tests. Deterministic: a fixed-seed splitmix64
 * generator and fixed GeoPackage timestamps, so the same build writes the same bytes.
 * Magnitudes and their basis are explained in samples/README.md. */
#include "core/sp_coord.h"
#include "core/sp_ctx.h"

#include <cpl_conv.h>
#include <cpl_string.h>
#include <gdal.h>
#include <errno.h>
#include <math.h>
#include <sys/stat.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NC 6 /* lattice of streets: NC x NR cells, two corner cells dropped = 40 */
#define NR 7
#define LON0 116.40
#define LON1 116.64
#define LAT0 39.83
#define LAT1 40.09

/* The domain: the synthetic lattice (default), or with -real ZONES the union of real
 * street polygons (lon/lat), inside their bounding box. */
static OGRGeometryH REAL;
static double dom_lon0 = LON0, dom_lon1 = LON1, dom_lat0 = LAT0, dom_lat1 = LAT1;

static unsigned long long seed = 20240101ULL;
static double rnd(void)
{
    unsigned long long z = (seed += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return (double)((z ^ (z >> 31)) >> 11) * 0x1.0p-53;
}
static double urange(double a, double b) { return a + (b - a) * rnd(); }
static double gauss(void)
{
    double u = rnd(), v = rnd();
    return sqrt(-2 * log(u + 1e-300)) * cos(2 * M_PI * v);
}

static double vx[NC + 1][NR + 1], vy[NC + 1][NR + 1];
static bool dropped(int c, int r) { return (c == 0 && r == 0) || (c == NC - 1 && r == NR - 1); }

static void cell_ring(int c, int r, double *x, double *y)
{
    int cc[4] = {c, c + 1, c + 1, c}, rr[4] = {r, r, r + 1, r + 1};
    for (int k = 0; k < 4; k++) {
        x[k] = vx[cc[k]][rr[k]];
        y[k] = vy[cc[k]][rr[k]];
    }
}

static bool in_quad(const double *x, const double *y, double px, double py)
{
    bool in = false;
    for (int i = 0, j = 3; i < 4; j = i++)
        if ((y[i] > py) != (y[j] > py) && px < (x[j] - x[i]) * (py - y[i]) / (y[j] - y[i]) + x[i])
            in = !in;
    return in;
}

/* Index of the street containing a lon/lat, or -1 outside the district (with -real: 0
 * inside the real district, -1 outside). */
static int street_of(double lon, double lat)
{
    if (REAL) {
        OGRGeometryH p = OGR_G_CreateGeometry(wkbPoint);
        OGR_G_SetPoint_2D(p, 0, lon, lat);
        bool in = OGR_G_Contains(REAL, p);
        OGR_G_DestroyGeometry(p);
        return in ? 0 : -1;
    }
    double x[4], y[4];
    int id = 0;
    for (int r = 0; r < NR; r++)
        for (int c = 0; c < NC; c++) {
            if (dropped(c, r))
                continue;
            cell_ring(c, r, x, y);
            if (in_quad(x, y, lon, lat))
                return id;
            id++;
        }
    return -1;
}

static OGRSpatialReferenceH srs(int epsg)
{
    OGRSpatialReferenceH s = OSRNewSpatialReference(NULL);
    OSRImportFromEPSG(s, epsg);
    OSRSetAxisMappingStrategy(s, OAMS_TRADITIONAL_GIS_ORDER);
    return s;
}

static GDALDatasetH create(const char *dir, const char *name, const char *drv)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    GDALDriverH d = GDALGetDriverByName(drv);
    VSIUnlink(path);
    GDALDatasetH ds = GDALCreate(d, path, 0, 0, 0, GDT_Unknown, NULL);
    if (!ds) {
        fprintf(stderr, "samplegen: cannot create %s: %s\n", path, CPLGetLastErrorMsg());
        exit(1);
    }
    return ds;
}

static OGRLayerH layer(GDALDatasetH ds, const char *name, int epsg, OGRwkbGeometryType t)
{
    OGRSpatialReferenceH s = srs(epsg);
    char **lco = NULL;
    if (!strcmp(GDALGetDriverShortName(GDALGetDatasetDriver(ds)), "ESRI Shapefile"))
        lco = CSLSetNameValue(lco, "ENCODING", "UTF-8");
    OGRLayerH l = GDALDatasetCreateLayer(ds, name, s, t, lco);
    CSLDestroy(lco);
    OSRDestroySpatialReference(s);
    return l;
}

static void field(OGRLayerH l, const char *name, OGRFieldType t, int width)
{
    OGRFieldDefnH f = OGR_Fld_Create(name, t);
    if (t == OFTReal) { /* room for the integer part as well as 4 decimals */
        OGR_Fld_SetWidth(f, 16);
        OGR_Fld_SetPrecision(f, 4);
    } else if (width) {
        OGR_Fld_SetWidth(f, width);
    }
    OGR_L_CreateField(l, f, TRUE);
    OGR_Fld_Destroy(f);
}

static OGRFeatureH feature(OGRLayerH l) { return OGR_F_Create(OGR_L_GetLayerDefn(l)); }
static void put(OGRLayerH l, OGRFeatureH f, OGRGeometryH g)
{
    OGR_F_SetGeometryDirectly(f, g);
    if (OGR_L_CreateFeature(l, f) != OGRERR_NONE) {
        fprintf(stderr, "samplegen: cannot write a feature: %s\n", CPLGetLastErrorMsg());
        exit(1);
    }
    OGR_F_Destroy(f);
}
static OGRGeometryH point(double x, double y)
{
    OGRGeometryH g = OGR_G_CreateGeometry(wkbPoint);
    OGR_G_SetPoint_2D(g, 0, x, y);
    return g;
}

/* Activity hot spots (CBD, Sanlitun, Wangjing, Olympic area): restaurants cluster. */
static const double HOT[4][3] = {
    {116.462, 39.912, 0.012}, {116.455, 39.935, 0.008}, {116.475, 39.995, 0.014}, {116.405, 40.000, 0.012}};

static void random_site(double *lon, double *lat, double clustered)
{
    do {
        if (rnd() < clustered) {
            int h = (int)(rnd() * 4);
            *lon = HOT[h][0] + gauss() * HOT[h][2];
            *lat = HOT[h][1] + gauss() * HOT[h][2];
        } else {
            *lon = urange(dom_lon0, dom_lon1);
            *lat = urange(dom_lat0, dom_lat1);
        }
    } while (street_of(*lon, *lat) < 0);
}

/* -real: the union of the polygons of a lon/lat file, and its bounding box as the domain. */
static void load_real(const char *path)
{
    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR, NULL, NULL, NULL);
    if (!ds || GDALDatasetGetLayerCount(ds) < 1) {
        fprintf(stderr, "sp-samplegen: error: cannot open '%s'\n", path);
        exit(1);
    }
    OGRLayerH l = GDALDatasetGetLayer(ds, 0);
    OGRGeometryH all = OGR_G_CreateGeometry(wkbMultiPolygon);
    OGRFeatureH f;
    while ((f = OGR_L_GetNextFeature(l))) {
        OGRGeometryH g = OGR_F_GetGeometryRef(f);
        bool single = g && wkbFlatten(OGR_G_GetGeometryType(g)) == wkbPolygon;
        int n = !g ? 0 : single ? 1 : OGR_G_GetGeometryCount(g);
        for (int i = 0; i < n; i++) /* each polygon (copied) */
            OGR_G_AddGeometry(all, single ? g : OGR_G_GetGeometryRef(g, i));
        OGR_F_Destroy(f);
    }
    GDALClose(ds);
    REAL = OGR_G_UnionCascaded(all);
    OGR_G_DestroyGeometry(all);
    if (!REAL || OGR_G_IsEmpty(REAL)) {
        fprintf(stderr, "sp-samplegen: error: no polygons in '%s'\n", path);
        exit(1);
    }
    OGREnvelope e;
    OGR_G_GetEnvelope(REAL, &e);
    dom_lon0 = e.MinX;
    dom_lon1 = e.MaxX;
    dom_lat0 = e.MinY;
    dom_lat1 = e.MaxY;
}

static void streets(const char *dir)
{
    static const char *TOWN[] = {"将台", "王四营", "孙河", "崔各庄", "东坝", "黑庄户", "豆各庄",
                                 "金盏", "平房", "高碑店", "来广营", "常营", "三间房", "管庄"};
    GDALDatasetH ds = create(dir, "streets.shp", "ESRI Shapefile");
    OGRLayerH l = layer(ds, "streets", 4326, wkbPolygon);
    field(l, "code", OFTString, 12);
    field(l, "name", OFTString, 40);
    field(l, "name_en", OFTString, 40);
    field(l, "kind", OFTString, 8);
    int id = 0;
    for (int r = 0; r < NR; r++)
        for (int c = 0; c < NC; c++) {
            if (dropped(c, r))
                continue;
            double x[4], y[4];
            cell_ring(c, r, x, y);
            OGRGeometryH ring = OGR_G_CreateGeometry(wkbLinearRing);
            for (int k = 0; k <= 4; k++)
                OGR_G_AddPoint_2D(ring, x[k % 4], y[k % 4]);
            OGRGeometryH poly = OGR_G_CreateGeometry(wkbPolygon);
            OGR_G_AddGeometryDirectly(poly, ring);
            OGRFeatureH f = feature(l);
            char code[16], name[64], en[64];
            bool town = (c == 0 || c == NC - 1 || r == NR - 1) && id % 3 == 0;
            snprintf(code, sizeof code, "S%03d", id + 1);
            if (town)
                snprintf(name, sizeof name, "示例%s乡", TOWN[id % 14]);
            else
                snprintf(name, sizeof name, "示例街道%02d", id + 1);
            snprintf(en, sizeof en, "Synthetic %s %02d", town ? "Township" : "Street", id + 1);
            OGR_F_SetFieldString(f, 0, code);
            OGR_F_SetFieldString(f, 1, name);
            OGR_F_SetFieldString(f, 2, en);
            OGR_F_SetFieldString(f, 3, town ? "乡" : "街道");
            put(l, f, poly);
            id++;
        }
    GDALClose(ds);
}

static void restaurants(const char *dir, int n)
{
    static const char *CUISINE[] = {"chinese", "hotpot", "bbq", "western", "fastfood", "canteen"};
    static const double CW[] = {0.45, 0.12, 0.08, 0.10, 0.17, 0.08};
    GDALDatasetH ds = create(dir, "restaurants_gcj02.shp", "ESRI Shapefile");
    OGRLayerH l = layer(ds, "restaurants_gcj02", 4326, wkbPoint);
    field(l, "rid", OFTInteger, 8);
    field(l, "stoves", OFTInteger, 4);
    field(l, "cuisine", OFTString, 12);
    field(l, "hours", OFTReal, 6);
    field(l, "days", OFTInteger, 4);
    field(l, "purifier", OFTInteger, 2);
    field(l, "pur_class", OFTString, 8);
    for (int i = 0; i < n; i++) {
        double lon, lat, glon, glat;
        random_site(&lon, &lat, 0.55);
        sp_wgs84_to_gcj02(lon, lat, &glon, &glat); /* as scraped from a web map */
        double u = rnd(), acc = 0;
        int k = 0;
        while (k < 5 && u > (acc += CW[k]))
            k++;
        int stoves = 1 + (int)floor(-log(1 - rnd()) * (k == 5 ? 5.0 : 2.2));
        if (stoves > 30)
            stoves = 30;
        bool pur = rnd() < (stoves >= 3 ? 0.85 : 0.55);
        const char *cls = !pur ? "" : rnd() < 0.5 ? "high" : rnd() < 0.6 ? "mid" : "low";
        OGRFeatureH f = feature(l);
        OGR_F_SetFieldInteger(f, 0, i + 1);
        OGR_F_SetFieldInteger(f, 1, stoves);
        OGR_F_SetFieldString(f, 2, CUISINE[k]);
        OGR_F_SetFieldDouble(f, 3, k == 5 ? 6.0 : round(urange(6, 14) * 2) / 2);
        OGR_F_SetFieldInteger(f, 4, k == 5 ? 250 : 330 + (int)(rnd() * 30));
        OGR_F_SetFieldInteger(f, 5, pur);
        OGR_F_SetFieldString(f, 6, cls);
        put(l, f, point(glon, glat));
    }
    GDALClose(ds);
}

static void boilers(const char *dir, int n)
{
    GDALDatasetH ds = create(dir, "boilers.shp", "ESRI Shapefile");
    OGRLayerH l = layer(ds, "boilers", 4326, wkbPoint);
    field(l, "bid", OFTInteger, 6);
    field(l, "cap_mw", OFTReal, 8);
    field(l, "gas_10k", OFTReal, 10);
    field(l, "nox_class", OFTString, 8);
    field(l, "fuel", OFTString, 8);
    for (int i = 0; i < n; i++) {
        double lon, lat;
        random_site(&lon, &lat, 0.3);
        double cap = exp(urange(log(0.7), log(29.0)));
        double flh = urange(1400, 2600); /* full-load hours of a heating season */
        double gas = cap * 111.0 * flh / 1e4; /* ~111 m3/h per MW at 90 % efficiency */
        OGRFeatureH f = feature(l);
        OGR_F_SetFieldInteger(f, 0, i + 1);
        OGR_F_SetFieldDouble(f, 1, round(cap * 100) / 100);
        OGR_F_SetFieldDouble(f, 2, round(gas * 100) / 100);
        OGR_F_SetFieldString(f, 3, rnd() < 0.7 ? "low" : "conv");
        OGR_F_SetFieldString(f, 4, "gas");
        put(l, f, point(lon, lat));
    }
    GDALClose(ds);
}

/* Key energy-using units (重点用能单位): data centres, hospitals, malls, campuses, hotels,
 * a brewery; synthetic annual energy use of the order of Beijing's key units (thousands
 * of tonnes of coal equivalent): electricity 5-150 GWh, gas 0.3-6 million m3, purchased
 * heat up to 150,000 GJ, a little diesel for standby generators. */
static void facilities(const char *dir, int n)
{
    static const char *KIND[] = {"data centre", "hospital", "mall", "campus", "hotel",
                                 "brewery"};
    GDALDatasetH ds = create(dir, "facilities.shp", "ESRI Shapefile");
    OGRLayerH l = layer(ds, "facilities", 4326, wkbPoint);
    field(l, "fid_", OFTInteger, 6);
    field(l, "kind", OFTString, 16);
    field(l, "elec_kwh", OFTReal, 14);
    field(l, "gas_m3", OFTReal, 12);
    field(l, "heat_gj", OFTReal, 10);
    field(l, "diesel_t", OFTReal, 8);
    for (int i = 0; i < n; i++) {
        double lon, lat;
        random_site(&lon, &lat, 0.3);
        int k = i % 6;
        double elec = k == 0 ? urange(60e6, 150e6) : urange(5e6, 40e6);
        double gas = k == 0 ? urange(0.05e6, 0.2e6) : urange(0.3e6, 6e6);
        double heat = k == 1 || k == 3 ? urange(30e3, 150e3) : 0;
        OGRFeatureH f = feature(l);
        OGR_F_SetFieldInteger(f, 0, i + 1);
        OGR_F_SetFieldString(f, 1, KIND[k]);
        OGR_F_SetFieldDouble(f, 2, round(elec / 1000) * 1000);
        OGR_F_SetFieldDouble(f, 3, round(gas / 100) * 100);
        OGR_F_SetFieldDouble(f, 4, round(heat));
        OGR_F_SetFieldDouble(f, 5, round(urange(2, 40)));
        put(l, f, point(lon, lat));
    }
    GDALClose(ds);
}

/* Petrol stations: gasoline sold 1,500-9,000 t/yr (a busy urban station sells ~5,000);
 * vapour recovery stage I+II everywhere (Beijing since 2008), a third with the tank
 * vent treatment (stage3). SYNTHETIC. */
static void petrol_stations(const char *dir, int n)
{
    GDALDatasetH ds = create(dir, "petrol_stations.shp", "ESRI Shapefile");
    OGRLayerH l = layer(ds, "petrol_stations", 4326, wkbPoint);
    field(l, "sid", OFTInteger, 6);
    field(l, "gasoline_t", OFTReal, 10);
    field(l, "vr_class", OFTString, 8);
    for (int i = 0; i < n; i++) {
        double lon, lat;
        random_site(&lon, &lat, 0.2);
        OGRFeatureH f = feature(l);
        OGR_F_SetFieldInteger(f, 0, i + 1);
        OGR_F_SetFieldDouble(f, 1, round(urange(1500, 9000)));
        OGR_F_SetFieldString(f, 2, rnd() < 0.33 ? "stage3" : "stage2");
        put(l, f, point(lon, lat));
    }
    GDALClose(ds);
}

/* Non-road machinery at building sites: excavators, loaders, cranes (rated power
 * 150-1,500 kW per site, 600-2,000 hours a year), mostly stage III, some II and IV, a
 * few electric. SYNTHETIC. */
static void machinery(const char *dir, int n)
{
    GDALDatasetH ds = create(dir, "machinery.shp", "ESRI Shapefile");
    OGRLayerH l = layer(ds, "machinery", 4326, wkbPoint);
    field(l, "site", OFTInteger, 6);
    field(l, "kw", OFTReal, 8);
    field(l, "hours", OFTReal, 6);
    field(l, "stage", OFTString, 4);
    static const char *ST[] = {"II", "III", "III", "III", "IV", "IV", "NEV"};
    for (int i = 0; i < n; i++) {
        double lon, lat;
        random_site(&lon, &lat, 0.1);
        OGRFeatureH f = feature(l);
        OGR_F_SetFieldInteger(f, 0, i + 1);
        OGR_F_SetFieldDouble(f, 1, round(urange(150, 1500)));
        OGR_F_SetFieldDouble(f, 2, round(urange(600, 2000)));
        OGR_F_SetFieldString(f, 3, ST[(int)(rnd() * 7) % 7]);
        put(l, f, point(lon, lat));
    }
    GDALClose(ds);
}

/* Auto-repair shops (汽修): paints, thinners and solvents 200-3,000 kg a year; painting in
 * the open, in a booth with activated carbon, or already in a centralised spray centre.
 * SYNTHETIC. */
static void repair_shops(const char *dir, int n)
{
    GDALDatasetH ds = create(dir, "repair_shops.shp", "ESRI Shapefile");
    OGRLayerH l = layer(ds, "repair_shops", 4326, wkbPoint);
    field(l, "shop", OFTInteger, 6);
    field(l, "coating_kg", OFTReal, 8);
    field(l, "control", OFTString, 8);
    for (int i = 0; i < n; i++) {
        double lon, lat;
        random_site(&lon, &lat, 0.4);
        double u = rnd();
        OGRFeatureH f = feature(l);
        OGR_F_SetFieldInteger(f, 0, i + 1);
        OGR_F_SetFieldDouble(f, 1, round(urange(200, 3000)));
        OGR_F_SetFieldString(f, 2, u < 0.3 ? "none" : u < 0.9 ? "carbon" : "center");
        put(l, f, point(lon, lat));
    }
    GDALClose(ds);
}

/* Roads in EPSG:32650 so that the grid roads are exactly horizontal and vertical, on
 * multiples of 100 m: they lie on cell edges of any 100 m grid (the edge rule's test). */
static void roads(const char *dir)
{
    GDALDatasetH ds = create(dir, "roads.gpkg", "GPKG");
    OGRLayerH l = layer(ds, "roads", 32650, wkbLineString);
    field(l, "rid", OFTInteger, 0);
    field(l, "rclass", OFTString, 12);
    field(l, "aadt", OFTInteger, 0);
    field(l, "speed", OFTInteger, 0);
    static const char *VC[] = {"f_car", "f_taxi", "f_bus", "f_lgv", "f_hdt"};
    for (int k = 0; k < 5; k++)
        field(l, VC[k], OFTReal, 0);
    OGRSpatialReferenceH w = srs(4326), u = srs(32650);
    OGRCoordinateTransformationH ct = OCTNewCoordinateTransformation(w, u);
    OGRCoordinateTransformationH inv = OCTNewCoordinateTransformation(u, w);
    double cx = 116.47, cy = 39.94, x0 = dom_lon0, y0 = dom_lat0, x1 = dom_lon1, y1 = dom_lat1;
    OCTTransform(ct, 1, &cx, &cy, NULL);
    OCTTransform(ct, 1, &x0, &y0, NULL);
    OCTTransform(ct, 1, &x1, &y1, NULL);
    int rid = 0;
    /* each road: list of vertices, cut into links of ~800 m */
    double px[4096], py[4096];
    for (int road = 0; road < 64; road++) {
        int np = 0;
        const char *cls;
        if (road < 3) { /* 3rd/4th/5th ring-like loops, 96 vertices */
            double rad[] = {4500, 8500, 13500};
            cls = "expressway";
            for (int k = 0; k <= 96; k++) {
                double a = 2 * M_PI * (k % 96) / 96;
                px[np] = round(cx + rad[road] * cos(a));
                py[np++] = round(cy + rad[road] * 1.1 * sin(a));
            }
        } else if (road < 11) { /* radials */
            cls = "arterial";
            double a = 2 * M_PI * (road - 3) / 8 + 0.2;
            for (int k = 0; k <= 40; k++) {
                px[np] = round(cx + 500 * k * cos(a));
                py[np++] = round(cy + 500 * k * sin(a));
            }
        } else { /* grid roads: exactly horizontal or vertical on 100 m multiples */
            int g = road - 11;
            bool horiz = g % 2 == 0;
            cls = g % 4 == 0 ? "arterial" : g % 3 == 0 ? "secondary" : "branch";
            double off = horiz ? floor((y0 + 700.0 * (g / 2 + 1)) / 100) * 100
                               : floor((x0 + 900.0 * (g / 2 + 1)) / 100) * 100;
            if ((horiz && off >= y1) || (!horiz && off >= x1))
                continue;
            double a = horiz ? x0 : y0, b = horiz ? x1 : y1;
            a = ceil(a / 100) * 100;
            for (double t = a; t <= b && np < 4000; t += 800) {
                px[np] = horiz ? t : off;
                py[np++] = horiz ? off : t;
            }
        }
        int ci = cls[0] == 'e' ? 0 : cls[0] == 'a' ? 1 : cls[0] == 's' ? 2 : 3;
        static const double AADT[4] = {150000, 60000, 25000, 8000}; /* veh/day by class */
        double aadt0 = AADT[ci];
        for (int k = 0; k + 1 < np; k++) {
            /* keep links whose midpoint is in the district */
            double mx = 0.5 * (px[k] + px[k + 1]), my = 0.5 * (py[k] + py[k + 1]);
            double lon = mx, lat = my;
            OCTTransform(inv, 1, &lon, &lat, NULL);
            if (street_of(lon, lat) < 0)
                continue;
            OGRGeometryH g = OGR_G_CreateGeometry(wkbLineString);
            OGR_G_AddPoint_2D(g, px[k], py[k]);
            OGR_G_AddPoint_2D(g, px[k + 1], py[k + 1]);
            double car = ci == 0 ? urange(0.60, 0.70) : urange(0.68, 0.80);
            double taxi = urange(0.05, 0.10), bus = urange(0.02, 0.04);
            double hdt = ci == 0 ? urange(0.06, 0.12) : ci == 1 ? urange(0.02, 0.05)
                                                                 : urange(0.005, 0.02);
            double lgv = 1 - car - taxi - bus - hdt;
            double sh[5] = {car, taxi, bus, lgv, hdt};
            OGRFeatureH f = feature(l);
            OGR_F_SetFieldInteger(f, 0, ++rid);
            OGR_F_SetFieldString(f, 1, cls);
            OGR_F_SetFieldInteger(f, 2, (int)(aadt0 * urange(0.7, 1.3)));
            OGR_F_SetFieldInteger(f, 3, ci == 0 ? 60 : ci == 3 ? 25 : 40);
            for (int v = 0; v < 5; v++)
                OGR_F_SetFieldDouble(f, 4 + v, round(sh[v] * 10000) / 10000);
            put(l, f, g);
        }
    }
    OCTDestroyCoordinateTransformation(ct);
    OCTDestroyCoordinateTransformation(inv);
    OSRDestroySpatialReference(w);
    OSRDestroySpatialReference(u);
    GDALClose(ds);
}

static void construction(const char *dir, int n)
{
    GDALDatasetH ds = create(dir, "construction.shp", "ESRI Shapefile");
    OGRLayerH l = layer(ds, "construction", 4326, wkbPolygon);
    field(l, "sid", OFTInteger, 4);
    field(l, "months", OFTInteger, 3);
    field(l, "stage", OFTString, 12);
    for (int i = 0; i < n; i++) {
        double lon, lat;
        random_site(&lon, &lat, 0.0);
        double w = urange(0.0006, 0.002), h = urange(0.0005, 0.0016), a = urange(0, M_PI / 2);
        OGRGeometryH ring = OGR_G_CreateGeometry(wkbLinearRing);
        double cx[4] = {-w, w, w, -w}, cy[4] = {-h, -h, h, h};
        for (int k = 0; k <= 4; k++)
            OGR_G_AddPoint_2D(ring, lon + cx[k % 4] * cos(a) - cy[k % 4] * sin(a),
                              lat + cx[k % 4] * sin(a) + cy[k % 4] * cos(a));
        OGRGeometryH poly = OGR_G_CreateGeometry(wkbPolygon);
        OGR_G_AddGeometryDirectly(poly, ring);
        OGRFeatureH f = feature(l);
        OGR_F_SetFieldInteger(f, 0, i + 1);
        OGR_F_SetFieldInteger(f, 1, 4 + (int)(rnd() * 9));
        OGR_F_SetFieldString(f, 2, rnd() < 0.5 ? "earthwork" : "structure");
        put(l, f, poly);
    }
    GDALClose(ds);
}

static void stations(const char *dir)
{
    static const char *NAME[] = {"示例站 奥体", "示例站 农展馆", "示例站 CBD", "示例站 东坝",
                                 "示例站 金盏", "示例站 豆各庄"};
    GDALDatasetH ds = create(dir, "stations.shp", "ESRI Shapefile");
    OGRLayerH l = layer(ds, "stations", 4326, wkbPoint);
    field(l, "name", OFTString, 40);
    field(l, "pm25", OFTReal, 6);
    for (int i = 0; i < 6; i++) {
        double lon, lat;
        random_site(&lon, &lat, i < 3 ? 1.0 : 0.0);
        OGRFeatureH f = feature(l);
        OGR_F_SetFieldString(f, 0, NAME[i]);
        OGR_F_SetFieldDouble(f, 1, round(urange(29, 38) * 10) / 10);
        put(l, f, point(lon, lat));
    }
    GDALClose(ds);
}

int main(int argc, char **argv)
{
    const char *dir = NULL, *real = NULL;
    bool quiet = false;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-q"))
            quiet = true;
        else if (!strcmp(argv[i], "-real") && i + 1 < argc)
            real = argv[++i];
        else if (!strcmp(argv[i], "--help")) {
            puts("Usage: sp-samplegen [-q] [-real ZONES] DIR\nWrites the synthetic sample district "
                 "into DIR. With -real, the same synthetic\nsources inside the real street "
                 "polygons of ZONES (lon/lat), and no streets.shp.");
            return 0;
        } else
            dir = argv[i];
    }
    if (!dir) {
        fprintf(stderr, "sp-samplegen: error: need an output folder\n");
        return 2;
    }
    if (mkdir(dir, 0777) && errno != EEXIST) {
        fprintf(stderr, "sp-samplegen: error: cannot create the folder '%s': %s\n", dir,
                strerror(errno));
        return 1;
    }
    GDALAllRegister();
    CPLSetConfigOption("OGR_CURRENT_DATE", "2024-01-01T00:00:00.000Z");
    for (int c = 0; c <= NC; c++)
        for (int r = 0; r <= NR; r++) {
            double jx = (c > 0 && c < NC) ? urange(-0.008, 0.008) : 0;
            double jy = (r > 0 && r < NR) ? urange(-0.007, 0.007) : 0;
            vx[c][r] = LON0 + (LON1 - LON0) * c / NC + jx;
            vy[c][r] = LAT1 - (LAT1 - LAT0) * r / NR + jy;
        }
    if (real)
        load_real(real);
    else
        streets(dir);
    restaurants(dir, 12850);
    boilers(dir, 300);
    roads(dir);
    construction(dir, 40);
    stations(dir);
    facilities(dir, 12); /* last: the files above keep their bytes */
    petrol_stations(dir, 40);
    machinery(dir, 30);
    repair_shops(dir, 60);
    if (!quiet)
        printf("sample district written to %s\n", dir);
    return 0;
}
