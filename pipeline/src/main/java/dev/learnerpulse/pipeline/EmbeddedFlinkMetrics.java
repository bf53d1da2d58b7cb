package dev.learnerpulse.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.sdk.metrics.MetricKey;
import org.apache.beam.sdk.metrics.MetricName;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricResults;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Beam's counters of the jobs running in this JVM's embedded Flink cluster, while they run.
 *
 * <p>The Flink runner hands a job's Beam metrics to its {@code PipelineResult} only when the job
 * ends, and a streaming job does not end; but it also publishes every Beam counter as a Flink
 * counter named {@code <namespace>.<name>}, updated at each bundle's end. This Flink metric
 * reporter, configured into the embedded cluster by {@link FlinkEngine}, keeps those counters, and
 * {@link #results()} reads them as Beam {@link MetricResults} (attempted values), so the outcome
 * report, the local run's view and the tests read a Flink job as they read a DirectRunner one.
 */
public final class EmbeddedFlinkMetrics implements MetricReporter {
  private static final Map<String, Registered> COUNTERS = new ConcurrentHashMap<>();

  private record Registered(String name, Counter counter) {}

  @Override
  public void open(MetricConfig config) {}

  @Override
  public void close() {}

  @Override
  public void notifyOfAddedMetric(Metric metric, String metricName, MetricGroup group) {
    if (metric instanceof Counter counter) {
      COUNTERS.put(group.getMetricIdentifier(metricName), new Registered(metricName, counter));
    }
  }

  @Override
  public void notifyOfRemovedMetric(Metric metric, String metricName, MetricGroup group) {
    COUNTERS.remove(group.getMetricIdentifier(metricName));
  }

  /** The counters of the running jobs; the step of each is the Flink scope it counts in. */
  public static MetricResults results() {
    return new MetricResults() {
      @Override
      public MetricQueryResults queryMetrics(@Nullable MetricsFilter filter) {
        List<MetricResult<Long>> counters = new ArrayList<>();
        COUNTERS.forEach(
            (scope, registered) -> {
              MetricName name = match(registered.name(), filter);
              if (name != null) {
                counters.add(
                    MetricResult.attempted(
                        MetricKey.create(scope, name), registered.counter().getCount()));
              }
            });
        return MetricQueryResults.create(
            counters, List.of(), List.of(), List.of(), List.of(), List.of());
      }
    };
  }

  /**
   * The Beam name of a Flink counter the filter asks for, or null. The namespace cannot be told
   * from the name by the dots in {@code <namespace>.<name>}, so the filter's namespaces decide.
   */
  static @Nullable MetricName match(String flinkName, @Nullable MetricsFilter filter) {
    if (filter == null || filter.names().isEmpty()) {
      int dot = flinkName.lastIndexOf('.');
      return dot < 0
          ? MetricName.named("", flinkName)
          : MetricName.named(flinkName.substring(0, dot), flinkName.substring(dot + 1));
    }
    for (MetricNameFilter wanted : filter.names()) {
      String prefix = wanted.getNamespace() + ".";
      if (flinkName.startsWith(prefix)) {
        String name = flinkName.substring(prefix.length());
        if (wanted.getName() == null || wanted.getName().equals(name)) {
          return MetricName.named(wanted.getNamespace(), name);
        }
      }
    }
    return null;
  }

  /** What Flink instantiates for {@code metrics.reporter.<name>.factory.class}. */
  public static final class Factory implements MetricReporterFactory {
    @Override
    public MetricReporter createMetricReporter(Properties properties) {
      return new EmbeddedFlinkMetrics();
    }
  }
}
