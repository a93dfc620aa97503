#!/usr/bin/python3
# SYNTHETIC sources over the whole of Beijing for the cluster test: in each of the 343 real
# street/township units (samples/real/beijing_subdistricts_343.geojson.gz) 4-24 point
# sources placed at random inside it, a road from its centre to the next unit's centre, and
# the unit itself as an area source. Fixed seed: the same file every time. Usage:
#   beijing_sources.py ZONES OUT.gpkg
import random
import sys

from osgeo import ogr, osr

zones, out = sys.argv[1], sys.argv[2]
random.seed(20261208)
src = ogr.Open(zones)
zl = src.GetLayer(0)
wgs = osr.SpatialReference()
wgs.ImportFromEPSG(4326)
wgs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
drv = ogr.GetDriverByName("GPKG")
ds = drv.CreateDataSource(out)
layers = {}
for name, kind in (("boiler", ogr.wkbPoint), ("road", ogr.wkbLineString),
                   ("area", ogr.wkbMultiPolygon)):
    l = ds.CreateLayer(name, wgs, kind)
    for f in ("nox", "pm25"):
        l.CreateField(ogr.FieldDefn(f, ogr.OFTReal))
    layers[name] = l


def add(name, geom, nox, pm25):
    l = layers[name]
    f = ogr.Feature(l.GetLayerDefn())
    f.SetGeometry(geom)
    f.SetField("nox", nox)
    f.SetField("pm25", pm25)
    l.CreateFeature(f)


ds.StartTransaction()
centres = []
for z in sorted(zl, key=lambda f: f.GetField("code")):
    g = z.GetGeometryRef().Clone()
    x0, x1, y0, y1 = g.GetEnvelope()
    n = random.randint(4, 24)
    while n:
        p = ogr.Geometry(ogr.wkbPoint)
        p.AddPoint_2D(random.uniform(x0, x1), random.uniform(y0, y1))
        if g.Contains(p):
            add("boiler", p, random.uniform(0.1, 5.0), random.uniform(0.01, 0.3))
            n -= 1
    c = g.PointOnSurface()
    centres.append((c.GetX(), c.GetY()))
    add("area", ogr.ForceToMultiPolygon(g), random.uniform(1, 20), random.uniform(0.5, 8))
for (ax, ay), (bx, by) in zip(centres, centres[1:]):
    line = ogr.Geometry(ogr.wkbLineString)
    line.AddPoint_2D(ax, ay)
    line.AddPoint_2D((ax + bx) / 2 + random.uniform(-0.01, 0.01), (ay + by) / 2)
    line.AddPoint_2D(bx, by)
    add("road", line, random.uniform(5, 60), random.uniform(0.2, 3))
ds.CommitTransaction()
ds = None
