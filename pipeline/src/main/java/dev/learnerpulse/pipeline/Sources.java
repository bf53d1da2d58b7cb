package dev.learnerpulse.pipeline;

import dev.learnerpulse.model.DeadLetter;
import dev.learnerpulse.model.SourceRecord;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Where the change records of a graph come from (Kafka, archived topics, or a test's {@code
 * Create}/{@code TestStream}), with any records the source itself could not read as dead letters.
 */
public interface Sources {
  PTransform<PBegin, WithFailures.Result<PCollection<SourceRecord>, DeadLetter>> changeRecords();

  /**
   * The reference topics when they are read apart from {@link #changeRecords} (which then holds
   * the change topics only); null when the change records include them.
   */
  default @Nullable PTransform<PBegin, PCollection<SourceRecord>> referenceRecords() {
    return null;
  }

  /** How many records the source holds, as known at launch (a backfill's progress); -1 if unknown. */
  default long size() {
    return -1;
  }

  /** {@code read} applied as {@code name}, beside no dead letters: a read that cannot fail. */
  static PTransform<PBegin, WithFailures.Result<PCollection<SourceRecord>, DeadLetter>>
      withoutReadFailures(String name, PTransform<PBegin, PCollection<SourceRecord>> read) {
    return new WithoutReadFailures(name, read);
  }

  /** See {@link #withoutReadFailures}. */
  final class WithoutReadFailures
      extends PTransform<PBegin, WithFailures.Result<PCollection<SourceRecord>, DeadLetter>> {
    private final String name;
    private final PTransform<PBegin, PCollection<SourceRecord>> read;

    private WithoutReadFailures(String name, PTransform<PBegin, PCollection<SourceRecord>> read) {
      this.name = name;
      this.read = read;
    }

    @Override
    public WithFailures.Result<PCollection<SourceRecord>, DeadLetter> expand(PBegin input) {
      return WithFailures.Result.of(input.apply(name, read), noReadFailures(input));
    }
  }

  /** The dead letters of a source whose records cannot fail to be read: none. */
  static PCollection<DeadLetter> noReadFailures(PBegin input) {
    try {
      return input.apply(
          "NoReadFailures",
          Create.empty(input.getPipeline().getSchemaRegistry().getSchemaCoder(DeadLetter.class)));
    } catch (NoSuchSchemaException e) {
      throw new IllegalStateException(e);
    }
  }
}
