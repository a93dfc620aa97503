#!/bin/sh
# The demo's headline (samples/street_change.awk): the PM2.5 change per street is read
# from sp-zonal's table by column name. Oracle: figures counted by hand on a tiny table
# whose 8th column is a decoy (the demo once read column 8, the scenario NO2).
. tests/cli/lib.sh
A="awk -f samples/street_change.awk"
printf 'code,name,a,b,c,d,e,c_scen_no2_mean,f,c_delta_pm25_mean,g\n' > $T/s.csv
printf '1,x,0,0,0,0,0,9.5,0,0.25,0\n2,y,0,0,0,0,0,8.0,0,1.00,0\n3,z,0,0,0,0,0,7.0,0,2.75,0\n' >> $T/s.csv
$A -v col=c_delta_pm25_mean $T/s.csv > $T/o 2> $T/e
check "summary exits 0" test $? = 0
# by hand: min 0.25, max 2.75, mean (0.25 + 1 + 2.75) / 3 = 1.33, 2 streets >= 1 (1.00 counts)
check "range and mean by name" grep -q 'PM2.5 change 0.25 to 2.75 ug/m3, mean 1.33;' $T/o
check "streets reaching 1 ug/m3 (>= 1 counts)" grep -q '^  2 of 3 streets improve' $T/o
check "nothing on stderr" test ! -s $T/e
expect_fail "missing column" 1 "no column 'c_delta_pm25_mean'" "" \
  $A -v col=c_delta_pm25_mean tests/cli/score_emissions.spec
printf 'code,c_delta_pm25_mean\n1,nan\n' > $T/n.csv
expect_fail "a value that is not a number" 1 "line 2: 'nan' is not a number" "" $A -v col=c_delta_pm25_mean $T/n.csv
printf 'code,c_delta_pm25_mean\n' > $T/h.csv
expect_fail "no street" 1 "no street in" "" $A -v col=c_delta_pm25_mean $T/h.csv
check "the demo reads the PM2.5 change by name" grep -q 'col=c_delta_pm25_mean -f samples/street_change.awk' samples/demo.sh
# the TSP lines (samples/street_top.awk): the largest streets of a named column, by hand
# on a table whose column 3 is a decoy: c 0.5 < a 1.25 < d 2 (tie with e, first kept) < b 3
B="awk -f samples/street_top.awk"
printf 'code,name,d_scen_tsp_mean,d_delta_tsp_mean\n1,a,9,1.25\n2,b,0,3\n3,c,0,0.5\n4,d,0,2\n5,e,0,2\n' > $T/t.csv
$B -v col=d_delta_tsp_mean -v label=TSP -v n=3 $T/t.csv > $T/to 2> $T/te
check "street_top: the 3 largest by name, ties in the table's order, and the range" grep -qx '  TSP: 0.5 to 3 over 5 streets; largest: b 3, d 2, e 2' $T/to
check "  nothing on stderr" test ! -s $T/te
expect_fail "street_top: a missing column" 1 "street_top.awk: no column 'd_base_tsp_mean'" "" $B -v col=d_base_tsp_mean -v label=x $T/t.csv
printf 'code,d_delta_tsp_mean\n1,2\n' > $T/nn.csv
expect_fail "street_top: no name column" 1 "street_top.awk: no column 'name'" "" $B -v col=d_delta_tsp_mean -v label=x $T/nn.csv
check "the demo reads the TSP figures by name" grep -q 'col=d_delta_tsp_mean .*-f samples/street_top.awk' samples/demo.sh
# the monthly ranking (samples/street_months.awk) on a hand table of two sectors and two
# streets, the columns out of order and a decoy: street 1 totals 1+2=3 in January and 5+0
# in February (worst, led by a); street 2 totals 4 in January (worst, led by b) and 1 in
# February; January ranks 2 above 1, February 1 above 2
python3 - "$T/m.csv" <<'PYEOF'
import sys
cols = ['name', 'code', 'decoy'] + ['%s_base_pm25_month%02d_mean' % (s, m) for s in ('b', 'a') for m in range(12, 0, -1)]
v = {('1', 'a', 1): 1, ('1', 'b', 1): 2, ('1', 'a', 2): 5, ('2', 'a', 1): 1, ('2', 'b', 1): 3, ('2', 'b', 2): 1}
with open(sys.argv[1], 'w') as f:
    f.write(','.join(cols) + '\n')
    for code, name in (('1', 'x'), ('2', 'y')):
        row = [name, code, '99'] + [str(v.get((code, s, m), 0)) for s in ('b', 'a') for m in range(12, 0, -1)]
        f.write(','.join(row) + '\n')
PYEOF
awk -v sectors="a b" -f samples/street_months.awk $T/m.csv > $T/mo 2> $T/me
check "street_months: worst month and its leading sector, each street's months and ranks" $PY -c "
import csv
r = {x['code']: x for x in csv.DictReader(open('$T/mo'))}
assert (r['1']['worst_month'], r['1']['worst_ug'], r['1']['worst_leading_sector'], r['1']['worst_leading_ug']) == ('2', '5', 'a', '5'), r['1']
assert (r['2']['worst_month'], r['2']['worst_leading_sector'], r['2']['worst_leading_ug']) == ('1', 'b', '3'), r['2']
assert (r['1']['pm25_month01'], r['1']['pm25_month03'], r['2']['pm25_month01']) == ('3', '0', '4')
assert (r['1']['rank_month01'], r['2']['rank_month01'], r['1']['rank_month02'], r['2']['rank_month02']) == ('2', '1', '1', '2')"
printf 'code,name\n1,x\n' > $T/m0.csv
expect_fail "street_months: a sector's month missing" 1 "no column 'a_base_pm25_month01_mean'" "" awk -v sectors=a -f samples/street_months.awk $T/m0.csv
check "the demo builds the monthly ranking by name" grep -q 'sectors="catering boiler road area" -f samples/street_months.awk' samples/demo.sh
# the explorer's responses (samples/responses.awk): two measures' cuts per street summed
# against the scenario's table (read first), a decoy column between them
printf 'code,c_delta_pm25_mean,decoy\n1,0.75,9\n2,0.5,9\n' > $T/rs.csv
printf 'code,r_cut02_pm25_mean,decoy,r_cut01_pm25_mean\n1,0.25,7,0.5\n2,0.125,7,0.25\n' > $T/rr.csv
awk -v n=2 -v scen=$T/rs.csv -f samples/responses.awk $T/rs.csv $T/rr.csv > $T/ro 2> $T/re
check "responses: the largest measure (1: 0.375 a street) and the difference (0.125 in street 2)" sh -c "grep -q 'largest on average: measure 1 (0.375 ug/m3 a street)' $T/ro && grep -q 'largest difference 0.12 ug/m3' $T/ro"
expect_fail "responses: a measure's column missing" 1 "no column r_cut03_pm25_mean" "" awk -v n=3 -v scen=$T/rs.csv -f samples/responses.awk $T/rs.csv $T/rr.csv
check "the demo checks the responses by name" grep -q 'f samples/responses.awk' samples/demo.sh
end
