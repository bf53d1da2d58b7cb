package dev.learnerpulse.sinks.bigquery;

import static dev.learnerpulse.sinks.bigquery.WarehouseFixtures.SEEN;
import static dev.learnerpulse.sinks.bigquery.WarehouseFixtures.W0;
import static dev.learnerpulse.sinks.bigquery.WarehouseFixtures.W1;
import static dev.learnerpulse.sinks.bigquery.WarehouseFixtures.badScore;
import static dev.learnerpulse.sinks.bigquery.WarehouseFixtures.certificateIssued;
import static dev.learnerpulse.sinks.bigquery.WarehouseFixtures.malformed;
import static dev.learnerpulse.sinks.bigquery.WarehouseFixtures.pane;
import static dev.learnerpulse.sinks.bigquery.WarehouseFixtures.row;
import static dev.learnerpulse.sinks.bigquery.WarehouseFixtures.tooLate;
import static dev.learnerpulse.sinks.bigquery.WarehouseFixtures.unenriched;
import static dev.learnerpulse.testing.Fixtures.ADA;
import static dev.learnerpulse.testing.Fixtures.GRACE;
import static dev.learnerpulse.testing.Fixtures.ML_201;
import static dev.learnerpulse.testing.Fixtures.SQL_101;
import static org.apache.beam.sdk.transforms.display.DisplayDataMatchers.hasDisplayItem;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import com.google.api.services.bigquery.model.Table;
import dev.learnerpulse.metrics.OutcomeCounters;
import dev.learnerpulse.model.DeadLetter;
import dev.learnerpulse.model.LearnerWindowMetrics;
import dev.learnerpulse.model.ReasonCode;
import dev.learnerpulse.model.TooLateEvent;
import dev.learnerpulse.sinks.bigquery.WriteToWarehouse.Method;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryIO.Write.CreateDisposition;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.joda.time.Duration;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;

/**
 * The warehouse sink against Beam's fake BigQuery: the exact rows that land in each table for both
 * methods, bounded and unbounded input, upserts, and rows BigQuery refuses.
 */
public class WriteToWarehouseTest {
  private static final Clock CLOCK =
      Clock.fixed(java.time.Instant.ofEpochMilli(SEEN.getMillis()), ZoneOffset.UTC);
  private static final String REFUSED = "L-refused";

  @Rule public final transient TestPipeline p = TestPipeline.create();

  private FakeWarehouse warehouse;

  @Before
  public void resetWarehouse() throws Exception {
    warehouse = FakeWarehouse.reset();
  }

  @Test
  public void exactlyOnceWritesEveryTableFromBoundedInput() throws Exception {
    warehouse.withTables(false);
    writeSamples(sink().withMethod(Method.EXACTLY_ONCE));
    assertSampleRowsLanded();
  }

  @Test
  public void atLeastOnceWritesEveryTableFromBoundedInput() throws Exception {
    warehouse.withTables(false);
    writeSamples(sink().withMethod(Method.AT_LEAST_ONCE));
    assertSampleRowsLanded();
  }

  @Test
  public void exactlyOnceCommitsUnboundedPanesEveryTriggeringFrequency() throws Exception {
    warehouse.withTables(false);
    PCollection<DeadLetter> rejected =
        WriteToWarehouse.inputs(
                p.apply("Panes", panesArrivingOverTime(0, 1)),
                p.apply("DeadLetters", Create.of(malformed(42))),
                p.apply("TooLate", Create.empty(TypeDescriptor.of(TooLateEvent.class))))
            .apply(
                "WriteToWarehouse",
                sink()
                    .withMethod(Method.EXACTLY_ONCE)
                    .withTriggeringFrequency(Duration.standardSeconds(5))
                    .withNumStorageWriteApiStreams(2));
    PAssert.that(rejected).empty();
    p.run().waitUntilFinish();

    assertThat(paneIndexes(), containsInAnyOrder("0", "1"));
    assertEquals(1, warehouse.rows(WarehouseTable.DEAD_LETTERS).size());
  }

  @Test
  public void atLeastOnceAppendsUnboundedPanesAsTheyCome() throws Exception {
    warehouse.withTables(false);
    PCollection<DeadLetter> rejected =
        WriteToWarehouse.inputs(
                p.apply("Panes", panesArrivingOverTime(0, 1, 2)),
                p.apply("DeadLetters", Create.empty(TypeDescriptor.of(DeadLetter.class))),
                p.apply("TooLate", Create.of(tooLate())))
            .apply("WriteToWarehouse", sink().withMethod(Method.AT_LEAST_ONCE));
    PAssert.that(rejected).empty();
    p.run().waitUntilFinish();

    assertThat(paneIndexes(), containsInAnyOrder("0", "1", "2"));
    assertEquals(1, warehouse.rows(WarehouseTable.TOO_LATE_EVENTS).size());
  }

  @Test
  public void upsertsKeepOnlyTheLatestPaneOfEachKeyAndWindow() throws Exception {
    warehouse.withTables(true);
    TestStream<LearnerWindowMetrics> panes =
        TestStream.create(coder(LearnerWindowMetrics.class))
            .addElements(pane(ADA, SQL_101, W0, 0), pane(GRACE, SQL_101, W0, 0))
            .advanceProcessingTime(Duration.standardSeconds(10))
            .addElements(pane(ADA, SQL_101, W0, 1), pane(ADA, SQL_101, W1, 0))
            .advanceProcessingTime(Duration.standardSeconds(10))
            .addElements(pane(ADA, SQL_101, W0, 2))
            .advanceProcessingTime(Duration.standardSeconds(10))
            // A retried bundle replays an older pane after a newer one was written.
            .addElements(pane(ADA, SQL_101, W0, 1))
            .advanceWatermarkToInfinity();
    PCollection<DeadLetter> rejected =
        WriteToWarehouse.inputs(
                p.apply("Panes", panes),
                p.apply("DeadLetters", Create.empty(TypeDescriptor.of(DeadLetter.class))),
                p.apply("TooLate", Create.empty(TypeDescriptor.of(TooLateEvent.class))))
            .apply("WriteToWarehouse", sink().withMethod(Method.AT_LEAST_ONCE).withUpserts(true));
    PAssert.that(rejected).empty();
    p.run().waitUntilFinish();

    List<String> latest = new ArrayList<>();
    for (Map<String, Object> row : warehouse.rows(WarehouseTable.LEARNER_WINDOW_METRICS)) {
      latest.add(
          row.get("learner_id")
              + " "
              + row.get("window_start")
              + " pane "
              + row.get("pane_index")
              + " interactions "
              + row.get("interactions"));
    }
    assertThat(
        latest,
        containsInAnyOrder(
            ADA + " 2026-11-20 T09:00:00 pane 2 interactions 5",
            ADA + " 2026-11-20 T09:01:00 pane 0 interactions 3",
            GRACE + " 2026-11-20 T09:00:00 pane 0 interactions 3"));
  }

  @Test
  public void createIfNeededCreatesPartitionedClusteredTablesWithTheUpsertKey() throws Exception {
    writeSamples(
        sink()
            .withMethod(Method.AT_LEAST_ONCE)
            .withUpserts(true)
            .withCreateDisposition(CreateDisposition.CREATE_IF_NEEDED));

    for (WarehouseTable expected : WarehouseTable.values()) {
      Table created = warehouse.table(expected);
      assertEquals(expected.schema().getFields(), created.getSchema().getFields());
      assertEquals(expected.timePartitioning(), created.getTimePartitioning());
      assertEquals(expected.clustering(), created.getClustering());
    }
    Table metrics = warehouse.table(WarehouseTable.LEARNER_WINDOW_METRICS);
    assertEquals("DAY", metrics.getTimePartitioning().getType());
    assertEquals("window_start", metrics.getTimePartitioning().getField());
    assertEquals(List.of("tenant_id", "course_id"), metrics.getClustering().getFields());
    assertEquals(
        WarehouseTable.METRICS_PRIMARY_KEY,
        metrics.getTableConstraints().getPrimaryKey().getColumns());
    assertEquals(2, warehouse.rows(WarehouseTable.LEARNER_WINDOW_METRICS).size());
  }

  @Test
  public void refusedRowsBecomeWarehouseRejectedDeadLettersExactlyOnce() throws Exception {
    assertRefusedRowsBecomeDeadLetters(Method.EXACTLY_ONCE);
  }

  @Test
  public void refusedRowsBecomeWarehouseRejectedDeadLettersAtLeastOnce() throws Exception {
    assertRefusedRowsBecomeDeadLetters(Method.AT_LEAST_ONCE);
  }

  @Test
  public void refusedDeadLettersAreCountedAndNotWrittenBack() throws Exception {
    warehouse.withTables(false).refusing(row -> "BAD_VALUE".equals(row.get("reason")));
    PCollection<DeadLetter> rejected =
        WriteToWarehouse.inputs(
                p.apply("Metrics", Create.empty(TypeDescriptor.of(LearnerWindowMetrics.class))),
                p.apply("DeadLetters", Create.of(malformed(42), badScore(43))),
                p.apply("TooLate", Create.empty(TypeDescriptor.of(TooLateEvent.class))))
            .apply("WriteToWarehouse", sink());
    PAssert.that(rejected).empty();
    PipelineResult result = p.run();
    result.waitUntilFinish();

    List<Map<String, Object>> deadLetters = warehouse.rows(WarehouseTable.DEAD_LETTERS);
    assertEquals(1, deadLetters.size());
    assertEquals("42", deadLetters.get(0).get("offset"));
    assertEquals(1, counter(result, WriteToWarehouse.REJECTED_DEAD_LETTERS_COUNTER));
  }

  @Test
  public void unboundedExactlyOnceNeedsTriggeringFrequencyAndStreams() throws Exception {
    p.enableAbandonedNodeEnforcement(false);
    var inputs =
        WriteToWarehouse.inputs(
            p.apply("Panes", panesArrivingOverTime(0)),
            p.apply("DeadLetters", Create.empty(TypeDescriptor.of(DeadLetter.class))),
            p.apply("TooLate", Create.empty(TypeDescriptor.of(TooLateEvent.class))));

    IllegalArgumentException noFrequency =
        assertThrows(
            IllegalArgumentException.class,
            () -> inputs.apply("NoFrequency", sink().withNumStorageWriteApiStreams(2)));
    assertThat(noFrequency.getMessage(), containsString("withTriggeringFrequency"));
    IllegalArgumentException noStreams =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                inputs.apply(
                    "NoStreams", sink().withTriggeringFrequency(Duration.standardSeconds(5))));
    assertThat(noStreams.getMessage(), containsString("withNumStorageWriteApiStreams"));
  }

  @Test
  public void upsertsNeedAtLeastOnce() throws Exception {
    p.enableAbandonedNodeEnforcement(false);
    var inputs =
        WriteToWarehouse.inputs(
            p.apply("Metrics", Create.empty(TypeDescriptor.of(LearnerWindowMetrics.class))),
            p.apply("DeadLetters", Create.empty(TypeDescriptor.of(DeadLetter.class))),
            p.apply("TooLate", Create.empty(TypeDescriptor.of(TooLateEvent.class))));

    IllegalArgumentException thrown =
        assertThrows(
            IllegalArgumentException.class,
            () -> inputs.apply(sink().withMethod(Method.EXACTLY_ONCE).withUpserts(true)));
    assertThat(thrown.getMessage(), containsString("AT_LEAST_ONCE"));
  }

  @Test
  public void builderRefusesNonsense() {
    WriteToWarehouse sink = WriteToWarehouse.to("p", "d");
    assertThrows(IllegalArgumentException.class, () -> WriteToWarehouse.to("", "d"));
    assertThrows(IllegalArgumentException.class, () -> sink.withNumStorageWriteApiStreams(0));
    assertThrows(IllegalArgumentException.class, () -> sink.withTriggeringFrequency(Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> sink.withTables("a", "b", "a"));
    assertThrows(IllegalArgumentException.class, () -> sink.withTables("a", " ", "c"));
  }

  @Test
  public void displayDataShowsTablesMethodAndStreams() {
    DisplayData configured =
        DisplayData.from(
            WriteToWarehouse.to("my-project", "learner_pulse")
                .withTables("metrics_v2", "dead_letters_v2", "too_late_v2")
                .withAlertsTable("alerts_v2")
                .withMethod(Method.EXACTLY_ONCE)
                .withTriggeringFrequency(Duration.standardSeconds(10))
                .withNumStorageWriteApiStreams(4)
                .withCreateDisposition(CreateDisposition.CREATE_IF_NEEDED));

    assertThat(configured, hasDisplayItem("project", "my-project"));
    assertThat(configured, hasDisplayItem("dataset", "learner_pulse"));
    assertThat(configured, hasDisplayItem("metricsTable", "metrics_v2"));
    assertThat(configured, hasDisplayItem("deadLettersTable", "dead_letters_v2"));
    assertThat(configured, hasDisplayItem("tooLateTable", "too_late_v2"));
    assertThat(configured, hasDisplayItem("alertsTable", "alerts_v2"));
    assertThat(configured, hasDisplayItem("method", "EXACTLY_ONCE"));
    assertThat(configured, hasDisplayItem("triggeringFrequency", Duration.standardSeconds(10)));
    assertThat(configured, hasDisplayItem("numStorageWriteApiStreams", 4));
    assertThat(configured, hasDisplayItem("createDisposition", "CREATE_IF_NEEDED"));
    assertThat(configured, hasDisplayItem("upserts", false));

    DisplayData defaults =
        DisplayData.from(
            WriteToWarehouse.to("p", "d").withMethod(Method.AT_LEAST_ONCE).withUpserts(true));
    assertThat(defaults, hasDisplayItem("metricsTable", "learner_window_metrics"));
    assertThat(defaults, hasDisplayItem("method", "AT_LEAST_ONCE"));
    assertThat(defaults, hasDisplayItem("createDisposition", "CREATE_NEVER"));
    assertThat(defaults, hasDisplayItem("upserts", true));
    assertThat(defaults, not(hasDisplayItem("triggeringFrequency")));
    assertThat(defaults, not(hasDisplayItem("numStorageWriteApiStreams")));
  }

  @Test
  public void changeSequenceNumbersSortByPaneIndex() {
    assertEquals("0000000000000009", WarehouseRows.changeSequenceNumber(9));
    assertEquals("000000000000000a", WarehouseRows.changeSequenceNumber(10));
    assertEquals(
        -1,
        Integer.signum(
            WarehouseRows.changeSequenceNumber(255)
                .compareTo(WarehouseRows.changeSequenceNumber(4096))));
  }

  private void assertRefusedRowsBecomeDeadLetters(Method method) throws Exception {
    warehouse.withTables(false).refusing(row -> REFUSED.equals(row.get("learner_id")));
    LearnerWindowMetrics refusedPane = pane(REFUSED, SQL_101, W0, 0);
    TooLateEvent refusedTooLate =
        TooLateEvent.create(
            tooLate().getTopic(),
            1,
            8,
            tooLate().getKafkaTimestamp(),
            tooLate().getSourceTable(),
            tooLate().getOp(),
            REFUSED,
            SQL_101,
            tooLate().getEventTime(),
            W0,
            W1,
            tooLate().getExpiredAt(),
            null,
            SEEN);
    PCollection<DeadLetter> rejected =
        WriteToWarehouse.inputs(
                p.apply("Metrics", Create.of(pane(ADA, SQL_101, W0, 0), refusedPane)),
                p.apply("DeadLetters", Create.of(malformed(42))),
                p.apply("TooLate", Create.of(tooLate(), refusedTooLate)))
            .apply("WriteToWarehouse", sink().withMethod(method));

    String metricsJson = WarehouseRows.json(WarehouseRows.of(refusedPane));
    String tooLateJson = WarehouseRows.json(WarehouseRows.of(refusedTooLate));
    PAssert.that(rejected)
        .satisfies(
            deadLetters -> {
              List<String> seen = new ArrayList<>();
              for (DeadLetter d : deadLetters) {
                assertThat(d.getDetail(), startsWith(d.getTopic() + " refused the row: "));
                seen.add(withoutDetail(d).toString());
              }
              assertThat(
                  seen,
                  containsInAnyOrder(
                      rejectedRow(WarehouseTable.LEARNER_WINDOW_METRICS, metricsJson).toString(),
                      rejectedRow(WarehouseTable.TOO_LATE_EVENTS, tooLateJson).toString()));
              return null;
            });
    PipelineResult result = p.run();
    result.waitUntilFinish();

    assertThat(metricsJson, containsString("\"window_start\":\"2026-11-20T09:00:00.000Z\""));
    assertEquals(1, warehouse.rows(WarehouseTable.LEARNER_WINDOW_METRICS).size());
    assertEquals(1, warehouse.rows(WarehouseTable.TOO_LATE_EVENTS).size());
    List<String> deadLetterTopics = new ArrayList<>();
    for (Map<String, Object> row : warehouse.rows(WarehouseTable.DEAD_LETTERS)) {
      deadLetterTopics.add(row.get("topic") + " " + row.get("reason") + " " + row.get("value"));
    }
    assertThat(
        deadLetterTopics,
        containsInAnyOrder(
            "lxp.public.learner_progress MALFORMED oops",
            "learner_window_metrics WAREHOUSE_REJECTED " + metricsJson,
            "too_late_events WAREHOUSE_REJECTED " + tooLateJson));
    assertEquals(2, counter(result, OutcomeCounters.reasonName(ReasonCode.WAREHOUSE_REJECTED)));
    assertEquals(0, counter(result, WriteToWarehouse.REJECTED_DEAD_LETTERS_COUNTER));
  }

  private static DeadLetter rejectedRow(WarehouseTable table, String json) {
    return DeadLetter.create(
        table.defaultName(),
        -1,
        -1L,
        SEEN,
        null,
        json,
        DeadLetter.Encoding.TEXT,
        ReasonCode.WAREHOUSE_REJECTED,
        "",
        SEEN);
  }

  private static DeadLetter withoutDetail(DeadLetter d) {
    return DeadLetter.create(
        d.getTopic(),
        d.getPartition(),
        d.getOffset(),
        d.getKafkaTimestamp(),
        d.getKey(),
        d.getValue(),
        d.getValueEncoding(),
        d.getReason(),
        "",
        d.getSeenAt());
  }

  private WriteToWarehouse sink() {
    return WriteToWarehouse.to(FakeWarehouse.PROJECT, FakeWarehouse.DATASET)
        .withClock(CLOCK)
        .withTestServices(warehouse.services);
  }

  /** One enriched and one unknown learner's pane, a malformed record and a too-late change. */
  private void writeSamples(WriteToWarehouse sink) {
    PCollection<DeadLetter> rejected =
        WriteToWarehouse.inputs(
                p.apply(
                    "Metrics", Create.of(pane(ADA, SQL_101, W0, 0), unenriched(GRACE, ML_201, W1))),
                p.apply("DeadLetters", Create.of(malformed(42))),
                p.apply("TooLate", Create.of(tooLate())),
                p.apply("Alerts", Create.of(certificateIssued())))
            .apply("WriteToWarehouse", sink);
    PAssert.that(rejected).empty();
    p.run().waitUntilFinish();
  }

  private void assertSampleRowsLanded() throws Exception {
    assertThat(
        warehouse.rows(WarehouseTable.LEARNER_WINDOW_METRICS),
        containsInAnyOrder(
            row(
                "tenant_id", "T-acme",
                "learner_id", ADA,
                "course_id", SQL_101,
                "window_start", "2026-11-20 T09:00:00",
                "window_end", "2026-11-20 T09:01:00",
                "interactions", "3",
                "active_seconds", "12.5",
                "assessments", "1",
                "avg_score_pct", "55.0",
                "best_score_pct", "55.0",
                "passing_score_pct", "70.0",
                "final_passed", "false",
                "progress_pct", "40.0",
                "progress_status", "in_progress",
                "completed", "false",
                "engagement_score", "16.42",
                "at_risk", "true",
                "enriched", "true",
                "events", "5",
                "pane_index", "0",
                "pane_timing", "EARLY"),
            row(
                "learner_id", GRACE,
                "course_id", ML_201,
                "window_start", "2026-11-20 T09:01:00",
                "window_end", "2026-11-20 T09:02:00",
                "interactions", "1",
                "active_seconds", "0.0",
                "assessments", "0",
                "passing_score_pct", "70.0",
                "final_passed", "false",
                "completed", "false",
                "engagement_score", "2.0",
                "at_risk", "false",
                "enriched", "false",
                "events", "1",
                "pane_index", "0",
                "pane_timing", "ON_TIME")));
    assertThat(
        warehouse.rows(WarehouseTable.DEAD_LETTERS),
        containsInAnyOrder(
            row(
                "topic", "lxp.public.learner_progress",
                "partition", "0",
                "offset", "42",
                "kafka_timestamp", "2026-11-20 T09:00:05",
                "key", "k-42",
                "value", "oops",
                "value_encoding", "TEXT",
                "reason", "MALFORMED",
                "detail", "not JSON: Unrecognized token 'oops'",
                "seen_at", "2026-11-21 T12:00:00")));
    assertThat(
        warehouse.rows(WarehouseTable.TOO_LATE_EVENTS),
        containsInAnyOrder(
            row(
                "topic", "lxp.engagement.course_interactions",
                "partition", "1",
                "offset", "7",
                "kafka_timestamp", "2026-11-21 T11:59:59",
                "source_table", "course_interactions",
                "op", "c",
                "learner_id", ADA,
                "course_id", SQL_101,
                "event_time", "2026-11-20 T09:00:30",
                "window_start", "2026-11-20 T09:00:00",
                "window_end", "2026-11-20 T09:01:00",
                "expired_at", "2026-11-20 T09:06:00",
                "seen_at", "2026-11-21 T12:00:00")));
    assertThat(
        warehouse.rows(WarehouseTable.LEARNER_ALERTS),
        containsInAnyOrder(
            row(
                "alert_id", "5b1c3f2e-0000-3000-8000-000000000001",
                "kind", "CERTIFICATE_ISSUED",
                "tenant_id", "acme",
                "learner_id", ADA,
                "course_id", SQL_101,
                "event_time", "2026-11-20 T09:00:30",
                "topic", "lxp.public.certification_state",
                "partition", "0",
                "offset", "12",
                "kafka_timestamp", "2026-11-21 T11:59:58",
                "identity", "lxp.public.certification_state|c|L-ada|C-sql-101|lsn=300")));
  }

  /** Successive panes of Ada's first window, ten seconds of processing time apart. */
  private TestStream<LearnerWindowMetrics> panesArrivingOverTime(long... paneIndexes)
      throws Exception {
    TestStream.Builder<LearnerWindowMetrics> stream =
        TestStream.create(coder(LearnerWindowMetrics.class));
    for (long pane : paneIndexes) {
      stream =
          stream
              .addElements(pane(ADA, SQL_101, W0, pane))
              .advanceProcessingTime(Duration.standardSeconds(10));
    }
    return stream.advanceWatermarkToInfinity();
  }

  private List<Object> paneIndexes() throws Exception {
    List<Object> panes = new ArrayList<>();
    for (Map<String, Object> row : warehouse.rows(WarehouseTable.LEARNER_WINDOW_METRICS)) {
      panes.add(row.get("pane_index"));
    }
    return panes;
  }

  private <T> Coder<T> coder(Class<T> type) throws Exception {
    return p.getSchemaRegistry().getSchemaCoder(type);
  }

  private static long counter(PipelineResult result, String name) {
    long sum = 0;
    for (MetricResult<Long> counter :
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named(OutcomeCounters.NAMESPACE, name))
                    .build())
            .getCounters()) {
      sum += counter.getAttempted();
    }
    return sum;
  }
}
