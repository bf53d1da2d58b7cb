package dev.learnerpulse.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * The engine jars carry the job and one engine, nothing that runs only around it: an image scanner
 * flags a Kafka broker, ZooKeeper or a redis-server binary in a pipeline image, and a security
 * review stops there. An integration test (failsafe, after {@code package}), since it opens {@code
 * target/learner-pulse-dataflow.jar} and {@code target/learner-pulse-flink.jar}.
 */
class EngineJarsIT {
  private static final Path DATAFLOW = Path.of("target", "learner-pulse-dataflow.jar");
  private static final Path FLINK = Path.of("target", "learner-pulse-flink.jar");

  /** What only the tools and tests use (tools/testkit, tools/cli), by entry name prefix. */
  private static final List<String> NEVER =
      List.of(
          // The broker: kafka_2.13 and its Java modules (kafka-clients has only
          // kafka/kafka-version.properties and org/apache/kafka/{clients,common}).
          "kafka/server/",
          "kafka/log/",
          "kafka/raft/",
          "org/apache/kafka/raft/",
          "org/apache/kafka/metadata/",
          "org/apache/kafka/storage/",
          "scala/",
          "org/apache/zookeeper/",
          "redis-server",
          "redis/embedded/",
          "dev/learnerpulse/testkit/",
          "dev/learnerpulse/tools/",
          "org/apache/beam/runners/direct/");

  private static final String FLINK_RUNNER = "org/apache/beam/runners/flink/FlinkRunner.class";
  private static final String DATAFLOW_RUNNER =
      "org/apache/beam/runners/dataflow/DataflowRunner.class";
  private static final String MAIN = "dev/learnerpulse/pipeline/LearnerPulse.class";

  @Test
  void theDataflowJarHoldsTheJobAndDataflowOnly() throws IOException {
    List<String> entries = entries(DATAFLOW);
    assertEquals(List.of(), offending(entries, NEVER));
    assertEquals(
        List.of(),
        offending(entries, List.of("org/apache/flink/", "org/apache/beam/runners/flink/")));
    assertTrue(
        entries.contains(MAIN) && entries.contains(DATAFLOW_RUNNER), "job or runner missing");
  }

  @Test
  void theFlinkJarHoldsTheJobAndFlinkOnly() throws IOException {
    List<String> entries = entries(FLINK);
    assertEquals(List.of(), offending(entries, NEVER));
    assertEquals(List.of(), offending(entries, List.of("org/apache/beam/runners/dataflow/")));
    assertTrue(entries.contains(MAIN) && entries.contains(FLINK_RUNNER), "job or runner missing");
  }

  private static List<String> entries(Path jar) throws IOException {
    assertTrue(Files.isRegularFile(jar), jar + " not built: run mvn package");
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      return zip.stream().map(ZipEntry::getName).toList();
    }
  }

  /** Those of {@code prefixes} that some entry starts with. */
  private static List<String> offending(List<String> entries, List<String> prefixes) {
    TreeSet<String> found = new TreeSet<>();
    for (String entry : entries) {
      for (String prefix : prefixes) {
        if (entry.startsWith(prefix)) {
          found.add(prefix);
        }
      }
    }
    return List.copyOf(found);
  }
}
