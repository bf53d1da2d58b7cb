package dev.learnerpulse.pipeline;

import dev.learnerpulse.archive.WriteRawArchive;
import dev.learnerpulse.decode.ValueFormat;
import dev.learnerpulse.decode.registry.SchemaRegistryConfig;
import dev.learnerpulse.model.SourceTable;
import dev.learnerpulse.model.Topics;
import dev.learnerpulse.pipeline.Flag.Getter;
import dev.learnerpulse.secrets.SecretReader;
import dev.learnerpulse.secrets.WorkerSecret;
import dev.learnerpulse.sinks.bigquery.WriteToWarehouse;
import dev.learnerpulse.sinks.redis.AlertStreamRedis;
import dev.learnerpulse.sinks.redis.DashboardRedis;
import dev.learnerpulse.sinks.redis.RedisEndpoint;
import dev.learnerpulse.sinks.redis.RedisUrl;
import dev.learnerpulse.window.Windowing;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.apache.beam.sdk.extensions.gcp.options.GcpOptions;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * A job's options as domain values: durations, instants, enums, {@link WorkerSecret}s, the Kafka
 * connection and the configured sinks. Built once at launch by {@link #from}, which checks every
 * value there, naming its flag, so that the rest of the pipeline reads values that are known to be
 * good and never an option's string. Checks that need a server (do the topics exist?) are the
 * launch's; checks of a transform's own arguments stay in the transform, and their errors get the
 * flag here ({@link Flag#naming}).
 */
public final class PipelineSettings {
  /** Where lateness is judged from when --backlogStart is not given: Kafka's default retention. */
  static final Duration DEFAULT_BACKLOG = Duration.standardDays(7);

  private final Mode mode;
  private final Topics topics;
  private final Windowing windowing;
  private final Lateness lateness;
  private final Duration maxDelay;
  private final Duration idleTimeout;
  private final Instant backlogStart;
  private final Duration referenceRefresh;
  private final boolean referencesCompleteAtLaunch;
  private final int dedupShards;
  private final int guardShards;
  private final boolean alerts;
  private final @Nullable SchemaRegistryConfig schemaRegistry;
  private final ValueFormat valueFormat;
  private final @Nullable KafkaConnection kafka;
  private final @Nullable String consumerGroup;
  private final String startPosition;
  private final @Nullable String deadLetterTopic;
  private final @Nullable String alertsTopic;
  private final @Nullable String inputPattern;
  private final @Nullable Period period;
  private final @Nullable String outputDir;
  private final @Nullable WriteToWarehouse bigQuery;
  private final DashboardRedis.@Nullable Write dashboard;
  private final AlertStreamRedis.@Nullable Write alertStream;
  private final Duration checkpointEvery;
  private final @Nullable WriteRawArchive rawArchive;

  /** The settings of {@code options}, with Secret Manager versions read from Secret Manager. */
  public static PipelineSettings from(LearnerPulseOptions options) {
    return from(options, SecretReader.secretManager());
  }

  /** The same, reading Secret Manager versions with {@code reader} (tests read files). */
  static PipelineSettings from(LearnerPulseOptions options, SecretReader reader) {
    return new PipelineSettings(options, new Secrets(reader, onDataflow(options)));
  }

  private PipelineSettings(LearnerPulseOptions options, Secrets secrets) {
    mode = options.getMode();
    boolean streaming = mode == Mode.STREAMING;
    topics = topics(options);
    Duration size = duration(options, WindowOptions::getWindowSize);
    Duration allowedLateness = duration(options, WindowOptions::getAllowedLateness);
    Duration earlyFiring = duration(options, WindowOptions::getEarlyFiring);
    Windowing windows =
        Flag.naming(
            () -> Windowing.of(size, allowedLateness),
            Flag.of(WindowOptions::getWindowSize),
            Flag.of(WindowOptions::getAllowedLateness));
    windowing =
        Flag.naming(
            () -> windows.withEarlyFirings(earlyFiring), Flag.of(WindowOptions::getEarlyFiring));
    lateness = options.getLateness();
    maxDelay = duration(options, LatenessOptions::getMaxDelay);
    idleTimeout = duration(options, LatenessOptions::getIdleTimeout);
    String backlog = options.getBacklogStart();
    backlogStart =
        isBlank(backlog)
            ? Instant.now().minus(DEFAULT_BACKLOG)
            : Instants.parse(Flag.of(LatenessOptions::getBacklogStart), backlog);
    referenceRefresh = duration(options, EnrichmentOptions::getReferenceRefresh);
    referencesCompleteAtLaunch = options.getReferencesCompleteAtLaunch();
    dedupShards = options.getDedupShards();
    guardShards = options.getGuardShards();
    alerts = streaming && options.getAlerts();

    String url = options.getSchemaRegistryUrl();
    String format = options.getValueFormat();
    valueFormat =
        isBlank(format)
            ? (isBlank(url) ? ValueFormat.JSON : ValueFormat.AUTO)
            : Flag.naming(() -> ValueFormat.parse(format), Flag.of(AvroOptions::getValueFormat));
    schemaRegistry = valueFormat == ValueFormat.JSON ? null : schemaRegistry(options, secrets);

    inputPattern = blankToNull(options.getInputPattern());
    period = streaming ? null : backfillPeriod(options, inputPattern != null);
    if (streaming) {
      kafka = kafka(options, secrets);
    } else if (period != null) {
      required(
          options.getBootstrapServers(),
          Flag.of(KafkaOptions::getBootstrapServers) + " (with " + fromAndTo() + ")",
          mode);
      kafka = kafka(options, secrets);
    } else {
      kafka = null;
    }
    consumerGroup = blankToNull(options.getConsumerGroup());
    startPosition = startPosition(options.getStartPosition());
    deadLetterTopic = deadLetterTopic(options);
    alertsTopic = alertsTopic(options);

    if (options.getWarehouse() == WarehouseOptions.Warehouse.BIGQUERY) {
      outputDir = null;
      bigQuery = bigQuery(options);
    } else {
      outputDir = required(options.getOutputDir(), Flag.of(WarehouseOptions::getOutputDir), mode);
      bigQuery = null;
    }
    if (isBlank(options.getRedisUrl())) {
      dashboard = null;
      alertStream = null;
    } else {
      RedisEndpoint endpoint =
          RedisUrl.parse(
              options.getRedisUrl(),
              secrets.secret(Flag.of(RedisOptions::getRedisAuth), options.getRedisAuth()),
              secrets.secretOrFile(
                  Flag.of(RedisOptions::getRedisCaCertificate),
                  options.getRedisCaCertificate(),
                  false));
      Duration ttl = duration(options, RedisOptions::getRedisTtl);
      Duration retryTimeout = duration(options, RedisOptions::getRedisRetryTimeout);
      String keyPrefix = options.getRedisKeyPrefix();
      dashboard =
          Flag.naming(
                  () -> DashboardRedis.write().withKeyPrefix(keyPrefix),
                  Flag.of(RedisOptions::getRedisKeyPrefix))
              .withEndpoint(endpoint)
              .withTtl(ttl)
              .withRetryTimeout(retryTimeout);
      long maxLen = options.getAlertsStreamMaxLen();
      alertStream =
          Flag.naming(
                  () -> AlertStreamRedis.write().withMaxLen(maxLen),
                  Flag.of(AlertOptions::getAlertsStreamMaxLen))
              .withEndpoint(endpoint)
              // A replay within the dashboard's TTL adds nothing; ZERO keeps marks forever.
              .withAddedTtl(ttl)
              .withRetryTimeout(retryTimeout)
              .withKeyPrefix(keyPrefix);
    }
    checkpointEvery = duration(options, EngineOptions::getCheckpointEvery);
    rawArchive = rawArchive(options, streaming);
  }

  /** The topics {@code options} name. */
  public static Topics topics(TopicOptions options) {
    return Topics.defaults()
        .withTopic(SourceTable.LEARNER_PROGRESS, options.getLearnerProgressTopic())
        .withTopic(SourceTable.COURSE_INTERACTIONS, options.getCourseInteractionsTopic())
        .withTopic(SourceTable.ASSESSMENT_EVENTS, options.getAssessmentEventsTopic())
        .withTopic(SourceTable.CERTIFICATION_STATE, options.getCertificationStateTopic())
        .withTopic(SourceTable.COURSES, options.getCoursesTopic())
        .withTopic(SourceTable.LEARNERS, options.getLearnersTopic());
  }

  /** {@code --deadLetterTopic}, or null when it is empty or {@code none}. */
  public static @Nullable String deadLetterTopic(KafkaOptions options) {
    return topicOrNull(options.getDeadLetterTopic());
  }

  /**
   * {@code --alertsTopic} when alerts are detected ({@code --alerts}, streaming only), else null,
   * as when it is empty or {@code none}.
   */
  public static @Nullable String alertsTopic(LearnerPulseOptions options) {
    return options.getMode() == Mode.STREAMING && options.getAlerts()
        ? topicOrNull(options.getAlertsTopic())
        : null;
  }

  /** The Kafka cluster {@code options} describe, its credentials as {@link WorkerSecret}s. */
  static KafkaConnection kafka(KafkaOptions options, Secrets secrets) {
    return KafkaConnection.to(
            required(
                options.getBootstrapServers(),
                Flag.of(KafkaOptions::getBootstrapServers),
                Mode.STREAMING),
            options.getKafkaSecurity())
        .withSasl(
            options.getKafkaSaslMechanism(),
            secrets.secret(Flag.of(KafkaOptions::getKafkaApiKey), options.getKafkaApiKey()),
            secrets.secret(Flag.of(KafkaOptions::getKafkaApiSecret), options.getKafkaApiSecret()))
        .withTrustedCertificates(
            secrets.secretOrFile(
                Flag.of(KafkaOptions::getKafkaCaCertificates),
                options.getKafkaCaCertificates(),
                false))
        .withClientCertificate(
            secrets.secretOrFile(
                Flag.of(KafkaOptions::getKafkaClientCertificate),
                options.getKafkaClientCertificate(),
                true),
            secrets.secretOrFile(
                Flag.of(KafkaOptions::getKafkaClientKey), options.getKafkaClientKey(), true))
        .validated();
  }

  /** {@code getter}'s value in {@code options}, a duration such as 60s. */
  static <T> Duration duration(T options, Getter<T, String> getter) {
    return Durations.parse(Flag.of(getter), getter.apply(options));
  }

  /**
   * The raw archive's writer; its run id is the launch time, so that a new job's files (whose pane
   * indices start again) never take the names of an earlier job's.
   */
  private static @Nullable WriteRawArchive rawArchive(
      LearnerPulseOptions options, boolean streaming) {
    String directory = blankToNull(options.getRawArchive());
    if (directory == null) {
      return null;
    }
    if (!streaming) {
      throw new IllegalArgumentException(
          Flag.of(RawArchiveOptions::getRawArchive)
              + " archives what a streaming job reads from Kafka; a backfill reads an"
              + " archive with --inputPattern=<dir>/dt=*/hour=*/*.avro");
    }
    String launchedAt =
        DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC)
            .format(java.time.Instant.now());
    int shards = options.getRawArchiveShards();
    Duration frequency = duration(options, RawArchiveOptions::getRawArchiveFrequency);
    return Flag.naming(
            () -> WriteRawArchive.to(directory).withRunId(launchedAt).withShards(shards),
            Flag.of(RawArchiveOptions::getRawArchiveShards))
        .withFrequency(frequency);
  }

  private static boolean onDataflow(LearnerPulseOptions options) {
    return options.getRunner().getSimpleName().equals("DataflowRunner");
  }

  /** The registry that describes Avro values, with its credentials, if any. */
  private static SchemaRegistryConfig schemaRegistry(AvroOptions options, Secrets secrets) {
    String url = options.getSchemaRegistryUrl();
    if (isBlank(url)) {
      throw new IllegalArgumentException(
          Flag.of(AvroOptions::getValueFormat)
              + "="
              + options.getValueFormat()
              + " needs "
              + Flag.of(AvroOptions::getSchemaRegistryUrl)
              + " to read Avro writer schemas");
    }
    SchemaRegistryConfig config = SchemaRegistryConfig.of(url.trim());
    WorkerSecret key =
        secrets.secret(
            Flag.of(AvroOptions::getSchemaRegistryApiKey), options.getSchemaRegistryApiKey());
    WorkerSecret secret =
        secrets.secret(
            Flag.of(AvroOptions::getSchemaRegistryApiSecret), options.getSchemaRegistryApiSecret());
    if (key == null && secret == null) {
      return config;
    }
    if (key == null || secret == null) {
      throw new IllegalArgumentException(
          Flag.of(AvroOptions::getSchemaRegistryApiKey)
              + " and "
              + Flag.of(AvroOptions::getSchemaRegistryApiSecret)
              + " go together");
    }
    return config.withBasicAuth(key, secret);
  }

  /**
   * A backfill's period in Kafka ({@code --from}, {@code --to}), or none when it reads archived
   * topics ({@code --inputPattern}): one source or the other, never both.
   */
  private static @Nullable Period backfillPeriod(LearnerPulseOptions options, boolean hasPattern) {
    String from = options.getFrom();
    String to = options.getTo();
    if (isBlank(from) != isBlank(to)) {
      throw new IllegalArgumentException(
          fromAndTo() + " go together: a backfill from Kafka needs both ends of its period");
    }
    if (isBlank(from)) {
      required(
          options.getInputPattern(),
          Flag.of(LearnerPulseOptions::getInputPattern) + " (or " + fromAndTo() + ")",
          Mode.BACKFILL);
      return null;
    }
    if (hasPattern) {
      throw new IllegalArgumentException(
          Flag.of(LearnerPulseOptions::getInputPattern)
              + " and "
              + Flag.of(LearnerPulseOptions::getFrom)
              + "/"
              + Flag.of(LearnerPulseOptions::getTo)
              + " are two sources of a backfill: give one of them");
    }
    Instant start = Instants.parse(Flag.of(LearnerPulseOptions::getFrom), from);
    Instant end = Instants.parse(Flag.of(LearnerPulseOptions::getTo), to);
    if (!start.isBefore(end)) {
      throw new IllegalArgumentException(
          Flag.of(LearnerPulseOptions::getFrom)
              + " must be before "
              + Flag.of(LearnerPulseOptions::getTo)
              + ", not "
              + start
              + " >= "
              + end);
    }
    return new Period(start, end);
  }

  private static String fromAndTo() {
    return Flag.of(LearnerPulseOptions::getFrom) + " and " + Flag.of(LearnerPulseOptions::getTo);
  }

  /** {@code earliest}, {@code latest} (any case) or an ISO-8601 instant, as KafkaIO takes it. */
  private static String startPosition(@Nullable String start) {
    String value = start == null ? "earliest" : start.trim();
    if (value.equalsIgnoreCase("earliest") || value.equalsIgnoreCase("latest")) {
      return value.toLowerCase(Locale.ROOT);
    }
    try {
      Instant.parse(value);
      return value;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          Flag.of(KafkaOptions::getStartPosition)
              + " must be earliest, latest or an ISO-8601 instant, not '"
              + start
              + "'");
    }
  }

  /** The BigQuery tables and how they are written; the write checks its own arguments. */
  private static WriteToWarehouse bigQuery(LearnerPulseOptions options) {
    String project = options.getBigQueryProject();
    if (isBlank(project)) {
      project = options.as(GcpOptions.class).getProject();
    }
    if (isBlank(project)) {
      throw new IllegalArgumentException(
          Flag.of(WarehouseOptions::getWarehouse)
              + "=bigquery needs "
              + Flag.of(GcpOptions::getProject)
              + " or "
              + Flag.of(WarehouseOptions::getBigQueryProject));
    }
    String bigQueryProject = project;
    Duration frequency = duration(options, WarehouseOptions::getTriggeringFrequency);
    WriteToWarehouse tables =
        Flag.naming(
            () ->
                WriteToWarehouse.to(bigQueryProject, options.getDataset())
                    .withTables(
                        options.getMetricsTable(),
                        options.getDeadLettersTable(),
                        options.getTooLateTable())
                    .withAlertsTable(options.getAlertsTable()),
            Flag.of(WarehouseOptions::getDataset),
            Flag.of(WarehouseOptions::getMetricsTable),
            Flag.of(WarehouseOptions::getDeadLettersTable),
            Flag.of(WarehouseOptions::getTooLateTable),
            Flag.of(AlertOptions::getAlertsTable));
    WriteToWarehouse timed =
        Flag.naming(
            () -> tables.withTriggeringFrequency(frequency),
            Flag.of(WarehouseOptions::getTriggeringFrequency));
    return Flag.naming(
            () -> timed.withNumStorageWriteApiStreams(options.getStorageWriteStreams()),
            Flag.of(WarehouseOptions::getStorageWriteStreams))
        .withMethod(options.getWriteMethod())
        .withCreateDisposition(options.getCreateDisposition())
        .withUpserts(options.getUpserts());
  }

  private static @Nullable String topicOrNull(@Nullable String topic) {
    if (isBlank(topic) || topic.trim().equalsIgnoreCase("none")) {
      return null;
    }
    return topic.trim();
  }

  private static String required(@Nullable String value, String flag, Mode mode) {
    if (isBlank(value)) {
      throw new IllegalArgumentException(
          flag
              + " is required with "
              + Flag.of(LearnerPulseOptions::getMode)
              + "="
              + mode.name().toLowerCase(Locale.ROOT));
    }
    return value;
  }

  private static boolean isBlank(@Nullable String value) {
    return value == null || value.isBlank();
  }

  private static @Nullable String blankToNull(@Nullable String value) {
    return isBlank(value) ? null : value;
  }

  public Mode mode() {
    return mode;
  }

  public boolean streaming() {
    return mode == Mode.STREAMING;
  }

  public Topics topics() {
    return topics;
  }

  public Windowing windowing() {
    return windowing;
  }

  /** How a backfill judges lateness. */
  public Lateness lateness() {
    return lateness;
  }

  public Duration maxDelay() {
    return maxDelay;
  }

  public Duration idleTimeout() {
    return idleTimeout;
  }

  /** Where a streaming job judges lateness from. */
  public Instant backlogStart() {
    return backlogStart;
  }

  public Duration referenceRefresh() {
    return referenceRefresh;
  }

  public boolean referencesCompleteAtLaunch() {
    return referencesCompleteAtLaunch;
  }

  public int dedupShards() {
    return dedupShards;
  }

  public int guardShards() {
    return guardShards;
  }

  /** Whether alerts are detected: streaming with {@code --alerts}. */
  public boolean alerts() {
    return alerts;
  }

  /** The registry of Avro writer schemas; null when values are JSON only. */
  public @Nullable SchemaRegistryConfig schemaRegistry() {
    return schemaRegistry;
  }

  public ValueFormat valueFormat() {
    return valueFormat;
  }

  /** The Kafka cluster: a streaming job's, or a backfill's from Kafka; else null. */
  @Nullable KafkaConnection kafka() {
    return kafka;
  }

  public @Nullable String consumerGroup() {
    return consumerGroup;
  }

  /** {@code earliest}, {@code latest} or an ISO-8601 instant. */
  public String startPosition() {
    return startPosition;
  }

  public @Nullable String deadLetterTopic() {
    return deadLetterTopic;
  }

  public @Nullable String alertsTopic() {
    return alertsTopic;
  }

  /** A backfill's archived topics; null when it reads Kafka, or in streaming. */
  public @Nullable String inputPattern() {
    return inputPattern;
  }

  /** A backfill's period in Kafka: the records at or after {@code from} and before {@code to}. */
  public record Period(Instant from, Instant to) {}

  /**
   * The period a backfill reads from Kafka; null when it reads archived topics, or in streaming.
   */
  public @Nullable Period period() {
    return period;
  }

  /** Where the files warehouse writes; null with BigQuery. */
  public @Nullable String outputDir() {
    return outputDir;
  }

  /** The BigQuery warehouse; null with files. */
  public @Nullable WriteToWarehouse bigQuery() {
    return bigQuery;
  }

  /** The dashboards' Redis writes; null without {@code --redisUrl}. */
  public DashboardRedis.@Nullable Write dashboard() {
    return dashboard;
  }

  /** The alerts' Redis streams; null without {@code --redisUrl}. */
  public AlertStreamRedis.@Nullable Write alertStream() {
    return alertStream;
  }

  /** Flink streaming's checkpoint period; zero for none. */
  public Duration checkpointEvery() {
    return checkpointEvery;
  }

  /** The raw change archive's writer; null when the job keeps none. */
  public @Nullable WriteRawArchive rawArchive() {
    return rawArchive;
  }
}
