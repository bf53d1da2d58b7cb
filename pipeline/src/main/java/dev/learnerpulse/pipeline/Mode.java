package dev.learnerpulse.pipeline;

import com.fasterxml.jackson.annotation.JsonCreator;

/** How Learner Pulse reads its input. */
public enum Mode {
  /** Live change topics from Kafka, unbounded. */
  STREAMING,
  /** Archived topics ({@code kcat -J} dumps) from files, bounded: recomputes a period. */
  BACKFILL;

  /** Accepts {@code --mode=backfill} as well as {@code --mode=BACKFILL}. */
  @JsonCreator
  public static Mode parse(String value) {
    return OptionEnums.parse(Mode.class, "--mode", value);
  }
}
