#!/bin/sh
# End-to-end tests of sp-ledger: two years of the sample district (sp-inventory, the
# 2026 measures), the sample targets and park files; the ledger, the synergy and the
# park re-computed by an independent Python oracle from the totals CSVs and the park
# files; determinism; bad inputs (message, exit code, no output, old outputs intact).
. tests/cli/lib.sh
S=$SAMPLES
L=$BIN/sp-ledger
D=samples/ledger
INV="-boiler $S/boilers.shp -road $S/roads.gpkg -facility $S/facilities.shp"
$BIN/sp-inventory -q -f samples/factors.csv $INV -totals $T/t2023.csv $T/i2023.gpkg
$BIN/sp-inventory -q -f samples/factors.csv -m $D/measures_2026.txt $INV -totals $T/t2026.csv $T/i2026.gpkg
# 2020: the carbon intensity's base year (the sample's synthetic totals and park)
Y20T="-year 2020=$D/totals_2020.csv"
Y20="$Y20T -park 2020=$D/park_2020.txt"
ARGS="-bounds $D/bounds.txt -targets $D/targets.txt $Y20 -year 2023=$T/t2023.csv -year 2026=$T/t2026.csv -park 2023=$D/park_2023.txt -park 2026=$D/park_2026.txt"

$L $ARGS -synergy $T/syn.csv -svg $T/ledger.svg -park_csv $T/park_o.csv -degree $T/deg.csv $T/ledger.csv > $T/out 2> $T/err
check "sp-ledger run" test $? = 0
check "no warnings" test ! -s $T/err
check "the table printed: the NOx target and the park" sh -c "grep -q '^NOx -3,000 t' $T/out && grep -q '^park 2026: gross' $T/out"
check "ledger.csv: one row per target with the columns asked for" $PY -c "
import csv
r = list(csv.DictReader(open('$T/ledger.csv', encoding='utf-8')))
assert len(r) == 8, len(r)
for k in ('target', 'unit', 'goal', 'baseline', 'cumulative', 'share_reached', 'remaining', 'y2023', 'y2026'):
    assert k in r[0], k
assert r[0]['target'] == 'NOx -3,000 t' and r[0]['goal'] == '-3000' and r[0]['unit'] == 't'"
cat > $T/oracle.py <<'PYEOF'
# the ledger written again from its definitions (README.md, sp-ledger), not from the code
import csv, math, sys, shlex
T, D = sys.argv[1], sys.argv[2]
POLS = ['NOx', 'VOCs', 'PM2.5', 'PM10', 'SO2', 'CO', 'CO2', 'fume', 'CO2_scope2']
def totals(path):
    return {r['pollutant']: float(r['scenario_t']) for r in csv.DictReader(open(path)) if r['sector'] == 'total'}
def park(path):
    p = {'frac': [], 'dep': [], 'stack': {}, 'ox': 1.0, 'rec': 0.0, 'b0': 0.25, 'lmcf': 0.8, 'comp': 0.0, 'comp_ch4': 0.0, 'comp_n2o': 0.0, 'digt': 0.0}
    for line in open(path, encoding='utf-8'):
        w = shlex.split(line.split('#')[0]) if '"' in line else line.split('#')[0].split()
        if not w: continue
        k, a = w[0], w[1:]
        if k == 'year': p['year'] = int(a[0])
        elif k == 'gwp': p['ar6'] = a[0] == 'AR6'
        elif k in ('received', 'incinerated', 'incineration_ch4', 'incineration_n2o', 'flue_gas'): p[k] = float(a[0])
        elif k == 'oxidation': p['ox'] = float(a[0])
        elif k == 'fraction': p['frac'].append([float(a[i]) for i in (1, 3, 5, 7)])
        elif k == 'stack': p['stack'][a[0]] = float(a[1])
        elif k == 'digested': p['dig'] = float(a[0]) * float(a[2]) / 1e3; p['digt'] = float(a[0])
        elif k == 'composted':
            p['comp'] = float(a[0])
            for i in range(1, len(a), 2): p['comp_' + a[i]] = float(a[i + 1])
        elif k == 'biogas': p['bio'] = float(a[0]) * float(a[2]) * 0.716 * (1 - float(a[4])) / 1e3
        elif k == 'landfill':
            d = {'year': int(a[0]), 't': float(a[1]), 'docf': 0.5, 'mcf': 1, 'f': 0.5, 'ox': 0}
            for i in range(2, len(a), 2): d[a[i]] = float(a[i + 1])
            p['dep'].append(d)
        elif k == 'landfill_recovered': p['rec'] = float(a[0])
        elif k == 'leachate': p['leach'] = float(a[0]) * 0.25 * 0.8
        elif k == 'exported': p['mwh'], p['grid'] = float(a[0]), float(a[2])
        elif k in ('name', 'grid_basis'): pass
        elif k == 'capacity': p['cap'] = float(a[0])
        elif k == 'biogas_slip': p['slip_in'] = a[0] == 'included'
        else: sys.exit('oracle: unknown ' + k)
    co2 = sum(p['incinerated'] * s * dm * cf * fcf * p['ox'] * 44 / 12 for s, dm, cf, fcf in p['frac'])
    ch4 = p['incinerated'] * p.get('incineration_ch4', 0) / 1e6 + p.get('dig', 0) + (0 if p.get('slip_in') else p.get('bio', 0)) + p.get('leach', 0)
    ch4 += p['comp'] * p['comp_ch4'] / 1e3
    legacy = 0  # the landfill's CH4 from deposits before the baseline (2023)
    for d in p['dep']:
        n = p['year'] - d['year']
        c = d['t'] * d['doc'] * d['docf'] * d['mcf'] * math.exp(-d['k'] * (n - 1)) * (1 - math.exp(-d['k'])) * d['f'] * 16 / 12 * (1 - p['rec']) * (1 - d['ox'])
        ch4 += c
        legacy += c if d['year'] < 2023 else 0
    n2o = p['incinerated'] * p.get('incineration_n2o', 0) / 1e6 + p['comp'] * p['comp_n2o'] / 1e3
    gwp = (27.0, 273) if p.get('ar6') else (28, 265)
    gross = co2 + gwp[0] * ch4 + gwp[1] * n2o
    credit = p['mwh'] * p['grid']
    treated = p['incinerated'] + p['digt'] + p['comp']
    assert treated <= p['received'], (treated, p['received'])  # the sample balances
    E = {q: p['incinerated'] * p['flue_gas'] * v / 1e9 for q, v in p['stack'].items()}
    return {'gross': gross, 'net': gross - credit, 'per_tonne': gross / treated, 'power': p['mwh'] / 1e3, 'E': E, 'capacity': p.get('cap'),
            'per_tonne_ops': (gross - gwp[0] * legacy) / treated, 'legacy': gwp[0] * legacy, 'treated': treated,
            'gross_sar': co2 + 21 * ch4 + 310 * n2o}
years = {2020: totals(D + '/totals_2020.csv'), 2023: totals(T + '/t2023.csv'), 2026: totals(T + '/t2026.csv')}
parks = {y: park(D + '/park_%d.txt' % y) for y in years}
for y in years:
    for q, v in parks[y]['E'].items(): years[y][q] += v
tg = [shlex.split(l) for l in open(D + '/targets.txt', encoding='utf-8') if l.strip() and not l.startswith('#')]
gdp = {int(w[1]): float(w[2]) for w in tg if w[0] == 'gdp'}
pev = {w[1]: float(w[2]) for w in tg if w[0] == 'pev'}
bl = [shlex.split(l) for l in open(D + '/bounds.txt', encoding='utf-8') if l.strip() and not l.startswith('#')]
degs = {w[1]: w[2:] for w in tg + bl if w[0] == 'degree'}
def apeq(E): return sum(E.get(q, 0) * 1000 / pev[q] for q in pev)
def degree(name, y):  # u = (worst - v) / (worst - best) in 0-1; C, T, D as the CCD
    d = degs[name]; u = []
    for ind, worst, best in ((d[0], d[1], d[2]), (d[3], d[4], d[5])):
        u.append(min(1, max(0, (float(worst) - value(ind, y)) / (float(worst) - float(best)))))
    a = float(d[7]) if len(d) == 8 else 0.5
    C = 2 * math.sqrt(u[0] * u[1]) / (u[0] + u[1]) if u[0] + u[1] > 0 else 0
    return math.sqrt(C * (a * u[0] + (1 - a) * u[1])), u
def value(ind, y):
    if ind.startswith('degree('): return degree(ind[7:-1], y)[0]
    if ind == 'park.apeq_per_t': return apeq(parks[y]['E']) / parks[y]['treated']
    if ind == 'intensity(apeq)': return apeq(years[y]) / gdp[y]
    if ind.startswith('park.'): return parks[y][ind[5:]]
    inten = ind.startswith('intensity(')
    s = sum(years[y][q] for q in (ind[10:-1] if inten else ind).split('+'))
    return s / gdp[y] if inten else s
rows = {r['target']: r for r in csv.DictReader(open(T + '/ledger.csv', encoding='utf-8'))}
shares = {}
for w in tg:
    if w[0] != 'target': continue
    name, ind, goal, unit = w[1], w[2], float(w[3]), w[4]
    base = int(w[6]) if len(w) == 7 and w[5] == 'from' else 2023
    b, v = value(ind, base), value(ind, 2026)
    assert int(rows[name]['base_year']) == base, (name, rows[name]['base_year'])
    cum = 100 * (v / b - 1) if unit == '%' else v - b
    r = rows[name]
    for k, want in (('baseline', b), ('y2026', v), ('cumulative', cum), ('share_reached', cum / goal), ('remaining', goal - cum)):
        got = float(r[k])
        assert abs(got - want) <= 1e-7 * max(1, abs(want)), (name, k, got, want)
    shares[name] = cum / goal
# the park table: SAR's gross, the legacy, per tonne treated with and without it, and
# the per-tonne change's drivers summing to the change (and equal to their definitions)
pk = {int(r['year']): r for r in csv.DictReader(open(T + '/park_o.csv'))}
for y in (2020, 2023, 2026):
    for k, want in (('gross_sar_t_co2e', parks[y]['gross_sar']), ('legacy_t_co2e', parks[y]['legacy']),
                    ('treated_t', parks[y]['treated']), ('gross_per_t_treated', parks[y]['per_tonne']),
                    ('gross_per_t_treated_ops', parks[y]['per_tonne_ops'])):
        assert abs(float(pk[y][k]) - want) <= 1e-7 * abs(want), (y, k, pk[y][k], want)
a, b = parks[2023], parks[2026]
dr = {'per_t_from_tonnes': a['gross'] / b['treated'] - a['per_tonne'],
      'per_t_from_operations': ((b['gross'] - b['legacy']) - (a['gross'] - a['legacy'])) / b['treated'],
      'per_t_from_legacy': (b['legacy'] - a['legacy']) / b['treated']}
for k, want in dr.items():
    assert abs(float(pk[2026][k]) - want) <= 1e-9, (k, pk[2026][k], want)
assert abs(sum(dr.values()) - (b['per_tonne'] - a['per_tonne'])) < 1e-12
assert abs(float(pk[2026]['per_t_change']) - (b['per_tonne'] - a['per_tonne'])) < 1e-9
assert abs(float(pk[2026]['net_from_operations']) + float(pk[2026]['net_from_legacy']) + float(pk[2026]['net_from_credit']) - (b['net'] - a['net'])) < 1e-6 * a['net']
# degree.csv: each degree, each year
n = 0
for r in csv.DictReader(open(T + '/deg.csv', encoding='utf-8')):
    D_, u = degree(r['degree'], int(r['year']))
    assert abs(float(r['d']) - D_) < 1e-9 and abs(float(r['u1']) - u[0]) < 1e-9 and abs(float(r['u2']) - u[1]) < 1e-9, (r, D_, u)
    n += 1
assert n == 2 * 3, n
syn = list(csv.DictReader(open(T + '/syn.csv')))[0]
ap = lambda y: sum(years[y][q] * 1000 / pev[q] for q in pev)
c = lambda y: years[y]['CO2'] + years[y]['CO2_scope2']
da, dc = ap(2026) / ap(2023) - 1, c(2026) / c(2023) - 1
assert abs(float(syn['d_apeq_pct']) - 100 * da) < 1e-7 and abs(float(syn['d_co2_pct']) - 100 * dc) < 1e-7, syn
assert abs(dc) >= 0.01 and abs(float(syn['els']) - da / dc) < 1e-7 * abs(da / dc), (syn['els'], da / dc)
ccd = {w[1]: w[2:] for w in tg if w[0] == 'ccd'}
u1 = sum(min(1, max(0, shares[n])) for n in ccd['pollution']) / len(ccd['pollution'])
u2 = sum(min(1, max(0, shares[n])) for n in ccd['carbon']) / len(ccd['carbon'])
C = 2 * math.sqrt(u1 * u2) / (u1 + u2); Tt = float(ccd['alpha'][0]) * u1 + (1 - float(ccd['alpha'][0])) * u2
assert abs(float(syn['d']) - math.sqrt(C * Tt)) < 1e-9, (syn['d'], math.sqrt(C * Tt))
print('ok')
PYEOF
check "the ledger, the synergy and the park match the independent oracle" $PY $T/oracle.py $T $D
check "the chart is SVG with a panel per target" $PY -c "
import xml.etree.ElementTree as E
r = E.parse('$T/ledger.svg').getroot()
assert r.tag.endswith('svg') and len([e for e in r.iter() if e.tag.endswith('polyline')]) == 8"
$L -q $ARGS -synergy $T/syn2.csv -svg $T/ledger2.svg $T/ledger2.csv
check "same inputs, same bytes" sh -c "cmp $T/ledger.csv $T/ledger2.csv && cmp $T/syn.csv $T/syn2.csv && cmp $T/ledger.svg $T/ledger2.svg"

# one measure alone (heat pumps for the key units' gas): its elasticity against the
# baseline inventory, from the two totals files; the park per year, gross/credit/net
printf 'facility electrify gas 3.5\n' > $T/m_el.txt
$BIN/sp-inventory -q -f samples/factors.csv -m $T/m_el.txt $INV -totals $T/t_el.csv $T/i_el.gpkg
# -lco WRITE_BOM=YES: the CSVs (not the SVG) start with a UTF-8 byte-order mark for
# Chinese Excel, and otherwise hold the same bytes; GDAL still reads them
$L -q $ARGS -lco WRITE_BOM=YES -synergy $T/syn_bom.csv -svg $T/ledger_bom.svg $T/ledger_bom.csv
check "-lco WRITE_BOM=YES: BOM + the same CSV bytes, the SVG unchanged" $PY -c "
a, b = open('$T/ledger_bom.csv', 'rb').read(), open('$T/ledger2.csv', 'rb').read()
c, d = open('$T/syn_bom.csv', 'rb').read(), open('$T/syn2.csv', 'rb').read()
assert a[:3] == c[:3] == b'\xef\xbb\xbf' and a[3:] == b and c[3:] == d
assert open('$T/ledger_bom.svg', 'rb').read() == open('$T/ledger2.svg', 'rb').read()
from osgeo import ogr
ds = ogr.Open('$T/ledger_bom.csv'); l = ds.GetLayer(0)
assert l.GetLayerDefn().GetFieldDefn(0).GetName() == 'target', l.GetLayerDefn().GetFieldDefn(0).GetName()"
expect_fail "-lco other than WRITE_BOM" 2 "-lco SEPARATOR=TAB: onemap's CSV takes WRITE_BOM=YES.NO only" $T/sep.csv \
  $L -q $ARGS -lco SEPARATOR=TAB $T/sep.csv
$L -q $ARGS -measure "heat pumps=$T/t_el.csv" -synergy $T/syn3.csv -park_csv $T/park.csv $T/ledger3.csv
sed 's/^els_threshold 1%/els_threshold 0.1%/' $D/targets.txt > $T/targets_01.txt
$L -q -targets $T/targets_01.txt $Y20T -year 2023=$T/t2023.csv -measure "heat pumps=$T/t_el.csv" -synergy $T/syn4.csv $T/ledger4.csv
check "-measure: its elasticity from its totals and the baseline's; under 1 % of CO2 no elasticity" $PY -c "
import csv
def tot(p): return {r['pollutant']: float(r['scenario_t']) for r in csv.DictReader(open(p)) if r['sector'] == 'total'}
b, m = tot('$T/t2023.csv'), tot('$T/t_el.csv')
pev = {'NOx': 0.95, 'SO2': 0.95, 'PM2.5': 2.18, 'VOCs': 0.95}
ap = lambda e: sum(e[q] * 1000 / pev[q] for q in pev)
co2 = lambda e: e['CO2'] + e['CO2_scope2']
da, dc = ap(m) / ap(b) - 1, co2(m) / co2(b) - 1
assert -0.01 < dc < -0.001 and da < 0, (da, dc)
row = lambda f: [r for r in csv.DictReader(open(f, encoding='utf-8')) if r['case'] == 'heat pumps'][0]
r3, r4 = row('$T/syn3.csv'), row('$T/syn4.csv')
assert r3['els'] == '' and 'carbon-neutral' in r3['els_note'], r3
assert abs(float(r4['els']) - da / dc) < 1e-7 * abs(da / dc) and 'synergy' in r4['els_note'], (r4, da / dc)"
check "-park_csv: gross, credit and net apart, net = gross - credit, the GWP set" $PY -c "
import csv
r = list(csv.DictReader(open('$T/park.csv')))
assert [x['year'] for x in r] == ['2020', '2023', '2026'] and all(x['gwp'] == 'AR6' for x in r)
for x in r:
    assert abs(float(x['net_t_co2e']) - (float(x['gross_t_co2e']) - float(x['credit_t_co2']))) < 1e-6 * float(x['gross_t_co2e'])
    assert abs(float(x['credit_t_co2']) - {'2020': 400000, '2023': 450000, '2026': 560000}[x['year']] * 0.5366) < 1e-6"

# Monte-Carlo intervals of the cumulative changes: both years drawn with the same seed;
# the interval re-computed in Python (numpy's linear percentiles = type 7)
$BIN/sp-inventory -q -f samples/factors.csv $INV -mc 100 -seed 5 -mc_draws $T/d2023.csv $T/di2023.gpkg
$BIN/sp-inventory -q -f samples/factors.csv -m $D/measures_2026.txt $INV -mc 100 -seed 5 -mc_draws $T/d2026.csv $T/di2026.gpkg
$L -q $ARGS -draws 2023=$T/d2023.csv -draws 2026=$T/d2026.csv $T/ledger_mc.csv
check "-draws: the NOx cumulative's 95 % interval from the paired draws, and it holds the central value" $PY -c "
import csv, numpy as np
def draws(p):
    v = {}
    for r in csv.DictReader(open(p)):
        if r['pollutant'] == 'NOx': v[int(r['draw'])] = float(r['scenario_t'])
    return np.array([v[k] for k in sorted(v)])
# the park's NOx (fixed) cancels in the difference only if equal: add each year's
park = {}
for r in csv.DictReader(open('$T/park.csv')): park[r['year']] = float(r['nox_t'])
d = (draws('$T/d2026.csv') + park['2026']) - (draws('$T/d2023.csv') + park['2023'])
lo, hi = np.percentile(d, [2.5, 97.5])
row = [r for r in csv.DictReader(open('$T/ledger_mc.csv', encoding='utf-8')) if r['target'] == 'NOx -3,000 t'][0]
assert abs(float(row['cumulative_lo95']) - lo) < 1e-6 * abs(lo) and abs(float(row['cumulative_hi95']) - hi) < 1e-6 * abs(hi), (row, lo, hi)
assert lo < float(row['cumulative']) < hi, (lo, row['cumulative'], hi)
park_row = [r for r in csv.DictReader(open('$T/ledger_mc.csv', encoding='utf-8')) if r['target'].startswith('park')][0]
assert park_row['cumulative_lo95'] == '', park_row"

# bad inputs: the message, the exit code, no output, an old output intact
echo old > $T/keep.csv
bad_run() { # DESC CODE MSG ARGS...: the run fails and leaves keep.csv and no synergy file
  _d=$1; _c=$2; _m=$3; shift 3
  expect_fail "$_d" "$_c" "$_m" $T/bsyn.csv $L "$@" -synergy $T/bsyn.csv $T/keep.csv
  check "  $_d: the old output is intact" test "$(cat $T/keep.csv)" = old
}
printf 'baseline 2023\ntarget x NOz -3 t\n' > $T/bad_t.txt
bad_run "a target naming an unknown pollutant" 1 "bad_t.txt:2: unknown pollutant 'NOz'" -targets $T/bad_t.txt -year 2023=$T/t2023.csv
sed 's/^fraction food     0.35/fraction food     0.25/' $D/park_2023.txt > $T/bad_p.txt
bad_run "park shares not summing to 1" 1 "shares sum to 0.9, not 1" -targets $D/targets.txt -year 2023=$T/t2023.csv -park 2023=$T/bad_p.txt
bad_run "a park file for another year" 1 "describes 2026, not 2023" -targets $D/targets.txt -year 2023=$T/t2023.csv -park 2023=$D/park_2026.txt
bad_run "a year given twice" 2 "-year 2023 is given twice" -targets $D/targets.txt -year 2023=$T/t2023.csv -year 2023=$T/t2026.csv
bad_run "a park for some years only" 2 "no park file for 2026: give one for every -year" -targets $D/targets.txt -year 2023=$T/t2023.csv -year 2026=$T/t2026.csv -park 2023=$D/park_2023.txt
printf 'code,value\nS001,2\n' > $T/notot.csv
bad_run "a table that is not sp-inventory totals" 1 "is not an sp-inventory totals table" -targets $D/targets.txt -year 2023=$T/notot.csv
bad_run "-year without YEAR=" 2 "-year 't2023.csv': want YEAR=FILE" -targets $D/targets.txt -year t2023.csv
bad_run "no -targets" 2 "-targets FILE is required" -year 2023=$T/t2023.csv
bad_run "-draws that are not draws" 1 "is not an sp-inventory -mc_draws table" -targets $D/targets.txt -year 2023=$T/t2023.csv -draws 2023=$T/t2023.csv
bad_run "-measure without NAME=" 2 "-measure 'x': want NAME=TOTALS.csv" -targets $D/targets.txt $Y20T -year 2023=$T/t2023.csv -measure x
# input the ledger used to take silently
sed 's/^total,NOx,\([0-9]*\),\([0-9.]*\),\([0-9.]*\),/total,NOx,\1,\2,-\3,/' $T/t2023.csv > $T/neg.csv
awk -F, 'BEGIN{OFS=","} NR==1{print;next} {print} $1=="total" && $2=="NOx"{print}' $T/t2023.csv > $T/dup.csv
bad_run "a negative total" 1 "neg.csv', row [0-9]+: a negative total" -targets $D/targets.txt -year 2023=$T/neg.csv -year 2026=$T/t2026.csv
bad_run "a pollutant's total given twice" 1 "dup.csv', row [0-9]+: this pollutant's total is given twice" -targets $D/targets.txt -year 2023=$T/dup.csv -year 2026=$T/t2026.csv
sed 's/^received .*/received 1e300/' $D/park_2023.txt > $T/huge_p.txt
bad_run "received 1e300" 1 "huge_p.txt:[0-9]+: tonnes are 0 to 10\^9 a year" -targets $D/targets.txt -year 2023=$T/t2023.csv -park 2023=$T/huge_p.txt
{ cat $D/park_2023.txt; echo 'received 5'; } > $T/twice_p.txt
bad_run "a park directive given twice" 1 "twice_p.txt:[0-9]+: 'received' is given twice" -targets $D/targets.txt -year 2023=$T/t2023.csv -park 2023=$T/twice_p.txt
$BIN/sp-inventory -q -f samples/factors.csv $INV -mc 50 -seed 5 -mc_draws $T/d50.csv $T/di50.gpkg
bad_run "-draws of another N" 1 "-draws: 2023 has 100 draws and 2026 has 50" -targets $D/targets.txt -year 2023=$T/t2023.csv -year 2026=$T/t2026.csv -draws 2023=$T/d2023.csv -draws 2026=$T/d50.csv
$BIN/sp-inventory -q -f samples/factors.csv -m $D/measures_2026.txt $INV -mc 100 -seed 6 -mc_draws $T/d2026s6.csv $T/di2026s6.gpkg
bad_run "-draws of another seed" 1 "-draws: 2023 was drawn with -seed 5 and 2026 with -seed 6" -targets $D/targets.txt -year 2023=$T/t2023.csv -year 2026=$T/t2026.csv -draws 2023=$T/d2023.csv -draws 2026=$T/d2026s6.csv
bad_run "-draws missing for a year" 2 "-draws: none for 2026" -targets $D/targets.txt -year 2023=$T/t2023.csv -year 2026=$T/t2026.csv -draws 2023=$T/d2023.csv
# the base year without GDP: said so, not "no year after the base year"
grep -v '^gdp 2020' $D/targets.txt > $T/nogdp.txt
$L -q -targets $T/nogdp.txt $Y20 -year 2023=$T/t2023.csv -year 2026=$T/t2026.csv -park 2023=$D/park_2023.txt -park 2026=$D/park_2026.txt $T/nogdp.csv 2>/dev/null
check "a year without GDP names it, not 'no year after the base year'" $PY -c "
import csv
r = [r for r in csv.DictReader(open('$T/nogdp.csv', encoding='utf-8')) if r['target'].startswith('carbon intensity')][0]
assert 'no GDP for a year' in ' '.join(r.values()), r"
# nothing treated: the per-tonne target says why it has no value
sed -e 's/^incinerated .*/incinerated 0/' -e 's/^digested [0-9]*/digested 0/' -e 's/^composted [0-9]*/composted 0/' $D/park_2026.txt > $T/zero_p.txt
$L -q -targets $D/targets.txt $Y20 -year 2023=$T/t2023.csv -year 2026=$T/t2026.csv -park 2023=$D/park_2023.txt -park 2026=$T/zero_p.txt $T/zero.csv 2>/dev/null
check "nothing treated: the per-tonne target says the park treats no waste (no nan)" $PY -c "
import csv
r = [r for r in csv.DictReader(open('$T/zero.csv', encoding='utf-8')) if r['target'].startswith('park carbon per')][0]
assert 'treats no waste' in ' '.join(r.values()) and 'nan' not in ' '.join(r.values()).lower(), r"
# the mass balance: more treated than received (and drawn from stock) is refused with the
# figures; drawing the difference from stock makes it whole
sed 's/^received .*/received 1200000/' $D/park_2023.txt > $T/mass_p.txt
bad_run "more treated than received" 1 "mass_p.txt: 1290000 t treated \\(incinerated 876000 \\+ digested 400000 \\+ composted 14000 \\+ landfilled 0\\) is more than the 1200000 t received plus 0 t drawn from stock" -targets $D/targets.txt $Y20 -year 2023=$T/t2023.csv -year 2026=$T/t2026.csv -park 2023=$T/mass_p.txt -park 2026=$D/park_2026.txt
{ cat $T/mass_p.txt; echo 'stock_drawn 90000'; } > $T/stock_p.txt
check "  with stock_drawn 90000 it balances" $L -q -targets $D/targets.txt $Y20 -year 2023=$T/t2023.csv -year 2026=$T/t2026.csv -park 2023=$T/stock_p.txt -park 2026=$D/park_2026.txt $T/stock.csv
# a target counting from a year with no inventory is an error, not an empty row
bad_run "a target's base year without its inventory" 2 "target 'carbon intensity -18 %' counts from 2020, and no -year 2020=TOTALS.csv is given" -targets $D/targets.txt -year 2023=$T/t2023.csv -year 2026=$T/t2026.csv
# a goal as large as the inventory: warned (the sample once had ~2,800 t of NOx against the pilot's -3,000 t; here -9,000 t against ~4,000)
printf 'baseline 2023\ntarget "NOx -9,000 t" NOx -9000 t\n' > $T/big9_t.txt
$L -q -targets $T/big9_t.txt -year 2023=$T/t2023.csv -year 2026=$T/t2026.csv $T/big.csv 2> $T/big.err
printf 'baseline 2023\ntarget "NOx -3,000 t" NOx -3000 t\n' > $T/big_t.txt
check "a reduction goal as large as the inventory is warned about" grep -q "target 'NOx -9,000 t': the goal (-9000 t) is as large as the whole 2023 inventory (.* t): .* must be missing sources" $T/big.err
# degrees with fixed bounds: a bounds file holds degree lines only; a target names a
# declared degree; the same bounds give another city (the sample's totals halved, its GDP
# alike) its own degree by the same formula, and moving the degree line from the bounds
# file into the targets file changes nothing
printf 'degree x apeq 1 0 CO2 1 0\nbaseline 2023\n' > $T/bad_b.txt
bad_run "a bounds file with other lines" 1 "bad_b.txt:2: a bounds file holds 'degree' lines only, not 'baseline'" $ARGS -bounds $T/bad_b.txt
printf 'baseline 2023\ntarget "d" degree(nosuch) 5 %%\n' > $T/bad_d.txt
bad_run "a target naming an unknown degree" 1 "bad_d.txt:2: degree\\(nosuch\\): no such degree" -targets $T/bad_d.txt -year 2023=$T/t2023.csv
printf 'degree x apeq 2 2 CO2 1 0\n' > $T/bad_w.txt
bad_run "a degree with equal bounds" 1 "bad_w.txt:1: the bounds of apeq are two different numbers" $ARGS -bounds $T/bad_w.txt
awk -F, 'BEGIN{OFS=","} NR==1 || $1!="total" {print; next} {$4=$4/2; $5=$5/2; print}' $T/t2023.csv > $T/city2.csv
printf 'baseline 2023\ngdp 2023 8000\npev NOx 0.95\npev SO2 0.95\npev PM2.5 2.18\npev VOCs 0.95\ntarget "NOx -10 %%" NOx -10 %%\n' > $T/city2_t.txt
$L -q -bounds $D/bounds.txt -targets $T/city2_t.txt -year 2023=$T/city2.csv -degree $T/city2_deg.csv $T/city2.csv.out
{ grep '^degree' $D/bounds.txt; cat $T/city2_t.txt; } > $T/city2_inline.txt
$L -q -targets $T/city2_inline.txt -year 2023=$T/city2.csv -degree $T/city2_deg2.csv $T/city2b.csv.out
check "another city's degree from the shared bounds: the formula on its own figures, bounds file or inline alike" $PY -c "
import csv, math, shlex
tot = {r['pollutant']: float(r['scenario_t']) for r in csv.DictReader(open('$T/city2.csv')) if r['sector'] == 'total'}
w = [shlex.split(l) for l in open('$D/bounds.txt', encoding='utf-8') if l.startswith('degree')][0]
pev = {'NOx': 0.95, 'SO2': 0.95, 'PM2.5': 2.18, 'VOCs': 0.95}
lv = [sum(tot[q] * 1000 / pev[q] for q in pev) / 8000, (tot['CO2'] + tot['CO2_scope2']) / 8000]
u = [min(1, max(0, (float(w[3 + 3 * k]) - lv[k]) / (float(w[3 + 3 * k]) - float(w[4 + 3 * k])))) for k in range(2)]
C = 2 * math.sqrt(u[0] * u[1]) / (u[0] + u[1]); D = math.sqrt(C * (u[0] + u[1]) / 2)
r = list(csv.DictReader(open('$T/city2_deg.csv', encoding='utf-8')))
assert len(r) == 1 and abs(float(r[0]['d']) - D) < 1e-9 and abs(float(r[0]['pollution_level']) - lv[0]) < 1e-6 * lv[0], (r, D, lv)
assert open('$T/city2_deg.csv').read() == open('$T/city2_deg2.csv').read()"

# declared choices: the biogas slip inside the digestion default is reported, not added;
# the credit's basis is printed; a park without tonnes received is warned about
sed 's/^biogas_slip adds.*/biogas_slip included/' $D/park_2026.txt > $T/slip_p.txt
grep -v '^received' $D/park_2026.txt > $T/norec_p.txt
$L -q $ARGS -park_csv $T/park_a.csv $T/slip_a.csv
$L -q -bounds $D/bounds.txt -targets $D/targets.txt $Y20 -year 2023=$T/t2023.csv -year 2026=$T/t2026.csv -park 2023=$D/park_2023.txt -park 2026=$T/slip_p.txt -park_csv $T/park_b.csv $T/slip_b.csv
check "biogas_slip included: its CH4 reported, not added (CH4 lower by exactly it); the credit's basis printed" $PY -c "
import csv
a = {r['year']: r for r in csv.DictReader(open('$T/park_a.csv'))}['2026']
b = {r['year']: r for r in csv.DictReader(open('$T/park_b.csv'))}['2026']
assert abs(float(a['ch4_t']) - float(b['ch4_t']) - float(b['ch4_biogas_t'])) < 1e-6 and float(b['ch4_biogas_t']) > 0
assert a['biogas_slip'] == 'added' and b['biogas_slip'] == 'included in the digestion default'
assert a['credit_basis'].startswith('2022 national grid average')"
$L -q -bounds $D/bounds.txt -targets $D/targets.txt $Y20 -year 2023=$T/t2023.csv -year 2026=$T/t2026.csv -park 2023=$D/park_2023.txt -park 2026=$T/norec_p.txt $T/norec.csv 2> $T/norec.err
check "a park file without 'received': the mass balance cannot be checked, said" grep -q "park 2026: no 'received' line: the mass balance" $T/norec.err

# the park's green power as a capacity (park.capacity): a park file without it says so
grep -v '^capacity' $D/park_2026.txt > $T/nocap_p.txt
$L -q -bounds $D/bounds.txt -targets $D/targets.txt $Y20 -year 2023=$T/t2023.csv -year 2026=$T/t2026.csv -park 2023=$D/park_2023.txt -park 2026=$T/nocap_p.txt $T/nocap.csv 2>/dev/null
check "park.capacity: +120 GWh from the files' capacity lines; a file without one names it" $PY -c "
import csv
a = [r for r in csv.DictReader(open('$T/ledger.csv', encoding='utf-8')) if r['indicator'] == 'park.capacity'][0]
assert float(a['cumulative']) == 120 and a['unit'] == 'GWh', a
b = [r for r in csv.DictReader(open('$T/nocap.csv', encoding='utf-8')) if r['indicator'] == 'park.capacity'][0]
assert 'no green power supply capacity (capacity GWH)' in b['note'] and b['cumulative'] == '', b"

# the two readings of 累计: the last year against the base, or each year's summed
cp $T/t2023.csv $T/t2024.csv; cp $T/t2026.csv $T/t2025.csv
YS="-year 2023=$T/t2023.csv -year 2024=$T/t2024.csv -year 2025=$T/t2025.csv -year 2026=$T/t2026.csv"
$L -q -targets $T/big_t.txt $YS $T/last.csv 2>/dev/null
{ cat $T/big_t.txt; echo 'cumulative sum'; } > $T/sum_t.txt
$L -q -targets $T/sum_t.txt $YS $T/sum.csv 2>/dev/null
check "cumulative last|sum: both columns; share and remaining count the one chosen" $PY -c "
import csv
tot = lambda p: [float(r['scenario_t']) for r in csv.DictReader(open(p)) if r['sector'] == 'total' and r['pollutant'] == 'NOx'][0]
d = tot('$T/t2026.csv') - tot('$T/t2023.csv')
a = list(csv.DictReader(open('$T/last.csv', encoding='utf-8')))[0]
b = list(csv.DictReader(open('$T/sum.csv', encoding='utf-8')))[0]
for r in (a, b):  # 2024: no change, 2025 and 2026: d each
    assert abs(float(r['cumulative']) - d) < 1e-6 and abs(float(r['cumulative_sum']) - 2 * d) < 1e-6, r
assert abs(float(a['share_reached']) - d / -3000) < 1e-9 and a['counted_as'] == 'last year vs base', a
assert abs(float(b['share_reached']) - 2 * d / -3000) < 1e-9 and b['counted_as'] == 'sum of each year vs base', b
assert abs(float(b['remaining']) - (-3000 - 2 * d)) < 1e-6, b"
end
