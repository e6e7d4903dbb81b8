#!/usr/bin/env bash
# Backups of Homeward's data, consistent with each other: the database (pg_dump, one snapshot), then the photo
# store (photos, face crops, projections: content-addressed, never changed once written) and the audit
# checkpoints. Restore goes into an empty database and folder, never over live data.
#   deploy/lib/backup.sh backup [DIR]
#   deploy/lib/backup.sh restore DIR [--database NAME] [--home DIR]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

PG_BIN=/usr/lib/postgresql/15/bin                # as deploy/lib/postgres.sh
: "${HOMEWARD_PHOTOS:=$HOMEWARD_HOME/photos}"
: "${HOMEWARD_AUDIT_CHECKPOINTS:=$HOMEWARD_HOME/audit/checkpoints}"
: "${HOMEWARD_BACKUPS:=$HOMEWARD_HOME/backups}"
export PGPASSWORD="$HOMEWARD_PG_PASSWORD"

owner_psql() { "$PG_BIN/psql" -X -q -w -v ON_ERROR_STOP=1 -h "$HOMEWARD_HOST" -p "$HOMEWARD_PG_PORT" -U "$HOMEWARD_PG_USER" "$@"; }

cmd_backup() {
  local dir=${1:-$HOMEWARD_BACKUPS/$(date -u +%Y%m%dT%H%M%SZ)}
  [ ! -e "$dir" ] || die "$dir exists already: a backup never overwrites another"
  owner_psql -d "$HOMEWARD_PG_DB" -c 'SELECT 1' >/dev/null || die "cannot reach database $HOMEWARD_PG_DB as $HOMEWARD_PG_USER"
  mkdir -p "$dir"
  local started
  started=$(owner_psql -d "$HOMEWARD_PG_DB" -Atc 'SELECT now()')
  log "dumping database $HOMEWARD_PG_DB (one consistent snapshot)"
  "$PG_BIN/pg_dump" -w -h "$HOMEWARD_HOST" -p "$HOMEWARD_PG_PORT" -U "$HOMEWARD_PG_USER" -Fc --no-comments \
    -f "$dir/database.dump" "$HOMEWARD_PG_DB" || die "pg_dump of $HOMEWARD_PG_DB failed"
  # After the dump: a file is written before its row commits, so every file a dumped row names is in the store
  # now, unless a deletion removed it since; the check below names any such file.
  log "copying the photo store $HOMEWARD_PHOTOS"
  mkdir -p "$dir/photos"
  if [ -d "$HOMEWARD_PHOTOS" ]; then
    cp -a "$HOMEWARD_PHOTOS/." "$dir/photos/" || die "copying the photo store failed"
  fi
  if [ -f "$HOMEWARD_AUDIT_CHECKPOINTS" ]; then
    cp -p "$HOMEWARD_AUDIT_CHECKPOINTS" "$dir/audit-checkpoints"
  fi
  local missing=0 sha
  while read -r sha; do
    [ -n "$sha" ] || continue
    if [ ! -f "$dir/photos/${sha:0:2}/${sha:2:2}/$sha" ]; then
      log "missing from the copy: photo $sha (deleted after the dump?)"
      missing=$((missing + 1))
    fi
  done < <(owner_psql -d "$HOMEWARD_PG_DB" -Atc "SELECT trim(sha256) FROM photo WHERE uploaded_at < '$started'")
  [ "$missing" -eq 0 ] || die "$missing photo file(s) the database names are not in the backup: run it again"
  (cd "$dir" && find . -type f ! -name MANIFEST.sha256 -print0 | sort -z | xargs -0 -r sha256sum > MANIFEST.sha256)
  log "backup written to $dir: $(find "$dir/photos" -type f | wc -l) stored file(s), $(du -sh "$dir" | cut -f1)"
  echo "$dir"
}

cmd_restore() {
  local dir=${1:-} database=$HOMEWARD_PG_DB home=$HOMEWARD_HOME
  [ -n "$dir" ] || die "usage: restore DIR [--database NAME] [--home DIR]"
  shift
  while [ $# -gt 0 ]; do
    case "$1" in
      --database) database=$2; shift 2 ;;
      --home) home=$2; shift 2 ;;
      *) die "unknown option $1" ;;
    esac
  done
  [ -f "$dir/database.dump" ] && [ -f "$dir/MANIFEST.sha256" ] || die "$dir is not a Homeward backup (no database.dump and MANIFEST.sha256)"
  log "checking the backup's files against its manifest"
  (cd "$dir" && sha256sum --quiet -c MANIFEST.sha256) || die "the backup in $dir is damaged: a file differs from its manifest"
  if [ -n "$(owner_psql -d postgres -Atc "SELECT 1 FROM pg_database WHERE datname = '$database'")" ]; then
    local tables
    tables=$(owner_psql -d "$database" -Atc "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")
    [ "$tables" = 0 ] || die "database $database is not empty ($tables tables): restore goes into a new or empty one"
  else
    # template1 carries the vector extension (deploy/lib/postgres.sh), so the new database has it
    owner_psql -d postgres -c "CREATE DATABASE \"$database\"" || die "cannot create database $database"
  fi
  if [ -d "$home/photos" ] && [ -n "$(find "$home/photos" -type f -print -quit)" ]; then
    die "$home/photos is not empty: restore goes into a new or empty folder"
  fi
  log "restoring the database into $database"
  "$PG_BIN/pg_restore" -w -h "$HOMEWARD_HOST" -p "$HOMEWARD_PG_PORT" -U "$HOMEWARD_PG_USER" --exit-on-error \
    --no-comments -d "$database" "$dir/database.dump" || die "pg_restore into $database failed"
  log "restoring the photo store into $home/photos"
  mkdir -p "$home/photos"
  cp -a "$dir/photos/." "$home/photos/" || die "copying the photos back failed"
  if [ -f "$dir/audit-checkpoints" ]; then
    mkdir -p "$home/audit"
    cp -p "$dir/audit-checkpoints" "$home/audit/checkpoints"
  fi
  log "restored $dir into database $database and $home; check it with: HOMEWARD_PG_DB=$database HOMEWARD_HOME=$home deploy/homeward audit verify"
}

case "${1:-}" in
  backup) shift; cmd_backup "$@" ;;
  restore) shift; cmd_restore "$@" ;;
  *) echo "usage: $0 backup [DIR] | restore DIR [--database NAME] [--home DIR]" >&2; exit 2 ;;
esac
