package dev.learnerpulse.pipeline.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;

/**
 * The rows of one output table as the files sink writes it: JSON lines in {@code <dir>/<table>-*},
 * local or {@code gs://} (Beam's FileSystems). A table with no file has no rows.
 */
public final class OutputTableFiles {
  private static final ObjectMapper JSON = new ObjectMapper();

  private OutputTableFiles() {}

  public static List<JsonNode> rows(String dir, String table) throws IOException {
    String pattern = (dir.endsWith("/") ? dir : dir + "/") + table + "-*";
    MatchResult match = FileSystems.match(List.of(pattern), EmptyMatchTreatment.ALLOW).get(0);
    List<JsonNode> rows = new ArrayList<>();
    if (match.status() != MatchResult.Status.OK) {
      return rows;
    }
    for (MatchResult.Metadata file : match.metadata()) {
      try (BufferedReader in =
          new BufferedReader(
              new InputStreamReader(
                  Channels.newInputStream(FileSystems.open(file.resourceId())),
                  StandardCharsets.UTF_8))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          if (!line.isBlank()) {
            rows.add(JSON.readTree(line));
          }
        }
      }
    }
    return rows;
  }
}
