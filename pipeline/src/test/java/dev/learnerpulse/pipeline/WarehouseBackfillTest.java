package dev.learnerpulse.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.learnerpulse.ComputeLearnerPulse;
import dev.learnerpulse.model.Topics;
import dev.learnerpulse.sinks.OutputRows;
import dev.learnerpulse.sinks.bigquery.FakeWarehouse;
import dev.learnerpulse.sinks.bigquery.WarehouseTable;
import dev.learnerpulse.sinks.bigquery.WriteToWarehouse;
import dev.learnerpulse.window.Windowing;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backfill of the committed test data into BigQuery (Beam's fakes) through the same graph as the
 * file backfill: the warehouse holds exactly the rows the files hold, table by table.
 */
class WarehouseBackfillTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path TESTDATA = Path.of("..", "testdata").toAbsolutePath();

  @TempDir Path files;

  @Test
  void theWarehouseHoldsWhatTheFilesHold() throws Exception {
    FakeWarehouse warehouse = FakeWarehouse.reset().withTables(false);
    ComputeLearnerPulse pulse =
        ComputeLearnerPulse.backfill(Topics.defaults(), Windowing.defaults())
            // live lateness, so that the too-late table has rows to compare
            .withLiveLateness(Duration.standardSeconds(5));
    Sources archive = new ArchivedTopicFiles(TESTDATA + "/*.jsonl");

    Pipeline toWarehouse =
        Pipeline.create(PipelineOptionsFactory.fromArgs("--runner=DirectRunner").create());
    LearnerPulse.build(
        toWarehouse,
        pulse,
        archive,
        Sinks.bigQuery(
            WriteToWarehouse.to(FakeWarehouse.PROJECT, FakeWarehouse.DATASET)
                .withTestServices(warehouse.services),
            null));
    toWarehouse.run().waitUntilFinish();

    Pipeline toFiles =
        Pipeline.create(PipelineOptionsFactory.fromArgs("--runner=DirectRunner").create());
    LearnerPulse.build(toFiles, pulse, archive, Sinks.files(files.toString()));
    toFiles.run().waitUntilFinish();

    assertEquals(
        fileRows("learner_window_metrics", false),
        warehouseRows(warehouse, WarehouseTable.LEARNER_WINDOW_METRICS, false));
    assertEquals(
        fileRows("too_late_events", true),
        warehouseRows(warehouse, WarehouseTable.TOO_LATE_EVENTS, true));
    assertEquals(
        fileRows("dead_letters", true),
        warehouseRows(warehouse, WarehouseTable.DEAD_LETTERS, true));
    assertTrue(
        TableFiles.assertAtRiskAgreesWithScores(TableFiles.rows(files, OutputRows.METRICS_TABLE))
            > 100);
    assertEquals(860, warehouse.rows(WarehouseTable.LEARNER_WINDOW_METRICS).size());
    assertEquals(125, warehouse.rows(WarehouseTable.DEAD_LETTERS).size());
    assertEquals(4, warehouse.rows(WarehouseTable.TOO_LATE_EVENTS).size());
  }

  /** Rows as sorted text maps; {@code seen_at} (processing time) left out when asked. */
  private List<String> fileRows(String table, boolean withoutSeenAt) throws Exception {
    List<String> rows = new ArrayList<>();
    for (JsonNode row : TableFiles.rows(files, table)) {
      rows.add(canonical(JSON.convertValue(row, Map.class), withoutSeenAt));
    }
    rows.sort(null);
    return rows;
  }

  private static List<String> warehouseRows(
      FakeWarehouse warehouse, WarehouseTable table, boolean withoutSeenAt) throws Exception {
    List<String> rows = new ArrayList<>();
    for (Map<String, Object> row : warehouse.rows(table)) {
      rows.add(canonical(row, withoutSeenAt));
    }
    rows.sort(null);
    return rows;
  }

  /** Values as the text BigQuery's fake renders: numbers by value, timestamps as instants. */
  private static String canonical(Map<?, ?> row, boolean withoutSeenAt) {
    Map<String, String> fields = new TreeMap<>();
    for (Map.Entry<?, ?> field : row.entrySet()) {
      Object value = field.getValue();
      String key = String.valueOf(field.getKey());
      if (value == null || (withoutSeenAt && key.equals("seen_at"))) {
        continue;
      }
      fields.put(key, normalize(String.valueOf(value)));
    }
    return fields.toString();
  }

  private static String normalize(String value) {
    try {
      return new java.math.BigDecimal(value).stripTrailingZeros().toPlainString();
    } catch (NumberFormatException e) {
      // The fake renders a TIMESTAMP as "2026-11-20 T09:15:00" (UTC); compare as instants.
      String iso =
          value.matches("\\d{4}-\\d{2}-\\d{2} T[\\d:.]+") ? value.replace(" T", "T") + "Z" : value;
      try {
        return java.time.Instant.parse(iso).toString();
      } catch (java.time.format.DateTimeParseException notIso) {
        return value;
      }
    }
  }
}
