package dev.learnerpulse.decode;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.learnerpulse.model.ChangeEnvelope;
import dev.learnerpulse.model.InvalidRecordException;
import dev.learnerpulse.model.ReasonCode;
import dev.learnerpulse.model.RowJson;
import dev.learnerpulse.model.SourceRecord;
import dev.learnerpulse.model.SourceTable;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Decodes Debezium change events written by Kafka Connect's JsonConverter, with {@code
 * schemas.enable} on ({@code {"schema":…,"payload":…}}) or off (the payload alone), into {@link
 * ChangeEnvelope}s whose rows are plain JSON: {@code numeric} columns in any {@code
 * decimal.handling.mode} become numbers, MongoDB's Extended JSON documents become plain objects,
 * and micro/nano timestamps become epoch milliseconds.
 *
 * <p>The envelope is read with Jackson's streaming parser: the {@code schema} block, often larger
 * than the data, is skipped and only parsed the first time its exact text is seen (the schema of a
 * topic rarely changes), which keeps decoding well below the cost of a full tree parse. A value
 * that starts with the same schema bytes as the table's previous one is not even tokenized there:
 * only the fields after it are parsed.
 *
 * <p>Not thread-safe: one instance per DoFn instance.
 */
public final class DebeziumJsonDecoder {
  private static final ObjectMapper JSON = RowJson.reader();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final int SCHEMA_CACHE_SIZE = 64;

  private final Map<String, Map<String, FieldSchema>> schemaCache =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Map<String, FieldSchema>> eldest) {
          return size() > SCHEMA_CACHE_SIZE;
        }
      };

  private final Map<SourceTable, KnownSchema> knownSchemas = new EnumMap<>(SourceTable.class);

  /** What Kafka Connect's schema says of one column of the row: its logical type and scale. */
  static final class FieldSchema {
    final @Nullable String name;
    final @Nullable Integer scale;

    FieldSchema(@Nullable String name, @Nullable Integer scale) {
      this.name = name;
      this.scale = scale;
    }
  }

  /** Decodes a record of {@code table}; a null value is a tombstone. */
  public ChangeEnvelope decode(SourceRecord record, SourceTable table)
      throws InvalidRecordException {
    byte[] value = record.getValue();
    if (value == null) {
      return ChangeEnvelope.tombstone(record, table);
    }
    if (value.length == 0) {
      throw new InvalidRecordException(ReasonCode.MALFORMED, "empty value (not a tombstone)");
    }
    Parsed parsed = null;
    KnownSchema known = knownSchemas.get(table);
    if (known != null && known.leads(value)) {
      try {
        parsed = parse(known.payloadOnly(value), table, known.text);
      } catch (IOException e) {
        // Left to the full parse below, which reports it exactly as for any other record.
      }
    }
    if (parsed == null) {
      try {
        parsed = parse(value, table, null);
      } catch (JsonProcessingException e) {
        throw new InvalidRecordException(
            ReasonCode.MALFORMED, "not valid JSON: " + e.getOriginalMessage());
      } catch (IOException e) {
        throw new InvalidRecordException(ReasonCode.MALFORMED, "unreadable value: " + e);
      }
    }
    JsonNode payload = parsed.payload;
    Map<String, FieldSchema> rowSchema = parsed.rowSchema;
    if (payload.isNull()) {
      // JsonConverter's rendering of a null value with schemas enabled: a tombstone.
      return ChangeEnvelope.tombstone(record, table);
    }
    return envelope(record, table, payload, rowSchema);
  }

  /** The payload of a value and the row schema of its {@code schema} block, if any. */
  private static final class Parsed {
    final JsonNode payload;
    final @Nullable Map<String, FieldSchema> rowSchema;

    Parsed(JsonNode payload, @Nullable Map<String, FieldSchema> rowSchema) {
      this.payload = payload;
      this.rowSchema = rowSchema;
    }
  }

  /**
   * The last {@code schema} block seen on a table, byte for byte, after Jackson has read it whole.
   * JsonConverter writes the schema first and the same for every record of a topic, so a value that
   * starts with exactly these bytes needs only its payload parsed: skipping the block token by
   * token cost more than half of the decoding time.
   */
  private static final class KnownSchema {
    private static final byte[] PREFIX = "{\"schema\":".getBytes(StandardCharsets.UTF_8);

    final byte[] bytes;
    final String text;

    KnownSchema(byte[] bytes, String text) {
      this.bytes = bytes;
      this.text = text;
    }

    /**
     * Whether {@code value} is {@code {"schema":<these bytes>,"…}}: a value that the full parse
     * would read as this schema followed by another field.
     */
    boolean leads(byte[] value) {
      int end = PREFIX.length + bytes.length;
      return value.length > end + 1
          && value[end] == ','
          && value[end + 1] == '"'
          && Arrays.equals(value, 0, PREFIX.length, PREFIX, 0, PREFIX.length)
          && Arrays.equals(value, PREFIX.length, end, bytes, 0, bytes.length);
    }

    /** The value without its schema field: {@code {"…} with the fields after the schema. */
    byte[] payloadOnly(byte[] value) {
      int rest = PREFIX.length + bytes.length + 1;
      byte[] object = new byte[value.length - rest + 1];
      object[0] = '{';
      System.arraycopy(value, rest, object, 1, value.length - rest);
      return object;
    }
  }

  /**
   * Reads the top-level object of {@code value}. With {@code knownSchema}, {@code value} is a
   * {@link KnownSchema#payloadOnly} view and that schema counts as already read.
   */
  private Parsed parse(byte[] value, SourceTable table, @Nullable String knownSchema)
      throws IOException, InvalidRecordException {
    try (JsonParser parser = JSON.createParser(value)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new InvalidRecordException(ReasonCode.MALFORMED, "value is not a JSON object");
      }
      ObjectNode top = NODES.objectNode();
      String schemaText = knownSchema;
      boolean schemaSeen = knownSchema != null;
      JsonNode enveloped = null;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken token = parser.nextToken();
        if (name.equals("schema") && !schemaSeen) {
          schemaSeen = true;
          int start = (int) parser.currentTokenLocation().getByteOffset();
          parser.skipChildren();
          if (token == JsonToken.START_OBJECT) {
            int end = (int) parser.currentLocation().getByteOffset();
            schemaText = new String(value, start, end - start, StandardCharsets.UTF_8);
            knownSchemas.put(
                table, new KnownSchema(Arrays.copyOfRange(value, start, end), schemaText));
          }
        } else if (name.equals("payload") && enveloped == null) {
          enveloped = parser.readValueAsTree();
        } else {
          top.set(name, parser.readValueAsTree());
        }
      }
      if (parser.nextToken() != null) {
        throw new InvalidRecordException(
            ReasonCode.MALFORMED, "trailing data after the JSON value");
      }
      if (enveloped != null && !top.has("op")) {
        return new Parsed(enveloped, schemaText == null ? null : rowSchema(schemaText));
      }
      if (enveloped != null) {
        top.set("payload", enveloped);
      }
      return new Parsed(top, null);
    }
  }

  private static ChangeEnvelope envelope(
      SourceRecord record,
      SourceTable table,
      JsonNode payload,
      @Nullable Map<String, FieldSchema> rowSchema)
      throws InvalidRecordException {
    if (!payload.isObject()) {
      throw new InvalidRecordException(
          ReasonCode.NOT_AN_ENVELOPE, "payload is " + payload.getNodeType() + ", not an object");
    }
    return Envelopes.create(
        record,
        table,
        payload.get("op"),
        payload.get("source"),
        new Envelopes.After() {
          @Override
          public @Nullable JsonNode value() {
            return payload.get("after");
          }

          @Override
          public void normalize(ObjectNode row) throws InvalidRecordException {
            normalizeColumns(table, row, rowSchema);
          }
        });
  }

  /**
   * Replaces Debezium's encodings of decimals and fine-grained timestamps with plain values.
   * Without a schema, a {@code numeric} column's text is either a number (string mode) or base64
   * (precise mode, at the contract's scale).
   */
  private static void normalizeColumns(
      SourceTable table, ObjectNode row, @Nullable Map<String, FieldSchema> rowSchema)
      throws InvalidRecordException {
    if (rowSchema != null) {
      for (Iterator<Map.Entry<String, JsonNode>> it = row.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        FieldSchema schema = rowSchema.get(field.getKey());
        if (schema != null && schema.name != null && !field.getValue().isNull()) {
          field.setValue(normalize(field.getKey(), field.getValue(), schema));
        }
      }
    }
    for (String column : table.decimalFields()) {
      JsonNode value = row.get(column);
      if (value == null) {
        continue;
      }
      BigDecimal text = value.isTextual() ? Decimals.parse(column, value.textValue()) : null;
      if (text != null) {
        row.set(column, DecimalNode.valueOf(text));
      } else if (rowSchema == null && (value.isTextual() || value.isObject())) {
        row.set(column, decimal(column, value, SourceTable.DECIMAL_SCALE));
      }
    }
  }

  private static JsonNode normalize(String column, JsonNode value, FieldSchema schema)
      throws InvalidRecordException {
    switch (schema.name) {
      case "org.apache.kafka.connect.data.Decimal":
        return value.isTextual()
            ? decimal(
                column, value, schema.scale == null ? SourceTable.DECIMAL_SCALE : schema.scale)
            : value;
      case "io.debezium.data.VariableScaleDecimal":
        return decimal(column, value, SourceTable.DECIMAL_SCALE);
      case "io.debezium.time.MicroTimestamp":
        return value.isIntegralNumber() && value.canConvertToLong()
            ? LongNode.valueOf(value.longValue() / 1_000L)
            : value;
      case "io.debezium.time.NanoTimestamp":
        return value.isIntegralNumber() && value.canConvertToLong()
            ? LongNode.valueOf(value.longValue() / 1_000_000L)
            : value;
      default:
        return value;
    }
  }

  /**
   * A precise-mode decimal: base64 of the unscaled big-endian two's-complement integer, or
   * Debezium's {@code {"scale":…,"value":…}} struct for variable-scale columns.
   */
  static JsonNode decimal(String column, JsonNode value, int scale) throws InvalidRecordException {
    String encoded;
    if (value.isObject()
        && value.path("value").isTextual()
        && value.path("scale").canConvertToInt()) {
      encoded = value.get("value").textValue();
      scale = value.get("scale").intValue();
    } else if (value.isTextual()) {
      encoded = value.textValue();
    } else {
      return value;
    }
    return DecimalNode.valueOf(Decimals.fromBase64(column, encoded, scale));
  }

  /** Reads the row's field schemas (the {@code after} struct) from a Connect schema, cached. */
  private Map<String, FieldSchema> rowSchema(String schemaText) throws InvalidRecordException {
    Map<String, FieldSchema> cached = schemaCache.get(schemaText);
    if (cached != null) {
      return cached;
    }
    Map<String, FieldSchema> fields = new HashMap<>();
    try {
      JsonNode schema = JSON.readTree(schemaText);
      for (JsonNode envelopeField : schema.path("fields")) {
        if ("after".equals(envelopeField.path("field").asText())) {
          for (JsonNode column : envelopeField.path("fields")) {
            JsonNode scale = column.path("parameters").path("scale");
            fields.put(
                column.path("field").asText(),
                new FieldSchema(
                    column.hasNonNull("name") ? column.get("name").asText() : null,
                    scale.isMissingNode() ? null : parseScale(scale)));
          }
        }
      }
    } catch (JsonProcessingException e) {
      throw new InvalidRecordException(ReasonCode.MALFORMED, "unreadable schema block");
    }
    schemaCache.put(schemaText, fields);
    return fields;
  }

  private static @Nullable Integer parseScale(JsonNode scale) {
    try {
      return scale.isNumber() ? scale.intValue() : Integer.valueOf(scale.asText());
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
