#!/usr/bin/env bash
# Homeward's doctor: checks the machine, the services, the app, the photo store and the model bundle,
# and runs the models' self-tests. One line per check, led by its verdict (OK, WARN or FAIL), then
#   doctor: N ok, N warnings, N failures
# Exit status 1 when any check FAILs, 0 otherwise (warnings do not fail it).
# Usage: deploy/lib/doctor.sh [all|self-test|facts]
#   all        every check (the default; `deploy/homeward doctor`, and the end of `deploy/homeward up`)
#   self-test  only the model self-tests (`deploy/homeward test` prints them before the tests)
#   facts      only the machine's CPU, SIMD flags, cores and memory, no verdicts (.ci/run prints them)
# It changes nothing but a temporary file in the photo store and, when the jar is older than the
# sources and the app is not running, the build in target/ (as `deploy/homeward models` does).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

: "${HOMEWARD_DOCTOR_SELFTEST_TIMEOUT:=600}"   # seconds the model self-tests may take
PG_BIN=/usr/lib/postgresql/15/bin                # as deploy/lib/postgres.sh
# The packages deploy/models/build-default-bundle.sh builds from dlib, besides Homeward's own
# (deploy/models/packages/*).
DLIB_PACKAGES=(dlib-face-detector-mmod dlib-face-embedder-v1 dlib-shape-predictor-5)
# The SIMD extensions that decide libtorch's (oneDNN's) kernels; amx stands for any amx_* flag.
SIMD_FLAGS=(avx2 avx512f avx512_bf16 avx512_vnni amx)

n_ok=0 n_warn=0 n_fail=0
ok()   { n_ok=$((n_ok + 1));     printf 'OK    %s\n' "$*"; }
warn() { n_warn=$((n_warn + 1)); printf 'WARN  %s\n' "$*"; }
fail() { n_fail=$((n_fail + 1)); printf 'FAIL  %s\n' "$*"; }
detail() { sed 's/^/      /'; }   # a check's own output, under its verdict line

# ---- machine facts ------------------------------------------------------------------------------

cpu_model() {
  local m
  m=$(sed -n 's/^model name[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo 2>/dev/null | head -n1 || true)
  [ -n "$m" ] || m=$(LC_ALL=C lscpu 2>/dev/null | sed -n 's/^Model name:[[:space:]]*//p' | head -n1 || true)
  echo "${m:-unknown} ($(uname -m))"
}

cpu_flags() { sed -n 's/^flags[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo 2>/dev/null | head -n1 || true; }

# "avx2 avx512f ..." present, then "|", then the ones missing (amx: any amx_* flag, listed by name).
simd_split() {
  local flags have=() missing=() f amx
  flags=" $(cpu_flags) "
  for f in "${SIMD_FLAGS[@]}"; do
    if [ "$f" = amx ]; then
      amx=$(tr ' ' '\n' <<<"$flags" | grep '^amx_' | sort | tr '\n' ' ' || true)
      if [ -n "$amx" ]; then have+=(${amx% }); else missing+=(amx); fi
    elif [[ $flags == *" $f "* ]]; then
      have+=("$f")
    else
      missing+=("$f")
    fi
  done
  echo "${have[*]:-}|${missing[*]:-}"
}

simd_text() {
  local s have missing
  s=$(simd_split); have=${s%%|*}; missing=${s#*|}
  echo "${have:-none of ${SIMD_FLAGS[*]}}${missing:+; missing: $missing}"
}

mem_kib() { sed -n "s/^$1:[[:space:]]*\([0-9]*\) kB/\1/p" /proc/meminfo; }
gib() { awk -v k="$1" 'BEGIN { printf "%.1f GiB", k / 1048576 }'; }

print_facts() {
  echo "cpu: $(cpu_model)"
  echo "simd: $(simd_text)"
  echo "cores: $(nproc)"
  echo "memory: $(gib "$(mem_kib MemTotal)") total, $(gib "$(mem_kib MemAvailable)") available"
}

check_machine() {
  local s
  s=$(simd_split)
  if [[ " ${s%%|*} " == *" avx2 "* ]]; then
    ok "cpu: $(cpu_model); simd: $(simd_text)"
  else
    warn "cpu: $(cpu_model); simd: $(simd_text) (without avx2 libtorch falls back to slow kernels)"
  fi

  local cores; cores=$(nproc)
  if [ "$cores" -ge 2 ]; then ok "cores: $cores"; else warn "cores: $cores (Keycloak, PostgreSQL and the app want at least 2)"; fi

  local total avail
  total=$(mem_kib MemTotal); avail=$(mem_kib MemAvailable)
  if [ "$total" -lt $((6 * 1048576)) ]; then
    warn "memory: $(gib "$total") total, $(gib "$avail") available (under 6 GiB: the services, the app and the tests may not fit)"
  elif [ "$avail" -lt 1048576 ]; then
    warn "memory: $(gib "$total") total, only $(gib "$avail") available"
  else
    ok "memory: $(gib "$total") total, $(gib "$avail") available"
  fi

  # HOMEWARD_HOME may not exist yet: its nearest existing folder is where it will be made.
  local dir=$HOMEWARD_HOME note="" line fs type avail_k mnt
  while [ ! -d "$dir" ]; do dir=$(dirname "$dir"); note=" (not created yet; measured at $dir)"; done
  line=$(df -PTk "$dir" | tail -n1)
  read -r fs type _ _ avail_k _ mnt <<<"$line"
  local text="disk: $(gib "$avail_k") free under $HOMEWARD_HOME$note, $type filesystem $fs on $mnt"
  if [ "$avail_k" -lt 1048576 ]; then
    fail "$text (under 1 GiB)"
  elif [ "$avail_k" -lt $((5 * 1048576)) ]; then
    warn "$text (under 5 GiB)"
  elif [ "$type" = tmpfs ]; then
    warn "$text (tmpfs: the database and photos are lost at reboot)"
  else
    ok "$text"
  fi

  local java_line java_version major
  if ! command -v java >/dev/null; then
    fail "java: not found (deploy/homeward up installs openjdk-17-jdk-headless)"
  else
    java_line=$(java -version 2>&1 | head -n1 || true)
    java_version=$(sed -n 's/.*version "\([^"]*\)".*/\1/p' <<<"$java_line")
    major=${java_version%%.*}
    [ "$major" = 1 ] && { major=${java_version#1.}; major=${major%%.*}; }   # 1.8.0_x
    if [[ $major =~ ^[0-9]+$ ]] && [ "$major" -ge 17 ]; then
      ok "java: $java_version ($(readlink -f "$(command -v java)"))"
    else
      fail "java: ${java_version:-unknown version} ($java_line); Homeward needs 17 or later"
    fi
  fi

  local mvn_line
  if command -v mvn >/dev/null; then
    mvn_line=$(mvn -B -v 2>/dev/null | head -n1 | sed 's/\x1b\[[0-9;]*m//g' || true)
    ok "maven: ${mvn_line:-present} ($(command -v mvn))"
  else
    warn "maven: mvn not found (deploy/homeward up and test install Debian's maven; needed to build the app)"
  fi
}

# ---- services -----------------------------------------------------------------------------------

check_postgres() {
  local status reachable="" version control
  if status=$("$DEPLOY_DIR/lib/postgres.sh" status 2>&1); then
    if [ -x "$PG_BIN/pg_isready" ] && "$PG_BIN/pg_isready" -q -h "$HOMEWARD_HOST" -p "$HOMEWARD_PG_PORT"; then
      reachable=1
      ok "$status; accepts connections"
    else
      fail "$status, but nothing answers on $HOMEWARD_HOST:$HOMEWARD_PG_PORT"
    fi
  else
    fail "$status (deploy/homeward up starts it)"
  fi

  control=""
  [ -x "$PG_BIN/pg_config" ] && control="$("$PG_BIN/pg_config" --sharedir)/extension/vector.control"
  if [ -z "$control" ] || [ ! -f "$control" ]; then
    fail "pgvector: not installed for PostgreSQL 15 (deploy/lib/postgres.sh install builds it)"
    return 0
  fi
  if [ -z "$reachable" ]; then
    ok "pgvector: $(sed -n "s/^default_version = '\(.*\)'/\1/p" "$control") installed ($control); the database not checked: PostgreSQL is not reachable"
    return 0
  fi
  # As the app connects: over TCP, as its role, with its password.
  if version=$(PGPASSWORD="$HOMEWARD_PG_PASSWORD" PGCONNECT_TIMEOUT=10 "$PG_BIN/psql" -X -At -w \
        -h "$HOMEWARD_HOST" -p "$HOMEWARD_PG_PORT" -U "$HOMEWARD_PG_USER" -d "$HOMEWARD_PG_DB" \
        -c "SELECT extversion FROM pg_extension WHERE extname = 'vector'" 2>&1); then
    if [ -n "$version" ]; then
      ok "pgvector: $version in database $HOMEWARD_PG_DB (connected as $HOMEWARD_PG_USER over TCP)"
    else
      fail "pgvector: installed, but the extension is missing from database $HOMEWARD_PG_DB (deploy/lib/postgres.sh install creates it)"
    fi
  else
    fail "pgvector: could not query database $HOMEWARD_PG_DB as $HOMEWARD_PG_USER: $(head -n1 <<<"$version")"
  fi
}

check_keycloak() {
  local status rc=0 realm_url="http://$HOMEWARD_HOST:$HOMEWARD_KC_PORT/realms/homeward/.well-known/openid-configuration"
  status=$("$DEPLOY_DIR/lib/keycloak.sh" status 2>&1) || rc=$?
  if [ $rc -ne 0 ]; then
    case "$status" in
      *starting*) warn "$status" ;;
      *) fail "$status (deploy/homeward up starts it)" ;;
    esac
  elif curl -fsS -m 10 -o /dev/null "$realm_url" 2>/dev/null; then
    ok "$status; realm homeward answers"
  else
    fail "$status, but the realm homeward does not answer at $realm_url"
  fi
}

check_app() {
  local url="$APP_URL/q/health/ready" body
  if app_running; then
    if body=$(curl -sS -m 15 -f "$url" 2>&1); then
      ok "app: ready at $APP_URL (pid $(cat "$APP_PID"))"
    else
      # Not ready: the health document names the check that is down.
      body=$(curl -sS -m 15 "$url" 2>&1 | tr -s ' \n\t' ' ' || true)
      fail "app: running (pid $(cat "$APP_PID")) but not ready at $url: ${body:0:400}"
    fi
  elif port_in_use "$HOMEWARD_HTTP_PORT"; then
    if curl -fsS -m 15 -o /dev/null "$url" 2>/dev/null; then
      ok "app: ready at $APP_URL (not started by deploy/homeward: no live pid in $APP_PID)"
    else
      warn "app: not started, and port $HOMEWARD_HTTP_PORT is taken by another program"
    fi
  else
    warn "app: not started (deploy/homeward up starts it)"
  fi
}

# Metrics and the OpenAPI document belong on the management interface (127.0.0.1:HOMEWARD_MGMT_PORT):
# answering on the main port would show them to everyone who reaches the pages.
check_operator_endpoints() {
  curl -fsS -m 15 -o /dev/null "$APP_URL/q/health/live" 2>/dev/null || return 0   # no app, nothing to check
  local path public=""
  for path in /q/metrics /q/openapi; do
    if curl -fsS -m 15 -o /dev/null "$APP_URL$path" 2>/dev/null; then public="$public $path"; fi
  done
  if [ -n "$public" ]; then
    fail "operator endpoints: public on the main port $APP_URL:$public (expected on the management interface only)"
  elif curl -fsS -m 15 -o /dev/null "$MGMT_URL/q/metrics" 2>/dev/null; then
    ok "operator endpoints: metrics and OpenAPI on $MGMT_URL only"
  else
    warn "operator endpoints: no metrics at $MGMT_URL/q/metrics (HOMEWARD_MGMT_PORT as the app was started with?)"
  fi
}

# ---- files --------------------------------------------------------------------------------------

check_photo_store() {
  if [ "${HOMEWARD_PHOTOS_STORE:-folder}" = s3 ]; then
    local endpoint=${HOMEWARD_PHOTOS_S3_ENDPOINT:-http://$HOMEWARD_HOST:$HOMEWARD_S3_PORT} code
    code=$(curl -s -m 5 -o /dev/null -w '%{http_code}' "$endpoint/" 2>/dev/null || true)
    if [ -n "$code" ] && [ "$code" != 000 ]; then
      ok "photo store: S3 at $endpoint answers (HTTP $code); the app checks its bucket at start"
    else
      fail "photo store: no S3 service answers at $endpoint (deploy/lib/s3.sh start, or set HOMEWARD_PHOTOS_S3_ENDPOINT)"
    fi
    return 0
  fi
  # The app's homeward.photos.storage: ${HOMEWARD_HOME}/photos unless HOMEWARD_PHOTOS_STORAGE overrides it.
  local store=${HOMEWARD_PHOTOS_STORAGE:-$HOMEWARD_HOME/photos} dir tmp
  dir=$store
  while [ ! -d "$dir" ]; do dir=$(dirname "$dir"); done
  if tmp=$(mktemp "$dir/.doctor.XXXXXX" 2>/dev/null) && echo probe > "$tmp" && rm -f "$tmp"; then
    if [ "$dir" = "$store" ]; then
      ok "photo store: $store is writable"
    else
      ok "photo store: $store is not created yet (the first upload creates it); $dir is writable"
    fi
  else
    [ -n "${tmp:-}" ] && rm -f "$tmp"
    fail "photo store: cannot create and delete a file in $dir"
  fi
}

check_bundle() {
  local expected=("${DLIB_PACKAGES[@]}") missing=() p found=0
  for p in "$DEPLOY_DIR"/models/packages/*/; do
    [ -d "$p" ] && expected+=("$(basename "$p")")
  done
  if [ ! -d "$HOMEWARD_MODELS" ]; then
    fail "model bundle: $HOMEWARD_MODELS does not exist (deploy/homeward models builds it)"
    return 0
  fi
  for p in "${expected[@]}"; do
    if [ -f "$HOMEWARD_MODELS/$p/manifest.json" ]; then found=$((found + 1)); else missing+=("$p"); fi
  done
  if [ ${#missing[@]} -eq 0 ]; then
    ok "model bundle: all $found packages in $HOMEWARD_MODELS"
  else
    fail "model bundle: missing from $HOMEWARD_MODELS: ${missing[*]} (deploy/homeward models builds them)"
  fi
}

# ---- model self-tests ---------------------------------------------------------------------------

# `models check` on the built app: its exit status is the verdict, its output lines follow indented.
# What it writes to stderr (libtorch's and SLF4J's start-up warnings) is shown only when it fails.
check_selftests() {
  if ! command -v java >/dev/null; then
    fail "model self-tests: not run, no java"
    return 0
  fi
  if app_stale; then
    if [ -f "$APP_JAR" ] && app_running; then
      # Rebuilding target/quarkus-app under the running app could break it: test what is built.
      warn "build: $APP_JAR is older than the sources; not rebuilt while the app runs from it (the self-tests below use it)"
    elif ! command -v mvn >/dev/null; then
      fail "model self-tests: not run, $APP_JAR is missing or older than the sources, and mvn is missing"
      return 0
    else
      mkdir -p "$HOMEWARD_LOGS"
      if ! (app_built); then
        fail "model self-tests: not run, the app did not build (log: $HOMEWARD_LOGS/build.log)"
        return 0
      fi
    fi
  fi
  local out err rc=0
  out=$(mktemp); err=$(mktemp)
  (cd "$REPO_DIR" && timeout "$HOMEWARD_DOCTOR_SELFTEST_TIMEOUT" "${CLI_JAVA[@]}" models check) >"$out" 2>"$err" </dev/null || rc=$?
  if [ $rc -eq 0 ]; then
    ok "model self-tests: passed (models check, $HOMEWARD_MODELS)"
    detail < "$out"
  else
    if [ $rc -eq 124 ]; then
      fail "model self-tests: timed out after ${HOMEWARD_DOCTOR_SELFTEST_TIMEOUT}s (HOMEWARD_DOCTOR_SELFTEST_TIMEOUT)"
    else
      fail "model self-tests: failed (models check exit $rc, $HOMEWARD_MODELS)"
    fi
    detail < "$out"
    if [ -s "$err" ]; then
      echo "      ---- its stderr, last 30 lines ----"
      tail -n 30 "$err" | detail
    fi
  fi
  rm -f "$out" "$err"
}

summary() {
  echo "doctor: $n_ok ok, $n_warn warnings, $n_fail failures"
  [ "$n_fail" -eq 0 ]
}

case "${1:-all}" in
  all)
    check_machine
    check_postgres
    check_keycloak
    check_app
    check_operator_endpoints
    check_photo_store
    check_bundle
    check_selftests
    summary || exit 1
    ;;
  self-test)
    check_selftests
    summary || exit 1
    ;;
  facts)
    print_facts
    ;;
  *) echo "usage: $0 [all|self-test|facts]" >&2; exit 2 ;;
esac
