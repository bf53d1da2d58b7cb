package dev.learnerpulse.pipeline;

import com.fasterxml.jackson.annotation.JsonCreator;

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
    return OptionEnums.parse(KafkaSecurity.class, "--kafkaSecurity", value);
  }
}
