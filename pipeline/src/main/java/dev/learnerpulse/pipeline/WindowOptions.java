package dev.learnerpulse.pipeline;

import dev.learnerpulse.window.Windowing;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.joda.time.Duration;

/** Event-time windowing and lateness (docs/contract.md §3.1-§3.3); durations like 60s, 5m, 500ms, PT1M. */
public interface WindowOptions extends PipelineOptions {
  @Description("Size of the fixed event-time windows, aligned to the epoch.")
  @Default.String("60s")
  String getWindowSize();

  void setWindowSize(String value);

  @Description("How long after a window's end late data is still accepted (a late pane).")
  @Default.String("300s")
  String getAllowedLateness();

  void setAllowedLateness(String value);

  @Description("Processing-time period of early (speculative) panes in streaming.")
  @Default.String("10s")
  String getEarlyFiring();

  void setEarlyFiring(String value);

  @Description(
      "Backfill only: BATCH (batch semantics, as Beam's batch runners: every valid change counts"
          + " in its event-time window, nothing is too late; for history such as a bulk import or"
          + " a snapshot of old rows) or LIVE (the live job's too-late decisions: a change is too"
          + " late when its window's expiry lies before its Kafka timestamp less --maxDelay; for"
          + " parity checks against a streaming run).")
  @Default.Enum("BATCH")
  Lateness getLateness();

  void setLateness(Lateness value);

  @Description(
      "The most a record's Kafka timestamp may trail the streaming watermark: the watermark is"
          + " Kafka create time minus this delay (and processing time minus it for idle"
          + " partitions, see --idleTimeout); a backfill with --lateness=LIVE judges lateness the"
          + " same way.")
  @Default.String("5s")
  String getMaxDelay();

  void setMaxDelay(String value);

  @Description(
      "How long a Kafka partition with nothing left to read must give no record before it is"
          + " idle and its watermark follows processing time minus --maxDelay, so an empty or"
          + " quiet partition does not hold the job back. Also the time a record read at the"
          + " end of a catch-up has to reach the too-late guard before the watermark leaps to"
          + " now.")
  @Default.String("10s")
  String getIdleTimeout();

  void setIdleTimeout(String value);

  static Windowing windowing(WindowOptions options) {
    return Windowing.of(
            Durations.parse("--windowSize", options.getWindowSize()),
            Durations.parse("--allowedLateness", options.getAllowedLateness()))
        .withEarlyFirings(Durations.parse("--earlyFiring", options.getEarlyFiring()));
  }

  static Duration maxDelay(WindowOptions options) {
    return Durations.parse("--maxDelay", options.getMaxDelay());
  }

  static Duration idleTimeout(WindowOptions options) {
    return Durations.parse("--idleTimeout", options.getIdleTimeout());
  }
}
