package dev.learnerpulse.decode;

import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import org.checkerframework.checker.nullness.qual.Nullable;

/** ISO-8601 timestamps with an offset, as Debezium's ZonedTimestamp and Extended JSON write them. */
public final class Timestamps {
  private Timestamps() {}

  /**
   * Epoch milliseconds of an ISO-8601 date-time with a zone offset ({@code Z} or {@code +02:00}),
   * fractions beyond milliseconds truncated; null when the text is not one.
   */
  public static @Nullable Long parseIsoMillis(String text) {
    try {
      TemporalAccessor parsed = DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(text);
      return parsed.getLong(ChronoField.INSTANT_SECONDS) * 1000L
          + parsed.get(ChronoField.MILLI_OF_SECOND);
    } catch (DateTimeParseException | ArithmeticException e) {
      return null;
    }
  }
}
