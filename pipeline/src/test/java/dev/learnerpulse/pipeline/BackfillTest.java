package dev.learnerpulse.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.learnerpulse.model.Outcome;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's backfill command end to end over the committed test data: the outcome counts equal
 * what the generator planned (testdata/expected-outcomes.json) under the backfill's default batch
 * semantics, where nothing is too late, and the three tables land as JSON lines with the contract's
 * field names.
 */
class BackfillTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path TESTDATA = Path.of("..", "testdata");

  @TempDir static Path out;
  private static OutcomeReport report;

  @BeforeAll
  static void runBackfill() {
    LearnerPulseOptions options =
        PipelineOptionsFactory.fromArgs(
                "--runner=DirectRunner",
                "--mode=backfill",
                "--inputPattern=" + TESTDATA.toAbsolutePath() + "/*.jsonl",
                "--outputDir=" + out.toAbsolutePath())
            .as(LearnerPulseOptions.class);
    PipelineResult result = LearnerPulse.run(options);
    result.waitUntilFinish();
    report = OutcomeReport.of(result);
  }

  @Test
  void outcomesAreThosePlannedByTheGenerator() throws IOException {
    JsonNode expected =
        JSON.readTree(TESTDATA.resolve("expected-outcomes.json").toFile()).get("topics");
    long tooLateCandidates = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> topic = it.next();
      JsonNode counts = topic.getValue();
      String name = topic.getKey();
      tooLateCandidates += counts.path("too_late_candidates").asLong();
      assertEquals(counts.get("input").asLong(), report.input(name), name + " input");
      // batch semantics: the very late events count in their windows like every valid change
      assertEquals(
          counts.get("valid").asLong(), report.count(name, Outcome.VALID), name + " valid");
      assertEquals(
          counts.get("duplicate").asLong(),
          report.count(name, Outcome.DUPLICATE),
          name + " duplicate");
      assertEquals(
          counts.get("ignored").asLong(), report.count(name, Outcome.IGNORED), name + " ignored");
      assertEquals(
          counts.get("dead_letter").asLong(),
          report.count(name, Outcome.DEAD_LETTER),
          name + " dead_letter");
      assertEquals(0, report.count(name, Outcome.TOO_LATE), name + " too_late");
    }
    assertEquals(4, tooLateCandidates, "the data set has very late events, which count here");
    assertTrue(report.balanced(), report.render());
  }

  @Test
  void writesTheThreeTablesAsJsonLines() throws IOException {
    List<JsonNode> deadLetters = rows("dead_letters");
    List<JsonNode> metrics = rows("learner_window_metrics");
    assertEquals(125, deadLetters.size());
    assertEquals(List.of(), rows("too_late_events"));
    assertTrue(metrics.size() > 500, "metrics rows: " + metrics.size());
    for (JsonNode row : metrics) {
      assertEquals("ON_TIME", row.get("pane_timing").asText(), row.toString());
      assertEquals(0, row.get("pane_index").asInt(), row.toString());
    }
  }

  @Test
  void noRowContradictsItself() throws IOException {
    int scored = TableFiles.assertAtRiskAgreesWithScores(rows("learner_window_metrics"));
    assertTrue(scored > 100, "rows with a score: " + scored);
  }

  @Test
  void theReadmesWorkedWindowIsWhatTheBackfillWrites() throws IOException {
    String line =
        "{\"tenant_id\":\"globex\",\"learner_id\":\"L003\",\"course_id\":\"C05\","
            + "\"window_start\":\"2026-11-20T09:15:00.000Z\",\"window_end\":\"2026-11-20T09:16:00.000Z\","
            + "\"interactions\":5,\"active_seconds\":91.84,\"assessments\":1,\"avg_score_pct\":57.5,"
            + "\"best_score_pct\":57.5,\"passing_score_pct\":67.5,\"final_passed\":false,"
            + "\"progress_pct\":35.4,\"progress_status\":\"in_progress\",\"completed\":false,"
            + "\"certification_state\":null,\"engagement_score\":23.06,\"at_risk\":true,"
            + "\"enriched\":true,\"events\":7,\"pane_index\":0,\"pane_timing\":\"ON_TIME\"}";
    assertTrue(rows("learner_window_metrics").contains(JSON.readTree(line)));
  }

  private static List<JsonNode> rows(String table) throws IOException {
    return TableFiles.rows(out, table);
  }
}
