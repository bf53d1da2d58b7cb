package dev.learnerpulse.pipeline;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.Supplier;
import org.apache.beam.sdk.metrics.MetricResults;

/**
 * A running backfill's progress on the terminal, one line every few seconds: records read (the
 * outcome counters' {@code input}) of the total when the source knows it, the rate, the time left,
 * and the dead letters so far. Read from the job's own counters, so on Dataflow or a Flink cluster
 * the same figures are the job's counters in their UIs.
 */
final class BackfillProgress implements AutoCloseable {
  private final Thread thread;

  private BackfillProgress(Thread thread) {
    this.thread = thread;
  }

  /**
   * Prints a line to {@code out} every {@code everyMillis} until closed; {@code metrics} gives the
   * counters of the moment (they may be unavailable before the job starts: nothing is printed
   * then); {@code total} is negative when unknown.
   */
  static BackfillProgress start(
      Supplier<MetricResults> metrics, long total, PrintStream out, long everyMillis) {
    long started = System.currentTimeMillis();
    Thread thread =
        new Thread(
            () -> {
              while (!Thread.currentThread().isInterrupted()) {
                try {
                  Thread.sleep(everyMillis);
                } catch (InterruptedException e) {
                  return;
                }
                OutcomeReport counts;
                try {
                  counts = OutcomeReport.of(metrics.get());
                } catch (RuntimeException e) {
                  continue;
                }
                out.println(
                    line(
                        counts.totalInput(),
                        total,
                        counts.totalDeadLetters(),
                        System.currentTimeMillis() - started));
              }
            },
            "backfill-progress");
    thread.setDaemon(true);
    thread.start();
    return new BackfillProgress(thread);
  }

  /** One progress line; {@code total} negative when unknown. */
  static String line(long read, long total, long deadLetters, long elapsedMillis) {
    double seconds = Math.max(elapsedMillis, 1) / 1000.0;
    long rate = Math.round(read / seconds);
    StringBuilder line = new StringBuilder("backfill: ");
    if (total > 0 && read >= total) {
      // Reading is done long before the job: windows close and tables are written at the end.
      return line.append(
              String.format(
                  Locale.ROOT,
                  "all %,d records read, computing windows and writing, %,d dead letters, %s elapsed",
                  read,
                  deadLetters,
                  clock(elapsedMillis / 1000)))
          .toString();
    }
    line.append(String.format(Locale.ROOT, "%,d", read));
    if (total >= 0) {
      line.append(
          String.format(
              Locale.ROOT,
              " of %,d records (%d%%)",
              total,
              total == 0 ? 100 : Math.min(100, read * 100 / total)));
    } else {
      line.append(" records");
    }
    line.append(String.format(Locale.ROOT, ", %,d/s", rate));
    if (total >= 0) {
      line.append(", ETA ").append(rate == 0 || read >= total ? "-" : clock((total - read) / rate));
    }
    line.append(
        String.format(
            Locale.ROOT,
            ", %,d dead letters, %s elapsed",
            deadLetters,
            clock(elapsedMillis / 1000)));
    return line.toString();
  }

  private static String clock(long seconds) {
    return String.format(
        Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60);
  }

  @Override
  public void close() {
    thread.interrupt();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
