package dev.learnerpulse.sinks.bigquery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.api.services.bigquery.model.TableRow;
import dev.learnerpulse.model.DeadLetter;
import dev.learnerpulse.model.LearnerAlert;
import dev.learnerpulse.model.LearnerWindowMetrics;
import dev.learnerpulse.model.TooLateEvent;
import dev.learnerpulse.sinks.OutputRows;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.io.gcp.bigquery.RowMutationInformation;
import org.apache.beam.sdk.io.gcp.bigquery.RowMutationInformation.MutationType;
import org.apache.beam.sdk.transforms.SerializableFunction;

/**
 * The output records as BigQuery {@link TableRow}s, straight from {@link OutputRows} (ISO-8601
 * timestamps, which the Storage Write API accepts for TIMESTAMP columns), and back to JSON text for
 * rows the warehouse refused.
 */
final class WarehouseRows {
  static final SerializableFunction<LearnerWindowMetrics, TableRow> METRICS = WarehouseRows::of;
  static final SerializableFunction<DeadLetter, TableRow> DEAD_LETTERS = WarehouseRows::of;
  static final SerializableFunction<TooLateEvent, TableRow> TOO_LATE = WarehouseRows::of;
  static final SerializableFunction<LearnerAlert, TableRow> ALERTS = WarehouseRows::of;

  /**
   * An upsert whose change sequence number is the pane index, as 16 hex digits: BigQuery keeps, per
   * primary key, the change with the greatest sequence number, and a later pane of a window has a
   * greater index (it accumulates, so it replaces the earlier one). Zero-padded so the numbers also
   * sort as text.
   */
  static final SerializableFunction<LearnerWindowMetrics, RowMutationInformation> UPSERT_BY_PANE =
      m -> RowMutationInformation.of(MutationType.UPSERT, changeSequenceNumber(m.getPaneIndex()));

  private static final ObjectMapper JSON = new ObjectMapper();

  private WarehouseRows() {}

  static TableRow of(LearnerWindowMetrics metrics) {
    return tableRow(OutputRows.of(metrics));
  }

  static TableRow of(DeadLetter deadLetter) {
    return tableRow(OutputRows.of(deadLetter));
  }

  static TableRow of(TooLateEvent tooLate) {
    return tableRow(OutputRows.of(tooLate));
  }

  static TableRow of(LearnerAlert alert) {
    return tableRow(OutputRows.of(alert));
  }

  static String changeSequenceNumber(long paneIndex) {
    return String.format("%016x", paneIndex);
  }

  /** A row as compact JSON, fields in table order, for the value of a dead letter. */
  static String json(TableRow row) {
    try {
      return JSON.writeValueAsString(new LinkedHashMap<>(row));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot render " + row, e);
    }
  }

  /** Null fields are left out: BigQuery reads an absent NULLABLE field as null. */
  private static TableRow tableRow(Map<String, Object> fields) {
    TableRow row = new TableRow();
    fields.forEach(
        (name, value) -> {
          if (value != null) {
            row.set(name, value);
          }
        });
    return row;
  }
}
