package dev.learnerpulse.pipeline;

import dev.learnerpulse.ComputeLearnerPulse;
import dev.learnerpulse.archive.WriteRawArchive;
import dev.learnerpulse.decode.ValueFormats;
import dev.learnerpulse.decode.registry.SchemaRegistryConfig;
import dev.learnerpulse.model.DeadLetter;
import dev.learnerpulse.model.SourceRecord;
import dev.learnerpulse.model.Topics;
import dev.learnerpulse.secrets.SecretReader;
import dev.learnerpulse.window.Windowing;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricResults;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.options.StreamingOptions;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PDone;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * Learner Pulse's entry point: {@code main -> run(options) -> build(pipeline, pulse, sources,
 * sinks)}. Options become domain values once, in {@link PipelineSettings}; secrets become {@link
 * dev.learnerpulse.secrets.WorkerSecret}s, Secret Manager names that the workers read (the launch
 * check reads them too, here, without putting them in the graph); {@link #build} assembles the same
 * graph for streaming, backfill and tests, which differ only in their sources and sinks.
 */
public final class LearnerPulse {
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
          "backfill: "
              + sizeText(launch.sources().size())
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
   * The same pipeline with {@code observer} reading the outputs beside the configured sinks: how a
   * test of the whole job learns what it computed without replacing any of its edges.
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
    PipelineSettings settings = PipelineSettings.from(options, reader);
    boolean streaming = settings.streaming();
    options.as(StreamingOptions.class).setStreaming(streaming);
    FlinkEngine.configure(options, settings.mode(), settings.checkpointEvery());
    Topics topics = settings.topics();
    KafkaConnection kafka = streaming ? settings.kafka() : null;
    if (kafka != null) {
      checkTopics(kafka, topics, settings.deadLetterTopic(), settings.alertsTopic());
    }
    Pipeline pipeline = Pipeline.create(options);
    Sources sources = sources(settings, kafka);
    build(pipeline, pulse(settings), sources, Sinks.all(List.of(sinks(settings, kafka), observer)));
    return new Launch(pipeline, sources);
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
          "Kafka at "
              + kafka.bootstrapServers()
              + " has no topic "
              + missing
              + ": create them, or point the topic options at the right ones");
    }
    if (deadLetterTopic != null && !kafka.check(List.of(deadLetterTopic)).isEmpty()) {
      throw new IllegalArgumentException(
          "Kafka at "
              + kafka.bootstrapServers()
              + " has no dead-letter topic "
              + deadLetterTopic
              + ": create it (terraform/confluent), or pass "
              + Flag.of(KafkaOptions::getDeadLetterTopic)
              + "=none to write dead"
              + " letters to the warehouse only");
    }
    if (alertsTopic != null && !kafka.check(List.of(alertsTopic)).isEmpty()) {
      throw new IllegalArgumentException(
          "Kafka at "
              + kafka.bootstrapServers()
              + " has no alerts topic "
              + alertsTopic
              + ": create it (terraform/confluent), pass "
              + Flag.of(AlertOptions::getAlertsTopic)
              + "=none to write alerts to Redis and the warehouse only, or "
              + Flag.of(AlertOptions::getAlerts)
              + "=false to detect none");
    }
  }

  static ComputeLearnerPulse pulse(PipelineSettings settings) {
    Topics topics = settings.topics();
    Windowing windowing = settings.windowing();
    ComputeLearnerPulse pulse =
        settings.mode() == Mode.BACKFILL
            ? backfill(settings, topics, windowing)
            : ComputeLearnerPulse.streaming(
                topics, windowing, settings.backlogStart(), settings.referenceRefresh());
    if (settings.mode() != Mode.BACKFILL) {
      ComputeLearnerPulse streaming = pulse;
      pulse =
          Flag.naming(
              () -> streaming.withGuardShards(settings.guardShards()),
              Flag.of(ShardOptions::getGuardShards));
    }
    if (settings.mode() != Mode.BACKFILL && settings.referencesCompleteAtLaunch()) {
      pulse = pulse.withReferencesCompleteAsOf(Instant.now());
    }
    if (settings.alerts()) {
      pulse = pulse.withAlerts();
    }
    ComputeLearnerPulse configured = pulse;
    return withAvro(
        Flag.naming(
            () -> configured.withDedupShards(settings.dedupShards()),
            Flag.of(ShardOptions::getDedupShards)),
        settings);
  }

  private static ComputeLearnerPulse backfill(
      PipelineSettings settings, Topics topics, Windowing windowing) {
    ComputeLearnerPulse backfill = ComputeLearnerPulse.backfill(topics, windowing);
    return settings.lateness() == Lateness.LIVE
        ? backfill.withLiveLateness(settings.maxDelay())
        : backfill;
  }

  /** Avro decoding when a registry is configured; JSON only otherwise. */
  private static ComputeLearnerPulse withAvro(
      ComputeLearnerPulse pulse, PipelineSettings settings) {
    SchemaRegistryConfig registry = settings.schemaRegistry();
    if (registry == null) {
      return pulse;
    }
    return pulse.withAvro(registry, ValueFormats.all(settings.valueFormat()));
  }

  static Sources sources(PipelineSettings settings, @Nullable KafkaConnection kafka) {
    if (settings.mode() == Mode.BACKFILL) {
      return backfillSources(settings);
    }
    KafkaSources kafkaSources =
        new KafkaSources(
            kafka,
            settings.topics(),
            settings.consumerGroup(),
            settings.startPosition(),
            settings.maxDelay(),
            settings.idleTimeout());
    WriteRawArchive rawArchive = settings.rawArchive();
    return rawArchive == null ? kafkaSources : kafkaSources.withRawArchive(rawArchive);
  }

  /** Archived topics, or Kafka between --from and --to: one or the other, never both. */
  private static Sources backfillSources(PipelineSettings settings) {
    PipelineSettings.Period period = settings.period();
    if (period == null) {
      return new ArchivedTopicFiles(settings.inputPattern());
    }
    Topics topics = settings.topics();
    KafkaConnection kafka = settings.kafka();
    List<String> missing = kafka.check(topics.asMap().values());
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(
          "Kafka at "
              + kafka.bootstrapServers()
              + " has no topic "
              + missing
              + ": point the topic options at the topics to backfill");
    }
    return KafkaBackfill.resolve(kafka, topics, period.from(), period.to());
  }

  static Sinks sinks(PipelineSettings settings, @Nullable KafkaConnection kafka) {
    List<Sinks> sinks = new ArrayList<>();
    PTransform<PCollection<DeadLetter>, PDone> deadLetterTopic = null;
    String dlq = settings.deadLetterTopic();
    if (kafka != null && dlq != null) {
      deadLetterTopic = new DeadLetterTopic(kafka, dlq);
      sinks.add(Sinks.deadLetterTopic(deadLetterTopic));
    }
    String alertsTopic = settings.alertsTopic();
    if (kafka != null && alertsTopic != null) {
      sinks.add(Sinks.alertTopic(new AlertTopic(kafka, alertsTopic)));
    }
    if (settings.bigQuery() != null) {
      sinks.add(Sinks.bigQuery(settings.bigQuery(), deadLetterTopic));
    } else {
      sinks.add(Sinks.files(settings.outputDir()));
    }
    if (settings.dashboard() != null) {
      sinks.add(Sinks.redis(settings.dashboard()));
      sinks.add(Sinks.alertStream(settings.alertStream()));
    }
    return Sinks.all(sinks);
  }

  /** Assembles the graph from its edges. */
  public static void build(
      Pipeline pipeline, ComputeLearnerPulse pulse, Sources sources, Sinks sinks) {
    PCollectionTuple inputs = pipeline.apply("ReadChangeRecords", sources.changeRecords());
    PTransform<PBegin, PCollection<SourceRecord>> references = sources.referenceRecords();
    if (references != null) {
      inputs =
          inputs.and(
              ComputeLearnerPulse.REFERENCE_RECORDS,
              pipeline.apply("ReadReferenceRecords", references));
    }
    sinks.write(inputs.apply("ComputeLearnerPulse", pulse));
  }
}
