package dev.learnerpulse.testkit.testdata;

import dev.learnerpulse.model.Op;
import dev.learnerpulse.model.Outcome;
import dev.learnerpulse.model.SourceTable;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One change a connector will capture: the table, the op, the row (the row after the change, or the
 * deleted row for a delete, none for a truncate), when it happened and when Kafka stamps it, and
 * whether it is deliberately broken. Its expected outcome follows from these alone.
 */
final class PlannedChange {
  /** How the record's Kafka timestamp trails its event time. */
  enum Delivery {
    /** Tens of milliseconds to a few seconds after the event. */
    PROMPT,
    /** Tens of seconds after the event: out of order among its neighbours. */
    OUT_OF_ORDER,
    /** Two to four minutes behind the newest event time seen. */
    LATE,
    /** More than ten minutes behind: too late under the default allowed lateness of 300 s. */
    VERY_LATE
  }

  final SourceTable table;
  final Op op;
  final @Nullable Object row;
  final @Nullable Object before;

  /** The row's business time, or the change time for reference rows (milliseconds). */
  final long eventTime;

  final boolean snapshot;

  /** Ids the row-picking steps must not remove (referenced by a later update or delete). */
  boolean pinned;

  long kafkaTs;
  Delivery delivery = Delivery.PROMPT;

  /** {@code source.snapshot} for snapshot reads. */
  String snapshotMarker = "false";

  @Nullable Defect defect;

  PlannedChange(
      SourceTable table,
      Op op,
      @Nullable Object row,
      @Nullable Object before,
      long eventTime,
      boolean snapshot) {
    this.table = table;
    this.op = op;
    this.row = row;
    this.before = before;
    this.eventTime = eventTime;
    this.snapshot = snapshot;
  }

  /** A broken copy of this change, captured shortly after it. */
  PlannedChange broken(Defect defect, long kafkaTs) {
    PlannedChange copy = new PlannedChange(table, op, row, before, eventTime, snapshot);
    copy.snapshotMarker = snapshotMarker;
    copy.defect = defect;
    copy.kafkaTs = kafkaTs;
    return copy;
  }

  /** The contract's outcome of this change's record (duplicates are decided later). */
  Outcome expectedOutcome() {
    if (defect != null) {
      return Outcome.DEAD_LETTER;
    }
    if (op == Op.DELETE || op == Op.TRUNCATE || (op == Op.UPDATE && table.ignoresUpdates())) {
      return Outcome.IGNORED;
    }
    return Outcome.VALID;
  }
}
