package dev.learnerpulse.window;

import static java.util.Objects.requireNonNull;

import java.io.Serializable;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.display.HasDisplayData;
import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.AfterProcessingTime;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * The event-time windowing of docs/contract.md §3.1: fixed windows aligned to the epoch, an allowed
 * lateness, and accumulating panes. In streaming, early panes every {@code earlyFiring} of
 * processing time, the on-time pane at the watermark and a late pane for each late arrival; in
 * batch (no early firing), exactly one pane per key and window.
 *
 * <pre>{@code
 * Windowing windowing = Windowing.of(Duration.standardSeconds(60), Duration.standardSeconds(300))
 *     .withEarlyFirings(Duration.standardSeconds(10));
 * }</pre>
 */
public final class Windowing implements Serializable, HasDisplayData {
  private static final long serialVersionUID = 1L;

  private final Duration size;
  private final Duration allowedLateness;
  private final @Nullable Duration earlyFiring;

  private Windowing(Duration size, Duration allowedLateness, @Nullable Duration earlyFiring) {
    this.size = size;
    this.allowedLateness = allowedLateness;
    this.earlyFiring = earlyFiring;
  }

  /** The contract's defaults: 60 s windows, 300 s lateness, early panes every 10 s. */
  public static Windowing defaults() {
    return of(Duration.standardSeconds(60), Duration.standardSeconds(300))
        .withEarlyFirings(Duration.standardSeconds(10));
  }

  public static Windowing of(Duration size, Duration allowedLateness) {
    requireNonNull(size, "size");
    requireNonNull(allowedLateness, "allowedLateness");
    if (!size.isLongerThan(Duration.ZERO)) {
      throw new IllegalArgumentException("The window size must be positive, not " + size);
    }
    if (allowedLateness.isShorterThan(Duration.ZERO)) {
      throw new IllegalArgumentException("The allowed lateness must not be negative");
    }
    return new Windowing(size, allowedLateness, null);
  }

  /** Early (speculative) panes every {@code period} of processing time: streaming only. */
  public Windowing withEarlyFirings(Duration period) {
    requireNonNull(period, "period");
    if (!period.isLongerThan(Duration.ZERO)) {
      throw new IllegalArgumentException("The early firing period must be positive, not " + period);
    }
    return new Windowing(size, allowedLateness, period);
  }

  /** The same windows without early panes: one pane per key and window, as a backfill needs. */
  public Windowing withoutEarlyFirings() {
    return new Windowing(size, allowedLateness, null);
  }

  public Duration size() {
    return size;
  }

  public Duration allowedLateness() {
    return allowedLateness;
  }

  public @Nullable Duration earlyFiring() {
    return earlyFiring;
  }

  /** The window an event time falls into. */
  public IntervalWindow windowOf(Instant eventTime) {
    long sizeMillis = size.getMillis();
    long start = Math.floorDiv(eventTime.getMillis(), sizeMillis) * sizeMillis;
    return new IntervalWindow(new Instant(start), size);
  }

  /**
   * The last instant at which the window still accepts data: its max timestamp plus the allowed
   * lateness. Beam drops an element of the window once the watermark is past this instant.
   */
  public Instant expiryOf(IntervalWindow window) {
    return window.maxTimestamp().plus(allowedLateness);
  }

  /** The {@link Window} transform with this windowing's trigger and lateness. */
  public <T> Window<T> window() {
    AfterWatermark.AfterWatermarkEarlyAndLate trigger =
        AfterWatermark.pastEndOfWindow().withLateFirings(AfterPane.elementCountAtLeast(1));
    if (earlyFiring != null) {
      trigger =
          trigger.withEarlyFirings(
              AfterProcessingTime.pastFirstElementInPane().plusDelayOf(earlyFiring));
    }
    return Window.<T>into(FixedWindows.of(size))
        .triggering(trigger)
        .withAllowedLateness(allowedLateness, Window.ClosingBehavior.FIRE_IF_NON_EMPTY)
        .accumulatingFiredPanes();
  }

  /** The window size, lateness and early firing, for the display data of the steps that window. */
  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    builder
        .add(DisplayData.item("window", size))
        .add(DisplayData.item("allowedLateness", allowedLateness))
        .addIfNotNull(DisplayData.item("earlyFiring", earlyFiring));
  }

  @Override
  public String toString() {
    return "Windowing{size="
        + size
        + ", allowedLateness="
        + allowedLateness
        + ", earlyFiring="
        + earlyFiring
        + "}";
  }
}
