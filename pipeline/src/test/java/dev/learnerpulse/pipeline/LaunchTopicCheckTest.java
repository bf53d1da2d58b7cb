package dev.learnerpulse.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.learnerpulse.model.SourceTable;
import dev.learnerpulse.testkit.EmbeddedKafka;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A streaming job checks at launch, against a real broker, that the topics it writes to exist: dead
 * letters and alerts. A missing one fails with the brokers, the topic and the ways out; each check
 * can be turned off.
 */
class LaunchTopicCheckTest {
  private static final String DLQ = "lxp.learner_pulse.dlq";
  private static final String ALERTS = "lxp.learner_pulse.alerts";

  @TempDir static Path dir;
  private static EmbeddedKafka kafka;

  @BeforeAll
  static void start() {
    kafka = EmbeddedKafka.start();
    List<String> topics = new ArrayList<>();
    for (SourceTable table : SourceTable.values()) {
      topics.add(table.defaultTopic());
    }
    topics.add(DLQ);
    topics.add(ALERTS);
    kafka.createTopics(topics, 1);
  }

  @AfterAll
  static void stop() {
    kafka.close();
  }

  private static LearnerPulseOptions options(String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--runner=DirectRunner",
                "--mode=streaming",
                "--bootstrapServers=" + kafka.bootstrapServers(),
                "--outputDir=" + dir.resolve("out")));
    args.addAll(List.of(more));
    return PipelineOptionsFactory.fromArgs(args.toArray(String[]::new))
        .as(LearnerPulseOptions.class);
  }

  @Test
  void theDefaultTopicsExist() {
    LearnerPulseOptions defaults = options();
    assertEquals(DLQ, PipelineSettings.deadLetterTopic(defaults));
    assertEquals(ALERTS, PipelineSettings.alertsTopic(defaults));
    LearnerPulse.create(defaults);
  }

  @Test
  void aMissingDeadLetterTopicFailsAtLaunchUnlessTurnedOff() {
    LearnerPulseOptions missing = options("--deadLetterTopic=lxp.nobody.made.this");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> LearnerPulse.create(missing));
    assertEquals(
        "Kafka at "
            + kafka.bootstrapServers()
            + " has no dead-letter topic lxp.nobody.made.this:"
            + " create it (terraform/confluent), or pass --deadLetterTopic=none to write dead"
            + " letters to the warehouse only",
        e.getMessage());
    LearnerPulseOptions off = options("--deadLetterTopic=none");
    assertNull(PipelineSettings.deadLetterTopic(off));
    LearnerPulse.create(off);
  }

  @Test
  void aMissingAlertsTopicFailsAtLaunchUnlessTurnedOff() {
    LearnerPulseOptions missing = options("--alertsTopic=lxp.nobody.made.alerts");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> LearnerPulse.create(missing));
    assertEquals(
        "Kafka at "
            + kafka.bootstrapServers()
            + " has no alerts topic lxp.nobody.made.alerts:"
            + " create it (terraform/confluent), pass --alertsTopic=none to write alerts to Redis"
            + " and the warehouse only, or --alerts=false to detect none",
        e.getMessage());

    LearnerPulseOptions noTopic = options("--alertsTopic=none");
    assertNull(PipelineSettings.alertsTopic(noTopic));
    LearnerPulse.create(noTopic);

    LearnerPulseOptions noAlerts =
        options("--alertsTopic=lxp.nobody.made.alerts", "--alerts=false");
    assertNull(PipelineSettings.alertsTopic(noAlerts));
    LearnerPulse.create(noAlerts);
  }
}
