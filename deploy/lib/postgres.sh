#!/usr/bin/env bash
# Homeward's own PostgreSQL 15 cluster with pgvector, private to Homeward (not Debian's "main" cluster).
# Usage: deploy/lib/postgres.sh install|start|stop|status
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

PG_BIN=/usr/lib/postgresql/15/bin
PG_CONFIG=$PG_BIN/pg_config
PG_DATA=$HOMEWARD_HOME/postgres/15
PG_RUN=$HOMEWARD_HOME/postgres/run         # unix socket; must belong to postgres
PG_LOG=$HOMEWARD_LOGS/postgres.log
PG_BUILD=$HOMEWARD_HOME/build

# initdb, pg_ctl and the server refuse to run as root; cd / so they don't warn about /root.
as_postgres() {
  if [ "$(id -un)" = postgres ]; then (cd / && "$@"); else (cd / && runuser -u postgres -- "$@"); fi
}

# Superuser psql over the private socket (peer auth as postgres).
psql_super() { as_postgres "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_RUN" -p "$HOMEWARD_PG_PORT" "$@"; }

is_running() { [ -f "$PG_DATA/PG_VERSION" ] && as_postgres "$PG_BIN/pg_ctl" status -D "$PG_DATA" >/dev/null 2>&1; }

is_ready() { "$PG_BIN/pg_isready" -q -h "$HOMEWARD_HOST" -p "$HOMEWARD_PG_PORT"; }

# The server writes its log and socket as postgres: a root-owned folder makes the start fail with
# only "Examine the log output". The log folder is shared with other services, so only its group changes.
ensure_dirs() {
  mkdir -p "$HOMEWARD_HOME/postgres" "$HOMEWARD_LOGS"
  install -d -o postgres -g postgres -m 2775 "$PG_RUN"
  chgrp postgres "$HOMEWARD_LOGS" && chmod g+w "$HOMEWARD_LOGS"
  [ -e "$PG_LOG" ] || install -o postgres -g postgres -m 640 /dev/null "$PG_LOG"
  chown postgres:postgres "$PG_LOG"
}

# Settings that follow the environment (port, host) are rewritten at every start.
write_conf() {
  cat > "$PG_DATA/homeward.conf" <<EOF
# Written by deploy/lib/postgres.sh at each start; edit the script, not this file.
listen_addresses = '$HOMEWARD_HOST'
port = $HOMEWARD_PG_PORT
unix_socket_directories = '$PG_RUN'
password_encryption = scram-sha-256
EOF
  chown postgres:postgres "$PG_DATA/homeward.conf"
  grep -qx "include_if_exists = 'homeward.conf'" "$PG_DATA/postgresql.conf" \
    || echo "include_if_exists = 'homeward.conf'" >> "$PG_DATA/postgresql.conf"
}

install_pgvector() {
  local ext_dir server_version src
  ext_dir="$("$PG_CONFIG" --sharedir)/extension"
  if [ -f "$ext_dir/vector.control" ]; then
    log "pgvector already installed in $ext_dir"
    return 0
  fi
  # Bookworm has no pgvector binary package: build trixie's source package.
  ensure_trixie_sources
  apt_install dpkg-dev make gcc
  # Pinned to the running server's version, or apt upgrades the server and libpq underneath us.
  server_version=$(dpkg-query -W -f='${Version}' postgresql-15)
  if ! dpkg-query -W -f='${Status}' postgresql-server-dev-15 2>/dev/null | grep -q "install ok installed"; then
    apt_update_once
    log "installing postgresql-server-dev-15=$server_version"
    apt_get install -y -qq --no-install-recommends "postgresql-server-dev-15=$server_version" >/dev/null \
      || die "could not install postgresql-server-dev-15=$server_version (the server's version); is it still on the mirror?"
  fi
  log "building pgvector from Debian's trixie source package"
  rm -rf "$PG_BUILD/pgvector"
  mkdir -p "$PG_BUILD/pgvector"
  (cd "$PG_BUILD/pgvector" && apt-get source -qq pgvector >/dev/null 2>&1) \
    || die "apt-get source pgvector failed (deb-src trixie line in /etc/apt/sources.list.d/homeward-trixie-src.list)"
  src=$(find "$PG_BUILD/pgvector" -mindepth 1 -maxdepth 1 -type d -name 'pgvector-*' | head -n1)
  [ -n "$src" ] || die "apt-get source pgvector left no source folder in $PG_BUILD/pgvector"
  # OPTFLAGS="" drops -march=native: the binary must run on any x86-64 machine.
  make -C "$src" -s OPTFLAGS="" PG_CONFIG="$PG_CONFIG" >"$PG_BUILD/pgvector/build.log" 2>&1 \
    || { show_log_tail "$PG_BUILD/pgvector/build.log"; die "pgvector build failed"; }
  make -C "$src" -s OPTFLAGS="" PG_CONFIG="$PG_CONFIG" install >>"$PG_BUILD/pgvector/build.log" 2>&1 \
    || { show_log_tail "$PG_BUILD/pgvector/build.log"; die "pgvector make install failed"; }
  [ -f "$ext_dir/vector.control" ] || die "pgvector installed, but $ext_dir/vector.control is missing"
  log "pgvector $(sed -n "s/^default_version = '\(.*\)'/\1/p" "$ext_dir/vector.control") installed"
}

init_cluster() {
  if [ -f "$PG_DATA/PG_VERSION" ]; then
    log "cluster already initialised in $PG_DATA"
    return 0
  fi
  log "initdb $PG_DATA"
  install -d -o postgres -g postgres -m 700 "$PG_DATA"
  # Local socket: peer (only the postgres OS user is superuser); TCP: passwords (scram).
  as_postgres "$PG_BIN/initdb" -D "$PG_DATA" -U postgres -E UTF8 --locale=C.UTF-8 \
      --auth-local=peer --auth-host=scram-sha-256 >"$HOMEWARD_HOME/postgres/initdb.log" 2>&1 \
    || { show_log_tail "$HOMEWARD_HOME/postgres/initdb.log"; die "initdb failed"; }
}

# Role, databases and the vector extension; every statement is a no-op when already done.
setup_sql() {
  local db
  psql_super -d postgres -v user="$HOMEWARD_PG_USER" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN CREATEDB', :'user')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'user') \gexec
SELECT format('ALTER ROLE %I LOGIN CREATEDB', :'user')
 WHERE EXISTS (SELECT FROM pg_roles WHERE rolname = :'user' AND NOT (rolcanlogin AND rolcreatedb)) \gexec
-- A LIMIT bound as a parameter can make a generic plan skip the HNSW index.
SELECT format('ALTER ROLE %I SET plan_cache_mode = force_custom_plan', :'user')
 WHERE NOT EXISTS (SELECT FROM pg_db_role_setting s JOIN pg_roles r ON r.oid = s.setrole
                    WHERE r.rolname = :'user' AND s.setdatabase = 0
                      AND 'plan_cache_mode=force_custom_plan' = ANY (s.setconfig)) \gexec
SQL
  # Set the password only when it doesn't already work, so a second install changes nothing.
  if ! PGPASSWORD="$HOMEWARD_PG_PASSWORD" "$PG_BIN/psql" -X -q -w -h "$HOMEWARD_HOST" -p "$HOMEWARD_PG_PORT" \
         -U "$HOMEWARD_PG_USER" -d postgres -c 'SELECT 1' >/dev/null 2>&1; then
    log "setting the password of role $HOMEWARD_PG_USER"
    psql_super -d postgres -v user="$HOMEWARD_PG_USER" -v pw="$HOMEWARD_PG_PASSWORD" <<'SQL'
ALTER ROLE :"user" PASSWORD :'pw';
SQL
  fi
  # The app's own role: it reads and writes what the owner's migrations grant it (V15), nothing more.
  if [ "$HOMEWARD_PG_APP_USER" != "$HOMEWARD_PG_USER" ]; then
    psql_super -d postgres -v user="$HOMEWARD_PG_APP_USER" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN', :'user')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'user') \gexec
SELECT format('ALTER ROLE %I SET plan_cache_mode = force_custom_plan', :'user')
 WHERE NOT EXISTS (SELECT FROM pg_db_role_setting s JOIN pg_roles r ON r.oid = s.setrole
                    WHERE r.rolname = :'user' AND s.setdatabase = 0
                      AND 'plan_cache_mode=force_custom_plan' = ANY (s.setconfig)) \gexec
SQL
    if ! PGPASSWORD="$HOMEWARD_PG_APP_PASSWORD" "$PG_BIN/psql" -X -q -w -h "$HOMEWARD_HOST" -p "$HOMEWARD_PG_PORT" \
           -U "$HOMEWARD_PG_APP_USER" -d postgres -c 'SELECT 1' >/dev/null 2>&1; then
      log "setting the password of role $HOMEWARD_PG_APP_USER"
      psql_super -d postgres -v user="$HOMEWARD_PG_APP_USER" -v pw="$HOMEWARD_PG_APP_PASSWORD" <<'SQL'
ALTER ROLE :"user" PASSWORD :'pw';
SQL
    fi
  fi
  # vector in template1 first: databases created later (tests' throwaway ones) inherit it.
  psql_super -d template1 -c 'SET client_min_messages = warning' -c 'CREATE EXTENSION IF NOT EXISTS vector'
  for db in "$HOMEWARD_PG_DB" "$HOMEWARD_PG_TEST_DB"; do
    psql_super -d postgres -v db="$db" -v user="$HOMEWARD_PG_USER" <<'SQL'
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'user')
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db') \gexec
SQL
    # Only a superuser may create the extension; the app's migration then finds it there.
    psql_super -d "$db" -c 'SET client_min_messages = warning' -c 'CREATE EXTENSION IF NOT EXISTS vector'
  done
  log "roles $HOMEWARD_PG_USER (owner) and $HOMEWARD_PG_APP_USER (app), databases $HOMEWARD_PG_DB and $HOMEWARD_PG_TEST_DB with vector: ready"
}

cmd_install() {
  require_root
  apt_install postgresql-15
  install_pgvector
  ensure_dirs
  init_cluster
  # The SQL set-up needs the server; leave it as it was found.
  local was_running=""
  is_running && was_running=1
  cmd_start
  setup_sql
  [ -n "$was_running" ] || cmd_stop
  log "postgres install done (cluster $PG_DATA, port $HOMEWARD_PG_PORT)"
}

cmd_start() {
  [ -f "$PG_DATA/PG_VERSION" ] || die "no cluster in $PG_DATA: run '$0 install' first"
  if is_running; then
    wait_until 60 is_ready || die "postgres runs but does not answer on $HOMEWARD_HOST:$HOMEWARD_PG_PORT (other port configured?)"
    log "postgres already running on $HOMEWARD_HOST:$HOMEWARD_PG_PORT"
    return 0
  fi
  if port_in_use "$HOMEWARD_PG_PORT"; then
    die "port $HOMEWARD_PG_PORT is already in use by another program: stop it or set HOMEWARD_PG_PORT"
  fi
  ensure_dirs
  write_conf
  log "starting postgres on $HOMEWARD_HOST:$HOMEWARD_PG_PORT (log $PG_LOG)"
  if ! as_postgres "$PG_BIN/pg_ctl" start -D "$PG_DATA" -l "$PG_LOG" -w -t 60 >/dev/null; then
    show_log_tail "$PG_LOG"
    die "postgres failed to start (see $PG_LOG)"
  fi
  wait_until 60 is_ready || { show_log_tail "$PG_LOG"; die "postgres started but is not ready on port $HOMEWARD_PG_PORT"; }
  log "postgres ready on $HOMEWARD_HOST:$HOMEWARD_PG_PORT"
}

cmd_stop() {
  if ! is_running; then
    log "postgres is not running"
    return 0
  fi
  as_postgres "$PG_BIN/pg_ctl" stop -D "$PG_DATA" -m fast -w -t 60 >/dev/null || die "pg_ctl stop failed"
  log "postgres stopped"
}

cmd_status() {
  if is_running; then
    echo "postgres: running on $HOMEWARD_HOST:$HOMEWARD_PG_PORT (data $PG_DATA)"
    return 0
  fi
  if [ -f "$PG_DATA/PG_VERSION" ]; then
    echo "postgres: stopped (port $HOMEWARD_PG_PORT, data $PG_DATA)"
  else
    echo "postgres: not installed (no cluster in $PG_DATA)"
  fi
  return 3
}

# A fresh, empty test database for every test run: each run starts from the same state, and rows left
# by another checkout (whose photo files live elsewhere) can never leak into it.
cmd_reset_test_db() {
  is_running || die "PostgreSQL is not running; start it first"
  log "recreating the test database $HOMEWARD_PG_TEST_DB"
  psql_super -d postgres -c "DROP DATABASE IF EXISTS \"$HOMEWARD_PG_TEST_DB\" WITH (FORCE)"
  psql_super -d postgres -c "CREATE DATABASE \"$HOMEWARD_PG_TEST_DB\" OWNER \"$HOMEWARD_PG_USER\""
  psql_super -d "$HOMEWARD_PG_TEST_DB" -c "CREATE EXTENSION IF NOT EXISTS vector"
}

case "${1:-}" in
  install) cmd_install ;;
  reset-test-db) cmd_reset_test_db ;;
  start)   cmd_start ;;
  stop)    cmd_stop ;;
  status)  cmd_status || exit $? ;;   # 3 = not running: an answer, not an error
  *) echo "usage: $0 install|start|stop|status|reset-test-db" >&2; exit 2 ;;
esac
