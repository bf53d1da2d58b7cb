package dev.learnerpulse.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.learnerpulse.pipeline.reconcile.OutputTableFiles;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The rows of one output table that a file sink wrote ({@code <table>-*.jsonl}) under a directory. */
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

  public static List<JsonNode> rows(Path dir, String table) throws IOException {
    return OutputTableFiles.rows(dir.toString(), table);
  }
}
