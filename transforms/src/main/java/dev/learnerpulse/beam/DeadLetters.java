package dev.learnerpulse.beam;

import dev.learnerpulse.model.DeadLetter;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.errorhandling.ErrorHandler.PTransformErrorHandler;
import org.apache.beam.sdk.values.PCollection;

/**
 * The graph's one dead-letter path, on Beam's {@link
 * org.apache.beam.sdk.transforms.errorhandling.ErrorHandler}: each step that sets records aside
 * registers its collection as the graph is built ({@code addErrorCollection}); closing the handler
 * flattens them once, and {@code getOutput()} is every dead letter in one collection, which the
 * sinks then write. With nothing registered the output is an empty collection, so a source that
 * cannot fail needs no placeholder.
 *
 * <pre>{@code
 * PTransformErrorHandler<DeadLetter, PCollection<DeadLetter>> deadLetters =
 *     DeadLetters.collect(pipeline);
 * deadLetters.addErrorCollection(decoded.deadLetters());
 * deadLetters.addErrorCollection(validated.deadLetters());
 * deadLetters.close();
 * PCollection<DeadLetter> all = deadLetters.getOutput();
 * }</pre>
 */
public final class DeadLetters {
  private DeadLetters() {}

  /** A handler whose output is the flattened dead letters registered with it. */
  public static PTransformErrorHandler<DeadLetter, PCollection<DeadLetter>> collect(
      Pipeline pipeline) {
    try {
      return new PTransformErrorHandler<>(
          new AllDeadLetters(),
          pipeline,
          pipeline.getSchemaRegistry().getSchemaCoder(DeadLetter.class));
    } catch (NoSuchSchemaException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The handler's sink: hands the flattened collection back, for the sinks the caller chooses (a
   * table, files, a Kafka topic) to write.
   */
  static final class AllDeadLetters
      extends PTransform<PCollection<DeadLetter>, PCollection<DeadLetter>> {
    @Override
    public PCollection<DeadLetter> expand(PCollection<DeadLetter> deadLetters) {
      return deadLetters;
    }
  }
}
