package dev.learnerpulse.pipeline;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.joda.time.Duration;

/**
 * Durations as users write them in options: {@code 500ms}, {@code 60s}, {@code 5m}, {@code 1h},
 * {@code 7d}, or ISO-8601; a bare {@code 0} is zero, the one amount that needs no unit.
 */
public final class Durations {
  private static final Pattern SIMPLE = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

  private Durations() {}

  public static Duration parse(String option, String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException(option + " must be a duration such as 60s");
    }
    String trimmed = text.trim().toLowerCase(Locale.ROOT);
    if (trimmed.equals("0")) {
      return Duration.ZERO;
    }
    Matcher simple = SIMPLE.matcher(trimmed);
    if (simple.matches()) {
      long amount = Long.parseLong(simple.group(1));
      switch (simple.group(2)) {
        case "ms":
          return Duration.millis(amount);
        case "s":
          return Duration.standardSeconds(amount);
        case "m":
          return Duration.standardMinutes(amount);
        case "h":
          return Duration.standardHours(amount);
        default:
          return Duration.standardDays(amount);
      }
    }
    try {
      return Duration.millis(java.time.Duration.parse(text.trim()).toMillis());
    } catch (java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException(
          option
              + " must be a duration such as 500ms, 60s, 5m, 1h, 7d or PT1M, not '"
              + text
              + "'");
    }
  }
}
