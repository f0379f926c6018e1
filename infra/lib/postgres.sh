# shellcheck shell=bash
# PostgreSQL: an own cluster under $STATE_DIR/postgres, run as the `postgres` OS user when we are root,
# listening on 127.0.0.1:$DB_PORT (password auth) and on a Unix socket inside the state folder (trust,
# directory reachable only by postgres and root). Binaries from Debian's postgresql package, installed with
# apt-get when missing.

PG_PORT="${DB_PORT:-5432}"
PG_USER="${DB_USER:-postgres}"
PG_PASSWORD="${DB_PASSWORD:-postgres}"
PG_DATABASES="${DB_NAME:-ros} ${KRUIZE_DB_NAME:-kruize} ${SOURCES_DB_NAME:-sources}"
PG_HOME="$STATE_DIR/postgres"
PGDATA_DIR="$PG_HOME/data"
PG_LOG="$LOG_DIR/postgres.log"
PG_BIN=""

# The socket path must fit in sun_path (107 bytes); fall back to /tmp for deep state folders.
if ((${#PG_HOME} + 24 <= 107)); then
  PG_SOCK="$PG_HOME/run"
else
  PG_SOCK="/tmp/ros-ocp-pg-$(printf '%s' "$STATE_DIR" | cksum | cut -d' ' -f1)"
fi

# Run a command as the postgres OS user (we are root) or as ourselves (we are not).
as_pg() {
  if ((EUID == 0)); then
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

# Sets PG_BIN to the directory holding initdb/pg_ctl: the major version of an existing cluster, else the newest.
pg_find_bin() {
  local want="" d
  if [[ -n "${PG_BIN_DIR:-}" ]]; then
    PG_BIN="$PG_BIN_DIR"
    [[ -x "$PG_BIN/pg_ctl" ]]
    return
  fi
  [[ -f "$PGDATA_DIR/PG_VERSION" ]] && want="$(cat "$PGDATA_DIR/PG_VERSION")"
  if [[ -n "$want" ]]; then
    d="/usr/lib/postgresql/$want/bin"
    if [[ -x "$d/pg_ctl" ]]; then
      PG_BIN="$d"
      return 0
    fi
    if compgen -G "/usr/lib/postgresql/*/bin/pg_ctl" >/dev/null; then
      die postgres "the cluster in $(rel "$PGDATA_DIR") was created by PostgreSQL $want, which is not installed" \
        "(found $(ls /usr/lib/postgresql | tr '\n' ' ')); run infra/down --purge to recreate it"
    fi
    return 1
  fi
  d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)"
  if [[ -n "$d" && -x "$d/initdb" && -x "$d/pg_ctl" ]]; then
    PG_BIN="$d"
    return 0
  fi
  return 1
}

pg_install() {
  local t0
  t0="$(now_ms)"
  if ((EUID != 0)) || ! command -v apt-get >/dev/null 2>&1; then
    die postgres "PostgreSQL server binaries not found in /usr/lib/postgresql/*/bin; install the Debian package" \
      "'postgresql' (as root: apt-get install -y postgresql) or set PG_BIN_DIR"
  fi
  say "postgres: installing the Debian package 'postgresql' with apt-get…"
  {
    printf '=== %s apt-get install postgresql ===\n' "$(date -Is)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update &&
      apt-get install -y --no-install-recommends postgresql-common &&
      # No system cluster: it would start on 5432 and take our port.
      sed -ri 's/^#?[[:space:]]*create_main_cluster[[:space:]]*=.*/create_main_cluster = false/' \
        /etc/postgresql-common/createcluster.conf &&
      apt-get install -y --no-install-recommends -o Dpkg::Options::=--force-confdef \
        -o Dpkg::Options::=--force-confold postgresql
  } >>"$PG_LOG" 2>&1 9>&- </dev/null || die postgres "apt-get install postgresql failed"
  pg_find_bin || die postgres "apt-get installed postgresql but no server binaries appeared in /usr/lib/postgresql/*/bin"
  say "postgres: installed PostgreSQL $(basename "$(dirname "$PG_BIN")") ($(since "$t0"))"
}

# Pid of our running postmaster, or nothing.
pg_pid() {
  local pid
  pid="$(head -n1 "$PGDATA_DIR/postmaster.pid" 2>/dev/null || true)"
  if [[ -n "$pid" ]] && pid_running "$pid" && [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" == postgres* ]]; then
    printf '%s' "$pid"
  fi
  return 0
}

pg_ready() {
  if [[ -n "$PG_BIN" && -x "$PG_BIN/pg_isready" ]]; then
    "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -t 3 >/dev/null 2>&1
  else
    port_open "$PG_PORT"
  fi
}

# The postgres OS user must reach $PG_HOME; grant search (o+x) on ancestors that block it.
pg_prepare_dirs() {
  mkdir -p "$PG_HOME"
  touch "$PG_LOG"
  ((EUID == 0)) || return 0
  id postgres >/dev/null 2>&1 ||
    die postgres "the 'postgres' OS user does not exist (it comes with Debian's postgresql-common package)"
  chown postgres:postgres "$PG_HOME" "$PG_LOG"
  chmod 700 "$PG_HOME"
  if [[ "$PG_SOCK" != "$PG_HOME/"* ]]; then
    mkdir -p "$PG_SOCK"
    chown postgres:postgres "$PG_SOCK"
    chmod 700 "$PG_SOCK"
  fi
  if ! as_pg test -w "$PG_HOME"; then
    local d="" part
    local -a parts
    IFS=/ read -ra parts <<<"${PG_HOME#/}"
    for part in "${parts[@]}"; do
      d="$d/$part"
      if ! as_pg test -x "$d"; then
        chmod o+x "$d" || die postgres "the postgres OS user cannot enter $d and chmod o+x failed; set ROS_STATE_DIR elsewhere"
        say "postgres: granted search permission (chmod o+x) on $d so the postgres OS user can reach the state folder"
      fi
    done
    as_pg test -w "$PG_HOME" ||
      die postgres "the postgres OS user cannot write to $PG_HOME; set ROS_STATE_DIR to a folder it can reach"
  fi
  if [[ "$PG_SOCK" == "$PG_HOME/"* ]]; then
    as_pg mkdir -p "$PG_SOCK"
    as_pg chmod 700 "$PG_SOCK"
  fi
}

# After a crash (kill -9) the dead postmaster can linger as a zombie until init reaps it; PostgreSQL then
# refuses to start ("lock file postmaster.pid already exists"). Wait for it, then drop the stale lock file.
# (PostgreSQL still refuses by itself if orphaned backends keep its shared memory attached.)
pg_clear_stale_lock() {
  local lock="$PGDATA_DIR/postmaster.pid" stale i
  [[ -f "$lock" ]] || return 0
  stale="$(head -n1 "$lock" 2>/dev/null || true)"
  [[ "$stale" =~ ^[0-9]+$ ]] || return 0
  if ! pid_running "$stale"; then # a zombie: wait for init to reap it (pid reuse by a non-postgres process: drop at once)
    for ((i = 0; i < 100; i++)); do
      [[ -e "/proc/$stale" ]] || return 0
      sleep 0.1
    done
  fi
  rm -f "$lock"
  say "postgres: removed the stale postmaster.pid of crashed pid $stale"
}

pg_signature() {
  printf 'port=%s user=%s password=%s dbs=%s bin=%s' "$PG_PORT" "$PG_USER" "$PG_PASSWORD" "$PG_DATABASES" "$PG_BIN" |
    sha256sum | cut -d' ' -f1
}

# Role with the configured password, and the databases; then a real password login over TCP.
pg_provision() {
  local sig
  sig="$(pg_signature)"
  if [[ "${1:-}" != force ]] && stamp_matches postgres "$sig"; then return 0; fi
  ROS_PG_USER="$PG_USER" ROS_PG_PASSWORD="$PG_PASSWORD" ROS_PG_DBS="$PG_DATABASES" \
    as_pg "$PG_BIN/psql" -X -q -h "$PG_SOCK" -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 \
    >>"$PG_LOG" 2>&1 9>&- <<'SQL' || die postgres "creating the role and databases failed"
\getenv ros_user ROS_PG_USER
\getenv ros_password ROS_PG_PASSWORD
\getenv ros_dbs ROS_PG_DBS
SELECT format('CREATE ROLE %I WITH SUPERUSER LOGIN', :'ros_user')
  WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'ros_user') \gexec
SELECT format('ALTER ROLE %I WITH LOGIN PASSWORD %L', :'ros_user', :'ros_password') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', d, :'ros_user')
  FROM unnest(string_to_array(:'ros_dbs', ' ')) AS d
  WHERE d <> '' AND NOT EXISTS (SELECT FROM pg_database WHERE datname = d) \gexec
SQL
  local db
  for db in $PG_DATABASES; do
    PGPASSWORD="$PG_PASSWORD" PGCONNECT_TIMEOUT=5 "$PG_BIN/psql" -X -q -At -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" \
      -d "$db" -c 'SELECT 1' >/dev/null 2>>"$PG_LOG" ||
      die postgres "password login as '$PG_USER' to database '$db' on 127.0.0.1:$PG_PORT failed"
  done
  stamp_write postgres "$sig"
  say "postgres: databases ${PG_DATABASES// /, } ready (user $PG_USER, password auth on 127.0.0.1:$PG_PORT)"
}

ensure_postgres() {
  trap_errors postgres
  local t0 pid owner
  t0="$(now_ms)"
  pg_find_bin || true
  pid="$(pg_pid)"
  if [[ -n "$pid" ]]; then
    if ! pg_ready; then
      local i
      for ((i = 0; i < INFRA_TIMEOUT * 2; i++)); do
        pg_ready && break
        sleep 0.5
      done
      pg_ready || die postgres "running (pid $pid) but not answering on 127.0.0.1:$PG_PORT; if DB_PORT changed, run infra/down first"
    fi
    say "postgres: already running on 127.0.0.1:$PG_PORT (pid $pid)"
    pg_provision
    return 0
  fi
  [[ -n "$PG_BIN" ]] || pg_install
  if owner="$(port_owner "$PG_PORT")"; then
    die postgres "port 127.0.0.1:$PG_PORT is taken by another process ($(describe_pid "$owner")); stop it or set DB_PORT"
  fi
  pg_prepare_dirs
  pg_clear_stale_lock
  if [[ ! -f "$PGDATA_DIR/PG_VERSION" ]]; then
    stamp_clear postgres
    printf '=== %s initdb ===\n' "$(date -Is)" >>"$PG_LOG"
    as_pg "$PG_BIN/initdb" -D "$PGDATA_DIR" -U postgres --encoding=UTF8 --locale=C \
      --auth-local=trust --auth-host=scram-sha-256 >>"$PG_LOG" 2>&1 9>&- </dev/null ||
      die postgres "initdb failed"
    say "postgres: initialised a new cluster in $(rel "$PGDATA_DIR")"
  fi
  rotate_log "$PG_LOG"
  printf '=== %s start ===\n' "$(date -Is)" >>"$PG_LOG"
  as_pg "$PG_BIN/pg_ctl" start -D "$PGDATA_DIR" -l "$PG_LOG" -w -t "$INFRA_TIMEOUT" -s \
    -o "-c listen_addresses=127.0.0.1 -c port=$PG_PORT -c unix_socket_directories='$PG_SOCK' -c max_connections=${PG_MAX_CONNECTIONS:-200}" \
    >>"$PG_LOG" 2>&1 9>&- </dev/null ||
    die postgres "failed to start within ${INFRA_TIMEOUT}s (pg_ctl start)"
  pg_ready || die postgres "started but not answering on 127.0.0.1:$PG_PORT"
  say "postgres: started PostgreSQL $(cat "$PGDATA_DIR/PG_VERSION") on 127.0.0.1:$PG_PORT (pid $(pg_pid), $(since "$t0"))"
  pg_provision force
}

stop_postgres() {
  trap_errors postgres
  local pid t0
  t0="$(now_ms)"
  pid="$(pg_pid)"
  if [[ -z "$pid" ]]; then
    say "postgres: not running"
    return 0
  fi
  pg_find_bin || true
  if [[ -n "$PG_BIN" ]] &&
    as_pg "$PG_BIN/pg_ctl" stop -D "$PGDATA_DIR" -m fast -w -t 60 -s >>"$PG_LOG" 2>&1 9>&- </dev/null; then
    :
  else
    # SIGINT is PostgreSQL's "fast" shutdown; stop_pid escalates to SIGKILL.
    kill -INT "$pid" 2>/dev/null || true
    stop_pid "$pid" 30 || die postgres "could not stop pid $pid"
  fi
  say "postgres: stopped (pid $pid, $(since "$t0"))"
}

status_postgres() {
  local pid owner
  pg_find_bin || true
  pid="$(pg_pid)"
  if [[ -n "$pid" ]]; then
    if pg_ready; then
      printf '%-9s %-9s %-16s pid %s, PostgreSQL %s, databases %s\n' postgres healthy "127.0.0.1:$PG_PORT" "$pid" \
        "$(cat "$PGDATA_DIR/PG_VERSION")" "${PG_DATABASES// /,}"
      return 0
    fi
    printf '%-9s %-9s %-16s pid %s runs but does not answer\n' postgres unhealthy "127.0.0.1:$PG_PORT" "$pid"
    return 1
  fi
  if owner="$(port_owner "$PG_PORT")"; then
    printf '%-9s %-9s %-16s port taken by another process (%s)\n' postgres stopped "127.0.0.1:$PG_PORT" "$(describe_pid "$owner")"
  else
    printf '%-9s %-9s %-16s\n' postgres stopped "127.0.0.1:$PG_PORT"
  fi
  return 1
}

purge_postgres() {
  rm -rf "$PG_HOME"
  [[ "$PG_SOCK" == "$PG_HOME/"* ]] || rm -rf "$PG_SOCK"
  stamp_clear postgres
}
