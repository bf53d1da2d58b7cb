package dev.learnerpulse.tools.local;

import dev.learnerpulse.model.SourceTable;
import dev.learnerpulse.model.Topics;
import dev.learnerpulse.pipeline.Durations;
import dev.learnerpulse.pipeline.FlinkEngine;
import dev.learnerpulse.pipeline.LearnerPulse;
import dev.learnerpulse.pipeline.LearnerPulseOptions;
import dev.learnerpulse.pipeline.OutcomeReport;
import dev.learnerpulse.sinks.redis.DashboardKeys;
import dev.learnerpulse.testkit.AlertProbes;
import dev.learnerpulse.testkit.EmbeddedKafka;
import dev.learnerpulse.testkit.EmbeddedRedisServer;
import dev.learnerpulse.testkit.LatencyProbes;
import dev.learnerpulse.testkit.LoadGenerator;
import dev.learnerpulse.testkit.SyntheticChanges;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * End-to-end latency of the streaming pipeline on this machine, from a change's Kafka append to its
 * effect in Redis: an embedded broker and Redis, the streaming pipeline on an embedded Flink
 * cluster with early panes every second, and a {@link LoadGenerator} stepping through {@code
 * --rates}; each step reports the rate produced, the rate the pipeline read, and p50/p95/p99
 * latency of the probe changes sent after the step's warm-up, both kinds in every step: to the
 * dashboard ({@link LatencyProbes}) and to an alert in the Redis stream ({@link AlertProbes}).
 * Stops at the first step that is not sustainable (either p99 above {@code --maxP99}, reads falling
 * behind, or probes that never arrived).
 *
 * <pre>{@code
 * ./learner-pulse benchmark --rates=1000,2500,5000,7500 --duration=120s
 * }</pre>
 *
 * <p>Both probes run in every step, not behind an option: the alert probes are 10 of each second's
 * records, and one run then answers both questions at the same load.
 */
public final class LatencyBenchmark {
  static final String USAGE =
      String.join(
          "\n",
          "Usage: learner-pulse benchmark [options] [pipeline options]",
          "  --rates=<r1,r2,...>  records/s of each step, ascending (default 1000,2500,5000,7500,10000)",
          "  --rate=<r>           a single step at this rate",
          "  --duration=<dur>     length of each step (default 120s)",
          "  --warmup=<dur>       start of each step left out of the latencies (default 20s)",
          "  --maxP99=<dur>       p99 above this makes a step unsustainable (default 2s)",
          "  --learners=<n>       learners of the background load (default 5000)",
          "  --courses=<n>        courses of the background load (default 20)",
          "  --all-steps          keep stepping after an unsustainable step",
          "Any other --name=value is a pipeline option (defaults: --runner=FlinkRunner",
          " --flinkMaster=[local] --earlyFiring=1s",
          " --enforceImmutability=false --enforceEncodability=false --dedupShards="
              + LocalRun.DEDUP_SHARDS
              + " --guardShards="
              + LocalRun.GUARD_SHARDS
              + ").");

  /** Records/s until the first probe reaches Redis: below what the DirectRunner reads here. */
  static final long STARTUP_RATE = 10;

  private LatencyBenchmark() {}

  public static void main(String[] args) throws Exception {
    if (List.of(args).contains("--help")) {
      System.out.println(USAGE);
      return;
    }
    List<Long> rates = List.of(1000L, 2500L, 5000L, 7500L, 10000L);
    Duration duration = Duration.standardSeconds(120);
    Duration warmup = Duration.standardSeconds(20);
    Duration maxP99 = Duration.standardSeconds(2);
    int learners = 5000;
    int courses = 20;
    boolean allSteps = false;
    Map<String, String> pipelineArgs = new LinkedHashMap<>();
    pipelineArgs.put("runner", "FlinkRunner");
    pipelineArgs.put("flinkMaster", "[local]");
    pipelineArgs.put("blockOnRun", "false");
    pipelineArgs.put("mode", "streaming");
    pipelineArgs.put("earlyFiring", "1s");
    pipelineArgs.put("enforceImmutability", "false");
    pipelineArgs.put("enforceEncodability", "false");
    pipelineArgs.put("dedupShards", String.valueOf(LocalRun.DEDUP_SHARDS));
    pipelineArgs.put("guardShards", String.valueOf(LocalRun.GUARD_SHARDS));
    // Steady-state latency, not the catch-up: 5,000 reference rows read before the first window
    // would cost the DirectRunner many minutes.
    pipelineArgs.put("referencesCompleteAtLaunch", "false");
    for (String arg : args) {
      int eq = arg.indexOf('=');
      String name = eq < 0 ? arg : arg.substring(0, eq);
      String value = eq < 0 ? "true" : arg.substring(eq + 1);
      switch (name) {
        case "--rates" -> rates = parseRates(value);
        case "--rate" -> rates = List.of(Long.parseLong(value));
        case "--duration" -> duration = Durations.parse(name, value);
        case "--warmup" -> warmup = Durations.parse(name, value);
        case "--maxP99" -> maxP99 = Durations.parse(name, value);
        case "--learners" -> learners = Integer.parseInt(value);
        case "--courses" -> courses = Integer.parseInt(value);
        case "--all-steps" -> allSteps = true;
        default -> {
          if (!name.startsWith("--")) {
            throw new IllegalArgumentException("unexpected argument '" + arg + "'");
          }
          pipelineArgs.put(name.substring(2), value);
        }
      }
    }
    if (!pipelineArgs.containsKey("verbose")) {
      LocalRun.quietLogs();
    }
    pipelineArgs.remove("verbose");
    new Run(rates, duration, warmup, maxP99, learners, courses, allSteps, pipelineArgs).run();
    System.exit(0);
  }

  private static List<Long> parseRates(String text) {
    List<Long> rates = new ArrayList<>();
    for (String r : text.split(",")) {
      rates.add(Long.parseLong(r.trim()));
    }
    return rates;
  }

  private record Run(
      List<Long> rates,
      Duration duration,
      Duration warmup,
      Duration maxP99,
      int learners,
      int courses,
      boolean allSteps,
      Map<String, String> pipelineArgs) {

    void run() throws Exception {
      System.out.printf(
          "Learner Pulse latency benchmark: %d cores, %s, load %s%n",
          Runtime.getRuntime().availableProcessors(), Runtime.version(), loadAverage());
      Path out = Files.createTempDirectory("learner-pulse-bench-out");
      try (EmbeddedRedisServer redis = EmbeddedRedisServer.start();
          EmbeddedKafka kafka = EmbeddedKafka.start()) {
        pipelineArgs.put("bootstrapServers", kafka.bootstrapServers());
        pipelineArgs.put("redisUrl", redis.url());
        pipelineArgs.putIfAbsent("outputDir", out.toString());
        pipelineArgs.putIfAbsent(
            "backlogStart", Instant.now().minus(Duration.standardMinutes(1)).toString());
        List<String> argv = new ArrayList<>();
        pipelineArgs.forEach((k, v) -> argv.add("--" + k + "=" + v));
        LearnerPulseOptions options =
            PipelineOptionsFactory.fromArgs(argv.toArray(new String[0]))
                .withValidation()
                .as(LearnerPulseOptions.class);
        Topics topics = dev.learnerpulse.pipeline.PipelineSettings.topics(options);
        List<String> names = new ArrayList<>(topics.asMap().values());
        String deadLetterTopic =
            dev.learnerpulse.pipeline.PipelineSettings.deadLetterTopic(options);
        if (deadLetterTopic != null) {
          names.add(deadLetterTopic);
        }
        String alertsTopic = dev.learnerpulse.pipeline.PipelineSettings.alertsTopic(options);
        if (alertsTopic != null) {
          names.add(alertsTopic);
        }
        LocalRun.createTopics(kafka.bootstrapServers(), names, SyntheticChanges.PARTITIONS);
        loadReference(kafka.bootstrapServers(), topics);

        long windowMillis = Durations.parse("--windowSize", options.getWindowSize()).getMillis();
        PipelineResult result = LearnerPulse.run(options);
        long launched = System.currentTimeMillis();
        String webUi = FlinkEngine.webUi(options);
        System.out.println(
            "engine: "
                + options.getRunner().getSimpleName()
                + (webUi == null ? "" : ", web UI at " + webUi));
        SyntheticChanges changes =
            new SyntheticChanges(
                topics.topic(SourceTable.LEARNER_PROGRESS),
                topics.topic(SourceTable.COURSE_INTERACTIONS),
                topics.topic(SourceTable.ASSESSMENT_EVENTS),
                topics.topic(SourceTable.CERTIFICATION_STATE));
        DashboardKeys keys = DashboardKeys.withPrefix(options.getRedisKeyPrefix());
        try (LatencyProbes probes =
                new LatencyProbes(redis.host(), redis.port(), keys, windowMillis);
            AlertProbes alertProbes = new AlertProbes(redis.host(), redis.port(), keys).start();
            LoadGenerator load =
                new LoadGenerator(
                    kafka.bootstrapServers(), changes, probes, alertProbes, learners, courses)) {
          // Slowly until the pipeline is up: a backlog built now would be measured in every step.
          load.start(STARTUP_RATE);
          while (!probes.anyArrived()) {
            if (result.getState().isTerminal() || System.currentTimeMillis() - launched > 300_000) {
              throw new IllegalStateException(
                  "The pipeline did not write a probe in 5 minutes: " + result.getState());
            }
            Thread.sleep(100);
          }
          System.out.printf(
              "pipeline up: first probe in Redis %.1f s after launch%n%n",
              (System.currentTimeMillis() - launched) / 1000.0);
          System.out.printf(
              "%43s%-43s%s%n",
              "", "  | dashboard (window keys), ms", "  | alert (Redis stream), ms");
          System.out.printf(
              "%8s %10s %10s %11s %s %s  %s%n",
              "rate/s",
              "produced/s",
              "read/s",
              "cpu ms/rec",
              LatencyProbes.Result.HEADER,
              LatencyProbes.Result.HEADER,
              "load (1m)");
          for (long rate : rates) {
            load.setRate(rate);
            long stepStart = System.currentTimeMillis();
            long sentBefore = load.sent();
            long readBefore = input(result);
            long cpuBefore = processCpuNanos();
            Thread.sleep(duration.getMillis());
            long stepEnd = System.currentTimeMillis();
            double seconds = (stepEnd - stepStart) / 1000.0;
            double produced = (load.sent() - sentBefore) / seconds;
            long readInStep = input(result) - readBefore;
            double read = readInStep / seconds;
            double cpuPerRecord =
                readInStep == 0 ? -1 : (processCpuNanos() - cpuBefore) / 1e6 / readInStep;
            LatencyProbes.Result latency =
                probes.between(stepStart + warmup.getMillis(), stepEnd - 5_000);
            LatencyProbes.Result alerts =
                alertProbes.between(stepStart + warmup.getMillis(), stepEnd - 5_000);
            boolean sustainable =
                latency.within(maxP99.getMillis())
                    && alerts.within(maxP99.getMillis())
                    && read >= 0.95 * produced;
            System.out.printf(
                "%8d %10.0f %10.0f %11.2f %s %s  %s%s%n",
                rate,
                produced,
                read,
                cpuPerRecord,
                latency.columns(),
                alerts.columns(),
                loadAverage(),
                sustainable ? "" : "   <- not sustainable");
            if (load.failure() != null) {
              throw new IllegalStateException("The load generator failed", load.failure());
            }
            if (result.getState().isTerminal()) {
              throw new IllegalStateException("The pipeline stopped: " + result.getState());
            }
            if (!sustainable && !allSteps) {
              break;
            }
          }
        } finally {
          result.cancel();
        }
      }
      System.out.println(
          "\ndashboard latency = Redis poll time (every "
              + LatencyProbes.POLL_MILLIS
              + " ms) - Kafka timestamp (= send time) of probe interactions; miss = not in Redis 5 s after the step;"
              + "\nalert latency = XREAD BLOCK return time - Kafka timestamp of probe certificates issued ("
              + AlertProbes.PER_SECOND
              + "/s), matched in the tenant's alert stream by learner and course;"
              + "\ncpu ms/rec = CPU time of this JVM (pipeline, broker, load generator) per record read, which"
              + " other processes' load disturbs far less than the rates");
    }

    private static long input(PipelineResult result) {
      try {
        OutcomeReport report = OutcomeReport.of(result);
        long n = 0;
        for (String topic : report.topics()) {
          n += report.input(topic);
        }
        return n;
      } catch (RuntimeException e) {
        return 0;
      }
    }

    /** Courses C00..C{courses} and every learner, spread over all partitions: no idle partition. */
    private void loadReference(String bootstrapServers, Topics topics) {
      try (Producer<byte[], byte[]> producer =
          new KafkaProducer<>(
              Map.of(
                  ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                  ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                  ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
        long now = System.currentTimeMillis();
        String coursesTopic = topics.topic(SourceTable.COURSES);
        String learnersTopic = topics.topic(SourceTable.LEARNERS);
        for (int c = 0; c <= courses; c++) {
          producer.send(
              SyntheticChanges.course(coursesTopic, c, c % SyntheticChanges.PARTITIONS, now));
        }
        for (int l = 0; l < learners + LatencyProbes.PROBE_LEARNERS; l++) {
          String id =
              l < learners
                  ? SyntheticChanges.learner(l)
                  : SyntheticChanges.probeLearner(l - learners);
          producer.send(
              SyntheticChanges.learner(
                  learnersTopic, id, l % SyntheticChanges.PARTITIONS, now, 20_000L + l));
        }
        producer.flush();
      }
    }

    /** CPU time this JVM has used, all threads. */
    private static long processCpuNanos() {
      return ((com.sun.management.OperatingSystemMXBean)
              java.lang.management.ManagementFactory.getOperatingSystemMXBean())
          .getProcessCpuTime();
    }

    private static String loadAverage() {
      try {
        String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
        return parts[0] + " " + parts[1] + " " + parts[2];
      } catch (IOException e) {
        return "n/a";
      }
    }
  }
}
