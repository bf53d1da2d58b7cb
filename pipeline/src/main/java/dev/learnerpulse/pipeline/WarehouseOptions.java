package dev.learnerpulse.pipeline;

import dev.learnerpulse.sinks.bigquery.WriteToWarehouse;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryIO.Write.CreateDisposition;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Where the three output tables go: JSON-lines files or BigQuery. */
public interface WarehouseOptions extends PipelineOptions {
  /** The kinds of warehouse. */
  enum Warehouse {
    FILES,
    BIGQUERY;

    @com.fasterxml.jackson.annotation.JsonCreator
    public static Warehouse parse(String value) {
      for (Warehouse warehouse : values()) {
        if (warehouse.name().equalsIgnoreCase(value.trim())) {
          return warehouse;
        }
      }
      throw new IllegalArgumentException(
          Flag.of(WarehouseOptions::getWarehouse)
              + " must be files or bigquery, not '"
              + value
              + "'");
    }
  }

  @Description("files: JSON lines under --outputDir; bigquery: the Storage Write API.")
  @Default.Enum("FILES")
  Warehouse getWarehouse();

  void setWarehouse(Warehouse value);

  @Description("Directory (local or gs://) of the JSON-lines output when --warehouse=files.")
  String getOutputDir();

  void setOutputDir(String value);

  @Description("BigQuery project of the dataset (defaults to --project).")
  String getBigQueryProject();

  void setBigQueryProject(String value);

  @Description("BigQuery dataset of the three tables.")
  @Default.String("learner_pulse")
  String getDataset();

  void setDataset(String value);

  @Description("Table of learner_window_metrics.")
  @Default.String("learner_window_metrics")
  String getMetricsTable();

  void setMetricsTable(String value);

  @Description("Table of dead letters.")
  @Default.String("dead_letters")
  String getDeadLettersTable();

  void setDeadLettersTable(String value);

  @Description("Table of too-late events.")
  @Default.String("too_late_events")
  String getTooLateTable();

  void setTooLateTable(String value);

  @Description(
      "EXACTLY_ONCE (Storage Write API) or AT_LEAST_ONCE (cheaper, lower latency, duplicates"
          + " possible on retries).")
  @Default.Enum("EXACTLY_ONCE")
  WriteToWarehouse.Method getWriteMethod();

  void setWriteMethod(WriteToWarehouse.Method value);

  @Description("How often exactly-once streaming writes commit (streaming only).")
  @Default.String("5s")
  String getTriggeringFrequency();

  void setTriggeringFrequency(String value);

  @Description("Storage Write API streams of exactly-once streaming writes.")
  @Default.Integer(2)
  int getStorageWriteStreams();

  void setStorageWriteStreams(int value);

  @Description("CREATE_NEVER (Terraform owns the tables) or CREATE_IF_NEEDED.")
  @Default.Enum("CREATE_NEVER")
  CreateDisposition getCreateDisposition();

  void setCreateDisposition(CreateDisposition value);

  @Description(
      "Write learner_window_metrics as upserts keyed by (learner_id, course_id, window_start),"
          + " so the table keeps the latest pane only; needs --writeMethod=AT_LEAST_ONCE.")
  @Default.Boolean(false)
  boolean getUpserts();

  void setUpserts(boolean value);
}
