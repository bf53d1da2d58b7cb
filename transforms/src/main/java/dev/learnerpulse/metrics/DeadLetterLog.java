package dev.learnerpulse.metrics;

import dev.learnerpulse.model.ReasonCode;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * At most one log line per dead letter, and at most {@link #LINES_PER_MINUTE} a minute per DoFn
 * instance, the rest summed up in the next line that gets through. A line names the reason and the
 * record's position and, for a failure nobody anticipated, the exception's class; never the
 * record's content (it may be personal data, and the dead-letter table keeps it) and never a stack
 * trace (a bad record is data, not a bug, and a flood of them must not flood the logs).
 *
 * <p>Not thread-safe: one instance per DoFn instance, like {@link OutcomeCounters}.
 */
public final class DeadLetterLog {
  public static final int LINES_PER_MINUTE = 10;
  private static final long MINUTE_NANOS = 60_000_000_000L;

  private final Logger log;
  private final LongSupplier nanoClock;
  private long windowStart;
  private int linesInWindow;
  private long suppressed;

  public DeadLetterLog(Logger log) {
    this(log, System::nanoTime);
  }

  /** With the clock {@link System#nanoTime} stands for; tests step it. */
  DeadLetterLog(Logger log, LongSupplier nanoClock) {
    this.log = log;
    this.nanoClock = nanoClock;
    this.windowStart = nanoClock.getAsLong();
  }

  /** A record that broke a rule of the contract. */
  public void deadLetter(ReasonCode reason, String position) {
    if (admit()) {
      log.info("Dead letter {} at {}{}", reason, position, suppressedNote());
    }
  }

  /**
   * A record that made code fail in a way no rule anticipated: a bug to look at, so a warning,
   * still without the content or the stack trace.
   */
  public void unexpected(ReasonCode reason, String position, RuntimeException failure) {
    if (admit()) {
      log.warn(
          "Dead letter {} at {} after an unexpected {}{}",
          reason,
          position,
          failure.getClass().getName(),
          suppressedNote());
    }
  }

  private boolean admit() {
    long now = nanoClock.getAsLong();
    if (now - windowStart >= MINUTE_NANOS) {
      windowStart = now;
      linesInWindow = 0;
    }
    if (linesInWindow >= LINES_PER_MINUTE) {
      suppressed++;
      return false;
    }
    linesInWindow++;
    return true;
  }

  private String suppressedNote() {
    if (suppressed == 0) {
      return "";
    }
    String note = " (" + suppressed + " more dead letters not logged)";
    suppressed = 0;
    return note;
  }
}
