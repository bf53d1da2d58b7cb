package dev.learnerpulse.testkit.testdata;

import static dev.learnerpulse.testkit.testdata.Cells.NODES;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.SplittableRandom;

/**
 * Debezium's PostgreSQL connector (pgoutput, {@code REPLICA IDENTITY FULL}): one transaction per
 * change, {@code lsn} and {@code txId} rising, {@code sequence} as the JSON text of [last commit
 * LSN, LSN]. All snapshot reads share the snapshot's LSN and transaction.
 */
final class PostgresConnector extends SourceConnector {
  private final long snapshotLsn;
  private final long snapshotTxId;
  private long lastCommitLsn;
  private long txId;

  PostgresConnector(SplittableRandom random, long snapshotTs) {
    super(random, snapshotTs);
    this.snapshotLsn = 24_023_128L;
    this.snapshotTxId = 5_551L;
    this.lastCommitLsn = snapshotLsn;
    this.txId = snapshotTxId;
  }

  @Override
  ObjectNode key(PlannedChange change) {
    Object row = change.row;
    ObjectNode key = NODES.objectNode();
    if (row instanceof Rows.Progress) {
      Rows.Progress p = (Rows.Progress) row;
      key.put("learner_id", p.learnerId());
      key.put("course_id", p.courseId());
    } else if (row instanceof Rows.Certification) {
      Rows.Certification c = (Rows.Certification) row;
      key.put("learner_id", c.learnerId());
      key.put("course_id", c.courseId());
    } else if (row instanceof Roster.Course) {
      key.put("course_id", ((Roster.Course) row).id());
    } else {
      key.put("learner_id", ((Roster.Learner) row).id());
    }
    return key;
  }

  @Override
  ObjectNode row(Object row, WireFormat format) {
    ObjectNode node = NODES.objectNode();
    if (row instanceof Rows.Progress) {
      Rows.Progress p = (Rows.Progress) row;
      node.put("learner_id", p.learnerId());
      node.put("course_id", p.courseId());
      node.set("progress_pct", Cells.decimal(p.progressPct(), format));
      node.put("status", p.status());
      node.set("updated_at", Cells.zonedTimestamp(p.updatedAtMicros()));
    } else if (row instanceof Rows.Certification) {
      Rows.Certification c = (Rows.Certification) row;
      node.put("learner_id", c.learnerId());
      node.put("course_id", c.courseId());
      node.put("state", c.state());
      node.set("updated_at", Cells.zonedTimestamp(c.updatedAtMicros()));
    } else if (row instanceof Roster.Course) {
      Roster.Course c = (Roster.Course) row;
      node.put("course_id", c.id());
      node.put("tenant_id", c.tenant());
      node.put("title", c.title());
      node.set("passing_score_pct", Cells.decimal(c.passingScorePct(), format));
      node.put("module_count", c.moduleCount());
    } else {
      Roster.Learner l = (Roster.Learner) row;
      node.put("learner_id", l.id());
      node.put("tenant_id", l.tenant());
      node.put("cohort_id", l.cohort());
      node.put("country", l.country());
    }
    return node;
  }

  @Override
  ObjectNode source(PlannedChange change, long sourceTs) {
    long lsn;
    long tx;
    ArrayNode sequence = NODES.arrayNode();
    if (change.snapshot) {
      lsn = snapshotLsn;
      tx = snapshotTxId;
      sequence.addNull();
    } else {
      sequence.add(Long.toString(lastCommitLsn));
      lsn = lastCommitLsn + 56 + 8L * random.nextInt(120);
      lastCommitLsn = lsn + 48;
      tx = ++txId;
    }
    sequence.add(Long.toString(lsn));
    ObjectNode source = sourceHead("postgresql", "lxp", sourceTs, change.snapshotMarker);
    source.put("sequence", sequence.toString());
    putSourceMicros(source, sourceTs);
    source.put("schema", "public");
    source.put("table", change.table.defaultTopic().substring("lxp.public.".length()));
    source.put("txId", tx);
    source.put("lsn", lsn);
    source.putNull("xmin");
    return source;
  }
}
