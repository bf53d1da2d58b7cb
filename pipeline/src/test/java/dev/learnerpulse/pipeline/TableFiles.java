package dev.learnerpulse.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
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
}
