/* sp_coord: corrections between WGS84 and the obfuscated datums of Chinese web maps:
 * GCJ-02 (the "Mars" coordinates of Amap/Tencent/Google China) and BD-09 (Baidu).
 * The forward formulas are the widely published public ones; the inverses iterate
 * the forward formula to well under 1 cm instead of the usual 1-2 m one-step guess. */
#ifndef SP_COORD_H
#define SP_COORD_H

#include <stdbool.h>

typedef enum { SP_COORD_WGS84 = 0, SP_COORD_GCJ02, SP_COORD_BD09 } sp_coord_kind;

/* How tile metadata (TileJSON "crs", MBTiles and PMTiles metadata) name a grid that is
 * not plain Web Mercator, written by sp-tiles and read back by sp-onemap: an importing
 * platform told nothing would place shifted tiles ~500 m off. */
#define SP_CRS_NAME_GCJ02 "EPSG:3857 shifted to GCJ-02 (Amap, Tencent)"
#define SP_CRS_NAME_BD09 "BD-09 Mercator (Baidu), rows northward from the equator"
#define SP_CRS_NAME_CGCS2000 "EPSG:4490"

/* Parses "wgs84", "gcj02" or "bd09" (case-insensitive). Returns false if unknown. */
bool sp_coord_parse(const char *name, sp_coord_kind *out);
const char *sp_coord_name(sp_coord_kind k);

/* True when (lon, lat) is outside the rough box of mainland China where GCJ-02 is
 * applied; there the offsets are zero, as in the public algorithm. */
bool sp_coord_outside_china(double lon, double lat);

/* Forward conversions, degrees in and out. */
void sp_wgs84_to_gcj02(double lon, double lat, double *olon, double *olat);
void sp_gcj02_to_bd09(double lon, double lat, double *olon, double *olat);
void sp_wgs84_to_bd09(double lon, double lat, double *olon, double *olat);

/* Inverse conversions by fixed-point iteration of the forward formula; they stop when
 * the forward image matches the input to 1e-10 degree (~0.01 mm) or after 30 rounds. */
void sp_gcj02_to_wgs84(double lon, double lat, double *olon, double *olat);
void sp_bd09_to_gcj02(double lon, double lat, double *olon, double *olat);
void sp_bd09_to_wgs84(double lon, double lat, double *olon, double *olat);

/* Baidu's own Mercator (BD-09 Mercator, "BD09MC", metres; Baidu's tiles are cut in it):
 * BD-09 lon/lat to it and back, by Baidu's piecewise polynomials in latitude bands (the
 * tables of Baidu Maps' JavaScript API BMap.MercatorProjection, as reproduced by the MIT
 * package projzh, lib/projection/baidu-mercator.js). Latitude is clamped to +-74 and
 * longitude wrapped to +-180, as there; the bands are taken by |lat| (|y|) on both sides of
 * the equator. Checked against published points: Tian'an Men, BD-09 116.404 39.915, is
 * 12958175, 4825923.77. */
void sp_bd09_to_bd09mc(double lon, double lat, double *x, double *y);
void sp_bd09mc_to_bd09(double x, double y, double *lon, double *lat);

/* Converts n points in place from kind k to WGS84 (no-op for SP_COORD_WGS84). */
void sp_coord_to_wgs84(sp_coord_kind k, double *lon, double *lat, int n, int stride);

#endif
