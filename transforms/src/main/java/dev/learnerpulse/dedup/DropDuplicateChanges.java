package dev.learnerpulse.dedup;

import static java.util.Objects.requireNonNull;

import dev.learnerpulse.metrics.OutcomeCounters;
import dev.learnerpulse.model.Change;
import dev.learnerpulse.model.Outcome;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
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
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PInput;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
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
 * <p>Each identity is remembered for {@code retention} of event time after the change (an
 * event-time timer clears it), so streaming state stays bounded. The retention should be at least
 * the window size plus the allowed lateness: a redelivery later than that falls into a window that
 * has closed anyway. In batch the timers fire only at the end, so every duplicate is removed. Runs in
 * the global window, where nothing is late, so no element is dropped by the runner here.
 */
public final class DropDuplicateChanges
    extends PTransform<PCollection<Change>, DropDuplicateChanges.Result> {
  public static final TupleTag<Change> UNIQUE = new TupleTag<Change>() {};
  public static final TupleTag<Change> DUPLICATES = new TupleTag<Change>() {};

  private final Duration retention;

  private DropDuplicateChanges(Duration retention) {
    this.retention = retention;
  }

  public static DropDuplicateChanges rememberingFor(Duration retention) {
    requireNonNull(retention, "retention");
    if (!retention.isLongerThan(Duration.ZERO)) {
      throw new IllegalArgumentException("The dedup retention must be positive, not " + retention);
    }
    return new DropDuplicateChanges(retention);
  }

  @Override
  public Result expand(PCollection<Change> changes) {
    PCollectionTuple outputs =
        changes
            .apply("InGlobalWindow", Window.<Change>into(new GlobalWindows()))
            .apply(
                "KeyByIdentity",
                MapElements.into(
                        TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptor.of(Change.class)))
                    .via((Change change) -> KV.of(change.identity(), change)))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), changes.getCoder()))
            .apply(
                "FirstSighting",
                ParDo.of(new FirstSightingFn(retention))
                    .withOutputTags(UNIQUE, TupleTagList.of(DUPLICATES)));
    return new Result(outputs);
  }

  /** Unique changes and the duplicates set aside. */
  public static final class Result implements POutput {
    private final PCollectionTuple outputs;

    private Result(PCollectionTuple outputs) {
      this.outputs = outputs;
    }

    public PCollection<Change> unique() {
      return outputs.get(UNIQUE);
    }

    public PCollection<Change> duplicates() {
      return outputs.get(DUPLICATES);
    }

    @Override
    public Pipeline getPipeline() {
      return outputs.getPipeline();
    }

    @Override
    public Map<TupleTag<?>, PValue> expand() {
      return outputs.expand();
    }

    @Override
    public void finishSpecifyingOutput(
        String transformName, PInput input, org.apache.beam.sdk.transforms.PTransform<?, ?> transform) {}
  }

  static final class FirstSightingFn extends DoFn<KV<String, Change>, Change> {
    private final Duration retention;
    private transient OutcomeCounters counters;

    @StateId("seen")
    private final StateSpec<ValueState<Boolean>> seenSpec = StateSpecs.value(BooleanCoder.of());

    @TimerId("forget")
    private final TimerSpec forgetSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    FirstSightingFn(Duration retention) {
      this.retention = retention;
    }

    @Setup
    public void setup() {
      counters = new OutcomeCounters();
    }

    @ProcessElement
    public void process(
        @Element KV<String, Change> element,
        @Timestamp Instant timestamp,
        @StateId("seen") ValueState<Boolean> seen,
        @TimerId("forget") Timer forget,
        MultiOutputReceiver out) {
      Change change = element.getValue();
      if (Boolean.TRUE.equals(seen.read())) {
        counters.outcome(Outcome.DUPLICATE, change.getTopic());
        out.get(DUPLICATES).output(change);
        return;
      }
      seen.write(true);
      forget.withNoOutputTimestamp().set(timestamp.plus(retention));
      out.get(UNIQUE).output(change);
    }

    @OnTimer("forget")
    public void forget(@StateId("seen") ValueState<Boolean> seen) {
      seen.clear();
    }
  }
}
