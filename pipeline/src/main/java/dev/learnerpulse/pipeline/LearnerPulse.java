package dev.learnerpulse.pipeline;

import dev.learnerpulse.ComputeLearnerPulse;
import dev.learnerpulse.decode.ValueFormat;
import dev.learnerpulse.decode.ValueFormats;
import dev.learnerpulse.decode.registry.SchemaRegistryConfig;
import dev.learnerpulse.model.DeadLetter;
import dev.learnerpulse.model.SourceRecord;
import dev.learnerpulse.model.Topics;
import dev.learnerpulse.secrets.SecretReader;
import dev.learnerpulse.secrets.WorkerSecret;
import dev.learnerpulse.sinks.bigquery.WriteToWarehouse;
import dev.learnerpulse.sinks.redis.AlertStreamRedis;
import dev.learnerpulse.sinks.redis.DashboardRedis;
import dev.learnerpulse.sinks.redis.RedisEndpoint;
import dev.learnerpulse.sinks.redis.RedisUrl;
import dev.learnerpulse.window.Windowing;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.extensions.gcp.options.GcpOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.metrics.MetricResults;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.options.StreamingOptions;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Learner Pulse's entry point: {@code main -> run(options) -> build(pipeline, pulse, sources,
 * sinks)}. Options become domain values here and only here; secrets become {@link
 * dev.learnerpulse.secrets.WorkerSecret}s, Secret Manager names that the workers read (the launch
 * check reads them too, here, without putting them in the graph); {@link #build} assembles the same graph for streaming, backfill and tests, which differ only in their
 * sources and sinks.
 */
public final class LearnerPulse {
  /** Where lateness is judged from when --backlogStart is not given: Kafka's default retention. */
  static final Duration DEFAULT_BACKLOG = Duration.standardDays(7);

  private LearnerPulse() {}

  public static void main(String[] args) {
    PipelineOptionsFactory.register(LearnerPulseOptions.class);
    LearnerPulseOptions options;
    Launch launch;
    try {
      options =
          PipelineOptionsFactory.fromArgs(withEngineRunner(args))
              .withValidation()
              .as(LearnerPulseOptions.class);
      launch = launch(options, Sinks.all(List.of()));
    } catch (IllegalArgumentException e) {
      System.err.println("learner-pulse: " + rootMessage(e));
      System.exit(2);
      return;
    }
    if (FlinkEngine.embedded(options)) {
      FlinkEngine.quietEmbeddedCluster();
    }
    if (options.getMode() == Mode.BACKFILL) {
      PipelineResult result = runWithProgress(options, launch);
      OutcomeReport report = OutcomeReport.of(result);
      System.out.print(report.render());
      if (!report.balanced()) {
        System.exit(1);
      }
      return;
    }
    PipelineResult result = FlinkEngine.live(launch.pipeline().run(), options);
    if (options.getMode() == Mode.STREAMING && FlinkEngine.embedded(options)) {
      // Submitted detached: the embedded cluster runs the job for as long as this JVM lives.
      result.waitUntilFinish();
    }
  }

  /**
   * Runs a backfill to its end, printing its progress meanwhile from the running job's counters:
   * the DirectRunner's result once run() returns, which it does at once when asked to; Dataflow's
   * always. Not on Flink: its batch runner hands Beam counters to Flink only as each task ends
   * (tried: the embedded cluster's reporter read 0 for a whole 200k-record backfill), so a progress
   * line would say nothing was read; its web UI shows the records each task has received.
   */
  private static PipelineResult runWithProgress(LearnerPulseOptions options, Launch launch) {
    if (FlinkEngine.runs(options)) {
      System.err.println(
          "backfill: " + sizeText(launch.sources().size())
              + " records to read; the Flink batch runner reports its counters at the end");
      PipelineResult result = launch.pipeline().run();
      result.waitUntilFinish();
      return result;
    }
    if (options.getRunner().getName().equals(DIRECT_RUNNER)) {
      options.as(DirectOptions.class).setBlockOnRun(false);
    }
    AtomicReference<PipelineResult> running = new AtomicReference<>();
    Supplier<MetricResults> metrics =
        () -> Objects.requireNonNull(running.get(), "not started").metrics();
    try (BackfillProgress progress =
        BackfillProgress.start(metrics, launch.sources().size(), System.err, 2_000)) {
      running.set(launch.pipeline().run());
      running.get().waitUntilFinish();
    }
    return running.get();
  }

  private static final String DIRECT_RUNNER = "org.apache.beam.runners.direct.DirectRunner";

  /** The runners an engine jar may carry, each without the other (pipeline/pom.xml). */
  private static final List<String> ENGINE_RUNNERS =
      List.of(
          "org.apache.beam.runners.flink.FlinkRunner",
          "org.apache.beam.runners.dataflow.DataflowRunner");

  /**
   * Beam's default runner is the DirectRunner, which no engine jar carries: there, without {@code
   * --runner}, the job runs on the jar's one engine instead of failing for want of the
   * DirectRunner. Elsewhere (the tools jar, tests) the arguments are left as they are.
   */
  static String[] withEngineRunner(String[] args) {
    if (Arrays.stream(args).anyMatch(arg -> arg.startsWith("--runner="))
        || onClasspath(DIRECT_RUNNER)) {
      return args;
    }
    List<String> engines = ENGINE_RUNNERS.stream().filter(LearnerPulse::onClasspath).toList();
    if (engines.size() != 1) {
      return args;
    }
    String runner = engines.get(0);
    List<String> withRunner = new ArrayList<>(Arrays.asList(args));
    withRunner.add("--runner=" + runner.substring(runner.lastIndexOf('.') + 1));
    return withRunner.toArray(String[]::new);
  }

  private static boolean onClasspath(String className) {
    try {
      Class.forName(className, false, LearnerPulse.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  private static String sizeText(long size) {
    return size < 0 ? "an unknown number of" : String.format(java.util.Locale.ROOT, "%,d", size);
  }

  /** The innermost message: option parsing wraps the one that says what is wrong. */
  private static String rootMessage(Throwable e) {
    String message = e.getMessage();
    for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
      if (cause instanceof IllegalArgumentException && cause.getMessage() != null) {
        message = cause.getMessage();
      }
    }
    return message;
  }

  /** Runs the job; a streaming job on the embedded Flink cluster reports its counters live. */
  public static PipelineResult run(LearnerPulseOptions options) {
    return FlinkEngine.live(create(options).run(), options);
  }

  /** The pipeline the options describe, not yet run; bad options fail here, clearly. */
  static Pipeline create(LearnerPulseOptions options) {
    return create(options, Sinks.all(List.of()));
  }

  /**
   * The same pipeline with {@code observer} reading the outputs beside the configured sinks: how
   * a test of the whole job learns what it computed without replacing any of its edges.
   */
  static Pipeline create(LearnerPulseOptions options, Sinks observer) {
    return launch(options, observer, SecretReader.secretManager()).pipeline();
  }

  /**
   * The same, reading Secret Manager versions with {@code reader}: Secret Manager cannot run in
   * tests, which give a {@link SecretReader#files} reader instead.
   */
  static Pipeline create(LearnerPulseOptions options, Sinks observer, SecretReader reader) {
    return launch(options, observer, reader).pipeline();
  }

  /** A pipeline not yet run, with the sources it reads (their size is a backfill's total). */
  record Launch(Pipeline pipeline, Sources sources) {}

  static Launch launch(LearnerPulseOptions options, Sinks observer) {
    return launch(options, observer, SecretReader.secretManager());
  }

  static Launch launch(LearnerPulseOptions options, Sinks observer, SecretReader reader) {
    boolean streaming = options.getMode() == Mode.STREAMING;
    options.as(StreamingOptions.class).setStreaming(streaming);
    FlinkEngine.configure(options, options.getMode());
    Secrets secrets = new Secrets(reader, onDataflow(options));
    Topics topics = TopicOptions.topics(options);
    KafkaConnection kafka = streaming ? kafka(options, secrets) : null;
    if (kafka != null) {
      checkTopics(kafka, topics, deadLetterTopic(options), alertsTopic(options));
    }
    Pipeline pipeline = Pipeline.create(options);
    Sources sources = sources(options, topics, kafka, secrets);
    build(
        pipeline,
        pulse(options, topics, secrets),
        sources,
        Sinks.all(List.of(sinks(options, kafka, secrets), observer)));
    return new Launch(pipeline, sources);
  }

  private static boolean onDataflow(PipelineOptions options) {
    return options.getRunner().getSimpleName().equals("DataflowRunner");
  }

  /**
   * The source topics and the topics the job writes to (dead letters, alerts) must exist: nothing
   * creates them on the fly, and a producer would find out only at the first record.
   */
  private static void checkTopics(
      KafkaConnection kafka,
      Topics topics,
      @Nullable String deadLetterTopic,
      @Nullable String alertsTopic) {
    List<String> missing = kafka.check(topics.asMap().values());
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(
          "Kafka at " + kafka.bootstrapServers() + " has no topic " + missing
              + ": create them, or point the topic options at the right ones");
    }
    if (deadLetterTopic != null && !kafka.check(List.of(deadLetterTopic)).isEmpty()) {
      throw new IllegalArgumentException(
          "Kafka at " + kafka.bootstrapServers() + " has no dead-letter topic " + deadLetterTopic
              + ": create it (terraform/confluent), or pass --deadLetterTopic=none to write dead"
              + " letters to the warehouse only");
    }
    if (alertsTopic != null && !kafka.check(List.of(alertsTopic)).isEmpty()) {
      throw new IllegalArgumentException(
          "Kafka at " + kafka.bootstrapServers() + " has no alerts topic " + alertsTopic
              + ": create it (terraform/confluent), pass --alertsTopic=none to write alerts to"
              + " Redis and the warehouse only, or --alerts=false to detect none");
    }
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

  private static @Nullable String topicOrNull(@Nullable String topic) {
    if (topic == null || topic.isBlank() || topic.trim().equalsIgnoreCase("none")) {
      return null;
    }
    return topic.trim();
  }

  static ComputeLearnerPulse pulse(LearnerPulseOptions options, Topics topics, Secrets secrets) {
    Windowing windowing = WindowOptions.windowing(options);
    ComputeLearnerPulse pulse =
        options.getMode() == Mode.BACKFILL
            ? backfill(options, topics, windowing)
            : ComputeLearnerPulse.streaming(
                    topics,
                    windowing,
                    backlogStart(options),
                    Durations.parse("--referenceRefresh", options.getReferenceRefresh()))
                .withGuardShards(shards("--guardShards", options.getGuardShards()));
    if (options.getMode() != Mode.BACKFILL && options.getReferencesCompleteAtLaunch()) {
      pulse = pulse.withReferencesCompleteAsOf(Instant.now());
    }
    if (options.getMode() == Mode.STREAMING && options.getAlerts()) {
      pulse = pulse.withAlerts();
    }
    return withAvro(
        pulse.withDedupShards(shards("--dedupShards", options.getDedupShards())), options, secrets);
  }

  private static ComputeLearnerPulse backfill(
      LearnerPulseOptions options, Topics topics, Windowing windowing) {
    ComputeLearnerPulse backfill = ComputeLearnerPulse.backfill(topics, windowing);
    return options.getLateness() == Lateness.LIVE
        ? backfill.withLiveLateness(WindowOptions.maxDelay(options))
        : backfill;
  }

  /** Avro decoding when a registry is configured; JSON only otherwise. */
  private static ComputeLearnerPulse withAvro(
      ComputeLearnerPulse pulse, AvroOptions options, Secrets secrets) {
    String url = options.getSchemaRegistryUrl();
    String format = options.getValueFormat();
    boolean registry = url != null && !url.isBlank();
    ValueFormat valueFormat =
        format == null || format.isBlank()
            ? (registry ? ValueFormat.AUTO : ValueFormat.JSON)
            : ValueFormat.parse(format);
    if (valueFormat == ValueFormat.JSON) {
      return pulse;
    }
    if (!registry) {
      throw new IllegalArgumentException(
          "--valueFormat=" + format + " needs --schemaRegistryUrl to read Avro writer schemas");
    }
    SchemaRegistryConfig config = SchemaRegistryConfig.of(url.trim());
    WorkerSecret key = secrets.secret("--schemaRegistryApiKey", options.getSchemaRegistryApiKey());
    WorkerSecret secret =
        secrets.secret("--schemaRegistryApiSecret", options.getSchemaRegistryApiSecret());
    if (key != null || secret != null) {
      if (key == null || secret == null) {
        throw new IllegalArgumentException(
            "--schemaRegistryApiKey and --schemaRegistryApiSecret go together");
      }
      config = config.withBasicAuth(key, secret);
    }
    return pulse.withAvro(config, ValueFormats.all(valueFormat));
  }

  private static Instant backlogStart(KafkaOptions options) {
    String start = options.getBacklogStart();
    if (start == null || start.isBlank()) {
      return Instant.now().minus(DEFAULT_BACKLOG);
    }
    return instant("--backlogStart", start);
  }

  static KafkaConnection kafka(KafkaOptions options, Secrets secrets) {
    return KafkaConnection.to(
            required(options.getBootstrapServers(), "--bootstrapServers", Mode.STREAMING),
            options.getKafkaSecurity())
        .withSasl(
            options.getKafkaSaslMechanism(),
            secrets.secret("--kafkaApiKey", options.getKafkaApiKey()),
            secrets.secret("--kafkaApiSecret", options.getKafkaApiSecret()))
        .withTrustedCertificates(
            secrets.secretOrFile("--kafkaCaCertificates", options.getKafkaCaCertificates(), false))
        .withClientCertificate(
            secrets.secretOrFile(
                "--kafkaClientCertificate", options.getKafkaClientCertificate(), true),
            secrets.secretOrFile("--kafkaClientKey", options.getKafkaClientKey(), true))
        .validated();
  }

  static Sources sources(
      LearnerPulseOptions options,
      Topics topics,
      @Nullable KafkaConnection kafka,
      Secrets secrets) {
    if (options.getMode() == Mode.BACKFILL) {
      return backfillSources(options, topics, secrets);
    }
    return new KafkaSources(
        kafka,
        topics,
        options.getConsumerGroup(),
        options.getStartPosition(),
        WindowOptions.maxDelay(options),
        WindowOptions.idleTimeout(options));
  }

  /** Archived topics, or Kafka between --from and --to: one or the other, never both. */
  private static Sources backfillSources(
      LearnerPulseOptions options, Topics topics, Secrets secrets) {
    String from = options.getFrom();
    String to = options.getTo();
    boolean hasFrom = from != null && !from.isBlank();
    boolean hasTo = to != null && !to.isBlank();
    String pattern = options.getInputPattern();
    boolean hasPattern = pattern != null && !pattern.isBlank();
    if (hasFrom != hasTo) {
      throw new IllegalArgumentException(
          "--from and --to go together: a backfill from Kafka needs both ends of its period");
    }
    if (!hasFrom) {
      return new ArchivedTopicFiles(
          required(pattern, "--inputPattern (or --from and --to)", Mode.BACKFILL));
    }
    if (hasPattern) {
      throw new IllegalArgumentException(
          "--inputPattern and --from/--to are two sources of a backfill: give one of them");
    }
    required(options.getBootstrapServers(), "--bootstrapServers (with --from and --to)", Mode.BACKFILL);
    KafkaConnection kafka = kafka(options, secrets);
    List<String> missing = kafka.check(topics.asMap().values());
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(
          "Kafka at " + kafka.bootstrapServers() + " has no topic " + missing
              + ": point the topic options at the topics to backfill");
    }
    return KafkaBackfill.resolve(kafka, topics, instant("--from", from), instant("--to", to));
  }

  /** {@code value} of {@code option} as an instant, or an error that says what is expected. */
  public static Instant instant(String option, String value) {
    try {
      return Instant.parse(value.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          option + " must be an ISO-8601 instant such as 2026-11-20T00:00:00Z, not '" + value + "'");
    }
  }

    static Sinks sinks(
      LearnerPulseOptions options, @Nullable KafkaConnection kafka, Secrets secrets) {
    List<Sinks> sinks = new ArrayList<>();
    PTransform<PCollection<DeadLetter>, PDone> deadLetterTopic = null;
    String dlq = deadLetterTopic(options);
    if (kafka != null && dlq != null) {
      deadLetterTopic = new DeadLetterTopic(kafka, dlq);
      sinks.add(Sinks.deadLetterTopic(deadLetterTopic));
    }
    String alertsTopic = alertsTopic(options);
    if (kafka != null && alertsTopic != null) {
      sinks.add(Sinks.alertTopic(new AlertTopic(kafka, alertsTopic)));
    }
    if (options.getWarehouse() == WarehouseOptions.Warehouse.BIGQUERY) {
      sinks.add(Sinks.bigQuery(warehouse(options), deadLetterTopic));
    } else {
      sinks.add(Sinks.files(required(options.getOutputDir(), "--outputDir", options.getMode())));
    }
    String redisUrl = options.getRedisUrl();
    if (redisUrl != null && !redisUrl.isBlank()) {
      RedisEndpoint endpoint =
          RedisUrl.parse(
              redisUrl,
              secrets.secret("--redisAuth", options.getRedisAuth()),
              secrets.secretOrFile("--redisCaCertificate", options.getRedisCaCertificate(), false));
      Duration retryTimeout = Durations.parse("--redisRetryTimeout", options.getRedisRetryTimeout());
      Duration ttl = Durations.parse("--redisTtl", options.getRedisTtl());
      sinks.add(
          Sinks.redis(
              DashboardRedis.write()
                  .withEndpoint(endpoint)
                  .withTtl(ttl)
                  .withRetryTimeout(retryTimeout)
                  .withKeyPrefix(options.getRedisKeyPrefix())));
      if (options.getAlertsStreamMaxLen() < 1) {
        throw new IllegalArgumentException(
            "--alertsStreamMaxLen must be at least 1, not " + options.getAlertsStreamMaxLen());
      }
      sinks.add(
          Sinks.alertStream(
              AlertStreamRedis.write()
                  .withEndpoint(endpoint)
                  .withMaxLen(options.getAlertsStreamMaxLen())
                  // A replay within the dashboard's TTL adds nothing; ZERO keeps marks forever.
                  .withAddedTtl(ttl)
                  .withRetryTimeout(retryTimeout)
                  .withKeyPrefix(options.getRedisKeyPrefix())));
    }
    return Sinks.all(sinks);
  }

  private static WriteToWarehouse warehouse(LearnerPulseOptions options) {
    String project = options.getBigQueryProject();
    if (project == null || project.isBlank()) {
      project = options.as(GcpOptions.class).getProject();
    }
    if (project == null || project.isBlank()) {
      throw new IllegalArgumentException("--warehouse=bigquery needs --project or --bigQueryProject");
    }
    return WriteToWarehouse.to(project, options.getDataset())
        .withTables(options.getMetricsTable(), options.getDeadLettersTable(), options.getTooLateTable())
        .withAlertsTable(options.getAlertsTable())
        .withMethod(options.getWriteMethod())
        .withTriggeringFrequency(
            Durations.parse("--triggeringFrequency", options.getTriggeringFrequency()))
        .withNumStorageWriteApiStreams(options.getStorageWriteStreams())
        .withCreateDisposition(options.getCreateDisposition())
        .withUpserts(options.getUpserts());
  }

  private static int shards(String option, int shards) {
    if (shards < 1) {
      throw new IllegalArgumentException(option + " must be at least 1, not " + shards);
    }
    return shards;
  }

  private static String required(String value, String option, Mode mode) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(
          option + " is required with --mode=" + mode.name().toLowerCase(java.util.Locale.ROOT));
    }
    return value;
  }

  /** Assembles the graph from its edges. */
  public static void build(
      Pipeline pipeline, ComputeLearnerPulse pulse, Sources sources, Sinks sinks) {
    WithFailures.Result<PCollection<SourceRecord>, DeadLetter> records =
        pipeline.apply("ReadChangeRecords", sources.changeRecords());
    PTransform<PBegin, PCollection<SourceRecord>> references = sources.referenceRecords();
    if (references != null) {
      pulse = pulse.withReferenceRecords(pipeline.apply("ReadReferenceRecords", references));
    }
    sinks.write(
        records
            .output()
            .apply("ComputeLearnerPulse", pulse)
            .withDeadLetters(records.failures()));
  }
}
