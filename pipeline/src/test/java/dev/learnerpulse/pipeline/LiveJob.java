package dev.learnerpulse.pipeline;

import static org.junit.jupiter.api.Assertions.fail;

import dev.learnerpulse.ComputeLearnerPulse;
import dev.learnerpulse.model.Outcome;
import dev.learnerpulse.model.SourceTable;
import dev.learnerpulse.sinks.redis.DashboardRedis;
import java.io.IOException;
import java.io.UncheckedIOException;
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
 * The streaming job as {@code learner-pulse} builds it, submitted to an embedded Flink cluster, with
 * a probe beside its sinks that tells when the job has written everything to Redis. Its counters
 * are read while it runs through {@link EmbeddedFlinkMetrics}.
 *
 * <p>Not by the watermark, which a streaming job never takes to the end of time: the probe follows
 * each window's newest pane instead. Panes accumulate and count their changes ({@code events}), so
 * once the windows' counts add up to the valid activity changes, every change is in an emitted
 * pane (a pane still to come could only repeat them). The job is done when, besides, every record
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

  private final PipelineResult result;

  private LiveJob(PipelineResult result) {
    this.result = result;
  }

  /** Starts the job with {@code args} on the embedded Flink cluster; returns once it is submitted. */
  static LiveJob start(String... args) {
    List<String> all =
        new ArrayList<>(
            List.of("--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2", "--mode=streaming"));
    all.addAll(List.of(args));
    LearnerPulseOptions options =
        PipelineOptionsFactory.fromArgs(all.toArray(String[]::new)).as(LearnerPulseOptions.class);
    return new LiveJob(
        FlinkEngine.live(LearnerPulse.create(options, LiveJob::followPanes).run(), options));
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
        fail("After " + PATIENCE_MILLIS + " ms: valid changes " + valid + ", in panes " + inPanes
            + ", panes emitted " + emitted + ", written to Redis " + written + "\n"
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
