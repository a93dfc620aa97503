#!/bin/sh
# Self-test of the test harnesses: a deliberately failing check must be counted, named
# and make the run exit non-zero, in the shell helpers (lib.sh), the C macros (check.h)
# and the runner (tests/run.sh). A harness that cannot fail would make every green
# result meaningless.
. tests/cli/lib.sh
ROOT=$(pwd)

# lib.sh: one passing and one failing check, and an expect_fail whose exit code is wrong
cat > $T/inner.sh <<'EOS'
. tests/cli/lib.sh
check "passes" true
check "the planted failure" false
expect_fail "wrong exit code" 2 "x" "" sh -c 'echo x >&2; exit 1'
d=keep; check "does not clobber the caller's d" true; [ "$d" = keep ] && ok || bad "d was clobbered"
end
EOS
sh $T/inner.sh > $T/inner.out 2>&1; rc=$?
check "lib.sh: a failing check makes the script exit non-zero" test $rc != 0
check "lib.sh: counts it (4 passed, 2 failed)" grep -qx "4 passed, 2 failed" $T/inner.out
check "lib.sh: names the failing case" grep -q "^FAIL: the planted failure" $T/inner.out
check "lib.sh: names the wrong exit code" grep -q "^FAIL: wrong exit code: exit 1, expected 2" $T/inner.out

# check.h: CHECK(0) counted, printed with file, line and expression, exit 1
cat > $T/fail.c <<'EOS'
#include "check.h"
int main(void) { CHECK(1 == 1); CHECK(2 + 2 == 5); CHECK_REL(1.0, 1.5, 1e-9); return check_done(); }
EOS
cc -I$ROOT/tests/unit $T/fail.c -o $T/fail -lm
$T/fail > $T/fail.out 2> $T/fail.err; rc=$?
check "check.h: a failing CHECK exits 1" test $rc = 1
check "check.h: counts it (1 passed, 2 failed)" grep -qx "1 passed, 2 failed" $T/fail.out
check "check.h: names the expression and line" grep -q "fail.c:2: CHECK failed: 2 + 2 == 5" $T/fail.err

# tests/run.sh adds a failing unit program into the total and exits 1
(cd $ROOT && sh tests/run.sh --unit-only $T/fail) > $T/run.out 2>&1; rc=$?
check "run.sh: exits 1 when a unit program fails" test $rc = 1
check "run.sh: the closing line counts the failures" sh -c "tail -n 1 $T/run.out | grep -qx '1 passed, 2 failed'"
end
