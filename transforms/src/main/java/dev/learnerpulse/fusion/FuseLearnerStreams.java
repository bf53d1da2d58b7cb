package dev.learnerpulse.fusion;

import static java.util.Objects.requireNonNull;

import dev.learnerpulse.enrich.ReferenceTables;
import dev.learnerpulse.model.Change;
import dev.learnerpulse.model.LearnerWindowMetrics;
import dev.learnerpulse.model.SourceTable;
import dev.learnerpulse.window.Windowing;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Fuses the four change streams per learner, course and event-time window into {@code
 * learner_window_metrics}: windows the changes ({@link Windowing}), keys each stream by
 * (learner_id, course_id), joins them with {@link CoGroupByKey}, and computes every pane's metrics
 * ({@link LearnerMetrics}) with the reference tables of the moment as a side input. Panes
 * accumulate, so each pane replaces the previous one for its key and window.
 *
 * <p>Expects on-time changes only: too-late ones must have been set aside before (a windowed
 * GroupByKey would drop them silently).
 */
public final class FuseLearnerStreams
    extends PTransform<PCollection<Change>, PCollection<LearnerWindowMetrics>> {
  static final TupleTag<KV<KV<String, String>, Change>> PROGRESS =
      new TupleTag<KV<KV<String, String>, Change>>() {};
  static final TupleTag<KV<KV<String, String>, Change>> INTERACTIONS =
      new TupleTag<KV<KV<String, String>, Change>>() {};
  static final TupleTag<KV<KV<String, String>, Change>> ASSESSMENTS =
      new TupleTag<KV<KV<String, String>, Change>>() {};
  static final TupleTag<KV<KV<String, String>, Change>> CERTIFICATIONS =
      new TupleTag<KV<KV<String, String>, Change>>() {};
  private static final TupleTag<Change> PROGRESS_VALUES = new TupleTag<>("progress");
  private static final TupleTag<Change> INTERACTION_VALUES = new TupleTag<>("interactions");
  private static final TupleTag<Change> ASSESSMENT_VALUES = new TupleTag<>("assessments");
  private static final TupleTag<Change> CERTIFICATION_VALUES = new TupleTag<>("certifications");

  private final Windowing windowing;
  private final PCollectionView<Iterable<ReferenceTables>> references;

  private FuseLearnerStreams(
      Windowing windowing, PCollectionView<Iterable<ReferenceTables>> references) {
    this.windowing = windowing;
    this.references = references;
  }

  public static FuseLearnerStreams of(
      Windowing windowing, PCollectionView<Iterable<ReferenceTables>> references) {
    return new FuseLearnerStreams(
        requireNonNull(windowing, "windowing"), requireNonNull(references, "references"));
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    windowing.populateDisplayData(builder);
  }

  @Override
  public PCollection<LearnerWindowMetrics> expand(PCollection<Change> changes) {
    Coder<KV<KV<String, String>, Change>> keyedCoder =
        KvCoder.of(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()), changes.getCoder());
    PCollectionTuple streams =
        changes
            .apply("Window", windowing.<Change>window())
            .apply(
                "KeyByLearnerAndCourse",
                ParDo.of(new SplitStreamsFn())
                    .withOutputTags(
                        PROGRESS,
                        TupleTagList.of(INTERACTIONS).and(ASSESSMENTS).and(CERTIFICATIONS)));
    PCollection<KV<KV<String, String>, CoGbkResult>> joined =
        KeyedPCollectionTuple.of(PROGRESS_VALUES, streams.get(PROGRESS).setCoder(keyedCoder))
            .and(INTERACTION_VALUES, streams.get(INTERACTIONS).setCoder(keyedCoder))
            .and(ASSESSMENT_VALUES, streams.get(ASSESSMENTS).setCoder(keyedCoder))
            .and(CERTIFICATION_VALUES, streams.get(CERTIFICATIONS).setCoder(keyedCoder))
            .apply("JoinStreams", CoGroupByKey.create());
    return joined.apply(
        "ComputeMetrics", ParDo.of(new ComputeMetricsFn(references)).withSideInputs(references));
  }

  static final class SplitStreamsFn extends DoFn<Change, KV<KV<String, String>, Change>> {
    @ProcessElement
    public void process(@Element Change change, MultiOutputReceiver out) {
      KV<KV<String, String>, Change> keyed =
          KV.of(KV.of(change.learnerId(), change.courseId()), change);
      SourceTable table = change.getTable();
      switch (table) {
        case LEARNER_PROGRESS:
          out.get(PROGRESS).output(keyed);
          break;
        case COURSE_INTERACTIONS:
          out.get(INTERACTIONS).output(keyed);
          break;
        case ASSESSMENT_EVENTS:
          out.get(ASSESSMENTS).output(keyed);
          break;
        case CERTIFICATION_STATE:
          out.get(CERTIFICATIONS).output(keyed);
          break;
        default:
          throw new IllegalArgumentException(table + " changes are reference data, not activity");
      }
    }
  }

  private static boolean isEmpty(CoGbkResult streams) {
    return !streams.getAll(PROGRESS_VALUES).iterator().hasNext()
        && !streams.getAll(INTERACTION_VALUES).iterator().hasNext()
        && !streams.getAll(ASSESSMENT_VALUES).iterator().hasNext()
        && !streams.getAll(CERTIFICATION_VALUES).iterator().hasNext();
  }

  static final class ComputeMetricsFn
      extends DoFn<KV<KV<String, String>, CoGbkResult>, LearnerWindowMetrics> {
    private final PCollectionView<Iterable<ReferenceTables>> references;

    ComputeMetricsFn(PCollectionView<Iterable<ReferenceTables>> references) {
      this.references = references;
    }

    @ProcessElement
    public void process(
        @Element KV<KV<String, String>, CoGbkResult> joined,
        BoundedWindow window,
        PaneInfo pane,
        ProcessContext context,
        OutputReceiver<LearnerWindowMetrics> out) {
      CoGbkResult streams = joined.getValue();
      if (isEmpty(streams)) {
        // A pane without a change is no row of the contract. Flink fires one for a window whose
        // state it has already collected, when an early-firing timer outlives it: an on-time pane
        // of index 0 holding nothing, which would replace the window's real last pane.
        return;
      }
      out.output(
          LearnerMetrics.compute(
              joined.getKey().getKey(),
              joined.getKey().getValue(),
              (IntervalWindow) window,
              pane,
              streams.getAll(PROGRESS_VALUES),
              streams.getAll(INTERACTION_VALUES),
              streams.getAll(ASSESSMENT_VALUES),
              streams.getAll(CERTIFICATION_VALUES),
              ReferenceTables.newest(context.sideInput(references))));
    }
  }
}
