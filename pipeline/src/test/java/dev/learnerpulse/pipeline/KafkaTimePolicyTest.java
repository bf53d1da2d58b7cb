package dev.learnerpulse.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.KafkaTimestampType;
import org.apache.beam.sdk.io.kafka.TimestampPolicy;
import org.apache.beam.sdk.io.kafka.TimestampPolicy.PartitionContext;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.kafka.common.TopicPartition;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/** The per-partition watermark: Kafka time less the maximum delay, the clock once caught up. */
class KafkaTimePolicyTest {
  private static final Duration MAX_DELAY = Duration.standardSeconds(5);
  private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
  private static final long UNKNOWN = -1;

  private static TimestampPolicy<byte[], byte[]> policy() {
    return policy(false);
  }

  private static TimestampPolicy<byte[], byte[]> policy(boolean emptyFollowsClock) {
    return new KafkaSources.KafkaTimePolicy(MAX_DELAY, emptyFollowsClock)
        .createTimestampPolicy(new TopicPartition("lxp.public.learners", 2), Optional.empty());
  }

  private static PartitionContext backlog(long messages, Instant checkedAt) {
    return new PartitionContext() {
      @Override
      public long getMessageBacklog() {
        return messages;
      }

      @Override
      public Instant getBacklogCheckTime() {
        return checkedAt;
      }
    };
  }

  private static KafkaRecord<byte[], byte[]> record(Instant kafkaTime) {
    return new KafkaRecord<>(
        "lxp.public.learners", 2, 7, kafkaTime.getMillis(), KafkaTimestampType.CREATE_TIME, null,
        KV.of(new byte[0], new byte[0]));
  }

  @Test
  void aCaughtUpPartitionFollowsTheClock() {
    TimestampPolicy<byte[], byte[]> policy = policy();
    policy.getTimestampForRecord(backlog(0, NOW), record(NOW.minus(Duration.standardHours(3))));

    assertEquals(NOW.minus(MAX_DELAY), policy.getWatermark(backlog(0, NOW)));
  }

  /** A change partition: see {@link KafkaSources.KafkaTimePolicy} for why it still holds. */
  @Test
  void aChangePartitionThatNeverHadARecordHoldsTheWatermark() {
    assertEquals(BoundedWindow.TIMESTAMP_MIN_VALUE, policy(false).getWatermark(backlog(0, NOW)));
  }

  /** A reference partition, which the first reference snapshot waits for. */
  @Test
  void aReferencePartitionThatNeverHadARecordFollowsTheClock() {
    assertEquals(NOW.minus(MAX_DELAY), policy(true).getWatermark(backlog(0, NOW)));
  }

  @Test
  void aPartitionWithABacklogHoldsAtItsNewestRecord() {
    TimestampPolicy<byte[], byte[]> policy = policy();
    Instant read = NOW.minus(Duration.standardHours(3));

    assertEquals(read, policy.getTimestampForRecord(backlog(40, NOW), record(read)));
    assertEquals(read.minus(MAX_DELAY), policy.getWatermark(backlog(40, NOW)));
  }

  @Test
  void nothingIsKnownBeforeTheBacklogIs() {
    assertEquals(BoundedWindow.TIMESTAMP_MIN_VALUE, policy().getWatermark(backlog(UNKNOWN, NOW)));
  }

  @Test
  void theWatermarkNeverGoesBack() {
    TimestampPolicy<byte[], byte[]> policy = policy();
    policy.getTimestampForRecord(backlog(0, NOW), record(NOW.minus(Duration.standardHours(3))));
    policy.getWatermark(backlog(0, NOW));
    // a record written with an older timestamp after the partition went idle
    policy.getTimestampForRecord(backlog(0, NOW), record(NOW.minus(Duration.standardMinutes(1))));

    assertEquals(NOW.minus(MAX_DELAY), policy.getWatermark(backlog(1, NOW)));
  }
}
