package dev.learnerpulse.pipeline;

import dev.learnerpulse.metrics.OutcomeCounters;
import dev.learnerpulse.model.Outcome;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricResults;
import org.apache.beam.sdk.metrics.MetricsFilter;

/**
 * The outcome counts of a finished run, per topic, read back from its {@link OutcomeCounters}: what
 * a user checks first after a backfill, and where input = valid + duplicate + ignored + dead_letter
 * + too_late is verified.
 */
public final class OutcomeReport {
  private final Map<String, Map<String, Long>> countsByTopic;
  private final Map<String, Long> reasons;

  private OutcomeReport(Map<String, Map<String, Long>> countsByTopic, Map<String, Long> reasons) {
    this.countsByTopic = countsByTopic;
    this.reasons = reasons;
  }

  public static OutcomeReport of(PipelineResult result) {
    return of(result.metrics());
  }

  /** The counts so far of a job that may still run: how a backfill reports its progress. */
  public static OutcomeReport of(MetricResults metrics) {
    Map<String, Map<String, Long>> countsByTopic = new TreeMap<>();
    Map<String, Long> reasons = new TreeMap<>();
    Iterable<MetricResult<Long>> counters =
        metrics
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.inNamespace(OutcomeCounters.NAMESPACE))
                    .build())
            .getCounters();
    for (MetricResult<Long> counter : counters) {
      String name = counter.getName().getName();
      long value = counter.getAttempted();
      int dot = name.indexOf('.');
      if (dot < 0) {
        continue;
      }
      String kind = name.substring(0, dot);
      String rest = name.substring(dot + 1);
      if (kind.equals("reason")) {
        reasons.merge(rest, value, Long::sum);
      } else {
        countsByTopic.computeIfAbsent(rest, t -> new TreeMap<>()).merge(kind, value, Long::sum);
      }
    }
    return new OutcomeReport(countsByTopic, reasons);
  }

  /** How many records of {@code topic} ended in {@code outcome}. */
  public long count(String topic, Outcome outcome) {
    return countsByTopic.getOrDefault(topic, Map.of()).getOrDefault(outcome.label(), 0L);
  }

  public long input(String topic) {
    return countsByTopic.getOrDefault(topic, Map.of()).getOrDefault("input", 0L);
  }

  /** Records read so far, all topics. */
  public long totalInput() {
    long sum = 0;
    for (String topic : countsByTopic.keySet()) {
      sum += input(topic);
    }
    return sum;
  }

  /** Dead letters so far, all topics. */
  public long totalDeadLetters() {
    long sum = 0;
    for (String topic : countsByTopic.keySet()) {
      sum += count(topic, Outcome.DEAD_LETTER);
    }
    return sum;
  }

  public long reason(String reason) {
    return reasons.getOrDefault(reason, 0L);
  }

  /** Per topic: {@code input} and each outcome's label to its count. */
  public Map<String, Map<String, Long>> countsByTopic() {
    return java.util.Collections.unmodifiableMap(countsByTopic);
  }

  /** Dead letters by reason code. */
  public Map<String, Long> reasons() {
    return java.util.Collections.unmodifiableMap(reasons);
  }

  public Iterable<String> topics() {
    return countsByTopic.keySet();
  }

  /** True when every topic's outcomes add up to its input. */
  public boolean balanced() {
    for (String topic : countsByTopic.keySet()) {
      if (input(topic) != outcomes(topic)) {
        return false;
      }
    }
    return true;
  }

  private long outcomes(String topic) {
    long sum = 0;
    for (Outcome outcome : Outcome.values()) {
      sum += count(topic, outcome);
    }
    return sum;
  }

  public String render() {
    StringBuilder out = new StringBuilder();
    out.append(String.format("%-40s %8s", "topic", "input"));
    for (Outcome outcome : Outcome.values()) {
      out.append(String.format(" %11s", outcome.label()));
    }
    out.append('\n');
    for (String topic : countsByTopic.keySet()) {
      out.append(String.format("%-40s %8d", topic, input(topic)));
      for (Outcome outcome : Outcome.values()) {
        out.append(String.format(" %11d", count(topic, outcome)));
      }
      out.append(input(topic) == outcomes(topic) ? "\n" : "   <- does not add up\n");
    }
    if (!reasons.isEmpty()) {
      out.append("dead letters by reason: ").append(reasons).append('\n');
    }
    out.append(balanced() ? "every record has exactly one outcome\n" : "OUTCOMES DO NOT ADD UP\n");
    return out.toString();
  }
}
