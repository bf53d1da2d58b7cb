package dev.learnerpulse.pipeline;

import dev.learnerpulse.sinks.JsonLines;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.TypeDescriptors;

/** Where the outputs of a graph go: the edge a test replaces with in-memory checks. */
public interface Sinks {
  void write(Outputs outputs);

  /** JSON lines under {@code outputDir}, one file prefix per table. */
  static Sinks files(String outputDir) {
    ResourceId dir = FileSystems.matchNewResource(outputDir, true);
    return outputs ->
        outputs
            .deadLetters()
            .apply("FormatDeadLetters", MapElements.into(TypeDescriptors.strings()).via(JsonLines::of))
            .apply(
                "WriteDeadLetters",
                TextIO.write()
                    .to(dir.resolve("dead_letters", StandardResolveOptions.RESOLVE_FILE))
                    .withSuffix(".jsonl"));
  }
}
