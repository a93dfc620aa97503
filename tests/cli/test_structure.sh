#!/bin/sh
# The shape of the code (tests/structure.py): no function over 100 lines, no file over
# 800, a comment on every public function (the layers: test_layers.sh). And the checker
# itself must find what it looks for: a planted long function and a planted
# undocumented declaration are each reported.
. tests/cli/lib.sh

check "the code's shape" $PY tests/structure.py .
# the checker on a planted copy
mkdir -p $T/s/libspatial $T/s/tools
cp -r libspatial/. $T/s/libspatial/
$PY - "$T/s" <<'PYEOF'
import sys
r = sys.argv[1] + "/libspatial/"
import os
with open(r + "zonal/sp_zonal.c", "a") as f:
    f.write("\nint planted_long(void)\n{\n" + "    (void)0;\n" * 120 + "    return 0;\n}\n")
with open(r + "core/sp_grid.h", "a") as f:
    f.write("\nint planted_undocumented(int x);\n")
PYEOF
$PY tests/structure.py $T/s > $T/s.out
check "a planted check fails the run" test $? = 1
check "it names the long function" grep -q "planted_long is 12[0-9] lines" $T/s.out
check "it names the undocumented declaration" grep -q "planted_undocumented has no comment" $T/s.out
end
