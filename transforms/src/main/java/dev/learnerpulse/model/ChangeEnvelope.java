package dev.learnerpulse.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.auto.value.AutoValue;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A decoded Debezium envelope before the contract's rules are applied: the wire format (JSON with
 * or without schema, decimal modes, Extended JSON, Avro) is gone, the row is plain JSON whose
 * decimals are numbers and whose timestamps are epoch milliseconds or ISO-8601 text. One shape for
 * every format, so validation and everything after it is one path.
 *
 * <p>Encoded by {@link ChangeEnvelopeCoder}. The source record travels along so that validation can
 * dead-letter it whole. The row is a Jackson tree and must not be mutated once the envelope is
 * built.
 */
@AutoValue
public abstract class ChangeEnvelope {

  public abstract SourceRecord getRecord();

  public abstract SourceTable getTable();

  /** Null for a tombstone. */
  public abstract @Nullable Op getOp();

  public abstract @Nullable Long getSourceTsMs();

  public abstract @Nullable String getSourcePosition();

  /**
   * The row after the change for creates, reads and updates; null for tombstones, deletes,
   * truncates and ignored updates, whose rows nothing reads.
   */
  @SuppressWarnings("mutable")
  public abstract @Nullable ObjectNode getRow();

  public static ChangeEnvelope create(
      SourceRecord record,
      SourceTable table,
      @Nullable Op op,
      @Nullable Long sourceTsMs,
      @Nullable String sourcePosition,
      @Nullable ObjectNode row) {
    return new AutoValue_ChangeEnvelope(record, table, op, sourceTsMs, sourcePosition, row);
  }

  public static ChangeEnvelope tombstone(SourceRecord record, SourceTable table) {
    return create(record, table, null, null, null, null);
  }

  public boolean isTombstone() {
    return getOp() == null;
  }
}
