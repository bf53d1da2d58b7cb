package dev.learnerpulse.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

  /**
   * The artifacts left out of the Dataflow jar (pipeline/pom.xml) are not needed to parse the
   * options, describe every registered options interface, build the whole streaming graph with its
   * BigQuery and Redis sinks, or translate it: {@link EngineJarCheck} in a JVM on the jar alone.
   * The Dataflow runner builds its clients at construction, so it gets credentials of the right
   * shape that are never used: nothing here reaches the network.
   */
  @Test
  void theDataflowJarBuildsAndTranslatesTheStreamingGraph(@TempDir Path dir) throws Exception {
    Path credentials = dir.resolve("adc.json");
    Files.writeString(
        credentials,
        "{\"type\":\"authorized_user\",\"client_id\":\"unused\",\"client_secret\":\"unused\","
            + "\"refresh_token\":\"unused\"}");
    List<String> lines =
        checkInAJvm(
            DATAFLOW,
            credentials,
            "--runner=DataflowRunner",
            "--project=lp-project",
            "--region=us-central1",
            "--gcpTempLocation=gs://lp-bucket/tmp",
            "--stagingLocation=gs://lp-bucket/staging",
            "--pathValidatorClass=org.apache.beam.sdk.extensions.gcp.storage.NoopPathValidator",
            "--filesToStage=" + DATAFLOW.toAbsolutePath());
    assertEquals(
        "runner: org.apache.beam.runners.dataflow.DataflowRunner", lines.get(1), lines.toString());
    assertTrue(lines.get(2).matches("graph: [1-9][0-9]* transforms"), lines.toString());
  }

  /** The same for the Flink jar (whose backfill on a cluster FlinkClusterIT runs). */
  @Test
  void theFlinkJarBuildsAndTranslatesTheStreamingGraph(@TempDir Path dir) throws Exception {
    List<String> lines =
        checkInAJvm(
            FLINK,
            null,
            "--runner=FlinkRunner",
            "--flinkMaster=[local]",
            "--project=lp-project",
            "--tempLocation=" + dir);
    assertEquals(
        "runner: org.apache.beam.runners.flink.FlinkRunner", lines.get(1), lines.toString());
    assertTrue(lines.get(2).matches("graph: [1-9][0-9]* transforms"), lines.toString());
  }

  /**
   * {@link EngineJarCheck}'s lines from a JVM whose classpath is the jar and this test's classes.
   */
  private static List<String> checkInAJvm(Path jar, @Nullable Path credentials, String... runner)
      throws Exception {
    assertTrue(Files.isRegularFile(jar), jar + " not built: run mvn package");
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                jar + File.pathSeparator + Path.of("target", "test-classes"),
                EngineJarCheck.class.getName(),
                "--mode=streaming",
                "--warehouse=bigquery",
                "--bootstrapServers=localhost:9092",
                "--redisUrl=redis://localhost:6379"));
    command.addAll(List.of(runner));
    ProcessBuilder process = new ProcessBuilder(command).redirectErrorStream(true);
    if (credentials != null) {
      process.environment().put("GOOGLE_APPLICATION_CREDENTIALS", credentials.toString());
    }
    Process jvm = process.start();
    String output = new String(jvm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(jvm.waitFor(5, TimeUnit.MINUTES), "the check did not end");
    assertEquals(0, jvm.exitValue(), output);
    List<String> lines =
        output
            .lines()
            .filter(
                line ->
                    line.startsWith("help: ")
                        || line.startsWith("runner: ")
                        || line.startsWith("graph: "))
            .toList();
    assertEquals(3, lines.size(), output);
    assertTrue(lines.get(0).matches("help: [1-9][0-9]* options interfaces"), output);
    return lines;
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
