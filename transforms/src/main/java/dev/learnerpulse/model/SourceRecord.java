package dev.learnerpulse.model;

import com.google.auto.value.AutoValue;
import java.nio.charset.StandardCharsets;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaCreate;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * One Kafka record as Learner Pulse receives it, whether from a live topic or an archived dump: the
 * input of decoding, and what a dead letter keeps of a bad record.
 */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class SourceRecord {

  public abstract String getTopic();

  public abstract int getPartition();

  public abstract long getOffset();

  /** The record's Kafka timestamp (create or log-append time). */
  public abstract Instant getTimestamp();

  @SuppressWarnings("mutable")
  public abstract byte @Nullable [] getKey();

  /** The record value; null for a tombstone. */
  @SuppressWarnings("mutable")
  public abstract byte @Nullable [] getValue();

  @SchemaCreate
  public static SourceRecord create(
      String topic,
      int partition,
      long offset,
      Instant timestamp,
      byte @Nullable [] key,
      byte @Nullable [] value) {
    return new AutoValue_SourceRecord(topic, partition, offset, timestamp, key, value);
  }

  /** A record with text key and value, as archived dumps and tests carry them. */
  public static SourceRecord ofText(
      String topic,
      int partition,
      long offset,
      Instant timestamp,
      @Nullable String key,
      @Nullable String value) {
    return create(topic, partition, offset, timestamp, utf8(key), utf8(value));
  }

  private static byte @Nullable [] utf8(@Nullable String text) {
    return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
  }

  /** Topic, partition and offset: where to find this record again. */
  public String position() {
    return getTopic() + "/" + getPartition() + "@" + getOffset();
  }
}
