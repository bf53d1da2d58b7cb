package dev.learnerpulse.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Beyond one machine: the shaded jar, staged with {@code --filesToStage}, runs the backfill of the
 * committed test data on a Flink session cluster of separate JobManager and TaskManager processes
 * ({@link FlinkSessionCluster}), and writes exactly what the DirectRunner writes. The cluster's
 * classpath has no Beam and no Learner Pulse: whatever the job needs must travel in the jar.
 *
 * <p>An integration test (failsafe, after {@code package}), since it needs {@code
 * target/learner-pulse-flink.jar}. The cluster's configuration and logs are in {@code
 * target/flink-cluster}.
 */
class FlinkClusterIT {
  private static final Path JAR = Path.of("target", "learner-pulse-flink.jar").toAbsolutePath();

  private static FlinkSessionCluster cluster;

  @TempDir Path work;

  @BeforeAll
  static void startCluster() throws Exception {
    assertTrue(Files.isRegularFile(JAR), JAR + " is missing: run the build's package phase first");
    Path dir = Path.of("target", "flink-cluster").toAbsolutePath();
    deleteRecursively(dir);
    cluster = FlinkSessionCluster.start(dir, 2);
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void theJarsBackfillOnAClusterWritesWhatTheDirectRunnerWrites() throws Exception {
    OutcomeReport direct =
        FlinkBackfillTest.backfill(work.resolve("direct"), "--runner=DirectRunner");

    long submitted = System.currentTimeMillis();
    OutcomeReport onCluster =
        FlinkBackfillTest.backfill(
            work.resolve("cluster"),
            "--runner=FlinkRunner",
            "--flinkMaster=" + cluster.master(),
            "--parallelism=2",
            "--filesToStage=" + JAR);
    long returned = System.currentTimeMillis();

    JsonNode jobs = cluster.rest("/jobs/overview").path("jobs");
    assertEquals(1, jobs.size(), jobs.toString());
    JsonNode job = jobs.get(0);
    assertEquals("FINISHED", job.path("state").asText(), job.toString());
    FlinkBackfillTest.assertSameOutput(
        direct, work.resolve("direct"), onCluster, work.resolve("cluster"));

    // Not an assertion (the machine is shared): how long staging the jar takes, for docs/flink.md.
    long jarMb = Files.size(JAR) >> 20;
    System.out.printf(
        "FlinkClusterIT: jar %d MiB; translation, upload and submission %d ms; job %d ms;"
            + " result back %d ms after the job ended%n",
        jarMb,
        job.path("start-time").asLong() - submitted,
        job.path("duration").asLong(),
        returned - job.path("end-time").asLong());
  }

  private static void deleteRecursively(Path dir) throws Exception {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(path);
      }
    }
  }
}
