package dev.learnerpulse.testkit.testdata;

/**
 * How a connector deployment writes its records: Kafka Connect's JsonConverter with or without
 * schemas, Debezium's {@code decimal.handling.mode}, and which Extended JSON flavour MongoDB
 * documents use.
 */
record WireFormat(boolean schemas, DecimalMode decimals, ExtendedJsonMode extendedJson) {

  enum DecimalMode {
    /** Base64 of the unscaled two's-complement big-endian value; scale from the schema. */
    PRECISE,
    /** {@code "45.50"}. */
    STRING,
    /** {@code 45.5}. */
    DOUBLE
  }

  enum ExtendedJsonMode {
    /** Relaxed v2: plain numbers, {@code {"$date":"<ISO>"}}. */
    RELAXED,
    /**
     * Canonical v2: {@code $numberInt}, {@code $numberDouble}, {@code {"$date":{"$numberLong":…}}}.
     */
    CANONICAL,
    /** The legacy relaxed form: plain numbers, {@code {"$date":<millis>}}. */
    LEGACY
  }

  /** Which source database's connector writes a table. */
  enum Connector {
    POSTGRESQL,
    MYSQL,
    MONGODB
  }
}
