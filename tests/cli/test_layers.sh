#!/bin/sh
# The library's layers (tests/layers.py, also `make check-layers`): includes by folder,
# purity proven by the compiler, no cycle between objects. And the checker must find what
# it looks for, on a planted copy of the tree: an upward include in core/, an include of
# another operation, GDAL reached through a header in a pure file, a GEOS include in
# core/, and a cycle between two objects are each reported.
. tests/cli/lib.sh

check "the layers hold" $PY tests/layers.py . $BUILD/obj
# core's unit tests were linked with libspatial_core.a alone (make's CORE_UNITS)
for u in test_coord test_coverage test_pool test_rng test_text; do
  check "$u links no GDAL or PROJ" sh -c "! ldd $BUILD/tests/$u | grep -Eq 'libgdal|libproj'"
done
check "test_coord links no GEOS either" sh -c "! ldd $BUILD/tests/test_coord | grep -q libgeos"
mkdir -p $T/s/tools $T/obj
cp -r libspatial $T/s/
cp -r tools/cli $T/s/tools/
cp tools/sp-*.c $T/s/tools/
cp -r $BUILD/obj/. $T/obj/
$PY - "$T/s" <<'PYEOF'
import sys
r = sys.argv[1] + "/libspatial/"
def plant(path, old, new):
    s = open(r + path).read()
    assert old in s, (path, old)
    open(r + path, "w").write(s.replace(old, new, 1))
# core including an operation's header (upward)
plant("core/sp_grid.c", '#include "core/sp_grid.h"', '#include "core/sp_grid.h"\n#include "tiles/sp_tiles_sink.h"')
# one operation including another's header
plant("zonal/sp_zonal.c", '#include "zonal/sp_zonal.h"', '#include "zonal/sp_zonal.h"\n#include "score/sp_score.h"')
# GDAL reached through a header: the pure file's own includes look clean
plant("gridding/sp_gridding.h", '#include "core/sp_coverage.h"', '#include "core/sp_coverage.h"\n#include "io/sp_vector.h"')
# a GEOS include in core
plant("core/sp_stats.c", '#include "core/sp_stats.h"', '#include "core/sp_stats.h"\n#include <geos_c.h>')
# two objects that use each other
open(r + "core/sp_plant_a.c", "w").write("int plant_b(int x);\nint plant_a(void) { return plant_b(0); }\n")
open(r + "core/sp_plant_b.c", "w").write("int plant_a(void);\nint plant_b(int x) { return x ? plant_a() : 1; }\n")
PYEOF
for x in a b; do cc -c $T/s/libspatial/core/sp_plant_$x.c -o $T/obj/core/sp_plant_$x.o; done
$PY tests/layers.py $T/s $T/obj > $T/l.out
check "a planted violation fails the check" test $? = 1
check "it names core's upward include" grep -q 'core/sp_grid.c:[0-9]*: core includes "tiles/sp_tiles_sink.h"' $T/l.out
check "it names one operation including another" grep -q 'zonal/sp_zonal.c:[0-9]*: zonal includes "score/sp_score.h"' $T/l.out
check "it finds GDAL behind a header in a pure file" grep -q 'gridding/sp_gridding.c: not pure (no GDAL.*ogr_api.h' $T/l.out
check "it finds GEOS in core" grep -q 'core/sp_stats.c: not pure (libc, libm, pthread only).*geos_c.h' $T/l.out
check "it names the cycle" grep -q 'cycle between objects: core/sp_plant_a core/sp_plant_b' $T/l.out
check "and only what was planted (5 findings)" grep -q ': 5 finding(s)$' $T/l.out


end
