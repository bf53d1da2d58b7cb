package dev.learnerpulse.benchmarks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.learnerpulse.archive.KcatJson;
import dev.learnerpulse.model.SourceTable;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;

/**
 * A deterministic stand-in for the committed {@code testdata/*.jsonl} dumps: kcat {@code -C -J}
 * lines of the four change topics as Debezium 3.1 and Kafka Connect's JsonConverter write them.
 *
 * <ul>
 *   <li>{@code learner_progress}, {@code certification_state} (PostgreSQL, pgoutput): half with
 *       {@code schemas.enable=true}, where {@code progress_pct} is a precise base64 decimal whose
 *       scale is in the schema; without schemas {@code progress_pct} is base64, string or double;
 *       {@code updated_at} a ZonedTimestamp with 6 fraction digits;
 *   <li>{@code course_interactions} (MySQL): {@code occurred_at} in epoch millis, a third with
 *       schemas;
 *   <li>{@code assessment_events} (MongoDB): {@code after} a string of relaxed or canonical
 *       Extended JSON;
 * </ul>
 *
 * plus snapshot reads, updates, deletes followed by tombstones, and about 5% bad records (broken
 * JSON, no {@code op}, unknown op or topic, missing or wrong fields, events from the future).
 */
final class SyntheticMix {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long START_MILLIS = 1_763_720_130_123L; // 2025-11-21T10:15:30.123Z
  private static final double BAD_SHARE = 0.05;
  private static final DateTimeFormatter ZONED_TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter ISO_MILLIS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
  private static final String[] STATUSES = {"not_started", "in_progress", "completed"};
  private static final String[] KINDS = {
    "page_view", "video_play", "video_complete", "forum_post", "download"
  };
  private static final String[] STATES = {"in_progress", "eligible", "issued", "revoked"};

  private final Random random;
  private final List<String> lines = new ArrayList<>();
  private final long[] offsets = new long[SourceTable.values().length];
  private long kafkaMillis = START_MILLIS;
  private long lsn = 24_023_984L;
  private long binlogPos = 154_823L;
  private long interactionId = 9_000_000L;
  private int mongoOrd;

  private SyntheticMix(long seed) {
    this.random = new Random(seed);
  }

  /** About {@code count} dump lines (a delete may add its tombstone past the count). */
  static List<String> lines(int count, long seed) {
    SyntheticMix mix = new SyntheticMix(seed);
    while (mix.lines.size() < count) {
      mix.next();
    }
    return mix.lines.subList(0, count);
  }

  private void next() {
    kafkaMillis += 1 + random.nextInt(40);
    double topic = random.nextDouble();
    Event event;
    if (topic < 0.45) {
      event = interaction();
    } else if (topic < 0.67) {
      event = progress();
    } else if (topic < 0.85) {
      event = assessment();
    } else {
      event = certification();
    }
    boolean bad = random.nextDouble() < BAD_SHARE;
    String value = bad ? corrupt(event) : event.render();
    emit(event.topic, event.table, event.key, value);
    if ("d".equals(event.payload.path("op").asText()) && !bad) {
      emit(event.topic, event.table, event.key, null);
    }
  }

  private void emit(String topic, SourceTable table, String key, String value) {
    lines.add(KcatJson.format(topic, 0, offsets[table.ordinal()]++, kafkaMillis, key, value));
  }

  // ---- the four tables ----------------------------------------------------------------------

  private Event progress() {
    String op = op(0.05, 0.30, 0.60);
    long eventMillis = eventMillis();
    BigDecimal pct = BigDecimal.valueOf(random.nextInt(10_001), 2);
    boolean schemas = random.nextBoolean();
    ObjectNode after = JSON.createObjectNode();
    after.put("learner_id", learner());
    after.put("course_id", course());
    if (schemas) {
      after.put("progress_pct", base64(pct));
    } else {
      switch (random.nextInt(3)) {
        case 0:
          after.put("progress_pct", base64(pct));
          break;
        case 1:
          after.put("progress_pct", pct.toPlainString());
          break;
        default:
          after.put("progress_pct", pct.doubleValue());
      }
    }
    after.put("status", pct.signum() == 0 ? "not_started" : pick(STATUSES));
    Instant updatedAt = Instant.ofEpochMilli(eventMillis).plusNanos(random.nextInt(1000) * 1000L);
    after.put("updated_at", ZONED_TIMESTAMP.format(updatedAt));
    Event event =
        postgres(SourceTable.LEARNER_PROGRESS, "learner_progress", op, eventMillis, after, schemas);
    event.schemaColumns =
        columns(
            column("learner_id", "string", false),
            column("course_id", "string", false),
            decimalColumn("progress_pct"),
            column("status", "string", true),
            logical(column("updated_at", "string", true), "io.debezium.time.ZonedTimestamp"));
    return event;
  }

  private Event certification() {
    String op = op(0.02, 0.30, 0.63);
    long eventMillis = eventMillis();
    ObjectNode after = JSON.createObjectNode();
    after.put("learner_id", learner());
    after.put("course_id", course());
    after.put("state", pick(STATES));
    after.put("updated_at", ZONED_TIMESTAMP.format(Instant.ofEpochMilli(eventMillis)));
    boolean schemas = random.nextBoolean();
    Event event =
        postgres(
            SourceTable.CERTIFICATION_STATE,
            "certification_state",
            op,
            eventMillis,
            after,
            schemas);
    event.schemaColumns =
        columns(
            column("learner_id", "string", false),
            column("course_id", "string", false),
            column("state", "string", true),
            logical(column("updated_at", "string", true), "io.debezium.time.ZonedTimestamp"));
    return event;
  }

  private Event interaction() {
    String op = op(0.03, 0.95, 0.01);
    long eventMillis = eventMillis();
    long id = interactionId++;
    ObjectNode after = JSON.createObjectNode();
    after.put("interaction_id", id);
    after.put("learner_id", learner());
    after.put("course_id", course());
    String kind = pick(KINDS);
    after.put("kind", kind);
    if (kind.startsWith("video") || kind.equals("page_view")) {
      after.put("duration_ms", 500 + random.nextInt(600_000));
    } else {
      after.putNull("duration_ms");
    }
    after.put("occurred_at", eventMillis);
    ObjectNode source = source("mysql", eventMillis, op);
    source.put("db", "engagement");
    source.putNull("sequence");
    source.put("ts_us", eventMillis * 1000);
    source.put("ts_ns", eventMillis * 1_000_000);
    source.put("table", "course_interactions");
    source.put("server_id", 223_344);
    source.put("gtid", "6f1d0a3e-c6c1-11ef-9cbb-0242ac120002:" + (binlogPos / 97));
    source.put("file", "mysql-bin.000003");
    source.put("pos", binlogPos);
    source.put("row", 0);
    source.put("thread", 7 + random.nextInt(4));
    source.putNull("query");
    binlogPos += 300 + random.nextInt(400);
    Event event = new Event(SourceTable.COURSE_INTERACTIONS, op, eventMillis, after, source);
    event.key = "{\"interaction_id\":" + id + "}";
    event.schemas = random.nextInt(3) == 0;
    event.sourceSchema =
        struct(
            "io.debezium.connector.mysql.Source",
            "source",
            false,
            sourceColumns(
                column("table", "string", true),
                column("server_id", "int64", false),
                column("gtid", "string", true),
                column("file", "string", false),
                column("pos", "int64", false),
                column("row", "int32", false),
                column("thread", "int64", true),
                column("query", "string", true)));
    event.schemaColumns =
        columns(
            column("interaction_id", "int64", false),
            column("learner_id", "string", true),
            column("course_id", "string", true),
            column("kind", "string", true),
            column("duration_ms", "int32", true),
            logical(column("occurred_at", "int64", true), "io.debezium.time.Timestamp"));
    return event;
  }

  private Event assessment() {
    String op = op(0.01, 0.97, 0.01);
    long eventMillis = eventMillis();
    boolean canonical = random.nextInt(5) < 2;
    int maxScore = 10 * (1 + random.nextInt(10));
    double score = Math.round(random.nextDouble() * maxScore * 2) / 2.0;
    String oid = String.format("%08x%016x", eventMillis / 1000, random.nextLong() & Long.MAX_VALUE);
    ObjectNode document = JSON.createObjectNode();
    document.putObject("_id").put("$oid", oid);
    document.put("learner_id", learner());
    document.put("course_id", course());
    document.put("assessment_id", "quiz-" + (1 + random.nextInt(12)));
    if (canonical) {
      document.putObject("score").put("$numberDouble", Double.toString(score));
      document.putObject("max_score").put("$numberInt", Integer.toString(maxScore));
      document.put("final", random.nextInt(4) == 0);
      document
          .putObject("submitted_at")
          .putObject("$date")
          .put("$numberLong", Long.toString(eventMillis));
    } else {
      document.put("score", score);
      document.put("max_score", maxScore);
      if (random.nextInt(5) > 0) {
        document.put("final", random.nextInt(4) == 0);
      }
      document
          .putObject("submitted_at")
          .put("$date", ISO_MILLIS.format(Instant.ofEpochMilli(eventMillis)));
    }
    ObjectNode source = source("mongodb", eventMillis, op);
    source.put("db", "assessments");
    source.putNull("sequence");
    source.put("ts_us", eventMillis * 1000);
    source.put("ts_ns", eventMillis * 1_000_000);
    source.put("collection", "assessment_events");
    source.put("ord", ++mongoOrd);
    source.putNull("lsid");
    source.putNull("txnNumber");
    source.put("wallTime", eventMillis);
    Event event = new Event(SourceTable.ASSESSMENT_EVENTS, op, eventMillis, null, source);
    event.document = document;
    event.key = "{\"id\":\"{\\\"$oid\\\": \\\"" + oid + "\\\"}\"}";
    event.schemas = random.nextInt(3) == 0;
    event.sourceSchema =
        struct(
            "io.debezium.connector.mongo.Source",
            "source",
            false,
            sourceColumns(
                column("collection", "string", false),
                column("ord", "int32", false),
                column("lsid", "string", true),
                column("txnNumber", "int64", true),
                column("wallTime", "int64", true)));
    return event;
  }

  private Event postgres(
      SourceTable table,
      String name,
      String op,
      long eventMillis,
      ObjectNode after,
      boolean schemas) {
    ObjectNode source = source("postgresql", eventMillis, op);
    source.put("db", "lxp");
    source.put("sequence", "[\"" + (lsn - 56) + "\",\"" + lsn + "\"]");
    source.put("ts_us", eventMillis * 1000);
    source.put("ts_ns", eventMillis * 1_000_000);
    source.put("schema", "public");
    source.put("table", name);
    source.put("txId", 771 + lsn / 1000);
    source.put("lsn", lsn);
    source.putNull("xmin");
    lsn += 56 + random.nextInt(500);
    Event event = new Event(table, op, eventMillis, after, source);
    event.key =
        "{\"learner_id\":\""
            + after.get("learner_id").textValue()
            + "\",\"course_id\":\""
            + after.get("course_id").textValue()
            + "\"}";
    event.schemas = schemas;
    event.sourceSchema =
        struct(
            "io.debezium.connector.postgresql.Source",
            "source",
            false,
            sourceColumns(
                column("schema", "string", false),
                column("table", "string", false),
                column("txId", "int64", true),
                column("lsn", "int64", true),
                column("xmin", "int64", true)));
    return event;
  }

  private ObjectNode source(String connector, long eventMillis, String op) {
    ObjectNode source = JSON.createObjectNode();
    source.put("version", "3.1.3.Final");
    source.put("connector", connector);
    source.put("name", "lxp");
    source.put("ts_ms", eventMillis + random.nextInt(5));
    source.put("snapshot", op.equals("r") ? (random.nextInt(50) == 0 ? "last" : "true") : "false");
    return source;
  }

  // ---- bad records --------------------------------------------------------------------------

  /** Renders {@code event} with one fault; may also move it to an unknown topic. */
  private String corrupt(Event event) {
    if ("d".equals(event.payload.path("op").asText())) {
      event.payload.put("op", "c");
    }
    ObjectNode row = event.document != null ? event.document : event.after;
    switch (random.nextInt(10)) {
      case 0:
        {
          String whole = event.render();
          return whole.substring(0, whole.length() / 2);
        }
      case 1:
        return "Struct{after=Struct{learner_id=" + learner() + "},op=c}";
      case 2:
        event.payload.remove("op");
        return event.render();
      case 3:
        event.payload.put("op", "x");
        return event.render();
      case 4:
        event.topic = "lxp.public.audit_log";
        return event.render();
      case 5:
        if (random.nextBoolean()) {
          row.remove("learner_id");
        } else {
          row.putNull("course_id");
        }
        return event.render();
      case 6:
        event.eventMillisOverride = event.eventMillis + 3 * 3_600_000L;
        return event.render();
      default:
        badValue(event, row);
        return event.render();
    }
  }

  private void badValue(Event event, ObjectNode row) {
    switch (event.table) {
      case LEARNER_PROGRESS:
        switch (random.nextInt(3)) {
          case 0:
            row.put("status", "paused");
            break;
          case 1:
            row.put("progress_pct", event.schemas ? base64(new BigDecimal("120.00")) : "120.00");
            break;
          default:
            row.put("progress_pct", "@@not-base64@@");
        }
        break;
      case CERTIFICATION_STATE:
        row.put(random.nextBoolean() ? "state" : "updated_at", "yesterday");
        break;
      case COURSE_INTERACTIONS:
        if (random.nextBoolean()) {
          row.put("kind", "quiz_start");
        } else {
          row.put("duration_ms", -250);
        }
        break;
      default:
        if (random.nextBoolean()) {
          row.put("score", row.path("max_score").asDouble(100) + 5);
        } else {
          row.put("max_score", 0);
        }
    }
  }

  // ---- rendering ----------------------------------------------------------------------------

  /** One change event before it is rendered to JsonConverter's text. */
  private final class Event {
    final SourceTable table;
    final long eventMillis;
    final ObjectNode after;
    final ObjectNode payload = JSON.createObjectNode();
    String topic;
    String key;
    boolean schemas;
    ObjectNode document;
    ArrayNode schemaColumns;
    ObjectNode sourceSchema;
    long eventMillisOverride = -1;

    Event(SourceTable table, String op, long eventMillis, ObjectNode after, ObjectNode source) {
      this.table = table;
      this.topic = table.defaultTopic();
      this.eventMillis = eventMillis;
      this.after = after;
      payload.putNull("before");
      payload.set("after", after);
      payload.set("source", source);
      payload.putNull("transaction");
      payload.put("op", op);
      payload.put("ts_ms", eventMillis + 3 + random.nextInt(200));
      payload.put("ts_us", payload.get("ts_ms").longValue() * 1000);
      payload.put("ts_ns", payload.get("ts_ms").longValue() * 1_000_000);
    }

    String render() {
      if (eventMillisOverride >= 0) {
        shiftEventTime(eventMillisOverride);
      }
      boolean rowless = "d".equals(payload.path("op").asText());
      if (document != null) {
        payload.put("after", rowless ? null : json(document));
        payload.putNull("updateDescription");
      } else if (rowless) {
        payload.set("before", after);
        payload.putNull("after");
      }
      if (!schemas) {
        return json(payload);
      }
      ObjectNode envelope = JSON.createObjectNode();
      envelope.set("schema", envelopeSchema());
      envelope.set("payload", payload);
      return json(envelope);
    }

    private void shiftEventTime(long millis) {
      if (document != null) {
        document
            .putObject("submitted_at")
            .put("$date", ISO_MILLIS.format(Instant.ofEpochMilli(millis)));
      } else if (table == SourceTable.COURSE_INTERACTIONS) {
        after.put("occurred_at", millis);
      } else {
        after.put("updated_at", ZONED_TIMESTAMP.format(Instant.ofEpochMilli(millis)));
      }
    }

    private ObjectNode envelopeSchema() {
      ArrayNode fields = JSON.createArrayNode();
      if (document != null) {
        fields.add(logical(column("before", "string", true), "io.debezium.data.Json"));
        fields.add(logical(column("after", "string", true), "io.debezium.data.Json"));
        fields.add(
            struct(
                "io.debezium.connector.mongodb.changestream.updatedescription",
                "updateDescription",
                true,
                columns(
                    column("removedFields", "string", true),
                    logical(column("updatedFields", "string", true), "io.debezium.data.Json"),
                    column("truncatedArrays", "string", true))));
      } else {
        String rowName = topic + ".Value";
        fields.add(struct(rowName, "before", true, schemaColumns.deepCopy()));
        fields.add(struct(rowName, "after", true, schemaColumns.deepCopy()));
      }
      fields.add(sourceSchema);
      fields.add(
          struct(
              "event.block",
              "transaction",
              true,
              columns(
                  column("id", "string", false),
                  column("total_order", "int64", false),
                  column("data_collection_order", "int64", false))));
      fields.add(column("op", "string", false));
      fields.add(column("ts_ms", "int64", true));
      fields.add(column("ts_us", "int64", true));
      fields.add(column("ts_ns", "int64", true));
      ObjectNode schema = JSON.createObjectNode();
      schema.put("type", "struct");
      schema.set("fields", fields);
      schema.put("optional", false);
      schema.put("name", topic + ".Envelope");
      schema.put("version", 2);
      return schema;
    }
  }

  // ---- Connect schema pieces ----------------------------------------------------------------

  private static ObjectNode column(String field, String type, boolean optional) {
    ObjectNode column = JSON.createObjectNode();
    column.put("type", type);
    column.put("optional", optional);
    column.put("field", field);
    return column;
  }

  private static ObjectNode logical(ObjectNode column, String name) {
    String field = column.remove("field").textValue();
    column.put("name", name);
    column.put("version", 1);
    column.put("field", field);
    return column;
  }

  private static ObjectNode decimalColumn(String field) {
    ObjectNode column = JSON.createObjectNode();
    column.put("type", "bytes");
    column.put("optional", true);
    column.put("name", "org.apache.kafka.connect.data.Decimal");
    column.put("version", 1);
    ObjectNode parameters = column.putObject("parameters");
    parameters.put("scale", "2");
    parameters.put("connect.decimal.precision", "5");
    column.put("field", field);
    return column;
  }

  private static ArrayNode columns(ObjectNode... columns) {
    ArrayNode array = JSON.createArrayNode();
    for (ObjectNode column : columns) {
      array.add(column);
    }
    return array;
  }

  /** Debezium's common source fields followed by the connector's own. */
  private static ArrayNode sourceColumns(ObjectNode... specific) {
    ObjectNode snapshot = logical(column("snapshot", "string", true), "io.debezium.data.Enum");
    snapshot.remove("field");
    snapshot
        .putObject("parameters")
        .put(
            "allowed",
            "true,first,first_in_data_collection,"
                + "last_in_data_collection,last,false,incremental");
    snapshot.put("default", "false");
    snapshot.put("field", "snapshot");
    ArrayNode array =
        columns(
            column("version", "string", false),
            column("connector", "string", false),
            column("name", "string", false),
            column("ts_ms", "int64", false),
            snapshot,
            column("db", "string", false),
            column("sequence", "string", true),
            column("ts_us", "int64", true),
            column("ts_ns", "int64", true));
    for (ObjectNode column : specific) {
      array.add(column);
    }
    return array;
  }

  private static ObjectNode struct(String name, String field, boolean optional, ArrayNode fields) {
    ObjectNode struct = JSON.createObjectNode();
    struct.put("type", "struct");
    struct.set("fields", fields);
    struct.put("optional", optional);
    struct.put("name", name);
    struct.put("field", field);
    return struct;
  }

  // ---- values -------------------------------------------------------------------------------

  /** An op: read, create and update with the given shares, delete for the rest. */
  private String op(double read, double create, double update) {
    double draw = random.nextDouble();
    if (draw < read) {
      return "r";
    } else if (draw < read + create) {
      return "c";
    } else if (draw < read + create + update) {
      return "u";
    }
    return "d";
  }

  /** When the row changed: up to 2 s before the record reached Kafka. */
  private long eventMillis() {
    return kafkaMillis - random.nextInt(2000);
  }

  private String learner() {
    return String.format("learner-%05d", random.nextInt(5000));
  }

  private String course() {
    return String.format("course-%03d", random.nextInt(120));
  }

  private String pick(String[] values) {
    return values[random.nextInt(values.length)];
  }

  private static String base64(BigDecimal value) {
    return Base64.getEncoder().encodeToString(value.unscaledValue().toByteArray());
  }

  private static String json(Object node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
