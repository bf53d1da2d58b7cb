package dev.learnerpulse.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.learnerpulse.model.SourceRecord;
import dev.learnerpulse.model.SourceTable;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.joda.time.Instant;

/**
 * Debezium 3.1 change events as Confluent's AvroConverter writes them, for tests: the Connect
 * schema of {@link ChangeJson}'s events turned into Avro the way Confluent's AvroData does it
 * ({@code Envelope} with {@code before}/{@code after} as {@code ["null", Value]}, optional columns
 * as {@code ["null", T]} with default null, {@code connect.name}/{@code connect.version}/{@code
 * connect.parameters} properties, {@code Decimal} as bytes with logical type {@code decimal},
 * {@code ZonedTimestamp} as string, {@code Timestamp} as long, MongoDB's {@code after} as an {@code
 * io.debezium.data.Json} string), encoded with Avro's {@link GenericDatumWriter} and framed in the
 * Confluent wire format.
 *
 * <pre>{@code
 * DebeziumAvro avro = DebeziumAvro.of(SourceTable.LEARNER_PROGRESS);
 * int id = registry.register(avro.schema());
 * SourceRecord record = avro.record(progress(ADA, SQL_101, "45.50", "in_progress", at(0)), id, 7, at(1));
 * }</pre>
 */
public final class DebeziumAvro {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SourceTable table;
  private final LinkedHashMap<String, JsonNode> columns;
  private final Set<String> required;

  private DebeziumAvro(SourceTable table, Map<String, JsonNode> columns, Set<String> required) {
    this.table = table;
    this.columns = new LinkedHashMap<>(columns);
    this.required = new LinkedHashSet<>(required);
  }

  /** The schema Debezium writes for {@code table}'s columns in the contract. */
  public static DebeziumAvro of(SourceTable table) {
    LinkedHashMap<String, JsonNode> columns = new LinkedHashMap<>();
    switch (table) {
      case LEARNER_PROGRESS:
        columns.put("learner_id", type("string"));
        columns.put("course_id", type("string"));
        columns.put("progress_pct", decimal(2, 5));
        columns.put("status", type("string"));
        columns.put("updated_at", connect("string", "io.debezium.time.ZonedTimestamp"));
        break;
      case COURSE_INTERACTIONS:
        columns.put("interaction_id", type("long"));
        columns.put("learner_id", type("string"));
        columns.put("course_id", type("string"));
        columns.put("kind", type("string"));
        columns.put("duration_ms", type("int"));
        columns.put("occurred_at", connect("long", "io.debezium.time.Timestamp"));
        break;
      case CERTIFICATION_STATE:
        columns.put("learner_id", type("string"));
        columns.put("course_id", type("string"));
        columns.put("state", type("string"));
        columns.put("updated_at", connect("string", "io.debezium.time.ZonedTimestamp"));
        break;
      case COURSES:
        columns.put("course_id", type("string"));
        columns.put("tenant_id", type("string"));
        columns.put("title", type("string"));
        columns.put("passing_score_pct", decimal(2, 5));
        columns.put("module_count", type("int"));
        break;
      case LEARNERS:
        columns.put("learner_id", type("string"));
        columns.put("tenant_id", type("string"));
        columns.put("cohort_id", type("string"));
        columns.put("country", type("string"));
        break;
      case ASSESSMENT_EVENTS:
      default:
        break;
    }
    return new DebeziumAvro(table, columns, new LinkedHashSet<>(table.primaryKey()));
  }

  /**
   * This schema with one more optional column, of an Avro type given as JSON ({@code "string"}).
   */
  public DebeziumAvro withOptionalColumn(String name, String avroType) {
    DebeziumAvro copy = new DebeziumAvro(table, columns, required);
    try {
      copy.columns.put(name, JSON.readTree(avroType));
    } catch (IOException e) {
      throw new IllegalArgumentException(avroType, e);
    }
    return copy;
  }

  public DebeziumAvro withoutColumn(String name) {
    DebeziumAvro copy = new DebeziumAvro(table, columns, required);
    copy.columns.remove(name);
    copy.required.remove(name);
    return copy;
  }

  public SourceTable table() {
    return table;
  }

  public Schema schema() {
    return new Schema.Parser().parse(schemaJson().toString());
  }

  /**
   * {@code change} as a record of its table's default topic, in the wire format with {@code
   * schemaId}.
   */
  public SourceRecord record(ChangeJson change, int schemaId, long offset, Instant kafkaTimestamp) {
    return SourceRecord.create(
        table.defaultTopic(),
        0,
        offset,
        kafkaTimestamp,
        change.key().getBytes(StandardCharsets.UTF_8),
        value(change, schemaId));
  }

  /** {@code change} in the Confluent wire format: 0, the schema id big-endian, Avro binary. */
  public byte[] value(ChangeJson change, int schemaId) {
    Schema schema = schema();
    return wire(schemaId, schema, envelope(change, schema));
  }

  public static byte[] wire(int schemaId, Schema schema, Object datum) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.write(0);
      out.write(ByteBuffer.allocate(4).putInt(schemaId).array());
      BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
      new GenericDatumWriter<>(schema).write(datum, encoder);
      encoder.flush();
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The envelope datum of {@code change} under {@code schema}. */
  public GenericRecord envelope(ChangeJson change, Schema schema) {
    Object after = table == SourceTable.ASSESSMENT_EVENTS ? change.extendedJson() : change.after();
    return envelope(change.opCode(), change.source(), change.envelopeTsMs(), after, schema);
  }

  /**
   * An envelope datum from its parts: {@code source} as Debezium's JSON source block, {@code after}
   * the row as Java values by column ({@link BigDecimal}, {@link Instant} or ISO text, numbers,
   * strings), a MongoDB Extended JSON string, or null.
   */
  public GenericRecord envelope(
      String op, ObjectNode source, long tsMs, Object after, Schema schema) {
    GenericRecord envelope = new GenericData.Record(schema);
    Object afterValue = after;
    if (after instanceof Map) {
      Schema valueSchema = nonNull(schema.getField("after").schema());
      GenericRecord row = new GenericData.Record(valueSchema);
      for (Schema.Field column : valueSchema.getFields()) {
        row.put(
            column.name(),
            column(((Map<?, ?>) after).get(column.name()), nonNull(column.schema())));
      }
      afterValue = row;
    }
    envelope.put("before", null);
    envelope.put("after", afterValue);
    envelope.put("source", fill(schema.getField("source").schema(), source));
    envelope.put("transaction", null);
    envelope.put("op", op);
    envelope.put("ts_ms", tsMs);
    if (schema.getField("updateDescription") != null) {
      envelope.put("updateDescription", null);
    }
    return envelope;
  }

  private static Object column(Object value, Schema type) {
    if (value == null) {
      return null;
    }
    switch (type.getType()) {
      case BYTES:
        {
          int scale = (Integer) type.getObjectProp("scale");
          BigDecimal decimal =
              value instanceof BigDecimal ? (BigDecimal) value : new BigDecimal(value.toString());
          return ByteBuffer.wrap(
              decimal.setScale(scale, RoundingMode.UNNECESSARY).unscaledValue().toByteArray());
        }
      case LONG:
        if (value instanceof Instant) {
          long millis = ((Instant) value).getMillis();
          return "io.debezium.time.MicroTimestamp".equals(type.getProp("connect.name"))
              ? millis * 1000
              : millis;
        }
        return ((Number) value).longValue();
      case INT:
        return ((Number) value).intValue();
      case DOUBLE:
        return ((Number) value).doubleValue();
      case BOOLEAN:
        return value;
      case STRING:
        if (value instanceof Instant) {
          return ChangeJson.ZONED.format(
              java.time.Instant.ofEpochMilli(((Instant) value).getMillis()));
        }
        if (value instanceof String) {
          return value;
        }
        throw new IllegalArgumentException(
            value + " cannot be an Avro string: Avro would refuse it");
      default:
        throw new IllegalArgumentException("no column of type " + type);
    }
  }

  /** A record of {@code schema} filled by name from JSON (the source block). */
  private static GenericRecord fill(Schema schema, ObjectNode json) {
    GenericRecord record = new GenericData.Record(schema);
    for (Schema.Field field : schema.getFields()) {
      JsonNode value = json.get(field.name());
      Schema type = nonNull(field.schema());
      if (value == null || value.isNull()) {
        record.put(
            field.name(),
            field.hasDefaultValue() ? GenericData.get().getDefaultValue(field) : null);
      } else if (type.getType() == Schema.Type.LONG) {
        record.put(field.name(), value.longValue());
      } else if (type.getType() == Schema.Type.INT) {
        record.put(field.name(), value.intValue());
      } else {
        record.put(field.name(), value.asText());
      }
    }
    return record;
  }

  private static Schema nonNull(Schema schema) {
    if (schema.getType() != Schema.Type.UNION) {
      return schema;
    }
    for (Schema type : schema.getTypes()) {
      if (type.getType() != Schema.Type.NULL) {
        return type;
      }
    }
    throw new IllegalArgumentException(schema.toString());
  }

  // ---- The schema, as Confluent's AvroData renders Debezium's Connect schema.

  private ObjectNode schemaJson() {
    String topic = table.defaultTopic();
    ObjectNode envelope = JSON.createObjectNode();
    envelope.put("type", "record");
    envelope.put("name", "Envelope");
    envelope.put("namespace", topic);
    ArrayNode fields = envelope.putArray("fields");
    if (table == SourceTable.ASSESSMENT_EVENTS) {
      fields.add(optional("before", connect("string", "io.debezium.data.Json")));
      fields.add(optional("after", connect("string", "io.debezium.data.Json")));
      fields.add(optional("updateDescription", updateDescription()));
    } else {
      ObjectNode value = JSON.createObjectNode();
      value.put("type", "record");
      value.put("name", "Value");
      ArrayNode columnFields = value.putArray("fields");
      for (Map.Entry<String, JsonNode> column : columns.entrySet()) {
        columnFields.add(
            required.contains(column.getKey())
                ? field(column.getKey(), column.getValue())
                : optional(column.getKey(), column.getValue()));
      }
      value.put("connect.name", topic + ".Value");
      fields.add(optional("before", value));
      fields.add(optional("after", JSON.getNodeFactory().textNode("Value")));
    }
    fields.add(field("source", source()));
    fields.add(optional("transaction", transaction()));
    fields.add(field("op", type("string")));
    fields.add(optional("ts_ms", type("long")));
    fields.add(optional("ts_us", type("long")));
    fields.add(optional("ts_ns", type("long")));
    envelope.put("connect.version", 2);
    envelope.put("connect.name", topic + ".Envelope");
    return envelope;
  }

  private ObjectNode source() {
    String connector;
    List<ObjectNode> specific;
    switch (table) {
      case COURSE_INTERACTIONS:
        connector = "mysql";
        specific =
            List.of(
                optional("table", type("string")),
                field("server_id", type("long")),
                optional("gtid", type("string")),
                field("file", type("string")),
                field("pos", type("long")),
                field("row", type("int")),
                optional("thread", type("long")),
                optional("query", type("string")));
        break;
      case ASSESSMENT_EVENTS:
        connector = "mongodb";
        specific =
            List.of(
                field("collection", type("string")),
                field("ord", type("int")),
                optional("lsid", type("string")),
                optional("txnNumber", type("long")),
                optional("wallTime", type("long")));
        break;
      default:
        connector = "postgresql";
        specific =
            List.of(
                field("schema", type("string")),
                field("table", type("string")),
                optional("txId", type("long")),
                optional("lsn", type("long")),
                optional("xmin", type("long")));
    }
    ObjectNode source = JSON.createObjectNode();
    source.put("type", "record");
    source.put("name", "Source");
    source.put("namespace", "io.debezium.connector." + connector);
    ArrayNode fields = source.putArray("fields");
    fields.add(field("version", type("string")));
    fields.add(field("connector", type("string")));
    fields.add(field("name", type("string")));
    fields.add(field("ts_ms", type("long")));
    ObjectNode snapshotType = connect("string", "io.debezium.data.Enum");
    snapshotType
        .putObject("connect.parameters")
        .put(
            "allowed",
            "true,first,first_in_data_collection,last_in_data_collection,last,false,incremental");
    snapshotType.put("connect.default", "false");
    ObjectNode snapshot = JSON.createObjectNode();
    snapshot.put("name", "snapshot");
    snapshot.putArray("type").add(snapshotType).add("null");
    snapshot.put("default", "false");
    fields.add(snapshot);
    fields.add(field("db", type("string")));
    fields.add(optional("sequence", type("string")));
    fields.add(optional("ts_us", type("long")));
    fields.add(optional("ts_ns", type("long")));
    specific.forEach(fields::add);
    source.put("connect.name", "io.debezium.connector." + connector + ".Source");
    return source;
  }

  private static ObjectNode transaction() {
    ObjectNode block = JSON.createObjectNode();
    block.put("type", "record");
    block.put("name", "block");
    block.put("namespace", "event");
    block
        .putArray("fields")
        .add(field("id", type("string")))
        .add(field("total_order", type("long")))
        .add(field("data_collection_order", type("long")));
    block.put("connect.version", 1);
    block.put("connect.name", "event.block");
    return block;
  }

  private static ObjectNode updateDescription() {
    ObjectNode truncated = JSON.createObjectNode();
    truncated.put("type", "record");
    truncated.put("name", "truncatedArray");
    truncated
        .putArray("fields")
        .add(field("field", type("string")))
        .add(field("size", type("int")));
    ObjectNode truncatedArrays = JSON.createObjectNode().put("type", "array");
    truncatedArrays.set("items", truncated);
    ObjectNode removed = JSON.createObjectNode().put("type", "array").put("items", "string");
    ObjectNode description = JSON.createObjectNode();
    description.put("type", "record");
    description.put("name", "UpdateDescription");
    description.put("namespace", "io.debezium.connector.mongodb.changestream");
    description
        .putArray("fields")
        .add(optional("removedFields", removed))
        .add(optional("updatedFields", connect("string", "io.debezium.data.Json")))
        .add(optional("truncatedArrays", truncatedArrays));
    description.put("connect.name", "io.debezium.connector.mongodb.changestream.UpdateDescription");
    return description;
  }

  private static ObjectNode field(String name, JsonNode type) {
    ObjectNode field = JSON.createObjectNode();
    field.put("name", name);
    field.set("type", type);
    return field;
  }

  private static ObjectNode optional(String name, JsonNode type) {
    ObjectNode field = JSON.createObjectNode();
    field.put("name", name);
    field.putArray("type").add("null").add(type);
    field.putNull("default");
    return field;
  }

  private static JsonNode type(String primitive) {
    return JSON.getNodeFactory().textNode(primitive);
  }

  static ObjectNode connect(String type, String connectName) {
    ObjectNode node = JSON.createObjectNode();
    node.put("type", type);
    node.put("connect.version", 1);
    node.put("connect.name", connectName);
    return node;
  }

  private static ObjectNode decimal(int scale, int precision) {
    ObjectNode node = JSON.createObjectNode();
    node.put("type", "bytes");
    node.put("scale", scale);
    node.put("precision", precision);
    node.put("connect.version", 1);
    node.putObject("connect.parameters")
        .put("scale", Integer.toString(scale))
        .put("connect.decimal.precision", Integer.toString(precision));
    node.put("connect.name", "org.apache.kafka.connect.data.Decimal");
    node.put("logicalType", "decimal");
    return node;
  }
}
