package dev.learnerpulse;

import static java.util.Objects.requireNonNull;

import com.google.auto.value.AutoValue;
import dev.learnerpulse.alerts.DetectLearnerAlerts;
import dev.learnerpulse.beam.DeadLetters;
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
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.errorhandling.ErrorHandler;
import org.apache.beam.sdk.transforms.errorhandling.ErrorHandler.PTransformErrorHandler;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
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
 * <p>Its inputs are tagged ({@link #inputs}): the change records, and optionally the reference
 * records read apart ({@link #REFERENCE_RECORDS}) and the dead letters of the source that read them
 * ({@link #SOURCE_DEAD_LETTERS}). Every dead letter of the graph, the source's, decoding's and
 * validation's on either path, is registered with one Beam {@link ErrorHandler} as the graph is
 * built ({@link DeadLetters}) and reaches {@link Result#deadLetters()} through one Flatten.
 *
 * <pre>{@code
 * ComputeLearnerPulse.Result pulse =
 *     ComputeLearnerPulse.inputs(records)
 *         .apply("ComputeLearnerPulse",
 *             ComputeLearnerPulse.backfill(Topics.defaults(), Windowing.defaults()));
 * }</pre>
 */
@AutoValue
public abstract class ComputeLearnerPulse
    extends PTransform<PCollectionTuple, ComputeLearnerPulse.Result> {
  /** The change records: every topic, or only the change topics with {@link #REFERENCE_RECORDS}. */
  public static final TupleTag<SourceRecord> RECORDS = new TupleTag<SourceRecord>() {};

  /**
   * The reference topics read apart from the change topics: decoded on their own path, so their
   * watermark is theirs. A job started on a backlog then waits only for the small reference topics
   * to be read up to launch ({@link #withReferencesCompleteAsOf}), not for the whole backlog.
   */
  public static final TupleTag<SourceRecord> REFERENCE_RECORDS = new TupleTag<SourceRecord>() {};

  /** Records the source itself could not read (a damaged archive line), when it can fail. */
  public static final TupleTag<DeadLetter> SOURCE_DEAD_LETTERS = new TupleTag<DeadLetter>() {};

  abstract Topics topics();

  abstract Windowing windowing();

  abstract SetAsideTooLateChanges tooLate();

  abstract ReferenceData referenceData();

  abstract Clock clock();

  abstract DecodeChangeEvents decode();

  abstract DropDuplicateChanges dedup();

  abstract boolean alerts();

  abstract Builder toBuilder();

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setTopics(Topics topics);

    abstract Builder setWindowing(Windowing windowing);

    abstract Builder setTooLate(SetAsideTooLateChanges tooLate);

    abstract Builder setReferenceData(ReferenceData referenceData);

    abstract Builder setClock(Clock clock);

    abstract Builder setDecode(DecodeChangeEvents decode);

    abstract Builder setDedup(DropDuplicateChanges dedup);

    abstract Builder setAlerts(boolean alerts);

    abstract ComputeLearnerPulse build();
  }

  /** The change records of every topic, tagged for {@link #expand}. */
  public static PCollectionTuple inputs(PCollection<SourceRecord> records) {
    return PCollectionTuple.of(RECORDS, records);
  }

  /** The change topics' records and the reference topics' records read apart. */
  public static PCollectionTuple inputs(
      PCollection<SourceRecord> records, PCollection<SourceRecord> referenceRecords) {
    return inputs(records).and(REFERENCE_RECORDS, referenceRecords);
  }

  private static Builder builder(Topics topics, Windowing windowing) {
    return new AutoValue_ComputeLearnerPulse.Builder()
        .setTopics(requireNonNull(topics, "topics"))
        .setWindowing(windowing)
        .setClock(Clock.systemUTC())
        .setDecode(DecodeChangeEvents.of(topics))
        .setDedup(dedupFor(windowing))
        .setAlerts(false);
  }

  /**
   * For live topics: lateness judged by the runner's watermark, observed from {@code backlogStart}
   * (the oldest event time the job expects), and reference data refreshed every {@code
   * referenceRefresh}.
   */
  public static ComputeLearnerPulse streaming(
      Topics topics, Windowing windowing, Instant backlogStart, Duration referenceRefresh) {
    requireNonNull(windowing, "windowing");
    return builder(topics, windowing)
        .setTooLate(SetAsideTooLateChanges.byWatermark(windowing, backlogStart))
        .setReferenceData(ReferenceData.refreshingEvery(referenceRefresh))
        .build();
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
    return builder(topics, batch)
        .setDedup(dedupFor(windowing))
        .setTooLate(SetAsideTooLateChanges.none(batch))
        .setReferenceData(ReferenceData.atEnd())
        .build();
  }

  /**
   * A backfill that reproduces the live job's too-late decisions, for parity checks against a
   * streaming run: a change is too late when its window's expiry lies before its Kafka timestamp
   * less {@code maxDelay}, the watermark a live job had when the change was appended.
   */
  public ComputeLearnerPulse withLiveLateness(Duration maxDelay) {
    if (tooLate().judgesByWatermark()) {
      throw new IllegalStateException("Live lateness is for a backfill; streaming is live already");
    }
    return toBuilder()
        .setTooLate(
            SetAsideTooLateChanges.byKafkaTimestamp(windowing(), maxDelay).withClock(clock()))
        .build();
  }

  /** The clock that stamps {@code seen_at}; tests fix it. */
  public ComputeLearnerPulse withClock(Clock clock) {
    return toBuilder()
        .setClock(requireNonNull(clock))
        .setTooLate(tooLate().withClock(clock))
        .setDecode(decode().withClock(clock))
        .build();
  }

  /**
   * Avro values per {@code formats}, writer schemas from {@code registry}; see {@link
   * DecodeChangeEvents#withAvro}.
   */
  public ComputeLearnerPulse withAvro(SchemaRegistryConfig registry, ValueFormats formats) {
    return toBuilder().setDecode(decode().withAvro(registry, formats)).build();
  }

  /**
   * Streaming: no window is computed before the reference topics have been read up to {@code
   * launch} (their watermark has passed it), so a job started on a backlog enriches it with every
   * reference row written before launch, as a backfill does; see {@link
   * ReferenceData#completeAsOf}.
   */
  public ComputeLearnerPulse withReferencesCompleteAsOf(Instant launch) {
    return toBuilder().setReferenceData(referenceData().completeAsOf(launch)).build();
  }

  /** A streaming guard over {@code shards} keys (default 16). */
  public ComputeLearnerPulse withGuardShards(int shards) {
    return toBuilder().setTooLate(tooLate().withShards(shards)).build();
  }

  /**
   * Duplicates dropped over {@code shards} keys (default 64): {@link
   * DropDuplicateChanges#withShards}.
   */
  public ComputeLearnerPulse withDedupShards(int shards) {
    return toBuilder().setDedup(dedup().withShards(shards)).build();
  }

  /** A redelivery later than a window's expiry falls into a closed window anyway. */
  private static DropDuplicateChanges dedupFor(Windowing windowing) {
    return DropDuplicateChanges.rememberingFor(windowing.size().plus(windowing.allowedLateness()));
  }

  /**
   * Also detect learner alerts ({@link DetectLearnerAlerts}) on the unique activity changes,
   * too-late ones included: {@link Result#alerts()}.
   */
  public ComputeLearnerPulse withAlerts() {
    return toBuilder().setAlerts(true).build();
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    windowing().populateDisplayData(builder);
    builder
        .add(DisplayData.item("topics", topics().toString()))
        .add(DisplayData.item("alerts", alerts()))
        .include("decode", decode())
        .include("dedup", dedup())
        .include("tooLate", tooLate())
        .include("referenceData", referenceData());
  }

  @Override
  public Result expand(PCollectionTuple input) {
    PTransformErrorHandler<DeadLetter, PCollection<DeadLetter>> deadLetters =
        DeadLetters.collect(input.getPipeline());
    if (input.has(SOURCE_DEAD_LETTERS)) {
      deadLetters.addErrorCollection(input.get(SOURCE_DEAD_LETTERS));
    }
    PrepareChanges prepare = new PrepareChanges(decode(), clock(), dedup(), deadLetters);
    PrepareChanges.Result changes = input.get(RECORDS).apply("PrepareChanges", prepare);
    PrepareChanges.Result referenceSide =
        input.has(REFERENCE_RECORDS)
            ? input.get(REFERENCE_RECORDS).apply("PrepareReferenceChanges", prepare)
            : changes;
    deadLetters.close();

    PCollection<Change> references = referenceSide.references();
    PCollectionView<Iterable<ReferenceTables>> referenceTables =
        PCollectionList.of(
                references.apply(
                    "ReferenceUpserts",
                    MapElements.into(TypeDescriptor.of(ReferenceUpdate.class))
                        .via(ReferenceUpdate::upsert)))
            .and(referenceSide.removals())
            .apply("ReferenceUpdates", Flatten.pCollections())
            .apply("ReferenceData", referenceData());

    PCollection<Change> activity = changes.activity();
    SetAsideTooLateChanges.Result timely = activity.apply("SetAsideTooLateChanges", tooLate());
    references.apply("CountValidReferences", ParDo.of(new CountValidFn()));
    PCollection<LearnerWindowMetrics> metrics =
        timely
            .onTime()
            .apply("CountValid", ParDo.of(new CountValidFn()))
            .apply("FuseLearnerStreams", FuseLearnerStreams.of(windowing(), referenceTables));

    PCollectionTuple outputs =
        PCollectionTuple.of(Result.METRICS, metrics)
            .and(Result.DEAD_LETTERS, deadLetters.getOutput())
            .and(Result.TOO_LATE, timely.tooLate());
    if (alerts()) {
      outputs =
          outputs.and(
              Result.ALERTS,
              activity.apply("DetectLearnerAlerts", DetectLearnerAlerts.of(referenceTables)));
    }
    return new Result(outputs);
  }

  /**
   * Decode, validate, stamp event time and drop duplicates: every record ends here as a dead letter
   * (registered with the graph's dead-letter handler), an ignored change (counted; reference
   * removals kept), a duplicate, or a unique change, which is either activity or reference data.
   */
  static final class PrepareChanges
      extends PTransform<PCollection<SourceRecord>, PrepareChanges.Result> {
    private static final TupleTag<Change> ACTIVITY = new TupleTag<>("activity");
    private static final TupleTag<Change> REFERENCES = new TupleTag<>("references");
    private static final TupleTag<ReferenceUpdate> REMOVALS = new TupleTag<>("removals");

    private final DecodeChangeEvents decode;
    private final Clock clock;
    private final DropDuplicateChanges dedup;
    private final transient ErrorHandler<DeadLetter, ?> deadLetters;

    PrepareChanges(
        DecodeChangeEvents decode,
        Clock clock,
        DropDuplicateChanges dedup,
        ErrorHandler<DeadLetter, ?> deadLetters) {
      this.decode = decode;
      this.clock = clock;
      this.dedup = dedup;
      this.deadLetters = deadLetters;
    }

    @Override
    public Result expand(PCollection<SourceRecord> records) {
      DecodeChangeEvents.Result decoded = records.apply("DecodeChangeEvents", decode);
      deadLetters.addErrorCollection(decoded.deadLetters());
      ValidateChanges.Result validated =
          decoded.envelopes().apply("ValidateChanges", ValidateChanges.create().withClock(clock));
      deadLetters.addErrorCollection(validated.deadLetters());
      PCollectionTuple unique =
          validated
              .valid()
              .apply("AssignEventTime", AssignEventTime.create())
              .apply("DropDuplicateChanges", dedup)
              .unique()
              .apply(
                  "SplitByTable",
                  ParDo.of(new SplitByTableFn())
                      .withOutputTags(ACTIVITY, TupleTagList.of(REFERENCES)));
      Coder<Change> changeCoder = validated.valid().getCoder();
      unique.get(ACTIVITY).setCoder(changeCoder);
      unique.get(REFERENCES).setCoder(changeCoder);
      return new Result(
          unique.and(
              REMOVALS, validated.ignored().apply("ReferenceRemovals", ParDo.of(new RemovalFn()))));
    }

    static final class Result extends TupleResult {
      private Result(PCollectionTuple outputs) {
        super(outputs);
      }

      PCollection<Change> activity() {
        return get(ACTIVITY);
      }

      PCollection<Change> references() {
        return get(REFERENCES);
      }

      PCollection<ReferenceUpdate> removals() {
        return get(REMOVALS);
      }
    }
  }

  /** The three output tables, and the alerts when asked for. */
  public static final class Result extends TupleResult {
    private static final TupleTag<LearnerWindowMetrics> METRICS = new TupleTag<>("metrics");
    private static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<>("deadLetters");
    private static final TupleTag<TooLateEvent> TOO_LATE = new TupleTag<>("tooLate");
    private static final TupleTag<LearnerAlert> ALERTS = new TupleTag<>("alerts");

    private final @Nullable PCollection<LearnerAlert> alerts;

    Result(PCollectionTuple outputs) {
      super(outputs);
      this.alerts = outputs.has(ALERTS) ? outputs.get(ALERTS) : null;
    }

    /** {@code learner_window_metrics}: one record per pane. */
    public PCollection<LearnerWindowMetrics> metrics() {
      return get(METRICS);
    }

    /** {@code dead_letters} of the source, decoding and validation. */
    public PCollection<DeadLetter> deadLetters() {
      return get(DEAD_LETTERS);
    }

    /** {@code too_late_events}. */
    public PCollection<TooLateEvent> tooLate() {
      return get(TOO_LATE);
    }

    /** {@code learner_alerts}; null unless built {@link ComputeLearnerPulse#withAlerts()}. */
    public @Nullable PCollection<LearnerAlert> alerts() {
      return alerts;
    }
  }

  /** The one test of reference data against activity: a change's table. */
  static final class SplitByTableFn extends DoFn<Change, Change> {
    @ProcessElement
    public void process(@Element Change change, MultiOutputReceiver out) {
      out.get(change.getTable().isReference() ? PrepareChanges.REFERENCES : PrepareChanges.ACTIVITY)
          .output(change);
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
   * Counts the changes that end valid (unique, and on time or reference data) and passes them on:
   * the activity changes are what the fusion groups.
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
      out.output(change);
    }
  }
}
