#!/usr/bin/env bash
# Back up the Werkcentrum's PostgreSQL database: a pg_dump in custom format plus a manifest
# with the row count and a checksum of every table, taken from the same snapshot as the dump
# (so a backup made while the application runs still matches its manifest exactly).
#
#   DATABASE_URL=postgres://user@db:5432/werkcentrum scripts/backup.sh [OUTPUT_DIR]
#       writes OUTPUT_DIR/werkcentrum-<database>-<UTC time>.dump and .manifest.json
#       (OUTPUT_DIR defaults to var/backups) and prints the dump's path.
#   scripts/backup.sh --manifest URL
#       prints "table<TAB>rows<TAB>md5" for every table of URL (what scripts/restore.sh
#       compares after a restore).
#
# The checksum of a table is md5 over the sorted md5s of its rows (each row as PostgreSQL's
# text form, with fixed time zone and output styles): independent of the physical row order,
# equal after pg_restore, different after any change to any row. Needs psql and pg_dump of the
# server's major version (or newer), and sha256sum (or shasum). See docs/operations.md.
set -euo pipefail

# Fixed output styles: the row texts, and so the checksums, must not depend on the session.
export PGOPTIONS="${PGOPTIONS:-} -c TimeZone=UTC -c DateStyle=ISO,YMD -c IntervalStyle=postgres -c extra_float_digits=1 -c bytea_output=hex"
export PGAPPNAME="${PGAPPNAME:-werkcentrum-backup}"

die() { echo "backup: $*" >&2; exit 2; }

# The SQL that prints one "table<TAB>rows<TAB>md5" line per table (psql -At, \gexec).
manifest_sql() {
  cat <<'SQL'
SELECT format(
  'SELECT %L, count(*), md5(coalesce(string_agg(h, '''' ORDER BY h), '''')) FROM (SELECT md5(t::text) AS h FROM %I.%I t) s',
  CASE WHEN schemaname = 'public' THEN tablename ELSE schemaname || '.' || tablename END,
  schemaname, tablename)
FROM pg_tables
WHERE schemaname NOT IN ('pg_catalog', 'information_schema') AND schemaname NOT LIKE 'pg\_%'
ORDER BY 1 \gexec
SQL
}

sha256_of() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum "$1" | cut -d' ' -f1
  else shasum -a 256 "$1" | cut -d' ' -f1; fi
}

if [[ "${1:-}" == "--manifest" ]]; then
  [[ -n "${2:-}" ]] || die "usage: $0 --manifest DATABASE_URL"
  { echo '\set ON_ERROR_STOP on'; echo 'BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY;';
    manifest_sql; echo 'COMMIT;'; } | psql -X -q -A -t -F $'\t' -d "$2"
  exit 0
fi
if [[ "${1:-}" == -* ]]; then
  sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
  exit 0
fi

[[ -n "${DATABASE_URL:-}" ]] || die "DATABASE_URL is not set"
case "$DATABASE_URL" in
  postgres://*|postgresql://*) ;;
  *) die "DATABASE_URL is not a PostgreSQL URL (the embedded SQLite database: copy var/werkcentrum.sqlite3 with 'sqlite3 var/werkcentrum.sqlite3 .backup FILE')" ;;
esac
command -v pg_dump >/dev/null || die "pg_dump is not installed (apt-get install postgresql-client)"

out_dir="${1:-var/backups}"
mkdir -p "$out_dir"
database=$(psql -X -A -t -d "$DATABASE_URL" -c 'SELECT current_database()')
server_version=$(psql -X -A -t -d "$DATABASE_URL" -c 'SHOW server_version')
stamp=$(date -u +%Y%m%dT%H%M%SZ)
base="$out_dir/werkcentrum-$database-$stamp"
dump="$base.dump"
manifest="$base.manifest.json"
tables="$base.tables.tmp"
trap 'rm -f "$tables" "$dump.ok"' EXIT
umask 077  # a backup holds personal data: readable by its owner only

# One transaction: export its snapshot, let pg_dump dump exactly that snapshot, then count and
# checksum the tables in the same snapshot.
export WC_DUMP="$dump" WC_URL="$DATABASE_URL"
{
  echo '\set ON_ERROR_STOP on'
  echo 'BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY;'
  echo 'SELECT pg_export_snapshot() AS wc_snapshot \gset'
  echo '\setenv WC_SNAPSHOT :wc_snapshot'
  echo '\! pg_dump --format=custom --compress=6 --snapshot="$WC_SNAPSHOT" --file="$WC_DUMP" --dbname="$WC_URL" && touch "$WC_DUMP.ok"'
  manifest_sql
  echo 'COMMIT;'
} | psql -X -q -A -t -F $'\t' -d "$DATABASE_URL" >"$tables"
[[ -f "$dump.ok" ]] || { rm -f "$dump"; die "pg_dump failed"; }

{
  printf '{\n'
  printf '  "format": "werkcentrum-backup/1",\n'
  printf '  "created_at": "%s",\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  printf '  "database": "%s",\n' "$database"
  printf '  "server_version": "%s",\n' "$server_version"
  printf '  "dump": "%s",\n' "$(basename "$dump")"
  printf '  "dump_sha256": "%s",\n' "$(sha256_of "$dump")"
  printf '  "tables": {\n'
  awk -F '\t' 'NF == 3 { if (n++) printf ",\n"; printf "    \"%s\": {\"rows\": %s, \"md5\": \"%s\"}", $1, $2, $3 }
               END { if (n) printf "\n" }' "$tables"
  printf '  }\n'
  printf '}\n'
} >"$manifest"

count=$(awk -F '\t' 'NF == 3' "$tables" | wc -l | tr -d ' ')
rows=$(awk -F '\t' 'NF == 3 { s += $2 } END { print s + 0 }' "$tables")
echo "backup: $count tables, $rows rows -> $dump (manifest: $manifest)" >&2
echo "$dump"
