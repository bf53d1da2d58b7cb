package dev.learnerpulse.decode;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.learnerpulse.decode.registry.SchemaLookup;
import dev.learnerpulse.decode.registry.SchemaRegistryException;
import dev.learnerpulse.decode.registry.SchemaSource;
import dev.learnerpulse.model.ChangeEnvelope;
import dev.learnerpulse.model.InvalidRecordException;
import dev.learnerpulse.model.ReasonCode;
import dev.learnerpulse.model.SourceRecord;
import dev.learnerpulse.model.SourceTable;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Decodes Debezium change events written by Confluent's AvroConverter: the Confluent wire format
 * (magic byte 0, the writer schema's id as a 4-byte big-endian int, then Avro binary), the writer
 * schema fetched by id from a {@link SchemaSource}. The result is the same {@link ChangeEnvelope}
 * {@link DebeziumJsonDecoder} makes of the same change, so validation and everything after it does
 * not know the wire format.
 *
 * <p>The datum is read with Avro's {@link GenericDatumReader} with the writer schema as reader
 * schema, and the envelope's fields ({@code op}, {@code source}, {@code after}) are taken by name,
 * so a topic whose schema evolves (columns added or dropped, each record carrying its own schema
 * id) decodes record by record without any schema of ours to keep in step.
 *
 * <p>Outcomes: a value that is not in the wire format or not a datum of its schema is {@code
 * MALFORMED}; an id the registry does not know is {@code UNKNOWN_SCHEMA}; a registry that cannot
 * answer is a {@link SchemaRegistryException}, which is not the record's fault and must not make it
 * a dead letter.
 *
 * <p>Not thread-safe: one instance per DoFn instance.
 */
public final class AvroChangeDecoder {
  /** The first byte of every value in the Confluent wire format. */
  public static final byte MAGIC_BYTE = 0;

  /** Magic byte and schema id. */
  public static final int HEADER_LENGTH = 5;

  private static final int READER_CACHE_SIZE = 256;

  private final SchemaSource schemas;
  private final Map<Integer, GenericDatumReader<Object>> readers =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, GenericDatumReader<Object>> eldest) {
          return size() > READER_CACHE_SIZE;
        }
      };
  private @Nullable BinaryDecoder decoder;

  public AvroChangeDecoder(SchemaSource schemas) {
    this.schemas = requireNonNull(schemas, "schemas");
  }

  /** Whether {@code value} starts like the Confluent wire format (the magic byte 0). */
  public static boolean isWireFormat(byte @Nullable [] value) {
    return value != null && value.length > 0 && value[0] == MAGIC_BYTE;
  }

  /** The schema id of a value in the wire format. */
  public static int schemaId(byte[] value) {
    return ((value[1] & 0xff) << 24)
        | ((value[2] & 0xff) << 16)
        | ((value[3] & 0xff) << 8)
        | (value[4] & 0xff);
  }

  /** Decodes a record of {@code table}; a null value is a tombstone. */
  public ChangeEnvelope decode(SourceRecord record, SourceTable table)
      throws InvalidRecordException, SchemaRegistryException {
    byte[] value = record.getValue();
    if (value == null) {
      return ChangeEnvelope.tombstone(record, table);
    }
    if (value.length == 0) {
      throw new InvalidRecordException(ReasonCode.MALFORMED, "empty value (not a tombstone)");
    }
    if (value[0] != MAGIC_BYTE) {
      throw new InvalidRecordException(
          ReasonCode.MALFORMED,
          String.format(
              "not in the Confluent wire format: first byte 0x%02x, not the magic byte 0",
              value[0] & 0xff));
    }
    if (value.length < HEADER_LENGTH) {
      throw new InvalidRecordException(
          ReasonCode.MALFORMED,
          value.length + " bytes, shorter than the 5-byte Confluent wire format header");
    }
    int id = schemaId(value);
    GenericDatumReader<Object> reader = reader(id);
    Schema schema = reader.getSchema();
    AvroDatumCheck.check(schema, value, HEADER_LENGTH, decoder);
    Object datum;
    try {
      decoder =
          DecoderFactory.get()
              .binaryDecoder(value, HEADER_LENGTH, value.length - HEADER_LENGTH, decoder);
      datum = reader.read(null, decoder);
    } catch (IOException | AvroRuntimeException e) {
      throw new InvalidRecordException(
          ReasonCode.MALFORMED, "not decodable with schema id " + id + ": " + e.getMessage());
    }
    if (!(datum instanceof GenericRecord)) {
      throw new InvalidRecordException(
          ReasonCode.NOT_AN_ENVELOPE,
          "schema id " + id + " is " + schema.getType().getName() + ", not an envelope record");
    }
    GenericRecord envelope = (GenericRecord) datum;
    return Envelopes.create(
        record,
        table,
        field(envelope, "op"),
        field(envelope, "source"),
        () -> field(envelope, "after"));
  }

  private GenericDatumReader<Object> reader(int id)
      throws InvalidRecordException, SchemaRegistryException {
    GenericDatumReader<Object> reader = readers.get(id);
    if (reader != null) {
      return reader;
    }
    SchemaLookup lookup = schemas.lookup(id);
    switch (lookup.status()) {
      case FOUND:
        reader = new GenericDatumReader<>(lookup.schema(), lookup.schema());
        readers.put(id, reader);
        return reader;
      case UNKNOWN:
        throw new InvalidRecordException(ReasonCode.UNKNOWN_SCHEMA, lookup.detail());
      default:
        throw new InvalidRecordException(ReasonCode.MALFORMED, lookup.detail());
    }
  }

  /** An envelope field by name, as JSON; null when the schema has no such field. */
  private static @Nullable JsonNode field(GenericRecord envelope, String name)
      throws InvalidRecordException {
    Schema.Field field = envelope.getSchema().getField(name);
    if (field == null) {
      return null;
    }
    Object value = envelope.get(field.pos());
    if (value instanceof CharSequence) {
      return TextNode.valueOf(value.toString());
    }
    return AvroValues.toJson(value, field.schema());
  }
}
