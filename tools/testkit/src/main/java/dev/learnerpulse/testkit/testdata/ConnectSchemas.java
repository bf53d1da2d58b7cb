package dev.learnerpulse.testkit.testdata;

import static dev.learnerpulse.testkit.testdata.Cells.NODES;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.learnerpulse.model.SourceTable;
import dev.learnerpulse.testkit.testdata.WireFormat.Connector;
import dev.learnerpulse.testkit.testdata.WireFormat.DecimalMode;

/**
 * The Kafka Connect schemas JsonConverter writes beside each key and value when {@code
 * schemas.enable=true}, as Debezium defines them for the contract's tables.
 */
final class ConnectSchemas {
  private static final String SNAPSHOT_VALUES =
      "true,first,first_in_data_collection,last_in_data_collection,last,false,incremental";

  private ConnectSchemas() {}

  static ObjectNode key(SourceTable table, String topic) {
    ArrayNode fields = NODES.arrayNode();
    if (table == SourceTable.ASSESSMENT_EVENTS) {
      fields.add(field("string", "id", false));
    } else if (table == SourceTable.COURSE_INTERACTIONS) {
      fields.add(field("int64", "interaction_id", false));
    } else {
      for (String column : table.primaryKey()) {
        fields.add(field("string", column, false));
      }
    }
    return struct(fields, false, topic + ".Key", null);
  }

  static ObjectNode value(SourceTable table, String topic, WireFormat format) {
    Connector connector = Deployments.connector(table);
    ArrayNode fields = NODES.arrayNode();
    if (connector == Connector.MONGODB) {
      fields.add(named(field("string", "before", true), "io.debezium.data.Json", 1));
      fields.add(named(field("string", "after", true), "io.debezium.data.Json", 1));
      ArrayNode update = NODES.arrayNode();
      ObjectNode removed = field("array", "removedFields", true);
      removed.set("items", plain("string", false));
      update.add(removed);
      update.add(named(field("string", "updatedFields", true), "io.debezium.data.Json", 1));
      ObjectNode truncated = field("array", "truncatedArrays", true);
      ArrayNode truncatedFields = NODES.arrayNode();
      truncatedFields.add(field("string", "field", false));
      truncatedFields.add(field("int32", "size", false));
      truncated.set(
          "items",
          struct(
              truncatedFields,
              false,
              "io.debezium.connector.mongodb.changestream.truncatedarray",
              1));
      update.add(truncated);
      fields.add(
          withField(
              struct(
                  update, true, "io.debezium.connector.mongodb.changestream.updatedescription", 1),
              "updateDescription"));
    } else {
      fields.add(withField(struct(columns(table, format), true, topic + ".Value", null), "before"));
      fields.add(withField(struct(columns(table, format), true, topic + ".Value", null), "after"));
    }
    fields.add(withField(source(connector), "source"));
    ArrayNode block = NODES.arrayNode();
    block.add(field("string", "id", false));
    block.add(field("int64", "total_order", false));
    block.add(field("int64", "data_collection_order", false));
    fields.add(withField(struct(block, true, "event.block", 1), "transaction"));
    fields.add(field("string", "op", false));
    fields.add(field("int64", "ts_ms", true));
    fields.add(field("int64", "ts_us", true));
    fields.add(field("int64", "ts_ns", true));
    return struct(fields, false, topic + ".Envelope", 2);
  }

  private static ArrayNode columns(SourceTable table, WireFormat format) {
    ArrayNode c = NODES.arrayNode();
    switch (table) {
      case LEARNER_PROGRESS:
        c.add(field("string", "learner_id", false));
        c.add(field("string", "course_id", false));
        c.add(decimal("progress_pct", false, format));
        c.add(field("string", "status", false));
        c.add(named(field("string", "updated_at", false), "io.debezium.time.ZonedTimestamp", 1));
        break;
      case CERTIFICATION_STATE:
        c.add(field("string", "learner_id", false));
        c.add(field("string", "course_id", false));
        c.add(field("string", "state", false));
        c.add(named(field("string", "updated_at", false), "io.debezium.time.ZonedTimestamp", 1));
        break;
      case COURSE_INTERACTIONS:
        c.add(field("int64", "interaction_id", false));
        c.add(field("string", "learner_id", false));
        c.add(field("string", "course_id", false));
        c.add(field("string", "kind", false));
        c.add(field("int32", "duration_ms", true));
        c.add(named(field("int64", "occurred_at", false), "io.debezium.time.Timestamp", 1));
        break;
      case COURSES:
        c.add(field("string", "course_id", false));
        c.add(field("string", "tenant_id", true));
        c.add(field("string", "title", true));
        c.add(decimal("passing_score_pct", true, format));
        c.add(field("int32", "module_count", true));
        break;
      case LEARNERS:
        c.add(field("string", "learner_id", false));
        c.add(field("string", "tenant_id", true));
        c.add(field("string", "cohort_id", true));
        c.add(field("string", "country", true));
        break;
      default:
        throw new IllegalArgumentException(table + " has no relational columns");
    }
    return c;
  }

  private static ObjectNode decimal(String column, boolean optional, WireFormat format) {
    if (format.decimals() == DecimalMode.STRING) {
      return field("string", column, optional);
    }
    if (format.decimals() == DecimalMode.DOUBLE) {
      return field("double", column, optional);
    }
    ObjectNode field = plain("bytes", optional);
    field.put("name", "org.apache.kafka.connect.data.Decimal");
    field.put("version", 1);
    ObjectNode parameters = field.putObject("parameters");
    parameters.put("scale", "2");
    parameters.put("connect.decimal.precision", "5");
    field.put("field", column);
    return field;
  }

  private static ObjectNode source(Connector connector) {
    ArrayNode f = NODES.arrayNode();
    f.add(field("string", "version", false));
    f.add(field("string", "connector", false));
    f.add(field("string", "name", false));
    f.add(field("int64", "ts_ms", false));
    ObjectNode snapshot = named(field("string", "snapshot", true), "io.debezium.data.Enum", 1);
    snapshot.putObject("parameters").put("allowed", SNAPSHOT_VALUES);
    snapshot.put("default", "false");
    f.add(snapshot);
    f.add(field("string", "db", false));
    f.add(field("string", "sequence", true));
    f.add(field("int64", "ts_us", true));
    f.add(field("int64", "ts_ns", true));
    switch (connector) {
      case POSTGRESQL:
        f.add(field("string", "schema", false));
        f.add(field("string", "table", false));
        f.add(field("int64", "txId", true));
        f.add(field("int64", "lsn", true));
        f.add(field("int64", "xmin", true));
        return struct(f, false, "io.debezium.connector.postgresql.Source", null);
      case MYSQL:
        f.add(field("string", "table", true));
        f.add(field("int64", "server_id", false));
        f.add(field("string", "gtid", true));
        f.add(field("string", "file", false));
        f.add(field("int64", "pos", false));
        f.add(field("int32", "row", false));
        f.add(field("int64", "thread", true));
        f.add(field("string", "query", true));
        return struct(f, false, "io.debezium.connector.mysql.Source", null);
      default:
        f.add(field("string", "rs", false));
        f.add(field("string", "collection", false));
        f.add(field("int32", "ord", false));
        f.add(field("string", "lsid", true));
        f.add(field("int64", "txnNumber", true));
        f.add(field("int64", "wallTime", true));
        return struct(f, false, "io.debezium.connector.mongo.Source", null);
    }
  }

  private static ObjectNode plain(String type, boolean optional) {
    ObjectNode node = NODES.objectNode();
    node.put("type", type);
    node.put("optional", optional);
    return node;
  }

  private static ObjectNode field(String type, String name, boolean optional) {
    ObjectNode node = plain(type, optional);
    node.put("field", name);
    return node;
  }

  private static ObjectNode named(ObjectNode field, String logicalName, int version) {
    ObjectNode node = NODES.objectNode();
    node.put("type", field.get("type").asText());
    node.put("optional", field.get("optional").asBoolean());
    node.put("name", logicalName);
    node.put("version", version);
    node.set("field", field.get("field"));
    return node;
  }

  private static ObjectNode struct(
      ArrayNode fields, boolean optional, String name, Integer version) {
    ObjectNode node = NODES.objectNode();
    node.put("type", "struct");
    node.set("fields", fields);
    node.put("optional", optional);
    node.put("name", name);
    if (version != null) {
      node.put("version", version);
    }
    return node;
  }

  private static ObjectNode withField(ObjectNode schema, String field) {
    schema.put("field", field);
    return schema;
  }
}
