package dev.learnerpulse.pipeline.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import dev.learnerpulse.pipeline.Flag;
import dev.learnerpulse.pipeline.Instants;
import dev.learnerpulse.sinks.OutputRows;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * {@code ./learner-pulse reconcile}: the parity check of a streaming job against a backfill of the
 * same period, table by table (windows, dead letters, too-late changes), key by key and field by
 * field. Exit status 0 when they agree, 1 on any difference, 2 on bad options. Reads the files
 * sink's output (local or {@code gs://}); BigQuery tables are not read: export them as JSON lines
 * first.
 */
public final class Reconcile {
  /** Each table's key, and the field that places a row in the period. */
  private record Table(String name, List<String> key, String timeField) {}

  private static final List<Table> TABLES =
      List.of(
          new Table(
              OutputRows.METRICS_TABLE,
              List.of("tenant_id", "learner_id", "course_id", "window_start"),
              "window_start"),
          new Table(
              OutputRows.DEAD_LETTERS_TABLE,
              List.of("topic", "partition", "offset"),
              "kafka_timestamp"),
          new Table(
              OutputRows.TOO_LATE_TABLE,
              List.of("topic", "partition", "offset"),
              "kafka_timestamp"));

  private Reconcile() {}

  public static void main(String[] args) throws IOException {
    PipelineOptionsFactory.register(ReconcileOptions.class);
    int status;
    try {
      ReconcileOptions options =
          PipelineOptionsFactory.fromArgs(args).withValidation().as(ReconcileOptions.class);
      FileSystems.setDefaultPipelineOptions(options);
      status = run(options, System.out);
    } catch (IllegalArgumentException e) {
      System.err.println("learner-pulse reconcile: " + e.getMessage());
      status = 2;
    }
    System.exit(status);
  }

  /** Prints the report to {@code out}; 0 when the outputs agree, 1 when they differ. */
  public static int run(ReconcileOptions options, PrintStream out) throws IOException {
    String streaming =
        required(options.getStreamingOutput(), Flag.of(ReconcileOptions::getStreamingOutput));
    String backfill =
        required(options.getBackfillOutput(), Flag.of(ReconcileOptions::getBackfillOutput));
    @Nullable Instant from = instant(Flag.of(ReconcileOptions::getFrom), options.getFrom());
    @Nullable Instant to = instant(Flag.of(ReconcileOptions::getTo), options.getTo());
    if (from != null && to != null && !from.isBefore(to)) {
      throw new IllegalArgumentException(
          Flag.of(ReconcileOptions::getFrom)
              + " must be before "
              + Flag.of(ReconcileOptions::getTo));
    }
    Set<String> ignored = new TreeSet<>();
    for (String field : Arrays.asList(options.getIgnoreFields().split(","))) {
      if (!field.isBlank()) {
        ignored.add(field.trim());
      }
    }
    out.printf(
        "reconcile %s (streaming) against %s (backfill), period [%s, %s), ignoring %s%n",
        streaming, backfill, from == null ? "-" : from, to == null ? "-" : to, ignored);
    boolean identical = true;
    for (Table table : TABLES) {
      TableDiff diff =
          TableDiff.compare(
              table.name(),
              table.key(),
              ignored,
              inPeriod(table.timeField(), from, to),
              OutputTableFiles.rows(backfill, table.name()),
              OutputTableFiles.rows(streaming, table.name()));
      out.print(diff.render(options.getMaxExamples()));
      identical &= diff.identical();
    }
    out.println(identical ? "identical" : "DIFFERENT");
    return identical ? 0 : 1;
  }

  private static Predicate<JsonNode> inPeriod(
      String field, @Nullable Instant from, @Nullable Instant to) {
    return row -> {
      JsonNode value = row.get(field);
      if (value == null || value.isNull()) {
        return from == null && to == null;
      }
      Instant time = Instant.parse(value.asText());
      return (from == null || !time.isBefore(from)) && (to == null || time.isBefore(to));
    };
  }

  private static String required(@Nullable String value, String option) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(option + " is required");
    }
    return value.trim();
  }

  private static @Nullable Instant instant(String option, @Nullable String value) {
    return value == null || value.isBlank() ? null : Instants.parse(option, value);
  }
}
