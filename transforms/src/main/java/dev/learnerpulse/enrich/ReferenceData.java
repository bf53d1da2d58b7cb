package dev.learnerpulse.enrich;

import dev.learnerpulse.model.Course;
import dev.learnerpulse.model.Learner;
import dev.learnerpulse.model.SourceTable;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.MapCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import org.apache.beam.sdk.schemas.SchemaRegistry;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.AfterProcessingTime;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Repeatedly;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionView;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;

/**
 * The reference tables as a side input: the latest row per key of the compacted course and learner
 * topics, a delete removing it (contract section 3).
 *
 * <p>Bounded input (backfill): one value, the state at the end of the archive, so every window sees
 * the final reference rows. Unbounded input (streaming): Beam's slowly-updating side-input pattern,
 * the view re-computed every {@code refresh} of processing time from everything seen so far
 * (accumulating panes), each refresh replacing the last in the view. A single seed row at start
 * makes the first refresh happen one period after start even before the first reference row, so
 * the main stream never waits longer than one period for the view. (A PeriodicImpulse heartbeat
 * did the same but never ends, so no pipeline holding it could finish: a TestStream test, or a
 * drained job, waited for ever.) The view is an iterable because the latest pane may hold more
 * than one refresh; readers take {@link ReferenceTables#newest}.
 *
 * <pre>{@code
 * PCollectionView<Iterable<ReferenceTables>> references =
 *     updates.apply("ReferenceData", ReferenceData.refreshingEvery(Duration.standardSeconds(30)));
 * }</pre>
 */
public final class ReferenceData
    extends PTransform<PCollection<ReferenceUpdate>, PCollectionView<Iterable<ReferenceTables>>> {
  private final @Nullable Duration refresh;

  private ReferenceData(@Nullable Duration refresh) {
    this.refresh = refresh;
  }

  /** For bounded input: the final state of the reference topics. */
  public static ReferenceData atEnd() {
    return new ReferenceData(null);
  }

  /** For unbounded input: a view refreshed every {@code refresh} of processing time. */
  public static ReferenceData refreshingEvery(Duration refresh) {
    if (refresh == null || !refresh.isLongerThan(Duration.ZERO)) {
      throw new IllegalArgumentException("The reference refresh period must be positive");
    }
    return new ReferenceData(refresh);
  }

  @Override
  public PCollectionView<Iterable<ReferenceTables>> expand(PCollection<ReferenceUpdate> updates) {
    PCollection<ReferenceUpdate> all = updates;
    if (refresh != null) {
      PCollection<ReferenceUpdate> seed =
          updates
              .getPipeline()
              .apply("Seed", Create.of(NO_OP).withCoder(updates.getCoder()));
      all =
          PCollectionList.of(updates)
              .and(seed)
              .apply("WithSeed", Flatten.pCollections())
              .apply(
                  "RefreshPeriodically",
                  Window.<ReferenceUpdate>into(new GlobalWindows())
                      .triggering(
                          Repeatedly.forever(
                              AfterProcessingTime.pastFirstElementInPane().plusDelayOf(refresh)))
                      .withAllowedLateness(Duration.ZERO)
                      .accumulatingFiredPanes());
    } else {
      all = updates.apply("InGlobalWindow", Window.<ReferenceUpdate>into(new GlobalWindows()));
    }
    PCollection<ReferenceTables> tables =
        all.apply("LatestRowPerKey", Combine.globally(new LatestRowsFn()));
    if (refresh != null) {
      // Each refresh is one complete ReferenceTables; the view must hold only the newest ones.
      // Accumulating panes here would hand the view every refresh so far.
      tables =
          tables.apply(
              "NewestOnly",
              Window.<ReferenceTables>configure()
                  .triggering(Repeatedly.forever(AfterPane.elementCountAtLeast(1)))
                  .withAllowedLateness(Duration.ZERO, Window.ClosingBehavior.FIRE_IF_NON_EMPTY)
                  .withOnTimeBehavior(Window.OnTimeBehavior.FIRE_IF_NON_EMPTY)
                  .discardingFiredPanes());
    }
    return tables.apply("AsSideInput", View.asIterable());
  }

  /** The seed: the removal of a key no row has. */
  static final ReferenceUpdate NO_OP = ReferenceUpdate.create(SourceTable.COURSES, "", -1, -1, null, null);

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
      Map<String, Course> courses = new HashMap<>();
      Map<String, Learner> learners = new HashMap<>();
      long version = 0;
      for (ReferenceUpdate update : latest.values()) {
        version += update.getOffset() + 2;
        if (update.getCourse() != null) {
          courses.put(update.getKey(), update.getCourse());
        } else if (update.getLearner() != null) {
          learners.put(update.getKey(), update.getLearner());
        }
      }
      return ReferenceTables.create(courses, learners, version);
    }

    @Override
    public Coder<Map<String, ReferenceUpdate>> getAccumulatorCoder(
        CoderRegistry registry, Coder<ReferenceUpdate> inputCoder)
        throws CannotProvideCoderException {
      return MapCoder.of(StringUtf8Coder.of(), inputCoder);
    }

    @Override
    public Coder<ReferenceTables> getDefaultOutputCoder(
        CoderRegistry registry, Coder<ReferenceUpdate> inputCoder)
        throws CannotProvideCoderException {
      try {
        return SchemaRegistry.createDefault().getSchemaCoder(ReferenceTables.class);
      } catch (NoSuchSchemaException e) {
        throw new CannotProvideCoderException("ReferenceTables has no schema", e);
      }
    }

    @Override
    public ReferenceTables defaultValue() {
      return ReferenceTables.empty();
    }
  }
}
