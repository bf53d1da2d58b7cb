package dev.learnerpulse.enrich;

import static java.util.Objects.requireNonNull;

import dev.learnerpulse.model.Course;
import dev.learnerpulse.model.Learner;
import dev.learnerpulse.model.SourceTable;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.MapCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import org.apache.beam.sdk.schemas.SchemaRegistry;
import org.apache.beam.sdk.state.MapState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Repeatedly;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * The reference tables as a side input: the latest row per key of the compacted course and learner
 * topics, a delete removing it (docs/contract.md §3.5).
 *
 * <p>Bounded input (backfill): one value, the state at the end of the archive, so every window sees
 * the final reference rows. Unbounded input (streaming): one keyed step keeps the latest rows in
 * state and publishes a complete snapshot {@code refresh} of processing time after a change, each
 * snapshot replacing the last in the view. Nothing is published before the first snapshot is due,
 * and the main input waits for it: a single seed row at start makes that one period after start
 * even with empty topics.
 *
 * <p>{@link #completeAsOf} makes the first snapshot wait until the updates' watermark passes an
 * instant, usually the launch: a job that starts on a backlog then enriches the backlog's windows
 * with every reference row written before launch, as a backfill of the same records would, instead
 * of whatever rows it happened to have read when each window fired. Kafka Streams bootstraps a
 * global table the same way. The price is that no window is computed before the reference topics
 * are read up to launch.
 *
 * <pre>{@code
 * PCollectionView<Iterable<ReferenceTables>> references =
 *     updates.apply("ReferenceData",
 *         ReferenceData.refreshingEvery(Duration.standardSeconds(30)).completeAsOf(launch));
 * }</pre>
 */
public final class ReferenceData
    extends PTransform<PCollection<ReferenceUpdate>, PCollectionView<Iterable<ReferenceTables>>> {
  private final @Nullable Duration refresh;
  private final @Nullable Instant completeAsOf;

  private ReferenceData(@Nullable Duration refresh, @Nullable Instant completeAsOf) {
    this.refresh = refresh;
    this.completeAsOf = completeAsOf;
  }

  /** For bounded input: the final state of the reference topics. */
  public static ReferenceData atEnd() {
    return new ReferenceData(null, null);
  }

  /** For unbounded input: a view refreshed every {@code refresh} of processing time. */
  public static ReferenceData refreshingEvery(Duration refresh) {
    if (refresh == null || !refresh.isLongerThan(Duration.ZERO)) {
      throw new IllegalArgumentException("The reference refresh period must be positive");
    }
    return new ReferenceData(refresh, null);
  }

  /**
   * No snapshot before the updates' watermark has passed {@code asOf}: the first one holds every
   * reference row written before it.
   */
  public ReferenceData completeAsOf(Instant asOf) {
    if (refresh == null) {
      throw new IllegalStateException("A bounded input's reference data is complete at its end");
    }
    return new ReferenceData(refresh, requireNonNull(asOf, "asOf"));
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder
        .add(DisplayData.item("mode", refresh == null ? "atEnd" : "refreshing"))
        .addIfNotNull(DisplayData.item("refresh", refresh))
        .addIfNotNull(DisplayData.item("completeAsOf", completeAsOf));
  }

  @Override
  public PCollectionView<Iterable<ReferenceTables>> expand(PCollection<ReferenceUpdate> updates) {
    PCollection<ReferenceTables> tables;
    if (refresh == null) {
      tables =
          updates
              .apply("InGlobalWindow", Window.<ReferenceUpdate>into(new GlobalWindows()))
              .apply("LatestRowPerKey", Combine.globally(new LatestRowsFn()));
    } else {
      PCollection<ReferenceUpdate> seed =
          updates.getPipeline().apply("Seed", Create.of(NO_OP).withCoder(updates.getCoder()));
      tables =
          PCollectionList.of(updates)
              .and(seed)
              .apply("WithSeed", Flatten.pCollections())
              .apply("InGlobalWindow", Window.<ReferenceUpdate>into(new GlobalWindows()))
              .apply(
                  "OneKey",
                  MapElements.into(
                          TypeDescriptors.kvs(
                              TypeDescriptors.strings(), TypeDescriptor.of(ReferenceUpdate.class)))
                      .via(update -> KV.of("", update)))
              .setCoder(KvCoder.of(StringUtf8Coder.of(), updates.getCoder()))
              .apply(
                  "PublishSnapshots",
                  ParDo.of(new PublishSnapshotsFn(updates.getCoder(), refresh, completeAsOf)))
              .setCoder(tablesCoder())
              // Each snapshot is complete: the view must hold only the newest ones.
              .apply(
                  "NewestOnly",
                  Window.<ReferenceTables>configure()
                      .triggering(Repeatedly.forever(AfterPane.elementCountAtLeast(1)))
                      .withAllowedLateness(Duration.ZERO, Window.ClosingBehavior.FIRE_IF_NON_EMPTY)
                      .withOnTimeBehavior(Window.OnTimeBehavior.FIRE_IF_NON_EMPTY)
                      .discardingFiredPanes());
    }
    return tables.apply("AsSideInput", View.asIterable());
  }

  /**
   * Keeps the latest update per table and key in state (removals too, so an older row read later
   * cannot revive a deleted one) and publishes the tables after a change: once {@code refresh} has
   * passed, and never before the watermark has passed {@code completeAsOf}. A refresh is scheduled
   * only when something changed, so the step goes quiet, and a pipeline holding it can finish.
   */
  static final class PublishSnapshotsFn extends DoFn<KV<String, ReferenceUpdate>, ReferenceTables> {
    private final Duration refresh;
    private final @Nullable Instant completeAsOf;

    @StateId("rows")
    private final StateSpec<MapState<String, ReferenceUpdate>> rowsSpec;

    @StateId("version")
    private final StateSpec<ValueState<Long>> versionSpec = StateSpecs.value(VarLongCoder.of());

    /** False until the view may be published; true after. */
    @StateId("complete")
    private final StateSpec<ValueState<Boolean>> completeSpec = StateSpecs.value(BooleanCoder.of());

    @StateId("due")
    private final StateSpec<ValueState<Boolean>> dueSpec = StateSpecs.value(BooleanCoder.of());

    @TimerId("complete")
    private final TimerSpec completeTimerSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    @TimerId("refresh")
    private final TimerSpec refreshTimerSpec = TimerSpecs.timer(TimeDomain.PROCESSING_TIME);

    PublishSnapshotsFn(
        Coder<ReferenceUpdate> updateCoder, Duration refresh, @Nullable Instant completeAsOf) {
      this.rowsSpec = StateSpecs.map(StringUtf8Coder.of(), updateCoder);
      this.refresh = refresh;
      this.completeAsOf = completeAsOf;
    }

    @ProcessElement
    public void process(
        @Element KV<String, ReferenceUpdate> element,
        @Timestamp Instant timestamp,
        @StateId("rows") MapState<String, ReferenceUpdate> rows,
        @StateId("version") ValueState<Long> version,
        @StateId("complete") ValueState<Boolean> complete,
        @StateId("due") ValueState<Boolean> due,
        @TimerId("complete") Timer completeTimer,
        @TimerId("refresh") Timer refreshTimer) {
      ReferenceUpdate update = element.getValue();
      ReferenceUpdate current = rows.get(update.mapKey()).read();
      if (current == null || update.isAfter(current)) {
        rows.put(update.mapKey(), update);
        Long changes = version.read();
        version.write(changes == null ? 1 : changes + 1);
      }
      Boolean publishing = complete.read();
      if (publishing == null) {
        publishing = completeAsOf == null;
        complete.write(publishing);
        if (!publishing) {
          // A timer may not output before the element that set it.
          completeTimer
              .withOutputTimestamp(timestamp)
              .set(timestamp.isAfter(completeAsOf) ? timestamp : completeAsOf);
        }
      }
      if (publishing && due.read() == null) {
        refreshTimer.withOutputTimestamp(timestamp).offset(refresh).setRelative();
        due.write(true);
      }
    }

    @OnTimer("complete")
    public void onComplete(
        @StateId("rows") MapState<String, ReferenceUpdate> rows,
        @StateId("version") ValueState<Long> version,
        @StateId("complete") ValueState<Boolean> complete,
        OutputReceiver<ReferenceTables> out) {
      complete.write(true);
      out.output(snapshot(rows, version));
    }

    @OnTimer("refresh")
    public void onRefresh(
        @StateId("rows") MapState<String, ReferenceUpdate> rows,
        @StateId("version") ValueState<Long> version,
        @StateId("due") ValueState<Boolean> due,
        OutputReceiver<ReferenceTables> out) {
      due.clear();
      out.output(snapshot(rows, version));
    }

    private static ReferenceTables snapshot(
        MapState<String, ReferenceUpdate> rows, ValueState<Long> version) {
      Long changes = version.read();
      return tables(rows.values().read(), changes == null ? 0 : changes);
    }
  }

  /** The rows of {@code latest}, removals left out. */
  static ReferenceTables tables(Iterable<ReferenceUpdate> latest, long version) {
    Map<String, Course> courses = new HashMap<>();
    Map<String, Learner> learners = new HashMap<>();
    for (ReferenceUpdate update : latest) {
      if (update.getCourse() != null) {
        courses.put(update.getKey(), update.getCourse());
      } else if (update.getLearner() != null) {
        learners.put(update.getKey(), update.getLearner());
      }
    }
    return ReferenceTables.create(courses, learners, version);
  }

  private static Coder<ReferenceTables> tablesCoder() {
    try {
      return SchemaRegistry.createDefault().getSchemaCoder(ReferenceTables.class);
    } catch (NoSuchSchemaException e) {
      throw new IllegalStateException("ReferenceTables has no schema", e);
    }
  }

  /** The seed: the removal of a key no row has. */
  static final ReferenceUpdate NO_OP =
      ReferenceUpdate.create(SourceTable.COURSES, "", -1, -1, null, null);

  /** Keeps the latest update per table and key; the output drops removed rows. */
  static final class LatestRowsFn
      extends Combine.CombineFn<ReferenceUpdate, Map<String, ReferenceUpdate>, ReferenceTables> {

    @Override
    public Map<String, ReferenceUpdate> createAccumulator() {
      return new HashMap<>();
    }

    @Override
    public Map<String, ReferenceUpdate> addInput(
        Map<String, ReferenceUpdate> latest, ReferenceUpdate update) {
      latest.merge(update.mapKey(), update, (a, b) -> b.isAfter(a) ? b : a);
      return latest;
    }

    @Override
    public Map<String, ReferenceUpdate> mergeAccumulators(
        Iterable<Map<String, ReferenceUpdate>> accumulators) {
      Map<String, ReferenceUpdate> merged = createAccumulator();
      for (Map<String, ReferenceUpdate> accumulator : accumulators) {
        for (ReferenceUpdate update : accumulator.values()) {
          addInput(merged, update);
        }
      }
      return merged;
    }

    @Override
    public ReferenceTables extractOutput(Map<String, ReferenceUpdate> latest) {
      return tables(latest.values(), latest.size());
    }

    @Override
    public Coder<Map<String, ReferenceUpdate>> getAccumulatorCoder(
        CoderRegistry registry, Coder<ReferenceUpdate> inputCoder)
        throws CannotProvideCoderException {
      return MapCoder.of(StringUtf8Coder.of(), inputCoder);
    }

    @Override
    public Coder<ReferenceTables> getDefaultOutputCoder(
        CoderRegistry registry, Coder<ReferenceUpdate> inputCoder) {
      return tablesCoder();
    }

    @Override
    public ReferenceTables defaultValue() {
      return ReferenceTables.empty();
    }
  }
}
