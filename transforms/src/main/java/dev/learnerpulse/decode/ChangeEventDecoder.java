package dev.learnerpulse.decode;

import static java.util.Objects.requireNonNull;

import dev.learnerpulse.decode.registry.SchemaRegistryException;
import dev.learnerpulse.decode.registry.SchemaSource;
import dev.learnerpulse.model.ChangeEnvelope;
import dev.learnerpulse.model.InvalidRecordException;
import dev.learnerpulse.model.SourceRecord;
import dev.learnerpulse.model.SourceTable;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Decodes a record with the decoder its table's {@link ValueFormat} calls for: {@link
 * DebeziumJsonDecoder}, {@link AvroChangeDecoder}, or for {@code AUTO} the one the first byte
 * points to. The per-record work of {@link DecodeChangeEvents}.
 *
 * <p>Not thread-safe: one instance per DoFn instance.
 */
public final class ChangeEventDecoder {
  private final ValueFormats formats;
  private final DebeziumJsonDecoder json = new DebeziumJsonDecoder();
  private final @Nullable AvroChangeDecoder avro;

  private ChangeEventDecoder(ValueFormats formats, @Nullable SchemaSource schemas) {
    this.formats = requireNonNull(formats, "formats");
    if (formats.needsRegistry() && schemas == null) {
      throw new IllegalArgumentException(
          "value formats " + formats + " include Avro, which needs a Schema Registry");
    }
    this.avro = schemas == null ? null : new AvroChangeDecoder(schemas);
  }

  /** JSON only. */
  public static ChangeEventDecoder json() {
    return new ChangeEventDecoder(ValueFormats.json(), null);
  }

  /** {@code formats}, with writer schemas from {@code schemas} for Avro. */
  public static ChangeEventDecoder of(ValueFormats formats, SchemaSource schemas) {
    return new ChangeEventDecoder(formats, requireNonNull(schemas, "schemas"));
  }

  public ChangeEnvelope decode(SourceRecord record, SourceTable table)
      throws InvalidRecordException, SchemaRegistryException {
    switch (formats.of(table)) {
      case AVRO:
        return avro.decode(record, table);
      case AUTO:
        return AvroChangeDecoder.isWireFormat(record.getValue())
            ? avro.decode(record, table)
            : json.decode(record, table);
      case JSON:
      default:
        return json.decode(record, table);
    }
  }
}
