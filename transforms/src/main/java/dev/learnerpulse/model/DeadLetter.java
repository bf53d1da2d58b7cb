package dev.learnerpulse.model;

import com.google.auto.value.AutoValue;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaCreate;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * A record that could not be used, kept whole: where it was, its key and raw value, why it was
 * refused and when. Every failure of every step becomes this one type, so there is one dead-letter
 * path and one sink schema.
 */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class DeadLetter {
  /** How {@link #getValue()} and {@link #getKey()} hold the raw bytes. */
  public enum Encoding {
    /** The bytes were valid UTF-8 without control characters and are kept as text. */
    TEXT,
    /** The bytes were binary (Avro, or not UTF-8) and are kept as base64. */
    BASE64
  }

  public abstract String getTopic();

  public abstract int getPartition();

  public abstract long getOffset();

  public abstract Instant getKafkaTimestamp();

  public abstract @Nullable String getKey();

  /** The raw value, as text or base64 per {@link #getValueEncoding()}; null for a tombstone. */
  public abstract @Nullable String getValue();

  public abstract Encoding getValueEncoding();

  public abstract ReasonCode getReason();

  /** What exactly was wrong, for a person: the field, the value, the expectation. */
  public abstract String getDetail();

  /** When Learner Pulse refused the record (processing time). */
  public abstract Instant getSeenAt();

  @SchemaCreate
  public static DeadLetter create(
      String topic,
      int partition,
      long offset,
      Instant kafkaTimestamp,
      @Nullable String key,
      @Nullable String value,
      Encoding valueEncoding,
      ReasonCode reason,
      String detail,
      Instant seenAt) {
    return new AutoValue_DeadLetter(
        topic,
        partition,
        offset,
        kafkaTimestamp,
        key,
        value,
        valueEncoding,
        reason,
        detail,
        seenAt);
  }

  /** The dead letter of a source record, keeping its key and value as they arrived. */
  public static DeadLetter of(
      SourceRecord record, ReasonCode reason, String detail, Instant seenAt) {
    byte[] value = record.getValue();
    boolean text = value == null || isUtf8(value);
    return create(
        record.getTopic(),
        record.getPartition(),
        record.getOffset(),
        record.getTimestamp(),
        encode(record.getKey()),
        value == null ? null : text ? new String(value, StandardCharsets.UTF_8) : base64(value),
        text ? Encoding.TEXT : Encoding.BASE64,
        reason,
        detail,
        seenAt);
  }

  /** The raw value bytes, decoded back from text or base64. */
  public byte @Nullable [] valueBytes() {
    String value = getValue();
    if (value == null) {
      return null;
    }
    return getValueEncoding() == Encoding.BASE64
        ? Base64.getDecoder().decode(value)
        : value.getBytes(StandardCharsets.UTF_8);
  }

  /** A key is kept as text when it is UTF-8 and as {@code base64:...} otherwise. */
  private static @Nullable String encode(byte @Nullable [] key) {
    if (key == null) {
      return null;
    }
    return isUtf8(key) ? new String(key, StandardCharsets.UTF_8) : "base64:" + base64(key);
  }

  private static String base64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  /** See {@link Utf8Text#isText}: Avro's bytes are binary even when they are valid UTF-8. */
  private static boolean isUtf8(byte[] bytes) {
    return Utf8Text.isText(bytes);
  }
}
