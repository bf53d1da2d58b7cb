package dev.learnerpulse.pipeline;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Every option of a Learner Pulse job, one interface per concern. */
public interface LearnerPulseOptions
    extends PipelineOptions,
        TopicOptions,
        WindowOptions,
        ShardOptions,
        KafkaOptions,
        RedisOptions,
        AlertOptions,
        WarehouseOptions,
        AvroOptions,
        EngineOptions {
  @Description(
      "STREAMING reads the live change topics from Kafka; BACKFILL reads archived topics"
          + " (kcat -J dumps) from --inputPattern as a bounded job.")
  @Default.Enum("STREAMING")
  Mode getMode();

  void setMode(Mode value);

  @Description(
      "Backfill input: a file pattern (local path or gs://) of archived topics, one kcat -C -J"
          + " dump per topic, e.g. 'testdata/*.jsonl'.")
  String getInputPattern();

  void setInputPattern(String value);

}
