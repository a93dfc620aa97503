#!/bin/sh
# A throw-away PostgreSQL 15 + PostGIS 3 server for the tests: its data and its socket in a
# temporary folder, no TCP port, trust authentication, one database "onemap" with the
# postgis extension.
#   tests/pg/server.sh start DIR   prints the GDAL connection string (PG:...) on stdout
#   tests/pg/server.sh stop DIR    stops it and removes DIR
# Exit 3 (and a message) when the server or PostGIS is not installed. As root, the server
# runs as the "postgres" user (PostgreSQL refuses root).
set -e
cmd=$1 dir=$2
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }
bin=/usr/lib/postgresql/15/bin
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case $cmd in
start)
  if [ ! -x $bin/postgres ] || [ ! -f /usr/share/postgresql/15/extension/postgis.control ]; then
    echo "PostgreSQL 15 + PostGIS 3 are not installed (postgresql-15 postgresql-15-postgis-3)" >&2
    exit 3
  fi
  mkdir -p "$dir"
  [ "$(id -u)" = 0 ] && chown postgres "$dir"
  as_owner $bin/initdb -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; exit 1; }
  as_owner $bin/pg_ctl -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses='' -c unix_socket_directories='$dir' -c fsync=off -p 5432" start >/dev/null ||
    { cat "$dir/server.log" >&2; exit 1; }
  psql -h "$dir" -U postgres -d postgres -qAt -c "CREATE DATABASE onemap" >/dev/null
  psql -h "$dir" -U postgres -d onemap -qAt -c "CREATE EXTENSION postgis" >/dev/null
  echo "PG:host=$dir port=5432 dbname=onemap user=postgres"
  ;;
stop)
  [ -d "$dir/data" ] && as_owner $bin/pg_ctl -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
  ;;
*) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
