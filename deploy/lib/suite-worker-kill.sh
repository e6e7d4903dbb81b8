#!/usr/bin/env bash
# Fault suite: worker processes killed with SIGKILL in the middle of their batches, again and again, while photos
# keep arriving (docs/reliability.md). It starts its own web process and two worker processes from the built app,
# against a fresh database and photo store of their own (the demo's data is not touched), uploads fgnet-dev photos
# through the API with a real token, kills a worker every few seconds and starts it again, then checks that every
# upload the API acknowledged is there and analysed once, that no job was lost or done twice, and that the audit
# chain verifies. Exits 1 and says which check failed.
#   deploy/homeward suite worker-kill [PHOTOS (default 96)] [KILLS (default 6)]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

PG_BIN=/usr/lib/postgresql/15/bin                # as deploy/lib/postgres.sh
PHOTOS=${1:-96}
KILLS=${2:-6}
DATA=${HOMEWARD_DATA:-$REPO_DIR/../shared/data}/fgnet-dev
STAMP=$(date +%s)
DB=homeward_suite_kill_$STAMP
HOME_DIR=$HOMEWARD_HOME/suites/worker-kill-$STAMP
LEASE=PT15S
WEB_PORT=8581
declare -A PID PORT=([web]=8581 [w1]=8582 [w2]=8583)

[ -d "$DATA" ] || die "the suite uploads fgnet-dev photos and found none at $DATA (set HOMEWARD_DATA to the folder that holds fgnet-dev)"
app_built
command -v curl >/dev/null || die "curl is needed"
mkdir -p "$HOME_DIR/logs"
PSQL=(env PGPASSWORD="$HOMEWARD_PG_PASSWORD" "$PG_BIN/psql" -X -q -t -A -v ON_ERROR_STOP=1 -h "$HOMEWARD_HOST"
      -p "$HOMEWARD_PG_PORT" -U "$HOMEWARD_PG_USER")
sql() { "${PSQL[@]}" -d "$DB" -c "$1"; }

cleanup() {
  for p in "${PID[@]}"; do kill -9 "$p" 2>/dev/null || true; done
}
trap cleanup EXIT

for name in web w1 w2; do
  for p in "${PORT[$name]}" $((PORT[$name] + 10)); do
    port_in_use "$p" && die "port $p is taken (a suite left running? stop it first); the suite needs 8581-8583 and 8591-8593"
  done
done
log "database $DB, photo store and logs under $HOME_DIR"
"${PSQL[@]}" -d postgres -c "CREATE DATABASE $DB" || die "could not create the database $DB (is PostgreSQL up? deploy/homeward up)"

# One process of the app: ROLE web or worker, on its own ports, sharing the database and the photo store.
start() {
  local name=$1 role=$2 port=${PORT[$1]}
  # exec all the way down, so that $! is the JVM itself: the pid the suite kills and the one in the job's lease
  (cd "$REPO_DIR" && exec env HOMEWARD_ROLE="$role" HOMEWARD_HOME="$HOME_DIR" HOMEWARD_PG_DB="$DB" \
     HOMEWARD_HTTP_PORT="$port" HOMEWARD_MGMT_PORT=$((port + 10)) HOMEWARD_PROJECTIONS=false \
     java -Xmx1g -Dai.djl.offline=true -Dhomeward.worker.lease=$LEASE -Dquarkus.log.file.enabled=false \
       -jar target/quarkus-app/quarkus-run.jar >> "$HOME_DIR/logs/$name.log" 2>&1 < /dev/null) &
  PID[$name]=$!
  disown "$!"
}
ready() { curl -fsS "http://$HOMEWARD_HOST:${PORT[$1]}/q/health/ready" >/dev/null 2>&1; }
wait_ready() {
  wait_until 180 ready "$1" || { show_log_tail "$HOME_DIR/logs/$1.log"; die "$1 did not become ready within 180 s"; }
}

start web web
wait_ready web
start w1 worker
start w2 worker
wait_ready w1
wait_ready w2
log "web (pid ${PID[web]}) and two workers (pids ${PID[w1]}, ${PID[w2]}) are ready; job lease $LEASE"

token() {
  curl -fsS "$HOMEWARD_KEYCLOAK_URL_BASE/protocol/openid-connect/token" -d grant_type=password -d client_id=homeward-web \
    -d client_secret="${HOMEWARD_OIDC_SECRET:-homeward-web-secret}" -d username=investigator.north \
    -d password=homeward-demo -d scope=openid | sed -E 's/.*"access_token":"([^"]+)".*/\1/'
}
HOMEWARD_KEYCLOAK_URL_BASE="http://$HOMEWARD_HOST:$HOMEWARD_KC_PORT/realms/homeward"

# Uploads in the background, in bursts of a dozen (a backlog for the workers) with a pause between them, while
# the workers are killed. An id is written down only once the API has acknowledged it (201).
mapfile -t FILES < <(find "$DATA" -type f \( -iname '*.jpg' -o -iname '*.png' \) | sort | head -n "$PHOTOS")
[ "${#FILES[@]}" -ge "$PHOTOS" ] || die "fgnet-dev holds ${#FILES[@]} photos, fewer than the $PHOTOS asked for"
ACKED=$HOME_DIR/acknowledged.txt
: > "$ACKED"
(
  t=$(token); n=0
  for f in "${FILES[@]}"; do
    n=$((n + 1)); [ $((n % 20)) -eq 0 ] && t=$(token)
    out=$(curl -sS -o /dev/stdout -w '\n%{http_code}' -X POST "http://$HOMEWARD_HOST:$WEB_PORT/api/photos" \
      -H "Authorization: Bearer $t" -H "Content-Type: image/jpeg" --data-binary @"$f" || true)
    code=${out##*$'\n'}
    if [ "$code" = 201 ]; then
      echo "$out" | head -n1 | sed -E 's/^\{"id":([0-9]+).*/\1/' >> "$ACKED"
    else
      echo "upload of $f answered $code" >> "$HOME_DIR/upload-errors.txt"
    fi
    [ $((n % 12)) -eq 0 ] && sleep 6
  done
) &
UPLOADER=$!

pending() { sql "SELECT count(*) FROM job WHERE state IN ('queued', 'running')"; }
# The process that holds a running job's lease (its worker id is pid@host#thread), or nothing. Only jobs with an
# attempt left: a job whose worker dies on every attempt is given up on purpose (a photo that crashes the process
# must not loop forever; JobQueueTest proves that), and this suite is about the kills a queue must survive.
busy_pid() {
  sql "SELECT split_part(leased_by, '@', 1) FROM job WHERE state = 'running' AND attempts < max_attempts LIMIT 1"
}
started=$(date +%s)
kills=0
mid_batch=0
while [ "$kills" -lt "$KILLS" ]; do
  sleep $((1 + RANDOM % 3))
  # Wait (up to 60 s) for a worker to be in the middle of a batch, then kill exactly that process.
  victim=""
  for _ in $(seq 1 300); do
    pid=$(busy_pid)
    for name in w1 w2; do [ -n "$pid" ] && [ "${PID[$name]}" = "$pid" ] && victim=$name; done
    [ -n "$victim" ] && break
    sleep 0.2
  done
  if [ -z "$victim" ]; then
    victim=w$((1 + kills % 2))
    batch=0
  else
    batch=$(sql "SELECT count(*) FROM job WHERE state = 'running' AND leased_by LIKE '${PID[$victim]}@%'")
    [ "$(sql "SELECT count(*) FROM job WHERE state = 'running' AND leased_by LIKE '${PID[$victim]}@%' AND attempts >= max_attempts")" = 0 ] \
      || { victim=""; continue; }
  fi
  kill -9 "${PID[$victim]}" 2>/dev/null || true
  kills=$((kills + 1))
  [ "$batch" -gt 0 ] && mid_batch=$((mid_batch + 1))
  log "kill $kills of $KILLS: SIGKILL to $victim (pid ${PID[$victim]}) holding $batch running job(s); $(pending) waiting or running"
  start "$victim" worker
  wait_ready "$victim"
done
wait "$UPLOADER"
log "uploads done: $(wc -l < "$ACKED") acknowledged; waiting for the queue to drain (expired leases come back after $LEASE)"
wait_until 600 bash -c "[ \"\$(env PGPASSWORD=$HOMEWARD_PG_PASSWORD $PG_BIN/psql -X -q -t -A -h $HOMEWARD_HOST -p $HOMEWARD_PG_PORT -U $HOMEWARD_PG_USER -d $DB -c \"SELECT count(*) FROM job WHERE state IN ('queued', 'running')\")\" = 0 ]" \
  || die "jobs still waiting after 10 minutes: $(sql "SELECT string_agg(kind || ' ' || state || ' x' || n, ', ') FROM (SELECT kind, state, count(*) n FROM job GROUP BY 1, 2) j")"
drained=$(( $(date +%s) - started ))

failures=0
check() {  # check NAME EXPECTED ACTUAL
  if [ "$2" = "$3" ]; then log "PASS $1: $3"; else log "FAIL $1: expected $2, got $3"; failures=$((failures + 1)); fi
}
acked=$(sort -un "$ACKED" | wc -l)
ids=$(sort -un "$ACKED" | paste -sd, -)
[ -n "$ids" ] || die "no upload was acknowledged (see $HOME_DIR/upload-errors.txt and $HOME_DIR/logs/web.log)"
check "acknowledged uploads" "$PHOTOS" "$acked"
check "acknowledged photos with a row" "$acked" "$(sql "SELECT count(*) FROM photo WHERE id IN ($ids)")"
check "acknowledged photos analysed (state done)" "$acked" "$(sql "SELECT count(*) FROM photo WHERE id IN ($ids) AND state = 'done'")"
check "photo jobs, each done once" "$acked done" "$(sql "SELECT count(*) || ' ' || string_agg(DISTINCT state, ',') FROM job WHERE kind = 'process-photo' AND subject_id IN ($ids)")"
check "faces stored twice" 0 "$(sql "SELECT count(*) FROM (SELECT photo_id, face_index FROM face GROUP BY 1, 2 HAVING count(*) > 1) d")"
check "vectors stored twice" 0 "$(sql "SELECT count(*) FROM (SELECT face_id, model_id FROM embedding GROUP BY 1, 2 HAVING count(*) > 1) d")"
check "usable faces without a vector" 0 "$(sql "SELECT count(*) FROM face f WHERE f.usable AND NOT EXISTS (SELECT 1 FROM embedding e WHERE e.face_id = f.id)")"
check "photos processed twice (photo.processed events per photo > 1)" 0 "$(sql "SELECT count(*) FROM (SELECT object_id FROM audit_event WHERE action = 'photo.processed' GROUP BY 1 HAVING count(*) > 1) d")"
check "web process alive through every kill" yes "$(kill -0 "${PID[web]}" 2>/dev/null && echo yes || echo no)"
verify=$(HOMEWARD_PG_DB=$DB HOMEWARD_HOME=$HOME_DIR "${CLI_JAVA[@]}" audit verify 2>&1 | tail -n1 || true)
check "audit chain" intact "$(echo "$verify" | grep -q '^audit chain intact' && echo intact || echo "$verify")"

retaken=$(sql "SELECT count(*) FROM job WHERE kind = 'process-photo' AND attempts > 1")
faces=$(sql "SELECT count(*) FROM face")
log "figures: $acked photos, $faces faces, $kills SIGKILLs ($mid_batch in the middle of a batch), $retaken job(s) taken again after a kill, queue drained $drained s after the first upload"
[ "$mid_batch" -gt 0 ] || { log "FAIL no kill hit a worker in the middle of a batch: nothing was proved (more PHOTOS?)"; failures=$((failures + 1)); }
if [ "$failures" -gt 0 ]; then
  log "worker-kill suite FAILED: $failures check(s); logs in $HOME_DIR/logs, database $DB kept"
  exit 1
fi
log "worker-kill suite passed"
cleanup
# FORCE is refused while autovacuum is in the database (see ScratchDatabase); a plain DROP waits it out
"${PSQL[@]}" -d postgres -c "DROP DATABASE $DB WITH (FORCE)" >/dev/null 2>&1 \
  || "${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1 || true
