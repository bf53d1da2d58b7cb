package dev.learnerpulse.pipeline;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * What Learner Pulse asks of the engine beyond Beam's own runner options. Flink's options ({@code
 * --flinkMaster}, {@code --parallelism}, {@code --stateBackend}, {@code --checkpointingInterval},
 * ...) apply as Beam's Flink runner documents them.
 */
public interface EngineOptions extends PipelineOptions {
  @Description(
      "Flink streaming: how often the job checkpoints its state and commits the change topics'"
          + " offsets, so that a restart resumes exactly where the checkpoint was (e.g. 10s);"
          + " 0 turns checkpoints off. A --checkpointingInterval given in milliseconds wins."
          + " Ignored by other runners and by a backfill.")
  @Default.String("10s")
  String getCheckpointEvery();

  void setCheckpointEvery(String value);
}
