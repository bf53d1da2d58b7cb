package dev.learnerpulse.dedup;

import static java.util.Objects.requireNonNull;

import dev.learnerpulse.beam.TupleResult;
import dev.learnerpulse.metrics.OutcomeCounters;
import dev.learnerpulse.model.Change;
import dev.learnerpulse.model.Outcome;
import dev.learnerpulse.window.AssignEventTime;
import java.util.Comparator;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.InstantCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.state.MapState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Drops changes seen before, by the contract's identity ({@link Change#identity()}: topic, op,
 * primary key, source position), so a connector's redelivery after a restart counts once.
 *
 * <p>Identities are spread over a fixed number of shards (state keys, 64 unless {@link #withShards}
 * says otherwise), each remembering the identities it saw with their expiry: {@code retention} of
 * event time after the change. One event-time timer per shard sweeps expired identities out, at
 * most once per retention, so streaming state stays bounded and an identity is remembered for one
 * to two retentions; a key per identity would make a timer and a tiny bundle per change, which is
 * what costs most on the DirectRunner. The retention should be at least the window size plus the
 * allowed lateness: a redelivery later than that falls into a window that has closed anyway. In
 * batch the timers fire only at the end, so every duplicate is removed. Runs in the global window,
 * where nothing is late, so no element is dropped by the runner here.
 *
 * <p>Which copy counts: in streaming the first the shard sees, which is the original, read before
 * its redelivery. A backfill's bounded input has no such order (Flink's batch runner groups a
 * shard's changes by sorting them), so there each identity keeps its copy with the earliest Kafka
 * position (partition, then offset), the original, whatever order the copies come in: the outcomes
 * do not depend on the runner, and a redelivery's later Kafka timestamp cannot make a change too
 * late.
 */
public final class DropDuplicateChanges
    extends PTransform<PCollection<Change>, DropDuplicateChanges.Result> {
  public static final TupleTag<Change> UNIQUE = new TupleTag<Change>() {};
  public static final TupleTag<Change> DUPLICATES = new TupleTag<Change>() {};

  /** How many state keys identities are spread over unless {@link #withShards} says otherwise. */
  static final int DEFAULT_SHARDS = 64;

  private final Duration retention;
  private final int shards;

  private DropDuplicateChanges(Duration retention, int shards) {
    this.retention = retention;
    this.shards = shards;
  }

  public static DropDuplicateChanges rememberingFor(Duration retention) {
    requireNonNull(retention, "retention");
    if (!retention.isLongerThan(Duration.ZERO)) {
      throw new IllegalArgumentException("The dedup retention must be positive, not " + retention);
    }
    return new DropDuplicateChanges(retention, DEFAULT_SHARDS);
  }

  /**
   * Spreads identities over {@code shards} state keys: the step's parallelism. Fewer shards make
   * fewer, larger bundles on the DirectRunner, where every bundle of a keyed step costs far more
   * than its elements; any count gives the same result.
   */
  public DropDuplicateChanges withShards(int shards) {
    if (shards < 1) {
      throw new IllegalArgumentException("At least one dedup shard is needed, not " + shards);
    }
    return new DropDuplicateChanges(retention, shards);
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("retention", retention)).add(DisplayData.item("shards", shards));
  }

  @Override
  public Result expand(PCollection<Change> changes) {
    int shards = this.shards;
    PCollection<KV<Integer, Change>> sharded =
        changes
            .apply("InGlobalWindow", Window.<Change>into(new GlobalWindows()))
            .apply(
                "KeyByShard",
                MapElements.into(
                        TypeDescriptors.kvs(
                            TypeDescriptors.integers(), TypeDescriptor.of(Change.class)))
                    .via(
                        (Change change) ->
                            KV.of(Math.floorMod(change.identity().hashCode(), shards), change)))
            .setCoder(KvCoder.of(VarIntCoder.of(), changes.getCoder()));
    PCollectionTuple outputs =
        changes.isBounded() == PCollection.IsBounded.BOUNDED
            ? sharded.apply(
                "EarliestCopy",
                ParDo.of(new EarliestCopyFn(changes.getCoder()))
                    .withOutputTags(UNIQUE, TupleTagList.of(DUPLICATES)))
            : sharded.apply(
                "FirstSighting",
                ParDo.of(new FirstSightingFn(retention))
                    .withOutputTags(UNIQUE, TupleTagList.of(DUPLICATES)));
    return new Result(outputs);
  }

  /** Unique changes and the duplicates set aside. */
  public static final class Result extends TupleResult {
    private Result(PCollectionTuple outputs) {
      super(outputs);
    }

    public PCollection<Change> unique() {
      return get(UNIQUE);
    }

    public PCollection<Change> duplicates() {
      return get(DUPLICATES);
    }
  }

  /**
   * A backfill's dedup: holds each identity's copy with the earliest Kafka position and sets every
   * other copy aside as a duplicate as soon as it meets one earlier; the copies it holds are the
   * unique changes, output when the input ends (the global window's end, the only time a bounded
   * input's event-time timer fires anyway).
   */
  static final class EarliestCopyFn extends DoFn<KV<Integer, Change>, Change> {
    private transient OutcomeCounters counters;

    @StateId("earliest")
    private final StateSpec<MapState<String, Change>> earliestSpec;

    @TimerId("end")
    private final TimerSpec endSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    EarliestCopyFn(Coder<Change> coder) {
      this.earliestSpec = StateSpecs.map(StringUtf8Coder.of(), coder);
    }

    @Setup
    public void setup() {
      counters = new OutcomeCounters();
    }

    @ProcessElement
    public void process(
        @Element KV<Integer, Change> element,
        @StateId("earliest") MapState<String, Change> earliest,
        @TimerId("end") Timer end,
        MultiOutputReceiver out) {
      Change change = element.getValue();
      String identity = change.identity();
      Change held = earliest.get(identity).read();
      if (held == null) {
        earliest.put(identity, change);
        // Output timestamps are each change's own: the timer holds nothing back.
        end.withOutputTimestamp(BoundedWindow.TIMESTAMP_MIN_VALUE)
            .set(GlobalWindow.INSTANCE.maxTimestamp());
        return;
      }
      Change duplicate = change;
      if (POSITION.compare(change, held) < 0) {
        earliest.put(identity, change);
        duplicate = held;
      }
      counters.outcome(Outcome.DUPLICATE, duplicate.getTopic());
      out.get(DUPLICATES).outputWithTimestamp(duplicate, AssignEventTime.timestampOf(duplicate));
    }

    @OnTimer("end")
    public void end(
        @StateId("earliest") MapState<String, Change> earliest, MultiOutputReceiver out) {
      for (Change change : earliest.values().read()) {
        out.get(UNIQUE).outputWithTimestamp(change, AssignEventTime.timestampOf(change));
      }
      earliest.clear();
    }

    /**
     * Changes are stamped with their own event time, which may lie before the current element's.
     */
    @Override
    @SuppressWarnings("deprecation")
    public Duration getAllowedTimestampSkew() {
      return Duration.millis(Long.MAX_VALUE);
    }
  }

  /** Where a copy sits in its topic: a redelivery sits after the original. */
  private static final Comparator<Change> POSITION =
      Comparator.comparingInt(Change::getPartition).thenComparingLong(Change::getOffset);

  /** Counts the sweeps: what the step's cost beyond its changes grows with. */
  static final String SWEEPS_COUNTER = "dedup_sweeps";

  static final class FirstSightingFn extends DoFn<KV<Integer, Change>, Change> {
    private final Duration retention;
    private final Counter sweeps = Metrics.counter(DropDuplicateChanges.class, SWEEPS_COUNTER);
    private transient OutcomeCounters counters;

    /** Identity to the end of its retention, in epoch millis. */
    @StateId("seen")
    private final StateSpec<MapState<String, Long>> seenSpec =
        StateSpecs.map(StringUtf8Coder.of(), VarLongCoder.of());

    /** When the pending sweep fires; absent when the shard remembers nothing. */
    @StateId("sweepAt")
    private final StateSpec<ValueState<Instant>> sweepAtSpec = StateSpecs.value(InstantCoder.of());

    @TimerId("sweep")
    private final TimerSpec sweepSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    FirstSightingFn(Duration retention) {
      this.retention = retention;
    }

    @Setup
    public void setup() {
      counters = new OutcomeCounters();
    }

    @ProcessElement
    public void process(
        @Element KV<Integer, Change> element,
        @Timestamp Instant timestamp,
        @StateId("seen") MapState<String, Long> seen,
        @StateId("sweepAt") ValueState<Instant> sweepAt,
        @TimerId("sweep") Timer sweep,
        MultiOutputReceiver out) {
      Change change = element.getValue();
      String identity = change.identity();
      if (seen.get(identity).read() != null) {
        counters.outcome(Outcome.DUPLICATE, change.getTopic());
        out.get(DUPLICATES).output(change);
        return;
      }
      Instant expiry = timestamp.plus(retention);
      seen.put(identity, expiry.getMillis());
      Instant pending = sweepAt.read();
      if (pending == null || expiry.isBefore(pending)) {
        sweep.withNoOutputTimestamp().set(expiry);
        sweepAt.write(expiry);
      }
      out.get(UNIQUE).output(change);
    }

    @OnTimer("sweep")
    public void sweep(
        OnTimerContext context,
        @StateId("seen") MapState<String, Long> seen,
        @StateId("sweepAt") ValueState<Instant> sweepAt,
        @TimerId("sweep") Timer sweep) {
      sweeps.inc();
      long now = context.fireTimestamp().getMillis();
      Long next = null;
      for (Map.Entry<String, Long> entry : seen.entries().read()) {
        if (entry.getValue() <= now) {
          seen.remove(entry.getKey());
        } else if (next == null || entry.getValue() < next) {
          next = entry.getValue();
        }
      }
      if (next == null) {
        sweepAt.clear();
      } else {
        // At most one sweep per retention: a sweep reads every identity the shard holds, so one
        // per distinct expiry made a shard's cost quadratic (60% of a backfill's CPU on Flink,
        // where the timers of a bounded input fire one by one at its end).
        Instant at = new Instant(Math.max(next, now + retention.getMillis()));
        sweep.withNoOutputTimestamp().set(at);
        sweepAt.write(at);
      }
    }
  }
}
