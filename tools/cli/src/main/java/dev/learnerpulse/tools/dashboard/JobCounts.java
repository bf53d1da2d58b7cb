package dev.learnerpulse.tools.dashboard;

import java.util.Map;

/**
 * The running job's outcome counters at one moment, for the pipeline page: per input topic its
 * {@code input} and one count per outcome label ({@code valid}, {@code duplicate}, {@code ignored},
 * {@code dead_letter}, {@code too_late}), and dead letters by reason code. The pipeline writes none
 * of this to Redis; the job's metrics hold it, so only a process that runs the job (the local run)
 * can hand it to the dashboard. On Dataflow the same counters are in Cloud Monitoring.
 */
public record JobCounts(
    Map<String, Map<String, Long>> byTopic, Map<String, Long> deadLettersByReason) {
  public JobCounts {
    byTopic = Map.copyOf(byTopic);
    deadLettersByReason = Map.copyOf(deadLettersByReason);
  }

  /** The sum of {@code count} (an outcome label or {@code input}) over all topics. */
  public long total(String count) {
    return byTopic.values().stream().mapToLong(counts -> counts.getOrDefault(count, 0L)).sum();
  }
}
