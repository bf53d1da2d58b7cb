package dev.learnerpulse.decode;

import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * ISO-8601 timestamps with an offset, as Debezium's ZonedTimestamp and Extended JSON write them,
 * and the range of instants that can be an element's timestamp. Beam refuses to stamp an element
 * outside {@link #EARLIEST}..{@link #LATEST} and the job fails; Java's ISO parser reaches a billion
 * years, well past the milliseconds a long holds; so every conversion here is exact or refused.
 */
public final class Timestamps {
  /** Beam's earliest timestamp. */
  public static final Instant EARLIEST = BoundedWindow.TIMESTAMP_MIN_VALUE;

  /** The end of Beam's global window: the latest timestamp a window may hold. */
  public static final Instant LATEST = GlobalWindow.INSTANCE.maxTimestamp();

  private static final java.time.Instant EARLIEST_JAVA =
      java.time.Instant.ofEpochMilli(EARLIEST.getMillis());
  private static final java.time.Instant LATEST_JAVA =
      java.time.Instant.ofEpochMilli(LATEST.getMillis());

  private Timestamps() {}

  /**
   * Epoch milliseconds of an ISO-8601 date-time with a zone offset ({@code Z} or {@code +02:00}),
   * fractions beyond milliseconds truncated; null when the text is not one or lies outside {@link
   * #EARLIEST}..{@link #LATEST}.
   */
  public static @Nullable Long parseIsoMillis(String text) {
    java.time.Instant instant = parseIso(text);
    return instant == null || !inRange(instant) ? null : instant.toEpochMilli();
  }

  /** The instant of an ISO-8601 date-time with a zone offset; null when the text is not one. */
  public static java.time.@Nullable Instant parseIso(String text) {
    try {
      return DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(text, java.time.Instant::from);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** Whether {@code millis} since the epoch can be an element's timestamp. */
  public static boolean inRange(long millis) {
    return millis >= EARLIEST.getMillis() && millis <= LATEST.getMillis();
  }

  public static boolean inRange(java.time.Instant instant) {
    return !instant.isBefore(EARLIEST_JAVA) && !instant.isAfter(LATEST_JAVA);
  }

  /** The range in words, for a dead letter's detail. */
  public static String range() {
    return "the range of event times, " + EARLIEST + " to " + LATEST;
  }
}
