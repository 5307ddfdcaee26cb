#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh and prove it complete: after pg_restore, the row
# count and the checksum of every table are computed again and compared with the manifest.
#
#   scripts/restore.sh DUMP TARGET_DATABASE_URL
#       checks the dump against its manifest (sha256), creates the target database when it
#       does not exist (it must be empty when it does), restores into it in one transaction,
#       then verifies every table.
#   scripts/restore.sh --verify DUMP TARGET_DATABASE_URL
#       only verifies an existing database against the dump's manifest.
#
# The manifest is DUMP with .manifest.json instead of .dump (or MANIFEST=path).
# Exit codes: 0 restored and equal; 1 a table differs from the manifest (counts or checksums);
# 2 usage, a missing or damaged file, or pg_restore failed; 3 the target database is not empty.
set -euo pipefail

export PGOPTIONS="${PGOPTIONS:-} -c TimeZone=UTC -c DateStyle=ISO,YMD -c IntervalStyle=postgres -c extra_float_digits=1 -c bytea_output=hex"
export PGAPPNAME="${PGAPPNAME:-werkcentrum-restore}"
here="$(cd "$(dirname "$0")" && pwd)"

die() { echo "restore: $1" >&2; exit "${2:-2}"; }
usage() { die "usage: $0 [--verify] DUMP TARGET_DATABASE_URL"; }

verify_only=0
if [[ "${1:-}" == "--verify" ]]; then verify_only=1; shift; fi
[[ $# -eq 2 && -n "$1" && -n "$2" ]] || usage
dump="$1"
target="$2"
manifest="${MANIFEST:-${dump%.dump}.manifest.json}"
[[ -f "$dump" ]] || die "no such dump: $dump"
[[ -f "$manifest" ]] || die "no manifest next to the dump: $manifest"
case "$target" in postgres://*|postgresql://*) ;; *) die "the target is not a PostgreSQL URL" ;; esac

sha256_of() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum "$1" | cut -d' ' -f1
  else shasum -a 256 "$1" | cut -d' ' -f1; fi
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The manifest's tables as "table<TAB>rows<TAB>md5" (the format backup.sh writes).
sed -n 's/^    "\([^"]*\)": {"rows": \([0-9][0-9]*\), "md5": "\([0-9a-f]*\)"},\{0,1\}$/\1\t\2\t\3/p' \
  "$manifest" | LC_ALL=C sort >"$work/expected"
[[ -s "$work/expected" ]] || die "the manifest lists no tables: $manifest"
expected_sha=$(sed -n 's/^  "dump_sha256": "\([0-9a-f]*\)",$/\1/p' "$manifest")

# 1. The dump is the file the manifest describes.
actual_sha=$(sha256_of "$dump")
if [[ "$expected_sha" != "$actual_sha" ]]; then
  die "the dump does not match its manifest (sha256 $actual_sha, manifest $expected_sha): damaged or changed"
fi

# 2. Restore into an empty database (created when missing).
if [[ $verify_only -eq 0 ]]; then
  command -v pg_restore >/dev/null || die "pg_restore is not installed (apt-get install postgresql-client)"
  base="${target%%\?*}"
  query="${target#"$base"}"
  name="${base##*/}"
  [[ "$name" =~ ^[A-Za-z0-9_-]+$ ]] || die "cannot read the database name from the target URL"
  if ! psql -X -q -A -t -d "$target" -c 'SELECT 1' >/dev/null 2>&1; then
    maintenance="${base%/*}/postgres$query"
    echo "restore: creating database $name" >&2
    psql -X -q -v ON_ERROR_STOP=1 -v name="$name" -d "$maintenance" <<<'CREATE DATABASE :"name";' \
      || die "could not create database $name"
  fi
  in_use=$(psql -X -A -t -d "$target" -c "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')")
  [[ "$in_use" == "0" ]] || die "the target database $name is not empty ($in_use tables): restore into a new database" 3
  echo "restore: pg_restore into $name" >&2
  pg_restore --no-owner --no-privileges --exit-on-error --single-transaction \
    --dbname="$target" "$dump" || die "pg_restore failed; the target database was left empty"
fi

# 3. Every table as in the manifest: same tables, same row counts, same checksums.
"$here/backup.sh" --manifest "$target" | LC_ALL=C sort >"$work/actual"
if ! cmp -s "$work/expected" "$work/actual"; then
  echo "restore: the database does NOT match the manifest:" >&2
  LC_ALL=C join -t $'\t' -a 1 -a 2 -e '-' -o 0,1.2,1.3,2.2,2.3 "$work/expected" "$work/actual" \
    | awk -F '\t' '$2 != $4 || $3 != $5 {
        if ($4 == "-") printf "  %s: missing (manifest: %s rows)\n", $1, $2
        else if ($2 == "-") printf "  %s: not in the manifest (%s rows)\n", $1, $4
        else if ($2 != $4) printf "  %s: %s rows, manifest %s\n", $1, $4, $2
        else printf "  %s: %s rows, checksum differs\n", $1, $4 }' >&2
  exit 1
fi
tables=$(wc -l <"$work/actual" | tr -d ' ')
rows=$(awk -F '\t' '{ s += $2 } END { print s + 0 }' "$work/actual")
echo "restore: OK: $tables tables, $rows rows, counts and checksums equal to the manifest"
