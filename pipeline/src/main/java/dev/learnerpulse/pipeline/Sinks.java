package dev.learnerpulse.pipeline;

import static dev.learnerpulse.sinks.OutputRows.DEAD_LETTERS_TABLE;
import static dev.learnerpulse.sinks.OutputRows.METRICS_TABLE;
import static dev.learnerpulse.sinks.OutputRows.TOO_LATE_TABLE;

import dev.learnerpulse.sinks.JsonLines;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;

/** Where the outputs of a graph go: the edge a test replaces with in-memory checks. */
public interface Sinks {
  void write(Outputs outputs);

  /**
   * JSON lines under {@code outputDir}, one file prefix per table ({@code
   * learner_window_metrics-*.jsonl}, {@code dead_letters-*.jsonl}, {@code too_late_events-*.jsonl}).
   * For bounded runs; streaming file output is windowed by the live wiring.
   */
  static Sinks files(String outputDir) {
    ResourceId dir = FileSystems.matchNewResource(outputDir, true);
    return outputs -> {
      write(
          outputs.metrics().apply("FormatMetrics", MapElements.into(TypeDescriptors.strings()).via(JsonLines::of)),
          dir,
          METRICS_TABLE);
      write(
          outputs
              .deadLetters()
              .apply("FormatDeadLetters", MapElements.into(TypeDescriptors.strings()).via(JsonLines::of)),
          dir,
          DEAD_LETTERS_TABLE);
      write(
          outputs.tooLate().apply("FormatTooLate", MapElements.into(TypeDescriptors.strings()).via(JsonLines::of)),
          dir,
          TOO_LATE_TABLE);
    };
  }

  private static void write(PCollection<String> lines, ResourceId dir, String table) {
    lines.apply(
        "Write_" + table,
        TextIO.write()
            .to(dir.resolve(table, StandardResolveOptions.RESOLVE_FILE))
            .withSuffix(".jsonl"));
  }
}
