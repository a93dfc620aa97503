"""The published forward formulas of the Chinese web maps' coordinates, written again for
the end-to-end tests (an oracle independent of libspatial's C): WGS84 -> GCJ-02 (the
public reverse-engineered offset on the Krasovsky ellipsoid), GCJ-02 -> BD-09 (Baidu's
rotation and offset), and BD-09 -> Baidu's Mercator for 30-45 N (one band of the tables of
Baidu's JavaScript API, BMap.MercatorProjection, as projzh reproduces them)."""
import math


def gcj(lon, lat):
    a, ee = 6378245.0, 0.00669342162296594323
    x, y = lon - 105, lat - 35
    dlat = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    dlat += (20 * math.sin(6 * x * math.pi) + 20 * math.sin(2 * x * math.pi)) * 2 / 3
    dlat += (20 * math.sin(y * math.pi) + 40 * math.sin(y / 3 * math.pi)) * 2 / 3
    dlat += (160 * math.sin(y / 12 * math.pi) + 320 * math.sin(y * math.pi / 30)) * 2 / 3
    dlon = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    dlon += (20 * math.sin(6 * x * math.pi) + 20 * math.sin(2 * x * math.pi)) * 2 / 3
    dlon += (20 * math.sin(x * math.pi) + 40 * math.sin(x / 3 * math.pi)) * 2 / 3
    dlon += (150 * math.sin(x / 12 * math.pi) + 300 * math.sin(x / 30 * math.pi)) * 2 / 3
    r = math.radians(lat)
    m = 1 - ee * math.sin(r) ** 2
    sm = math.sqrt(m)
    dlat = dlat * 180 / ((a * (1 - ee)) / (m * sm) * math.pi)
    dlon = dlon * 180 / (a / sm * math.cos(r) * math.pi)
    return lon + dlon, lat + dlat


def bd09(glon, glat):
    xpi = math.pi * 3000 / 180
    z = math.hypot(glon, glat) + 0.00002 * math.sin(glat * xpi)
    t = math.atan2(glat, glon) + 0.000003 * math.cos(glon * xpi)
    return z * math.cos(t) + 0.0065, z * math.sin(t) + 0.006


def bd09mc(lon, lat):
    assert 30 <= lat < 45, lat
    c = [0.00220636496208, 111320.7020209128, 51751.86112841131, 3796837.749470245,
         992013.7397791013, -1221952.21711287, 1340652.697009075, -620943.6990984312,
         144416.9293806241, 37.5]
    d = lat / c[9]
    return c[0] + c[1] * lon, sum(c[2 + k] * d ** k for k in range(7))


def dist(p, q):
    """metres between two lon/lat points, roughly (a few metres apart)"""
    return math.hypot((p[0] - q[0]) * 111320 * math.cos(math.radians(p[1])), (p[1] - q[1]) * 110540)
