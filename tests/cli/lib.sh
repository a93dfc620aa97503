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
check() { # check DESCRIPTION COMMAND...
  d=$1; shift
  if "$@" > "$T/out" 2> "$T/err"; then ok; else bad "$d"; sed 's/^/  /' "$T/out" "$T/err" | head -20; fi
}
# expect_fail DESCRIPTION EXIT_CODE MESSAGE_REGEX OUTPUT_PATH COMMAND...
# checks the exit code, the message on stderr, and that no output (nor temporary
# folder) was left behind
expect_fail() {
  d=$1; code=$2; msg=$3; outp=$4; shift 4
  "$@" > "$T/out" 2> "$T/err"; rc=$?
  [ "$rc" = "$code" ] && ok || { bad "$d: exit $rc, expected $code"; sed 's/^/  /' "$T/err" | head -5; }
  grep -Eq -- "$msg" "$T/err" && ok || { bad "$d: message does not match /$msg/"; sed 's/^/  /' "$T/err" | head -5; }
  if [ -n "$outp" ]; then
    [ ! -e "$outp" ] && ok || bad "$d: output '$outp' was left behind"
    ls -a "$(dirname "$outp")" 2>/dev/null | grep -q '\.tmp-' && bad "$d: temporary files left behind" || ok
  fi
}
end() { echo "$npass passed, $nfail failed"; [ $nfail = 0 ]; }
