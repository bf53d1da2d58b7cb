package dev.learnerpulse.pipeline;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.learnerpulse.ComputeLearnerPulse;
import dev.learnerpulse.model.Outcome;
import dev.learnerpulse.model.SourceTable;
import dev.learnerpulse.sinks.redis.DashboardRedis;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;

/**
 * The streaming job as {@code learner-pulse} builds it, submitted to an embedded Flink cluster,
 * with a probe beside its sinks that tells when the job has written everything to Redis. Its
 * counters are read while it runs through {@link EmbeddedFlinkMetrics}.
 *
 * <p>Not by the watermark, which a streaming job never takes to the end of time: the probe follows
 * each window's newest pane instead. Panes accumulate and count their changes ({@code events}), so
 * once the windows' counts add up to the valid activity changes, every change is in an emitted pane
 * (a pane still to come could only repeat them). The job is done when, besides, every record
 * produced has an outcome and the Redis write has taken as many panes as the probe saw.
 *
 * <pre>{@code
 * try (LiveJob job = LiveJob.start("--bootstrapServers=...", "--redisUrl=...")) {
 *   job.awaitEverythingWritten(producedPerTopic);
 * }
 * }</pre>
 */
final class LiveJob implements AutoCloseable {
  /** Only a guard against a job that never ends: on a busy 2-core machine a run takes minutes. */
  private static final long PATIENCE_MILLIS = Duration.standardMinutes(10).getMillis();

  private static final ObjectMapper JSON = new ObjectMapper();

  private final PipelineResult result;
  private final String webUi;

  private LiveJob(PipelineResult result, String webUi) {
    this.result = result;
    this.webUi = webUi;
  }

  /**
   * Starts the job with {@code args} on the embedded Flink cluster; returns once it is submitted.
   */
  static LiveJob start(String... args) {
    List<String> all =
        new ArrayList<>(
            List.of(
                "--runner=FlinkRunner",
                "--flinkMaster=[local]",
                "--parallelism=2",
                "--mode=streaming"));
    all.addAll(List.of(args));
    LearnerPulseOptions options =
        PipelineOptionsFactory.fromArgs(all.toArray(String[]::new)).as(LearnerPulseOptions.class);
    PipelineResult result =
        FlinkEngine.live(LearnerPulse.create(options, LiveJob::followPanes).run(), options);
    return new LiveJob(result, FlinkEngine.webUi(options));
  }

  /** Waits until the job runs, as Flink's REST API reports it. */
  void awaitRunning() throws IOException, InterruptedException {
    long deadline = System.currentTimeMillis() + PATIENCE_MILLIS;
    while (!"RUNNING".equals(get("/jobs/overview").path("jobs").path(0).path("state").asText())) {
      failIfEnded();
      if (System.currentTimeMillis() > deadline) {
        fail("The job is not running after " + PATIENCE_MILLIS + " ms");
      }
      Thread.sleep(200);
    }
  }

  /** The state backend the running job keeps its state in, as Flink's REST API names it. */
  String stateBackend() throws IOException, InterruptedException {
    String job = get("/jobs/overview").path("jobs").path(0).path("jid").asText();
    return get("/jobs/" + job + "/checkpoints/config").path("state_backend").asText();
  }

  /**
   * Stops the job with a savepoint in {@code directory} (Flink's stop-with-savepoint, through the
   * embedded cluster's REST API) and returns the savepoint's path.
   */
  String stopWithSavepoint(Path directory) throws IOException, InterruptedException {
    String job = get("/jobs/overview").path("jobs").path(0).path("jid").asText();
    String body = JSON.writeValueAsString(Map.of("targetDirectory", directory.toUri().toString()));
    String request =
        send(HttpRequest.newBuilder(URI.create(webUi + "/jobs/" + job + "/stop"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)))
            .path("request-id")
            .asText();
    long deadline = System.currentTimeMillis() + PATIENCE_MILLIS;
    while (true) {
      JsonNode status = get("/jobs/" + job + "/savepoints/" + request);
      if ("COMPLETED".equals(status.path("status").path("id").asText())) {
        JsonNode operation = status.path("operation");
        if (!operation.has("location")) {
          fail("The savepoint failed: " + operation);
        }
        result.waitUntilFinish(Duration.standardMinutes(1));
        return operation.path("location").asText();
      }
      if (System.currentTimeMillis() > deadline) {
        fail("No savepoint after " + PATIENCE_MILLIS + " ms: " + status);
      }
      Thread.sleep(200);
    }
  }

  private JsonNode get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(webUi + path)).GET());
  }

  private static JsonNode send(HttpRequest.Builder request)
      throws IOException, InterruptedException {
    HttpResponse<String> response =
        HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(response.body());
  }

  /**
   * Returns once every record of {@code produced} (records per topic) has been read and given one
   * outcome, every valid change is in an emitted pane, and Redis has taken every emitted pane;
   * fails at once when the job fails.
   */
  void awaitEverythingWritten(Map<String, Long> produced) throws InterruptedException {
    long deadline = System.currentTimeMillis() + PATIENCE_MILLIS;
    while (true) {
      failIfEnded();
      OutcomeReport outcomes = OutcomeReport.of(result);
      boolean allRead = outcomes.balanced();
      for (Map.Entry<String, Long> topic : produced.entrySet()) {
        allRead &= outcomes.input(topic.getKey()) == topic.getValue();
      }
      long valid = 0;
      for (SourceTable table : SourceTable.values()) {
        if (!table.isReference()) {
          valid += outcomes.count(table.defaultTopic(), Outcome.VALID);
        }
      }
      MetricQueryResults metrics =
          result
              .metrics()
              .queryMetrics(
                  MetricsFilter.builder()
                      .addNameFilter(MetricNameFilter.inNamespace(LiveJob.class.getName()))
                      .addNameFilter(MetricNameFilter.inNamespace(DashboardRedis.class.getName()))
                      .build());
      long inPanes = sum(metrics, "eventsInPanes");
      long emitted = sum(metrics, "panesEmitted");
      long written = sum(metrics, "panesApplied") + sum(metrics, "panesSuperseded");
      if (allRead && inPanes == valid && emitted > 0 && written == emitted) {
        return;
      }
      if (System.currentTimeMillis() > deadline) {
        fail(
            "After "
                + PATIENCE_MILLIS
                + " ms: valid changes "
                + valid
                + ", in panes "
                + inPanes
                + ", panes emitted "
                + emitted
                + ", written to Redis "
                + written
                + "\n"
                + outcomes.render());
      }
      Thread.sleep(500);
    }
  }

  /** A failed job's error, or a failure saying how it ended; nothing while it runs. */
  void failIfEnded() {
    if (result.getState().isTerminal()) {
      result.waitUntilFinish();
      fail("The streaming job ended: " + result.getState());
    }
  }

  /** Records read from the change topics so far. */
  long input() {
    OutcomeReport outcomes = OutcomeReport.of(result);
    long input = 0;
    for (String topic : outcomes.topics()) {
      input += outcomes.input(topic);
    }
    return input;
  }

  /** A counter's value summed over the steps that report it. */
  long counter(Class<?> namespace, String name) {
    return sum(
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named(namespace, name))
                    .build()),
        name);
  }

  private static long sum(MetricQueryResults metrics, String name) {
    long sum = 0;
    for (MetricResult<Long> counter : metrics.getCounters()) {
      if (counter.getName().getName().equals(name)) {
        sum += counter.getAttempted();
      }
    }
    return sum;
  }

  @Override
  public void close() {
    try {
      result.cancel();
      result.waitUntilFinish(Duration.standardMinutes(1));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void followPanes(ComputeLearnerPulse.Result outputs) {
    outputs
        .metrics()
        .apply(
            "ProbeKeyByWindow",
            MapElements.into(
                    TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.integers()))
                .via(
                    m ->
                        KV.of(
                            m.getLearnerId() + "/" + m.getCourseId() + "/" + m.getWindowStart(),
                            m.getEvents())))
        .apply("ProbeInGlobalWindow", Window.into(new GlobalWindows()))
        .apply("ProbeCountEvents", ParDo.of(new CountEventsFn()));
  }

  /** Per learner, course and window: the changes in its newest pane, counted once. */
  static final class CountEventsFn extends DoFn<KV<String, Integer>, Void> {
    private final Counter panes = Metrics.counter(LiveJob.class, "panesEmitted");
    private final Counter events = Metrics.counter(LiveJob.class, "eventsInPanes");

    @StateId("events")
    private final StateSpec<ValueState<Integer>> eventsSpec = StateSpecs.value(VarIntCoder.of());

    @ProcessElement
    public void process(
        @Element KV<String, Integer> pane, @StateId("events") ValueState<Integer> seen) {
      panes.inc();
      int before = seen.read() == null ? 0 : seen.read();
      if (pane.getValue() > before) {
        events.inc(pane.getValue() - before);
        seen.write(pane.getValue());
      }
    }
  }
}
