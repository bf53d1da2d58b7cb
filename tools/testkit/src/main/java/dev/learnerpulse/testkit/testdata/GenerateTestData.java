package dev.learnerpulse.testkit.testdata;

import dev.learnerpulse.model.Op;
import dev.learnerpulse.model.Outcome;
import dev.learnerpulse.testkit.testdata.PlannedChange.Delivery;
import dev.learnerpulse.testkit.testdata.WireFormat.Connector;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Writes a realistic learning-platform day as {@code kcat -C -J} dumps, one {@code <topic>.jsonl}
 * per topic (four change topics, the two reference topics, and one topic nobody configured), and
 * {@code expected-outcomes.json} with what the contract must make of every record. The output
 * depends only on the arguments: the same seed gives byte-identical files.
 *
 * <p>About 5% of the change records are deliberately bad (every reason code JSON input can produce,
 * see {@link Defect}) and about 2% are redelivered duplicates; the rest mix every wire format the
 * contract accepts. {@code testdata/README.md} describes the data set.
 *
 * <p>From the repository root (exec:java runs in the directory Maven was started from):
 *
 * <pre>{@code
 * mvn -B -q install -DskipTests -pl transforms && mvn -B -q compile exec:java -pl pipeline \
 *     -Dexec.mainClass=dev.learnerpulse.testkit.testdata.GenerateTestData -Dexec.args="--out testdata"
 * }</pre>
 *
 * <p>Options: {@code --out <dir>} (default testdata), {@code --seed <long>} (42), {@code --tenants}
 * (3), {@code --learners} (24), {@code --courses} (6), {@code --changes} (records over the four
 * change topics, 2400), {@code --minutes} (event-time span, 30), {@code --start <ISO instant>}
 * (2026-11-20T09:00:00Z), {@code --help}.
 */
public final class GenerateTestData {
  static final String EXPECTED_OUTCOMES = "expected-outcomes.json";

  private GenerateTestData() {}

  public static void main(String[] args) throws IOException {
    if (Arrays.asList(args).contains("--help")) {
      System.out.println(GeneratorConfig.USAGE);
      return;
    }
    GeneratorConfig config;
    try {
      config = GeneratorConfig.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(GeneratorConfig.USAGE);
      System.exit(2);
      return;
    }
    for (Path file : write(config)) {
      System.out.println("wrote " + file);
    }
  }

  /** Generates the data set and writes it under {@code config.out()}; returns the files. */
  static List<Path> write(GeneratorConfig config) throws IOException {
    TopicLog log = generate(config);
    Files.createDirectories(config.out());
    List<Path> written = new ArrayList<>();
    for (String topic : log.topics().keySet()) {
      Path file = config.out().resolve(topic + ".jsonl");
      Files.write(file, log.dumpLines(topic), StandardCharsets.UTF_8);
      written.add(file);
    }
    Path expected = config.out().resolve(EXPECTED_OUTCOMES);
    Files.writeString(expected, ExpectedOutcomes.render(config, log), StandardCharsets.UTF_8);
    written.add(expected);
    return written;
  }

  /**
   * Every record of every topic with its expected outcome. Each concern draws from its own split of
   * the seeded random, so tuning one leaves the others' choices alone.
   */
  public static TopicLog generate(GeneratorConfig config) {
    SplittableRandom seeded = new SplittableRandom(config.seed());
    int badCount = Math.round(config.changes() * 0.05f);
    int duplicateCount = Math.round(config.changes() * 0.02f);
    int cleanCount = config.changes() - badCount - duplicateCount;

    Roster roster = Roster.create(config, seeded.split());
    LearningDay day = new LearningDay(config, roster, seeded.split());
    List<PlannedChange> changes = day.plan(cleanCount);
    List<PlannedChange> all = new ArrayList<>(changes);
    all.addAll(ReferenceData.plan(config, roster, day.snapshotAt, seeded.split()));

    Deliveries deliveries = new Deliveries(config, seeded.split());
    deliveries.stampStream(changes, Math.max(2, config.changes() / 600), day.snapshotAt);
    deliveries.stampSnapshot(all, day.snapshotAt);
    all.addAll(BadRecords.plant(all, badCount, seeded.split()));

    TopicLog log = new TopicLog();
    render(config, all, day.snapshotAt, log, seeded.split());
    long start = config.startMillis();
    long span = config.endMillis() - start;
    Redeliveries.replay(
        log, duplicateCount, start + span * 3 / 10, config.endMillis() - 60_000L, seeded.split());
    UnknownTopic.write(log, start + span / 2 + 7_000L);
    return log;
  }

  /**
   * Renders every change through its connector in Kafka-timestamp order; deletes get tombstones.
   */
  private static void render(
      GeneratorConfig config,
      List<PlannedChange> all,
      long snapshotAt,
      TopicLog log,
      SplittableRandom random) {
    Map<Connector, SourceConnector> connectors = new EnumMap<>(Connector.class);
    connectors.put(Connector.POSTGRESQL, new PostgresConnector(random.split(), snapshotAt + 150));
    connectors.put(Connector.MYSQL, new MySqlConnector(random.split(), snapshotAt + 150));
    connectors.put(Connector.MONGODB, new MongoConnector(random.split(), snapshotAt + 150));
    Deployments deployments = new Deployments(config);
    List<PlannedChange> ordered = new ArrayList<>(all);
    ordered.sort(Comparator.comparingLong(c -> c.kafkaTs));
    for (PlannedChange c : ordered) {
      String topic = c.table.defaultTopic();
      Rendered record =
          connectors
              .get(Deployments.connector(c.table))
              .render(c, topic, deployments.format(c.table, c.kafkaTs));
      log.add(
          topic,
          record,
          c.kafkaTs,
          c.expectedOutcome(),
          c.defect == null ? null : c.defect.reason,
          c.delivery == Delivery.VERY_LATE,
          c.snapshot,
          c.expectedOutcome() == Outcome.VALID && !c.table.isReference() ? c.eventTime : null);
      if (c.op == Op.DELETE && c.defect == null) {
        log.add(topic, record.tombstone(), c.kafkaTs, Outcome.IGNORED, null, false, false, null);
      }
    }
  }
}
