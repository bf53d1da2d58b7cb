package dev.learnerpulse.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.learnerpulse.pipeline.reconcile.OutputTableFiles;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The rows of one output table that a file sink wrote ({@code <table>-*.jsonl}) under a directory.
 */
public final class TableFiles {
  private TableFiles() {}

  /**
   * A table's rows as sorted text, {@code seen_at} (the processing time of a dead letter or a
   * too-late change) left out: what two runs over the same records must agree on.
   */
  public static List<String> comparableRows(Path dir, String table) throws IOException {
    List<String> rows = new ArrayList<>();
    for (JsonNode row : rows(dir, table)) {
      ((ObjectNode) row).remove("seen_at");
      rows.add(row.toString());
    }
    rows.sort(null);
    return rows;
  }

  /**
   * No metrics row contradicts itself: {@code at_risk} is exactly whether the written {@code
   * avg_score_pct} is below the written {@code passing_score_pct} (docs/contract.md §3.8), compared
   * as the decimals the row holds. Returns how many rows had a score, so a caller can check that
   * the property was tested on something.
   */
  static int assertAtRiskAgreesWithScores(List<JsonNode> metrics) {
    int scored = 0;
    for (JsonNode row : metrics) {
      JsonNode avg = row.get("avg_score_pct");
      boolean below =
          !avg.isNull()
              && new BigDecimal(avg.asText())
                      .compareTo(new BigDecimal(row.get("passing_score_pct").asText()))
                  < 0;
      assertEquals(below, row.get("at_risk").asBoolean(), row.toString());
      scored += avg.isNull() ? 0 : 1;
    }
    return scored;
  }

  public static List<JsonNode> rows(Path dir, String table) throws IOException {
    return OutputTableFiles.rows(dir.toString(), table);
  }
}
