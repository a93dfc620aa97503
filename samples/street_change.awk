# The demo's headline: the per-street PM2.5 change, read from sp-zonal's table by column
# NAME (-v col=c_delta_pm25_mean), never by position: a new band moves the columns.
# Prints the range, the mean and how many streets reach 1 ug/m3; exit 1, with a message
# on stderr, when the column is missing, a value is not a number, or there is no street.
BEGIN { FS = ","; want = 0 }
NR == 1 {
  for (i = 1; i <= NF; i++) if ($i == col) want = i
  if (!want) { printf "street_change.awk: no column '%s' in %s\n", col, FILENAME > "/dev/stderr"; bad = 1; exit 1 }
  next
}
{
  d = $want
  if (d !~ /^-?[0-9.]+([eE][-+]?[0-9]+)?$/) {
    printf "street_change.awk: %s line %d: '%s' is not a number\n", FILENAME, NR, d > "/dev/stderr"; bad = 1; exit 1
  }
  d += 0; n++; s += d
  if (n == 1 || d < lo) lo = d
  if (n == 1 || d > hi) hi = d
  if (d >= 1) one++
}
END {
  if (bad) exit 1
  if (!n) { print "street_change.awk: no street in " FILENAME > "/dev/stderr"; exit 1 }
  printf "  per street (mean over the street): PM2.5 change %.2f to %.2f ug/m3, mean %.2f;\n", lo, hi, s / n
  printf "  %d of %d streets improve by >= 1 ug/m3 of primary PM2.5 (screening model)\n", one + 0, n
}
