package dev.learnerpulse.testing;

import dev.learnerpulse.decode.DebeziumJsonDecoder;
import dev.learnerpulse.model.Change;
import dev.learnerpulse.model.ChangeEnvelope;
import dev.learnerpulse.model.InvalidRecordException;
import dev.learnerpulse.model.Outcome;
import dev.learnerpulse.model.ReasonCode;
import dev.learnerpulse.model.SourceRecord;
import dev.learnerpulse.model.SourceTable;
import dev.learnerpulse.model.Topics;
import dev.learnerpulse.validate.ChangeRules;
import org.checkerframework.checker.nullness.qual.Nullable;

/** Decode and validate one record outside Beam, the way the DoFns do, and say what became of it. */
public final class Outcomes {
  private final DebeziumJsonDecoder decoder = new DebeziumJsonDecoder();
  private final Topics topics = Topics.defaults();

  /** What became of one record. */
  public static final class Result {
    public final Outcome outcome;
    public final @Nullable Change change;
    public final @Nullable ReasonCode reason;
    public final @Nullable String detail;

    Result(
        Outcome outcome,
        @Nullable Change change,
        @Nullable ReasonCode reason,
        @Nullable String detail) {
      this.outcome = outcome;
      this.change = change;
      this.reason = reason;
      this.detail = detail;
    }

    @Override
    public String toString() {
      return outcome + (reason == null ? "" : " " + reason + ": " + detail);
    }
  }

  public Result of(SourceRecord record) {
    SourceTable table = topics.table(record.getTopic());
    try {
      if (table == null) {
        throw new InvalidRecordException(ReasonCode.UNKNOWN_TOPIC, record.getTopic());
      }
      ChangeEnvelope envelope = decoder.decode(record, table);
      if (ChangeRules.isIgnored(envelope)) {
        return new Result(Outcome.IGNORED, null, null, null);
      }
      return new Result(Outcome.VALID, ChangeRules.validate(envelope), null, null);
    } catch (InvalidRecordException e) {
      return new Result(Outcome.DEAD_LETTER, null, e.reason(), e.detail());
    }
  }
}
