package dev.learnerpulse;

import static java.util.Objects.requireNonNull;

import dev.learnerpulse.alerts.DetectLearnerAlerts;
import dev.learnerpulse.beam.TupleResult;
import dev.learnerpulse.decode.DecodeChangeEvents;
import dev.learnerpulse.decode.ValueFormats;
import dev.learnerpulse.decode.registry.SchemaRegistryConfig;
import dev.learnerpulse.dedup.DropDuplicateChanges;
import dev.learnerpulse.enrich.ReferenceData;
import dev.learnerpulse.enrich.ReferenceTables;
import dev.learnerpulse.enrich.ReferenceUpdate;
import dev.learnerpulse.fusion.FuseLearnerStreams;
import dev.learnerpulse.metrics.OutcomeCounters;
import dev.learnerpulse.model.Change;
import dev.learnerpulse.model.ChangeEnvelope;
import dev.learnerpulse.model.DeadLetter;
import dev.learnerpulse.model.LearnerAlert;
import dev.learnerpulse.model.LearnerWindowMetrics;
import dev.learnerpulse.model.Outcome;
import dev.learnerpulse.model.SourceRecord;
import dev.learnerpulse.model.TooLateEvent;
import dev.learnerpulse.model.Topics;
import dev.learnerpulse.validate.ValidateChanges;
import dev.learnerpulse.window.AssignEventTime;
import dev.learnerpulse.window.SetAsideTooLateChanges;
import dev.learnerpulse.window.Windowing;
import java.time.Clock;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.PInput;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.joda.time.Duration;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * Learner Pulse end to end, from Kafka records to the three output tables: decode, validate, drop
 * duplicates, stamp event time, set too-late changes aside, and fuse the four activity streams per
 * learner, course and window, enriched with the reference tables. The same composite serves
 * streaming ({@link #streaming}) and backfill ({@link #backfill}); they differ only in how lateness
 * is judged (the watermark; nothing is too late, or {@link #withLiveLateness} the Kafka timestamps)
 * and how reference data is read.
 *
 * <p>Every record ends in exactly one outcome, counted per topic ({@link OutcomeCounters}): valid,
 * duplicate, ignored, dead_letter or too_late.
 *
 * <pre>{@code
 * ComputeLearnerPulse.Result pulse =
 *     records.apply("ComputeLearnerPulse",
 *         ComputeLearnerPulse.backfill(Topics.defaults(), Windowing.defaults()));
 * }</pre>
 */
public final class ComputeLearnerPulse
    extends PTransform<PCollection<SourceRecord>, ComputeLearnerPulse.Result> {
  private static final TupleTag<SourceRecord> REFERENCE_RECORDS = new TupleTag<>("referenceRecords");
  private final Topics topics;
  private final Windowing windowing;
  private final SetAsideTooLateChanges tooLate;
  private final ReferenceData referenceData;
  private final Clock clock;
  private final DecodeChangeEvents decode;
  private final DropDuplicateChanges dedup;
  private final @Nullable PCollection<SourceRecord> referenceRecords;
  private final boolean alerts;

  private ComputeLearnerPulse(
      Topics topics,
      Windowing windowing,
      SetAsideTooLateChanges tooLate,
      ReferenceData referenceData,
      Clock clock,
      DecodeChangeEvents decode,
      DropDuplicateChanges dedup,
      @Nullable PCollection<SourceRecord> referenceRecords,
      boolean alerts) {
    this.topics = topics;
    this.windowing = windowing;
    this.tooLate = tooLate;
    this.referenceData = referenceData;
    this.clock = clock;
    this.decode = decode;
    this.dedup = dedup;
    this.referenceRecords = referenceRecords;
    this.alerts = alerts;
  }

  /**
   * For live topics: lateness judged by the runner's watermark, observed from {@code backlogStart}
   * (the oldest event time the job expects), and reference data refreshed every {@code
   * referenceRefresh}.
   */
  public static ComputeLearnerPulse streaming(
      Topics topics, Windowing windowing, Instant backlogStart, Duration referenceRefresh) {
    return new ComputeLearnerPulse(
        requireNonNull(topics, "topics"),
        requireNonNull(windowing, "windowing"),
        SetAsideTooLateChanges.byWatermark(windowing, backlogStart),
        ReferenceData.refreshingEvery(referenceRefresh),
        Clock.systemUTC(),
        DecodeChangeEvents.of(topics),
        dedupFor(windowing),
        null,
        false);
  }

  /**
   * For archived topics, with batch semantics: every valid change counts in its event-time window
   * and nothing is too late, as on Beam's batch runners, so a backfill of history (a bulk import, a
   * Debezium snapshot of old rows) computes its windows; {@link #withLiveLateness} judges lateness
   * as the live job did instead. Reference data as at the end of the archive. Early firings of
   * {@code windowing} are ignored: a backfill gives one pane per key and window.
   */
  public static ComputeLearnerPulse backfill(Topics topics, Windowing windowing) {
    Windowing batch = requireNonNull(windowing, "windowing").withoutEarlyFirings();
    return new ComputeLearnerPulse(
        requireNonNull(topics, "topics"),
        batch,
        SetAsideTooLateChanges.none(batch),
        ReferenceData.atEnd(),
        Clock.systemUTC(),
        DecodeChangeEvents.of(topics),
        dedupFor(windowing),
        null,
        false);
  }

  /**
   * A backfill that reproduces the live job's too-late decisions, for parity checks against a
   * streaming run: a change is too late when its window's expiry lies before its Kafka timestamp
   * less {@code maxDelay}, the watermark a live job had when the change was appended.
   */
  public ComputeLearnerPulse withLiveLateness(Duration maxDelay) {
    if (tooLate.judgesByWatermark()) {
      throw new IllegalStateException("Live lateness is for a backfill; streaming is live already");
    }
    return new ComputeLearnerPulse(
        topics,
        windowing,
        SetAsideTooLateChanges.byKafkaTimestamp(windowing, maxDelay).withClock(clock),
        referenceData,
        clock,
        decode,
        dedup,
        referenceRecords,
        alerts);
  }

  /** The clock that stamps {@code seen_at}; tests fix it. */
  public ComputeLearnerPulse withClock(Clock clock) {
    return new ComputeLearnerPulse(
        topics,
        windowing,
        tooLate.withClock(clock),
        referenceData,
        requireNonNull(clock),
        decode.withClock(clock),
        dedup,
        referenceRecords,
        alerts);
  }

  /**
   * Avro values per {@code formats}, writer schemas from {@code registry}; see {@link
   * DecodeChangeEvents#withAvro}.
   */
  public ComputeLearnerPulse withAvro(SchemaRegistryConfig registry, ValueFormats formats) {
    return new ComputeLearnerPulse(
        topics,
        windowing,
        tooLate,
        referenceData,
        clock,
        decode.withAvro(registry, formats),
        dedup,
        referenceRecords,
        alerts);
  }

  /**
   * Streaming: no window is computed before the reference topics have been read up to {@code
   * launch} (their watermark has passed it), so a job started on a backlog enriches it with every
   * reference row written before launch, as a backfill does; see {@link
   * ReferenceData#completeAsOf}.
   */
  public ComputeLearnerPulse withReferencesCompleteAsOf(Instant launch) {
    return new ComputeLearnerPulse(
        topics,
        windowing,
        tooLate,
        referenceData.completeAsOf(launch),
        clock,
        decode,
        dedup,
        referenceRecords,
        alerts);
  }

  /** A streaming guard over {@code shards} keys (default 16). */
  public ComputeLearnerPulse withGuardShards(int shards) {
    return new ComputeLearnerPulse(
        topics,
        windowing,
        tooLate.withShards(shards),
        referenceData,
        clock,
        decode,
        dedup,
        referenceRecords,
        alerts);
  }

  /** Duplicates dropped over {@code shards} keys (default 64): {@link DropDuplicateChanges#withShards}. */
  public ComputeLearnerPulse withDedupShards(int shards) {
    return new ComputeLearnerPulse(
        topics,
        windowing,
        tooLate,
        referenceData,
        clock,
        decode,
        dedup.withShards(shards),
        referenceRecords,
        alerts);
  }

  /** A redelivery later than a window's expiry falls into a closed window anyway. */
  private static DropDuplicateChanges dedupFor(Windowing windowing) {
    return DropDuplicateChanges.rememberingFor(windowing.size().plus(windowing.allowedLateness()));
  }

  /**
   * The reference topics read apart from the change topics (which are then the main input's only
   * topics): decoded on their own path, so their watermark is theirs. A job started on a backlog
   * then waits only for the small reference topics to be read up to launch ({@link
   * #withReferencesCompleteAsOf}), not for the whole backlog of changes.
   */
  public ComputeLearnerPulse withReferenceRecords(PCollection<SourceRecord> references) {
    return new ComputeLearnerPulse(
        topics,
        windowing,
        tooLate,
        referenceData,
        clock,
        decode,
        dedup,
        requireNonNull(references),
        alerts);
  }

  /**
   * Also detect learner alerts ({@link DetectLearnerAlerts}) on the unique activity changes, too-late
   * ones included: {@link Result#alerts()}.
   */
  public ComputeLearnerPulse withAlerts() {
    return new ComputeLearnerPulse(
        topics, windowing, tooLate, referenceData, clock, decode, dedup, referenceRecords, true);
  }

  @Override
  public Map<TupleTag<?>, PValue> getAdditionalInputs() {
    return referenceRecords == null ? Map.of() : Map.of(REFERENCE_RECORDS, referenceRecords);
  }

  @Override
  public Result expand(PCollection<SourceRecord> records) {
    PrepareChanges prepare = new PrepareChanges(decode, clock, dedup);
    PrepareChanges.Result changes = records.apply("PrepareChanges", prepare);
    PrepareChanges.Result referenceSide =
        referenceRecords == null
            ? changes
            : referenceRecords.apply("PrepareReferenceChanges", prepare);

    PCollection<Change> references =
        referenceSide.unique().apply("ReferenceChanges", Filter.by(IsReference.INSTANCE));
    PCollectionView<Iterable<ReferenceTables>> referenceTables =
        PCollectionList.of(
                references.apply(
                    "ReferenceUpserts",
                    MapElements.into(TypeDescriptor.of(ReferenceUpdate.class))
                        .via(ReferenceUpdate::upsert)))
            .and(referenceSide.removals())
            .apply("ReferenceUpdates", Flatten.pCollections())
            .apply("ReferenceData", referenceData);

    PCollection<Change> activity =
        changes
            .unique()
            .apply("ActivityChanges", Filter.by(change -> !change.getTable().isReference()));
    SetAsideTooLateChanges.Result timely = activity.apply("SetAsideTooLateChanges", tooLate);
    PCollection<LearnerWindowMetrics> metrics =
        PCollectionList.of(timely.onTime())
            .and(references)
            .apply("ValidChanges", Flatten.pCollections())
            .apply("CountValid", ParDo.of(new CountValidFn()))
            .apply("FuseLearnerStreams", FuseLearnerStreams.of(windowing, referenceTables));

    PCollectionList<DeadLetter> deadLetters = PCollectionList.of(changes.deadLetters());
    if (referenceSide != changes) {
      deadLetters = deadLetters.and(referenceSide.deadLetters());
    }
    return new Result(
        metrics,
        deadLetters.apply("DeadLetters", Flatten.pCollections()),
        timely.tooLate(),
        alerts ? activity.apply("DetectLearnerAlerts", DetectLearnerAlerts.of(referenceTables)) : null);
  }

  /**
   * Decode, validate, stamp event time and drop duplicates: every record ends here as a dead
   * letter, an ignored change (counted; reference removals kept), a duplicate, or a unique change.
   */
  static final class PrepareChanges
      extends PTransform<PCollection<SourceRecord>, PrepareChanges.Result> {
    private static final TupleTag<Change> UNIQUE = new TupleTag<>("unique");
    private static final TupleTag<ReferenceUpdate> REMOVALS = new TupleTag<>("removals");
    private static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<>("deadLetters");

    private final DecodeChangeEvents decode;
    private final Clock clock;
    private final DropDuplicateChanges dedup;

    PrepareChanges(DecodeChangeEvents decode, Clock clock, DropDuplicateChanges dedup) {
      this.decode = decode;
      this.clock = clock;
      this.dedup = dedup;
    }

    @Override
    public Result expand(PCollection<SourceRecord> records) {
      WithFailures.Result<PCollection<ChangeEnvelope>, DeadLetter> decoded =
          records.apply("DecodeChangeEvents", decode);
      ValidateChanges.Result validated =
          decoded.output().apply("ValidateChanges", ValidateChanges.create().withClock(clock));
      DropDuplicateChanges.Result unique =
          validated
              .valid()
              .apply("AssignEventTime", AssignEventTime.create())
              .apply("DropDuplicateChanges", dedup);
      return new Result(
          PCollectionTuple.of(UNIQUE, unique.unique())
              .and(
                  REMOVALS,
                  validated.ignored().apply("ReferenceRemovals", ParDo.of(new RemovalFn())))
              .and(
                  DEAD_LETTERS,
                  PCollectionList.of(decoded.failures())
                      .and(validated.deadLetters())
                      .apply("DeadLetters", Flatten.pCollections())));
    }

    static final class Result extends TupleResult {
      private Result(PCollectionTuple outputs) {
        super(outputs);
      }

      PCollection<Change> unique() {
        return get(UNIQUE);
      }

      PCollection<ReferenceUpdate> removals() {
        return get(REMOVALS);
      }

      PCollection<DeadLetter> deadLetters() {
        return get(DEAD_LETTERS);
      }
    }
  }

  /** The three output tables, and the alerts when asked for. */
  public static final class Result implements POutput {
    private static final TupleTag<LearnerWindowMetrics> METRICS = new TupleTag<>("metrics");
    private static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<>("deadLetters");
    private static final TupleTag<TooLateEvent> TOO_LATE = new TupleTag<>("tooLate");
    private static final TupleTag<LearnerAlert> ALERTS = new TupleTag<>("alerts");

    private final PCollection<LearnerWindowMetrics> metrics;
    private final PCollection<DeadLetter> deadLetters;
    private final PCollection<TooLateEvent> tooLate;
    private final @Nullable PCollection<LearnerAlert> alerts;

    Result(
        PCollection<LearnerWindowMetrics> metrics,
        PCollection<DeadLetter> deadLetters,
        PCollection<TooLateEvent> tooLate,
        @Nullable PCollection<LearnerAlert> alerts) {
      this.metrics = metrics;
      this.deadLetters = deadLetters;
      this.tooLate = tooLate;
      this.alerts = alerts;
    }

    /** {@code learner_window_metrics}: one record per pane. */
    public PCollection<LearnerWindowMetrics> metrics() {
      return metrics;
    }

    /** {@code dead_letters} of decoding and validation. */
    public PCollection<DeadLetter> deadLetters() {
      return deadLetters;
    }

    /** {@code too_late_events}. */
    public PCollection<TooLateEvent> tooLate() {
      return tooLate;
    }

    /** {@code learner_alerts}; null unless built {@link ComputeLearnerPulse#withAlerts()}. */
    public @Nullable PCollection<LearnerAlert> alerts() {
      return alerts;
    }

    /** The same outputs, with {@code more} dead letters (a source's) among the dead letters. */
    public Result withDeadLetters(PCollection<DeadLetter> more) {
      return new Result(
          metrics,
          PCollectionList.of(more).and(deadLetters).apply("AllDeadLetters", Flatten.pCollections()),
          tooLate,
          alerts);
    }

    @Override
    public Pipeline getPipeline() {
      return metrics.getPipeline();
    }

    @Override
    public Map<TupleTag<?>, PValue> expand() {
      return alerts == null
          ? Map.of(METRICS, metrics, DEAD_LETTERS, deadLetters, TOO_LATE, tooLate)
          : Map.of(METRICS, metrics, DEAD_LETTERS, deadLetters, TOO_LATE, tooLate, ALERTS, alerts);
    }

    @Override
    public void finishSpecifyingOutput(
        String transformName, PInput input, PTransform<?, ?> transform) {}
  }

  enum IsReference implements org.apache.beam.sdk.transforms.SerializableFunction<Change, Boolean> {
    INSTANCE;

    @Override
    public Boolean apply(Change change) {
      return change.getTable().isReference();
    }
  }

  static final class RemovalFn extends DoFn<ChangeEnvelope, ReferenceUpdate> {
    @ProcessElement
    public void process(@Element ChangeEnvelope envelope, OutputReceiver<ReferenceUpdate> out) {
      ReferenceUpdate removal = ReferenceUpdate.removal(envelope);
      if (removal != null) {
        out.output(removal);
      }
    }
  }

  /**
   * Counts the changes that end valid (unique, and on time or reference data) and passes on the
   * activity changes, which are what the fusion groups: one step rather than a count and a filter.
   */
  static final class CountValidFn extends DoFn<Change, Change> {
    private transient OutcomeCounters counters;

    @Setup
    public void setup() {
      counters = new OutcomeCounters();
    }

    @ProcessElement
    public void process(@Element Change change, OutputReceiver<Change> out) {
      counters.outcome(Outcome.VALID, change.getTopic());
      if (!change.getTable().isReference()) {
        out.output(change);
      }
    }
  }
}
