package dev.learnerpulse.testing;

import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;

/** Reads a finished test pipeline's counters. */
public final class Counters {
  private Counters() {}

  /** The committed value of a counter, summed over the steps that report it; waits for the run. */
  public static long committed(PipelineResult run, Class<?> namespace, String name) {
    run.waitUntilFinish();
    long sum = 0;
    for (MetricResult<Long> counter :
        run.metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named(namespace, name))
                    .build())
            .getCounters()) {
      sum += counter.getCommitted();
    }
    return sum;
  }
}
