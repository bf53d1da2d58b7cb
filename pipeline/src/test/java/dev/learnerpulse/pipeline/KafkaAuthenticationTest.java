package dev.learnerpulse.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.learnerpulse.model.SourceTable;
import dev.learnerpulse.pipeline.local.EmbeddedKafka;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Confluent-Cloud-style authentication against a real broker with a SASL/PLAIN listener: the right
 * credentials are accepted, a wrong password fails at launch with one clear line naming the broker
 * and the mechanism, and the password is never part of the message.
 */
class KafkaAuthenticationTest {
  private static final String USER = "learner-pulse";
  private static final String PASSWORD = "s3cret-api-secret";
  private static EmbeddedKafka kafka;
  private static final List<String> TOPICS = new ArrayList<>();

  @BeforeAll
  static void start() {
    kafka = EmbeddedKafka.start(USER, PASSWORD);
    for (SourceTable table : SourceTable.values()) {
      TOPICS.add(table.defaultTopic());
    }
    kafka.createTopics(TOPICS, 1);
  }

  @AfterAll
  static void stop() {
    kafka.close();
  }

  @Test
  void theRightCredentialsAreAccepted() {
    KafkaConnection connection =
        new KafkaConnection(kafka.saslBootstrapServers(), KafkaSecurity.SASL_PLAINTEXT, USER, PASSWORD);
    assertEquals(List.of(), connection.check(TOPICS));
    assertEquals(List.of("lxp.public.nothing"), connection.check(List.of("lxp.public.nothing")));
  }

  @Test
  void aWrongPasswordFailsAtLaunchNamingTheBrokerAndTheMechanism() {
    LearnerPulseOptions options =
        PipelineOptionsFactory.fromArgs(
                "--runner=DirectRunner",
                "--mode=streaming",
                "--bootstrapServers=" + kafka.saslBootstrapServers(),
                "--kafkaSecurity=SASL_PLAINTEXT",
                "--kafkaApiKey=" + USER,
                "--kafkaApiSecret=wrong-password",
                "--outputDir=/tmp/never-written")
            .as(LearnerPulseOptions.class);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> LearnerPulse.create(options));
    String message = e.getMessage();
    assertTrue(message.contains(kafka.saslBootstrapServers()), message);
    assertTrue(message.contains("SASL/PLAIN"), message);
    assertTrue(message.contains("refused"), message);
    assertTrue(!message.contains("wrong-password") && !message.contains(PASSWORD), message);
  }

  @Test
  void credentialsAreRequiredForSasl() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new KafkaConnection(kafka.saslBootstrapServers(), KafkaSecurity.SASL_SSL, null, null));
    assertTrue(e.getMessage().contains("--kafkaApiKey"), e.getMessage());
  }

  @Test
  void theConnectionNeverPrintsItsPassword() {
    KafkaConnection connection =
        new KafkaConnection(kafka.saslBootstrapServers(), KafkaSecurity.SASL_PLAINTEXT, USER, PASSWORD);
    assertTrue(!connection.toString().contains(PASSWORD), connection.toString());
  }
}
