package dev.learnerpulse.metrics;

import dev.learnerpulse.model.Outcome;
import dev.learnerpulse.model.ReasonCode;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;

/**
 * Beam counters of outcomes per topic ({@code <outcome>.<topic>}), of records read per topic
 * ({@code input.<topic>}) and of dead letters per reason ({@code reason.<CODE>}), all in namespace
 * {@value #NAMESPACE}. The names are part of the product: dashboards and alerts read them, and
 * input = valid + duplicate + ignored + dead_letter + too_late holds per topic.
 *
 * <p>Create one per DoFn instance (in {@code @Setup}); it caches counters, so counting a record
 * builds no counter name.
 */
public final class OutcomeCounters {
  public static final String NAMESPACE = "learner_pulse";

  private final Map<String, Counter> inputs = new HashMap<>();
  private final Map<String, EnumMap<Outcome, Counter>> outcomes = new HashMap<>();
  private final EnumMap<ReasonCode, Counter> reasons = new EnumMap<>(ReasonCode.class);

  public static String name(Outcome outcome, String topic) {
    return outcome.label() + "." + topic;
  }

  public static String inputName(String topic) {
    return "input." + topic;
  }

  public static String reasonName(ReasonCode reason) {
    return "reason." + reason.name();
  }

  public void input(String topic) {
    inputs.computeIfAbsent(topic, t -> counter(inputName(t))).inc();
  }

  public void outcome(Outcome outcome, String topic) {
    outcomes
        .computeIfAbsent(topic, t -> new EnumMap<>(Outcome.class))
        .computeIfAbsent(outcome, o -> counter(name(o, topic)))
        .inc();
  }

  public void deadLetter(ReasonCode reason, String topic) {
    outcome(Outcome.DEAD_LETTER, topic);
    reasons.computeIfAbsent(reason, r -> counter(reasonName(r))).inc();
  }

  private static Counter counter(String name) {
    return Metrics.counter(NAMESPACE, name);
  }
}
