package dev.learnerpulse.testkit.testdata;

import dev.learnerpulse.model.Op;
import dev.learnerpulse.model.SourceTable;
import dev.learnerpulse.testkit.testdata.PlannedChange.Delivery;
import dev.learnerpulse.testkit.testdata.WireFormat.Connector;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Kafka timestamps. Snapshot reads are stamped one after another as each connector's snapshot runs;
 * streamed changes reach Kafka tens of milliseconds to a few seconds after their event time, except
 * interactions and attempts from clients that were offline: those arrive out of order (tens of
 * seconds), late (two to four minutes) or very late (over ten minutes).
 */
final class Deliveries {
  private static final long SECOND = 1_000L;
  private static final long MINUTE = 60 * SECOND;

  private final SplittableRandom random;
  private final long end;

  Deliveries(GeneratorConfig config, SplittableRandom random) {
    this.random = random;
    this.end = config.endMillis();
  }

  /**
   * Stamps the snapshot reads of all connectors, starting at {@code snapshotAt}; PostgreSQL
   * snapshots its tables in name order, and marks the first, each table's last and the very last
   * read as Debezium does.
   */
  void stampSnapshot(List<PlannedChange> changes, long snapshotAt) {
    for (Connector connector : Connector.values()) {
      List<PlannedChange> reads = new ArrayList<>();
      for (PlannedChange c : changes) {
        if (c.snapshot && Deployments.connector(c.table) == connector) {
          reads.add(c);
        }
      }
      reads.sort(Comparator.comparing((PlannedChange c) -> c.table.defaultTopic()));
      long ts = snapshotAt + 180 + random.nextInt(60);
      for (int i = 0; i < reads.size(); i++) {
        PlannedChange read = reads.get(i);
        read.kafkaTs = ts;
        ts += 2 + random.nextInt(5);
        boolean lastOfTable = i == reads.size() - 1 || reads.get(i + 1).table != read.table;
        read.snapshotMarker =
            i == 0
                ? "first"
                : i == reads.size() - 1 ? "last" : lastOfTable ? "last_in_data_collection" : "true";
      }
    }
  }

  /** Stamps streamed changes; {@code veryLate} of them arrive more than ten minutes behind. */
  void stampStream(List<PlannedChange> changes, int veryLate, long notBefore) {
    List<PlannedChange> offline = new ArrayList<>();
    for (PlannedChange c : changes) {
      if (!c.snapshot
          && c.op == Op.CREATE
          && fromClient(c.table)
          && c.eventTime > notBefore + MINUTE
          && c.eventTime < end - 16 * MINUTE) {
        offline.add(c);
      }
    }
    for (int n = 0; n < veryLate && !offline.isEmpty(); n++) {
      offline.remove(random.nextInt(offline.size())).delivery = Delivery.VERY_LATE;
    }
    for (PlannedChange c : changes) {
      if (c.snapshot) {
        continue;
      }
      if (c.delivery == Delivery.PROMPT && c.op == Op.CREATE && fromClient(c.table)) {
        double r = random.nextDouble();
        if (r < 0.01 && c.eventTime < end - 4 * MINUTE) {
          c.delivery = Delivery.LATE;
        } else if (r < 0.03) {
          c.delivery = Delivery.OUT_OF_ORDER;
        }
      }
      c.kafkaTs = c.eventTime + delay(c);
    }
  }

  private long delay(PlannedChange c) {
    switch (c.delivery) {
      case OUT_OF_ORDER:
        return 10 * SECOND + random.nextInt(40_000);
      case LATE:
        return 2 * MINUTE + random.nextInt(120_000);
      case VERY_LATE:
        return 11 * MINUTE + random.nextInt(240_000);
      default:
        switch (Deployments.connector(c.table)) {
          case POSTGRESQL:
            return 20 + random.nextInt(900);
          case MYSQL:
            return 40 + random.nextInt(2_500);
          default:
            return 80 + random.nextInt(3_000);
        }
    }
  }

  /** Tables whose business time is set by the learner's device rather than the database. */
  private static boolean fromClient(SourceTable table) {
    return table == SourceTable.COURSE_INTERACTIONS || table == SourceTable.ASSESSMENT_EVENTS;
  }
}
