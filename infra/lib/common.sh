# shellcheck shell=bash
# Shared helpers for infra/up, infra/down and infra/status. Sourced, never executed.
# All state lives under $STATE_DIR (default <repo>/.state): data, pid files, logs, downloaded tools.

INFRA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REPO_ROOT="$(cd "$INFRA_DIR/.." && pwd)"

STATE_DIR="${ROS_STATE_DIR:-$REPO_ROOT/.state}"
case "$STATE_DIR" in
  /*) ;;
  *) STATE_DIR="$PWD/$STATE_DIR" ;;
esac
STATE_DIR="${STATE_DIR%/}"
LOG_DIR="$STATE_DIR/logs"
PID_DIR="$STATE_DIR/run"
STAMP_DIR="$STATE_DIR/provisioned"
INFRA_TIMEOUT="${INFRA_TIMEOUT:-90}"

# Shown to the user: the state dir relative to the current directory when it is inside it.
rel() {
  local p="$1"
  if [[ "$p" == "$PWD/"* ]]; then printf '%s' "${p#"$PWD"/}"; else printf '%s' "$p"; fi
}

say() { printf '%s\n' "$*"; }

now_ms() { date +%s%3N; }

# Seconds since a now_ms timestamp, one decimal ("4.2 s").
since() {
  local ms=$(($(now_ms) - $1))
  printf '%d.%02d s' $((ms / 1000)) $(((ms % 1000) / 10))
}

# die SERVER MESSAGE: one readable line naming the server, then the tail of its log, exit 1.
die() {
  report_failure "$@"
  exit 1
}

# report_failure SERVER MESSAGE: what die prints, without exiting.
report_failure() {
  local server="$1"
  shift
  local msg="$server: $*"
  local log="$LOG_DIR/$server.log"
  if [[ -s "$log" ]]; then
    msg+=$'\n'"  last lines of $(rel "$log"):"$'\n'"$(tail -n "${INFRA_LOG_TAIL:-15}" "$log" | sed 's/^/    /')"
  fi
  printf '%s\n' "$msg" >&2
}

# Run inside a subshell per server: any unexpected failing command becomes a readable error.
trap_errors() {
  local server="$1"
  set -E
  # shellcheck disable=SC2064
  trap "die '$server' \"unexpected failure (exit \$?) at \${BASH_SOURCE[0]##*/}:\$LINENO: \$BASH_COMMAND\"" ERR
}

ensure_state_dirs() {
  mkdir -p "$STATE_DIR" "$LOG_DIR" "$PID_DIR" "$STAMP_DIR" ||
    die infra "cannot create the state folder $STATE_DIR"
}

# Serialise up/down (e.g. two `npm test` at once). fd 9 must be closed in every server we launch.
take_lock() {
  exec 9>"$STATE_DIR/.lock"
  if ! flock -n 9; then
    say "infra: waiting for another infra/up or infra/down to finish…"
    flock -w 600 9 || die infra "timed out waiting for the lock $(rel "$STATE_DIR/.lock")"
  fi
}

# A pid is running (and not a zombie).
pid_running() {
  local pid="$1" stat
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  stat="$(cat "/proc/$pid/stat" 2>/dev/null)" || return 1
  stat="${stat##*) }"
  [[ "${stat%% *}" != "Z" ]]
}

pid_cmdline() {
  tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | cut -c1-"${2:-400}"
}

# pid_is PID MARKER: the process runs and its command line contains MARKER.
pid_is() {
  pid_running "$1" && [[ "$(pid_cmdline "$1" 4000)" == *"$2"* ]]
}

read_pid() {
  local f="$1"
  if [[ -f "$f" ]]; then head -n1 "$f" 2>/dev/null || true; fi
}

# Something accepts TCP connections on 127.0.0.1:PORT.
port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# port_owner PORT: prints the pid listening on PORT (any address), "?" when unknown; fails when free.
port_owner() {
  local port="$1" line pid
  if command -v ss >/dev/null 2>&1; then
    line="$(ss -Htlnp "sport = :$port" 2>/dev/null | head -n1)"
    if [[ -z "$line" ]]; then
      port_open "$port" || return 1
      printf '?'
      return 0
    fi
    pid="$(grep -o 'pid=[0-9]*' <<<"$line" | head -n1 | cut -d= -f2)"
    printf '%s' "${pid:-?}"
    return 0
  fi
  port_open "$port" || return 1
  printf '?'
}

# Human description of a port owner: "pid 123: python3 -m http.server 9000".
describe_pid() {
  local pid="$1"
  if [[ "$pid" == "?" ]]; then
    printf 'pid unknown'
  else
    printf 'pid %s: %s' "$pid" "$(pid_cmdline "$pid" 100 | sed 's/ *$//')"
  fi
}

# HTTP status code of GET http://127.0.0.1:PORT/PATH ("000" when nothing answers).
http_status() {
  local port="$1" path="$2" code
  if command -v curl >/dev/null 2>&1; then
    code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 3 "http://127.0.0.1:$port$path" 2>/dev/null)" || true
    printf '%s' "${code:-000}"
    return 0
  fi
  (
    exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 0
    printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1:%s\r\n\r\n' "$path" "$port" >&3
    read -r -t 3 _ code _ <&3 && printf '%s' "$code"
  ) 2>/dev/null || printf '000'
}

# Keep logs bounded: a log above 50 MB is moved aside to <name>.log.old when its server starts.
rotate_log() {
  local log="$1"
  if [[ -f "$log" ]] && (($(stat -c %s "$log") > 50 * 1024 * 1024)); then
    mv -f "$log" "$log.old"
  fi
}

log_size() { stat -c %s "$1" 2>/dev/null || printf 0; }

# Lines written to LOG after byte OFFSET contain TEXT.
log_since_has() {
  local log="$1" offset="$2" text="$3"
  tail -c +"$((offset + 1))" "$log" 2>/dev/null | grep -qF -- "$text"
}

# stop_pid SERVER PID: SIGTERM, wait up to $2 s, then SIGKILL. Prints nothing.
stop_pid() {
  local pid="$1" wait_s="${2:-60}" i
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < wait_s * 10; i++)); do
    pid_running "$pid" || return 0
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do
    pid_running "$pid" || return 2
    sleep 0.1
  done
  return 1
}

# The provisioning stamp: what was last provisioned on a server (topics, buckets, roles…).
stamp_matches() { [[ -f "$STAMP_DIR/$1" && "$(cat "$STAMP_DIR/$1")" == "$2" ]]; }
stamp_write() { printf '%s' "$2" >"$STAMP_DIR/$1"; }
stamp_clear() { rm -f "$STAMP_DIR/$1"; }
