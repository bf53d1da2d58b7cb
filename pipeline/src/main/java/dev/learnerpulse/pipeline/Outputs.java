package dev.learnerpulse.pipeline;

import dev.learnerpulse.model.DeadLetter;
import org.apache.beam.sdk.values.PCollection;

/** What a Learner Pulse graph produces, handed to the {@link Sinks}. */
public final class Outputs {
  private final PCollection<DeadLetter> deadLetters;

  Outputs(PCollection<DeadLetter> deadLetters) {
    this.deadLetters = deadLetters;
  }

  /** Every dead letter of every step, one collection. */
  public PCollection<DeadLetter> deadLetters() {
    return deadLetters;
  }
}
