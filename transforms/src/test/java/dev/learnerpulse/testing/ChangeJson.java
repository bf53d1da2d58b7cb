package dev.learnerpulse.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.learnerpulse.model.SourceRecord;
import dev.learnerpulse.model.SourceTable;
import java.math.BigDecimal;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.joda.time.Instant;

/**
 * Debezium change events shaped as Debezium 3.1 writes them through Kafka Connect's JsonConverter,
 * for tests: PostgreSQL, MySQL and MongoDB source blocks, Connect schemas with {@code Decimal} and
 * {@code ZonedTimestamp} logical types, the three decimal modes, and MongoDB's relaxed and
 * canonical Extended JSON. Row values are Java values ({@link String}, {@link BigDecimal}, {@link
 * Instant}, numbers, booleans); a {@link JsonNode} value is written verbatim, for deliberately bad
 * input.
 */
public final class ChangeJson {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final DateTimeFormatter ZONED =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  /** Debezium's {@code decimal.handling.mode}. */
  public enum DecimalMode {
    PRECISE,
    STRING,
    DOUBLE
  }

  private final SourceTable table;
  private String op = "c";
  private final Map<String, Object> after = new LinkedHashMap<>();
  private boolean schemas;
  private DecimalMode decimalMode = DecimalMode.PRECISE;
  private boolean canonical;
  private long sourceTsMs = 1763629200000L;
  private long position = 24023192L;

  private ChangeJson(SourceTable table) {
    this.table = table;
  }

  public static ChangeJson of(SourceTable table) {
    return new ChangeJson(table);
  }

  public SourceTable table() {
    return table;
  }

  public ChangeJson op(String op) {
    this.op = op;
    return this;
  }

  public ChangeJson set(String field, Object value) {
    after.put(field, value);
    return this;
  }

  public ChangeJson remove(String field) {
    after.remove(field);
    return this;
  }

  /** Kafka Connect's {@code schemas.enable=true}: {@code {"schema":…,"payload":…}}. */
  public ChangeJson withSchemas() {
    this.schemas = true;
    return this;
  }

  public ChangeJson decimalMode(DecimalMode mode) {
    this.decimalMode = mode;
    return this;
  }

  /** MongoDB canonical Extended JSON ({@code $numberInt}, {@code $numberLong} dates). */
  public ChangeJson canonical() {
    this.canonical = true;
    return this;
  }

  public ChangeJson sourceTsMs(long sourceTsMs) {
    this.sourceTsMs = sourceTsMs;
    return this;
  }

  /** PostgreSQL lsn, MySQL binlog pos, or MongoDB ord. */
  public ChangeJson position(long position) {
    this.position = position;
    return this;
  }

  public String json() {
    ObjectNode payload = JSON.createObjectNode();
    payload.putNull("before");
    if (isMongo()) {
      payload.put("after", extendedJson());
      payload.putNull("updateDescription");
    } else {
      payload.set("after", relationalRow());
    }
    payload.set("source", source());
    payload.putNull("transaction");
    payload.put("op", op);
    payload.put("ts_ms", sourceTsMs + 37);
    if (!schemas) {
      return payload.toString();
    }
    ObjectNode envelope = JSON.createObjectNode();
    envelope.set("schema", connectSchema());
    envelope.set("payload", payload);
    return envelope.toString();
  }

  /** This change as a Kafka record of its table's default topic. */
  public SourceRecord record(long offset, Instant kafkaTimestamp) {
    return SourceRecord.ofText(table.defaultTopic(), 0, offset, kafkaTimestamp, key(), json());
  }

  String opCode() {
    return op;
  }

  Map<String, Object> after() {
    return after;
  }

  /** The envelope's own {@code ts_ms}, a little after the source's. */
  long envelopeTsMs() {
    return sourceTsMs + 37;
  }

  boolean isCanonical() {
    return canonical;
  }

  String key() {
    ObjectNode key = JSON.createObjectNode();
    for (String field : table.primaryKey()) {
      Object value = after.get(field);
      key.put(field, value == null ? null : value.toString());
    }
    return key.toString();
  }

  private boolean isMongo() {
    return table == SourceTable.ASSESSMENT_EVENTS;
  }

  private boolean isMySql() {
    return table == SourceTable.COURSE_INTERACTIONS;
  }

  private ObjectNode relationalRow() {
    ObjectNode row = JSON.createObjectNode();
    for (Map.Entry<String, Object> field : after.entrySet()) {
      Object value = field.getValue();
      if (value instanceof BigDecimal) {
        BigDecimal decimal = (BigDecimal) value;
        switch (decimalMode) {
          case PRECISE:
            row.put(
                field.getKey(),
                Base64.getEncoder().encodeToString(decimal.unscaledValue().toByteArray()));
            break;
          case STRING:
            row.put(field.getKey(), decimal.toPlainString());
            break;
          default:
            row.put(field.getKey(), decimal.doubleValue());
        }
      } else if (value instanceof Instant) {
        long millis = ((Instant) value).getMillis();
        if (isMySql()) {
          row.put(field.getKey(), millis);
        } else {
          row.put(field.getKey(), ZONED.format(java.time.Instant.ofEpochMilli(millis)));
        }
      } else {
        row.set(field.getKey(), JSON.valueToTree(value));
      }
    }
    return row;
  }

  String extendedJson() {
    ObjectNode document = JSON.createObjectNode();
    for (Map.Entry<String, Object> field : after.entrySet()) {
      Object value = field.getValue();
      String name = field.getKey();
      if (name.equals("_id") && value instanceof String) {
        document.putObject("_id").put("$oid", (String) value);
      } else if (value instanceof Instant) {
        long millis = ((Instant) value).getMillis();
        if (canonical) {
          document.putObject(name).putObject("$date").put("$numberLong", Long.toString(millis));
        } else {
          document.putObject(name).put("$date", value.toString());
        }
      } else if (canonical && value instanceof Integer) {
        document.putObject(name).put("$numberInt", value.toString());
      } else if (canonical && value instanceof Double) {
        document.putObject(name).put("$numberDouble", value.toString());
      } else {
        document.set(name, JSON.valueToTree(value));
      }
    }
    return document.toString();
  }

  ObjectNode source() {
    ObjectNode source = JSON.createObjectNode();
    source.put("version", "3.1.3.Final");
    source.put("name", "lxp");
    source.put("ts_ms", sourceTsMs);
    source.put("snapshot", op.equals("r") ? "true" : "false");
    if (isMongo()) {
      source.put("connector", "mongodb");
      source.put("db", "assessments");
      source.putNull("sequence");
      source.put("collection", "assessment_events");
      source.put("ord", position);
      source.putNull("lsid");
      source.putNull("txnNumber");
    } else if (isMySql()) {
      source.put("connector", "mysql");
      source.put("db", "engagement");
      source.putNull("sequence");
      source.put("table", "course_interactions");
      source.put("server_id", 223344);
      source.putNull("gtid");
      source.put("file", "mysql-bin.000003");
      source.put("pos", position);
      source.put("row", 0);
      source.put("thread", 7);
      source.putNull("query");
    } else {
      source.put("connector", "postgresql");
      source.put("db", "lxp");
      source.put("sequence", "[\"" + (position - 64) + "\",\"" + position + "\"]");
      source.put("schema", "public");
      source.put("table", table.defaultTopic().substring("lxp.public.".length()));
      source.put("txId", 748);
      source.put("lsn", position);
      source.putNull("xmin");
    }
    return source;
  }

  private ObjectNode connectSchema() {
    ObjectNode schema = JSON.createObjectNode();
    schema.put("type", "struct");
    ArrayNode fields = schema.putArray("fields");
    fields.add(rowSchema("before"));
    fields.add(rowSchema("after"));
    ObjectNode source = fields.addObject();
    source.put("type", "struct");
    source
        .putArray("fields")
        .addObject()
        .put("type", "string")
        .put("optional", false)
        .put("field", "connector");
    source.put("optional", false);
    source.put("name", "io.debezium.connector.postgresql.Source");
    source.put("field", "source");
    fields.addObject().put("type", "string").put("optional", false).put("field", "op");
    fields.addObject().put("type", "int64").put("optional", true).put("field", "ts_ms");
    schema.put("optional", false);
    schema.put("name", table.defaultTopic() + ".Envelope");
    schema.put("version", 2);
    return schema;
  }

  private ObjectNode rowSchema(String field) {
    ObjectNode struct = JSON.createObjectNode();
    struct.put("type", "struct");
    ArrayNode columns = struct.putArray("fields");
    for (Map.Entry<String, Object> column : after.entrySet()) {
      ObjectNode columnSchema = columns.addObject();
      Object value = column.getValue();
      if (value instanceof BigDecimal && decimalMode == DecimalMode.PRECISE) {
        columnSchema.put("type", "bytes");
        columnSchema.put("optional", true);
        columnSchema.put("name", "org.apache.kafka.connect.data.Decimal");
        columnSchema.put("version", 1);
        columnSchema
            .putObject("parameters")
            .put("scale", Integer.toString(((BigDecimal) value).scale()))
            .put("connect.decimal.precision", "5");
      } else if (value instanceof BigDecimal) {
        columnSchema.put("type", decimalMode == DecimalMode.STRING ? "string" : "double");
        columnSchema.put("optional", true);
      } else if (value instanceof Instant) {
        columnSchema.put("type", isMySql() ? "int64" : "string");
        columnSchema.put("optional", true);
        columnSchema.put(
            "name", isMySql() ? "io.debezium.time.Timestamp" : "io.debezium.time.ZonedTimestamp");
        columnSchema.put("version", 1);
      } else {
        columnSchema.put(
            "type",
            value instanceof Integer ? "int32" : value instanceof Long ? "int64" : "string");
        columnSchema.put("optional", !table.primaryKey().contains(column.getKey()));
      }
      columnSchema.put("field", column.getKey());
    }
    struct.put("optional", true);
    struct.put("name", table.defaultTopic() + ".Value");
    struct.put("field", field);
    return struct;
  }
}
