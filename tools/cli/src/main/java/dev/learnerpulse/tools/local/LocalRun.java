package dev.learnerpulse.tools.local;

import dev.learnerpulse.model.Topics;
import dev.learnerpulse.pipeline.Durations;
import dev.learnerpulse.pipeline.FlinkEngine;
import dev.learnerpulse.pipeline.LearnerPulse;
import dev.learnerpulse.pipeline.LearnerPulseOptions;
import dev.learnerpulse.pipeline.OutcomeReport;
import dev.learnerpulse.pipeline.PipelineSettings;
import dev.learnerpulse.sinks.redis.RedisUrl;
import dev.learnerpulse.testkit.EmbeddedKafka;
import dev.learnerpulse.testkit.EmbeddedRedisServer;
import dev.learnerpulse.testkit.GeneratedTraffic;
import dev.learnerpulse.testkit.Replay;
import dev.learnerpulse.tools.dashboard.DashboardServer;
import dev.learnerpulse.tools.dashboard.JobCounts;
import java.io.PrintStream;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * The one-command local run ({@code ./learner-pulse local}): a real Kafka broker and a real Redis
 * inside this JVM (unless {@code --bootstrapServers} / {@code --redisUrl} name real ones), a fresh
 * generated LXP period replayed to Kafka as live traffic, and the streaming pipeline on an embedded
 * Flink cluster (or {@code --runner=DirectRunner}) writing the dashboard to Redis and JSON lines to
 * {@code --outputDir}, with the web dashboard (docs/dashboard.md) and a terminal view of it
 * refreshed every second. Ctrl-C stops everything.
 *
 * <p>The data's event times and Kafka timestamps start at the current minute: the streaming
 * watermark follows Kafka create time and idle partitions follow the wall clock, so a replay of old
 * timestamps would be too late as a whole. docs/local-run.md describes the options and the view.
 */
public final class LocalRun implements AutoCloseable {
  /**
   * Shards of the two keyed steps on the DirectRunner, far below the job's defaults (64 and 16):
   * the DirectRunner makes a bundle per key and pays per bundle, so on two cores a few keys do the
   * same work with fewer, larger bundles (docs/benchmarks.md).
   */
  static final int DEDUP_SHARDS = 4;

  static final int GUARD_SHARDS = 2;

  static final int DEFAULT_DASHBOARD_PORT = 8080;

  static final String USAGE =
      String.join(
          "\n",
          "Usage: learner-pulse local [options] [pipeline options]",
          "  --minutes=<n>          minutes of generated data to replay (default 10)",
          "  --seed=<long>          generator seed (default: a new one each run)",
          "  --speed=<x>            replay speed factor over the Kafka timestamps (default 1.0)",
          "  --no-view              plain progress lines instead of the live terminal view",
          "  --dashboard-port=<n>   port of the web dashboard on localhost (default "
              + DEFAULT_DASHBOARD_PORT
              + ", or any free one when taken; 0: any free port)",
          "  --no-dashboard         no web dashboard",
          "  --exit-after=<dur>     stop after this long, e.g. 90s or 5m (default: run until Ctrl-C)",
          "  --no-replay            produce nothing (a real Kafka that has its own traffic)",
          "  --verbose              keep Beam's and Kafka's INFO logs",
          "  --bootstrapServers=<h:p>  a real Kafka instead of the embedded broker (PLAINTEXT)",
          "  --redisUrl=<url>       a real Redis instead of the embedded one (redis:// or rediss://)",
          "  --help                 this text",
          "Any other --name=value is a pipeline option (defaults: --mode=streaming",
          " --runner=FlinkRunner --flinkMaster=[local] --outputDir=out/local --earlyFiring=1s",
          " --backlogStart=<data start - 10m>",
          " --dedupShards=" + DEDUP_SHARDS + " --guardShards=" + GUARD_SHARDS + "), e.g.",
          " --windowSize=30s or --redisKeyPrefix=demo.");

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);
  private static final int PARTITIONS = 3;
  private static final long LOG_EVERY_MILLIS = 5_000;

  private final Settings settings;
  private final PrintStream out;
  private final CountDownLatch stop = new CountDownLatch(1);
  private final long startedAt = System.currentTimeMillis();
  private @Nullable EmbeddedKafka kafka;
  private @Nullable EmbeddedRedisServer redis;
  private @Nullable Replay replay;
  private @Nullable PipelineResult result;
  private @Nullable DashboardView view;
  private @Nullable DashboardServer dashboard;
  private @Nullable GeneratedTraffic traffic;
  private String bootstrapServers = "";
  private String redisUrl = "";
  private String outputDir = "";
  private @Nullable String lastRender;
  private boolean closed;

  private LocalRun(Settings settings, PrintStream out) {
    this.settings = settings;
    this.out = out;
  }

  public static void main(String[] args) {
    Settings settings;
    try {
      if (List.of(args).contains("--help")) {
        System.out.println(USAGE);
        return;
      }
      settings = Settings.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("learner-pulse local: " + e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    if (!settings.verbose()) {
      quietLogs();
    }
    LocalRun run;
    try {
      run = start(settings, System.out);
    } catch (IllegalArgumentException e) {
      System.err.println("learner-pulse local: " + e.getMessage());
      System.exit(2);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(run::close, "learner-pulse-local-stop"));
    int status = run.awaitExit();
    run.close();
    System.exit(status);
  }

  /** Beam, Kafka and the broker log at INFO through java.util.logging: keep warnings only. */
  static void quietLogs() {
    Logger root = Logger.getLogger("");
    root.setLevel(Level.WARNING);
    for (java.util.logging.Handler handler : root.getHandlers()) {
      handler.setLevel(Level.WARNING);
    }
    // The embedded broker's clients warn about every disconnect while it stops, the DirectRunner
    // about KafkaIO's ProducerRecordCoder, Jedis about RESP3: none of it is the user's business.
    for (String noisy :
        List.of(
            "org.apache.kafka",
            "kafka",
            "org.apache.beam.sdk.util.MutationDetectors",
            "redis.clients.jedis")) {
      Logger logger = Logger.getLogger(noisy);
      logger.setLevel(Level.SEVERE);
      QUIETED.add(logger); // JUL holds loggers weakly: keep the configured ones alive
    }
    FlinkEngine.quietEmbeddedCluster();
  }

  private static final List<Logger> QUIETED = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** Starts Kafka, Redis, the pipeline and the replay; {@link #close()} stops them. */
  static LocalRun start(Settings settings, PrintStream out) {
    LocalRun run = new LocalRun(settings, out);
    try {
      run.startAll();
      return run;
    } catch (RuntimeException e) {
      run.close();
      throw e;
    }
  }

  private void startAll() {
    // Not PipelineOptionsFactory.register(LearnerPulseOptions.class): registering it next to
    // BigQueryOptions fails while both declare getNumStorageWriteApiStreams() with other types.
    // The user's pipeline options alone first: topic names, dead-letter topic and key prefix.
    LearnerPulseOptions userOptions =
        PipelineOptionsFactory.fromArgs(settings.pipelineArgs().toArray(new String[0]))
            .as(LearnerPulseOptions.class);
    Topics topics = PipelineSettings.topics(userOptions);

    if (settings.redisUrl() == null) {
      redis = EmbeddedRedisServer.start();
      redisUrl = redis.url();
      out.println("started redis-server at " + redisUrl);
    } else {
      redisUrl = settings.redisUrl();
    }
    if (settings.bootstrapServers() == null) {
      kafka = EmbeddedKafka.start();
      bootstrapServers = kafka.bootstrapServers();
      out.println("started Kafka broker at " + bootstrapServers);
    } else {
      bootstrapServers = settings.bootstrapServers();
    }
    List<String> topicNames = new ArrayList<>(topics.asMap().values());
    String deadLetterTopic = PipelineSettings.deadLetterTopic(userOptions);
    if (deadLetterTopic != null) {
      topicNames.add(deadLetterTopic);
    }
    String alertsTopic = PipelineSettings.alertsTopic(userOptions);
    if (alertsTopic != null) {
      topicNames.add(alertsTopic);
    }
    createTopics(bootstrapServers, topicNames, PARTITIONS);
    out.println("topics " + topicNames + " (" + PARTITIONS + " partitions)");

    Instant dataStart =
        new Instant(java.time.Instant.now().truncatedTo(ChronoUnit.MINUTES).toEpochMilli());
    if (settings.replay()) {
      traffic = GeneratedTraffic.generate(dataStart, settings.minutes(), settings.seed(), topics);
      out.printf(
          "generated %d reference + %d change records, %s to %s UTC (seed %d)%n",
          traffic.reference().size(),
          traffic.live().size(),
          TIME.format(java.time.Instant.ofEpochMilli(traffic.start().getMillis())),
          TIME.format(java.time.Instant.ofEpochMilli(traffic.end().getMillis())),
          settings.seed());
    }

    if (traffic != null) {
      replay = Replay.referenceFirst(bootstrapServers, traffic, settings.speed());
    }
    LearnerPulseOptions options = pipelineOptions(dataStart);
    outputDir = options.getOutputDir();
    result = LearnerPulse.run(options);
    String webUi = FlinkEngine.webUi(options);
    out.println(
        "pipeline running on the "
            + (FlinkEngine.runs(options)
                ? "embedded Flink cluster"
                : options.getRunner().getSimpleName())
            + ", writing to "
            + redisUrl
            + " and "
            + outputDir
            + (webUi == null ? "" : "\nFlink web UI at " + webUi));
    view = DashboardView.open(redisUrl, options.getRedisKeyPrefix());
    if (settings.dashboardPort() != null) {
      dashboard = startDashboard(options.getRedisKeyPrefix());
      out.println("dashboard at " + dashboard.url());
    }
    if (replay != null) {
      replay.start();
    }
  }

  /**
   * The web dashboard on localhost, with the job's counters for its pipeline page. The default port
   * gives way to a free one when it is taken (another local run); a port the user chose does not.
   */
  private DashboardServer startDashboard(String keyPrefix) {
    int port = settings.dashboardPort();
    try {
      return DashboardServer.start(
          RedisUrl.parse(redisUrl, null), keyPrefix, "localhost", port, this::jobCounts);
    } catch (RuntimeException e) {
      if (port != DEFAULT_DASHBOARD_PORT) {
        throw e;
      }
      return DashboardServer.start(
          RedisUrl.parse(redisUrl, null), keyPrefix, "localhost", 0, this::jobCounts);
    }
  }

  private @Nullable JobCounts jobCounts() {
    OutcomeReport report = report();
    return report == null ? null : new JobCounts(report.countsByTopic(), report.reasons());
  }

  /** The pipeline's options: the local run's defaults, then whatever the user gave. */
  private LearnerPulseOptions pipelineOptions(Instant dataStart) {
    Map<String, String> args = new LinkedHashMap<>();
    args.put("runner", "FlinkRunner");
    args.put("flinkMaster", "[local]");
    args.put("blockOnRun", "false");
    args.put("mode", "streaming");
    args.put("outputDir", "out/local");
    args.put("backlogStart", dataStart.minus(Duration.standardMinutes(10)).toString());
    args.put("earlyFiring", "1s");
    args.put("dedupShards", String.valueOf(DEDUP_SHARDS));
    args.put("guardShards", String.valueOf(GUARD_SHARDS));
    for (String arg : settings.pipelineArgs()) {
      int eq = arg.indexOf('=');
      args.put(
          arg.substring(2, eq < 0 ? arg.length() : eq), eq < 0 ? "true" : arg.substring(eq + 1));
    }
    args.put("bootstrapServers", bootstrapServers);
    args.put("redisUrl", redisUrl);
    List<String> argv = new ArrayList<>();
    args.forEach((name, value) -> argv.add("--" + name + "=" + value));
    return PipelineOptionsFactory.fromArgs(argv.toArray(new String[0]))
        .withValidation()
        .as(LearnerPulseOptions.class);
  }

  static void createTopics(String bootstrapServers, List<String> topics, int partitions) {
    try (AdminClient admin =
        AdminClient.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      for (String topic : topics) {
        try {
          admin
              .createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
              .all()
              .get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new IllegalStateException("Cannot create topic " + topic, e.getCause());
          }
        }
      }
    } catch (InterruptedException | TimeoutException e) {
      throw new IllegalStateException("Cannot create topics at " + bootstrapServers, e);
    }
  }

  /**
   * Shows progress every second until Ctrl-C, {@code --exit-after} or the pipeline's end; returns
   * the exit status (0, or 1 when the pipeline or the replay failed).
   */
  int awaitExit() {
    long deadline =
        settings.exitAfter() == null
            ? Long.MAX_VALUE
            : startedAt + settings.exitAfter().getMillis();
    long nextLog = 0;
    int status = 0;
    try {
      while (!stop.await(1, TimeUnit.SECONDS)) {
        long now = System.currentTimeMillis();
        PipelineResult.State state = result.getState();
        if (state.isTerminal()) {
          out.println("pipeline " + state + failureText());
          status = state == PipelineResult.State.DONE ? 0 : 1;
          break;
        }
        if (replay != null && replay.failure() != null) {
          out.println("replay failed: " + replay.failure());
          status = 1;
          break;
        }
        OutcomeReport report = report();
        if (settings.view()) {
          lastRender = view.render(header(now, state), report, now);
          out.print("\033[H\033[2J" + lastRender);
          out.flush();
        } else if (now >= nextLog) {
          out.println(logLine(now, report));
          nextLog = now + LOG_EVERY_MILLIS;
        }
        if (now >= deadline) {
          break;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (!closed) {
      summary();
    }
    return status;
  }

  private String failureText() {
    try {
      result.waitUntilFinish();
      return "";
    } catch (RuntimeException e) {
      java.io.StringWriter trace = new java.io.StringWriter();
      e.printStackTrace(new java.io.PrintWriter(trace));
      return ": " + trace;
    }
  }

  private @Nullable OutcomeReport report() {
    try {
      return OutcomeReport.of(result);
    } catch (RuntimeException e) {
      return null; // metrics of a runner that is not up yet
    }
  }

  private String header(long now, PipelineResult.State state) {
    return String.format(
        "Learner Pulse local run   %s UTC   up %ds   pipeline %s   Ctrl-C stops%n"
            + "kafka %s%s   redis %s%s   files %s%n"
            + "%s%s",
        TIME.format(java.time.Instant.ofEpochMilli(now)),
        (now - startedAt) / 1000,
        state,
        bootstrapServers,
        kafka != null ? " (embedded)" : "",
        redisUrl,
        redis != null ? " (embedded)" : "",
        outputDir,
        dashboard == null ? "" : "dashboard   " + dashboard.url() + "\n",
        replayLine());
  }

  private String replayLine() {
    if (replay == null) {
      return "replay      off";
    }
    long last = replay.lastTimestamp();
    return String.format(
        "replay      %d/%d records sent%s, speed %sx, data %s-%s UTC",
        replay.sent(),
        replay.total(),
        last == 0 ? "" : ", Kafka time " + TIME.format(java.time.Instant.ofEpochMilli(last)),
        settings.speed(),
        TIME.format(java.time.Instant.ofEpochMilli(traffic.start().getMillis())),
        TIME.format(java.time.Instant.ofEpochMilli(traffic.end().getMillis())));
  }

  private String logLine(long now, @Nullable OutcomeReport report) {
    String outcomes =
        DashboardView.outcomesLine(report).replace("\n", " |").replaceAll("\\s+", " ");
    return String.format(
        "[%4ds] %s | %s | %s | redis %d learner hashes",
        (now - startedAt) / 1000,
        replayLine().replaceAll("\\s+", " "),
        outcomes,
        view.freshnessLine(now).replaceAll("\\s+", " "),
        view.learnerHashes());
  }

  private void summary() {
    long now = System.currentTimeMillis();
    OutcomeReport report = report();
    out.println();
    out.println(replayLine());
    out.println(DashboardView.outcomesLine(report));
    out.println(view.freshnessLine(now));
    out.printf("redis       %d learner-course hashes%n", view.learnerHashes());
  }

  /** The last view rendered (null with --no-view). */
  @Nullable String lastRender() {
    return lastRender;
  }

  @Nullable DashboardView view() {
    return view;
  }

  @Nullable Replay replay() {
    return replay;
  }

  /** Stops the replay, cancels the pipeline, closes Redis and Kafka; safe to call twice. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    stop.countDown();
    if (replay != null) {
      quietly("the replay", replay::close);
    }
    if (result != null) {
      quietly(
          "the pipeline",
          () -> {
            // A cancelled DirectRunner reports the timers it can no longer deliver as SEVERE.
            Logger direct = Logger.getLogger("org.apache.beam.runners.direct");
            direct.setLevel(Level.OFF);
            QUIETED.add(direct);
            result.cancel();
            result.waitUntilFinish(Duration.standardSeconds(10));
          });
    }
    if (dashboard != null) {
      quietly("the dashboard", dashboard::close);
    }
    if (view != null) {
      quietly("the view", view::close);
    }
    if (kafka != null) {
      quietly("Kafka", kafka::close);
    }
    if (redis != null) {
      quietly("Redis", redis::close);
    }
    closed = true;
    out.println("stopped");
  }

  private interface Step {
    void run() throws Exception;
  }

  private void quietly(String what, Step step) {
    try {
      step.run();
    } catch (Exception e) {
      out.println("while stopping " + what + ": " + e);
    }
  }

  /** The local run's own options, and the pipeline options it passes through. */
  record Settings(
      int minutes,
      long seed,
      double speed,
      boolean view,
      @Nullable Integer dashboardPort,
      @Nullable Duration exitAfter,
      boolean replay,
      boolean verbose,
      @Nullable String bootstrapServers,
      @Nullable String redisUrl,
      List<String> pipelineArgs) {

    static Settings parse(String... args) {
      int minutes = 10;
      long seed = System.currentTimeMillis() % 100_000;
      double speed = 1.0;
      boolean view = true;
      Integer dashboardPort = DEFAULT_DASHBOARD_PORT;
      Duration exitAfter = null;
      boolean replay = true;
      boolean verbose = false;
      String bootstrapServers = null;
      String redisUrl = null;
      List<String> pipelineArgs = new ArrayList<>();
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        if (!arg.startsWith("--")) {
          throw new IllegalArgumentException("unexpected argument '" + arg + "'");
        }
        int eq = arg.indexOf('=');
        String name = eq < 0 ? arg : arg.substring(0, eq);
        String value = eq < 0 ? null : arg.substring(eq + 1);
        boolean own =
            List.of(
                    "--minutes",
                    "--seed",
                    "--speed",
                    "--exit-after",
                    "--bootstrapServers",
                    "--redisUrl",
                    "--dashboard-port")
                .contains(name);
        if (own && value == null) {
          if (i + 1 >= args.length) {
            throw new IllegalArgumentException(name + " needs a value");
          }
          value = args[++i];
        }
        try {
          switch (name) {
            case "--minutes" -> minutes = Integer.parseInt(value);
            case "--seed" -> seed = Long.parseLong(value);
            case "--speed" -> speed = Double.parseDouble(value);
            case "--exit-after" -> exitAfter = Durations.parse(name, value);
            case "--bootstrapServers" -> bootstrapServers = value;
            case "--redisUrl" -> redisUrl = value;
            case "--no-view" -> view = false;
            case "--dashboard-port" -> dashboardPort = Integer.parseInt(value);
            case "--no-dashboard" -> dashboardPort = null;
            case "--no-replay" -> replay = false;
            case "--verbose" -> verbose = true;
            default -> pipelineArgs.add(arg);
          }
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(name + ": cannot read '" + value + "'");
        }
      }
      if (minutes < 1) {
        throw new IllegalArgumentException("--minutes must be at least 1");
      }
      if (dashboardPort != null && (dashboardPort < 0 || dashboardPort > 65535)) {
        throw new IllegalArgumentException("--dashboard-port must be in 0..65535");
      }
      if (!(speed > 0)) {
        throw new IllegalArgumentException("--speed must be positive");
      }
      return new Settings(
          minutes,
          seed,
          speed,
          view,
          dashboardPort,
          exitAfter,
          replay,
          verbose,
          bootstrapServers,
          redisUrl,
          List.copyOf(pipelineArgs));
    }
  }
}
