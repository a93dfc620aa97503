#!/bin/sh
# The docs: every tool's page holds its --help (make docs), so --help and the pages cannot
# disagree; a planted change to a page is caught; the README stays short and links to
# pages that exist; no internal process words (issue numbers, "this session") in user docs.
. tests/cli/lib.sh

check "every page equals its tool's --help" $PY docs/gen_docs.py $BIN --check
mkdir -p $T/d/docs $T/d/tools
cp docs/*.md $T/d/docs/
cp tools/sp-*.c $T/d/tools/
sed -i 's/^  -tr XRES YRES          cell size/  -tr XRES YRES          the cell size/' $T/d/docs/sp-grid.md
rm $T/d/docs/sp-convert.md
$PY docs/gen_docs.py $BIN --check --root $T/d > $T/d.out
check "a page edited by hand fails the check" test $? = 1
check "  and is named" grep -q '^docs/sp-grid.md: differs from sp-grid --help' $T/d.out
check "a tool without a page is named" grep -q '^docs/sp-convert.md: missing' $T/d.out
check "README is short (at most 200 lines)" test "$(wc -l < README.md)" -le 200
for p in $(grep -o '(docs/[a-z-]*\.md' README.md | tr -d '('); do
  check "README's link $p exists" test -s "$p"
done
check "README links every tool's page" sh -c 'for t in tools/sp-*.c; do n=$(basename $t .c); grep -q "(docs/$n.md)" README.md || exit 1; done'
check "no issue numbers or session words in user docs" sh -c "! grep -nEi 'issue [0-9]+|issues [0-9]+|this session|last session' README.md docs/*.md samples/README.md styles/README.md"
end
