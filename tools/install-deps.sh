#!/bin/sh
# Installs the Debian 12 packages onemap needs that are missing (used by `make deps`,
# and by make itself when a library is not found). Not root: says what to run.
missing=""
for p in "$@"; do
  # npm and chromium count as present when their command is (Node.js may come from
  # elsewhere than Debian, with its own npm)
  case $p in npm|chromium) command -v "$p" >/dev/null 2>&1 && continue ;; esac
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "onemap: installing missing Debian packages:$missing" >&2
if [ "$(id -u)" != 0 ]; then
  echo "onemap: not root; run: sudo apt-get update && sudo apt-get install -y$missing" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq && apt-get install -y -qq $missing >/dev/null || {
  echo "onemap: apt-get install failed for:$missing" >&2; exit 1; }
