package dev.learnerpulse.model;

/** Why a record became a dead letter (contract section 2). */
public enum ReasonCode {
  /** Not JSON, not Avro, or otherwise not decodable. */
  MALFORMED,
  /** No {@code op} or no {@code source}. */
  NOT_AN_ENVELOPE,
  UNKNOWN_OP,
  UNKNOWN_TOPIC,
  /** A required field absent or null. */
  MISSING_FIELD,
  /** Wrong type, unknown enumeration value, out-of-range number, unparseable timestamp. */
  BAD_VALUE,
  /** Event time more than one hour after the record's Kafka timestamp. */
  FUTURE_EVENT,
  /** An Avro schema id the registry does not know. */
  UNKNOWN_SCHEMA,
  /** An output row the warehouse refused; the row is the payload. */
  WAREHOUSE_REJECTED
}
