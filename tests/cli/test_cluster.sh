#!/bin/sh
# A Beijing-wide pipeline on a real (one-node) Slurm cluster: tests/cluster/cluster.sh
# starts slurmctld, slurmd and munged in a temporary folder and this script stops them.
# SYNTHETIC sources over the 343 real streets (tests/cluster/beijing_sources.py) are
# gridded at 150 m (1201 x 1206 cells) and dispersed (two FFT strips) as job arrays of N
# shards, each merge a job depending on its array (afterok); then the streets' means
# (strips of the concentrations) and the tiles (runs of tile indices) as two arrays at
# once. For N = 1, 3 and 4 the grids, the table and the tile folder equal the
# single-machine run's bytes (cmp, diff -r).
# Then one shard is killed (scancel) while the others finish: the merge names it with the
# --array= line, that line re-runs it alone, and the merge gives the same bytes.
# Without Slurm (make test installs slurm-wlm munge), every check counts as failed.
. tests/cli/lib.sh
service tests/cluster/cluster.sh "a one-node Slurm cluster"
SLURM_CONF=$SERVICE
export SLURM_CONF
PATH=$PATH:/usr/sbin
# waits for a job (or an array) to leave the queue: squeue every 0.2 s (sbatch --wait polls
# every 2-10 s, which doubled the test's time)
wait_job() {
  _i=0; while [ $_i -lt 1500 ] && [ -n "$(squeue -h -j $1 2>/dev/null)" ]; do sleep 0.2; _i=$((_i + 1)); done
}
Z=/vsigzip/$(pwd)/samples/real/beijing_subdistricts_343.geojson.gz
MET=$(pwd)/samples/met/nongzhanguan_2016.csv
W=$T/w; mkdir -p $W
$PY tests/cluster/beijing_sources.py $Z $W/src.gpkg
check "synthetic sources in the 343 streets (points, roads, areas)" sh -c "ogrinfo -so $W/src.gpkg area | grep -q 'Feature Count: 343'"
G="-t_srs EPSG:32650 -tr 150 150 -tap -a nox,pm25"
DA="-met $MET -rmax 2000 -no2_ratio 0.7"
ZA="-id code -include name -stats mean"
TA="-z 6-12 -b 2 -style pm25_conc -url https://example.org/pm25 -outline $Z -outline_style boundaries"
# the single-machine run; every run in its own folder with the same relative names (the
# grids' metadata name their sources as given)
(cd $W && $BIN/sp-grid -q $G src.gpkg emis.tif 2>/dev/null &&
  $BIN/sp-disperse -q $DA emis.tif conc.tif 2>/dev/null &&
  $BIN/sp-zonal -q -r c=conc.tif $ZA $Z streets.csv 2>/dev/null &&
  $BIN/sp-tiles -q $TA -of xyz,pmtiles conc.tif tiles 2>/dev/null)
check "the single-machine pipeline: 343 streets' means" test "$(wc -l < $W/streets.csv)" = 344

# the job scripts, as docs/cluster.md writes them (N in the script: a re-run of one task
# with --array=I must still say /N)
scripts() { # scripts N DIR
  cat > $2/grid.sbatch <<S
#!/bin/sh
#SBATCH --job-name=grid --output=$2/grid_%a.log
exec $BIN/sp-grid -q $G -shard \$SLURM_ARRAY_TASK_ID/$1 src.gpkg emis_\$SLURM_ARRAY_TASK_ID.tif
S
  cat > $2/disperse.sbatch <<S
#!/bin/sh
#SBATCH --job-name=disperse --output=$2/disperse_%a.log
[ -f $2/hold_\$SLURM_ARRAY_TASK_ID ] && sleep 600  # the test's hook: a shard that hangs
exec $BIN/sp-disperse -q $DA -shard \$SLURM_ARRAY_TASK_ID/$1 emis.tif conc_\$SLURM_ARRAY_TASK_ID.tif
S
  cat > $2/zonal.sbatch <<S
#!/bin/sh
#SBATCH --job-name=zonal --output=$2/zonal_%a.log
exec $BIN/sp-zonal -q -r c=conc.tif $ZA -shard \$SLURM_ARRAY_TASK_ID/$1 $Z streets_\$SLURM_ARRAY_TASK_ID.zonal
S
  cat > $2/tiles.sbatch <<S
#!/bin/sh
#SBATCH --job-name=tiles --output=$2/tiles_%a.log
exec $BIN/sp-tiles -q $TA -of xyz,pmtiles -shard \$SLURM_ARRAY_TASK_ID/$1 conc.tif tiles_\$SLURM_ARRAY_TASK_ID.sqlite
S
}
for n in 1 3 4; do
  P=$W/p$n; mkdir -p $P; scripts $n $P; ln -s ../src.gpkg $P/src.gpkg
  j1=$(sbatch --parsable --chdir=$P --array=0-$((n - 1)) $P/grid.sbatch)
  j2=$(sbatch --parsable --chdir=$P --dependency=afterok:$j1 --output=$P/m1.log --wrap "$BIN/sp-merge -q emis.tif emis_*.tif")
  j3=$(sbatch --parsable --chdir=$P --dependency=afterok:$j2 --array=0-$((n - 1)) $P/disperse.sbatch)
  j4=$(sbatch --parsable --chdir=$P --dependency=afterok:$j3 --output=$P/m2.log \
    --wrap "$BIN/sp-merge -q conc.tif conc_*.tif")
  j5=$(sbatch --parsable --chdir=$P --dependency=afterok:$j4 --array=0-$((n - 1)) $P/tiles.sbatch)
  j6=$(sbatch --parsable --chdir=$P --dependency=afterok:$j4 --array=0-$((n - 1)) $P/zonal.sbatch)
  j7=$(sbatch --parsable --chdir=$P --dependency=afterok:$j5 --output=$P/m3.log \
    --wrap "$BIN/sp-merge -q tiles tiles_*.sqlite")
  wait_job $(sbatch --parsable --chdir=$P --dependency=afterok:$j6 --output=$P/m4.log \
    --wrap "$BIN/sp-merge -q streets.csv streets_*.zonal")
  wait_job $j7
  check "$n shard(s) on Slurm: the emission grid = the single run's bytes" cmp $P/emis.tif $W/emis.tif
  check "  the concentrations = the single run's bytes" cmp $P/conc.tif $W/conc.tif
  check "  the 343 streets' table = the single run's" cmp $P/streets.csv $W/streets.csv
  check "  the tiles (XYZ, PMTiles, TileJSON, WMTS, legend, page) = the single run's" diff -r $P/tiles $W/tiles
done
check "  3 and 4 shards ran as that many array tasks" sh -c "ls $W/p3/conc_?.tif | wc -l | grep -qx 3 && ls $W/p4/conc_?.tif | wc -l | grep -qx 4"

# a shard killed: shard 2 of 4 hangs and is cancelled while the others finish
P=$W/kill; mkdir -p $P; scripts 4 $P
cp $W/p4/emis.tif $P/emis.tif
touch $P/hold_2
j=$(sbatch --parsable --chdir=$P --array=0-3 $P/disperse.sbatch)
i=0; while [ $i -lt 300 ] && [ "$(ls $P/conc_?.tif 2>/dev/null | wc -l)" -lt 3 ]; do sleep 0.2; i=$((i + 1)); done
scancel ${j}_2
wait_job $j
check "the killed shard left no part and no temporary files" sh -c "test ! -e $P/conc_2.tif && ! ls -a $P | grep -q tmp-"
check "  Slurm recorded it cancelled (its log)" grep -q "CANCELLED" $P/disperse_2.log
expect_fail "  the merge names it and the line that re-runs it" 2 "1 of 4 shards missing \(2\).*sbatch --array=2" \
  $P/conc.tif $BIN/sp-merge -q $P/conc.tif $P/conc_0.tif $P/conc_1.tif $P/conc_3.tif
rm $P/hold_2
j=$(sbatch --parsable --chdir=$P --array=2 $P/disperse.sbatch); wait_job $j
check "  re-run alone with sbatch --array=2 (the same script)" test -s $P/conc_2.tif
check "  then merged: the single run's bytes" sh -c "cd $P && $BIN/sp-merge -q conc.tif conc_*.tif && cmp conc.tif $W/conc.tif"
end
