#!/usr/bin/env python3
"""-default KEY=VALUE, checked key by key: for every activity key of every sector, an
inventory of the sample layer whose field holds VALUE in every feature (A) must equal,
total by total, one of the layer without that field and -default KEY=VALUE (B). The layers
are written here with OGR; the comparison is of the two runs' -totals tables.
Usage: defaults_oracle.py BIN SAMPLES TMP. Prints one line per key, FAIL lines, and exits 1
on any difference. road.share_prefix is a prefix of several fields, not a value: left out."""
import csv, os, subprocess, sys
from osgeo import ogr

BIN, S, T = sys.argv[1:4]
ogr.UseExceptions()
# (sector, sample, key, field, value or None: the first feature's, drop: fields dropped in both)
CASES = [
    ("catering", "restaurants_gcj02.shp", "stoves", "stoves", None, []),
    ("catering", "restaurants_gcj02.shp", "cuisine", "cuisine", None, []),
    ("catering", "restaurants_gcj02.shp", "hours", "hours", None, []),
    ("catering", "restaurants_gcj02.shp", "days", "days", None, []),
    ("catering", "restaurants_gcj02.shp", "purifier", "purifier", "1", []),
    ("catering", "restaurants_gcj02.shp", "pur_class", "pur_class", None, []),
    ("boiler", "boilers.shp", "gas", "gas_10k", None, []),
    ("boiler", "boilers.shp", "cap_mw", "cap_mw", None, []),
    ("boiler", "boilers.shp", "hours", "full_hours", "2000", ["gas_10k"]),
    ("boiler", "boilers.shp", "nox_class", "nox_class", None, []),
    ("boiler", "boilers.shp", "fuel", "fuel", None, []),
    ("road", "roads.gpkg", "aadt", "aadt", None, []),
    ("road", "roads.gpkg", "speed", "speed", None, []),
    ("area", "construction.shp", "class", "stage", None, []),
    ("area", "construction.shp", "months", "months", None, []),
    ("facility", "facilities.shp", "gas", "gas_m3", None, []),
    ("facility", "facilities.shp", "electricity", "elec_kwh", None, []),
    ("facility", "facilities.shp", "heat", "heat_gj", None, []),
    ("facility", "facilities.shp", "diesel", "diesel_t", None, []),
    ("facility", "facilities.shp", "coal", "coal_t", "120", []),
    ("facility", "facilities.shp", "lpg", "lpg_t", "15", []),
    ("petrol", "petrol_stations.shp", "gasoline", "gasoline_t", None, []),
    ("petrol", "petrol_stations.shp", "vr_class", "vr_class", None, []),
    ("nonroad", "machinery.shp", "kw", "kw", None, []),
    ("nonroad", "machinery.shp", "hours", "hours", None, []),
    ("nonroad", "machinery.shp", "load", "load", "0.45", []),
    ("nonroad", "machinery.shp", "stage", "stage", None, []),
    ("autorepair", "repair_shops.shp", "coating_kg", "coating_kg", None, []),
    ("autorepair", "repair_shops.shp", "voc", "voc", "0.6", []),
    ("autorepair", "repair_shops.shp", "control", "control", None, []),
]

def copy(src, dst, field, value, keep_field, drop):
    """src's layer into dst (GPKG) with field = value in every feature (keep_field), or
    without field; the drop fields left out in both"""
    ds = ogr.Open(src)
    lyr = ds.GetLayer(0)
    d = lyr.GetLayerDefn()
    out = ogr.GetDriverByName("GPKG").CreateDataSource(dst)
    ol = out.CreateLayer("l", lyr.GetSpatialRef(), lyr.GetGeomType())
    names = [d.GetFieldDefn(i).GetName() for i in range(d.GetFieldCount())]
    keep = [n for n in names if n not in drop and n != field]
    for n in keep:
        ol.CreateField(d.GetFieldDefn(d.GetFieldIndex(n)))
    if keep_field:
        ol.CreateField(ogr.FieldDefn(field, ogr.OFTString))
    ol.StartTransaction()
    for f in lyr:
        g = ogr.Feature(ol.GetLayerDefn())
        g.SetGeometry(f.GetGeometryRef())
        for n in keep:
            g.SetField(n, f.GetField(n))
        if keep_field:
            g.SetField(field, value)
        ol.CreateFeature(g)
    ol.CommitTransaction()
    out = None

def first_value(src, field):
    ds = ogr.Open(src)  # kept while its layer is read (GDAL's Python rule)
    for f in ds.GetLayer(0):
        if f.IsFieldSetAndNotNull(field) and str(f.GetField(field)):
            return str(f.GetField(field))

def totals(path):
    return {(r["sector"], r["pollutant"]): r["baseline_t"] for r in csv.DictReader(open(path))}

bad = 0
for n, (sec, sample, key, field, value, drop) in enumerate(CASES):
    src = os.path.join(S, sample)
    v = value if value is not None else first_value(src, field)
    a, b = f"{T}/a{n}.gpkg", f"{T}/b{n}.gpkg"
    copy(src, a, field, v, True, drop)
    copy(src, b, field, v, False, drop)
    runs = []
    # purifiers in every restaurant need a class for those that had none: the same in both
    both = ["-default", f"catering.pur_class={first_value(src, 'pur_class')}"] if key == "purifier" else []
    for layer, extra in ((a, both), (b, both + ["-default", f"{sec}.{key}={v}"])):
        out = f"{layer[:-5]}_t.csv"
        p = subprocess.run([f"{BIN}/sp-inventory", "-q", "-f", "samples/factors.csv", f"-{sec}", layer,
                            "-map", f"{sec}.{key}={field}", *extra, "-totals", out, f"{layer[:-5]}_inv.gpkg"],
                           capture_output=True, text=True)
        runs.append((p.returncode, p.stderr.strip(), out))
    ok = runs[0][0] == 0 and runs[1][0] == 0 and totals(runs[0][2]) == totals(runs[1][2])
    if not ok:
        bad += 1
        print(f"FAIL: -default {sec}.{key}={v}: field run {runs[0][:2]}, default run {runs[1][:2]}")
    else:
        print(f"ok: -default {sec}.{key}={v} equals the field")
print(f"{len(CASES) - bad} of {len(CASES)} keys")
sys.exit(1 if bad else 0)
