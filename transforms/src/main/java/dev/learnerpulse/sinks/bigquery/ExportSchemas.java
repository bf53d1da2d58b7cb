package dev.learnerpulse.sinks.bigquery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.api.services.bigquery.model.TableFieldSchema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes each {@link WarehouseTable}'s schema as a BigQuery JSON schema file ({@code <table>.json},
 * the format of {@code bq mk --schema} and Terraform's {@code schema = file(...)}), so Terraform
 * creates the tables from the same definition the sink uses.
 *
 * <pre>{@code
 * java -cp transforms.jar dev.learnerpulse.sinks.bigquery.ExportSchemas terraform/schemas
 * }</pre>
 *
 * <p>One field per line, so a schema change reads as a one-line diff.
 */
public final class ExportSchemas {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ExportSchemas() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: ExportSchemas <directory>");
      System.exit(2);
    }
    Path dir = Path.of(args[0]);
    Files.createDirectories(dir);
    for (WarehouseTable table : WarehouseTable.values()) {
      Path file = dir.resolve(fileName(table));
      Files.writeString(file, json(table), StandardCharsets.UTF_8);
      System.out.println("wrote " + file);
    }
  }

  public static String fileName(WarehouseTable table) {
    return table.defaultName() + ".json";
  }

  /** The table's schema as a JSON array of {name, type, mode, description}. */
  public static String json(WarehouseTable table) {
    StringBuilder out = new StringBuilder("[\n");
    var fields = table.schema().getFields();
    for (int i = 0; i < fields.size(); i++) {
      out.append("  ").append(json(fields.get(i)));
      out.append(i < fields.size() - 1 ? ",\n" : "\n");
    }
    return out.append("]\n").toString();
  }

  private static String json(TableFieldSchema field) {
    Map<String, String> object = new LinkedHashMap<>();
    object.put("name", field.getName());
    object.put("type", field.getType());
    object.put("mode", field.getMode());
    object.put("description", field.getDescription());
    try {
      return JSON.writeValueAsString(object);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot render " + field, e);
    }
  }
}
