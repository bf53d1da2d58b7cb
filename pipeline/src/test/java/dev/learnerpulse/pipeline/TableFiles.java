package dev.learnerpulse.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The rows of one output table that a file sink wrote ({@code <table>-*.jsonl}) under a directory. */
public final class TableFiles {
  private static final ObjectMapper JSON = new ObjectMapper();

  private TableFiles() {}

  public static List<JsonNode> rows(Path dir, String table) throws IOException {
    List<JsonNode> rows = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file :
          (Iterable<Path>) files.filter(f -> f.getFileName().toString().startsWith(table + "-"))::iterator) {
        for (String line : Files.readAllLines(file)) {
          rows.add(JSON.readTree(line));
        }
      }
    }
    return rows;
  }

  /**
   * No metrics row contradicts itself: {@code at_risk} is exactly whether the written {@code
   * avg_score_pct} is below the written {@code passing_score_pct} (contract section 3), compared as
   * the decimals the row holds. Returns how many rows had a score, so a caller can check that the
   * property was tested on something.
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
}
