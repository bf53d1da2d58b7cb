package dev.learnerpulse.decode;

import java.util.Locale;

/** How a topic's record values are written. */
public enum ValueFormat {
  /** Kafka Connect's JsonConverter, with or without schemas. */
  JSON,
  /** Confluent's AvroConverter: the Confluent wire format, schemas from a Schema Registry. */
  AVRO,
  /**
   * Either, told apart by the first byte: the magic byte 0 is Avro, anything else JSON (a JSON
   * value never starts with a NUL byte). For topics whose connector moves from one converter to the
   * other.
   */
  AUTO;

  /** {@code json}, {@code avro} or {@code auto}, in any case, as the options spell them. */
  public static ValueFormat parse(String text) {
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException("value format must be json, avro or auto, was " + text, e);
    }
  }
}
