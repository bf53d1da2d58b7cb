package dev.learnerpulse.testkit.testdata;

import static dev.learnerpulse.testkit.testdata.Cells.NODES;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.learnerpulse.model.Outcome;
import dev.learnerpulse.model.ReasonCode;

/**
 * Changes of a table someone added to the PostgreSQL publication without telling Learner Pulse:
 * well-formed Debezium events on a topic no source table maps to, so {@code UNKNOWN_TOPIC}.
 */
final class UnknownTopic {
  static final String TOPIC = "lxp.public.unknown_table";

  private UnknownTopic() {}

  static void write(TopicLog log, long at) {
    String[] notes = {"pilot feedback form", "beta survey", "archived badge"};
    for (int i = 0; i < notes.length; i++) {
      long ts = at + i * 1_250L;
      ObjectNode row = NODES.objectNode();
      row.put("id", 7001 + i);
      row.put("note", notes[i]);
      row.set("created_at", Cells.zonedTimestamp(ts * 1_000L - 412_377));
      ObjectNode source = NODES.objectNode();
      source.put("version", SourceConnector.DEBEZIUM_VERSION);
      source.put("connector", "postgresql");
      source.put("name", SourceConnector.SERVER_NAME);
      source.put("ts_ms", ts - 300);
      source.put("snapshot", "false");
      source.put("db", "lxp");
      ArrayNode sequence =
          NODES
              .arrayNode()
              .add(Long.toString(31_880_000L + i * 400))
              .add(Long.toString(31_880_200L + i * 400));
      source.put("sequence", sequence.toString());
      source.put("schema", "public");
      source.put("table", "unknown_table");
      source.put("txId", 9_001L + i);
      source.put("lsn", 31_880_200L + i * 400);
      source.putNull("xmin");
      ObjectNode envelope = NODES.objectNode();
      envelope.putNull("before");
      envelope.set("after", row);
      envelope.set("source", source);
      envelope.putNull("transaction");
      envelope.put("op", "c");
      envelope.put("ts_ms", ts - 2);
      ObjectNode key = NODES.objectNode().put("id", 7001 + i);
      log.add(
          TOPIC,
          new Rendered(
              SourceConnector.text(key), SourceConnector.text(key), SourceConnector.text(envelope)),
          ts,
          Outcome.DEAD_LETTER,
          ReasonCode.UNKNOWN_TOPIC,
          false,
          false,
          null);
    }
  }
}
