package dev.learnerpulse.pipeline;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * The raw change archive the streaming job keeps: every record it reads, unchanged
 * (docs/backfill.md).
 */
public interface RawArchiveOptions extends PipelineOptions {
  @Description(
      "Streaming only: a directory (gs:// or local) where the job archives every record it reads"
          + " from the change and reference topics, unchanged (topic, partition, offset, Kafka"
          + " timestamp, key and value bytes, headers), as deflate-compressed Avro files under"
          + " dt=YYYY-MM-DD/hour=HH/ of the record's Kafka timestamp (UTC). A backfill reads them"
          + " with --inputPattern=<dir>/dt=*/hour=*/*.avro. Empty or none: no archive.")
  String getRawArchive();

  void setRawArchive(String value);

  @Description(
      "How often the raw archive writes the records read since its last write (a file per hour"
          + " directory and shard each time), e.g. 60s or 5m.")
  @Default.String("1m")
  String getRawArchiveFrequency();

  void setRawArchiveFrequency(String value);

  @Description("Raw archive files written in parallel per hour directory and write.")
  @Default.Integer(2)
  int getRawArchiveShards();

  void setRawArchiveShards(int value);
}
