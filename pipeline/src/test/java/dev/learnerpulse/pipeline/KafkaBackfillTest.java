package dev.learnerpulse.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.learnerpulse.model.Topics;
import dev.learnerpulse.sinks.OutputRows;
import dev.learnerpulse.testkit.EmbeddedKafka;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.joda.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backfill straight from Kafka ({@code --from}, {@code --to}) over the committed test data
 * produced to a real broker writes exactly what the backfill of the {@code kcat -C -J} dumps of the
 * same topics writes, and reports the same outcomes.
 */
class KafkaBackfillTest {
  private static final Path TESTDATA = Path.of("..", "testdata").toAbsolutePath();

  /** The committed data's Kafka timestamps all fall on this day. */
  private static final String FROM = "2026-11-20T00:00:00Z";

  private static final String TO = "2026-11-21T00:00:00Z";

  @TempDir static Path work;
  private static EmbeddedKafka kafka;
  private static Map<String, Long> produced;
  private static OutcomeReport dumpBackfill;

  @BeforeAll
  static void produceTestData() throws IOException {
    kafka = EmbeddedKafka.start();
    // One partition more than the test data uses: an empty partition has no offset for any time.
    kafka.createTopics(TestDataTopics.sourceTopics(), 4);
    produced = TestDataTopics.produce(kafka.bootstrapServers(), TESTDATA);
  }

  @AfterAll
  static void stopKafka() {
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void aBackfillFromKafkaWritesWhatTheBackfillOfTheDumpsWrites() throws Exception {
    OutcomeReport files = dumpBackfill();
    OutcomeReport fromKafka =
        backfill(
            work.resolve("kafka"),
            "--bootstrapServers=" + kafka.bootstrapServers(),
            "--from=" + FROM,
            "--to=" + TO);
    assertSameOutputs(work.resolve("files"), files, work.resolve("kafka"), fromKafka);
    for (Map.Entry<String, Long> topic : produced.entrySet()) {
      assertEquals(topic.getValue(), fromKafka.input(topic.getKey()), topic.getKey());
    }
  }

  /**
   * The bounded Kafka read on the embedded Flink cluster, two tasks: the same tables and outcomes
   * as the DirectRunner's backfill of the dumps.
   */
  @Test
  void onFlinkABackfillFromKafkaWritesWhatTheBackfillOfTheDumpsWrites() throws Exception {
    OutcomeReport files = dumpBackfill();
    OutcomeReport onFlink =
        backfill(
            work.resolve("flink-kafka"),
            "--runner=FlinkRunner",
            "--flinkMaster=[local]",
            "--parallelism=2",
            "--bootstrapServers=" + kafka.bootstrapServers(),
            "--from=" + FROM,
            "--to=" + TO);
    assertSameOutputs(work.resolve("files"), files, work.resolve("flink-kafka"), onFlink);
  }

  /**
   * The period cuts by Kafka timestamp, per partition: the change topics from --from, the reference
   * topics whole up to --to. The offsets resolved are exactly the records in the period.
   */
  @Test
  void theOffsetRangesHoldTheChangesOfThePeriodAndTheReferencesUpToItsEnd() {
    KafkaConnection connection =
        KafkaConnection.to(kafka.bootstrapServers(), KafkaSecurity.PLAINTEXT).validated();
    KafkaBackfill whole =
        KafkaBackfill.resolve(
            connection, Topics.defaults(), Instant.parse(FROM), Instant.parse(TO));
    long producedTotal = produced.values().stream().mapToLong(Long::longValue).sum();
    assertEquals(producedTotal, whole.size());

    KafkaBackfill none =
        KafkaBackfill.resolve(
            connection,
            Topics.defaults(),
            Instant.parse("2026-11-21T00:00:00Z"),
            Instant.parse("2026-11-22T00:00:00Z"));
    // After the data: no change at all, and the reference topics whole, as at the period's end.
    assertEquals(
        produced.get("lxp.public.courses") + produced.get("lxp.public.learners"), none.size());

    KafkaBackfill before =
        KafkaBackfill.resolve(
            connection,
            Topics.defaults(),
            Instant.parse("2026-11-19T00:00:00Z"),
            Instant.parse(FROM));
    assertEquals(0, before.size());
  }

  @Test
  void aPeriodNeedsBothEndsInOrder() {
    IllegalArgumentException oneEnd =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                LearnerPulse.create(
                    options(
                        work.resolve("x"),
                        "--bootstrapServers=" + kafka.bootstrapServers(),
                        "--from=" + FROM)));
    assertEquals(
        "--from and --to go together: a backfill from Kafka needs both ends of its period",
        oneEnd.getMessage());
    IllegalArgumentException reversed =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                LearnerPulse.create(
                    options(
                        work.resolve("x"),
                        "--bootstrapServers=" + kafka.bootstrapServers(),
                        "--from=" + TO,
                        "--to=" + FROM)));
    assertEquals(
        "--from must be before --to, not 2026-11-21T00:00:00.000Z >= 2026-11-20T00:00:00.000Z",
        reversed.getMessage());
    IllegalArgumentException both =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                LearnerPulse.create(
                    options(
                        work.resolve("x"),
                        "--inputPattern=x/*.jsonl",
                        "--from=" + FROM,
                        "--to=" + TO)));
    assertEquals(
        "--inputPattern and --from/--to are two sources of a backfill: give one of them",
        both.getMessage());
  }

  /** The DirectRunner's backfill of a dump of what was produced, into {@code work/files}, once. */
  private static synchronized OutcomeReport dumpBackfill() throws IOException {
    if (dumpBackfill == null) {
      Path dumps = TestDataTopics.producedDumps(TESTDATA, work.resolve("dumps"));
      dumpBackfill = backfill(work.resolve("files"), "--inputPattern=" + dumps + "/*.jsonl");
    }
    return dumpBackfill;
  }

  /**
   * Two backfills wrote the same rows to every table (but {@code seen_at}), none of them empty, and
   * the same outcome table, which adds up.
   */
  static void assertSameOutputs(
      Path expectedDir, OutcomeReport expected, Path actualDir, OutcomeReport actual)
      throws IOException {
    for (String table :
        List.of(
            OutputRows.METRICS_TABLE, OutputRows.DEAD_LETTERS_TABLE, OutputRows.TOO_LATE_TABLE)) {
      List<String> rows = TableFiles.comparableRows(expectedDir, table);
      assertFalse(rows.isEmpty(), table);
      assertEquals(rows, TableFiles.comparableRows(actualDir, table), table);
    }
    assertEquals(expected.render(), actual.render());
    assertTrue(actual.balanced(), actual.render());
  }

  static OutcomeReport backfill(Path out, String... source) {
    PipelineResult result = LearnerPulse.run(options(out, source));
    assertEquals(PipelineResult.State.DONE, result.waitUntilFinish());
    return OutcomeReport.of(result);
  }

  static LearnerPulseOptions options(Path out, String... source) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--mode=backfill",
                // live lateness: the too-late table then also compares the Kafka timestamps read
                "--lateness=live",
                "--outputDir=" + out));
    args.addAll(List.of(source));
    if (args.stream().noneMatch(arg -> arg.startsWith("--runner="))) {
      args.add("--runner=DirectRunner");
    }
    return PipelineOptionsFactory.fromArgs(args.toArray(String[]::new))
        .as(LearnerPulseOptions.class);
  }
}
