#!/bin/sh
# `make demo`: runs the tools on the synthetic sample district and says what came out.
# Grows with each tool; outputs go to demo-out/.
set -e
BUILD=${BUILD:-build}
BIN=$BUILD/bin
# the zones: the real 43 streets and townships of Chaoyang (samples/real, MIT licence);
# every source in them is synthetic, placed inside the real district by sp-samplegen -real
S=$BUILD/samples-real
O=demo-out
Z=samples/real/chaoyang_streets_43.geojson
mkdir -p $O
echo "== onemap demo: SYNTHETIC sources ($S) on the real 43 streets of Chaoyang ($Z)"
for f in restaurants_gcj02.shp boilers.shp roads.gpkg construction.shp stations.shp facilities.shp petrol_stations.shp machinery.shp repair_shops.shp; do
  n=$(ogrinfo -so -al "$S/$f" 2>/dev/null | sed -n 's/^Feature Count: //p' | head -n 1)
  printf '  %-24s %6s features\n' "$f" "$n"
done
echo
echo "== sp-convert: restaurant POIs from GCJ-02 (web map) to WGS84"
$BIN/sp-convert -q -s_coord gcj02 $S/restaurants_gcj02.shp $O/restaurants_wgs84.gpkg
echo "  -> $O/restaurants_wgs84.gpkg"
echo
echo "== sp-inventory: baseline emissions of restaurants, boilers, roads, construction, petrol"
echo "   stations, non-road machinery and auto-repair shops"
INV="-catering $S/restaurants_gcj02.shp -s_coord catering=gcj02 -boiler $S/boilers.shp -road $S/roads.gpkg -area $S/construction.shp -petrol $S/petrol_stations.shp -nonroad $S/machinery.shp -autorepair $S/repair_shops.shp"
$BIN/sp-inventory -f samples/factors.csv $INV -totals $O/inventory_totals.csv $O/inventory.gpkg
echo "  -> $O/inventory.gpkg"
echo
echo "== sp-inventory: scenario of samples/measures.txt (retrofits, purifiers, fleet, dust)"
# -mc 100 -mc_sectors: 100 draws of the factor table's 95 % ranges, per sector, for the
# concentration ensemble below
$BIN/sp-inventory -q -f samples/factors.csv -m samples/measures.txt $INV -totals $O/scenario_totals.csv \
  -mc 100 -mc_sectors $O/emis_draws.csv -marginal pm25,nox,vocs,co2 -marginal_out $O/measures_cut.csv \
  $O/scenario.gpkg
awk -F, 'NR == 1 || $1 == "total" { printf "  %-10s %14s %14s %10s\n", $2, $4, $5, $6 }' $O/scenario_totals.csv
echo "  -> $O/scenario.gpkg"
echo
echo "== sp-grid: the inventories on a 100 m grid (NOx, VOCs, PM2.5, CO2), mass-conserving"
$BIN/sp-grid -tr 100 100 -tap -t_srs EPSG:32650 -a nox,vocs,pm25,co2 $O/inventory.gpkg $O/emis_base_100m.tif
$BIN/sp-grid -q -tr 100 100 -tap -t_srs EPSG:32650 -a nox,vocs,pm25,co2 $O/scenario.gpkg $O/emis_scen_100m.tif
echo
echo "== sp-disperse: annual-mean PM2.5 and NOx (ug/m3) from the emissions and a real year of"
echo "   hourly weather (Nongzhanguan 2016, samples/met): baseline, scenario and their change;"
echo "   stability by Turner's method, with the urban option for a city of 21.9 million"
# -urban: AERMOD's nocturnal urban layer (stable nights neutral): Beijing's resident
# population, about 21.9 million (Beijing Municipal Bureau of Statistics, end of 2023)
# each sector on its own grid, released at its own height (samples/source_classes.csv:
# restaurant roofs, boiler stacks, traffic at 1 m, dust at ground level; their bases stated)
SRCS=""
for sec in catering boiler road area petrol nonroad autorepair; do
  $BIN/sp-grid -q -t_srs EPSG:32650 -like $O/emis_base_100m.tif -l $sec -a nox,vocs,pm25,co2 $O/inventory.gpkg $O/emis4_${sec}_base.tif
  $BIN/sp-grid -q -t_srs EPSG:32650 -like $O/emis_base_100m.tif -l $sec -a nox,vocs,pm25,co2 $O/scenario.gpkg $O/emis4_${sec}_scen.tif
  [ $sec = catering ] || SRCS="$SRCS -src $O/emis4_${sec}_base.tif -scen_src $O/emis4_${sec}_scen.tif"
done
# -eval: the modelled NO2 (ARM2) against the monitors' 2016 means, urban minus the Dingling
# background (samples/stations_2016.csv); with SYNTHETIC sources this shows the procedure,
# it validates nothing (docs/methods.md, "Evaluation")
$BIN/sp-disperse -met samples/met/nongzhanguan_2016.csv -urban 21.9e6 -b 1,3 -no2_arm2 -star_out $O/met_star.csv \
  -classes samples/source_classes.csv -scen $O/emis4_catering_scen.tif $SRCS $O/emis4_catering_base.tif \
  -eval samples/stations_2016.csv -oo X_POSSIBLE_NAMES=lon -oo Y_POSSIBLE_NAMES=lat -s_srs EPSG:4326 \
  -eval_id station -eval_field no2_obs -eval_bg Dingling -eval_band base_no2 $O/conc_100m.tif 2>/dev/null
$BIN/sp-zonal -q -r c=$O/conc_100m.tif -id code -include name -stats mean $Z \
  $O/streets_conc.csv 2>/dev/null
awk -v col=c_delta_pm25_mean -f samples/street_change.awk $O/streets_conc.csv
echo "  -> $O/conc_100m.tif (base_/scen_/delta_ nox, pm25, no2 by ARM2), $O/conc_100m.eval.csv (each station),"
echo "     $O/conc_100m.windrose.svg, $O/streets_conc.csv"
echo
echo "== each measure's own PM2.5 cut per street (the scenario explorer's responses): the"
echo "   measures' cuts (sp-inventory -marginal) gridded and dispersed like the scenario"
NM=$(grep -c '^[0-9]' $O/measures_cut.csv); NM=$((NM / 10))
CUTS=$(i=1; while [ $i -le $NM ]; do printf '%scut%02d_pm25' "$([ $i -gt 1 ] && echo ,)" $i; i=$((i + 1)); done)
RSRC=""
for sec in catering boiler road area petrol nonroad autorepair; do
  $BIN/sp-grid -q -t_srs EPSG:32650 -like $O/emis_base_100m.tif -l $sec -a $CUTS $O/scenario.gpkg $O/cut_${sec}.tif
  [ $sec = catering ] || RSRC="$RSRC -src $O/cut_${sec}.tif"
done
$BIN/sp-disperse -q -met samples/met/nongzhanguan_2016.csv -urban 21.9e6 -classes samples/source_classes.csv \
  $RSRC $O/cut_catering.tif $O/conc_response_100m.tif 2>/dev/null
$BIN/sp-zonal -q -r r=$O/conc_response_100m.tif -id code -include name -stats mean $Z $O/streets_response.csv 2>/dev/null
awk -v n=$NM -v scen=$O/streets_conc.csv -f samples/responses.awk $O/streets_conc.csv $O/streets_response.csv
echo "  -> $O/measures_cut.csv (each measure's tonnes: in turn and alone, the interaction),"
echo "     $O/streets_response.csv (each street's PM2.5 cut by each measure, ug/m3)"
echo
echo "== the one-microgram test: each street's PM2.5 cut as a street mean (the street ranking's"
echo "   measure) and where people live (WorldPop 2020), over a joint ensemble of 60 members"
echo "   (Latin hypercube over the weather station, cloud, calms, urban option, mixing height,"
echo "   sigma_z0, release heights and the emission factors' draws), what delivers it, sector"
echo "   by sector, and which of those drives each street's spread"
$BIN/sp-grid -q -like $O/conc_100m.tif -a worldpop_pop samples/pop/chaoyang_townships_worldpop_2020.geojson \
  $O/pop_100m.tif 2>/dev/null
# -joint_met: Dingling's weather (Changping), the other record of the shared data: the UCI
# files give Nongzhanguan and Aotizhongxin the same weather station's hours
$BIN/sp-disperse -q -met samples/met/nongzhanguan_2016.csv -urban 21.9e6 -b 3 -classes samples/source_classes.csv \
  -joint 60 -joint_met samples/met/dingling_2016.csv -emis_draws $O/emis_draws.csv \
  -scen $O/emis4_catering_scen.tif $SRCS $O/emis4_catering_base.tif $O/conc_pm25_ens_100m.tif
$BIN/sp-zonal -q -r ug=$O/conc_pm25_ens_100m.tif -id code -stats mean,weighted_mean -weights $O/pop_100m.tif \
  $Z $O/streets_ug.csv 2>/dev/null
SECS=""
for sec in catering boiler road area; do
  $BIN/sp-grid -q -t_srs EPSG:32650 -like $O/emis_base_100m.tif -l $sec -a pm25 $O/inventory.gpkg $O/emis_${sec}_base.tif
  $BIN/sp-grid -q -t_srs EPSG:32650 -like $O/emis_base_100m.tif -l $sec -a pm25 $O/scenario.gpkg $O/emis_${sec}_scen.tif
  $BIN/sp-disperse -q -star $O/met_star.csv -classes samples/source_classes.csv -scen $O/emis_${sec}_scen.tif $O/emis_${sec}_base.tif \
    $O/conc_${sec}_100m.tif
  SECS="$SECS -r $sec=$O/conc_${sec}_100m.tif"
done
$BIN/sp-zonal -q $SECS -b 3 -id code -stats mean,weighted_mean -weights $O/pop_100m.tif $Z \
  $O/streets_sectors.csv 2>/dev/null
echo "  -> $O/conc_pm25_ens_100m.tif (60 members; .members.csv: each one's draw), $O/streets_ug.csv, $O/streets_sectors.csv"
echo
echo "== TSP and PM10 (the plan's 一微克 streets keep their TSP gains): construction dust and"
echo "   roads with the coarse particles' dry deposition, baseline vs scenario, per street"
DSRC=""
for sec in area road; do
  $BIN/sp-grid -q -t_srs EPSG:32650 -like $O/emis_base_100m.tif -l $sec -a pm25,pm10,tsp $O/inventory.gpkg $O/emisd_${sec}_base.tif
  $BIN/sp-grid -q -t_srs EPSG:32650 -like $O/emis_base_100m.tif -l $sec -a pm25,pm10,tsp $O/scenario.gpkg $O/emisd_${sec}_scen.tif
done
$BIN/sp-disperse -star $O/met_star.csv -classes samples/source_classes.csv -scen $O/emisd_area_scen.tif \
  -src $O/emisd_road_base.tif -scen_src $O/emisd_road_scen.tif $O/emisd_area_base.tif $O/conc_tsp_100m.tif 2>/dev/null | grep '^deposition' | sed 's/^/  /'
$BIN/sp-zonal -q -r d=$O/conc_tsp_100m.tif -id code -include name -stats mean $Z $O/streets_tsp.csv 2>/dev/null
awk -v col=d_base_tsp_mean -v label="TSP from dust and roads (ug/m3, street mean)" -f samples/street_top.awk $O/streets_tsp.csv
awk -v col=d_delta_tsp_mean -v label="TSP cut by the scenario (ug/m3)" -f samples/street_top.awk $O/streets_tsp.csv
echo "  -> $O/conc_tsp_100m.tif (base_/scen_/delta_ pm25, pm10, tsp), $O/streets_tsp.csv"
echo
echo "== months: each sector's PM2.5 month by month (samples/profiles.csv: the heating season, meal"
echo "   and rush hours; each month's emission meets its own hours), the monthly street ranking"
MSECS=""
for sec in catering boiler road area; do
  $BIN/sp-disperse -q -met samples/met/nongzhanguan_2016.csv -urban 21.9e6 -profiles samples/profiles.csv \
    -classes samples/source_classes.csv -scen $O/emis_${sec}_scen.tif -monthly $O/conc_${sec}_monthly.tif \
    $O/emis_${sec}_base.tif $O/conc_${sec}_profiled.tif 2>/dev/null
  MSECS="$MSECS -r $sec=$O/conc_${sec}_monthly.tif"
done
$BIN/sp-zonal -q $MSECS -id code -include name -stats mean $Z $O/streets_sector_months.csv 2>/dev/null
awk -v sectors="catering boiler road area" -f samples/street_months.awk $O/streets_sector_months.csv > $O/streets_months.csv
# the four sectors together, month by month, as tiles for the one map's month slider
MSRC=""
for sec in boiler road area; do MSRC="$MSRC -src $O/emis_${sec}_base.tif"; done
$BIN/sp-disperse -q -met samples/met/nongzhanguan_2016.csv -urban 21.9e6 -profiles samples/profiles.csv \
  -classes samples/source_classes.csv $MSRC -monthly $O/conc_monthly.tif $O/emis_catering_base.tif \
  $O/conc_profiled.tif 2>/dev/null
mkdir -p $O/tiles_months
for m in 01 02 03 04 05 06 07 08 09 10 11 12; do
  $BIN/sp-tiles -q -b ${m#0} -z 10-14 -values -style styles/pm25_conc_month.txt \
    -name "PM2.5 from the sources, month $m (synthetic sample)" $O/conc_monthly.tif $O/tiles_months/month$m
done
awk -v col=worst_ug -v label="worst month's primary PM2.5 (ug/m3, street mean)" -f samples/street_top.awk $O/streets_months.csv
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
  { n[$c["worst_month"]]++; l[$c["worst_leading_sector"]]++ }
  END { printf "  worst month by street:"; for (m = 1; m <= 12; m++) if (n[m]) printf " month %d: %d streets;", m, n[m]
        printf "\n  leading sector in it:"; for (s in l) printf " %s %d;", s, l[s]; printf "\n" }' $O/streets_months.csv
echo "  -> $O/conc_SECTOR_monthly.tif (base_/scen_/delta_pm25_month01..12), $O/streets_months.csv (the"
echo "     monthly ranking: each street's month totals, its rank each month, worst month, leading sector)"
echo
echo "== sp-zonal: emissions per street, baseline vs scenario (exact coverage)"
$BIN/sp-zonal -q -r base=$O/emis_base_100m.tif -r scen=$O/emis_scen_100m.tif -id code \
  -include name -stats sum,area_km2,density,share $Z $O/streets_emis.gpkg 2>/dev/null
$BIN/sp-zonal -r base=$O/emis_base_100m.tif -r scen=$O/emis_scen_100m.tif -id code \
  -include name -stats sum,area_km2,density,share $Z $O/streets_emis.csv 2>/dev/null
echo "  -> $O/streets_emis.csv, $O/streets_emis.gpkg (with the street polygons)"
echo
echo "== sp-zonal -v: restaurants per street (catering PM2.5, stoves, stoves without purifier)"
$BIN/sp-zonal -q -v $O/inventory.gpkg -l inventory=catering -a pm25,stoves -id code $Z \
  $O/streets_catering.csv 2>/dev/null
$BIN/sp-zonal -q -v $O/inventory.gpkg -l inventory=catering -where inventory="purifier = 0" -a stoves -id code \
  $Z $O/streets_nopurifier.csv 2>/dev/null
echo "  -> $O/streets_catering.csv, $O/streets_nopurifier.csv"
echo
echo "== sp-score: one-microgram demonstration street candidates (samples/score.spec)"
JOINS="-join cat=$O/streets_catering.csv -join nopur=$O/streets_nopurifier.csv -join $O/streets_ug.csv -join sec=$O/streets_sectors.csv"
$BIN/sp-score -spec samples/score.spec $JOINS -members $O/conc_pm25_ens_100m.members.csv \
  -stations $S/stations.shp $O/streets_emis.gpkg $O/candidates.gpkg
$BIN/sp-score -q -spec samples/score.spec $JOINS -members $O/conc_pm25_ens_100m.members.csv \
  -stations $S/stations.shp $O/streets_emis.gpkg $O/candidates.csv
echo "  -> $O/candidates.csv, $O/candidates.gpkg (scores, reasons, synergy; street polygons)"
echo
echo "== sp-grid: road AADT (lines) and stoves (points) on a 100 m grid, EPSG:32650"
$BIN/sp-grid -tr 100 100 -tap -units veh/day -a aadt $S/roads.gpkg $O/roads_aadt_100m.tif
$BIN/sp-grid -tr 100 100 -tap -t_srs EPSG:32650 -s_coord gcj02 -units stoves -a stoves \
  $S/restaurants_gcj02.shp $O/stoves_100m.tif
echo
echo "== sp-tiles: the one map: NOx, PM2.5, CO2 density with street boundaries; the scores"
$BIN/sp-grid -q -density -tr 100 100 -tap -t_srs EPSG:32650 -a nox,pm25,co2 $O/inventory.gpkg \
  $O/emis_density_100m.tif
for p in nox:1 pm25:2 co2:3; do
  name=${p%%:*}; band=${p##*:}
  $BIN/sp-tiles -q -b $band -z 10-14 -of both -values -style styles/${name}_density.txt \
    -outline $Z -outline_style styles/boundaries.txt \
    -name "$name emission density (synthetic sample)" -attribution "onemap sample data" \
    $O/emis_density_100m.tif $O/tiles_$name
  echo "  -> $O/tiles_$name/ (XYZ, tiles.mbtiles, tiles.json, legend.svg, values.js, index.html)"
done
$BIN/sp-tiles -q -z 10-14 -of both -fill $O/candidates.gpkg -fill_field score \
  -fill_style styles/score.txt -outline $Z -outline_style styles/boundaries.txt \
  -name "demonstration-street scores (synthetic sample)" $O/tiles_score
echo "  -> $O/tiles_score/ (the sp-score choropleth)"
$BIN/sp-tiles -q -b 2 -z 10-14 -values -style styles/pm25_conc.txt -name "PM2.5 from the sources (synthetic sample)" \
  $O/conc_100m.tif $O/tiles_conc_pm25
$BIN/sp-tiles -q -b 8 -z 10-14 -values -style styles/pm25_change.txt -name "PM2.5 cut by the measures (synthetic sample)" \
  -qml $O/conc_100m.qml $O/conc_100m.tif $O/tiles_dconc_pm25
echo "  -> $O/tiles_conc_pm25/, $O/tiles_dconc_pm25/ (sp-disperse's PM2.5 and its change, ug/m3);"
echo "     $O/conc_100m.qml: QGIS opens conc_100m.tif with the change's ramp"
echo
echo "== sp-onemap: the one map (一张图): every layer, the streets named and clickable,"
echo "   the key energy units (重点用能单位) as points"
SECT=""
for sec in catering boiler road area; do
  $BIN/sp-zonal -q -v $O/inventory.gpkg -l inventory=$sec -a nox,vocs,pm25,co2 -stats sum -id code \
    $Z $O/streets_emis_$sec.csv 2>/dev/null
  SECT="$SECT -table 排放·${sec}·t/yr=$O/streets_emis_$sec.csv"
done
$BIN/sp-inventory -q -f samples/factors.csv -facility $S/facilities.shp $O/facilities.gpkg
$BIN/sp-onemap -layer "NOx 排放 emissions=$O/tiles_nox" -layer "PM2.5 排放 emissions=$O/tiles_pm25" \
  -layer "CO2 排放 emissions=$O/tiles_co2" -layer "PM2.5 浓度 ug/m3=$O/tiles_conc_pm25" \
  -layer "ΔPM2.5 措施削减 ug/m3=$O/tiles_dconc_pm25" -overlay "得分 score=$O/tiles_score" \
  -streets $O/candidates.gpkg -table "浓度 concentration (ug/m3)=$O/streets_conc.csv" \
  -table "行业 ΔPM2.5 by sector=$O/streets_sectors.csv" -table "排放 emissions (t/yr)=$O/streets_emis.csv" \
  -months "PM2.5 月均 monthly ug/m3=$O/tiles_months" -table "月份 months (ug/m3)=$O/streets_months.csv" \
  -scenario $O/measures_cut.csv=$O/streets_response.csv \
  $SECT -points "重点用能单位 key energy units=$O/facilities.gpkg" \
  -title "朝阳区 减污降碳 一张图 (synthetic sample)" -attribution "onemap sample data (synthetic)" $O/onemap
echo "Open $O/onemap/index.html in a browser (or one layer alone: $O/tiles_nox/index.html)."
echo
echo "== sp-ledger: the pilot's targets 2023-2026 (NOx -3,000 t, VOCs -1,200 t, carbon intensity,"
echo "   the park), the district's 减污降碳协同度 (SYNTHETIC district, key energy units, park)"
INVF="$INV -facility $S/facilities.shp"
# every year with the same 200 draws of the factors (same seed): paired intervals
MC="-mc 200 -seed 1"
$BIN/sp-inventory -q -f samples/factors.csv $INVF $MC -mc_draws $O/ledger_draws_2023.csv \
  -totals $O/ledger_totals_2023.csv $O/ledger_2023.gpkg
for y in 2024 2025 2026; do
  $BIN/sp-inventory -q -f samples/factors.csv -m samples/ledger/measures_$y.txt -year $y $INVF $MC \
    -mc_draws $O/ledger_draws_$y.csv -totals $O/ledger_totals_$y.csv $O/ledger_$y.gpkg
done
# the synergy of single measures: heat pumps for the key units' gas (电能替代), PV
printf 'facility electrify gas 3.5\n' > $O/measure_heatpumps.txt
printf 'boiler retrofit min_mw 2 to low\n' > $O/measure_lownox.txt
for m in heatpumps lownox; do
  $BIN/sp-inventory -q -f samples/factors.csv -m $O/measure_$m.txt $INVF -totals $O/ledger_totals_$m.csv $O/ledger_$m.gpkg
done
# 2020, the year the carbon intensity counts from: SYNTHETIC totals (samples/README.md)
$BIN/sp-ledger -bounds samples/ledger/bounds.txt -targets samples/ledger/targets.txt \
  -year 2020=samples/ledger/totals_2020.csv -park 2020=samples/ledger/park_2020.txt \
  $(for y in 2023 2024 2025 2026; do printf -- '-year %s=%s/ledger_totals_%s.csv -park %s=samples/ledger/park_%s.txt -draws %s=%s/ledger_draws_%s.csv ' $y $O $y $y $y $y $O $y; done) \
  -measure "heat pumps (facility electrify gas 3.5)=$O/ledger_totals_heatpumps.csv" \
  -measure "low-NOx boilers (boiler retrofit min_mw 2)=$O/ledger_totals_lownox.csv" \
  -synergy $O/synergy.csv -svg $O/ledger.svg -park_csv $O/park.csv -degree $O/degree.csv $O/ledger.csv
echo "  -> $O/ledger.csv (one row per target), $O/synergy.csv (per year and per measure),"
echo "     $O/park.csv (gross, credit, net, per tonne treated and its drivers),"
echo "     $O/degree.csv (协同度 with fixed bounds: the park's, the district's against shared"
echo "     bounds), $O/ledger.svg (each target's path)"
echo
echo "Outputs in $O/. Check them with: gdalinfo -stats $O/roads_aadt_100m.tif"
