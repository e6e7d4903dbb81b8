#!/usr/bin/env bash
# Load suite (docs/performance.md): Gatling drives USERS investigators for SECONDS against the running Homeward
# (deploy/homeward up) with real Keycloak tokens: they open a case, browse, upload fgnet-dev photos, wait for the
# worker to analyse them and record sightings. It prints per action the count, throughput, p50/p95/p99 and errors,
# and the job queue's depth over time; exits 1 on any failed request. It adds cases ("Load Test Child N"),
# photos and sightings ("Load test") to the database it runs against: a demo or staging instance, never production.
#   deploy/homeward suite load [USERS (default 8)] [SECONDS (default 180)]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

USERS=${1:-8}
SECONDS_RUN=${2:-180}
DATA=${HOMEWARD_DATA:-$REPO_DIR/../shared/data}/fgnet-dev/images
APP="http://$HOMEWARD_HOST:$HOMEWARD_HTTP_PORT"
[ -d "$DATA" ] || die "the load suite uploads fgnet-dev photos and found none at $DATA (set HOMEWARD_DATA)"
curl -fsS "$APP/q/health/ready" >/dev/null 2>&1 || die "Homeward is not running (ready) at $APP: start it with deploy/homeward up"
command -v python3 >/dev/null || apt_install python3

OUT="$REPO_DIR/target/load"
mkdir -p "$OUT"
log "Gatling: $USERS investigators for $SECONDS_RUN s against $APP (report under $OUT/gatling)"
cd "$REPO_DIR"
rc=0
mvn -B -f src/load/pom.xml test-compile gatling:test -Dusers="$USERS" -Dseconds="$SECONDS_RUN" -Dphotos="$DATA" \
  -Dhomeward.url="$APP" -Dhomeward.realm="http://$HOMEWARD_HOST:$HOMEWARD_KC_PORT/realms/homeward" \
  -Dhomeward.client-secret="${HOMEWARD_OIDC_SECRET:-homeward-web-secret}" \
  -Dhomeward.jdbc="jdbc:postgresql://$HOMEWARD_HOST:$HOMEWARD_PG_PORT/$HOMEWARD_PG_DB" \
  -Dhomeward.jdbc.user="$HOMEWARD_PG_USER" -Dhomeward.jdbc.password="$HOMEWARD_PG_PASSWORD" \
  -Dqueue.report="$OUT/queue-depth.csv" > "$OUT/gatling.log" 2>&1 || rc=$?
grep -E '^(queue depth summary|photo analysis)' "$OUT/gatling.log" || true
echo "(the queue's depth every 5 s: $OUT/queue-depth.csv)"
run=$(ls -td "$OUT"/gatling/*/ 2>/dev/null | head -n1)
[ -n "$run" ] && [ -f "$run/js/stats.js" ] || { tail -n 40 "$OUT/gatling.log" >&2; die "Gatling wrote no report (log: $OUT/gatling.log)"; }
grep -E '^(> |---- |Global: )' "$OUT/gatling.log" | grep -iE 'KO|found|Global:|Errors' || true
python3 - "$run/js/stats.js" "$(nproc)" "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)" <<'PY'
import json, re, sys
# Gatling's report keeps its figures in a JavaScript object: quote its bare keys and read it as JSON.
text = open(sys.argv[1]).read()
text = re.sub(r'^(\s*)([A-Za-z_]\w*):', r'\1"\2":', text[text.index('{'):], flags=re.M)
stats, _ = json.JSONDecoder().raw_decode(text)
num = lambda v: v if not isinstance(v, str) else (float(v) if v.replace('.', '', 1).isdigit() else 0)
print(f"machine: {sys.argv[3]}, {sys.argv[2]} cores")
print("| action | requests | errors | per second | p50 ms | p95 ms | p99 ms | max ms |")
print("|---|---|---|---|---|---|---|---|")
def row(name, s):
    print(f"| {name} | {int(num(s['numberOfRequests']['total']))} | {int(num(s['numberOfRequests']['ko']))} | "
          f"{num(s['meanNumberOfRequestsPerSecond']['total']):.2f} | {int(num(s['percentiles1']['total']))} | "
          f"{int(num(s['percentiles3']['total']))} | {int(num(s['percentiles4']['total']))} | "
          f"{int(num(s['maxResponseTime']['total']))} |")
def walk(node):
    for c in node.get("contents", {}).values():
        row(c["name"], c["stats"])
        walk(c)
walk(stats)
row("all requests", stats["stats"])
PY
[ "$rc" -eq 0 ] || die "the load run failed (a request failed or Gatling stopped; log: $OUT/gatling.log)"
log "load suite passed: no failed request"
