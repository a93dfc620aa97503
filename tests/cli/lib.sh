# Shared helpers of the end-to-end tests: each check counts one test; end() prints
# "N passed, N failed". Tools run from $BUILD/bin on the samples in $BUILD/samples.
BUILD=${BUILD:-build}
BIN=$(pwd)/$BUILD/bin
SAMPLES=$(pwd)/$BUILD/samples
PY=/usr/bin/python3
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
npass=0; nfail=0
ok()   { npass=$((npass + 1)); }
bad()  { nfail=$((nfail + 1)); echo "FAIL: $*"; }
# check DESCRIPTION COMMAND...: the command's output goes to $T/check.out and
# $T/check.err (never to files a test reads afterwards), and the helpers' variables
# start with an underscore so that they never clobber a test's own
check() {
  _d=$1; shift
  if "$@" > "$T/check.out" 2> "$T/check.err"; then ok; else bad "$_d"; sed 's/^/  /' "$T/check.out" "$T/check.err" | head -20; fi
}
# expect_fail DESCRIPTION EXIT_CODE MESSAGE_REGEX OUTPUT_PATH COMMAND...
# checks the exit code, the message on stderr, and that no output (nor temporary
# folder) was left behind
expect_fail() {
  _d=$1; _code=$2; _msg=$3; _outp=$4; shift 4
  "$@" > "$T/out" 2> "$T/err"; _rc=$?
  [ "$_rc" = "$_code" ] && ok || { bad "$_d: exit $_rc, expected $_code"; sed 's/^/  /' "$T/err" | head -5; }
  grep -Eq -- "$_msg" "$T/err" && ok || { bad "$_d: message does not match /$_msg/"; sed 's/^/  /' "$T/err" | head -5; }
  if [ -n "$_outp" ]; then
    [ ! -e "$_outp" ] && ok || bad "$_d: output '$_outp' was left behind"
    ls -a "$(dirname "$_outp")" 2>/dev/null | grep -q '\.tmp-' && bad "$_d: temporary files left behind" || ok
  fi
}
end() { echo "$npass passed, $nfail failed"; [ $nfail = 0 ]; }

# independent oracles: a field summed with OGR, a band summed with GDAL (numpy), and
# a relative comparison
ogr_sum() { $PY -c "
from osgeo import ogr; import sys
ds = ogr.Open(sys.argv[1]); s = 0.0
for l in ds:
    for f in l: s += f.GetField(sys.argv[2])
print(repr(s))" "$@"; }
band_sum() { $PY -c "
from osgeo import gdal; import sys
ds = gdal.Open(sys.argv[1]); a = ds.GetRasterBand(int(sys.argv[2])).ReadAsArray().astype('float64')
print(repr(float(a.sum())))" "$@"; }
close() { $PY -c "import sys; a, b, t = map(float, sys.argv[1:4]); sys.exit(0 if abs(a - b) <= t * max(abs(b), 1e-300) else 1)" "$@"; }

# service SCRIPT WHAT: starts a throw-away server with SCRIPT (tests/pg/server.sh,
# tests/cluster/cluster.sh: "start DIR" prints what to connect with, "stop DIR") in a
# temporary folder stopped at exit (unless KEEP is set), and sets SERVICE to what it
# printed; when it cannot start, counts one failure naming WHAT and ends the test.
service() {
  _sd=$(mktemp -d /tmp/onemap-service.XXXXXX)
  _script=$1
  trap '[ -n "$KEEP" ] || sh "$_script" stop "$_sd"; rm -rf "$T"' EXIT
  if ! SERVICE=$(sh "$_script" start "$_sd" 2>"$T/service.err"); then
    bad "cannot start $2: $(cat "$T/service.err")"
    end; exit 1
  fi
  SERVICE_DIR=$_sd
}
