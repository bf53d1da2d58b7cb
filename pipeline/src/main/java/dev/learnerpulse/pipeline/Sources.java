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
