package dev.learnerpulse.window;

import static java.util.Objects.requireNonNull;
import static java.util.Objects.requireNonNullElse;

import com.google.auto.value.AutoValue;
import dev.learnerpulse.beam.TupleResult;
import dev.learnerpulse.metrics.OutcomeCounters;
import dev.learnerpulse.model.Change;
import dev.learnerpulse.model.Outcome;
import dev.learnerpulse.model.TooLateEvent;
import java.time.Clock;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.InstantCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Sets aside, as {@link TooLateEvent}s, the changes whose window has closed for good (the watermark
 * past the window's end plus the allowed lateness), which a windowed GroupByKey would otherwise
 * drop without a trace. Every change ends in exactly one of {@link Result#onTime()} and {@link
 * Result#tooLate()}.
 *
 * <h3>Streaming: {@link #byWatermark}</h3>
 *
 * A DoFn cannot read the watermark, and a windowed stateful DoFn drops late data just like a
 * GroupByKey, so the guard runs in the global window, keyed by a few shards, and learns the
 * watermark from event-time timers set on "ticks", the instants {@code k·g − 1 ms} ({@code g} the
 * greatest common divisor of window size and lateness), which contain every window's max timestamp
 * and every window's expiry. When a tick fires, the watermark is past it: that tick is the shard's
 * {@code horizon}, and a change whose window expiry is at or before the horizon is too late. Each
 * shard keeps one pending tick, which holds the guard's output watermark at {@code horizon + 1 ms},
 * so the downstream GroupByKey never sees a watermark past the horizon: every change the guard lets
 * through is one the GroupByKey keeps, and every change it sets aside is one the GroupByKey would
 * have dropped. Each shard is seeded at pipeline start with a tick at {@code start}, the oldest
 * event time the job expects; until that first tick fires nothing is too late and the output
 * watermark is held, so nothing can be dropped downstream either.
 *
 * <p>Which tick is pending decides both the cost and the exactness. Within {@link #EXACT_SPAN} of
 * the wall clock (a live job), the next tick is always the one after the horizon, so the horizon is
 * the last tick the watermark passed and the decision is exactly the runner's: too late iff the
 * watermark is past the expiry. Farther from the clock (a catch-up on an old backlog, or the input
 * ending), a shard with no data gallops: each tick it fires without a change in between doubles the
 * distance to the next, so crossing an empty stretch of any length costs a few dozen timers, not
 * one per minute of it, and a job's cost no longer grows with the age of its backlog. A change
 * pulls the pending tick back to its own window's end (or expiry), so windows that hold data close
 * on time whatever the gallop. While a shard gallops its horizon may trail the watermark; the guard
 * then lets through a change the runner would call too late, which the GroupByKey (held at the
 * horizon) keeps in a late pane: never a silent drop, and only ever in the windows the contract
 * already lets a catch-up judge differently from a backfill. A tick more than {@link
 * #END_OF_INPUT_MARGIN} past the wall clock means the input is ending (drain, or a bounded test):
 * the shard then jumps to the end of time.
 *
 * <h3>Batch: {@link #none}</h3>
 *
 * A bounded pipeline has no watermark progress, so nothing is late to the runner: every change
 * counts in its event-time window, as on Beam's batch runners. This is what a backfill of history
 * needs (a bulk import or a Debezium snapshot of old rows, whose Kafka timestamps are long after
 * their event times).
 *
 * <h3>Batch like live: {@link #byKafkaTimestamp}</h3>
 *
 * To end with the same final panes as a streaming job that read the same records live (a parity
 * check), a change is too late when its window expiry lies before its Kafka timestamp minus {@code
 * maxDelay}: the streaming watermark (Kafka create time minus the maximum delay, the slowest
 * partition holding it) when it was appended.
 */
@AutoValue
public abstract class SetAsideTooLateChanges
    extends PTransform<PCollection<Change>, SetAsideTooLateChanges.Result> {
  public static final TupleTag<Change> ON_TIME = new TupleTag<Change>() {};
  public static final TupleTag<TooLateEvent> TOO_LATE = new TupleTag<TooLateEvent>() {};
  static final int DEFAULT_SHARDS = 16;

  /**
   * Past the wall clock by more than this, the watermark can only be heading to the end of time.
   */
  static final Duration END_OF_INPUT_MARGIN = Duration.standardDays(1);

  /**
   * How far from the wall clock the guard ticks every tick, exactly; beyond it an idle shard
   * gallops. An hour is far more than a live job's watermark trails the clock by.
   */
  static final Duration EXACT_SPAN = Duration.standardHours(1);

  /** Bounds a gallop's stride so that its arithmetic cannot overflow. */
  private static final long MAX_STRIDE = 1L << 30;

  /** Counts the guard's timer firings: what its cost grows with. */
  static final String TICKS_COUNTER = "guard_ticks";

  abstract Windowing windowing();

  /** Where the streaming guard starts observing the watermark; null for the batch rules. */
  abstract @Nullable Instant start();

  abstract int shards();

  /** The Kafka-timestamp rule's maximum delay; null unless {@link #byKafkaTimestamp}. */
  abstract @Nullable Duration maxDelay();

  abstract Clock clock();

  abstract Builder toBuilder();

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setWindowing(Windowing windowing);

    abstract Builder setStart(@Nullable Instant start);

    abstract Builder setShards(int shards);

    abstract Builder setMaxDelay(@Nullable Duration maxDelay);

    abstract Builder setClock(Clock clock);

    abstract SetAsideTooLateChanges build();
  }

  private static Builder builder(Windowing windowing) {
    return new AutoValue_SetAsideTooLateChanges.Builder()
        .setWindowing(requireNonNull(windowing, "windowing"))
        .setShards(0)
        .setClock(Clock.systemUTC());
  }

  /** Streaming: decide by the runner's watermark, observed from {@code start} on. */
  public static SetAsideTooLateChanges byWatermark(Windowing windowing, Instant start) {
    return builder(windowing)
        .setStart(requireNonNull(start, "start"))
        .setShards(DEFAULT_SHARDS)
        .build();
  }

  /** Batch semantics: nothing is too late; every change goes to {@link Result#onTime()}. */
  public static SetAsideTooLateChanges none(Windowing windowing) {
    return builder(windowing).build();
  }

  /** Batch like live: decide by each change's Kafka timestamp, as a live watermark would have. */
  public static SetAsideTooLateChanges byKafkaTimestamp(Windowing windowing, Duration maxDelay) {
    requireNonNull(maxDelay, "maxDelay");
    if (maxDelay.isShorterThan(Duration.ZERO)) {
      throw new IllegalArgumentException("The maximum delay must not be negative");
    }
    return builder(windowing).setMaxDelay(maxDelay).build();
  }

  /** How many keys the streaming guard spreads changes over (its parallelism). */
  public SetAsideTooLateChanges withShards(int shards) {
    if (start() == null) {
      throw new IllegalStateException("Shards apply to the streaming guard only");
    }
    if (shards < 1) {
      throw new IllegalArgumentException("At least one shard is needed, not " + shards);
    }
    return toBuilder().setShards(shards).build();
  }

  /** Whether this is the streaming guard ({@link #byWatermark}). */
  public boolean judgesByWatermark() {
    return start() != null;
  }

  /** The clock that stamps {@code seen_at}; tests fix it. */
  public SetAsideTooLateChanges withClock(Clock clock) {
    return toBuilder().setClock(requireNonNull(clock)).build();
  }

  /** How lateness is judged: {@code watermark}, {@code kafkaTimestamp} or {@code none}. */
  String rule() {
    return start() != null ? "watermark" : maxDelay() != null ? "kafkaTimestamp" : "none";
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder
        .add(DisplayData.item("rule", rule()))
        .add(DisplayData.item("window", windowing().size()))
        .add(DisplayData.item("allowedLateness", windowing().allowedLateness()))
        .addIfNotNull(DisplayData.item("start", start()))
        .addIfNotNull(DisplayData.item("maxDelay", maxDelay()));
    if (judgesByWatermark()) {
      builder.add(DisplayData.item("shards", shards()));
    }
  }

  @Override
  public Result expand(PCollection<Change> changes) {
    Instant start = start();
    Duration maxDelay = maxDelay();
    PCollectionTuple outputs;
    if (start == null && maxDelay == null) {
      outputs =
          changes.apply(
              "NothingIsTooLate",
              ParDo.of(new AllOnTimeFn()).withOutputTags(ON_TIME, TupleTagList.of(TOO_LATE)));
    } else if (start == null) {
      outputs =
          changes.apply(
              "CompareWithKafkaTime",
              ParDo.of(new KafkaTimeRuleFn(windowing(), maxDelay, clock()))
                  .withOutputTags(ON_TIME, TupleTagList.of(TOO_LATE)));
    } else {
      Coder<Change> changeCoder;
      try {
        changeCoder = changes.getPipeline().getSchemaRegistry().getSchemaCoder(Change.class);
      } catch (NoSuchSchemaException e) {
        throw new IllegalStateException(e);
      }
      KvCoder<Integer, Change> keyedCoder =
          KvCoder.of(VarIntCoder.of(), NullableCoder.of(changeCoder));
      PCollection<KV<Integer, Change>> keyed =
          changes
              .apply("InGlobalWindow", Window.<Change>into(new GlobalWindows()))
              .apply("KeyByShard", ParDo.of(new KeyByShardFn(shards())))
              .setCoder(keyedCoder);
      PCollection<KV<Integer, Change>> seeds =
          changes
              .getPipeline()
              .apply("SeedShards", Create.of(seeds(shards())).withCoder(keyedCoder));
      outputs =
          PCollectionList.of(keyed)
              .and(seeds)
              .apply("WithSeeds", Flatten.pCollections())
              .apply(
                  "GuardByWatermark",
                  ParDo.of(new WatermarkGuardFn(windowing(), start, clock()))
                      .withOutputTags(ON_TIME, TupleTagList.of(TOO_LATE)));
    }
    outputs.get(ON_TIME).setCoder(changes.getCoder());
    return new Result(outputs);
  }

  private static java.util.List<KV<Integer, Change>> seeds(int shards) {
    java.util.List<KV<Integer, Change>> seeds = new java.util.ArrayList<>();
    for (int shard = 0; shard < shards; shard++) {
      seeds.add(KV.of(shard, null));
    }
    return seeds;
  }

  /** Changes still in time, and the too-late ones set aside. */
  public static final class Result extends TupleResult {
    private Result(PCollectionTuple outputs) {
      super(outputs);
    }

    public PCollection<Change> onTime() {
      return get(ON_TIME);
    }

    public PCollection<TooLateEvent> tooLate() {
      return get(TOO_LATE);
    }
  }

  /** The tick spacing: every window max timestamp and every expiry is {@code k·g − 1 ms}. */
  static long tickSpacing(Windowing windowing) {
    long size = windowing.size().getMillis();
    long lateness = windowing.allowedLateness().getMillis();
    return lateness == 0 ? size : gcd(size, lateness);
  }

  /** The first tick at or after {@code time}. */
  static Instant tickAtOrAfter(Instant time, long spacing) {
    long k = Math.floorDiv(time.getMillis() + 1, spacing);
    long tick = k * spacing - 1;
    return new Instant(tick < time.getMillis() ? tick + spacing : tick);
  }

  private static long gcd(long a, long b) {
    return b == 0 ? a : gcd(b, a % b);
  }

  private static TooLateEvent tooLate(
      Change change, Windowing windowing, IntervalWindow window, Clock clock) {
    return TooLateEvent.of(
        change,
        window.start(),
        window.end(),
        windowing.expiryOf(window),
        new Instant(clock.millis()));
  }

  static final class KeyByShardFn extends DoFn<Change, KV<Integer, Change>> {
    private final int shards;

    KeyByShardFn(int shards) {
      this.shards = shards;
    }

    @ProcessElement
    public void process(@Element Change change, OutputReceiver<KV<Integer, Change>> out) {
      int hash = java.util.Objects.hash(change.learnerId(), change.courseId());
      out.output(KV.of(Math.floorMod(hash, shards), change));
    }
  }

  static final class WatermarkGuardFn extends DoFn<KV<Integer, Change>, Change> {
    private final Windowing windowing;
    private final Instant start;
    private final long spacing;
    private final Clock clock;
    private final Counter ticks = Metrics.counter(SetAsideTooLateChanges.class, TICKS_COUNTER);
    private transient OutcomeCounters counters;

    /** The last tick fired: the watermark is past it. */
    @StateId("horizon")
    private final StateSpec<ValueState<Instant>> horizonSpec = StateSpecs.value(InstantCoder.of());

    /** When the "tick" timer fires. */
    @StateId("tickAt")
    private final StateSpec<ValueState<Instant>> tickAtSpec = StateSpecs.value(InstantCoder.of());

    /** When the "data" timer fires, while one is pending. */
    @StateId("dataAt")
    private final StateSpec<ValueState<Instant>> dataAtSpec = StateSpecs.value(InstantCoder.of());

    /** How many spacings past the horizon an idle shard sets its next tick. */
    @StateId("stride")
    private final StateSpec<ValueState<Long>> strideSpec = StateSpecs.value(VarLongCoder.of());

    /** Always pending once seeded: it holds the output watermark at the horizon. */
    @TimerId("tick")
    private final TimerSpec tickSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    /**
     * A change's own window end (or expiry), when it comes before the pending tick. A timer set for
     * an element cannot hold the output watermark before the element's timestamp, so this one only
     * fires; the tick timer keeps the hold.
     */
    @TimerId("data")
    private final TimerSpec dataSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    WatermarkGuardFn(Windowing windowing, Instant start, Clock clock) {
      this.windowing = windowing;
      this.start = start;
      this.spacing = tickSpacing(windowing);
      this.clock = clock;
    }

    @Setup
    public void setup() {
      counters = new OutcomeCounters();
    }

    @ProcessElement
    public void process(
        @Element KV<Integer, Change> element,
        @Timestamp Instant timestamp,
        @StateId("horizon") ValueState<Instant> horizon,
        @StateId("tickAt") ValueState<Instant> tickAt,
        @StateId("dataAt") ValueState<Instant> dataAt,
        @TimerId("tick") Timer tick,
        @TimerId("data") Timer data,
        MultiOutputReceiver out) {
      Change change = element.getValue();
      Instant passed = horizon.read();
      if (change == null) {
        // A seed: start this shard's ticks, holding the output watermark until the first fires.
        if (tickAt.read() == null) {
          Instant first = tickAtOrAfter(start, spacing);
          tick.withOutputTimestamp(BoundedWindow.TIMESTAMP_MIN_VALUE).set(first);
          tickAt.write(first);
        }
        return;
      }
      IntervalWindow window = windowing.windowOf(change.getEventTime());
      Instant expiry = windowing.expiryOf(window);
      if (passed != null && !expiry.isAfter(passed)) {
        counters.outcome(Outcome.TOO_LATE, change.getTopic());
        out.get(TOO_LATE).output(tooLate(change, windowing, window, clock));
        return;
      }
      out.get(ON_TIME).output(change);
      // Close this change's window on time, whatever the gallop: its end, or once that has passed,
      // its expiry.
      Instant end = window.maxTimestamp();
      Instant due = passed == null || end.isAfter(passed) ? end : expiry;
      if (isBefore(due, tickAt.read()) && isBefore(due, dataAt.read())) {
        data.withOutputTimestamp(timestamp).set(due);
        dataAt.write(due);
      }
    }

    @OnTimer("tick")
    public void onTick(
        OnTimerContext context,
        @StateId("horizon") ValueState<Instant> horizon,
        @StateId("tickAt") ValueState<Instant> tickAt,
        @StateId("stride") ValueState<Long> stride,
        @TimerId("tick") Timer tick) {
      ticks.inc();
      Instant firedAt = context.fireTimestamp();
      horizon.write(firedAt);
      Instant now = new Instant(clock.millis());
      if (firedAt.isAfter(now.plus(END_OF_INPUT_MARGIN))) {
        // Event time a day past the wall clock exists only when the input ends (drain, a bounded
        // test): one last tick at the end of time, instead of ticking there minute by minute.
        Instant end = GlobalWindow.INSTANCE.maxTimestamp();
        if (firedAt.isBefore(end)) {
          setTick(end, firedAt, tickAt, tick);
        }
        return;
      }
      Instant exactFrom = now.minus(EXACT_SPAN);
      if (!firedAt.isBefore(exactFrom) && !firedAt.isAfter(now.plus(EXACT_SPAN))) {
        setTick(firedAt.plus(spacing), firedAt, tickAt, tick);
        return;
      }
      // Far from the clock, and no change's window between this tick and the last: gallop, but
      // never into the span where every tick counts.
      long strideNow = requireNonNullElse(stride.read(), 1L);
      Instant following = firedAt.plus(strideNow * spacing);
      Instant exactTick = tickAtOrAfter(exactFrom, spacing);
      if (firedAt.isBefore(exactTick) && following.isAfter(exactTick)) {
        following = exactTick;
      } else if (following.isAfter(GlobalWindow.INSTANCE.maxTimestamp())) {
        following = GlobalWindow.INSTANCE.maxTimestamp();
      }
      setTick(following, firedAt, tickAt, tick);
      stride.write(Math.min(strideNow * 2, MAX_STRIDE));
    }

    @OnTimer("data")
    public void onData(
        OnTimerContext context,
        @StateId("horizon") ValueState<Instant> horizon,
        @StateId("tickAt") ValueState<Instant> tickAt,
        @StateId("dataAt") ValueState<Instant> dataAt,
        @StateId("stride") ValueState<Long> stride,
        @TimerId("tick") Timer tick) {
      ticks.inc();
      Instant firedAt = context.fireTimestamp();
      dataAt.clear();
      Instant passed = horizon.read();
      if (passed != null && !firedAt.isAfter(passed)) {
        return;
      }
      horizon.write(firedAt);
      // The gallop starts again from here, one tick at a time.
      setTick(firedAt.plus(spacing), firedAt, tickAt, tick);
      stride.write(2L);
    }

    private static void setTick(
        Instant at, Instant horizon, ValueState<Instant> tickAt, Timer tick) {
      tick.withOutputTimestamp(horizon.plus(1)).set(at);
      tickAt.write(at);
    }

    private static boolean isBefore(Instant time, @Nullable Instant pending) {
      return pending == null || time.isBefore(pending);
    }
  }

  static final class AllOnTimeFn extends DoFn<Change, Change> {
    @ProcessElement
    public void process(@Element Change change, MultiOutputReceiver out) {
      out.get(ON_TIME).output(change);
    }
  }

  static final class KafkaTimeRuleFn extends DoFn<Change, Change> {
    private final Windowing windowing;
    private final Duration maxDelay;
    private final Clock clock;
    private transient OutcomeCounters counters;

    KafkaTimeRuleFn(Windowing windowing, Duration maxDelay, Clock clock) {
      this.windowing = windowing;
      this.maxDelay = maxDelay;
      this.clock = clock;
    }

    @Setup
    public void setup() {
      counters = new OutcomeCounters();
    }

    @ProcessElement
    public void process(@Element Change change, MultiOutputReceiver out) {
      IntervalWindow window = windowing.windowOf(change.getEventTime());
      Instant watermark = change.getKafkaTimestamp().minus(maxDelay);
      if (windowing.expiryOf(window).isBefore(watermark)) {
        counters.outcome(Outcome.TOO_LATE, change.getTopic());
        out.get(TOO_LATE).output(tooLate(change, windowing, window, clock));
      } else {
        out.get(ON_TIME).output(change);
      }
    }
  }
}
