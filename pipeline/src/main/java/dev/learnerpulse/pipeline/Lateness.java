package dev.learnerpulse.pipeline;

import com.fasterxml.jackson.annotation.JsonCreator;

/** How a backfill decides that a change is too late (docs/contract.md §3.3). */
public enum Lateness {
  /** Batch semantics: every valid change counts in its event-time window, nothing is too late. */
  BATCH,
  /**
   * The live job's decisions: too late when the window's expiry lies before the change's Kafka
   * timestamp less {@code --maxDelay}. For parity checks of a streaming job against a backfill.
   */
  LIVE;

  /** Accepts {@code --lateness=live} as well as {@code --lateness=LIVE}. */
  @JsonCreator
  public static Lateness parse(String value) {
    return OptionEnums.parse(Lateness.class, Flag.of(LatenessOptions::getLateness), value);
  }
}
