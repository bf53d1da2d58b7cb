package dev.learnerpulse.pipeline;

import org.joda.time.Instant;

/** Instants as users write them in options: ISO-8601, such as {@code 2026-11-20T00:00:00Z}. */
public final class Instants {
  private Instants() {}

  /** {@code text} of {@code flag} as an instant, or an error that says what is expected. */
  public static Instant parse(String flag, String text) {
    try {
      return Instant.parse(text.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          flag + " must be an ISO-8601 instant such as 2026-11-20T00:00:00Z, not '" + text + "'");
    }
  }
}
