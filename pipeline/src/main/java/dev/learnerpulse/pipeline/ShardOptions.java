package dev.learnerpulse.pipeline;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * How many state keys the two keyed steps spread their work over: their parallelism on Dataflow.
 * The results do not depend on these counts; the local run and the latency benchmark lower them,
 * because the DirectRunner pays per bundle and makes at least one bundle per key.
 */
public interface ShardOptions extends PipelineOptions {
  @Description("State keys (shards) of duplicate detection.")
  @Default.Integer(64)
  int getDedupShards();

  void setDedupShards(int value);

  @Description("State keys (shards) of the streaming too-late guard; ignored by a backfill.")
  @Default.Integer(16)
  int getGuardShards();

  void setGuardShards(int value);
}
