/**
 * Every setting ros-ocp reads, as Effect `Config` descriptors over environment variables.
 * Names follow upstream where upstream has one (ros-ocp-backend, koku, insights-ingress-go);
 * defaults match the local infrastructure that `infra/up` starts. The README's configuration
 * table mirrors this file.
 */
import { Config, ConfigError, Duration, Either, LogLevel, Redacted } from "effect"

const port = (name: string, fallback: number) =>
  Config.integer(name).pipe(
    Config.validate({ message: `${name} must be a TCP port (1-65535)`, validation: (n) => n > 0 && n < 65536 }),
    Config.withDefault(fallback)
  )

/** PostgreSQL server shared by the three databases (upstream ros-ocp-backend names). */
export const DatabaseSettings = Config.all({
  host: Config.string("DB_HOST").pipe(Config.withDefault("127.0.0.1")),
  port: port("DB_PORT", 5432),
  user: Config.string("DB_USER").pipe(Config.withDefault("postgres")),
  password: Config.redacted("DB_PASSWORD").pipe(Config.withDefault(Redacted.make("postgres"))),
  ssl: Config.boolean("DB_SSL").pipe(Config.withDefault(false)),
  maxConnections: Config.integer("DB_POOL_SIZE").pipe(Config.withDefault(20)),
  /** Statements each connection keeps prepared (see NamedStatements.ts); 0 behind PgBouncer in transaction mode. */
  preparedStatements: Config.integer("DB_PREPARED_STATEMENTS").pipe(
    Config.validate({ message: "DB_PREPARED_STATEMENTS must be 0 or more", validation: (n) => n >= 0 }),
    Config.withDefault(100)
  ),
  rosName: Config.string("DB_NAME").pipe(Config.withDefault("ros")),
  kruizeName: Config.string("KRUIZE_DB_NAME").pipe(Config.withDefault("kruize")),
  sourcesName: Config.string("SOURCES_DB_NAME").pipe(Config.withDefault("sources"))
})

/** Kafka brokers and topics (upstream ros-ocp-backend names). */
export const KafkaSettings = Config.all({
  brokers: Config.string("KAFKA_BOOTSTRAP_SERVERS").pipe(
    Config.withDefault("127.0.0.1:29092"),
    Config.map((s) =>
      s
        .split(/[\s,]+/)
        .map((b) => b.trim())
        .filter((b) => b.length > 0)
    )
  ),
  clientId: Config.string("SERVICE_NAME").pipe(Config.withDefault("rosocp")),
  consumerGroupId: Config.string("KAFKA_CONSUMER_GROUP_ID").pipe(Config.withDefault("ros-ocp")),
  announceTopic: Config.string("INGRESS_KAFKAANNOUNCETOPIC").pipe(Config.withDefault("platform.upload.announce")),
  uploadTopic: Config.string("UPLOAD_TOPIC").pipe(Config.withDefault("hccm.ros.events")),
  recommendationTopic: Config.string("RECOMMENDATION_TOPIC").pipe(Config.withDefault("rosocp.kruize.recommendations")),
  sourcesEventTopic: Config.string("SOURCES_EVENT_TOPIC").pipe(Config.withDefault("platform.sources.event-stream"))
})

/** S3-compatible object store (koku's names; path-style addressing). */
export const S3Settings = Config.all({
  endpoint: Config.string("S3_ENDPOINT").pipe(Config.withDefault("http://127.0.0.1:9000")),
  region: Config.string("S3_REGION").pipe(Config.withDefault("us-east-1")),
  accessKey: Config.string("S3_ACCESS_KEY").pipe(Config.withDefault("minioadmin")),
  secretKey: Config.redacted("S3_SECRET").pipe(Config.withDefault(Redacted.make("minioadmin"))),
  /** Bodies above this size are uploaded in parts. */
  multipartThresholdBytes: Config.integer("S3_MULTIPART_THRESHOLD_BYTES").pipe(Config.withDefault(8 * 1024 * 1024)),
  presignExpirySeconds: Config.integer("ROS_URL_EXPIRATION").pipe(Config.withDefault(172800))
})

/** The four buckets of the flow. */
export const BucketSettings = Config.all({
  uploads: Config.string("INGRESS_STAGEBUCKET").pipe(Config.withDefault("insights-upload-perma")),
  processed: Config.string("PROCESSED_UPLOAD_BUCKET").pipe(Config.withDefault("insights-upload-perm")),
  koku: Config.string("KOKU_BUCKET").pipe(Config.withDefault("koku-bucket")),
  ros: Config.string("REQUESTED_ROS_BUCKET").pipe(Config.withDefault("ros-data"))
})

/** Outbound HTTP calls (engine, Sources API, RBAC). */
export const HttpClientSettings = Config.all({
  timeoutSeconds: Config.integer("GLOBAL_HTTP_CLIENT_TIMEOUT_SECS").pipe(
    Config.validate({ message: "GLOBAL_HTTP_CLIENT_TIMEOUT_SECS must be at least 1", validation: (n) => n >= 1 }),
    Config.withDefault(30)
  )
})

/** Where each role listens. Every server binds to loopback unless told otherwise. */
export const ListenSettings = Config.all({
  host: Config.string("ROS_LISTEN_HOST").pipe(Config.withDefault("127.0.0.1")),
  ingressPort: port("INGRESS_WEBPORT", 3000),
  apiPort: port("API_PORT", 8001),
  sourcesPort: port("SOURCES_PORT", 8002),
  recommenderPort: port("KRUIZE_PORT", 8080)
})

const logLevels: Record<string, LogLevel.LogLevel> = {
  ALL: LogLevel.All,
  TRACE: LogLevel.Trace,
  DEBUG: LogLevel.Debug,
  INFO: LogLevel.Info,
  WARN: LogLevel.Warning,
  WARNING: LogLevel.Warning,
  ERROR: LogLevel.Error,
  FATAL: LogLevel.Fatal,
  NONE: LogLevel.None,
  OFF: LogLevel.None
}

export const LogSettings = Config.all({
  /** Upstream's names (DEBUG, INFO, ERROR) and WARN/WARNING, TRACE, NONE; any case. */
  level: Config.string("LOG_LEVEL").pipe(
    Config.mapOrFail((value) => {
      const level = logLevels[value.trim().toUpperCase()]
      return level === undefined
        ? Either.left(
            ConfigError.InvalidData([], `expected one of ${Object.keys(logLevels).join(", ")}, got "${value}"`)
          )
        : Either.right(level)
    }),
    Config.withDefault(LogLevel.Info)
  )
})

/**
 * Sharded entities. Passed explicitly to the cluster layers, because the cluster's own env reading would
 * take a role's `PORT`/`HOST` for the runner's address.
 */
export const ClusterSettings = Config.all({
  runnerHost: Config.string("RUNNER_HOST").pipe(Config.withDefault("127.0.0.1")),
  rosRunnerPort: port("ROS_RUNNER_PORT", 34431),
  engineRunnerPort: port("ENGINE_RUNNER_PORT", 34432),
  shardsPerGroup: Config.integer("SHARDS_PER_GROUP").pipe(Config.withDefault(300))
})

/** The Kruize-compatible recommendation engine. */
export const EngineSettings = Config.all({
  /** Kruize's `bulkresultslimit`: records per /updateResults request. */
  bulkResultsLimit: Config.integer("KRUIZE_BULK_RESULTS_LIMIT").pipe(Config.withDefault(100)),
  /** Kruize's `plots` switch: box plots in every recommendation. */
  plots: Config.boolean("KRUIZE_PLOTS").pipe(Config.withDefault(true)),
  /** An experiment idle this long leaves memory; its state stays in PostgreSQL. */
  experimentIdleTime: Config.duration("ENGINE_EXPERIMENT_IDLE_TIME").pipe(Config.withDefault(Duration.minutes(1))),
  /** Request bodies above this size are refused with 413 before they are read whole. */
  maxBodyBytes: Config.integer("ENGINE_MAX_BODY_BYTES").pipe(Config.withDefault(32 * 1024 * 1024))
})

/** The Sources API role (sources-api-go's subset): where it answers and how it pages and publishes. */
export const SourcesSettings = Config.all({
  /** Every path prefix the API answers under (sources-api-go's seven versions; add `/api/cost-management/v1` for on-prem clients). */
  pathPrefixes: Config.string("SOURCES_API_PATH_PREFIXES").pipe(
    Config.withDefault(
      ["v1.0", "v2.0", "v3.0", "v3.1", "v1", "v2", "v3"].map((version) => `/api/sources/${version}`).join(",")
    ),
    Config.map((s) =>
      s
        .split(/[\s,]+/)
        .map((p) => p.trim().replace(/\/+$/, ""))
        .filter((p) => p.length > 0)
    ),
    Config.validate({
      message: "SOURCES_API_PATH_PREFIXES must list absolute paths such as /api/sources/v3.1",
      validation: (prefixes) => prefixes.length > 0 && prefixes.every((p) => p.startsWith("/"))
    })
  ),
  /** Page size of a list request without `limit` (upstream: 100). */
  defaultLimit: Config.integer("SOURCES_DEFAULT_LIMIT").pipe(
    Config.validate({ message: "SOURCES_DEFAULT_LIMIT must be at least 1", validation: (n) => n >= 1 }),
    Config.withDefault(100)
  ),
  /** Request bodies above this size are refused with 413 before they are read whole. */
  maxBodyBytes: Config.integer("SOURCES_MAX_BODY_BYTES").pipe(Config.withDefault(1024 * 1024)),
  /** How often the event publisher looks for unsent events when nothing woke it (other processes, restarts). */
  outboxPollInterval: Config.duration("SOURCES_OUTBOX_POLL_INTERVAL").pipe(Config.withDefault(Duration.seconds(5))),
  /** Events sent to Kafka per batch. */
  outboxBatchSize: Config.integer("SOURCES_OUTBOX_BATCH_SIZE").pipe(
    Config.validate({ message: "SOURCES_OUTBOX_BATCH_SIZE must be at least 1", validation: (n) => n >= 1 }),
    Config.withDefault(100)
  )
})

/**
 * The koku stage: its consumer group, the Sources API it asks for an upload's source, and the hard limits an
 * upload's tarball must stay within while it is unpacked (a hostile archive is refused before it fills memory or
 * disk). The limits sit far above what the operator produces: it splits packages at 100 MB and writes about a
 * dozen files per tarball.
 */
export const KokuSettings = Config.all({
  /** The on-prem chart's name for koku's listener group. */
  consumerGroupId: Config.string("KOKU_CONSUMER_GROUP_ID").pipe(Config.withDefault("cost-mgmt-listener-group")),
  /** ros-ocp-backend's names and defaults (spec D.2). */
  sourcesApiBaseUrl: Config.string("SOURCES_API_BASE_URL").pipe(
    Config.withDefault("http://127.0.0.1:8002"),
    Config.map((url) => url.replace(/\/+$/, ""))
  ),
  sourcesApiPrefix: Config.string("SOURCES_API_PREFIX").pipe(
    Config.withDefault("/api/sources/v3.1"),
    Config.map((prefix) => prefix.replace(/\/+$/, "")),
    Config.validate({ message: "SOURCES_API_PREFIX must be an absolute path", validation: (p) => p.startsWith("/") })
  ),
  /** Tar entries per upload, directories included. */
  maxEntries: Config.integer("KOKU_MAX_ENTRIES").pipe(
    Config.validate({ message: "KOKU_MAX_ENTRIES must be at least 2", validation: (n) => n >= 2 }),
    Config.withDefault(1000)
  ),
  /** Uncompressed bytes of one entry (a report file). */
  maxEntryBytes: Config.integer("KOKU_MAX_ENTRY_BYTES").pipe(
    Config.validate({ message: "KOKU_MAX_ENTRY_BYTES must be at least 1", validation: (n) => n >= 1 }),
    Config.withDefault(128 * 1024 * 1024)
  ),
  /** Uncompressed bytes of the whole tar stream (headers and padding included): what stops a gzip bomb. */
  maxTotalBytes: Config.integer("KOKU_MAX_TOTAL_BYTES").pipe(
    Config.validate({ message: "KOKU_MAX_TOTAL_BYTES must be at least 1", validation: (n) => n >= 1 }),
    Config.withDefault(200 * 1024 * 1024)
  ),
  /** manifest.json is read into memory; koku's own cap (`_MAX_MANIFEST_BYTES`). */
  maxManifestBytes: Config.integer("KOKU_MAX_MANIFEST_BYTES").pipe(
    Config.validate({ message: "KOKU_MAX_MANIFEST_BYTES must be at least 1", validation: (n) => n >= 1 }),
    Config.withDefault(10 * 1024 * 1024)
  ),
  /**
   * A split package holds one CSV and the full manifest, so its manifest names files that are not in it. By
   * default such an upload is refused (nothing partial is shipped); true ships the listed files that are present,
   * as koku does.
   */
  acceptSplitPayloads: Config.boolean("KOKU_ACCEPT_SPLIT_PAYLOADS").pipe(Config.withDefault(false)),
  /** Where uploads are unpacked (one temporary directory per upload, removed when it is done); default the OS's. */
  spoolDirectory: Config.option(Config.string("KOKU_SPOOL_DIR"))
})

const stringList = (name: string, fallback: string) =>
  Config.string(name).pipe(
    Config.withDefault(fallback),
    // Upstream's viper splits lists on whitespace and its own code on commas; accept both.
    Config.map((s) =>
      s
        .split(/[\s,]+/)
        .map((item) => item.trim())
        .filter((item) => item.length > 0)
    )
  )

const byteCount = (name: string, fallback: number) =>
  Config.integer(name).pipe(
    Config.validate({ message: `${name} must be a positive number of bytes`, validation: (n) => n > 0 }),
    Config.withDefault(fallback)
  )

/** The ingress role (insights-ingress-go's names, ingress-koku-sources.md A.12). */
export const IngressSettings = Config.all({
  /** Services (the `<service>` of `application/vnd.redhat.<service>.<category>`) ingress accepts. */
  validUploadTypes: stringList("INGRESS_VALID_UPLOAD_TYPES", "hccm"),
  /** Largest file part, in bytes, for a service without its own entry in INGRESS_MAXSIZEMAP. */
  defaultMaxSize: byteCount("INGRESS_DEFAULTMAXSIZE", 104857600),
  /** JSON map of service to its largest file part (upstream writes the sizes as strings: `{"qpc":"157286400"}`). */
  maxSizeMap: Config.string("INGRESS_MAXSIZEMAP").pipe(
    Config.withDefault("{}"),
    Config.mapOrFail((text) => {
      const invalid = ConfigError.InvalidData(
        [],
        `INGRESS_MAXSIZEMAP must be a JSON object of service to positive byte count, got ${text}`
      )
      let parsed: unknown
      try {
        parsed = JSON.parse(text)
      } catch {
        return Either.left(invalid)
      }
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return Either.left(invalid)
      const sizes: Record<string, number> = {}
      for (const [service, value] of Object.entries(parsed)) {
        const size = typeof value === "number" ? value : typeof value === "string" ? Number(value.trim()) : Number.NaN
        if (!Number.isSafeInteger(size) || size <= 0) return Either.left(invalid)
        sizes[service] = size
      }
      return Either.right(sizes as Readonly<Record<string, number>>)
    })
  ),
  /** Orgs whose uploads are refused with 403. */
  denyListedOrgIds: stringList("INGRESS_DENY_LISTED_ORGIDS", ""),
  /** The `commit` of GET /version. */
  buildCommit: Config.string("OPENSHIFT_BUILD_COMMIT").pipe(Config.withDefault("notrunninginopenshift"))
})

/** `ros-ocp upload`: where it sends the tarball and as which tenant. */
export const UploadClientSettings = Config.all({
  ingressUrl: Config.string("INGRESS_URL").pipe(Config.withDefault("http://127.0.0.1:3000")),
  orgId: Config.string("ORG_ID").pipe(Config.withDefault("3340851"))
})

/** The processor, poller and housekeeper (ros-ocp-backend's settings, spec §6). */
export const PipelineSettings = Config.all({
  /** The Kruize-compatible engine: ours by default, a real Kruize works too. */
  kruizeUrl: Config.string("KRUIZE_URL").pipe(Config.withDefault("http://127.0.0.1:8080")),
  /** The performance profile version ROS expects (`v2.0`); an older one is updated when allowed. */
  profileVersion: Config.string("KRUIZE_PERFORMANCE_PROFILE_VERSION").pipe(
    Config.map((v): number => Number.parseFloat(v.replace(/^v/i, ""))),
    Config.validate({
      message: "KRUIZE_PERFORMANCE_PROFILE_VERSION must look like v2.0",
      validation: (n: number) => Number.isFinite(n)
    }),
    Config.withDefault(2.0)
  ),
  updateProfile: Config.boolean("UPDATE_KRUIZE_PERF_PROFILE").pipe(Config.withDefault(true)),
  /** Results per /updateResults request; Kruize refuses more than its bulk limit (100). */
  bulkChunkSize: Config.integer("KRUIZE_MAX_BULK_CHUNK_SIZE").pipe(
    Config.validate({ message: "KRUIZE_MAX_BULK_CHUNK_SIZE must be 1-100", validation: (n) => n >= 1 && n <= 100 }),
    Config.withDefault(100)
  ),
  /** A stored recommendation is refreshed once this much newer data has arrived. */
  pollIntervalHours: Config.integer("RECOMMENDATION_POLL_INTERVAL_HOURS").pipe(Config.withDefault(24)),
  disableNamespaceRecommendations: Config.boolean("DISABLE_NAMESPACE_RECOMMENDATION").pipe(Config.withDefault(false)),
  /** Days of workload_metrics and historical recommendations kept by the partition job. */
  retentionDays: Config.integer("DATA_RETENTION_PERIOD").pipe(Config.withDefault(15)),
  /** How often the housekeeper runs the partition job. */
  partitionJobInterval: Config.duration("PARTITION_JOB_INTERVAL").pipe(Config.withDefault(Duration.hours(24))),
  /** How long an unreachable engine is retried before an experiment's update is recorded as failed. */
  engineRetryFor: Config.duration("ENGINE_RETRY_FOR").pipe(Config.withDefault(Duration.hours(1))),
  pollerGroupId: Config.string("POLLER_CONSUMER_GROUP_ID").pipe(Config.withDefault("ros-ocp-poller")),
  /** Messages of one partition the poller hands on at once, one per experiment (each waits for its answer). */
  pollerConcurrentMessages: Config.integer("POLLER_CONCURRENT_MESSAGES").pipe(
    Config.validate({ message: "POLLER_CONCURRENT_MESSAGES must be at least 1", validation: (n) => n >= 1 }),
    Config.withDefault(4)
  ),
  housekeeperGroupId: Config.string("HOUSEKEEPER_CONSUMER_GROUP_ID").pipe(Config.withDefault("ros-ocp-housekeeper")),
  /** Largest usage CSV the processor reads; a larger file is refused, not truncated. */
  maxCsvBytes: Config.integer("PROCESSOR_MAX_CSV_BYTES").pipe(Config.withDefault(1024 * 1024 * 1024)),
  /** Experiments of one file being sent to the engine at once: bounds what a runner holds beyond aggregates. */
  concurrentHandOffs: Config.integer("PROCESSOR_CONCURRENT_HANDOFFS").pipe(
    Config.validate({ message: "PROCESSOR_CONCURRENT_HANDOFFS must be at least 1", validation: (n) => n >= 1 }),
    Config.withDefault(16)
  ),
  /** Files a runner ingests at once, whatever their clusters: bounds what it holds when many clusters upload. */
  concurrentFiles: Config.integer("PROCESSOR_CONCURRENT_FILES").pipe(
    Config.validate({ message: "PROCESSOR_CONCURRENT_FILES must be at least 1", validation: (n) => n >= 1 }),
    Config.withDefault(2)
  )
})

/**
 * How far V8 lets a runner's heap grow past what its last full collection kept alive, in percent (V8's
 * `--heap-growing-percent`). V8's own choice lets garbage grow the heap to three or four times the live data;
 * 0 keeps it. Unlike a cap (`--max-old-space-size`), the limit follows what is live, so more entities never end
 * the process.
 */
export const RunnerHeapSettings = Config.all({
  growingPercent: Config.integer("RUNNER_HEAP_GROWING_PERCENT").pipe(
    Config.validate({
      message: "RUNNER_HEAP_GROWING_PERCENT must be 0 (V8's own choice) or 10-300",
      validation: (n) => n === 0 || (n >= 10 && n <= 300)
    }),
    Config.withDefault(50)
  )
})

/** The ROS REST API role (ros-ocp-backend's names, spec §5–§6); its port is API_PORT in ListenSettings. */
export const ApiSettings = Config.all({
  /** Ask the RBAC service which clusters and projects a caller may see; off = the whole org. */
  rbacEnabled: Config.boolean("RBAC_ENABLE").pipe(Config.withDefault(false)),
  rbacHost: Config.string("RBACHOST").pipe(Config.withDefault("127.0.0.1")),
  rbacPort: port("RBACPORT", 9080),
  rbacProtocol: Config.literal("http", "https")("RBACPROTOCOL").pipe(Config.withDefault("http" as const)),
  /** Recommendation sets in one CSV export (up to six rows each). */
  csvRecordLimit: Config.integer("RECORD_LIMIT_CSV").pipe(
    Config.validate({ message: "RECORD_LIMIT_CSV must be at least 1", validation: (n) => n >= 1 }),
    Config.withDefault(1000)
  ),
  /** Recommendation sets per written chunk of a CSV export. */
  csvStreamInterval: Config.integer("CSV_STREAM_INTERVAL").pipe(
    Config.validate({ message: "CSV_STREAM_INTERVAL must be at least 1", validation: (n) => n >= 1 }),
    Config.withDefault(100)
  ),
  /** Values one filter parameter (each of `x`, `filter[exact:x]`, `exclude[x]`) may carry. */
  maxValuesPerParameter: Config.integer("MAXIMUM_COUNT_PER_QUERY_PARAM").pipe(
    Config.validate({ message: "MAXIMUM_COUNT_PER_QUERY_PARAM must be at least 1", validation: (n) => n >= 1 }),
    Config.withDefault(5)
  ),
  /** The built web view served at `/`; default `web/dist` of this checkout. */
  webDistDir: Config.option(Config.string("API_WEB_DIST_DIR")),
  /** MiB of JSON answers kept until the data changes (src/api/AnswerCache.ts); 0 keeps none. */
  answerCacheMb: Config.number("API_ANSWER_CACHE_MB").pipe(
    Config.validate({ message: "API_ANSWER_CACHE_MB must not be negative", validation: (n) => n >= 0 }),
    Config.withDefault(64)
  )
})
