#!/bin/sh
# The oracles' committed values are the oracles' own: tests/unit/met_oracle.csv (the
# expected sun, classes, sigma_z and wind of test_met_oracle.c) is made again by
# tests/oracle/met_oracle.py and must be the same bytes, so no one can edit an expected
# value to make the C test pass.
. tests/cli/lib.sh
$PY tests/oracle/met_oracle.py > $T/met_oracle.csv
check "tests/unit/met_oracle.csv is met_oracle.py's output" cmp $T/met_oracle.csv tests/unit/met_oracle.csv
check "  and holds every kind of row" sh -c "grep -c '^alt,' $T/met_oracle.csv | grep -qx 240 && grep -c '^stab,' $T/met_oracle.csv | grep -qx 7560 && grep -c '^dep,' $T/met_oracle.csv | grep -qx 90"
end
