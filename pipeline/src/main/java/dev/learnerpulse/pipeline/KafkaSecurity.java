package dev.learnerpulse.pipeline;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.Locale;

/** How Learner Pulse authenticates to Kafka. */
public enum KafkaSecurity {
  /** No TLS, no authentication: a local or private broker. */
  PLAINTEXT,
  /** SASL/PLAIN without TLS: test brokers only. */
  SASL_PLAINTEXT,
  /** SASL/PLAIN over TLS: Confluent Cloud. */
  SASL_SSL;

  @JsonCreator
  public static KafkaSecurity parse(String value) {
    for (KafkaSecurity security : values()) {
      if (security.name().equals(value.trim().toUpperCase(Locale.ROOT))) {
        return security;
      }
    }
    throw new IllegalArgumentException(
        "--kafkaSecurity must be PLAINTEXT, SASL_PLAINTEXT or SASL_SSL, not '" + value + "'");
  }
}
