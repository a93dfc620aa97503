"""Independent re-computation of an sp-inventory GeoPackage from the factor table and
the activity registries, with GDAL's Python bindings (not libspatial): every source's
emissions must match to 1e-9 relative. Usage: inventory_oracle.py FACTORS INV.gpkg [MET.csv]
(baseline only; MET.csv: the run had -climate MET.csv). Prints the number of sources checked."""
import csv, math, sys
from osgeo import ogr, osr

POL = ['NOx', 'VOCs', 'PM2.5', 'PM10', 'SO2', 'CO', 'CO2', 'fume', 'CO2_scope2', 'TSP']
COL = ['nox', 'vocs', 'pm25', 'pm10', 'so2', 'co', 'co2', 'fume', 'co2_s2', 'tsp']
rows, units = {}, {}
with open(sys.argv[1], encoding='utf-8') as f:
    for r in csv.DictReader(l for l in f if not l.startswith('#')):
        rows[(r['sector'], r['class'], r['pollutant'])] = float(r['value'])
        units[(r['sector'], r['class'], r['pollutant'])] = r['unit']
# TSP: a sector and class without a TSP row take their PM10 row (every particle of exhaust,
# combustion and cooking is below 10 um)
for (sec, cls, pol) in list(rows):
    if pol == 'PM10' and (sec, cls, 'TSP') not in rows:
        rows[(sec, cls, 'TSP')] = rows[(sec, cls, pol)]; units[(sec, cls, 'TSP')] = units[(sec, cls, pol)]
def ef(sec, cls, pol, star=None):
    for k in ((sec, cls, pol), (sec, star, pol)):
        if k[1] is None or k not in rows: continue
        x, u = rows[k], units[k]
        if u in ('g/km-limit', 'g/kWh-limit'):  # a type-approval limit: x in-use (x work)
            v = cls.split('/')[0]
            x *= rows.get(('road', v + '/in_use', pol), rows.get(('road', v + '/in_use', '*')))
            if u == 'g/kWh-limit': x *= rows[('road', v + '/work', '*')]
        return x
    return 0.0

# -climate: the guideline's exhaust corrections, hour by hour (T < 10 cold, T > 25 hot, RH
# < 50 dry, > 50 humid, T > 24 with dry/humid: hot_dry/hot_humid), RH from the dew point
# (Magnus, Alduchov and Eskridge 1996), the vehicle's exhaust x the mean of the products
hours = []
if len(sys.argv) > 3:
    for r in csv.DictReader(open(sys.argv[3], encoding='utf-8')):
        try:
            t, td = float(r['TEMP']), float(r['DEWP'])
        except ValueError:
            continue
        rh = min(100.0, 100 * math.exp(17.625 * td / (243.04 + td)) / math.exp(17.625 * t / (243.04 + t)))
        conds = [c for c, ok in (('cold', t < 10), ('hot', t > 25), ('dry', rh < 50), ('humid', rh > 50),
                                 ('hot_dry', t > 24 and rh < 50), ('hot_humid', t > 24 and rh > 50)) if ok]
        hours.append(conds)
import functools
@functools.lru_cache(maxsize=None)
def climate(v, p):
    if not hours: return 1.0
    def fac(c): return rows.get(('road', f'{v}/climate:{c}', p), rows.get(('road', f'{v}/climate:{c}', '*'), 1.0))
    return sum(math.prod(fac(c) for c in conds) for conds in hours) / len(hours)

ds = ogr.Open(sys.argv[2])
worst, n = 0.0, 0
def compare(expect, feat, what):
    global worst, n
    n += 1
    for p, c in zip(POL, COL):
        got, e = feat.GetField(c), expect[p]
        err = abs(got - e) / max(abs(e), 1e-12)
        worst = max(worst, err)
        if err > 1e-9:
            sys.exit(f"{what} fid {feat.GetFID()} {p}: inventory {got!r}, oracle {e!r}")

for f in ds.GetLayerByName('catering') or []:
    util = rows.get(('catering', 'activity', 'utilisation'), 1.0)  # absent: every open hour
    act = f['stoves'] * f['hours'] * f['days'] * util
    gas = act * ef('catering', 'gas', 'gas_use')
    E = {}
    for p in POL:
        rem = ef('catering', 'removal:' + f['pur_class'], p) if f['purifier'] == 1 else 0.0
        E[p] = (act * ef('catering', f['cuisine'], p) * (1 - rem) + gas * ef('catering', 'combustion', p)) / 1e6
    compare(E, f, 'catering')
for f in ds.GetLayerByName('boiler') or []:
    gas = f['gas_10k'] * 1e4
    compare({p: gas * ef('boiler', f['nox_class'], p, '*') / 1e6 for p in POL}, f, 'boiler')
road = ds.GetLayerByName('road')
if road is not None:
    veh = sorted({k[1].split('/')[0] for k in rows if k[0] == 'fleet'},
                 key=lambda v: min(i for i, k in enumerate(rows) if k[0] == 'fleet' and k[1].startswith(v + '/')))
    bins = [(tuple(map(float, k[1][6:].split('-'))), k) for k in rows if k[0] == 'road' and k[1].startswith('speed:')]
    def fld(f, name):  # a field's value, or None when the layer or the feature has none
        i = f.GetFieldIndex(name)
        return f.GetField(i) if i >= 0 and f.IsFieldSetAndNotNull(i) else None
    for f in road:
        g = f.GetGeometryRef()
        # a link's own fields win; else its road class's rows (highway=..., '*' without one)
        cls = fld(f, 'highway') or '*'
        aadt = fld(f, 'aadt')
        aadt = rows[('roadclass', cls, 'aadt')] if aadt is None else aadt
        speed = fld(f, 'speed')
        speed = rows[('roadclass', cls, 'speed')] if speed is None else speed
        vkt = g.Length() / 1000 * aadt * 365
        if f.GetFieldIndex('f_' + veh[0]) >= 0:
            shares = [f['f_' + v] for v in veh]
        else:
            shares = [rows.get(('roadclass', cls + '/' + v, 'share'), 0.0) for v in veh]
        tot = sum(shares)
        E = {}
        for p in POL:
            corr = 1.0
            for (lo, hi), k in bins:
                if lo <= speed < hi:
                    corr = rows.get(('road', k[1], p), rows.get(('road', k[1], '*'), 1.0))
            e = 0.0
            for v, s in zip(veh, shares):
                ex = 0.0
                for k, mix in rows.items():
                    if k[0] == 'fleet' and k[1].startswith(v + '/'):
                        st = k[1].split('/')[1]
                        x = ef('road', k[1], p, None if st == 'NEV' else v + '/*')
                        ex += mix * x
                e += s / tot * (corr * climate(v, p) * ex + ef('road', v + '/nonexhaust', p))
            E[p] = vkt * e / 1e6
        compare(E, f, 'road')
area = ds.GetLayerByName('area')
if area is not None:
    for f in area:
        g = f.GetGeometryRef().Clone()
        src = g.GetSpatialReference()
        if src.IsGeographic():
            utm = osr.SpatialReference(); utm.ImportFromEPSG(32650)
            utm.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
            src.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
            g.Transform(osr.CoordinateTransformation(src, utm))
        a = g.GetArea()
        # the site's dust controls (a 'controls' field), else the rows marked required;
        # each keeps (1 - efficiency) of its pollutant ('*': PM10 and PM2.5)
        names = {k[1] for k in rows if k[0] == 'dustcontrol'}
        ctl = None
        if f.GetFieldIndex('controls') >= 0 and f.IsFieldSetAndNotNull('controls') and f['controls'].strip(' ;,'):
            ctl = [c for c in f['controls'].replace(';', ' ').replace(',', ' ').split() if c != 'none']
        if ctl is None:
            ctl = [c for c in names if rows.get(('dustcontrol', c, 'required')) == 1]
        def keep(p):
            k = 1.0
            for c in ctl:
                e = rows.get(('dustcontrol', c, p), rows.get(('dustcontrol', c, '*'), 0.0) if p in ('PM10', 'PM2.5', 'TSP') else 0.0)
                k *= 1 - e
            return k
        compare({p: a * f['months'] * ef('area', f['stage'], p, '*') * keep(p) for p in POL}, f, 'area')
# key energy-using units: use per carrier x its factor (g/kg for fuels in tonnes)
CARRIERS = [('gas', 'gas_m3', 1), ('electricity', 'elec_kwh', 1), ('heat', 'heat_gj', 1),
            ('diesel', 'diesel_t', 1000), ('coal', 'coal_t', 1000), ('lpg', 'lpg_t', 1000)]
for f in ds.GetLayerByName('facility') or []:
    names = [f.GetFieldDefnRef(i).GetName() for i in range(f.GetFieldCount())]
    use = {c: (f[fld] or 0) * k if fld in names else 0 for c, fld, k in CARRIERS}
    compare({p: sum(use[c] * ef('facility', c, p) for c in use) / 1e6 for p in POL}, f, 'facility')
# petrol stations: litres sold (t / density) x the class's mg/L
for f in ds.GetLayerByName('petrol') or []:
    litres = f['gasoline_t'] / rows[('petrol', 'gasoline', 'density')] * 1000
    compare({p: litres * ef('petrol', f['vr_class'], p) / 1e9 for p in POL}, f, 'petrol')
# non-road machinery: kW x hours x load (field or table) x the stage's g/kWh
for f in ds.GetLayerByName('nonroad') or []:
    names = [f.GetFieldDefnRef(i).GetName() for i in range(f.GetFieldCount())]
    load = f['load'] if 'load' in names and f['load'] is not None else rows[('nonroad', 'load', 'factor')]
    kwh = f['kw'] * f['hours'] * load
    compare({p: kwh * ef('nonroad', f['stage'], p) / 1e6 for p in POL}, f, 'nonroad')
# auto-repair shops: kg x VOC fraction (field or table) x (1 - net removal of the class)
for f in ds.GetLayerByName('autorepair') or []:
    names = [f.GetFieldDefnRef(i).GetName() for i in range(f.GetFieldCount())]
    voc = f['voc'] if 'voc' in names and f['voc'] is not None else rows[('autorepair', 'coating', 'voc_content')]
    E = {p: 0.0 for p in POL}
    E['VOCs'] = f['coating_kg'] * voc * (1 - ef('autorepair', f['control'], 'VOCs')) / 1000
    compare(E, f, 'autorepair')
print(n, worst)
