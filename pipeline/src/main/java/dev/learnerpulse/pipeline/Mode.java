package dev.learnerpulse.pipeline;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.Locale;

/** How Learner Pulse reads its input. */
public enum Mode {
  /** Live change topics from Kafka, unbounded. */
  STREAMING,
  /** A period recomputed, bounded: from archived topics ({@code kcat -J} dumps) or from Kafka. */
  BACKFILL;

  /** Accepts {@code --mode=backfill} as well as {@code --mode=BACKFILL}. */
  @JsonCreator
  public static Mode parse(String value) {
    for (Mode mode : values()) {
      if (mode.name().equals(value.trim().toUpperCase(Locale.ROOT))) {
        return mode;
      }
    }
    throw new IllegalArgumentException("--mode must be streaming or backfill, not '" + value + "'");
  }
}
