package dev.learnerpulse.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.flink.runtime.util.EnvironmentInformation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code templates/flink/flinkdeployment.yaml}, the job as the Flink Kubernetes operator runs it,
 * checked offline (no cluster here can apply it), as {@link TemplateMetadataTest} checks the
 * Dataflow template: its job arguments are options the job accepts, it runs our jar's main class on
 * the Flink release the build's runner uses, and its state survives pods.
 */
class FlinkDeploymentTest {
  private static final Path DIR = Path.of("..", "templates", "flink");

  private static JsonNode spec;

  @BeforeAll
  static void load() throws IOException {
    JsonNode deployment =
        new ObjectMapper(new YAMLFactory()).readTree(DIR.resolve("flinkdeployment.yaml").toFile());
    assertEquals("flink.apache.org/v1beta1", deployment.path("apiVersion").asText());
    assertEquals("FlinkDeployment", deployment.path("kind").asText());
    assertTrue(!deployment.path("metadata").path("name").asText().isBlank(), "no metadata.name");
    spec = deployment.path("spec");
  }

  /**
   * The arguments parse, with validation, exactly as {@code LearnerPulse.main} parses them: a flag
   * that is no option, a bad enum value or a missing required option fails here.
   */
  @Test
  void theArgumentsAreOptionsOfTheJob() {
    List<String> args = new ArrayList<>();
    spec.path("job").path("args").forEach(arg -> args.add(arg.asText()));
    assertTrue(!args.isEmpty(), "no job.args");
    for (String arg : args) {
      assertTrue(arg.matches("--[a-zA-Z]+=.+"), "not --option=value: " + arg);
    }
    LearnerPulseOptions options =
        PipelineOptionsFactory.fromArgs(args.toArray(String[]::new))
            .withValidation()
            .as(LearnerPulseOptions.class);
    assertEquals(FlinkRunner.class, options.getRunner());
    assertEquals(Mode.STREAMING, options.getMode());
    // [auto]: the application cluster's own environment (see FlinkEngine.embedded), whose
    // configuration holds the state backend and the durable directories.
    assertEquals("[auto]", options.as(FlinkPipelineOptions.class).getFlinkMaster());
    assertEquals(null, options.as(FlinkPipelineOptions.class).getFlinkConfDir());
    assertTrue(options.getBootstrapServers() != null, "no --bootstrapServers");
    assertTrue(
        options.getConsumerGroup() != null, "no --consumerGroup: offsets would not be committed");
  }

  @Test
  void itRunsOurJarOnTheRunnersFlinkRelease() throws IOException {
    JsonNode job = spec.path("job");
    assertEquals(LearnerPulse.class.getName(), job.path("entryClass").asText());
    String jar = "/opt/flink/usrlib/learner-pulse.jar";
    assertEquals("local://" + jar, job.path("jarURI").asText());
    assertTrue(job.path("parallelism").asInt() > 0, "no job.parallelism");
    assertEquals("running", job.path("state").asText());

    String release = EnvironmentInformation.getVersion(); // e.g. 1.19.3
    String[] parts = release.split("\\.");
    assertEquals("v" + parts[0] + "_" + parts[1], spec.path("flinkVersion").asText());
    String dockerfile = Files.readString(DIR.resolve("Dockerfile"));
    assertTrue(
        dockerfile.contains("FROM flink:" + release + "-java17"),
        "Dockerfile's Flink is not " + release);
    assertTrue(dockerfile.contains(" " + jar), "the Dockerfile does not copy the jar to " + jar);
    for (String field : List.of("image", "serviceAccount")) {
      assertTrue(!spec.path(field).asText().isBlank(), "no spec." + field);
    }
    for (String pod : List.of("jobManager", "taskManager")) {
      assertTrue(
          !spec.path(pod).path("resource").path("memory").asText().isBlank(), pod + " memory");
    }
  }

  /**
   * Upgrades go through a savepoint, state is in RocksDB, and checkpoints, savepoints and HA
   * metadata go to durable storage, not a pod's disk.
   */
  @Test
  void stateSurvivesPodsAndUpgrades() {
    assertTrue(
        List.of("savepoint", "last-state").contains(spec.path("job").path("upgradeMode").asText()),
        "upgradeMode must keep state: " + spec.path("job").path("upgradeMode"));
    JsonNode flink = spec.path("flinkConfiguration");
    assertEquals("rocksdb", flink.path("state.backend.type").asText());
    for (String dir :
        List.of("state.checkpoints.dir", "state.savepoints.dir", "high-availability.storageDir")) {
      String value = flink.path(dir).asText();
      assertTrue(
          value.matches("(s3|s3a|s3p|gs|hdfs|abfss|oss)://.+"), dir + " is not durable: " + value);
    }
  }
}
