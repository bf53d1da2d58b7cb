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
 * letter or a too-late change), and reports the same outcomes.
 */
class FlinkBackfillTest {
  private static final Path TESTDATA = Path.of("..", "testdata").toAbsolutePath();

  @TempDir Path work;

  @Test
  void flinkWritesWhatTheDirectRunnerWrites() throws Exception {
    OutcomeReport direct = backfill(work.resolve("direct"), "--runner=DirectRunner");
    OutcomeReport flink =
        backfill(work.resolve("flink"), "--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2");

    for (String table :
        List.of(OutputRows.METRICS_TABLE, OutputRows.DEAD_LETTERS_TABLE, OutputRows.TOO_LATE_TABLE)) {
      List<String> expected = rows(work.resolve("direct"), table);
      assertTrue(!expected.isEmpty(), table);
      assertEquals(expected, rows(work.resolve("flink"), table), table);
    }
    assertEquals(direct.render(), flink.render());
    assertTrue(flink.balanced(), flink.render());
  }

  private static OutcomeReport backfill(Path out, String... runner) {
    List<String> args = new ArrayList<>(List.of(runner));
    args.addAll(
        List.of("--mode=backfill", "--inputPattern=" + TESTDATA + "/*.jsonl", "--outputDir=" + out));
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
