package dev.learnerpulse.pipeline;

import com.fasterxml.jackson.annotation.JsonCreator;

/** Kafka's {@code security.protocol}: whether the connection uses TLS and whether SASL. */
public enum KafkaSecurity {
  /** No TLS, no authentication: a local or private broker. */
  PLAINTEXT,
  /** SASL without TLS: test brokers only. */
  SASL_PLAINTEXT,
  /** SASL over TLS: Confluent Cloud (PLAIN), Amazon MSK, Aiven, Redpanda (SCRAM). */
  SASL_SSL,
  /** TLS; with a client certificate and key, mutual TLS authenticates the client. */
  SSL;

  boolean sasl() {
    return this == SASL_PLAINTEXT || this == SASL_SSL;
  }

  boolean tls() {
    return this == SSL || this == SASL_SSL;
  }

  @JsonCreator
  public static KafkaSecurity parse(String value) {
    return OptionEnums.parse(KafkaSecurity.class, Flag.of(KafkaOptions::getKafkaSecurity), value);
  }
}
