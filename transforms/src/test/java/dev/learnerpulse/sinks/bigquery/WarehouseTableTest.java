package dev.learnerpulse.sinks.bigquery;

import static dev.learnerpulse.sinks.bigquery.WarehouseFixtures.W0;
import static dev.learnerpulse.sinks.bigquery.WarehouseFixtures.certificateIssued;
import static dev.learnerpulse.sinks.bigquery.WarehouseFixtures.malformed;
import static dev.learnerpulse.sinks.bigquery.WarehouseFixtures.pane;
import static dev.learnerpulse.sinks.bigquery.WarehouseFixtures.tooLate;
import static dev.learnerpulse.testing.Fixtures.ADA;
import static dev.learnerpulse.testing.Fixtures.SQL_101;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;

import com.google.api.services.bigquery.model.TableFieldSchema;
import dev.learnerpulse.model.DeadLetter;
import dev.learnerpulse.model.LearnerAlert;
import dev.learnerpulse.model.LearnerWindowMetrics;
import dev.learnerpulse.model.TooLateEvent;
import dev.learnerpulse.sinks.OutputRows;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;
import org.junit.Test;

/** The table definitions agree with the output rows, the model and the contract. */
public class WarehouseTableTest {

  @Test
  public void fieldsAreTheOutputRowFieldsInTheirOrder() {
    assertEquals(
        List.copyOf(OutputRows.of(pane(ADA, SQL_101, W0, 0)).keySet()),
        WarehouseTable.LEARNER_WINDOW_METRICS.fieldNames());
    assertEquals(
        List.copyOf(OutputRows.of(malformed(1)).keySet()),
        WarehouseTable.DEAD_LETTERS.fieldNames());
    assertEquals(
        List.copyOf(OutputRows.of(tooLate()).keySet()),
        WarehouseTable.TOO_LATE_EVENTS.fieldNames());
    assertEquals(
        List.copyOf(OutputRows.of(certificateIssued()).keySet()),
        WarehouseTable.LEARNER_ALERTS.fieldNames());
  }

  @Test
  public void typesAndModesFollowTheModel() {
    assertEquals(
        modelColumns(LearnerWindowMetrics.class),
        schemaColumns(WarehouseTable.LEARNER_WINDOW_METRICS));
    assertEquals(modelColumns(DeadLetter.class), schemaColumns(WarehouseTable.DEAD_LETTERS));
    assertEquals(modelColumns(TooLateEvent.class), schemaColumns(WarehouseTable.TOO_LATE_EVENTS));
    assertEquals(modelColumns(LearnerAlert.class), schemaColumns(WarehouseTable.LEARNER_ALERTS));
  }

  @Test
  public void everyFieldIsDescribed() {
    for (WarehouseTable table : WarehouseTable.values()) {
      for (TableFieldSchema field : table.schema().getFields()) {
        assertThat(table + "." + field.getName(), field.getDescription().length() > 10);
      }
    }
  }

  @Test
  public void metricsArePartitionedByDayOfWindowStartAndClusteredByTenantAndCourse() {
    WarehouseTable metrics = WarehouseTable.LEARNER_WINDOW_METRICS;
    assertEquals("DAY", metrics.timePartitioning().getType());
    assertEquals("window_start", metrics.timePartitioning().getField());
    assertEquals(List.of("tenant_id", "course_id"), metrics.clustering().getFields());
    assertEquals("seen_at", WarehouseTable.DEAD_LETTERS.timePartitioning().getField());
    assertEquals("event_time", WarehouseTable.TOO_LATE_EVENTS.timePartitioning().getField());
    assertEquals("event_time", WarehouseTable.LEARNER_ALERTS.timePartitioning().getField());
  }

  @Test
  public void latestViewKeepsTheLastPanePerPrimaryKey() throws Exception {
    String sql =
        Files.readString(Path.of("..", "terraform", "sql", "learner_window_metrics_latest.sql"));
    assertThat(sql, containsString("`${project}.${dataset}.learner_window_metrics`"));
    assertThat(
        sql,
        containsString(
            "PARTITION BY " + String.join(", ", WarehouseTable.METRICS_PRIMARY_KEY) + "\n"));
    assertThat(sql, containsString("ORDER BY pane_index DESC\n) = 1"));
  }

  /** Column name to "TYPE MODE" as the model's getters imply. */
  private static Map<String, String> modelColumns(Class<?> model) {
    Map<String, String> columns = new TreeMap<>();
    for (Method getter : model.getDeclaredMethods()) {
      if (Modifier.isAbstract(getter.getModifiers())
          && getter.getName().startsWith("get")
          && getter.getParameterCount() == 0) {
        boolean nullable = getter.getAnnotatedReturnType().isAnnotationPresent(Nullable.class);
        columns.put(
            snakeCase(getter.getName().substring(3)),
            bigQueryType(getter.getReturnType()) + (nullable ? " NULLABLE" : " REQUIRED"));
      }
    }
    return columns;
  }

  private static Map<String, String> schemaColumns(WarehouseTable table) {
    Map<String, String> columns = new TreeMap<>();
    for (TableFieldSchema field : table.schema().getFields()) {
      columns.put(field.getName(), field.getType() + " " + field.getMode());
    }
    return columns;
  }

  private static String bigQueryType(Class<?> type) {
    if (type == String.class || type.isEnum()) {
      return "STRING";
    } else if (type == Instant.class) {
      return "TIMESTAMP";
    } else if (type == int.class || type == long.class) {
      return "INTEGER";
    } else if (type == double.class || type == Double.class) {
      return "FLOAT";
    } else if (type == boolean.class) {
      return "BOOLEAN";
    }
    throw new AssertionError("no BigQuery type for " + type);
  }

  private static String snakeCase(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
  }
}
