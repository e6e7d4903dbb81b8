#!/usr/bin/env bash
# An S3-compatible server on a loopback port for the shared photo store: s3proxy (org.gaul:s3proxy from Maven
# Central) keeping its objects in a folder. It stands in for AWS S3, MinIO or Ceph on this machine: the tests of
# the S3 store run against it, and `HOMEWARD_PHOTOS_STORE=s3 deploy/homeward up` uses it (docs/deployment.md).
# Usage: deploy/lib/s3.sh install|start|stop|status
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

S3_BASE=$HOMEWARD_HOME/s3proxy
S3_JAR=$S3_BASE/s3proxy-$HOMEWARD_S3_VERSION-jar-with-dependencies.jar
S3_DATA=$HOMEWARD_HOME/s3
S3_CONF=$S3_BASE/s3proxy.conf
S3_PID=$S3_BASE/s3proxy.pid
S3_LOG=$HOMEWARD_LOGS/s3proxy.log
S3_URL="http://$HOMEWARD_HOST:$HOMEWARD_S3_PORT"

pid_alive() { [ -f "$S3_PID" ] && kill -0 "$(cat "$S3_PID")" 2>/dev/null; }
# Any HTTP answer is an S3 answer: without a signature it is 403, which still proves the server is up.
is_ready()  { [ "$(curl -s -m 5 -o /dev/null -w '%{http_code}' "$S3_URL/" 2>/dev/null)" != 000 ]; }

cmd_install() {
  mkdir -p "$S3_BASE" "$S3_DATA" "$HOMEWARD_LOGS"
  if [ -f "$S3_JAR" ]; then
    log "s3proxy $HOMEWARD_S3_VERSION already in $S3_BASE"
  else
    command -v mvn >/dev/null || die "mvn is needed to download s3proxy from Maven Central"
    log "downloading org.gaul:s3proxy:$HOMEWARD_S3_VERSION:jar-with-dependencies through Maven (100 MB)"
    (cd "$S3_BASE" && mvn -B org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
        -Dartifact="org.gaul:s3proxy:$HOMEWARD_S3_VERSION:jar:jar-with-dependencies" \
        -DoutputDirectory="$S3_BASE" -Dmdep.overWriteReleases=true >"$S3_BASE/download.log" 2>&1) \
      || { show_log_tail "$S3_BASE/download.log" 20; die "Maven could not download s3proxy $HOMEWARD_S3_VERSION"; }
    [ -f "$S3_JAR" ] || die "Maven ran but $S3_JAR is missing"
  fi
  # The settings are written each time, so a changed port or key takes effect at the next start.
  umask 077
  cat > "$S3_CONF" <<CONF
s3proxy.endpoint=$S3_URL
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$HOMEWARD_S3_ACCESS_KEY
s3proxy.credential=$HOMEWARD_S3_SECRET_KEY
jclouds.provider=filesystem
jclouds.filesystem.basedir=$S3_DATA
CONF
  log "s3proxy install done"
}

cmd_start() {
  [ -f "$S3_JAR" ] && [ -f "$S3_CONF" ] || die "s3proxy is not installed in $S3_BASE: run '$0 install' first"
  if pid_alive && is_ready; then
    log "s3proxy already running (pid $(cat "$S3_PID")) on $S3_URL"
    return 0
  fi
  if ! pid_alive; then
    rm -f "$S3_PID"
    port_in_use "$HOMEWARD_S3_PORT" && die "port $HOMEWARD_S3_PORT is already in use by another program: stop it or set HOMEWARD_S3_PORT"
    [ -f "$S3_LOG" ] && mv -f "$S3_LOG" "$S3_LOG.1"
    log "starting s3proxy on $S3_URL (objects in $S3_DATA, log $S3_LOG)"
    (setsid nohup java -Xmx256m -jar "$S3_JAR" --properties "$S3_CONF" >"$S3_LOG" 2>&1 </dev/null &
     echo $! > "$S3_PID")
  fi
  if ! wait_until 60 is_ready; then
    show_log_tail "$S3_LOG"
    pid_alive || die "s3proxy exited during start: $(grep -m1 -E 'Exception|Error' "$S3_LOG" 2>/dev/null || tail -n1 "$S3_LOG")"
    die "s3proxy not answering on $S3_URL after 60 s"
  fi
  log "s3proxy ready: $S3_URL (access key $HOMEWARD_S3_ACCESS_KEY)"
}

cmd_stop() {
  if ! pid_alive; then
    rm -f "$S3_PID"
    log "s3proxy is not running"
    return 0
  fi
  local pid; pid=$(cat "$S3_PID")
  kill -TERM "$pid"
  wait_until 20 bash -c "! kill -0 $pid 2>/dev/null" || kill -KILL "$pid" 2>/dev/null || true
  rm -f "$S3_PID"
  log "s3proxy stopped"
}

cmd_status() {
  if pid_alive && is_ready; then
    echo "s3proxy: running on $S3_URL (pid $(cat "$S3_PID"))"
    return 0
  fi
  echo "s3proxy: stopped (port $HOMEWARD_S3_PORT)"
  return 3
}

case "${1:-}" in
  install) cmd_install ;;
  start)   cmd_start ;;
  stop)    cmd_stop ;;
  status)  cmd_status || exit $? ;;   # 3 = not running: an answer, not an error
  *) echo "usage: $0 install|start|stop|status" >&2; exit 2 ;;
esac
