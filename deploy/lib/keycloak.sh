#!/usr/bin/env bash
# Homeward's Keycloak (dev mode, H2, realm imported from deploy/keycloak/homeward-realm.json).
# Usage: deploy/lib/keycloak.sh install|start|stop|status
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

: "${HOMEWARD_KC_START_TIMEOUT:=300}"   # first start builds, sets up H2 and imports: 75-160 s on 2 busy cores
: "${HOMEWARD_KC_JAVA_HOME:=}"          # empty: the default java (17); Temurin 25 also works

KC_BASE=$HOMEWARD_HOME/keycloak
KC_DIR=$KC_BASE/keycloak-$HOMEWARD_KC_VERSION
KC_PID=$KC_BASE/keycloak.pid
KC_LOG=$HOMEWARD_LOGS/keycloak.log
KC_REALM_SRC=$DEPLOY_DIR/keycloak/homeward-realm.json
KC_REALM_SUM=$KC_BASE/realm-imported.sha256   # checksum of the realm file Keycloak's H2 data was made from
KC_READY_URL="http://$HOMEWARD_HOST:$HOMEWARD_KC_MGMT_PORT/health/ready"

[ -n "$HOMEWARD_KC_JAVA_HOME" ] && export JAVA_HOME="$HOMEWARD_KC_JAVA_HOME"

pid_alive() { [ -f "$KC_PID" ] && kill -0 "$(cat "$KC_PID")" 2>/dev/null; }
is_ready()  { curl -fsS -m 5 "$KC_READY_URL" >/dev/null 2>&1; }
realm_sum() { sha256sum "$KC_REALM_SRC" | cut -d' ' -f1; }

cmd_install() {
  [ -f "$KC_REALM_SRC" ] || die "realm file $KC_REALM_SRC is missing"
  command -v java >/dev/null || [ -n "${JAVA_HOME:-}" ] || die "no java found: install JDK 17 or set HOMEWARD_KC_JAVA_HOME"
  mkdir -p "$KC_BASE" "$HOMEWARD_LOGS"
  if [ -x "$KC_DIR/bin/kc.sh" ]; then
    log "keycloak $HOMEWARD_KC_VERSION already unpacked in $KC_DIR"
  else
    command -v mvn >/dev/null || die "mvn is needed to download Keycloak from Maven Central"
    local tgz=$KC_BASE/keycloak-quarkus-dist-$HOMEWARD_KC_VERSION.tar.gz tmp
    log "downloading org.keycloak:keycloak-quarkus-dist:$HOMEWARD_KC_VERSION:tar.gz through Maven (176 MB)"
    # Run outside any project folder: the copy goal needs no pom. Maven's output goes to a log
    # (in quiet batch mode Maven 3.8 still prints colour codes).
    (cd "$KC_BASE" && mvn -B org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
        -Dartifact="org.keycloak:keycloak-quarkus-dist:$HOMEWARD_KC_VERSION:tar.gz" \
        -DoutputDirectory="$KC_BASE" -Dmdep.overWriteReleases=true >"$KC_BASE/download.log" 2>&1) \
      || { show_log_tail "$KC_BASE/download.log" 20; die "Maven could not download keycloak-quarkus-dist $HOMEWARD_KC_VERSION"; }
    [ -f "$tgz" ] || die "Maven ran but $tgz is missing"
    # Unpack beside, then rename: an interrupted unpack never looks like a finished one.
    tmp=$(mktemp -d "$KC_BASE/unpack.XXXXXX")
    tar -xzf "$tgz" -C "$tmp" || { rm -rf "$tmp"; die "could not unpack $tgz"; }
    [ -x "$tmp/keycloak-$HOMEWARD_KC_VERSION/bin/kc.sh" ] \
      || { rm -rf "$tmp"; die "$tgz does not hold keycloak-$HOMEWARD_KC_VERSION/bin/kc.sh"; }
    mv "$tmp/keycloak-$HOMEWARD_KC_VERSION" "$KC_DIR"
    rm -rf "$tmp" "$tgz"   # a copy stays in ~/.m2
    log "keycloak unpacked in $KC_DIR"
  fi
  mkdir -p "$KC_DIR/data/import"
  if ! cmp -s "$KC_REALM_SRC" "$KC_DIR/data/import/homeward-realm.json"; then
    cp "$KC_REALM_SRC" "$KC_DIR/data/import/homeward-realm.json"
    log "realm file copied to $KC_DIR/data/import"
  fi
  log "keycloak install done"
}

# A realm is imported only when it doesn't exist yet: when the repo's realm file changed since the
# last import, drop the dev database (data/h2) so that this start imports it again.
sync_realm() {
  mkdir -p "$KC_DIR/data/import"
  cp "$KC_REALM_SRC" "$KC_DIR/data/import/homeward-realm.json"
  if [ -d "$KC_DIR/data/h2" ] && [ "$(cat "$KC_REALM_SUM" 2>/dev/null)" != "$(realm_sum)" ]; then
    log "realm file changed since the last import: wiping $KC_DIR/data/h2 to re-import it"
    rm -rf "$KC_DIR/data/h2"
  fi
}

# The most telling line of a failed start's log.
failure_cause() {
  local line
  line=$(grep -m1 -E 'Address already in use|UnsupportedClassVersionError|OutOfMemoryError|Failed to import|ERROR' "$KC_LOG" 2>/dev/null || true)
  [ -n "$line" ] || line="no error logged; last line: $(tail -n1 "$KC_LOG" 2>/dev/null)"
  echo "${line:0:300}"
}

cmd_start() {
  [ -x "$KC_DIR/bin/kc.sh" ] || die "keycloak is not installed in $KC_DIR: run '$0 install' first"
  [ -f "$KC_REALM_SRC" ] || die "realm file $KC_REALM_SRC is missing"
  if pid_alive; then
    if [ "$(cat "$KC_REALM_SUM" 2>/dev/null)" != "$(realm_sum)" ]; then
      log "WARNING: the realm file changed since Keycloak imported it: run '$0 stop' then '$0 start' to re-import"
    fi
    if is_ready; then
      log "keycloak already running (pid $(cat "$KC_PID")) on $HOMEWARD_HOST:$HOMEWARD_KC_PORT"
      return 0
    fi
    log "keycloak (pid $(cat "$KC_PID")) is starting; waiting until it is ready"
  else
    rm -f "$KC_PID"
    local port
    for port in "$HOMEWARD_KC_PORT" "$HOMEWARD_KC_MGMT_PORT"; do
      port_in_use "$port" && die "port $port is already in use by another program: stop it or set HOMEWARD_KC_PORT / HOMEWARD_KC_MGMT_PORT"
    done
    sync_realm
    mkdir -p "$HOMEWARD_LOGS"
    [ -f "$KC_LOG" ] && mv -f "$KC_LOG" "$KC_LOG.1"
    log "starting keycloak on $HOMEWARD_HOST:$HOMEWARD_KC_PORT (log $KC_LOG)"
    # setsid: own session and process group, so the server outlives this shell and stop can end kc.sh
    # and its java together.
    KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD=admin \
      setsid nohup "$KC_DIR/bin/kc.sh" start-dev \
        --http-host="$HOMEWARD_HOST" --http-port="$HOMEWARD_KC_PORT" \
        --health-enabled=true --http-management-port="$HOMEWARD_KC_MGMT_PORT" \
        --import-realm >"$KC_LOG" 2>&1 </dev/null &
    echo $! > "$KC_PID"
  fi
  local end=$((SECONDS + HOMEWARD_KC_START_TIMEOUT))
  until is_ready; do
    if ! pid_alive; then
      show_log_tail "$KC_LOG"
      rm -f "$KC_PID"
      die "keycloak exited during start: $(failure_cause)"
    fi
    if [ $SECONDS -ge $end ]; then
      show_log_tail "$KC_LOG"
      kill -TERM -- "-$(cat "$KC_PID")" 2>/dev/null || true
      rm -f "$KC_PID"
      die "keycloak not ready at $KC_READY_URL after $HOMEWARD_KC_START_TIMEOUT s (raise HOMEWARD_KC_START_TIMEOUT on a slow machine); stopped it. $(failure_cause)"
    fi
    sleep 2
  done
  realm_sum > "$KC_REALM_SUM"
  log "keycloak ready: http://$HOMEWARD_HOST:$HOMEWARD_KC_PORT/realms/homeward (admin console user admin/admin)"
}

cmd_stop() {
  if ! pid_alive; then
    rm -f "$KC_PID"
    log "keycloak is not running"
    return 0
  fi
  local pid; pid=$(cat "$KC_PID")
  # The whole process group: kc.sh and its java.
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid"
  for _ in $(seq 1 30); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 1
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "keycloak did not stop within 30 s: killing it"
    kill -KILL -- "-$pid" 2>/dev/null || true
  fi
  rm -f "$KC_PID"
  log "keycloak stopped"
}

cmd_status() {
  if pid_alive && is_ready; then
    echo "keycloak: running on $HOMEWARD_HOST:$HOMEWARD_KC_PORT (management $HOMEWARD_KC_MGMT_PORT, pid $(cat "$KC_PID"))"
    return 0
  fi
  if pid_alive; then
    # Not usable yet: 3, so that "status || start" waits for it.
    echo "keycloak: starting (pid $(cat "$KC_PID"), not ready yet on $HOMEWARD_KC_MGMT_PORT)"
    return 3
  fi
  echo "keycloak: stopped (port $HOMEWARD_KC_PORT)"
  return 3
}

case "${1:-}" in
  install) cmd_install ;;
  start)   cmd_start ;;
  stop)    cmd_stop ;;
  status)  cmd_status || exit $? ;;   # 3 = not running: an answer, not an error
  *) echo "usage: $0 install|start|stop|status" >&2; exit 2 ;;
esac
