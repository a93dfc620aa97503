# The monthly street ranking from sp-zonal's table of each sector's monthly PM2.5 (-r
# SECTOR=conc_SECTOR_monthly.tif -stats mean: columns SECTOR_base_pm25_monthMM_mean), read
# by column NAME (-v sectors="catering boiler road area", -v band=base_pm25): each street's
# month totals (the sectors summed), its rank among the streets in every month (1 = the
# highest, the ranking's way), its worst month and the sector leading that month. Writes
# the table as CSV on stdout. Exit 1 with a message on stderr when a column is missing or
# a value is not a number.
BEGIN { FS = ","; ns = split(sectors, sec, " "); if (band == "") band = "base_pm25" }
NR == 1 {
  for (i = 1; i <= NF; i++) col[$i] = i
  if (!("code" in col)) { print "street_months.awk: no column 'code'" > "/dev/stderr"; bad = 1; exit 1 }
  for (s = 1; s <= ns; s++)
    for (m = 1; m <= 12; m++) {
      c = sprintf("%s_%s_month%02d_mean", sec[s], band, m)
      if (!(c in col)) { printf "street_months.awk: no column '%s'\n", c > "/dev/stderr"; bad = 1; exit 1 }
      idx[s, m] = col[c]
    }
  nmc = ("name" in col) ? col["name"] : 0
  next
}
{
  k++; code[k] = $col["code"]; nm[k] = nmc ? $nmc : ""
  for (m = 1; m <= 12; m++) {
    t = 0
    for (s = 1; s <= ns; s++) {
      v = $idx[s, m]
      if (v !~ /^-?[0-9.]+([eE][-+]?[0-9]+)?$/) {
        printf "street_months.awk: line %d: '%s' is not a number\n", NR, v > "/dev/stderr"; bad = 1; exit 1
      }
      part[k, m, s] = v + 0; t += v
    }
    tot[k, m] = t
  }
}
END {
  if (bad) exit 1
  printf "code,name,worst_month,worst_ug,worst_leading_sector,worst_leading_ug"
  for (m = 1; m <= 12; m++) printf ",pm25_month%02d", m
  for (m = 1; m <= 12; m++) printf ",rank_month%02d", m
  printf "\n"
  for (i = 1; i <= k; i++) {
    w = 1
    for (m = 2; m <= 12; m++) if (tot[i, m] > tot[i, w]) w = m
    l = 1
    for (s = 2; s <= ns; s++) if (part[i, w, s] > part[i, w, l]) l = s
    printf "%s,%s,%d,%.6g,%s,%.6g", code[i], nm[i], w, tot[i, w], sec[l], part[i, w, l]
    for (m = 1; m <= 12; m++) printf ",%.6g", tot[i, m]
    for (m = 1; m <= 12; m++) {
      r = 1
      for (j = 1; j <= k; j++) if (tot[j, m] > tot[i, m] || (tot[j, m] == tot[i, m] && j < i)) r++
      printf ",%d", r
    }
    printf "\n"
  }
}
