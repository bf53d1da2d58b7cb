package dev.learnerpulse.pipeline;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * When a change is too late (docs/contract.md §3.2-§3.4): the watermark that Kafka timestamps
 * drive, where the streaming job starts judging, and how a backfill judges.
 */
public interface LatenessOptions extends PipelineOptions {
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

  @Description(
      "The oldest event time the streaming job expects (ISO-8601). Lateness is judged from there"
          + " on; by default 7 days before launch, Kafka's default retention.")
  String getBacklogStart();

  void setBacklogStart(String value);
}
