package dev.learnerpulse.alerts;

import static java.util.Objects.requireNonNull;

import dev.learnerpulse.enrich.ReferenceTables;
import dev.learnerpulse.fusion.LearnerMetrics;
import dev.learnerpulse.model.AssessmentEvent;
import dev.learnerpulse.model.Change;
import dev.learnerpulse.model.LearnerAlert;
import dev.learnerpulse.model.LearnerAlert.Kind;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import org.apache.beam.sdk.coders.BigDecimalCoder;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import org.apache.beam.sdk.state.MapState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Alerts as a learner's state in a course changes, one per transition, as soon as the change that
 * makes it arrives: not when a window closes. The state is kept per (learner, course) in a stateful
 * step:
 *
 * <ul>
 *   <li>{@link Kind#CERTIFICATE_ISSUED}: the newest certification_state change (by event time, then
 *       {@code source.ts_ms}, then offset: {@link LearnerMetrics#LATEST}) says {@code issued} and
 *       the one before it did not (or there was none);
 *   <li>{@link Kind#COURSE_COMPLETED}: the same for learner_progress and {@code completed};
 *   <li>{@link Kind#AT_RISK} and {@link Kind#RECOVERED}: the mean of 100 * score / max_score over
 *       every attempt of the learner in the course so far crosses the course's passing score (from
 *       the reference data; 70 when unknown) downwards or back. Below is at risk, equal is not, as
 *       in {@code learner_window_metrics.at_risk}; a first attempt that passes alerts nothing.
 * </ul>
 *
 * <p>Replay-safe: a change that is not newer than the one held (a redelivery, a replay, a late
 * change) leaves the state as it is and alerts nothing, and an attempt is folded into the mean once
 * by its {@code _id}. A late attempt does move the mean, so it can alert. Alert ids are derived
 * from the kind and the causing change's identity ({@link LearnerAlert#of}), so sinks can drop the
 * copy a job restarted without its state would emit again.
 *
 * <p>Expects unique changes (after {@code DropDuplicateChanges}), too-late ones included: a
 * certificate issued is news however late its window. The state lives in the global window, one
 * small entry per (learner, course) seen.
 *
 * <pre>{@code
 * PCollection<LearnerAlert> alerts =
 *     changes.apply("DetectLearnerAlerts", DetectLearnerAlerts.of(referenceTables));
 * }</pre>
 */
public final class DetectLearnerAlerts
    extends PTransform<PCollection<Change>, PCollection<LearnerAlert>> {
  private final PCollectionView<Iterable<ReferenceTables>> references;

  private DetectLearnerAlerts(PCollectionView<Iterable<ReferenceTables>> references) {
    this.references = references;
  }

  /** Passing scores and tenants from {@code references}, a global-window side input. */
  public static DetectLearnerAlerts of(PCollectionView<Iterable<ReferenceTables>> references) {
    return new DetectLearnerAlerts(requireNonNull(references, "references"));
  }

  /** Nothing to configure but the side input: shows what the step alerts and its fallback. */
  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder
        .add(DisplayData.item("kinds", Arrays.toString(Kind.values())))
        .add(
            DisplayData.item(
                    "defaultPassingScorePct",
                    LearnerMetrics.DEFAULT_PASSING_SCORE_PCT.toPlainString())
                .withLabel("Passing score of a course the reference data does not know"));
  }

  @Override
  public PCollection<LearnerAlert> expand(PCollection<Change> changes) {
    Coder<LearnerAlert> alertCoder;
    try {
      alertCoder = changes.getPipeline().getSchemaRegistry().getSchemaCoder(LearnerAlert.class);
    } catch (NoSuchSchemaException e) {
      throw new IllegalStateException(e);
    }
    return changes
        .apply("InGlobalWindow", Window.into(new GlobalWindows()))
        .apply("KeyByLearnerAndCourse", ParDo.of(new KeyFn()))
        .setCoder(
            KvCoder.of(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()), changes.getCoder()))
        .apply(
            "TrackLearnerState",
            ParDo.of(new TrackLearnerStateFn(references, changes.getCoder()))
                .withSideInputs(references))
        .setCoder(alertCoder);
  }

  static final class KeyFn extends DoFn<Change, KV<KV<String, String>, Change>> {
    @ProcessElement
    public void process(
        @Element Change change, OutputReceiver<KV<KV<String, String>, Change>> out) {
      if (!change.getTable().isReference()) {
        out.output(KV.of(KV.of(change.learnerId(), change.courseId()), change));
      }
    }
  }

  /**
   * The state of one learner in one course: the newest certification and progress changes, the
   * attempts folded into the mean (by id), the mean as one exact fraction ({@link
   * LearnerMetrics.ScoreRatios}, as the rows take it), and whether the mean is below the passing
   * score.
   */
  static final class TrackLearnerStateFn
      extends DoFn<KV<KV<String, String>, Change>, LearnerAlert> {
    private final PCollectionView<Iterable<ReferenceTables>> references;
    private final Map<Kind, Counter> alerts = new EnumMap<>(Kind.class);

    @StateId("certification")
    private final StateSpec<ValueState<Change>> certificationSpec;

    @StateId("progress")
    private final StateSpec<ValueState<Change>> progressSpec;

    @StateId("attempts")
    private final StateSpec<MapState<String, Boolean>> attemptsSpec =
        StateSpecs.map(StringUtf8Coder.of(), BooleanCoder.of());

    @StateId("scoreSum")
    private final StateSpec<ValueState<BigDecimal>> scoreSumSpec =
        StateSpecs.value(BigDecimalCoder.of());

    @StateId("scoreDenominator")
    private final StateSpec<ValueState<BigDecimal>> scoreDenominatorSpec =
        StateSpecs.value(BigDecimalCoder.of());

    @StateId("scoreCount")
    private final StateSpec<ValueState<Long>> scoreCountSpec = StateSpecs.value(VarLongCoder.of());

    @StateId("atRisk")
    private final StateSpec<ValueState<Boolean>> atRiskSpec = StateSpecs.value(BooleanCoder.of());

    TrackLearnerStateFn(
        PCollectionView<Iterable<ReferenceTables>> references, Coder<Change> changeCoder) {
      this.references = references;
      this.certificationSpec = StateSpecs.value(changeCoder);
      this.progressSpec = StateSpecs.value(changeCoder);
      for (Kind kind : Kind.values()) {
        alerts.put(kind, Metrics.counter(DetectLearnerAlerts.class, counterName(kind)));
      }
    }

    @ProcessElement
    public void process(
        @Element KV<KV<String, String>, Change> keyed,
        @StateId("certification") ValueState<Change> certification,
        @StateId("progress") ValueState<Change> progress,
        @StateId("attempts") MapState<String, Boolean> attempts,
        @StateId("scoreSum") ValueState<BigDecimal> scoreSum,
        @StateId("scoreDenominator") ValueState<BigDecimal> scoreDenominator,
        @StateId("scoreCount") ValueState<Long> scoreCount,
        @StateId("atRisk") ValueState<Boolean> atRisk,
        ProcessContext context) {
      Change change = keyed.getValue();
      switch (change.getTable()) {
        case CERTIFICATION_STATE:
          if (becomes(certification, change, "issued", c -> c.getCertification().getState())) {
            emit(
                context,
                LearnerAlert.of(
                    Kind.CERTIFICATE_ISSUED, change, tenant(context, change), null, null));
          }
          break;
        case LEARNER_PROGRESS:
          if (becomes(progress, change, "completed", c -> c.getProgress().getStatus())) {
            emit(
                context,
                LearnerAlert.of(
                    Kind.COURSE_COMPLETED, change, tenant(context, change), null, null));
          }
          break;
        case ASSESSMENT_EVENTS:
          String attempt = change.primaryKey();
          if (Boolean.TRUE.equals(attempts.get(attempt).read())) {
            return;
          }
          attempts.put(attempt, true);
          LearnerMetrics.ScoreRatios mean =
              LearnerMetrics.ScoreRatios.of(
                  scoreCount.read() == null ? 0 : scoreCount.read(),
                  orZero(scoreSum.read()),
                  scoreDenominator.read() == null ? BigDecimal.ONE : scoreDenominator.read());
          AssessmentEvent assessment = change.getAssessment();
          mean.add(assessment.getScore(), assessment.getMaxScore());
          scoreSum.write(mean.sum());
          scoreDenominator.write(mean.denominator());
          scoreCount.write(mean.count());
          ReferenceTables tables = ReferenceTables.newest(context.sideInput(references));
          BigDecimal passing =
              tables.passingScorePct(change.courseId(), LearnerMetrics.DEFAULT_PASSING_SCORE_PCT);
          boolean nowAtRisk = mean.compareMeanPercent(passing) < 0;
          boolean wasAtRisk = Boolean.TRUE.equals(atRisk.read());
          atRisk.write(nowAtRisk);
          if (nowAtRisk != wasAtRisk) {
            emit(
                context,
                LearnerAlert.of(
                    nowAtRisk ? Kind.AT_RISK : Kind.RECOVERED,
                    change,
                    tables.tenant(change.learnerId(), change.courseId()),
                    mean.meanPercent().doubleValue(),
                    passing.doubleValue()));
          }
          break;
        default:
          // Interactions change no alerting state.
      }
    }

    /**
     * Holds {@code change} when it is newer than the change held, and says whether that turned the
     * row's value into {@code target}: false for an older, equal or repeated change.
     */
    private static boolean becomes(
        ValueState<Change> held,
        Change change,
        String target,
        java.util.function.Function<Change, String> value) {
      Change before = held.read();
      if (before != null && LearnerMetrics.LATEST.compare(change, before) <= 0) {
        return false;
      }
      held.write(change);
      return target.equals(value.apply(change))
          && (before == null || !target.equals(value.apply(before)));
    }

    private @Nullable String tenant(ProcessContext context, Change change) {
      return ReferenceTables.newest(context.sideInput(references))
          .tenant(change.learnerId(), change.courseId());
    }

    private void emit(ProcessContext context, LearnerAlert alert) {
      alerts.get(alert.getKind()).inc();
      context.output(alert);
    }
  }

  /** The counter of alerts of {@code kind}, e.g. {@code alerts_certificate_issued}. */
  public static String counterName(Kind kind) {
    return "alerts_" + kind.name().toLowerCase(java.util.Locale.ROOT);
  }

  private static BigDecimal orZero(@Nullable BigDecimal value) {
    return value == null ? BigDecimal.ZERO : value;
  }
}
