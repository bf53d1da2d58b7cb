package dev.learnerpulse.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;

/** How {@link FlinkEngine} tells the embedded cluster from others and sets up the state backend. */
class FlinkEngineTest {
  @Test
  void autoIsTheEmbeddedClusterInAPlainJvm() {
    assertTrue(FlinkEngine.embedded(flinkOptions("--flinkMaster=[auto]")));
    assertTrue(FlinkEngine.embedded(flinkOptions("--flinkMaster=[local]")));
    assertFalse(FlinkEngine.embedded(flinkOptions("--flinkMaster=jobmanager:8081")));
  }

  /** In application mode or under {@code flink run}, the cluster's configuration must win. */
  @Test
  void autoIsTheClusterWhenAClusterRunsTheJob() {
    ClusterContext.install();
    try {
      LearnerPulseOptions options = flinkOptions("--flinkMaster=[auto]");
      assertFalse(FlinkEngine.embedded(options));
      FlinkEngine.configure(options, Mode.STREAMING, checkpointEvery(options));
      assertNull(options.as(FlinkPipelineOptions.class).getFlinkConfDir());
    } finally {
      ClusterContext.uninstall();
    }
  }

  /** What a Flink cluster sets before it calls a job's {@code main}: a context environment. */
  private static final class ClusterContext extends StreamExecutionEnvironment {
    static void install() {
      initializeContextEnvironment(configuration -> new ClusterContext(configuration));
    }

    static void uninstall() {
      resetContextEnvironment();
    }

    private ClusterContext(Configuration configuration) {
      super(configuration);
    }
  }

  @Test
  void theEmbeddedClusterKeepsStateOnTheHeapByDefault() {
    FlinkPipelineOptions flink = configured("--flinkMaster=[local]");
    assertNull(flink.getStateBackend());
    assertNull(flink.getStateBackendStoragePath());
  }

  @Test
  void rocksDbOnTheEmbeddedClusterCheckpointsIntoItsDirectory() {
    FlinkPipelineOptions flink = configured("--flinkMaster=[local]", "--stateBackend=rocksdb");
    assertEquals(
        GlobalConfiguration.loadConfiguration(flink.getFlinkConfDir())
            .get(CheckpointingOptions.CHECKPOINTS_DIRECTORY),
        flink.getStateBackendStoragePath());
  }

  @Test
  void aStoragePathGivenIsKept() {
    FlinkPipelineOptions flink =
        configured(
            "--flinkMaster=[local]",
            "--stateBackend=rocksdb",
            "--stateBackendStoragePath=file:///data/cp");
    assertEquals("file:///data/cp", flink.getStateBackendStoragePath());
  }

  @Test
  void rocksDbOnAClusterNeedsAStoragePath() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> configured("--flinkMaster=jobmanager:8081", "--stateBackend=rocksdb"));
    assertEquals(
        "--stateBackend=rocksdb needs --stateBackendStoragePath on a cluster: a directory every"
            + " TaskManager can write (e.g. s3://bucket/learner-pulse/checkpoints)",
        e.getMessage());
  }

  @Test
  void anUnknownStateBackendIsRefusedAtLaunch() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> configured("--flinkMaster=[local]", "--stateBackend=hashmap"));
    assertEquals(
        "--stateBackend must be one of [rocksdb, filesystem], not 'hashmap'", e.getMessage());
  }

  private static Duration checkpointEvery(LearnerPulseOptions options) {
    return PipelineSettings.duration(options, EngineOptions::getCheckpointEvery);
  }

  private static FlinkPipelineOptions configured(String... args) {
    LearnerPulseOptions options = flinkOptions(args);
    FlinkEngine.configure(options, Mode.STREAMING, checkpointEvery(options));
    return options.as(FlinkPipelineOptions.class);
  }

  private static LearnerPulseOptions flinkOptions(String... args) {
    LearnerPulseOptions options =
        PipelineOptionsFactory.fromArgs(args).as(LearnerPulseOptions.class);
    options.setRunner(FlinkRunner.class);
    return options;
  }
}
