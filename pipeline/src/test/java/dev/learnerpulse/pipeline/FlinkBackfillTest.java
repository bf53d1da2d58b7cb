package dev.learnerpulse.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.learnerpulse.sinks.OutputRows;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backfill of the committed test data on the embedded Flink cluster writes exactly what the
 * DirectRunner writes, table by table (but for {@code seen_at}, the processing time of a dead
 * letter or a too-late change), and reports the same outcomes. {@link FlinkClusterIT} holds a Flink
 * cluster of separate processes to the same comparison, with the helpers here.
 */
class FlinkBackfillTest {
  static final Path TESTDATA = Path.of("..", "testdata").toAbsolutePath();

  @TempDir Path work;

  @Test
  void flinkWritesWhatTheDirectRunnerWrites() throws Exception {
    OutcomeReport direct = backfill(work.resolve("direct"), "--runner=DirectRunner");
    OutcomeReport flink =
        backfill(
            work.resolve("flink"),
            "--runner=FlinkRunner",
            "--flinkMaster=[local]",
            "--parallelism=2");
    assertSameOutput(direct, work.resolve("direct"), flink, work.resolve("flink"));
  }

  /**
   * Every output table under {@code actualDir} holds exactly the rows of {@code expectedDir} (but
   * for {@code seen_at}), and the two runs report the same, balanced, outcomes.
   */
  static void assertSameOutput(
      OutcomeReport expected, Path expectedDir, OutcomeReport actual, Path actualDir)
      throws Exception {
    for (String table :
        List.of(
            OutputRows.METRICS_TABLE, OutputRows.DEAD_LETTERS_TABLE, OutputRows.TOO_LATE_TABLE)) {
      List<String> rows = rows(expectedDir, table);
      assertTrue(!rows.isEmpty(), table);
      assertEquals(rows, rows(actualDir, table), table);
    }
    assertTrue(
        TableFiles.assertAtRiskAgreesWithScores(
                TableFiles.rows(actualDir, OutputRows.METRICS_TABLE))
            > 100);
    assertEquals(expected.render(), actual.render());
    assertTrue(actual.balanced(), actual.render());
  }

  /** Runs the backfill of the test data into {@code out} with the runner's {@code args}. */
  static OutcomeReport backfill(Path out, String... runner) {
    List<String> args = new ArrayList<>(List.of(runner));
    args.addAll(
        List.of(
            "--mode=backfill",
            // live lateness, so that the too-late table has rows to compare
            "--lateness=live",
            "--inputPattern=" + TESTDATA + "/*.jsonl",
            "--outputDir=" + out));
    LearnerPulseOptions options =
        PipelineOptionsFactory.fromArgs(args.toArray(String[]::new)).as(LearnerPulseOptions.class);
    PipelineResult result = LearnerPulse.run(options);
    assertEquals(PipelineResult.State.DONE, result.waitUntilFinish());
    return OutcomeReport.of(result);
  }

  private static List<String> rows(Path dir, String table) throws Exception {
    return TableFiles.comparableRows(dir, table);
  }
}
