package dev.learnerpulse.pipeline;

import com.fasterxml.jackson.annotation.JsonCreator;

/** How Learner Pulse reads its input. */
public enum Mode {
  /** Live change topics from Kafka, unbounded. */
  STREAMING,
  /** A period recomputed, bounded: from archived topics ({@code kcat -J} dumps) or from Kafka. */
  BACKFILL;

  /** Accepts {@code --mode=backfill} as well as {@code --mode=BACKFILL}. */
  @JsonCreator
  public static Mode parse(String value) {
    return OptionEnums.parse(Mode.class, Flag.of(LearnerPulseOptions::getMode), value);
  }
}
