package dev.learnerpulse.pipeline;

import static dev.learnerpulse.sinks.OutputRows.ALERTS_TABLE;
import static dev.learnerpulse.sinks.OutputRows.DEAD_LETTERS_TABLE;
import static dev.learnerpulse.sinks.OutputRows.METRICS_TABLE;
import static dev.learnerpulse.sinks.OutputRows.TOO_LATE_TABLE;

import dev.learnerpulse.ComputeLearnerPulse;
import dev.learnerpulse.model.DeadLetter;
import dev.learnerpulse.model.LearnerAlert;
import dev.learnerpulse.sinks.JsonLines;
import dev.learnerpulse.sinks.bigquery.WriteToWarehouse;
import dev.learnerpulse.sinks.redis.AlertStreamRedis;
import dev.learnerpulse.sinks.redis.DashboardRedis;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.windowing.AfterProcessingTime;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Repeatedly;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;

/** Where the outputs of a graph go: the edge a test replaces with in-memory checks. */
public interface Sinks {
  /** How often streaming file output is flushed to new files. */
  Duration FILE_FLUSH = Duration.standardSeconds(10);

  void write(ComputeLearnerPulse.Result outputs);

  /**
   * JSON lines under {@code outputDir}, one file prefix per table ({@code
   * learner_window_metrics-*.jsonl}, {@code dead_letters-*.jsonl}, {@code too_late_events-*.jsonl},
   * and {@code learner_alerts-*.jsonl} when alerts are detected); unbounded input is flushed to a
   * new file every {@link #FILE_FLUSH}.
   */
  static Sinks files(String outputDir) {
    ResourceId dir = FileSystems.matchNewResource(outputDir, true);
    return outputs -> {
      writeLines(
          outputs
              .metrics()
              .apply(
                  "FormatMetrics", MapElements.into(TypeDescriptors.strings()).via(JsonLines::of)),
          dir,
          METRICS_TABLE);
      writeLines(
          outputs
              .deadLetters()
              .apply(
                  "FormatDeadLetters",
                  MapElements.into(TypeDescriptors.strings()).via(JsonLines::of)),
          dir,
          DEAD_LETTERS_TABLE);
      writeLines(
          outputs
              .tooLate()
              .apply(
                  "FormatTooLate", MapElements.into(TypeDescriptors.strings()).via(JsonLines::of)),
          dir,
          TOO_LATE_TABLE);
      if (outputs.alerts() != null) {
        writeLines(
            outputs
                .alerts()
                .apply(
                    "FormatAlerts", MapElements.into(TypeDescriptors.strings()).via(JsonLines::of)),
            dir,
            ALERTS_TABLE);
      }
    };
  }

  /**
   * The three tables in BigQuery; rows BigQuery refuses become {@code WAREHOUSE_REJECTED} dead
   * letters in the dead_letters table, and also go to {@code rejected} when given (the Kafka
   * dead-letter topic).
   */
  static Sinks bigQuery(
      WriteToWarehouse warehouse, @Nullable PTransform<PCollection<DeadLetter>, PDone> rejected) {
    return outputs -> {
      PCollection<LearnerAlert> alerts = outputs.alerts();
      PCollection<DeadLetter> refused =
          (alerts == null
                  ? WriteToWarehouse.inputs(
                      outputs.metrics(), outputs.deadLetters(), outputs.tooLate())
                  : WriteToWarehouse.inputs(
                      outputs.metrics(), outputs.deadLetters(), outputs.tooLate(), alerts))
              .apply("WriteToWarehouse", warehouse);
      if (rejected != null) {
        refused.apply("RejectedToDeadLetterTopic", rejected);
      }
    };
  }

  /** The dashboard state in Redis. */
  static Sinks redis(DashboardRedis.Write write) {
    return outputs -> outputs.metrics().apply("WriteToRedis", write);
  }

  /** Alerts, when detected, to their tenants' Redis streams. */
  static Sinks alertStream(AlertStreamRedis.Write write) {
    return outputs -> {
      if (outputs.alerts() != null) {
        outputs.alerts().apply("AlertsToRedis", write);
      }
    };
  }

  /** Alerts, when detected, to a Kafka topic. */
  static Sinks alertTopic(PTransform<PCollection<LearnerAlert>, PDone> topic) {
    return outputs -> {
      if (outputs.alerts() != null) {
        outputs.alerts().apply("AlertsToKafka", topic);
      }
    };
  }

  /** Every dead letter also to a Kafka topic, for the producing team to replay. */
  static Sinks deadLetterTopic(PTransform<PCollection<DeadLetter>, PDone> topic) {
    return outputs -> outputs.deadLetters().apply("DeadLettersToKafka", topic);
  }

  /** All of {@code sinks}, in order. */
  static Sinks all(List<Sinks> sinks) {
    return outputs -> sinks.forEach(sink -> sink.write(outputs));
  }

  private static void writeLines(PCollection<String> lines, ResourceId dir, String table) {
    TextIO.Write write =
        TextIO.write()
            .to(dir.resolve(table, StandardResolveOptions.RESOLVE_FILE))
            .withSuffix(".jsonl");
    if (lines.isBounded() == PCollection.IsBounded.UNBOUNDED) {
      lines =
          lines.apply(
              "Flush_" + table,
              Window.<String>into(new GlobalWindows())
                  .triggering(
                      Repeatedly.forever(
                          AfterProcessingTime.pastFirstElementInPane().plusDelayOf(FILE_FLUSH)))
                  .withAllowedLateness(Duration.ZERO)
                  .discardingFiredPanes());
      write = write.withWindowedWrites().withNumShards(1);
    }
    lines.apply("Write_" + table, write);
  }
}
