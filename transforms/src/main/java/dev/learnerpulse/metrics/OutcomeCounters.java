package dev.learnerpulse.metrics;

import dev.learnerpulse.model.Outcome;
import dev.learnerpulse.model.ReasonCode;
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
 * <p>Create one per DoFn instance (in {@code @Setup}); it caches counters by name.
 */
public final class OutcomeCounters {
  public static final String NAMESPACE = "learner_pulse";

  private final Map<String, Counter> counters = new HashMap<>();

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
    counter(inputName(topic)).inc();
  }

  public void outcome(Outcome outcome, String topic) {
    counter(name(outcome, topic)).inc();
  }

  public void deadLetter(ReasonCode reason, String topic) {
    outcome(Outcome.DEAD_LETTER, topic);
    counter(reasonName(reason)).inc();
  }

  private Counter counter(String name) {
    return counters.computeIfAbsent(name, n -> Metrics.counter(NAMESPACE, n));
  }
}
