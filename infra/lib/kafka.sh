# shellcheck shell=bash
# Apache Kafka, single-node KRaft (broker + controller in one JVM), from Maven Central jars (infra/kafka/pom.xml).
# Listener 127.0.0.1:$KAFKA_PORT, controller 127.0.0.1:$KAFKA_CONTROLLER_PORT, data in $STATE_DIR/kafka/data.

KAFKA_VERSION="${KAFKA_VERSION:-4.1.2}"
KAFKA_PORT="${KAFKA_PORT:-29092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-29093}"
# Fixed, so a reused data folder always matches (any base64url UUID; this one is from Kafka's docker examples).
KAFKA_CLUSTER_ID="${KAFKA_CLUSTER_ID:-4L6g3nShT-eMCtK--X86sw}"
KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m}"
KAFKA_TOOL_DIR="$STATE_DIR/tools/kafka-$KAFKA_VERSION"
KAFKA_HOME_DIR="$STATE_DIR/kafka"
KAFKA_DATA_DIR="$KAFKA_HOME_DIR/data"
KAFKA_PROPS="$KAFKA_HOME_DIR/server.properties"
KAFKA_PIDFILE="$PID_DIR/kafka.pid"
KAFKA_LOG="$LOG_DIR/kafka.log"
# Present on our broker's command line: tells our JVM apart from any other process.
KAFKA_MARKER="-Dros.ocp.infra=kafka:$KAFKA_HOME_DIR"

kafka_legacy() { [[ "$KAFKA_VERSION" == 3.* ]]; }

kafka_java() {
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
    printf '%s' "$JAVA_HOME/bin/java"
  elif command -v java >/dev/null 2>&1; then
    command -v java
  fi
  return 0
}

# Pid of our broker (from the pid file; re-adopted from the port owner when the pid file was lost), or nothing.
kafka_pid() {
  local pid
  pid="$(read_pid "$KAFKA_PIDFILE")"
  if [[ -n "$pid" ]] && pid_is "$pid" "$KAFKA_MARKER"; then
    printf '%s' "$pid"
  elif pid="$(port_owner "$KAFKA_PORT")" && [[ "$pid" != "?" ]] && pid_is "$pid" "$KAFKA_MARKER"; then
    printf '%s\n' "$pid" >"$KAFKA_PIDFILE" 2>/dev/null || true
    printf '%s' "$pid"
  fi
  return 0
}

# What the installed jar set was made from (version + pom): a machine installed before the pom changed (e.g. before
# kafka-tools was added) fetches again. The value is kept in $KAFKA_TOOL_DIR/.installed.
kafka_install_sig() {
  { printf '%s\n' "$KAFKA_VERSION"; cat "$INFRA_DIR/kafka/pom.xml"; } | sha256sum | cut -d' ' -f1
}

kafka_installed() {
  [[ -f "$KAFKA_TOOL_DIR/.installed" && "$(cat "$KAFKA_TOOL_DIR/.installed")" == "$(kafka_install_sig)" ]]
}

# kafka_install [add]: fetch the jars of infra/kafka/pom.xml unless the installed set was made from it.
# Mode add (a broker runs on the current jars): only add the missing jars, never remove or replace one it may load.
kafka_install() {
  local mode="${1:-replace}" t0 tmp jar added=0 legacy=()
  kafka_installed && return 0
  t0="$(now_ms)"
  command -v mvn >/dev/null 2>&1 ||
    die kafka "Maven (mvn) not found; it is needed once to fetch the Kafka $KAFKA_VERSION jars from Maven Central (apt-get install -y maven)"
  say "kafka: fetching the Kafka $KAFKA_VERSION jars from Maven Central (mvn copy-dependencies)…"
  kafka_legacy && legacy=(-Dkafka.legacy)
  tmp="$KAFKA_TOOL_DIR/libs.tmp"
  rm -rf "$tmp"
  mkdir -p "$KAFKA_TOOL_DIR"
  printf '=== %s mvn copy-dependencies kafka_2.13:%s ===\n' "$(date -Is)" "$KAFKA_VERSION" >>"$KAFKA_LOG"
  mvn -B -q -f "$INFRA_DIR/kafka/pom.xml" "-Dkafka.version=$KAFKA_VERSION" "${legacy[@]}" \
    org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
    "-DoutputDirectory=$tmp" -DincludeScope=runtime >>"$KAFKA_LOG" 2>&1 9>&- </dev/null ||
    die kafka "mvn could not fetch org.apache.kafka:kafka_2.13:$KAFKA_VERSION from Maven Central"
  compgen -G "$tmp/kafka_2.13-$KAFKA_VERSION.jar" >/dev/null ||
    die kafka "mvn finished but kafka_2.13-$KAFKA_VERSION.jar is missing from $(rel "$tmp")"
  compgen -G "$tmp/kafka-tools-$KAFKA_VERSION.jar" >/dev/null ||
    die kafka "mvn finished but kafka-tools-$KAFKA_VERSION.jar (the command-line tools) is missing from $(rel "$tmp")"
  compgen -G "$tmp/log4j-slf4j-impl-*.jar" >/dev/null || compgen -G "$tmp/slf4j-reload4j-*.jar" >/dev/null ||
    die kafka "no SLF4J logging binding among the jars (the broker would be silent)"
  if [[ "$mode" == add && -d "$KAFKA_TOOL_DIR/libs" ]]; then
    for jar in "$tmp"/*.jar; do
      [[ -e "$KAFKA_TOOL_DIR/libs/${jar##*/}" ]] && continue
      mv "$jar" "$KAFKA_TOOL_DIR/libs/" || die kafka "could not move ${jar##*/} into $(rel "$KAFKA_TOOL_DIR/libs")"
      added=$((added + 1))
    done
    rm -rf "$tmp"
    kafka_install_sig >"$KAFKA_TOOL_DIR/.installed"
    say "kafka: added $added jars to the Kafka $KAFKA_VERSION install (the running broker keeps its own; $(since "$t0"))"
    return 0
  fi
  rm -rf "$KAFKA_TOOL_DIR/libs"
  mv "$tmp" "$KAFKA_TOOL_DIR/libs"
  kafka_install_sig >"$KAFKA_TOOL_DIR/.installed"
  say "kafka: installed Kafka $KAFKA_VERSION ($(find "$KAFKA_TOOL_DIR/libs" -name '*.jar' | wc -l) jars, $(du -sh "$KAFKA_TOOL_DIR/libs" | cut -f1), $(since "$t0"))"
}

# kafka_tool NAME PROG ARG…: runs one of Kafka's command-line tools (ConsoleProducer, ConsoleConsumer) on the
# installed jars as PROG (for messages), logging warnings only (to stderr), --bootstrap-server defaulting to the
# local broker. Replaces the shell.
kafka_tool() {
  local name="$1" prog="${2:-kafka}" class java arg logging defaults=()
  shift 2
  case "$name" in
    # Kafka 3.9 still has the producer in the broker jar; the consumer moved to kafka-tools in 3.8.
    ConsoleProducer) if kafka_legacy; then class=kafka.tools.ConsoleProducer; else class=org.apache.kafka.tools.ConsoleProducer; fi ;;
    ConsoleConsumer) class=org.apache.kafka.tools.consumer.ConsoleConsumer ;;
    *)
      printf '%s: unknown Kafka tool %s\n' "$prog" "$name" >&2
      exit 2
      ;;
  esac
  if [[ ! -f "$KAFKA_TOOL_DIR/libs/kafka-tools-$KAFKA_VERSION.jar" ]]; then
    printf '%s: the Kafka %s command-line tools are not installed in %s; run infra/up first\n' "$prog" \
      "$KAFKA_VERSION" "$(rel "$KAFKA_TOOL_DIR/libs")" >&2
    exit 1
  fi
  java="$(kafka_java)"
  if [[ -z "$java" ]]; then
    printf '%s: java not found; the Kafka tools need Java 17 (apt-get install -y openjdk-17-jre-headless)\n' "$prog" >&2
    exit 1
  fi
  defaults=(--bootstrap-server "127.0.0.1:$KAFKA_PORT")
  for arg in "$@"; do
    case "$arg" in
      --bootstrap-server | --bootstrap-server=* | --broker-list | --broker-list=*) defaults=() ;;
    esac
  done
  if kafka_legacy; then
    logging="-Dlog4j.configuration=file:$INFRA_DIR/kafka/tools-log4j.properties"
  else
    logging="-Dlog4j2.configurationFile=$INFRA_DIR/kafka/tools-log4j2.properties"
  fi
  exec "$java" -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djava.awt.headless=true "$logging" \
    -cp "$KAFKA_TOOL_DIR/libs/*" "$class" "${defaults[@]}" "$@"
}

kafka_write_properties() {
  mkdir -p "$KAFKA_DATA_DIR"
  cat >"$KAFKA_PROPS" <<EOF
# Generated by infra/lib/kafka.sh on every start; edit that file, not this one.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$KAFKA_DATA_DIR
num.partitions=1
auto.create.topics.enable=true
# Single node: replication factor 1 everywhere, or __consumer_offsets cannot be created
# and consumers loop on "The group coordinator is not available".
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
num.network.threads=2
num.io.threads=2
EOF
}

kafka_check_java() {
  local java="$1" v major
  [[ -n "$java" ]] || die kafka "java not found; Kafka $KAFKA_VERSION needs a JDK/JRE 17 (apt-get install -y openjdk-17-jre-headless)"
  v="$("$java" -version 2>&1 | head -n1)"
  major="$(sed -E 's/.*version "([0-9]+)(\.([0-9]+))?.*/\1 \3/' <<<"$v")"
  [[ "${major%% *}" == 1 ]] && major="${major#* }" || major="${major%% *}"
  if ! kafka_legacy && [[ "$major" =~ ^[0-9]+$ ]] && ((major < 17)); then
    die kafka "Kafka $KAFKA_VERSION needs Java 17 or newer, found: $v"
  fi
}

# ": <first ERROR line>" logged since byte OFFSET (the cause is rarely in the tail, which is the shutdown).
kafka_first_error() {
  local line
  line="$(tail -c +"$(($1 + 1))" "$KAFKA_LOG" 2>/dev/null | grep -m1 -E '\] (ERROR|FATAL) |^Error|Exception' | cut -c1-300 || true)"
  [[ -n "$line" ]] && printf ': %s' "$line"
  return 0
}

ensure_kafka() {
  trap_errors kafka
  local t0 pid owner port java offset i
  t0="$(now_ms)"
  pid="$(kafka_pid)"
  if [[ -z "$pid" ]]; then
    for port in "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"; do
      if owner="$(port_owner "$port")"; then
        die kafka "port 127.0.0.1:$port is taken by another process ($(describe_pid "$owner"))"
      fi
    done
  fi
  if [[ -n "$pid" ]]; then
    for ((i = 0; i < INFRA_TIMEOUT * 4; i++)); do
      port_open "$KAFKA_PORT" && break
      pid_running "$pid" || die kafka "pid $pid exited while we waited for it"
      sleep 0.25
    done
    port_open "$KAFKA_PORT" || die kafka "running (pid $pid) but 127.0.0.1:$KAFKA_PORT accepts no connections after ${INFRA_TIMEOUT}s"
    # A broker started from an older jar set (e.g. before kafka-tools was added): add what the tools need.
    if ! kafka_installed; then
      (kafka_install add) || say "kafka: warning: could not add the missing jars; infra/kafka-console-* may not work" >&2
    fi
    say "kafka: already running on 127.0.0.1:$KAFKA_PORT (pid $pid)"
    return 0
  fi

  java="$(kafka_java)"
  kafka_check_java "$java"
  kafka_install
  if [[ -f "$KAFKA_DATA_DIR/meta.properties" && -f "$KAFKA_HOME_DIR/version" ]] &&
    [[ "$(cat "$KAFKA_HOME_DIR/version")" != "$KAFKA_VERSION" ]]; then
    die kafka "the data in $(rel "$KAFKA_DATA_DIR") was written by Kafka $(cat "$KAFKA_HOME_DIR/version"), not $KAFKA_VERSION;" \
      "run infra/down --purge first (or set KAFKA_VERSION=$(cat "$KAFKA_HOME_DIR/version"))"
  fi
  kafka_write_properties
  local cp="$KAFKA_TOOL_DIR/libs/*" logging
  if kafka_legacy; then
    logging="-Dlog4j.configuration=file:$INFRA_DIR/kafka/log4j.properties"
  else
    logging="-Dlog4j2.configurationFile=$INFRA_DIR/kafka/log4j2.properties"
  fi
  if [[ ! -f "$KAFKA_DATA_DIR/meta.properties" ]]; then
    stamp_clear kafka
    printf '=== %s format ===\n' "$(date -Is)" >>"$KAFKA_LOG"
    "$java" -Xmx256m "$logging" -cp "$cp" kafka.tools.StorageTool format -t "$KAFKA_CLUSTER_ID" -c "$KAFKA_PROPS" \
      --ignore-formatted >>"$KAFKA_LOG" 2>&1 9>&- </dev/null ||
      die kafka "formatting the KRaft storage in $(rel "$KAFKA_DATA_DIR") failed"
    printf '%s\n' "$KAFKA_VERSION" >"$KAFKA_HOME_DIR/version"
    say "kafka: formatted KRaft storage in $(rel "$KAFKA_DATA_DIR") (cluster id $KAFKA_CLUSTER_ID)"
  fi

  rotate_log "$KAFKA_LOG"
  printf '=== %s start Kafka %s ===\n' "$(date -Is)" "$KAFKA_VERSION" >>"$KAFKA_LOG"
  offset="$(log_size "$KAFKA_LOG")"
  # shellcheck disable=SC2086 # KAFKA_HEAP_OPTS is a list of JVM flags
  (cd "$KAFKA_HOME_DIR" && exec setsid "$java" $KAFKA_HEAP_OPTS -server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -XX:MaxInlineLevel=15 \
    -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true "$KAFKA_MARKER" "$logging" \
    -cp "$cp" kafka.Kafka "$KAFKA_PROPS") </dev/null >>"$KAFKA_LOG" 2>&1 9>&- &
  pid=$!
  printf '%s\n' "$pid" >"$KAFKA_PIDFILE"
  stamp_clear kafka
  for ((i = 0; i < INFRA_TIMEOUT * 4; i++)); do
    pid_running "$pid" || die kafka "the broker exited during startup (pid $pid)$(kafka_first_error "$offset")"
    log_since_has "$KAFKA_LOG" "$offset" "Kafka Server started" && break
    sleep 0.25
  done
  log_since_has "$KAFKA_LOG" "$offset" "Kafka Server started" ||
    die kafka "no \"Kafka Server started\" in the log within ${INFRA_TIMEOUT}s (pid $pid still running)$(kafka_first_error "$offset")"
  port_open "$KAFKA_PORT" || die kafka "started but 127.0.0.1:$KAFKA_PORT accepts no connections"
  say "kafka: started Kafka $KAFKA_VERSION (KRaft) on 127.0.0.1:$KAFKA_PORT (pid $pid, $(since "$t0"))"
}

stop_kafka() {
  trap_errors kafka
  local pid t0 rc=0
  t0="$(now_ms)"
  pid="$(kafka_pid)"
  if [[ -z "$pid" ]]; then
    rm -f "$KAFKA_PIDFILE"
    say "kafka: not running"
    return 0
  fi
  stop_pid "$pid" 60 || rc=$?
  ((rc == 1)) && die kafka "could not stop pid $pid"
  rm -f "$KAFKA_PIDFILE"
  if ((rc == 2)); then
    say "kafka: killed (pid $pid ignored SIGTERM for 60 s)"
  else
    say "kafka: stopped (pid $pid, $(since "$t0"))"
  fi
}

status_kafka() {
  local pid owner
  pid="$(kafka_pid)"
  if [[ -n "$pid" ]]; then
    if port_open "$KAFKA_PORT"; then
      printf '%-9s %-9s %-16s pid %s, Kafka %s (KRaft), controller 127.0.0.1:%s\n' kafka healthy "127.0.0.1:$KAFKA_PORT" \
        "$pid" "$(cat "$KAFKA_HOME_DIR/version" 2>/dev/null || printf '%s' "$KAFKA_VERSION")" "$KAFKA_CONTROLLER_PORT"
      return 0
    fi
    printf '%-9s %-9s %-16s pid %s runs but accepts no connections (starting?)\n' kafka unhealthy "127.0.0.1:$KAFKA_PORT" "$pid"
    return 1
  fi
  if owner="$(port_owner "$KAFKA_PORT")"; then
    printf '%-9s %-9s %-16s port taken by another process (%s)\n' kafka stopped "127.0.0.1:$KAFKA_PORT" "$(describe_pid "$owner")"
  else
    printf '%-9s %-9s %-16s\n' kafka stopped "127.0.0.1:$KAFKA_PORT"
  fi
  return 1
}

purge_kafka() {
  rm -rf "$KAFKA_HOME_DIR"
  stamp_clear kafka
}
