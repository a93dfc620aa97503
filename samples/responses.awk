# The scenario explorer's responses (make demo): each street's PM2.5 cut by each of the n
# measures (sp-zonal's columns r_cutNN_pm25_mean, by NAME), summed per street and compared
# with the street's cut by the whole scenario (the table -v scen=FILE, column
# c_delta_pm25_mean, read first: awk -v scen=FILE ... FILE RESPONSES.csv): the model is linear, so they agree to the grids' rounding. Prints
# the largest measure district-wide and the worst difference; exit 1 when a column or a
# street is missing.
BEGIN { FS = "," }
FNR == 1 && FILENAME == scen {
  for (i = 1; i <= NF; i++) if ($i == "code") sc = i; else if ($i == "c_delta_pm25_mean") sd = i
  next
}
FILENAME == scen { want[$sc] = $sd; next }
FNR == 1 {
  if (!sc || !sd) { print "responses.awk: " scen " lacks code or c_delta_pm25_mean" > "/dev/stderr"; bad = 1; exit 1 }
  for (i = 1; i <= NF; i++) col[$i] = i
  for (k = 1; k <= n; k++) {
    c = sprintf("r_cut%02d_pm25_mean", k)
    if (!(c in col)) { print "responses.awk: no column " c > "/dev/stderr"; bad = 1; exit 1 }
    idx[k] = col[c]
  }
  next
}
{
  s = 0
  for (k = 1; k <= n; k++) { s += $idx[k]; tot[k] += $idx[k] }
  if (!($col["code"] in want)) { print "responses.awk: street " $col["code"] " not in " scen > "/dev/stderr"; bad = 1; exit 1 }
  d = s - want[$col["code"]]; if (d < 0) d = -d
  if (d > worst) worst = d
  streets++
}
END {
  if (bad) exit 1
  best = 1
  for (k = 2; k <= n; k++) if (tot[k] > tot[best]) best = k
  printf "  %d measures x %d streets; the largest on average: measure %d (%.3g ug/m3 a street)\n", n, streets, best, tot[best] / streets
  printf "  the measures' cuts summed per street vs the scenario's: largest difference %.2g ug/m3\n", worst
}
