package dev.learnerpulse.enrich;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.auto.value.AutoValue;
import dev.learnerpulse.model.Change;
import dev.learnerpulse.model.ChangeEnvelope;
import dev.learnerpulse.model.Course;
import dev.learnerpulse.model.Learner;
import dev.learnerpulse.model.SourceRecord;
import dev.learnerpulse.model.SourceTable;
import java.io.IOException;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaCreate;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One change of a reference table reduced to what enrichment needs: the row's key, its position in
 * the compacted topic (the later one wins), and the new row, or none when the row was deleted.
 */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class ReferenceUpdate {
  private static final ObjectMapper JSON = new ObjectMapper();

  public abstract SourceTable getTable();

  public abstract String getKey();

  public abstract int getPartition();

  public abstract long getOffset();

  public abstract @Nullable Course getCourse();

  public abstract @Nullable Learner getLearner();

  @SchemaCreate
  public static ReferenceUpdate create(
      SourceTable table,
      String key,
      int partition,
      long offset,
      @Nullable Course course,
      @Nullable Learner learner) {
    return new AutoValue_ReferenceUpdate(table, key, partition, offset, course, learner);
  }

  /** The upsert of a valid reference change. */
  public static ReferenceUpdate upsert(Change change) {
    return create(
        change.getTable(),
        change.getTable() == SourceTable.COURSES
            ? change.getCourse().getCourseId()
            : change.getLearner().getLearnerId(),
        change.getPartition(),
        change.getOffset(),
        change.getCourse(),
        change.getLearner());
  }

  /**
   * The removal a delete or tombstone of a reference table means, keyed by the record's Kafka key
   * (Debezium's key holds the primary key, with or without a Connect schema); null when the record
   * carries no readable key, or is a truncate, which names no row.
   */
  public static @Nullable ReferenceUpdate removal(ChangeEnvelope envelope) {
    SourceRecord record = envelope.getRecord();
    SourceTable table = envelope.getTable();
    if (!table.isReference() || record.getKey() == null) {
      return null;
    }
    String keyField = table.primaryKey().get(0);
    try {
      JsonNode key = JSON.readTree(record.getKey());
      if (key != null && key.has("payload") && key.has("schema")) {
        key = key.get("payload");
      }
      JsonNode value = key == null ? null : key.get(keyField);
      if (value == null || !value.isTextual()) {
        return null;
      }
      return create(
          table, value.textValue(), record.getPartition(), record.getOffset(), null, null);
    } catch (IOException e) {
      return null;
    }
  }

  /** Whether this update is later in its topic than {@code other} for the same key. */
  boolean isAfter(ReferenceUpdate other) {
    return getPartition() == other.getPartition()
        ? getOffset() > other.getOffset()
        : getPartition() > other.getPartition();
  }

  String mapKey() {
    return getTable().name() + "/" + getKey();
  }
}
