package dev.learnerpulse.pipeline.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.learnerpulse.pipeline.LearnerPulse;
import dev.learnerpulse.pipeline.LearnerPulseOptions;
import dev.learnerpulse.sinks.OutputRows;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reconcile command over a real backfill's output and a "streaming" output made from it as a
 * streaming job writes: every window also has an early pane before its final one, and every dead
 * letter and too-late change another {@code seen_at}. Identical but for those: exit 0. With a
 * window dropped, one added and a field changed: exit 1, each reported by key and field.
 */
class ReconcileTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path TESTDATA = Path.of("..", "testdata").toAbsolutePath();

  @TempDir static Path work;
  private static Path backfill;

  @BeforeAll
  static void runBackfill() {
    backfill = work.resolve("backfill");
    LearnerPulseOptions options =
        PipelineOptionsFactory.fromArgs(
                "--runner=DirectRunner",
                "--mode=backfill",
                "--inputPattern=" + TESTDATA + "/*.jsonl",
                "--outputDir=" + backfill)
            .as(LearnerPulseOptions.class);
    assertEquals(PipelineResult.State.DONE, LearnerPulse.run(options).waitUntilFinish());
  }

  @Test
  void aStreamingOutputWithEarlyPanesAndOtherSeenAtIsIdentical() throws IOException {
    Path streaming = streamingLike(work.resolve("same"), rows -> {});
    Report report = reconcile(streaming);
    assertEquals(0, report.status(), report.text());
    assertTrue(report.text().endsWith("identical\n"), report.text());
  }

  @Test
  void aMissingAnExtraAndADifferingWindowAreEachReported() throws IOException {
    Path streaming =
        streamingLike(
            work.resolve("different"),
            rows -> {
              // Each window's early pane, then its final one: the first window goes.
              rows.remove(1);
              rows.remove(0);
              ((ObjectNode) rows.get(1)).put("active_seconds", 1234.5);
              ObjectNode added = rows.get(1).deepCopy();
              added.put("learner_id", "L999");
              rows.add(added);
            });
    Report report = reconcile(streaming);
    assertEquals(1, report.status(), report.text());
    List<String> lines = report.text().lines().toList();
    String metrics =
        lines.stream()
            .filter(l -> l.startsWith(OutputRows.METRICS_TABLE))
            .findFirst()
            .orElseThrow();
    assertTrue(
        metrics.matches(
            "learner_window_metrics +\\d+ keys +1 missing +1 extra +1 differing  by field \\{active_seconds=1\\}"),
        metrics);
    assertTrue(report.text().contains("learner_id=L999"), report.text());
    assertTrue(report.text().contains("!= 1234.5"), report.text());
    assertTrue(
        lines.stream()
            .anyMatch(l -> l.matches("dead_letters +\\d+ keys +0 missing +0 extra +0 differing")),
        report.text());
    assertTrue(report.text().endsWith("DIFFERENT\n"), report.text());
  }

  @Test
  void thePeriodLeavesOutWhatLiesOutsideIt() throws IOException {
    // Every window of the test data starts after 09:00 on 2026-11-20: a period before it is empty.
    Path streaming = streamingLike(work.resolve("period"), rows -> rows.remove(1));
    Report inside = reconcile(streaming);
    Report before =
        reconcile(streaming, "--from=2026-11-19T00:00:00Z", "--to=2026-11-20T00:00:00Z");
    assertEquals(1, inside.status(), inside.text());
    assertEquals(0, before.status(), before.text());
  }

  private record Report(int status, String text) {}

  private static Report reconcile(Path streaming, String... more) throws IOException {
    List<String> args =
        new ArrayList<>(List.of("--streamingOutput=" + streaming, "--backfillOutput=" + backfill));
    args.addAll(List.of(more));
    ReconcileOptions options =
        PipelineOptionsFactory.fromArgs(args.toArray(String[]::new)).as(ReconcileOptions.class);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int status = Reconcile.run(options, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    return new Report(status, bytes.toString(StandardCharsets.UTF_8));
  }

  /**
   * The backfill's tables as a streaming job would write them: each window's early pane (index 0,
   * another active_seconds) then its final pane (index 1); another seen_at everywhere. {@code
   * change} edits the window rows before they are written.
   */
  private static Path streamingLike(Path dir, java.util.function.Consumer<List<JsonNode>> change)
      throws IOException {
    Files.createDirectories(dir);
    List<JsonNode> windows = new ArrayList<>();
    for (JsonNode row : OutputTableFiles.rows(backfill.toString(), OutputRows.METRICS_TABLE)) {
      ObjectNode early = row.deepCopy();
      early.put("pane_index", 0).put("pane_timing", "EARLY").put("active_seconds", -1.0);
      ObjectNode last = row.deepCopy();
      last.put("pane_index", 1).put("pane_timing", "ON_TIME");
      windows.add(early);
      windows.add(last);
    }
    change.accept(windows);
    write(dir, OutputRows.METRICS_TABLE, windows);
    for (String table : List.of(OutputRows.DEAD_LETTERS_TABLE, OutputRows.TOO_LATE_TABLE)) {
      List<JsonNode> rows = new ArrayList<>();
      for (JsonNode row : OutputTableFiles.rows(backfill.toString(), table)) {
        rows.add(((ObjectNode) row.deepCopy()).put("seen_at", "2026-12-01T00:00:00.000Z"));
      }
      write(dir, table, rows);
    }
    return dir;
  }

  private static void write(Path dir, String table, List<JsonNode> rows) throws IOException {
    List<String> lines = new ArrayList<>();
    for (JsonNode row : rows) {
      lines.add(JSON.writeValueAsString(row));
    }
    Files.write(dir.resolve(table + "-00000-of-00001.jsonl"), lines);
  }
}
