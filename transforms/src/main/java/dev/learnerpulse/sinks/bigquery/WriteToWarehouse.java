package dev.learnerpulse.sinks.bigquery;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import com.google.api.services.bigquery.model.TableReference;
import com.google.api.services.bigquery.model.TableRow;
import com.google.auto.value.AutoValue;
import dev.learnerpulse.metrics.OutcomeCounters;
import dev.learnerpulse.model.DeadLetter;
import dev.learnerpulse.model.LearnerAlert;
import dev.learnerpulse.model.LearnerWindowMetrics;
import dev.learnerpulse.model.ReasonCode;
import dev.learnerpulse.model.TooLateEvent;
import java.time.Clock;
import java.util.List;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryIO;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryIO.Write.CreateDisposition;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryIO.Write.WriteDisposition;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryServices;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryStorageApiInsertError;
import org.apache.beam.sdk.io.gcp.bigquery.WriteResult;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.windowing.DefaultTrigger;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollection.IsBounded;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.annotations.VisibleForTesting;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the three output tables, and {@code learner_alerts} when the input has {@link #ALERTS}, to
 * BigQuery through the Storage Write API and returns, as dead letters ({@link
 * ReasonCode#WAREHOUSE_REJECTED}, the row as JSON in {@code value}, the table name as {@code
 * topic}), the metrics and too-late rows BigQuery refused. Those dead letters are also written to
 * the dead-letters table; the caller may route the returned copy elsewhere (files, alerts) but must
 * not feed it into another warehouse write. Rows the dead-letters table itself refuses are logged
 * and counted ({@value #REJECTED_DEAD_LETTERS_COUNTER}), never written back, so there is no loop.
 *
 * <pre>{@code
 * PCollection<DeadLetter> rejected =
 *     WriteToWarehouse.inputs(metrics, deadLetters, tooLate)
 *         .apply("WriteToWarehouse",
 *             WriteToWarehouse.to("my-project", "learner_pulse")
 *                 .withMethod(WriteToWarehouse.Method.EXACTLY_ONCE)
 *                 .withTriggeringFrequency(Duration.standardSeconds(10))
 *                 .withNumStorageWriteApiStreams(4));
 * }</pre>
 *
 * <p>Tables are Terraform's by default ({@code CREATE_NEVER}); with {@code CREATE_IF_NEEDED} the
 * sink creates them from {@link WarehouseTable}, partitioned and clustered.
 */
@AutoValue
public abstract class WriteToWarehouse
    extends PTransform<PCollectionTuple, PCollection<DeadLetter>> {
  public static final TupleTag<LearnerWindowMetrics> METRICS =
      new TupleTag<LearnerWindowMetrics>() {};
  public static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<DeadLetter>() {};
  public static final TupleTag<TooLateEvent> TOO_LATE = new TupleTag<TooLateEvent>() {};
  public static final TupleTag<LearnerAlert> ALERTS = new TupleTag<LearnerAlert>() {};

  /** Counter (namespace {@value OutcomeCounters#NAMESPACE}) of dead letters BigQuery refused. */
  public static final String REJECTED_DEAD_LETTERS_COUNTER = "warehouse_rejected_dead_letters";

  /** How rows reach BigQuery: the delivery guarantee, and with it cost and latency. */
  public enum Method {
    /**
     * Each row exactly once ({@code STORAGE_WRITE_API}): rows are buffered in Beam and committed
     * every triggering frequency through a fixed number of streams; costs a shuffle and adds up to
     * one triggering frequency of latency.
     */
    EXACTLY_ONCE(BigQueryIO.Write.Method.STORAGE_WRITE_API),
    /**
     * Rows appended to the default stream as they come ({@code STORAGE_API_AT_LEAST_ONCE}): cheaper
     * and lower latency, but a retried bundle can write a row twice. The only method Beam allows
     * for upserts.
     */
    AT_LEAST_ONCE(BigQueryIO.Write.Method.STORAGE_API_AT_LEAST_ONCE);

    private final BigQueryIO.Write.Method beamMethod;

    Method(BigQueryIO.Write.Method beamMethod) {
      this.beamMethod = beamMethod;
    }

    public BigQueryIO.Write.Method beamMethod() {
      return beamMethod;
    }
  }

  private static final Logger LOG = LoggerFactory.getLogger(WriteToWarehouse.class);

  abstract String project();

  abstract String dataset();

  abstract String metricsTable();

  abstract String deadLettersTable();

  abstract String tooLateTable();

  abstract String alertsTable();

  abstract Method method();

  abstract @Nullable Duration triggeringFrequency();

  abstract int numStorageWriteApiStreams();

  abstract CreateDisposition createDisposition();

  abstract boolean upserts();

  abstract Clock clock();

  abstract @Nullable BigQueryServices testServices();

  abstract Builder toBuilder();

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setProject(String project);

    abstract Builder setDataset(String dataset);

    abstract Builder setMetricsTable(String table);

    abstract Builder setDeadLettersTable(String table);

    abstract Builder setTooLateTable(String table);

    abstract Builder setAlertsTable(String table);

    abstract Builder setMethod(Method method);

    abstract Builder setTriggeringFrequency(@Nullable Duration frequency);

    abstract Builder setNumStorageWriteApiStreams(int streams);

    abstract Builder setCreateDisposition(CreateDisposition disposition);

    abstract Builder setUpserts(boolean upserts);

    abstract Builder setClock(Clock clock);

    abstract Builder setTestServices(@Nullable BigQueryServices services);

    abstract WriteToWarehouse build();
  }

  /** The three inputs, tagged for {@link #expand}. */
  public static PCollectionTuple inputs(
      PCollection<LearnerWindowMetrics> metrics,
      PCollection<DeadLetter> deadLetters,
      PCollection<TooLateEvent> tooLate) {
    return PCollectionTuple.of(METRICS, metrics)
        .and(DEAD_LETTERS, deadLetters)
        .and(TOO_LATE, tooLate);
  }

  /** The three inputs and the alerts ({@code learner_alerts}), tagged for {@link #expand}. */
  public static PCollectionTuple inputs(
      PCollection<LearnerWindowMetrics> metrics,
      PCollection<DeadLetter> deadLetters,
      PCollection<TooLateEvent> tooLate,
      PCollection<LearnerAlert> alerts) {
    return inputs(metrics, deadLetters, tooLate).and(ALERTS, alerts);
  }

  /**
   * Writes into {@code project}'s {@code dataset} with the default table names, exactly once, into
   * existing tables.
   */
  public static WriteToWarehouse to(String project, String dataset) {
    checkArgument(!isBlank(project), "project must be set");
    checkArgument(!isBlank(dataset), "dataset must be set");
    return new AutoValue_WriteToWarehouse.Builder()
        .setProject(project)
        .setDataset(dataset)
        .setMetricsTable(WarehouseTable.LEARNER_WINDOW_METRICS.defaultName())
        .setDeadLettersTable(WarehouseTable.DEAD_LETTERS.defaultName())
        .setTooLateTable(WarehouseTable.TOO_LATE_EVENTS.defaultName())
        .setAlertsTable(WarehouseTable.LEARNER_ALERTS.defaultName())
        .setMethod(Method.EXACTLY_ONCE)
        .setNumStorageWriteApiStreams(0)
        .setCreateDisposition(CreateDisposition.CREATE_NEVER)
        .setUpserts(false)
        .setClock(Clock.systemUTC())
        .build();
  }

  /** Other table names, e.g. per environment; the schemas stay those of {@link WarehouseTable}. */
  public WriteToWarehouse withTables(String metrics, String deadLetters, String tooLate) {
    checkArgument(
        !isBlank(metrics) && !isBlank(deadLetters) && !isBlank(tooLate), "table names must be set");
    checkArgument(
        List.of(metrics, deadLetters, tooLate).stream().distinct().count() == 3,
        "the three tables must differ, got %s, %s, %s",
        metrics,
        deadLetters,
        tooLate);
    return toBuilder()
        .setMetricsTable(metrics)
        .setDeadLettersTable(deadLetters)
        .setTooLateTable(tooLate)
        .build();
  }

  /** Another name for the alerts table, written when the input has {@link #ALERTS}. */
  public WriteToWarehouse withAlertsTable(String alerts) {
    checkArgument(!isBlank(alerts), "the alerts table name must be set");
    checkArgument(
        !List.of(metricsTable(), deadLettersTable(), tooLateTable()).contains(alerts),
        "the alerts table must differ from the other tables, got %s",
        alerts);
    return toBuilder().setAlertsTable(alerts).build();
  }

  public WriteToWarehouse withMethod(Method method) {
    checkArgument(method != null, "method must be set");
    return toBuilder().setMethod(method).build();
  }

  /**
   * How often exactly-once writes commit when the input is unbounded: the latency of the warehouse,
   * traded against the number of commits. Ignored by at-least-once and bounded writes.
   */
  public WriteToWarehouse withTriggeringFrequency(Duration frequency) {
    checkArgument(
        frequency != null && frequency.isLongerThan(Duration.ZERO),
        "triggering frequency must be positive, got %s",
        frequency);
    return toBuilder().setTriggeringFrequency(frequency).build();
  }

  /**
   * How many write streams an unbounded exactly-once write uses per table: its parallelism. Ignored
   * by at-least-once and bounded writes.
   */
  public WriteToWarehouse withNumStorageWriteApiStreams(int streams) {
    checkArgument(streams > 0, "number of streams must be positive, got %s", streams);
    return toBuilder().setNumStorageWriteApiStreams(streams).build();
  }

  /** {@code CREATE_NEVER} by default, because Terraform owns the tables. */
  public WriteToWarehouse withCreateDisposition(CreateDisposition disposition) {
    checkArgument(disposition != null, "create disposition must be set");
    return toBuilder().setCreateDisposition(disposition).build();
  }

  /**
   * Whether metrics are upserted (Storage Write API change data capture) on the primary key {@link
   * WarehouseTable#METRICS_PRIMARY_KEY}, so the table keeps only the latest pane of each window
   * instead of one row per pane. Needs {@link Method#AT_LEAST_ONCE}, the only method Beam supports
   * for row mutations; duplicates are harmless there, as a replayed pane carries the same key and
   * sequence number. The table needs that primary key (Terraform's {@code table_constraints}); with
   * {@code CREATE_IF_NEEDED} the sink declares it.
   */
  public WriteToWarehouse withUpserts(boolean upserts) {
    return toBuilder().setUpserts(upserts).build();
  }

  /** The clock that stamps rejected rows' {@code seen_at}; tests fix it. */
  public WriteToWarehouse withClock(Clock clock) {
    checkArgument(clock != null, "clock must be set");
    return toBuilder().setClock(clock).build();
  }

  /** BigQuery services to use instead of the real ones: Beam's fakes in tests. */
  @VisibleForTesting
  public WriteToWarehouse withTestServices(BigQueryServices services) {
    checkArgument(services != null, "services must be set");
    return toBuilder().setTestServices(services).build();
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder
        .add(DisplayData.item("project", project()))
        .add(DisplayData.item("dataset", dataset()))
        .add(DisplayData.item("metricsTable", metricsTable()))
        .add(DisplayData.item("deadLettersTable", deadLettersTable()))
        .add(DisplayData.item("tooLateTable", tooLateTable()))
        .add(DisplayData.item("alertsTable", alertsTable()))
        .add(DisplayData.item("method", method().toString()))
        .addIfNotNull(DisplayData.item("triggeringFrequency", triggeringFrequency()))
        .addIfNotDefault(
            DisplayData.item("numStorageWriteApiStreams", numStorageWriteApiStreams()), 0)
        .add(DisplayData.item("createDisposition", createDisposition().toString()))
        .add(DisplayData.item("upserts", upserts()));
  }

  @Override
  public PCollection<DeadLetter> expand(PCollectionTuple input) {
    PCollection<LearnerWindowMetrics> metrics = input.get(METRICS);
    PCollection<DeadLetter> deadLetters = input.get(DEAD_LETTERS);
    PCollection<TooLateEvent> tooLate = input.get(TOO_LATE);
    checkInputs(metrics, deadLetters, tooLate);

    BigQueryIO.Write<LearnerWindowMetrics> metricsWrite =
        write(
            WarehouseTable.LEARNER_WINDOW_METRICS, metricsTable(), WarehouseRows.METRICS, metrics);
    if (upserts()) {
      metricsWrite =
          metricsWrite
              .withPrimaryKey(WarehouseTable.METRICS_PRIMARY_KEY)
              .withRowMutationInformationFn(WarehouseRows.UPSERT_BY_PANE);
    }
    PCollection<DeadLetter> rejectedMetrics =
        rejected(metrics.apply("WriteMetrics", metricsWrite), metricsTable(), "Metrics");
    PCollection<DeadLetter> rejectedTooLate =
        rejected(
            tooLate.apply(
                "WriteTooLateEvents",
                write(
                    WarehouseTable.TOO_LATE_EVENTS,
                    tooLateTable(),
                    WarehouseRows.TOO_LATE,
                    tooLate)),
            tooLateTable(),
            "TooLateEvents");
    PCollectionList<DeadLetter> rejectedRows =
        PCollectionList.of(rejectedMetrics).and(rejectedTooLate);
    if (input.has(ALERTS)) {
      PCollection<LearnerAlert> alerts = input.get(ALERTS);
      rejectedRows =
          rejectedRows.and(
              rejected(
                  alerts.apply(
                      "WriteAlerts",
                      write(
                          WarehouseTable.LEARNER_ALERTS,
                          alertsTable(),
                          WarehouseRows.ALERTS,
                          alerts)),
                  alertsTable(),
                  "Alerts"));
    }
    // Two Flattens, not a DeadLetters handler: the caller gets the refused rows alone, so they need
    // their own Flatten anyway; a handler would only rename these steps and add an error counter.
    PCollection<DeadLetter> rejected =
        rejectedRows.apply("FlattenRejectedRows", Flatten.pCollections());

    PCollection<DeadLetter> allDeadLetters =
        PCollectionList.of(deadLetters.apply("GloballyWindowDeadLetters", globalWindow()))
            .and(rejected)
            .apply("FlattenDeadLetters", Flatten.pCollections());
    allDeadLetters
        .apply(
            "WriteDeadLetters",
            write(
                WarehouseTable.DEAD_LETTERS,
                deadLettersTable(),
                WarehouseRows.DEAD_LETTERS,
                allDeadLetters))
        .getFailedStorageApiInserts()
        .apply(
            "CountRejectedDeadLetters",
            ParDo.of(new CountRejectedDeadLettersFn(deadLettersTable())));
    return rejected;
  }

  private void checkInputs(PCollection<?>... inputs) {
    boolean unbounded = false;
    for (PCollection<?> collection : inputs) {
      unbounded |= collection.isBounded() == IsBounded.UNBOUNDED;
    }
    if (unbounded && method() == Method.EXACTLY_ONCE) {
      checkArgument(
          triggeringFrequency() != null && numStorageWriteApiStreams() > 0,
          "An unbounded exactly-once warehouse write needs withTriggeringFrequency(...) and"
              + " withNumStorageWriteApiStreams(...): rows are committed per stream once per"
              + " triggering frequency (got %s and %s).",
          triggeringFrequency(),
          numStorageWriteApiStreams());
    }
    checkArgument(
        !upserts() || method() == Method.AT_LEAST_ONCE,
        "withUpserts(true) needs withMethod(AT_LEAST_ONCE): Beam's Storage Write API sink applies"
            + " row mutations (BigQuery CDC) only in at-least-once mode. Upserts make its"
            + " duplicates harmless, since a replayed pane has the same key and sequence number.");
  }

  private <T> BigQueryIO.Write<T> write(
      WarehouseTable table,
      String tableName,
      SerializableFunction<T, TableRow> format,
      PCollection<T> rows) {
    BigQueryIO.Write<T> write =
        BigQueryIO.<T>write()
            .to(
                new TableReference()
                    .setProjectId(project())
                    .setDatasetId(dataset())
                    .setTableId(tableName))
            .withFormatFunction(format)
            // Hand back the row as we built it, not as BigQuery's proto turned it into text.
            .withFormatRecordOnFailureFunction(format)
            .withSchema(table.schema())
            .withTimePartitioning(table.timePartitioning())
            .withClustering(table.clustering())
            .withCreateDisposition(createDisposition())
            .withWriteDisposition(WriteDisposition.WRITE_APPEND)
            .withMethod(method().beamMethod());
    if (rows.isBounded() == IsBounded.UNBOUNDED && method() == Method.EXACTLY_ONCE) {
      write =
          write
              .withTriggeringFrequency(triggeringFrequency())
              .withNumStorageWriteApiStreams(numStorageWriteApiStreams());
    }
    BigQueryServices services = testServices();
    return services == null ? write : write.withTestServices(services);
  }

  /** The rows {@code result}'s table refused, as dead letters in the global window. */
  private PCollection<DeadLetter> rejected(WriteResult result, String tableName, String what) {
    return result
        .getFailedStorageApiInserts()
        .apply("Rejected" + what + "AsDeadLetters", ParDo.of(new RejectedRowFn(tableName, clock())))
        .apply("GloballyWindowRejected" + what, globalWindow());
  }

  private static Window<DeadLetter> globalWindow() {
    return Window.<DeadLetter>into(new GlobalWindows())
        .triggering(DefaultTrigger.of())
        .withAllowedLateness(Duration.ZERO)
        .discardingFiredPanes();
  }

  private static boolean isBlank(@Nullable String value) {
    return value == null || value.isBlank();
  }

  /**
   * A refused row as a dead letter. There is no Kafka record behind it: partition and offset are -1
   * and the Kafka timestamp is the time it was refused.
   */
  static final class RejectedRowFn extends DoFn<BigQueryStorageApiInsertError, DeadLetter> {
    private final String tableName;
    private final Clock clock;
    private final Counter rejectedRows =
        Metrics.counter(
            OutcomeCounters.NAMESPACE, OutcomeCounters.reasonName(ReasonCode.WAREHOUSE_REJECTED));

    RejectedRowFn(String tableName, Clock clock) {
      this.tableName = tableName;
      this.clock = clock;
    }

    @ProcessElement
    public void process(
        @Element BigQueryStorageApiInsertError error, OutputReceiver<DeadLetter> out) {
      Instant seenAt = new Instant(clock.millis());
      rejectedRows.inc();
      out.output(
          DeadLetter.create(
              tableName,
              -1,
              -1L,
              seenAt,
              null,
              WarehouseRows.json(error.getRow()),
              DeadLetter.Encoding.TEXT,
              ReasonCode.WAREHOUSE_REJECTED,
              tableName + " refused the row: " + error.getErrorMessage(),
              seenAt));
    }
  }

  /** Rows of the dead-letters table that BigQuery refused: logged and counted, not re-sent. */
  static final class CountRejectedDeadLettersFn extends DoFn<BigQueryStorageApiInsertError, Void> {
    private final String tableName;
    private final Counter rejected =
        Metrics.counter(OutcomeCounters.NAMESPACE, REJECTED_DEAD_LETTERS_COUNTER);

    CountRejectedDeadLettersFn(String tableName) {
      this.tableName = tableName;
    }

    @ProcessElement
    public void process(@Element BigQueryStorageApiInsertError error) {
      rejected.inc();
      LOG.error(
          "{} refused a dead letter, which is not written anywhere else: {} row={}",
          tableName,
          error.getErrorMessage(),
          WarehouseRows.json(error.getRow()));
    }
  }
}
