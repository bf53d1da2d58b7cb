package dev.learnerpulse.testkit.testdata;

import static dev.learnerpulse.testkit.testdata.Cells.NODES;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.learnerpulse.model.Op;
import java.util.SplittableRandom;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Renders planned changes the way one Debezium connector writes them: key, envelope, source block
 * with the connector's log position, and JsonConverter's optional schema wrapper. Changes must be
 * rendered in Kafka-timestamp order, because log positions are handed out in that order.
 */
abstract class SourceConnector {
  static final String DEBEZIUM_VERSION = "3.1.3.Final";
  static final String SERVER_NAME = "lxp";
  static final ObjectMapper JSON = new ObjectMapper();

  final SplittableRandom random;

  /** {@code source.ts_ms} of snapshot reads: when the snapshot began. */
  final long snapshotTs;

  SourceConnector(SplittableRandom random, long snapshotTs) {
    this.random = random;
    this.snapshotTs = snapshotTs;
  }

  /** The change as Kafka receives it; a deliberate defect is applied on the way. */
  final Rendered render(PlannedChange change, String topic, WireFormat format) {
    ObjectNode keyPayload = change.op == Op.TRUNCATE ? null : key(change);
    ObjectNode row = change.row == null ? null : row(change.row, format);
    Defect defect = change.defect;
    if (defect != null && row != null) {
      defect.corruptRow(row, format, change.kafkaTs);
    }
    ObjectNode before = change.before == null ? null : row(change.before, format);
    long sourceTs = sourceTs(change);
    ObjectNode envelope = NODES.objectNode();
    putRows(envelope, change, row, before);
    envelope.set("source", source(change, sourceTs));
    envelope.putNull("transaction");
    envelope.put("op", change.op.code());
    long tsMs = Math.max(sourceTs, change.kafkaTs - 1 - random.nextInt(4));
    long tsUs = tsMs * 1_000L + random.nextInt(1_000);
    envelope.put("ts_ms", tsMs);
    envelope.put("ts_us", tsUs);
    envelope.put("ts_ns", tsUs * 1_000L);
    if (defect != null) {
      defect.corruptEnvelope(envelope);
    }
    String value =
        format.schemas()
            ? wrap(ConnectSchemas.value(change.table, topic, format), envelope)
            : text(envelope);
    if (defect != null) {
      value = defect.corruptText(value, row);
    }
    if (keyPayload == null) {
      return new Rendered(null, null, value);
    }
    String key =
        format.schemas()
            ? wrap(ConnectSchemas.key(change.table, topic), keyPayload)
            : text(keyPayload);
    return new Rendered(key, text(keyPayload), value);
  }

  /** The Kafka key's payload: the primary key. */
  abstract ObjectNode key(PlannedChange change);

  /** A row as the connector writes it in {@code before}/{@code after}. */
  abstract ObjectNode row(Object row, WireFormat format);

  /** The connector's {@code source} block; advances its log position. */
  abstract ObjectNode source(PlannedChange change, long sourceTs);

  /** Sets {@code before} and {@code after} (and whatever the connector writes beside them). */
  void putRows(
      ObjectNode envelope,
      PlannedChange change,
      @Nullable ObjectNode row,
      @Nullable ObjectNode before) {
    switch (change.op) {
      case DELETE:
        envelope.set("before", row);
        envelope.putNull("after");
        break;
      case TRUNCATE:
        envelope.putNull("before");
        envelope.putNull("after");
        break;
      default:
        envelope.set("before", before);
        envelope.set("after", row);
    }
  }

  /** The common head of every connector's source block. */
  ObjectNode sourceHead(String connector, String db, long sourceTs, String snapshot) {
    ObjectNode source = NODES.objectNode();
    source.put("version", DEBEZIUM_VERSION);
    source.put("connector", connector);
    source.put("name", SERVER_NAME);
    source.put("ts_ms", sourceTs);
    source.put("snapshot", snapshot);
    source.put("db", db);
    return source;
  }

  static void putSourceMicros(ObjectNode source, long sourceTs) {
    source.put("ts_us", sourceTs * 1_000L);
    source.put("ts_ns", sourceTs * 1_000_000L);
  }

  /**
   * When the database committed the change: just after the event for prompt deliveries, just before
   * capture when the row reached the database late (an offline client syncing).
   */
  long sourceTs(PlannedChange change) {
    if (change.snapshot) {
      return snapshotTs;
    }
    long lag = change.kafkaTs - change.eventTime;
    return lag >= 20 && lag < 5_000
        ? change.eventTime + 1 + random.nextInt(3)
        : change.kafkaTs - 5 - random.nextInt(10);
  }

  static String wrap(ObjectNode schema, ObjectNode payload) {
    ObjectNode wrapped = NODES.objectNode();
    wrapped.set("schema", schema);
    wrapped.set("payload", payload);
    return text(wrapped);
  }

  static String text(Object node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
