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
: "${HOMEWARD_KC_PORT:=58180}"
: "${HOMEWARD_KC_MGMT_PORT:=58190}"
: "${HOMEWARD_KC_VERSION:=26.7.3}"
: "${HOMEWARD_HTTP_PORT:=8480}"
: "${HOMEWARD_MODELS:=$HOMEWARD_HOME/models}"
export HOMEWARD_HOME HOMEWARD_LOGS HOMEWARD_HOST HOMEWARD_PG_PORT HOMEWARD_PG_DB HOMEWARD_PG_TEST_DB \
       HOMEWARD_PG_USER HOMEWARD_PG_PASSWORD HOMEWARD_KC_PORT HOMEWARD_KC_MGMT_PORT HOMEWARD_KC_VERSION \
       HOMEWARD_HTTP_PORT HOMEWARD_MODELS
# DJL's OpenMP threads spin-wait on a busy 2-core machine and slow everything tenfold.
export OMP_WAIT_POLICY=PASSIVE

log()  { printf '[homeward] %s\n' "$*" >&2; }

# No script ends without a word: a failing command under `set -e` names itself, its script and line.
# Inherited by functions and subshells (-E); `die` reports its own message and exits 1 without it.
on_error() {
  local rc=$? cmd=$1 src=$2 line=$3
  printf '[homeward] ERROR: %s:%s: command failed (exit %s): %s\n' "${src#"$REPO_DIR"/}" "$line" "$rc" "$cmd" >&2
}
set -E
trap 'on_error "$BASH_COMMAND" "${BASH_SOURCE[0]}" "$LINENO"' ERR
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

# The machine's own Debian mirror: the first URI ending in /debian (not -security, not a third party),
# read from one-line sources ("deb URI suite ...") and deb822 sources ("URIs: URI ...") alike.
# Arguments: the source files to read (default: the system's). Prints nothing when none is found.
debian_mirror() {
  local files=("$@")
  if [ ${#files[@]} -eq 0 ]; then
    files=(/etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources)
  fi
  local f
  for f in "${files[@]}"; do
    [ -f "$f" ] || continue
    sed -nE -e 's/^[[:space:]]*deb(-src)?[[:space:]]+(\[[^]]*\][[:space:]]+)?([^[:space:]]+).*/\3/p' \
            -e 's/^[[:space:]]*URIs:[[:space:]]*(.*)/\1/p' "$f" | tr ' \t' '\n\n'
  done | grep -E '^https?://[^[:space:]]+/debian/?$' | head -n1 || true
}

# Adds a trixie deb-src line (source packages only: pgvector, dlib's models) once.
ensure_trixie_sources() {
  local list=/etc/apt/sources.list.d/homeward-trixie-src.list mirror
  [ -f "$list" ] && return 0
  require_root
  mirror=$(debian_mirror)
  [ -n "$mirror" ] || die "no Debian mirror found in /etc/apt/sources.list or /etc/apt/sources.list.d/ (one-line or deb822 form)"
  echo "deb-src ${mirror%/} trixie main" > "$list"
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
