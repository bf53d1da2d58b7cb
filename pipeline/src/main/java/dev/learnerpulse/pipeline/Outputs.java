package dev.learnerpulse.pipeline;

import dev.learnerpulse.model.DeadLetter;
import dev.learnerpulse.model.LearnerWindowMetrics;
import dev.learnerpulse.model.TooLateEvent;
import org.apache.beam.sdk.values.PCollection;

/** What a Learner Pulse graph produces, handed to the {@link Sinks}. */
public final class Outputs {
  private final PCollection<LearnerWindowMetrics> metrics;
  private final PCollection<DeadLetter> deadLetters;
  private final PCollection<TooLateEvent> tooLate;

  Outputs(
      PCollection<LearnerWindowMetrics> metrics,
      PCollection<DeadLetter> deadLetters,
      PCollection<TooLateEvent> tooLate) {
    this.metrics = metrics;
    this.deadLetters = deadLetters;
    this.tooLate = tooLate;
  }

  public PCollection<LearnerWindowMetrics> metrics() {
    return metrics;
  }

  /** Every dead letter of every step, one collection. */
  public PCollection<DeadLetter> deadLetters() {
    return deadLetters;
  }

  public PCollection<TooLateEvent> tooLate() {
    return tooLate;
  }
}
