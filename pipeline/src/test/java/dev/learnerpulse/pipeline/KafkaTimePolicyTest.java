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

/**
 * The per-partition watermark: Kafka time less the maximum delay; the clock once a partition has
 * had nothing to read for the idle timeout.
 */
class KafkaTimePolicyTest {
  private static final Duration MAX_DELAY = Duration.standardSeconds(5);
  private static final Duration IDLE_TIMEOUT = Duration.standardSeconds(10);
  private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
  private static final Instant OLD = NOW.minus(Duration.standardHours(3));
  private static final long UNKNOWN = -1;

  private static TimestampPolicy<byte[], byte[]> policy() {
    return policy(IDLE_TIMEOUT);
  }

  private static TimestampPolicy<byte[], byte[]> policy(Duration idleTimeout) {
    return new KafkaSources.KafkaTimePolicy(MAX_DELAY, idleTimeout)
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
        "lxp.public.learners",
        2,
        7,
        kafkaTime.getMillis(),
        KafkaTimestampType.CREATE_TIME,
        null,
        KV.of(new byte[0], new byte[0]));
  }

  private static Instant later(Duration by) {
    return NOW.plus(by);
  }

  @Test
  void aPartitionWithABacklogHoldsAtItsNewestRecord() {
    TimestampPolicy<byte[], byte[]> policy = policy();

    assertEquals(OLD, policy.getTimestampForRecord(backlog(40, NOW), record(OLD)));
    assertEquals(OLD.minus(MAX_DELAY), policy.getWatermark(backlog(40, later(IDLE_TIMEOUT))));
  }

  /**
   * The end of a catch-up: the last record is late the moment it is read (nothing holds the
   * watermark for it), so the partition keeps its Kafka time until that record has had the idle
   * timeout to reach the too-late guard.
   */
  @Test
  void aCaughtUpPartitionHoldsForTheIdleTimeoutThenFollowsTheClock() {
    TimestampPolicy<byte[], byte[]> policy = policy();
    policy.getTimestampForRecord(backlog(0, NOW), record(OLD));

    assertEquals(OLD.minus(MAX_DELAY), policy.getWatermark(backlog(0, NOW)));
    assertEquals(
        OLD.minus(MAX_DELAY), policy.getWatermark(backlog(0, later(IDLE_TIMEOUT.minus(1)))));
    assertEquals(
        later(IDLE_TIMEOUT).minus(MAX_DELAY), policy.getWatermark(backlog(0, later(IDLE_TIMEOUT))));
  }

  @Test
  void eachRecordRestartsTheIdleTimeout() {
    TimestampPolicy<byte[], byte[]> policy = policy();
    policy.getTimestampForRecord(backlog(0, NOW), record(OLD));
    Instant next = later(Duration.standardSeconds(8));
    policy.getTimestampForRecord(backlog(0, next), record(OLD.plus(1000)));

    assertEquals(
        OLD.plus(1000).minus(MAX_DELAY), policy.getWatermark(backlog(0, later(IDLE_TIMEOUT))));
    assertEquals(
        next.plus(IDLE_TIMEOUT).minus(MAX_DELAY),
        policy.getWatermark(backlog(0, next.plus(IDLE_TIMEOUT))));
  }

  /** The pitfall the issue names: an empty partition must not hold the watermark for ever. */
  @Test
  void anEmptyPartitionFollowsTheClockAnIdleTimeoutAfterItsFirstCheck() {
    TimestampPolicy<byte[], byte[]> policy = policy();

    assertEquals(BoundedWindow.TIMESTAMP_MIN_VALUE, policy.getWatermark(backlog(0, NOW)));
    assertEquals(
        later(IDLE_TIMEOUT).minus(MAX_DELAY), policy.getWatermark(backlog(0, later(IDLE_TIMEOUT))));
  }

  /** The reference reads: the first snapshot waits on their watermark. */
  @Test
  void withNoIdleTimeoutAnEmptyPartitionFollowsTheClockAtOnce() {
    assertEquals(NOW.minus(MAX_DELAY), policy(Duration.ZERO).getWatermark(backlog(0, NOW)));
  }

  @Test
  void nothingIsKnownBeforeTheBacklogIs() {
    TimestampPolicy<byte[], byte[]> policy = policy(Duration.ZERO);

    assertEquals(BoundedWindow.TIMESTAMP_MIN_VALUE, policy.getWatermark(backlog(UNKNOWN, NOW)));
    // KafkaIO's reader reports MIN as the check time until it has fetched the end offsets
    assertEquals(
        BoundedWindow.TIMESTAMP_MIN_VALUE,
        policy.getWatermark(backlog(0, BoundedWindow.TIMESTAMP_MIN_VALUE)));
  }

  @Test
  void aRestoredPartitionStartsFromItsCheckpointedWatermark() {
    TimestampPolicy<byte[], byte[]> policy =
        new KafkaSources.KafkaTimePolicy(MAX_DELAY, IDLE_TIMEOUT)
            .createTimestampPolicy(new TopicPartition("lxp.public.learners", 2), Optional.of(OLD));

    assertEquals(OLD, policy.getWatermark(backlog(3, NOW)));
  }

  @Test
  void theWatermarkNeverGoesBack() {
    TimestampPolicy<byte[], byte[]> policy = policy(Duration.ZERO);
    policy.getTimestampForRecord(backlog(0, NOW), record(OLD));
    policy.getWatermark(backlog(0, NOW));
    // a record written with an older timestamp after the partition went idle
    policy.getTimestampForRecord(backlog(0, NOW), record(NOW.minus(Duration.standardMinutes(1))));

    assertEquals(NOW.minus(MAX_DELAY), policy.getWatermark(backlog(1, NOW)));
  }

  /** Issue 13: a CreateTime beyond Beam's range used to fail the read and stall the partition. */
  @Test
  void aKafkaTimeOutsideBeamsRangeMovesNothing() {
    TimestampPolicy<byte[], byte[]> policy = policy();
    policy.getTimestampForRecord(backlog(40, NOW), record(OLD));
    KafkaRecord<byte[], byte[]> farFuture =
        new KafkaRecord<>(
            "lxp.public.learners",
            2,
            8,
            9223372030000000000L,
            KafkaTimestampType.CREATE_TIME,
            null,
            KV.of(new byte[0], new byte[0]));

    assertEquals(OLD.minus(MAX_DELAY), policy.getTimestampForRecord(backlog(40, NOW), farFuture));
    assertEquals(OLD.minus(MAX_DELAY), policy.getWatermark(backlog(40, later(IDLE_TIMEOUT))));
  }
}
