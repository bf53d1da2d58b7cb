package dev.learnerpulse.testkit.testdata;

import static dev.learnerpulse.testkit.testdata.Cells.NODES;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.SplittableRandom;

/**
 * Debezium's MySQL connector reading the binlog with GTIDs: each insert, update or delete is its
 * own transaction at a rising {@code pos}; snapshot reads all carry the snapshot's position.
 */
final class MySqlConnector extends SourceConnector {
  private static final String FILE = "mysql-bin.000042";
  private static final String SERVER_UUID = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
  private final long snapshotPos = 1_548_231L;
  private long pos = snapshotPos;
  private long gtid = 90_417L;

  MySqlConnector(SplittableRandom random, long snapshotTs) {
    super(random, snapshotTs);
  }

  @Override
  ObjectNode key(PlannedChange change) {
    ObjectNode key = NODES.objectNode();
    key.put("interaction_id", ((Rows.Interaction) change.row).interactionId());
    return key;
  }

  @Override
  ObjectNode row(Object row, WireFormat format) {
    Rows.Interaction i = (Rows.Interaction) row;
    ObjectNode node = NODES.objectNode();
    node.put("interaction_id", i.interactionId());
    node.put("learner_id", i.learnerId());
    node.put("course_id", i.courseId());
    node.put("kind", i.kind());
    if (i.durationMs() == null) {
      node.putNull("duration_ms");
    } else {
      node.put("duration_ms", i.durationMs());
    }
    node.put("occurred_at", i.occurredAtMillis());
    return node;
  }

  @Override
  ObjectNode source(PlannedChange change, long sourceTs) {
    ObjectNode source = sourceHead("mysql", "engagement", sourceTs, change.snapshotMarker);
    source.putNull("sequence");
    putSourceMicros(source, sourceTs);
    source.put("table", "course_interactions");
    source.put("server_id", 223_344L);
    if (change.snapshot) {
      source.putNull("gtid");
      source.put("file", FILE);
      source.put("pos", snapshotPos);
      source.put("row", 0);
      source.putNull("thread");
    } else {
      pos += 310 + random.nextInt(400);
      source.put("gtid", SERVER_UUID + ":" + ++gtid);
      source.put("file", FILE);
      source.put("pos", pos);
      source.put("row", 0);
      source.put("thread", 17 + random.nextInt(6));
    }
    source.putNull("query");
    return source;
  }
}
