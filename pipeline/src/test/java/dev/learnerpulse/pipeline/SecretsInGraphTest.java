package dev.learnerpulse.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.learnerpulse.model.SourceTable;
import dev.learnerpulse.secrets.SecretReader;
import dev.learnerpulse.testkit.EmbeddedKafka;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.apache.beam.sdk.util.construction.PipelineTranslation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No secret travels in the job graph. The whole streaming job is built the way {@code main} builds
 * it, against a real broker whose SASL password is a canary, with every credential option (Kafka,
 * Redis AUTH, Schema Registry) a Secret Manager name whose value is a canary; then every transform
 * the runner receives (each DoFn, KafkaIO read and write with its consumer and producer factory) is
 * Java-serialized as it is shipped, but without the compression Beam adds, and so is the pipeline
 * proto with its display data; the bytes are searched for the canaries. The launch check reads the
 * Kafka canary to log in, so the resolver is proven used; the same search over a graph built with
 * plain values finds the canaries, so the search can fail.
 */
class SecretsInGraphTest {
  private static final String USER = "lp-canary-user";
  private static final Map<String, String> CANARIES =
      Map.of(
          "projects/lp/secrets/kafka-password/versions/3", "CANARY-kafka-7Qx2fW",
          "projects/lp/secrets/redis-auth/versions/latest", "CANARY-redis-M4ep9T",
          "projects/lp/secrets/registry-key/versions/1", "CANARY-regkey-Z81vcK",
          "projects/lp/secrets/registry-secret/versions/1", "CANARY-regsecret-u0Hn5B");

  @TempDir static Path dir;
  private static EmbeddedKafka kafka;

  @BeforeAll
  static void start() throws IOException {
    kafka =
        EmbeddedKafka.start(USER, CANARIES.get("projects/lp/secrets/kafka-password/versions/3"));
    List<String> topics = new ArrayList<>();
    for (SourceTable table : SourceTable.values()) {
      topics.add(table.defaultTopic());
    }
    topics.add("lxp.learner_pulse.dlq");
    topics.add("lxp.learner_pulse.alerts");
    kafka.createTopics(topics, 1);
    Files.writeString(
        dir.resolve(SecretReader.fileName("projects/lp/secrets/kafka-user/versions/1")), USER);
    for (Map.Entry<String, String> canary : CANARIES.entrySet()) {
      Files.writeString(
          dir.resolve(SecretReader.fileName(canary.getKey())), canary.getValue() + "\n");
    }
  }

  @AfterAll
  static void stop() {
    kafka.close();
  }

  private static byte[] serializedGraph(boolean secretNames) {
    LearnerPulseOptions options =
        PipelineOptionsFactory.fromArgs(
                "--runner=DirectRunner",
                "--mode=streaming",
                "--bootstrapServers=" + kafka.saslBootstrapServers(),
                "--kafkaSecurity=SASL_PLAINTEXT",
                "--kafkaApiKey="
                    + option(secretNames, "projects/lp/secrets/kafka-user/versions/1", USER),
                "--kafkaApiSecret="
                    + option(secretNames, "projects/lp/secrets/kafka-password/versions/3"),
                "--redisUrl=rediss://10.0.0.3:6378",
                "--redisAuth="
                    + option(secretNames, "projects/lp/secrets/redis-auth/versions/latest"),
                "--schemaRegistryUrl=https://psrc-test.europe-west1.gcp.confluent.cloud",
                "--schemaRegistryApiKey="
                    + option(secretNames, "projects/lp/secrets/registry-key/versions/1"),
                "--schemaRegistryApiSecret="
                    + option(secretNames, "projects/lp/secrets/registry-secret/versions/1"),
                "--outputDir=" + dir.resolve("out"))
            .as(LearnerPulseOptions.class);
    Pipeline pipeline =
        LearnerPulse.create(options, outputs -> {}, SecretReader.files(dir.toString()));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    pipeline.traverseTopologically(
        new Pipeline.PipelineVisitor.Defaults() {
          @Override
          public void visitPrimitiveTransform(TransformHierarchy.Node node) {
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
              out.writeObject(node.getTransform());
            } catch (IOException e) {
              throw new AssertionError("Cannot serialize " + node.getFullName(), e);
            }
          }
        });
    bytes.writeBytes(PipelineTranslation.toProto(pipeline).toByteArray());
    return bytes.toByteArray();
  }

  private static String option(boolean secretNames, String name) {
    return option(secretNames, name, CANARIES.get(name));
  }

  private static String option(boolean secretNames, String name, String plain) {
    return secretNames ? name : plain;
  }

  private static List<String> canariesIn(byte[] graph) {
    String text = new String(graph, StandardCharsets.ISO_8859_1);
    return CANARIES.values().stream().filter(text::contains).sorted().toList();
  }

  @Test
  void noSecretValueIsInTheSerializedGraph() {
    byte[] graph = serializedGraph(true);
    assertEquals(List.of(), canariesIn(graph));
    String text = new String(graph, StandardCharsets.ISO_8859_1);
    assertTrue(text.contains("projects/lp/secrets/kafka-password/versions/3"), "the name travels");
  }

  @Test
  void plainValuesWouldBeFoundBySearchingTheSameWay() {
    assertEquals(CANARIES.values().stream().sorted().toList(), canariesIn(serializedGraph(false)));
  }
}
