#!/usr/bin/env bash
# Shared settings and helpers for Homeward's deploy scripts. Sourced, never run.
# Every value can be overridden from the environment; docker-compose.yml and
# src/main/resources/application.properties use the same ports, names and paths.

DEPLOY_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REPO_DIR="$(cd "$DEPLOY_DIR/.." && pwd)"

: "${HOMEWARD_HOME:=/var/lib/homeward}"          # services' data, downloads, logs, model bundle
: "${HOMEWARD_LOGS:=$HOMEWARD_HOME/logs}"
: "${HOMEWARD_HOST:=127.0.0.1}"                  # one host name everywhere: the token issuer must match exactly
: "${HOMEWARD_PG_PORT:=55432}"
: "${HOMEWARD_PG_DB:=homeward}"
: "${HOMEWARD_PG_TEST_DB:=homeward_test}"
: "${HOMEWARD_PG_USER:=homeward}"
: "${HOMEWARD_PG_PASSWORD:=homeward}"
# The role the app itself connects as: the data's reader and writer, never the owner (db-migrations/V15).
: "${HOMEWARD_PG_APP_USER:=homeward_app}"
: "${HOMEWARD_PG_APP_PASSWORD:=homeward_app}"
: "${HOMEWARD_KC_PORT:=58180}"
: "${HOMEWARD_KC_MGMT_PORT:=58190}"
: "${HOMEWARD_KC_VERSION:=26.7.3}"
: "${HOMEWARD_HTTP_PORT:=8480}"
: "${HOMEWARD_MGMT_PORT:=8490}"                  # metrics and the OpenAPI document, on 127.0.0.1 only
: "${HOMEWARD_MODELS:=$HOMEWARD_HOME/models}"
# The app's Java heap: a 50-megapixel photo decodes to about 200 MB and the worker holds a batch of 4 (docs/performance.md);
# libtorch's memory is outside the heap. The JVM's own default (a quarter of the machine) grows with the machine instead.
: "${HOMEWARD_HEAP:=4g}"
# The S3-compatible server for the shared photo store (s3proxy on a loopback port; docs/deployment.md).
: "${HOMEWARD_S3_PORT:=55490}"
: "${HOMEWARD_S3_VERSION:=3.3.0}"
: "${HOMEWARD_S3_ACCESS_KEY:=homeward}"
: "${HOMEWARD_S3_SECRET_KEY:=homeward-s3-demo}"
export HOMEWARD_HOME HOMEWARD_LOGS HOMEWARD_HOST HOMEWARD_PG_PORT HOMEWARD_PG_DB HOMEWARD_PG_TEST_DB \
       HOMEWARD_PG_USER HOMEWARD_PG_PASSWORD HOMEWARD_PG_APP_USER HOMEWARD_PG_APP_PASSWORD HOMEWARD_KC_PORT HOMEWARD_KC_MGMT_PORT HOMEWARD_KC_VERSION \
       HOMEWARD_HTTP_PORT HOMEWARD_MGMT_PORT HOMEWARD_MODELS HOMEWARD_HEAP HOMEWARD_S3_PORT HOMEWARD_S3_VERSION \
       HOMEWARD_S3_ACCESS_KEY HOMEWARD_S3_SECRET_KEY
# DJL's OpenMP threads spin-wait on a busy 2-core machine and slow everything tenfold.
export OMP_WAIT_POLICY=PASSIVE
# On a GPU, NVIDIA's libraries compute convolutions in TF32 unless told not to, and the models then miss their
# known answers (measured on an H200, docs/deployment.md "GPU workers"); harmless on a CPU.
export NVIDIA_TF32_OVERRIDE=0

log()  { printf '[homeward] %s\n' "$*" >&2; }

# No script ends without a word: a failing command under `set -e` names itself, its script and line.
# Inherited by functions and subshells (-E); `die` reports its own message and exits 1 without it.
# A command that fails in an `if`, `while`, `!`, `&&` or `||` is a tested outcome and says nothing.
# Bash names only a pipeline's last command, so a failing pipeline also lists every stage's status.
# A subshell or $(...) that fails says so twice: once inside (the command), once outside (the subshell).
on_error() {
  local rc=$? cmd=$1 src=$2 line=$3 statuses=${4:-}
  local stages=""
  [[ $statuses == *" "* ]] && stages=" (pipeline statuses: $statuses)"
  printf '[homeward] ERROR: %s:%s: command failed (exit %s): %s%s\n' "${src#"$REPO_DIR"/}" "$line" "$rc" "$cmd" "$stages" >&2
}
set -E
trap 'on_error "$BASH_COMMAND" "${BASH_SOURCE[0]}" "$LINENO" "${PIPESTATUS[*]}"' ERR
die()  { printf '[homeward] ERROR: %s\n' "$*" >&2; exit 1; }

require_root() { [ "$(id -u)" = 0 ] || die "this step installs system packages and must run as root"; }

# apt-get that waits (10 min) for another apt/dpkg run to finish instead of failing on its lock.
apt_get() { DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout="${HOMEWARD_APT_LOCK_TIMEOUT:-600}" "$@"; }

# apt-get update at most once per run of a script.
apt_updated=""
apt_update_once() {
  if [ -z "$apt_updated" ]; then
    log "apt-get update"
    apt_get update -qq >/dev/null || die "apt-get update failed"
    apt_updated=1
  fi
}

# Installs the named Debian packages that are not installed yet.
apt_install() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  require_root
  apt_update_once
  log "installing ${missing[*]}"
  apt_get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || die "could not install Debian packages: ${missing[*]}"
}

# The machine's own Debian mirror: the first source whose URI ends in /debian (not -security) and that
# carries the `main` component (a third party serving its own suite from a .../debian URI, such as
# Docker's "bookworm stable", is not a Debian mirror), read from one-line sources
# ("deb [options] URI suite component...") and deb822 stanzas ("URIs:", "Components:", "Enabled: no") alike.
# Arguments: the source files to read (default: the system's). Prints nothing when none is found.
debian_mirror() {
  local files=("$@")
  if [ ${#files[@]} -eq 0 ]; then
    files=(/etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources)
  fi
  local f
  for f in "${files[@]}"; do
    [ -f "$f" ] || continue
    awk '
      function flush(  n, i, u) {
        if (uris != "" && enabled && has_main(comps)) {
          n = split(uris, u, /[ \t]+/)
          for (i = 1; i <= n; i++) if (u[i] != "") print u[i]
        }
        uris = ""; comps = ""; enabled = 1
      }
      function has_main(list,  n, i, c) {
        n = split(list, c, /[ \t]+/)
        for (i = 1; i <= n; i++) if (c[i] == "main") return 1
        return 0
      }
      BEGIN { enabled = 1 }
      /^[ \t]*#/ { next }
      /^[ \t]*$/ { flush(); next }
      /^[ \t]*deb(-src)?[ \t]/ {
        line = $0
        sub(/^[ \t]*deb(-src)?[ \t]+/, "", line)
        if (line ~ /^\[/) sub(/^\[[^]]*\][ \t]*/, "", line)
        n = split(line, w, /[ \t]+/)
        rest = ""
        for (i = 3; i <= n; i++) rest = rest " " w[i]
        if (has_main(rest)) print w[1]
        next
      }
      { key = tolower($0); sub(/:.*/, "", key); gsub(/[ \t]/, "", key)
        value = $0; sub(/^[^:]*:[ \t]*/, "", value) }
      key == "uris"       { uris = value; next }
      key == "components" { comps = value; next }
      key == "enabled"    { enabled = (tolower(value) !~ /^no/); next }
      END { flush() }
    ' "$f"
  done | grep -E '^https?://[^[:space:]]+/debian/?$' | head -n1 || true
}

# The deb-src line that ensure_trixie_sources writes, from the machine's Debian mirror (arguments: the
# source files to read, as debian_mirror). Dies when there is no Debian mirror to take it from.
trixie_src_line() {
  local mirror
  mirror=$(debian_mirror "$@")
  if [ -z "$mirror" ]; then
    if [ $# -eq 0 ]; then
      die "no Debian mirror found in /etc/apt/sources.list or /etc/apt/sources.list.d/ (one-line or deb822 form)"
    fi
    die "no Debian mirror found in $* (one-line or deb822 form)"
  fi
  echo "deb-src ${mirror%/} trixie main"
}

# Adds a trixie deb-src line (source packages only: pgvector, dlib's models) once.
ensure_trixie_sources() {
  local list=/etc/apt/sources.list.d/homeward-trixie-src.list line
  [ -f "$list" ] && return 0
  require_root
  line=$(trixie_src_line) || exit 1   # trixie_src_line said why
  echo "$line" > "$list"
  apt_updated=""
  apt_update_once
}

# Fails with a clear message when something other than our own service holds the port.
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Prints the last lines of a log after a failed start.
show_log_tail() { [ -f "$1" ] && { echo "---- last lines of $1 ----" >&2; tail -n "${2:-40}" "$1" >&2; }; }

# Waits until the command succeeds or the timeout (seconds) passes.
wait_until() {
  local timeout=$1; shift
  local end=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -ge $end ] && return 1
    sleep 2
  done
}

# ---- The app: where it runs, and its build (deploy/homeward and deploy/lib/doctor.sh) ---------------
APP_PID="$HOMEWARD_HOME/run/app.pid"
APP_URL="http://$HOMEWARD_HOST:$HOMEWARD_HTTP_PORT"
# The management interface: /q/metrics and /q/openapi, for operators on this machine only.
MGMT_URL="http://127.0.0.1:$HOMEWARD_MGMT_PORT"
APP_JAR="$REPO_DIR/target/quarkus-app/quarkus-run.jar"
# The commands beside the server (org.homeward.tools.Main), on the app's classes; run in $REPO_DIR.
CLI_JAVA=(java -Dai.djl.offline=true -cp "target/quarkus-app/app/*:target/quarkus-app/lib/main/*:target/quarkus-app/lib/boot/*" org.homeward.tools.Main)

app_running() { [ -f "$APP_PID" ] && kill -0 "$(cat "$APP_PID")" 2>/dev/null; }

build_tools() {
  command -v mvn >/dev/null || apt_install maven
  command -v java >/dev/null || apt_install openjdk-17-jdk-headless
}

# True when the jar is missing or older than the sources.
app_stale() {
  [ ! -f "$APP_JAR" ] || [ -n "$(find "$REPO_DIR/src" "$REPO_DIR/db-migrations" "$REPO_DIR/pom.xml" -newer "$APP_JAR" -print -quit)" ]
}

# Builds the jar when it is missing or older than the sources.
app_built() {
  build_tools
  if app_stale; then
    log "building the app (mvn package)"
    (cd "$REPO_DIR" && mvn -B -q package -DskipTests) > "$HOMEWARD_LOGS/build.log" 2>&1 \
      || { show_log_tail "$HOMEWARD_LOGS/build.log"; die "the build failed"; }
  fi
}
