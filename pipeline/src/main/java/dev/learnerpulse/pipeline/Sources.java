package dev.learnerpulse.pipeline;

import dev.learnerpulse.ComputeLearnerPulse;
import dev.learnerpulse.model.SourceRecord;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Where the change records of a graph come from (Kafka, archived topics, or a test's {@code
 * Create}/{@code TestStream}), with any records the source itself could not read as dead letters.
 */
public interface Sources {
  /**
   * {@link ComputeLearnerPulse}'s inputs: the records ({@link ComputeLearnerPulse#RECORDS}) and,
   * from a source that can fail to read a record, its dead letters ({@link
   * ComputeLearnerPulse#SOURCE_DEAD_LETTERS}).
   */
  PTransform<PBegin, PCollectionTuple> changeRecords();

  /**
   * The reference topics when they are read apart from {@link #changeRecords} (which then holds the
   * change topics only); null when the change records include them.
   */
  default @Nullable PTransform<PBegin, PCollection<SourceRecord>> referenceRecords() {
    return null;
  }

  /**
   * How many records the source holds, as known at launch (a backfill's progress); -1 if unknown.
   */
  default long size() {
    return -1;
  }

  /** {@code read} applied as {@code name}, as the inputs of a source that cannot fail to read. */
  static PTransform<PBegin, PCollectionTuple> withoutReadFailures(
      String name, PTransform<PBegin, PCollection<SourceRecord>> read) {
    return new WithoutReadFailures(name, read);
  }

  /** See {@link #withoutReadFailures}. */
  final class WithoutReadFailures extends PTransform<PBegin, PCollectionTuple> {
    private final String name;
    private final PTransform<PBegin, PCollection<SourceRecord>> read;

    private WithoutReadFailures(String name, PTransform<PBegin, PCollection<SourceRecord>> read) {
      this.name = name;
      this.read = read;
    }

    @Override
    public PCollectionTuple expand(PBegin input) {
      return ComputeLearnerPulse.inputs(input.apply(name, read));
    }
  }
}
