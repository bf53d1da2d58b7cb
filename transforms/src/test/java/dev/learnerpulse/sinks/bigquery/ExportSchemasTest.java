package dev.learnerpulse.sinks.bigquery;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.junit.Assert.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.Test;

/**
 * The schema files Terraform reads are the ones the code exports. When this fails after a schema
 * change, regenerate them from the repository root and commit them:
 *
 * <pre>{@code
 * java -cp "transforms/target/classes:$(cd transforms && mvn -q dependency:build-classpath \
 *     -Dmdep.outputFile=/dev/stdout)" dev.learnerpulse.sinks.bigquery.ExportSchemas terraform/schemas
 * }</pre>
 */
public class ExportSchemasTest {
  /** Tests run in the module directory; the schemas live at the repository root. */
  private static final Path SCHEMAS = Path.of("..", "terraform", "schemas");

  @Test
  public void committedSchemaFilesAreWhatTheCodeExports() throws IOException {
    for (WarehouseTable table : WarehouseTable.values()) {
      Path file = SCHEMAS.resolve(ExportSchemas.fileName(table));
      assertEquals(
          file + " differs from WarehouseTable." + table + ": rerun ExportSchemas",
          ExportSchemas.json(table),
          Files.readString(file, StandardCharsets.UTF_8));
    }
  }

  @Test
  public void thereIsOneSchemaFilePerTable() throws IOException {
    List<String> files = new ArrayList<>();
    try (Stream<Path> listing = Files.list(SCHEMAS)) {
      listing.forEach(path -> files.add(path.getFileName().toString()));
    }
    assertThat(
        files,
        containsInAnyOrder(
            Stream.of(WarehouseTable.values()).map(ExportSchemas::fileName).toArray()));
  }

  @Test
  public void exportIsBigQueryJsonSchema() throws IOException {
    JsonNode fields = new ObjectMapper().readTree(ExportSchemas.json(WarehouseTable.DEAD_LETTERS));
    assertEquals(WarehouseTable.DEAD_LETTERS.fieldNames().size(), fields.size());
    JsonNode first = fields.get(0);
    List<String> keys = new ArrayList<>();
    for (Iterator<String> names = first.fieldNames(); names.hasNext(); ) {
      keys.add(names.next());
    }
    assertEquals(List.of("name", "type", "mode", "description"), keys);
    assertEquals("topic", first.get("name").asText());
    assertEquals("STRING", first.get("type").asText());
    assertEquals("REQUIRED", first.get("mode").asText());
  }
}
