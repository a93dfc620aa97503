# The demo's top streets by one figure of sp-zonal's table, read by column NAME (-v col=...,
# the street's name from -v namecol, default "name"): prints "LABEL: the N largest"
# (-v n, default 5) with their values, and the range over every street. Exit 1, with a
# message on stderr, when a column is missing, a value is not a number, or no street.
BEGIN { FS = ","; want = 0; nc = 0; if (!n) n = 5; if (namecol == "") namecol = "name" }
NR == 1 {
  for (i = 1; i <= NF; i++) { if ($i == col) want = i; if ($i == namecol) nc = i }
  if (!want || !nc) {
    printf "street_top.awk: no column '%s' in %s\n", want ? namecol : col, FILENAME > "/dev/stderr"; bad = 1; exit 1
  }
  next
}
{
  d = $want
  if (d !~ /^-?[0-9.]+([eE][-+]?[0-9]+)?$/) {
    printf "street_top.awk: %s line %d: '%s' is not a number\n", FILENAME, NR, d > "/dev/stderr"; bad = 1; exit 1
  }
  k++; v[k] = d + 0; nm[k] = $nc
  if (k == 1 || d + 0 < lo) lo = d + 0
  if (k == 1 || d + 0 > hi) hi = d + 0
}
END {
  if (bad) exit 1
  if (!k) { print "street_top.awk: no street in " FILENAME > "/dev/stderr"; exit 1 }
  for (i = 1; i <= k; i++) o[i] = i
  # insertion sort, largest first; ties keep the table's order
  for (i = 2; i <= k; i++)
    for (j = i; j > 1 && v[o[j]] > v[o[j - 1]]; j--) { t = o[j]; o[j] = o[j - 1]; o[j - 1] = t }
  printf "  %s: %.3g to %.3g over %d streets; largest:", label, lo, hi, k
  for (i = 1; i <= n && i <= k; i++) printf "%s %s %.3g", (i > 1 ? "," : ""), nm[o[i]], v[o[i]]
  printf "\n"
}
