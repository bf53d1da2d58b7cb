package dev.learnerpulse.archive;

import dev.learnerpulse.model.SourceRecord;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * The record of the raw change archive: one Kafka record exactly as the streaming job read it,
 * before any decoding (topic, partition, offset, Kafka timestamp and its type, key and value bytes,
 * headers in order). An Avro record, so the archive is self-describing Avro container files that
 * any Avro reader (BigQuery external tables, Spark, {@code avro-tools}) opens.
 */
public final class RawRecords {
  static final Schema HEADER =
      SchemaBuilder.record("Header")
          .namespace("dev.learnerpulse.archive")
          .fields()
          .requiredString("key")
          .optionalBytes("value")
          .endRecord();

  public static final Schema SCHEMA =
      SchemaBuilder.record("KafkaRecord")
          .namespace("dev.learnerpulse.archive")
          .doc("One Kafka record of a change topic, unchanged, as Learner Pulse read it")
          .fields()
          .requiredString("topic")
          .requiredInt("partition")
          .requiredLong("offset")
          .name("timestamp")
          .doc("Kafka timestamp, milliseconds since the epoch")
          .type()
          .longType()
          .noDefault()
          .name("timestamp_type")
          .doc("CreateTime or LogAppendTime")
          .type()
          .stringType()
          .noDefault()
          .optionalBytes("key")
          .optionalBytes("value")
          .name("headers")
          .type()
          .array()
          .items(HEADER)
          .noDefault()
          .endRecord();

  private RawRecords() {}

  /** One header; a Kafka header may repeat a key and may have no value. */
  public static GenericRecord header(String key, byte @Nullable [] value) {
    GenericRecord header = new GenericData.Record(HEADER);
    header.put("key", key);
    header.put("value", wrap(value));
    return header;
  }

  public static GenericRecord record(
      String topic,
      int partition,
      long offset,
      long timestampMillis,
      String timestampType,
      byte @Nullable [] key,
      byte @Nullable [] value,
      List<GenericRecord> headers) {
    GenericRecord record = new GenericData.Record(SCHEMA);
    record.put("topic", topic);
    record.put("partition", partition);
    record.put("offset", offset);
    record.put("timestamp", timestampMillis);
    record.put("timestamp_type", timestampType);
    record.put("key", wrap(key));
    record.put("value", wrap(value));
    record.put("headers", new GenericData.Array<>(SCHEMA.getField("headers").schema(), headers));
    return record;
  }

  /** The record's Kafka timestamp in milliseconds: what the archive is partitioned by. */
  public static long timestampMillis(GenericRecord record) {
    return (Long) record.get("timestamp");
  }

  /** The record as the job's decoding takes it: the same as a dump line of it gives. */
  public static SourceRecord toSourceRecord(GenericRecord record) {
    return SourceRecord.create(
        record.get("topic").toString(),
        (Integer) record.get("partition"),
        (Long) record.get("offset"),
        new Instant(timestampMillis(record)),
        bytes(record.get("key")),
        bytes(record.get("value")));
  }

  /** The bytes of an Avro {@code bytes} value; null for null. */
  public static byte @Nullable [] bytes(@Nullable Object value) {
    if (value == null) {
      return null;
    }
    ByteBuffer buffer = ((ByteBuffer) value).duplicate();
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    return bytes;
  }

  private static @Nullable ByteBuffer wrap(byte @Nullable [] bytes) {
    return bytes == null ? null : ByteBuffer.wrap(bytes);
  }
}
