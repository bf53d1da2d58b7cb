package dev.learnerpulse.pipeline;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/** {@code ./learner-pulse replay-dead-letters}: which dead letters to re-produce, and how fast. */
public interface ReplayOptions extends KafkaOptions {
  @Description(
      "Read dead letters from files (local or gs:// pattern) of dead_letters rows as JSON lines"
          + " (--warehouse=files output, or `bq extract --destination_format=NEWLINE_DELIMITED_JSON`)"
          + " instead of --deadLetterTopic.")
  String getDeadLetterFiles();

  void setDeadLetterFiles(String value);

  @Description(
      "Only these reason codes, comma-separated (e.g. UNKNOWN_SCHEMA,BAD_VALUE); default all.")
  String getReasons();

  void setReasons(String value);

  @Description("Only dead letters of these original topics, comma-separated; default all.")
  String getTopics();

  void setTopics(String value);

  @Description("Only dead letters seen at or after this ISO-8601 instant (the lp.seen_at header).")
  String getSeenFrom();

  void setSeenFrom(String value);

  @Description("Only dead letters seen before this ISO-8601 instant.")
  String getSeenUntil();

  void setSeenUntil(String value);

  @Description("Print what would be replayed and produce nothing.")
  @Default.Boolean(false)
  boolean getDryRun();

  void setDryRun(boolean value);

  @Description("At most this many records per second are produced (0: no limit).")
  @Default.Integer(500)
  int getMaxRate();

  void setMaxRate(int value);
}
