# shellcheck shell=bash
# S3: versitygw (Apache-2.0) built with `go install` from the Go module proxy into $STATE_DIR/bin, posix backend
# with a sidecar metadata folder (no xattrs needed), on 127.0.0.1:$S3_PORT, path-style, root credentials
# S3_ACCESS_KEY / S3_SECRET, region S3_REGION.

VERSITYGW_VERSION="${VERSITYGW_VERSION:-v1.7.0}"
S3_PORT="${S3_PORT:-9000}"
S3_HOME_DIR="$STATE_DIR/s3"
S3_BIN="$STATE_DIR/bin/versitygw"
S3_PIDFILE="$PID_DIR/s3.pid"
S3_LOG="$LOG_DIR/s3.log"
S3_HEALTH_PATH="/health"

s3_pid() {
  local pid
  pid="$(read_pid "$S3_PIDFILE")"
  if [[ -n "$pid" ]] && pid_is "$pid" "$S3_BIN"; then
    printf '%s' "$pid"
  elif pid="$(port_owner "$S3_PORT")" && [[ "$pid" != "?" ]] && pid_is "$pid" "$S3_BIN"; then
    printf '%s\n' "$pid" >"$S3_PIDFILE" 2>/dev/null || true
    printf '%s' "$pid"
  fi
  return 0
}

s3_healthy() { [[ "$(http_status "$S3_PORT" "$S3_HEALTH_PATH")" == 200 ]]; }

s3_install() {
  local t0 marker="$STATE_DIR/bin/.versitygw-$VERSITYGW_VERSION"
  [[ -x "$S3_BIN" && -f "$marker" ]] && return 0
  t0="$(now_ms)"
  command -v go >/dev/null 2>&1 ||
    die s3 "Go not found; it is needed once to build versitygw $VERSITYGW_VERSION (go install, Go 1.25 or newer)"
  say "s3: building versitygw $VERSITYGW_VERSION with go install (first time only, about 1-2 min)…"
  mkdir -p "$STATE_DIR/bin"
  rm -f "$STATE_DIR"/bin/.versitygw-*
  printf '=== %s go install github.com/versity/versitygw/cmd/versitygw@%s ===\n' "$(date -Is)" "$VERSITYGW_VERSION" >>"$S3_LOG"
  GOBIN="$STATE_DIR/bin" GOFLAGS="${GOFLAGS:-} -trimpath" \
    go install "github.com/versity/versitygw/cmd/versitygw@$VERSITYGW_VERSION" >>"$S3_LOG" 2>&1 9>&- </dev/null ||
    die s3 "go install github.com/versity/versitygw/cmd/versitygw@$VERSITYGW_VERSION failed"
  [[ -x "$S3_BIN" ]] || die s3 "go install finished but $(rel "$S3_BIN") is missing"
  touch "$marker"
  say "s3: installed versitygw $VERSITYGW_VERSION ($(du -h "$S3_BIN" | cut -f1), $(since "$t0"))"
}

ensure_s3() {
  trap_errors s3
  local t0 pid owner i
  t0="$(now_ms)"
  pid="$(s3_pid)"
  if [[ -z "$pid" ]] && owner="$(port_owner "$S3_PORT")"; then
    die s3 "port 127.0.0.1:$S3_PORT is taken by another process ($(describe_pid "$owner"))"
  fi
  if [[ -n "$pid" ]]; then
    for ((i = 0; i < INFRA_TIMEOUT * 4; i++)); do
      s3_healthy && break
      pid_running "$pid" || die s3 "pid $pid exited while we waited for it"
      sleep 0.25
    done
    s3_healthy || die s3 "running (pid $pid) but GET http://127.0.0.1:$S3_PORT$S3_HEALTH_PATH does not answer 200"
    say "s3: already running on 127.0.0.1:$S3_PORT (pid $pid)"
    return 0
  fi

  s3_install
  [[ -d "$S3_HOME_DIR/data" ]] || stamp_clear s3
  mkdir -p "$S3_HOME_DIR/data" "$S3_HOME_DIR/meta"
  rotate_log "$S3_LOG"
  rotate_log "$LOG_DIR/s3-access.log"
  printf '=== %s start versitygw %s ===\n' "$(date -Is)" "$VERSITYGW_VERSION" >>"$S3_LOG"
  # Credentials go through the environment, not the command line (visible in ps). Both spellings are set
  # because versitygw prefers ROOT_ACCESS_KEY_ID / ROOT_SECRET_ACCESS_KEY when present.
  (cd "$S3_HOME_DIR" &&
    ROOT_ACCESS_KEY_ID="${S3_ACCESS_KEY:-minioadmin}" ROOT_ACCESS_KEY="${S3_ACCESS_KEY:-minioadmin}" \
      ROOT_SECRET_ACCESS_KEY="${S3_SECRET:-minioadmin}" ROOT_SECRET_KEY="${S3_SECRET:-minioadmin}" \
      exec setsid "$S3_BIN" --port "127.0.0.1:$S3_PORT" --region "${S3_REGION:-us-east-1}" \
      --health "$S3_HEALTH_PATH" --quiet --access-log "$LOG_DIR/s3-access.log" \
      posix --sidecar "$S3_HOME_DIR/meta" "$S3_HOME_DIR/data") </dev/null >>"$S3_LOG" 2>&1 9>&- &
  pid=$!
  printf '%s\n' "$pid" >"$S3_PIDFILE"
  stamp_clear s3
  for ((i = 0; i < INFRA_TIMEOUT * 10; i++)); do
    pid_running "$pid" || die s3 "versitygw exited during startup (pid $pid)"
    s3_healthy && break
    sleep 0.1
  done
  s3_healthy || die s3 "GET http://127.0.0.1:$S3_PORT$S3_HEALTH_PATH did not answer 200 within ${INFRA_TIMEOUT}s"
  say "s3: started versitygw $VERSITYGW_VERSION on 127.0.0.1:$S3_PORT (pid $pid, $(since "$t0"))"
}

stop_s3() {
  trap_errors s3
  local pid t0 rc=0
  t0="$(now_ms)"
  pid="$(s3_pid)"
  if [[ -z "$pid" ]]; then
    rm -f "$S3_PIDFILE"
    say "s3: not running"
    return 0
  fi
  stop_pid "$pid" 30 || rc=$?
  ((rc == 1)) && die s3 "could not stop pid $pid"
  rm -f "$S3_PIDFILE"
  if ((rc == 2)); then
    say "s3: killed (pid $pid ignored SIGTERM for 30 s)"
  else
    say "s3: stopped (pid $pid, $(since "$t0"))"
  fi
}

status_s3() {
  local pid owner
  pid="$(s3_pid)"
  if [[ -n "$pid" ]]; then
    if s3_healthy; then
      printf '%-9s %-9s %-16s pid %s, versitygw %s (posix backend, path-style, region %s)\n' s3 healthy \
        "127.0.0.1:$S3_PORT" "$pid" "$VERSITYGW_VERSION" "${S3_REGION:-us-east-1}"
      return 0
    fi
    printf '%-9s %-9s %-16s pid %s runs but %s does not answer 200\n' s3 unhealthy "127.0.0.1:$S3_PORT" "$pid" "$S3_HEALTH_PATH"
    return 1
  fi
  if owner="$(port_owner "$S3_PORT")"; then
    printf '%-9s %-9s %-16s port taken by another process (%s)\n' s3 stopped "127.0.0.1:$S3_PORT" "$(describe_pid "$owner")"
  else
    printf '%-9s %-9s %-16s\n' s3 stopped "127.0.0.1:$S3_PORT"
  fi
  return 1
}

purge_s3() {
  rm -rf "$S3_HOME_DIR"
  stamp_clear s3
}
