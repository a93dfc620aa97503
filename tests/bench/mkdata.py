# Benchmark data for tests/bench/run.sh: 1M random points and 100k random segments
# (50-3000 m) with a field "emis", in EPSG:32650 GeoPackages. Fixed seed.
import math, random, sys
from osgeo import ogr, osr
d = sys.argv[1]
random.seed(42)
srs = osr.SpatialReference(); srs.ImportFromEPSG(32650)
def make(path, n, kind):
    ds = ogr.GetDriverByName('GPKG').CreateDataSource(path)
    lyr = ds.CreateLayer(kind, srs, ogr.wkbPoint if kind == 'points' else ogr.wkbLineString)
    lyr.CreateField(ogr.FieldDefn('emis', ogr.OFTReal))
    defn = lyr.GetLayerDefn()
    ds.StartTransaction()
    for i in range(n):
        f = ogr.Feature(defn)
        f.SetField(0, random.uniform(0, 10))
        x, y = random.uniform(440000, 840000), random.uniform(4400000, 4800000)
        if kind == 'points':
            g = ogr.Geometry(ogr.wkbPoint); g.AddPoint_2D(x, y)
        else:
            L, a = random.uniform(50, 3000), random.uniform(0, 2 * math.pi)
            g = ogr.Geometry(ogr.wkbLineString); g.AddPoint_2D(x, y)
            g.AddPoint_2D(x + L * math.cos(a), y + L * math.sin(a))
        f.SetGeometryDirectly(g)
        lyr.CreateFeature(f)
    ds.CommitTransaction()
    ds = None
make(d + '/points.gpkg', 1000000, 'points')
make(d + '/lines.gpkg', 100000, 'lines')
