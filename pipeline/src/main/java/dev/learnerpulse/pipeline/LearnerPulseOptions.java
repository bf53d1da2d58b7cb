package dev.learnerpulse.pipeline;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Every option of a Learner Pulse job, one interface per concern. */
public interface LearnerPulseOptions
    extends PipelineOptions,
        TopicOptions,
        WindowOptions,
        LatenessOptions,
        EnrichmentOptions,
        ShardOptions,
        KafkaOptions,
        RedisOptions,
        AlertOptions,
        WarehouseOptions,
        AvroOptions,
        EngineOptions,
        RawArchiveOptions {
  @Description(
      "STREAMING reads the live change topics from Kafka; BACKFILL recomputes a period as a"
          + " bounded job, from archived topics (kcat -J dumps, --inputPattern) or straight from"
          + " Kafka (--from, --to).")
  @Default.Enum("STREAMING")
  Mode getMode();

  void setMode(Mode value);

  @Description(
      "Backfill input: a file pattern (local path or gs://) of archived topics, one kcat -C -J"
          + " dump per topic, e.g. 'testdata/*.jsonl', or raw archive files (a pattern ending in .avro,"
          + " see --rawArchive), e.g. 'gs://bucket/raw/dt=2026-11-20/hour=*/*.avro'.")
  String getInputPattern();

  void setInputPattern(String value);

  @Description(
      "Backfill straight from Kafka (--bootstrapServers) instead of --inputPattern: the change"
          + " records whose Kafka timestamp is at or after this ISO-8601 instant, e.g."
          + " 2026-11-20T00:00:00Z. Goes with --to; offsets are resolved per partition at launch.")
  String getFrom();

  void setFrom(String value);

  @Description(
      "Backfill straight from Kafka: the change records whose Kafka timestamp is before this"
          + " ISO-8601 instant (exclusive), and the reference topics from their start up to it."
          + " Goes with --from.")
  String getTo();

  void setTo(String value);
}
