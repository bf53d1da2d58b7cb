package dev.learnerpulse.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.learnerpulse.model.Topics;
import java.util.List;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * What each read starts from: the change topics where the options say, the compacted reference
 * topics always whole, so that a restarted job, or one started at "latest", still has every row.
 */
class KafkaSourcesTest {
  private static final KafkaConnection BROKER =
      KafkaConnection.to("localhost:9092", KafkaSecurity.PLAINTEXT);

  private static KafkaSources sources(String group, String start) {
    return new KafkaSources(
        BROKER,
        Topics.defaults(),
        group,
        start,
        Duration.standardSeconds(5),
        Duration.standardSeconds(10));
  }

  @Test
  void theChangeTopicsStartWhereTheOptionsSayAndCommitToTheGroup() {
    KafkaIO.Read<byte[], byte[]> changes =
        sources("learner-pulse", "2026-11-20T09:00:00Z").changes();

    assertEquals(
        List.of(
            "lxp.public.learner_progress",
            "lxp.engagement.course_interactions",
            "lxp.assessments.assessment_events",
            "lxp.public.certification_state"),
        changes.getTopics());
    assertEquals("learner-pulse", changes.getConsumerConfig().get(ConsumerConfig.GROUP_ID_CONFIG));
    assertTrue(changes.isCommitOffsetsInFinalizeEnabled());
    assertEquals(Instant.parse("2026-11-20T09:00:00Z"), changes.getStartReadTime());
  }

  @Test
  void theReferenceTopicsAreAlwaysReadWholeAndNeverCommitted() {
    KafkaIO.Read<byte[], byte[]> references = sources("learner-pulse", "latest").references();

    assertEquals(List.of("lxp.public.courses", "lxp.public.learners"), references.getTopics());
    assertEquals(
        "earliest", references.getConsumerConfig().get(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG));
    assertNull(references.getConsumerConfig().get(ConsumerConfig.GROUP_ID_CONFIG));
    assertFalse(references.isCommitOffsetsInFinalizeEnabled());
    assertNull(references.getStartReadTime());
  }
}
