package dev.learnerpulse.pipeline;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.Locale;

/**
 * The SASL mechanism of {@link KafkaSecurity#SASL_SSL} and {@link KafkaSecurity#SASL_PLAINTEXT}.
 */
public enum SaslMechanism {
  /** Confluent Cloud API keys. */
  PLAIN("PLAIN", "org.apache.kafka.common.security.plain.PlainLoginModule"),
  /** Amazon MSK, Aiven, Redpanda, self-managed clusters. */
  SCRAM_SHA_256("SCRAM-SHA-256", "org.apache.kafka.common.security.scram.ScramLoginModule"),
  SCRAM_SHA_512("SCRAM-SHA-512", "org.apache.kafka.common.security.scram.ScramLoginModule");

  private final String kafkaName;
  private final String loginModule;

  SaslMechanism(String kafkaName, String loginModule) {
    this.kafkaName = kafkaName;
    this.loginModule = loginModule;
  }

  /** Kafka's {@code sasl.mechanism}. */
  String kafkaName() {
    return kafkaName;
  }

  String loginModule() {
    return loginModule;
  }

  @Override
  public String toString() {
    return kafkaName;
  }

  @JsonCreator
  public static SaslMechanism parse(String value) {
    String name = value.trim().toUpperCase(Locale.ROOT);
    for (SaslMechanism mechanism : values()) {
      if (mechanism.kafkaName.equals(name) || mechanism.name().equals(name)) {
        return mechanism;
      }
    }
    throw new IllegalArgumentException(
        Flag.of(KafkaOptions::getKafkaSaslMechanism)
            + " must be PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512, not '"
            + value
            + "'");
  }
}
