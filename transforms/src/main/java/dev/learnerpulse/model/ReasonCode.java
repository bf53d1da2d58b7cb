package dev.learnerpulse.model;

/** Why a record became a dead letter (docs/contract.md §2.2). */
public enum ReasonCode {
  /**
   * Not JSON, JSON that is not an object, not Avro, or otherwise not decodable; an archive line
   * that is not a kcat record (no {@code payload} key, numbers beyond a long, bytes not UTF-8).
   */
  MALFORMED,
  /** No {@code op} or no {@code source}. */
  NOT_AN_ENVELOPE,
  UNKNOWN_OP,
  UNKNOWN_TOPIC,
  /** A required field absent or null. */
  MISSING_FIELD,
  /**
   * Wrong type, unknown enumeration value, out-of-range or non-finite number, a decimal too long to
   * hold, an unparseable timestamp, or an event time or Kafka timestamp outside Beam's range.
   */
  BAD_VALUE,
  /** Event time more than one hour after the record's Kafka timestamp. */
  FUTURE_EVENT,
  /** An Avro schema id the registry does not know. */
  UNKNOWN_SCHEMA,
  /** An output row the warehouse refused; the row is the payload. */
  WAREHOUSE_REJECTED
}
