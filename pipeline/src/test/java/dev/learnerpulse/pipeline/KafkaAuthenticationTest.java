package dev.learnerpulse.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.learnerpulse.model.SourceTable;
import dev.learnerpulse.secrets.SecretReader;
import dev.learnerpulse.secrets.WorkerSecret;
import dev.learnerpulse.testing.TestCertificates;
import dev.learnerpulse.testkit.EmbeddedKafka;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The authentication Kafka shops use, each against a real broker configured for it: SASL/PLAIN
 * (Confluent Cloud), SASL/SCRAM-SHA-256 and -512 with real SCRAM users (MSK, Aiven, Redpanda), and
 * mutual TLS with certificates signed by a CA this test makes. Credentials are Secret Manager names
 * read through a {@link SecretReader#files} reader (Secret Manager cannot run here). A wrong
 * password fails at launch with one line naming the brokers and the mechanism, never the password;
 * a rotated password is read again after the broker refuses the old one.
 */
class KafkaAuthenticationTest {
  private static final String USER = "learner-pulse";
  private static final String PASSWORD = "s3cret-api-secret";
  private static final String USER_NAME = "projects/lp/secrets/kafka-user/versions/latest";
  private static final String PASSWORD_NAME = "projects/lp/secrets/kafka-password/versions/latest";
  private static final String CERT_NAME = "projects/lp/secrets/kafka-client-cert/versions/1";
  private static final String KEY_NAME = "projects/lp/secrets/kafka-client-key/versions/1";
  private static final List<String> TOPICS = new ArrayList<>();

  @TempDir static Path dir;
  private static EmbeddedKafka kafka;
  private static TestCertificates ca;
  private static SecretReader secrets;

  @BeforeAll
  static void start() throws IOException {
    ca = TestCertificates.create(dir, "Kafka Test CA");
    TestCertificates.Leaf broker = ca.issue("broker");
    TestCertificates.Leaf client = ca.issue("learner-pulse-client");
    Files.writeString(dir.resolve("ca.pem"), ca.caPem());
    write(USER_NAME, USER);
    write(PASSWORD_NAME, PASSWORD);
    write(CERT_NAME, client.chainPem());
    write(KEY_NAME, client.keyPem());
    secrets = SecretReader.files(dir.toString());
    kafka =
        EmbeddedKafka.start(
            USER,
            PASSWORD,
            new EmbeddedKafka.BrokerTls(
                broker.keyStore(), TestCertificates.STORE_PASSWORD, ca.caPem()));
    for (SourceTable table : SourceTable.values()) {
      TOPICS.add(table.defaultTopic());
    }
    kafka.createTopics(TOPICS, 1);
  }

  @AfterAll
  static void stop() {
    kafka.close();
  }

  private static void write(String name, String value) throws IOException {
    Files.writeString(dir.resolve(SecretReader.fileName(name)), value);
  }

  private static WorkerSecret secret(String name) {
    return WorkerSecret.fromSecretManager(name, secrets);
  }

  private static KafkaConnection sasl(SaslMechanism mechanism) {
    return KafkaConnection.to(kafka.saslBootstrapServers(), KafkaSecurity.SASL_PLAINTEXT)
        .withSasl(mechanism, secret(USER_NAME), secret(PASSWORD_NAME))
        .validated();
  }

  private static KafkaConnection mutualTls() {
    return KafkaConnection.to(kafka.sslBootstrapServers(), KafkaSecurity.SSL)
        .withTrustedCertificates(WorkerSecret.fromFile(dir.resolve("ca.pem").toString()))
        .withClientCertificate(secret(CERT_NAME), secret(KEY_NAME))
        .validated();
  }

  private static Map<String, Object> consumerConfig() {
    return Map.of(
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
  }

  /** The topics a consumer made by the connection's factory sees, after authenticating. */
  private static List<String> topicsSeenBy(KafkaConnection connection) {
    try (Consumer<byte[], byte[]> consumer = connection.consumer(consumerConfig())) {
      return consumer.listTopics(Duration.ofSeconds(30)).keySet().stream().sorted().toList();
    }
  }

  @Test
  void plainScram256Scram512AndMutualTlsAreAccepted() {
    List<String> expected = TOPICS.stream().sorted().toList();
    for (SaslMechanism mechanism : SaslMechanism.values()) {
      KafkaConnection connection = sasl(mechanism);
      assertEquals(List.of(), connection.check(TOPICS), mechanism.toString());
      assertEquals(expected, topicsSeenBy(connection), mechanism.toString());
    }
    assertEquals(List.of("lxp.public.nothing"), mutualTls().check(List.of("lxp.public.nothing")));
    assertEquals(expected, topicsSeenBy(mutualTls()));
  }

  @Test
  void withoutAClientCertificateTheTlsListenerRefusesAtLaunch() {
    KafkaConnection serverTlsOnly =
        KafkaConnection.to(kafka.sslBootstrapServers(), KafkaSecurity.SSL)
            .withTrustedCertificates(WorkerSecret.fromFile(dir.resolve("ca.pem").toString()))
            .validated();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> serverTlsOnly.check(TOPICS));
    assertTrue(
        e.getMessage()
            .startsWith(
                "Kafka at "
                    + kafka.sslBootstrapServers()
                    + " refused the"
                    + " SSL, no client authentication credentials"),
        e.getMessage());
  }

  @Test
  void aWrongScramPasswordFailsAtLaunchNamingTheBrokerAndTheMechanism() throws IOException {
    Path elsewhere = Files.createDirectories(dir.resolve("wrong"));
    Files.writeString(elsewhere.resolve(SecretReader.fileName(USER_NAME)), USER);
    Files.writeString(elsewhere.resolve(SecretReader.fileName(PASSWORD_NAME)), "wrong-password");
    LearnerPulseOptions options =
        PipelineOptionsFactory.fromArgs(
                "--runner=DirectRunner",
                "--mode=streaming",
                "--bootstrapServers=" + kafka.saslBootstrapServers(),
                "--kafkaSecurity=SASL_PLAINTEXT",
                "--kafkaSaslMechanism=SCRAM-SHA-512",
                "--kafkaApiKey=" + USER_NAME,
                "--kafkaApiSecret=" + PASSWORD_NAME,
                "--outputDir=/tmp/never-written")
            .as(LearnerPulseOptions.class);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                LearnerPulse.create(
                    options, outputs -> {}, SecretReader.files(elsewhere.toString())));
    String message = e.getMessage();
    assertTrue(
        message.startsWith(
            "Kafka at "
                + kafka.saslBootstrapServers()
                + " refused the"
                + " SASL_PLAINTEXT SASL/SCRAM-SHA-512 credentials"),
        message);
    assertFalse(message.contains("wrong-password") || message.contains(PASSWORD), message);
  }

  @Test
  void aRotatedScramPasswordIsReadAgainAfterTheBrokerRefusesTheOldOne() throws IOException {
    String user = "rotating-user";
    String userName = "projects/lp/secrets/rotating-user/versions/latest";
    String passwordName = "projects/lp/secrets/rotating-password/versions/latest";
    write(userName, user);
    write(passwordName, "first-password");
    kafka.setScramPassword(user, "first-password");
    KafkaConnection connection =
        KafkaConnection.to(kafka.saslBootstrapServers(), KafkaSecurity.SASL_PLAINTEXT)
            .withSasl(SaslMechanism.SCRAM_SHA_256, secret(userName), secret(passwordName))
            .validated();
    assertEquals(TOPICS.size(), topicsSeenBy(connection).size());

    kafka.setScramPassword(user, "second-password");
    write(passwordName, "second-password");
    // The cached first password is refused once; the refusal makes the next consumer read again.
    assertThrows(AuthenticationException.class, () -> topicsSeenBy(connection));
    assertEquals(TOPICS.size(), topicsSeenBy(connection).size());
  }

  @Test
  void optionsThatDoNotFitTogetherAreRefused() {
    IllegalArgumentException noCredentials =
        assertThrows(
            IllegalArgumentException.class,
            () -> KafkaConnection.to("localhost:9092", KafkaSecurity.SASL_SSL).validated());
    assertTrue(noCredentials.getMessage().contains("--kafkaApiKey"), noCredentials.getMessage());
    IllegalArgumentException keyWithoutCertificate =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                KafkaConnection.to("localhost:9092", KafkaSecurity.SSL)
                    .withClientCertificate(null, secret(KEY_NAME))
                    .validated());
    assertEquals(
        "--kafkaClientCertificate and --kafkaClientKey go together (mutual TLS)",
        keyWithoutCertificate.getMessage());
  }

  @Test
  void plainValuesAreForLocalRunsOnly() {
    Secrets local = new Secrets(secrets, false);
    Secrets dataflow = new Secrets(secrets, true);
    assertEquals(
        "plain value (local runs only)", local.secret("--kafkaApiSecret", PASSWORD).toString());
    assertEquals(PASSWORD_NAME, dataflow.secret("--kafkaApiSecret", PASSWORD_NAME).toString());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> dataflow.secret("--kafkaApiSecret", PASSWORD));
    assertTrue(
        e.getMessage().startsWith("--kafkaApiSecret must be a Secret Manager version name"),
        e.getMessage());
    assertFalse(e.getMessage().contains(PASSWORD), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> dataflow.secretOrFile("--kafkaClientKey", dir.resolve("key.pem").toString(), true));
    assertEquals(
        "gs://bucket/redis-ca.pem",
        dataflow
            .secretOrFile("--redisCaCertificate", "gs://bucket/redis-ca.pem", false)
            .toString());
  }

  @Test
  void theConnectionNeverPrintsItsPassword() {
    KafkaConnection connection =
        KafkaConnection.to(kafka.saslBootstrapServers(), KafkaSecurity.SASL_PLAINTEXT)
            .withSasl(SaslMechanism.PLAIN, WorkerSecret.plain(USER), WorkerSecret.plain(PASSWORD));
    assertEquals(
        "KafkaConnection{" + kafka.saslBootstrapServers() + ", SASL_PLAINTEXT SASL/PLAIN}",
        connection.toString());
  }
}
