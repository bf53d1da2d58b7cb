package dev.learnerpulse;

import static dev.learnerpulse.testing.Fixtures.ADA;
import static dev.learnerpulse.testing.Fixtures.GRACE;
import static dev.learnerpulse.testing.Fixtures.ML_201;
import static dev.learnerpulse.testing.Fixtures.SQL_101;
import static dev.learnerpulse.testing.Fixtures.assessment;
import static dev.learnerpulse.testing.Fixtures.at;
import static dev.learnerpulse.testing.Fixtures.certification;
import static dev.learnerpulse.testing.Fixtures.course;
import static dev.learnerpulse.testing.Fixtures.interaction;
import static dev.learnerpulse.testing.Fixtures.learner;
import static dev.learnerpulse.testing.Fixtures.progress;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.learnerpulse.metrics.OutcomeCounters;
import dev.learnerpulse.model.DeadLetter;
import dev.learnerpulse.model.LearnerWindowMetrics;
import dev.learnerpulse.model.LearnerWindowMetrics.PaneTiming;
import dev.learnerpulse.model.Op;
import dev.learnerpulse.model.Outcome;
import dev.learnerpulse.model.ReasonCode;
import dev.learnerpulse.model.SourceRecord;
import dev.learnerpulse.model.SourceTable;
import dev.learnerpulse.model.TooLateEvent;
import dev.learnerpulse.model.Topics;
import dev.learnerpulse.testing.ChangeJson;
import dev.learnerpulse.testing.Outcomes;
import dev.learnerpulse.window.Windowing;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import org.apache.beam.sdk.schemas.SchemaRegistry;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;

/**
 * Learner Pulse end to end on the DirectRunner, LeaderBoardTest style: one test per lateness case
 * in streaming ({@link TestStream} with watermark and processing-time steps), and the backfill over
 * a bounded input. Every assertion is on exact output records.
 */
public class ComputeLearnerPulseTest {
  private static final Instant SEEN = at(900);
  private static final Clock CLOCK =
      Clock.fixed(java.time.Instant.ofEpochMilli(SEEN.getMillis()), ZoneOffset.UTC);

  /** The contract's defaults: 60 s windows, 300 s lateness, early panes every 10 s. */
  private static final Windowing WINDOWING = Windowing.defaults();

  private static final Duration REFRESH = Duration.standardSeconds(30);

  /** The streaming job starts on a backlog older than every test record. */
  private static final Instant BACKLOG_START = at(-600);

  private static final IntervalWindow W0 = new IntervalWindow(at(0), at(60));
  private static final IntervalWindow W1 = new IntervalWindow(at(60), at(120));
  private static final String INTERACTIONS = SourceTable.COURSE_INTERACTIONS.defaultTopic();

  @Rule public final transient TestPipeline p = TestPipeline.create();

  private static Coder<SourceRecord> recordCoder() {
    try {
      return SchemaRegistry.createDefault().getSchemaCoder(SourceRecord.class);
    } catch (NoSuchSchemaException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ComputeLearnerPulse streaming(int shards) {
    return ComputeLearnerPulse.streaming(Topics.defaults(), WINDOWING, BACKLOG_START, REFRESH)
        .withGuardShards(shards)
        .withClock(CLOCK);
  }

  /** A backfill with batch semantics: nothing is too late. */
  private static ComputeLearnerPulse backfill() {
    return ComputeLearnerPulse.backfill(Topics.defaults(), WINDOWING).withClock(CLOCK);
  }

  /** A backfill that judges lateness as the live job did, with the default 5 s maximum delay. */
  private static ComputeLearnerPulse backfillLikeLive() {
    return backfill().withLiveLateness(Duration.standardSeconds(5));
  }

  /** A pane with nothing in it yet: the fields a test does not set are their empty values. */
  private static LearnerWindowMetrics.Builder pane(
      String learner, String course, IntervalWindow window, PaneTiming timing, long index) {
    return LearnerWindowMetrics.builder()
        .setTenantId(null)
        .setLearnerId(learner)
        .setCourseId(course)
        .setWindowStart(window.start())
        .setWindowEnd(window.end())
        .setInteractions(0)
        .setActiveSeconds(0)
        .setAssessments(0)
        .setAvgScorePct(null)
        .setBestScorePct(null)
        .setPassingScorePct(70.0)
        .setFinalPassed(false)
        .setProgressPct(null)
        .setProgressStatus(null)
        .setCompleted(false)
        .setCertificationState(null)
        .setEngagementScore(0)
        .setAtRisk(false)
        .setEnriched(false)
        .setEvents(0)
        .setPaneIndex(index)
        .setPaneTiming(timing);
  }

  private static SourceRecord sqlCourse(long offset, String passingPct) {
    return course(SQL_101, "acme", passingPct).record(offset, at(-500));
  }

  private static SourceRecord adaLearner(long offset) {
    return learner(ADA, "acme-learners").record(offset, at(-500));
  }

  // ---------------------------------------------------------------------------------------------
  // Streaming
  // ---------------------------------------------------------------------------------------------

  /** Everything before the end of the window: exactly one ON_TIME pane, enriched. */
  @Test
  public void onTimeChangesGiveOneOnTimePane() {
    TestStream<SourceRecord> records =
        TestStream.create(recordCoder())
            .advanceWatermarkTo(at(-300))
            .addElements(sqlCourse(0, "80.00"), adaLearner(0))
            // the reference view's first refresh
            .advanceProcessingTime(REFRESH.plus(Duration.standardSeconds(1)))
            .addElements(
                interaction(1, ADA, SQL_101, "video_play", 30_000, at(5)).record(0, at(6)),
                assessment("a1", ADA, SQL_101, 9, 10, true, at(20)).record(0, at(21)),
                progress(ADA, SQL_101, "50.00", "in_progress", at(30)).record(0, at(31)))
            .advanceWatermarkTo(at(45))
            .addElements(certification(ADA, SQL_101, "eligible", at(50)).record(0, at(51)))
            .advanceWatermarkTo(at(61))
            .advanceWatermarkToInfinity();

    ComputeLearnerPulse.Result pulse =
        ComputeLearnerPulse.inputs(p.apply(records)).apply(streaming(1));

    LearnerWindowMetrics onTime =
        pane(ADA, SQL_101, W0, PaneTiming.ON_TIME, 0)
            .setTenantId("acme-learners")
            .setInteractions(1)
            .setActiveSeconds(30.0)
            .setAssessments(1)
            .setAvgScorePct(90.0)
            .setBestScorePct(90.0)
            .setPassingScorePct(80.0)
            .setFinalPassed(true) // 90 >= 80, final
            .setProgressPct(50.0)
            .setProgressStatus("in_progress")
            .setCertificationState("eligible")
            .setEngagementScore(13.0) // 2 * 1 + 30 / 30 + 10 * 1
            .setEnriched(true)
            .setEvents(4)
            .build();
    PAssert.that(pulse.metrics()).inOnTimePane(W0).containsInAnyOrder(onTime);
    PAssert.that(pulse.metrics()).inWindow(W0).containsInAnyOrder(onTime);
    PAssert.that(pulse.tooLate()).empty();
    PAssert.that(pulse.deadLetters()).empty();
    p.run().waitUntilFinish();
  }

  /**
   * Processing time passes the early firing period twice while the window is open: two EARLY panes,
   * each accumulating, then the ON_TIME pane with everything. The reference topic is empty.
   */
  @Test
  public void earlyPanesAreSpeculativeAndAccumulate() {
    Duration pastEarlyFiring = Duration.standardSeconds(11);
    TestStream<SourceRecord> records =
        TestStream.create(recordCoder())
            .advanceWatermarkTo(at(-60))
            .addElements(interaction(1, ADA, SQL_101, "video_play", 12_000, at(5)).record(0, at(6)))
            .advanceProcessingTime(pastEarlyFiring)
            .addElements(
                interaction(2, ADA, SQL_101, "page_view", null, at(15)).record(1, at(16)),
                assessment("a1", ADA, SQL_101, 6, 10, false, at(16)).record(0, at(17)))
            .advanceProcessingTime(pastEarlyFiring)
            .addElements(assessment("a2", ADA, SQL_101, 9, 10, true, at(40)).record(1, at(41)))
            .advanceWatermarkTo(at(61))
            .advanceWatermarkToInfinity();

    ComputeLearnerPulse.Result pulse =
        ComputeLearnerPulse.inputs(p.apply(records)).apply(streaming(1));

    LearnerWindowMetrics firstEarly =
        pane(ADA, SQL_101, W0, PaneTiming.EARLY, 0)
            .setInteractions(1)
            .setActiveSeconds(12.0)
            .setEngagementScore(2.4) // 2 + 12 / 30
            .setEvents(1)
            .build();
    LearnerWindowMetrics secondEarly =
        pane(ADA, SQL_101, W0, PaneTiming.EARLY, 1)
            .setInteractions(2)
            .setActiveSeconds(12.0)
            .setAssessments(1)
            .setAvgScorePct(60.0)
            .setBestScorePct(60.0)
            .setAtRisk(true) // 60 < 70
            .setEngagementScore(14.4) // 2 * 2 + 12 / 30 + 10 * 1
            .setEvents(3)
            .build();
    LearnerWindowMetrics onTime =
        pane(ADA, SQL_101, W0, PaneTiming.ON_TIME, 2)
            .setInteractions(2)
            .setActiveSeconds(12.0)
            .setAssessments(2)
            .setAvgScorePct(75.0) // (60 + 90) / 2
            .setBestScorePct(90.0)
            .setFinalPassed(true) // 90 >= 70
            .setEngagementScore(24.4) // 4 + 0.4 + 20
            .setEvents(4)
            .build();
    PAssert.that(pulse.metrics()).inEarlyPane(W0).containsInAnyOrder(firstEarly, secondEarly);
    PAssert.that(pulse.metrics()).inOnTimePane(W0).containsInAnyOrder(onTime);
    PAssert.that(pulse.metrics()).inWindow(W0).containsInAnyOrder(firstEarly, secondEarly, onTime);
    p.run().waitUntilFinish();
  }

  /**
   * After the on-time pane, a change within the allowed lateness gives a LATE pane, accumulated.
   */
  @Test
  public void lateChangesWithinTheAllowedLatenessGiveALatePane() {
    TestStream<SourceRecord> records =
        TestStream.create(recordCoder())
            .advanceWatermarkTo(at(-60))
            .addElements(interaction(1, ADA, SQL_101, "video_play", 60_000, at(5)).record(0, at(6)))
            .advanceWatermarkTo(at(200))
            // 140 s after the window's end: late, but within the 300 s allowed lateness
            .addElements(progress(ADA, SQL_101, "100.00", "completed", at(30)).record(0, at(200)))
            .advanceWatermarkToInfinity();

    ComputeLearnerPulse.Result pulse =
        ComputeLearnerPulse.inputs(p.apply(records)).apply(streaming(1));

    LearnerWindowMetrics onTime =
        pane(ADA, SQL_101, W0, PaneTiming.ON_TIME, 0)
            .setInteractions(1)
            .setActiveSeconds(60.0)
            .setEngagementScore(4.0) // 2 + 60 / 30
            .setEvents(1)
            .build();
    LearnerWindowMetrics late =
        onTime.toBuilder()
            .setProgressPct(100.0)
            .setProgressStatus("completed")
            .setCompleted(true)
            .setEvents(2)
            .setPaneIndex(1)
            .setPaneTiming(PaneTiming.LATE)
            .build();
    PAssert.that(pulse.metrics()).inOnTimePane(W0).containsInAnyOrder(onTime);
    PAssert.that(pulse.metrics()).inLatePane(W0).containsInAnyOrder(late);
    PAssert.that(pulse.metrics()).inWindow(W0).containsInAnyOrder(onTime, late);
    PAssert.that(pulse.tooLate()).empty();
    p.run().waitUntilFinish();
  }

  /**
   * Past the window's end plus the allowed lateness, changes are too late: captured with their
   * exact fields, never silently dropped, for a known learner and for a learner and course never
   * seen before alike. Several guard shards, so the unseen key lands on a shard of its own.
   */
  @Test
  public void tooLateChangesAreCapturedEvenForAKeyNeverSeenBefore() {
    SourceRecord lateForAda =
        assessment("a9", ADA, SQL_101, 10, 10, true, at(50)).record(5, at(400));
    SourceRecord lateForStranger =
        interaction(99, GRACE, ML_201, "forum_post", 5_000, at(59)).record(7, at(401));
    TestStream<SourceRecord> records =
        TestStream.create(recordCoder())
            .advanceWatermarkTo(at(-60))
            .addElements(interaction(1, ADA, SQL_101, "video_play", 3_000, at(5)).record(0, at(6)))
            // W0 expires at(360) - 1 ms; the watermark is past it.
            .advanceWatermarkTo(at(400))
            .addElements(lateForAda, lateForStranger)
            .addElements(
                interaction(2, ADA, SQL_101, "video_play", 6_000, at(395)).record(8, at(401)))
            .advanceWatermarkToInfinity();

    PipelineResult result;
    ComputeLearnerPulse.Result pulse =
        ComputeLearnerPulse.inputs(p.apply(records)).apply(streaming(4));

    IntervalWindow w6 = new IntervalWindow(at(360), at(420));
    PAssert.that(pulse.metrics())
        .inWindow(W0)
        .containsInAnyOrder(
            pane(ADA, SQL_101, W0, PaneTiming.ON_TIME, 0)
                .setInteractions(1)
                .setActiveSeconds(3.0)
                .setEngagementScore(2.1)
                .setEvents(1)
                .build());
    PAssert.that(pulse.metrics())
        .inWindow(w6)
        .containsInAnyOrder(
            pane(ADA, SQL_101, w6, PaneTiming.ON_TIME, 0)
                .setInteractions(1)
                .setActiveSeconds(6.0)
                .setEngagementScore(2.2)
                .setEvents(1)
                .build());
    PAssert.that(pulse.tooLate())
        .containsInAnyOrder(
            TooLateEvent.create(
                SourceTable.ASSESSMENT_EVENTS.defaultTopic(),
                0,
                5,
                at(400),
                SourceTable.ASSESSMENT_EVENTS,
                Op.CREATE,
                ADA,
                SQL_101,
                at(50),
                at(0),
                at(60),
                at(360).minus(1),
                "lxp.assessments.assessment_events|c|a9|ord=1,ts_ms=1763629200000",
                SEEN),
            TooLateEvent.create(
                INTERACTIONS,
                0,
                7,
                at(401),
                SourceTable.COURSE_INTERACTIONS,
                Op.CREATE,
                GRACE,
                ML_201,
                at(59),
                at(0),
                at(60),
                at(360).minus(1),
                INTERACTIONS + "|c|99|file=mysql-bin.000003,pos=1099,row=0",
                SEEN));
    PAssert.that(pulse.deadLetters()).empty();

    result = p.run();
    result.waitUntilFinish();
    Counts counts = Counts.of(result);
    assertEquals(4, counts.input);
    assertEquals(2, counts.outcome(Outcome.VALID));
    assertEquals(2, counts.outcome(Outcome.TOO_LATE));
    counts.assertAddUp();
  }

  /**
   * One stream lags: the source's watermark (the slowest partition) is held at its position while
   * the other streams run minutes ahead. The lagging stream's changes are then on time, in the
   * ON_TIME panes of their windows; only a change later than the allowed lateness relative to all
   * streams is too late.
   */
  @Test
  public void aLaggingStreamHoldsTheWatermarkSoItsChangesAreOnTime() {
    TestStream<SourceRecord> records =
        TestStream.create(recordCoder())
            .advanceWatermarkTo(at(0))
            // interactions run 7 minutes ahead; the progress partition, at at(0), holds the
            // watermark
            .addElements(
                interaction(1, ADA, SQL_101, "video_play", 30_000, at(10)).record(0, at(11)),
                interaction(2, ADA, SQL_101, "video_play", 30_000, at(70)).record(1, at(71)),
                interaction(3, ADA, SQL_101, "video_play", 30_000, at(420)).record(2, at(421)))
            // the progress stream catches up
            .addElements(
                progress(ADA, SQL_101, "10.00", "in_progress", at(20))
                    .position(100)
                    .record(0, at(425)),
                progress(ADA, SQL_101, "20.00", "in_progress", at(80))
                    .position(200)
                    .record(1, at(426)))
            .advanceWatermarkTo(at(421))
            // now a change of W0 is later than the allowed lateness relative to every stream
            .addElements(certification(ADA, SQL_101, "eligible", at(30)).record(0, at(430)))
            .advanceWatermarkToInfinity();

    ComputeLearnerPulse.Result pulse =
        ComputeLearnerPulse.inputs(p.apply(records)).apply(streaming(2));

    PAssert.that(pulse.metrics())
        .inWindow(W0)
        .containsInAnyOrder(
            pane(ADA, SQL_101, W0, PaneTiming.ON_TIME, 0)
                .setInteractions(1)
                .setActiveSeconds(30.0)
                .setEngagementScore(3.0)
                .setProgressPct(10.0)
                .setProgressStatus("in_progress")
                .setEvents(2)
                .build());
    PAssert.that(pulse.metrics())
        .inWindow(W1)
        .containsInAnyOrder(
            pane(ADA, SQL_101, W1, PaneTiming.ON_TIME, 0)
                .setInteractions(1)
                .setActiveSeconds(30.0)
                .setEngagementScore(3.0)
                .setProgressPct(20.0)
                .setProgressStatus("in_progress")
                .setEvents(2)
                .build());
    PAssert.that(pulse.tooLate())
        .containsInAnyOrder(
            TooLateEvent.create(
                SourceTable.CERTIFICATION_STATE.defaultTopic(),
                0,
                0,
                at(430),
                SourceTable.CERTIFICATION_STATE,
                Op.CREATE,
                ADA,
                SQL_101,
                at(30),
                at(0),
                at(60),
                at(360).minus(1),
                "lxp.public.certification_state|c|L-ada|C-sql-101|lsn=24023192",
                SEEN));
    p.run().waitUntilFinish();
  }

  /** The same change redelivered at a later offset counts once (a duplicate), of every kind. */
  @Test
  public void redeliveriesAreDuplicatesAndCountOnce() {
    ChangeJson progressJson = progress(ADA, SQL_101, "40.00", "in_progress", at(10)).position(300);
    ChangeJson interactionJson = interaction(1, ADA, SQL_101, "video_play", 15_000, at(11));
    ChangeJson assessmentJson = assessment("a1", ADA, SQL_101, 7, 10, false, at(12));
    ChangeJson certificationJson = certification(ADA, SQL_101, "in_progress", at(13));
    TestStream<SourceRecord> records =
        TestStream.create(recordCoder())
            .advanceWatermarkTo(at(-60))
            .addElements(
                progressJson.record(0, at(14)),
                interactionJson.record(0, at(14)),
                assessmentJson.record(0, at(14)),
                certificationJson.record(0, at(14)))
            // the connectors restarted and sent the same changes again
            .addElements(
                progressJson.record(1, at(20)),
                interactionJson.record(1, at(20)),
                assessmentJson.record(1, at(20)),
                certificationJson.record(1, at(20)))
            .advanceWatermarkToInfinity();

    ComputeLearnerPulse.Result pulse =
        ComputeLearnerPulse.inputs(p.apply(records)).apply(streaming(1));

    PAssert.that(pulse.metrics())
        .inWindow(W0)
        .containsInAnyOrder(
            pane(ADA, SQL_101, W0, PaneTiming.ON_TIME, 0)
                .setInteractions(1)
                .setActiveSeconds(15.0)
                .setAssessments(1)
                .setAvgScorePct(70.0)
                .setBestScorePct(70.0)
                .setProgressPct(40.0)
                .setProgressStatus("in_progress")
                .setCertificationState("in_progress")
                .setEngagementScore(12.5) // 2 + 15 / 30 + 10
                .setEvents(4)
                .build());
    PipelineResult result = p.run();
    result.waitUntilFinish();
    Counts counts = Counts.of(result);
    assertEquals(8, counts.input);
    assertEquals(4, counts.outcome(Outcome.VALID));
    assertEquals(4, counts.outcome(Outcome.DUPLICATE));
    counts.assertAddUp();
  }

  /**
   * A job started on a backlog reads the reference rows only after the window's end has passed:
   * with the references complete as of launch, the window waits for them and is enriched as the
   * backfill of the same records is. Without it the on-time pane would use the empty first
   * snapshot.
   */
  @Test
  public void aBacklogWaitsForTheReferenceRowsWrittenBeforeLaunch() {
    Instant launch = at(400);
    TestStream<SourceRecord> records =
        TestStream.create(recordCoder())
            .advanceWatermarkTo(at(-300))
            .addElements(assessment("a1", ADA, SQL_101, 15, 20, true, at(10)).record(0, at(11)))
            .advanceProcessingTime(REFRESH.plus(Duration.standardSeconds(1)))
            .advanceWatermarkTo(at(61))
            .advanceProcessingTime(REFRESH.plus(Duration.standardSeconds(1)))
            .addElements(sqlCourse(0, "80.00"), adaLearner(0))
            .advanceWatermarkTo(launch)
            .advanceProcessingTime(REFRESH.plus(Duration.standardSeconds(1)))
            .advanceWatermarkToInfinity();

    ComputeLearnerPulse.Result pulse =
        ComputeLearnerPulse.inputs(p.apply(records))
            .apply(streaming(1).withReferencesCompleteAsOf(launch));

    LearnerWindowMetrics early =
        pane(ADA, SQL_101, W0, PaneTiming.EARLY, 0)
            .setTenantId("acme-learners")
            .setAssessments(1)
            .setAvgScorePct(75.0)
            .setBestScorePct(75.0)
            .setPassingScorePct(80.0)
            .setAtRisk(true) // 75 < 80
            .setEngagementScore(10.0)
            .setEnriched(true)
            .setEvents(1)
            .build();
    PAssert.that(pulse.metrics())
        .inWindow(W0)
        .containsInAnyOrder(
            early, early.toBuilder().setPaneIndex(1).setPaneTiming(PaneTiming.ON_TIME).build());
    p.run().waitUntilFinish();
  }

  /**
   * A course's passing score changes while the job runs: the reference record arrives, processing
   * time passes the refresh period, and the next pane uses the new value.
   */
  @Test
  public void aPassingScoreChangeReachesTheNextPane() {
    TestStream<SourceRecord> records =
        TestStream.create(recordCoder())
            .advanceWatermarkTo(at(-60))
            .addElements(sqlCourse(0, "80.00"), adaLearner(0))
            .advanceProcessingTime(REFRESH.plus(Duration.standardSeconds(1)))
            .addElements(assessment("a1", ADA, SQL_101, 15, 20, true, at(10)).record(0, at(11)))
            .advanceWatermarkTo(at(61))
            // the course's passing score is lowered to 70
            .addElements(
                course(SQL_101, "acme", "70.00").op("u").position(24023300).record(1, at(62)))
            .advanceProcessingTime(REFRESH.plus(Duration.standardSeconds(1)))
            .addElements(interaction(1, ADA, SQL_101, "page_view", null, at(20)).record(0, at(63)))
            .advanceWatermarkToInfinity();

    ComputeLearnerPulse.Result pulse =
        ComputeLearnerPulse.inputs(p.apply(records)).apply(streaming(1));

    LearnerWindowMetrics onTime =
        pane(ADA, SQL_101, W0, PaneTiming.ON_TIME, 0)
            .setTenantId("acme-learners")
            .setAssessments(1)
            .setAvgScorePct(75.0)
            .setBestScorePct(75.0)
            .setPassingScorePct(80.0)
            .setFinalPassed(false) // 75 < 80
            .setAtRisk(true)
            .setEngagementScore(10.0)
            .setEnriched(true)
            .setEvents(1)
            .build();
    LearnerWindowMetrics late =
        onTime.toBuilder()
            .setInteractions(1)
            .setPassingScorePct(70.0)
            .setFinalPassed(true) // 75 >= 70
            .setAtRisk(false)
            .setEngagementScore(12.0)
            .setEvents(2)
            .setPaneIndex(1)
            .setPaneTiming(PaneTiming.LATE)
            .build();
    PAssert.that(pulse.metrics()).inWindow(W0).containsInAnyOrder(onTime, late);
    p.run().waitUntilFinish();
  }

  // ---------------------------------------------------------------------------------------------
  // Backfill
  // ---------------------------------------------------------------------------------------------

  /**
   * A backfill over an archive: one ON_TIME pane (index 0) per key and window; every duplicate
   * removed; too late by the Kafka-timestamp rule (live lateness); the final reference rows (a
   * passing score changed later in the topic, a learner deleted) for every window.
   */
  @Test
  public void backfillGivesOnePanePerKeyAndWindowWithTheFinalReferenceRows() {
    String learners = SourceTable.LEARNERS.defaultTopic();
    ChangeJson adaClick = interaction(1, ADA, SQL_101, "video_play", 90_000, at(5));
    List<SourceRecord> archive =
        List.of(
            sqlCourse(0, "80.00"),
            adaLearner(0),
            learner(GRACE, "globex").record(1, at(-500)),
            // later in the topics: SQL 101's passing score lowered, Grace deleted (and compacted)
            course(SQL_101, "acme", "60.00").op("u").position(24023300).record(1, at(500)),
            learner(GRACE, "globex").op("d").position(24023400).record(2, at(500)),
            SourceRecord.ofText(
                learners, 0, 3, at(500), "{\"learner_id\":\"" + GRACE + "\"}", null),
            // activity
            adaClick.record(0, at(6)),
            adaClick.record(9, at(30)), // redelivered
            assessment("a1", ADA, SQL_101, 13, 20, true, at(20)).record(0, at(21)), // 65 %
            interaction(2, ADA, SQL_101, "download", 3_000, at(70)).record(1, at(71)),
            progress(GRACE, SQL_101, "30.00", "in_progress", at(15)).record(0, at(16)),
            certification(GRACE, ML_201, "issued", at(25)).record(0, at(26)),
            // appended at(366): the live watermark, at(361), had passed W0's expiry at(360) - 1 ms
            interaction(3, ADA, SQL_101, "video_play", 1_000, at(40)).record(2, at(366)),
            // appended at(365) - 1 ms: a watermark of exactly the expiry, still on time
            interaction(4, ADA, SQL_101, "video_play", 3_000, at(41)).record(3, at(365).minus(1)));

    ComputeLearnerPulse.Result pulse =
        ComputeLearnerPulse.inputs(p.apply(Create.of(archive).withCoder(recordCoder())))
            .apply(backfillLikeLive());

    PAssert.that(pulse.metrics())
        .containsInAnyOrder(
            // both reference rows found; SQL 101's final passing score 60: 65 >= 60
            pane(ADA, SQL_101, W0, PaneTiming.ON_TIME, 0)
                .setTenantId("acme-learners")
                .setInteractions(2)
                .setActiveSeconds(93.0)
                .setAssessments(1)
                .setAvgScorePct(65.0)
                .setBestScorePct(65.0)
                .setPassingScorePct(60.0)
                .setFinalPassed(true)
                .setEngagementScore(17.1) // 2 * 2 + 93 / 30 + 10
                .setEnriched(true)
                .setEvents(3)
                .build(),
            pane(ADA, SQL_101, W1, PaneTiming.ON_TIME, 0)
                .setTenantId("acme-learners")
                .setInteractions(1)
                .setActiveSeconds(3.0)
                .setPassingScorePct(60.0)
                .setEngagementScore(2.1)
                .setEnriched(true)
                .setEvents(1)
                .build(),
            // Grace was deleted: not enriched, the course's tenant
            pane(GRACE, SQL_101, W0, PaneTiming.ON_TIME, 0)
                .setTenantId("acme")
                .setPassingScorePct(60.0)
                .setProgressPct(30.0)
                .setProgressStatus("in_progress")
                .setEvents(1)
                .build(),
            // neither found: no tenant, the default passing score
            pane(GRACE, ML_201, W0, PaneTiming.ON_TIME, 0)
                .setCertificationState("issued")
                .setEvents(1)
                .build());
    PAssert.that(pulse.tooLate())
        .containsInAnyOrder(
            TooLateEvent.create(
                INTERACTIONS,
                0,
                2,
                at(366),
                SourceTable.COURSE_INTERACTIONS,
                Op.CREATE,
                ADA,
                SQL_101,
                at(40),
                at(0),
                at(60),
                at(360).minus(1),
                INTERACTIONS + "|c|3|file=mysql-bin.000003,pos=1003,row=0",
                SEEN));
    PAssert.that(pulse.deadLetters()).empty();

    PipelineResult result = p.run();
    result.waitUntilFinish();
    Counts counts = Counts.of(result);
    assertEquals(archive.size(), counts.input);
    assertEquals(1, counts.outcome(Outcome.DUPLICATE));
    assertEquals(1, counts.outcome(Outcome.TOO_LATE));
    assertEquals(2, counts.outcome(Outcome.IGNORED)); // the delete and the tombstone
    assertEquals(
        10, counts.outcome(Outcome.VALID)); // 4 reference rows and 6 on-time activity changes
    counts.assertAddUp();
  }

  /**
   * Every dead letter of the graph ends in the one output: the source's (an input), and decoding's
   * and validation's on both the change and the reference path, each exactly once.
   */
  @Test
  public void everyRegisteredDeadLetterEndsInTheOneOutput() throws NoSuchSchemaException {
    SourceRecord zeroMax = assessment("a1", GRACE, ML_201, 0, 0, true, at(10)).record(0, at(11));
    SourceRecord unknown = SourceRecord.ofText("lxp.public.elsewhere", 0, 7, at(12), "k", "{}");
    SourceRecord fine = interaction(1, ADA, SQL_101, "video_play", 3_000, at(5)).record(0, at(6));
    SourceRecord emptyCourse =
        SourceRecord.ofText(SourceTable.COURSES.defaultTopic(), 0, 3, at(1), "c", "");
    DeadLetter unreadable =
        DeadLetter.create(
            "archive.jsonl",
            -1,
            42L,
            at(0),
            null,
            "not json",
            DeadLetter.Encoding.TEXT,
            ReasonCode.MALFORMED,
            "not a kcat record",
            SEEN);

    ComputeLearnerPulse.Result pulse =
        ComputeLearnerPulse.inputs(
                p.apply("Changes", Create.of(zeroMax, unknown, fine).withCoder(recordCoder())),
                p.apply("References", Create.of(emptyCourse).withCoder(recordCoder())))
            .and(
                ComputeLearnerPulse.SOURCE_DEAD_LETTERS,
                p.apply(
                    "SourceDeadLetters",
                    Create.of(unreadable)
                        .withCoder(
                            SchemaRegistry.createDefault().getSchemaCoder(DeadLetter.class))))
            .apply(backfill());

    PAssert.that(pulse.deadLetters())
        .containsInAnyOrder(
            unreadable,
            DeadLetter.of(
                unknown,
                ReasonCode.UNKNOWN_TOPIC,
                "topic lxp.public.elsewhere is not a configured source",
                SEEN),
            DeadLetter.of(zeroMax, ReasonCode.BAD_VALUE, "max_score: 0.0 is not positive", SEEN),
            DeadLetter.of(
                emptyCourse, ReasonCode.MALFORMED, "empty value (not a tombstone)", SEEN));
    PAssert.that(pulse.tooLate()).empty();
    p.run().waitUntilFinish();
  }

  /** What a runner's UI shows of the configuration: the composite's and its parts'. */
  @Test
  public void displayDataShowsWindowLatenessShardsAndModes() {
    Set<String> items = new HashSet<>();
    for (DisplayData.Item item :
        DisplayData.from(streaming(4).withDedupShards(8).withAlerts()).items()) {
      items.add(item.getKey() + "=" + item.getValue());
    }
    p.enableAbandonedNodeEnforcement(false);

    assertTrue(
        items.toString(),
        items.containsAll(
            Set.of(
                "window=60000",
                "allowedLateness=300000",
                "earlyFiring=10000",
                "alerts=true",
                "valueFormats=JSON",
                "rule=watermark",
                "start=" + BACKLOG_START,
                "shards=4",
                "retention=360000",
                "shards=8",
                "mode=refreshing",
                "refresh=30000")));
    Set<String> backfill = new HashSet<>();
    for (DisplayData.Item item : DisplayData.from(backfillLikeLive()).items()) {
      backfill.add(item.getKey() + "=" + item.getValue());
    }
    assertTrue(
        backfill.toString(),
        backfill.containsAll(Set.of("rule=kafkaTimestamp", "maxDelay=5000", "mode=atEnd")));
  }

  /** A zero max_score is a BAD_VALUE dead letter and never reaches fusion. */
  @Test
  public void aZeroMaxScoreIsADeadLetterAndNeverReachesFusion() {
    SourceRecord zeroMax = assessment("a1", GRACE, ML_201, 0, 0, true, at(10)).record(0, at(11));
    SourceRecord fine = interaction(1, ADA, SQL_101, "video_play", 3_000, at(5)).record(0, at(6));

    ComputeLearnerPulse.Result pulse =
        ComputeLearnerPulse.inputs(p.apply(Create.of(zeroMax, fine).withCoder(recordCoder())))
            .apply(backfill());

    PAssert.that(pulse.deadLetters())
        .containsInAnyOrder(
            DeadLetter.of(zeroMax, ReasonCode.BAD_VALUE, "max_score: 0.0 is not positive", SEEN));
    PAssert.that(pulse.metrics())
        .containsInAnyOrder(
            pane(ADA, SQL_101, W0, PaneTiming.ON_TIME, 0)
                .setInteractions(1)
                .setActiveSeconds(3.0)
                .setEngagementScore(2.1)
                .setEvents(1)
                .build());
    PAssert.that(pulse.tooLate()).empty();
    p.run().waitUntilFinish();
  }

  /**
   * Issue 13's rows, exactly: 9.7 of 10 and 3.4 of 10 against a passing score of 65.50 average
   * exactly 65.5, which is not at risk (doubles gave 65.49999999999999 and at risk); a score equal
   * to a max_score of 1e307 is 100 %, where 100 * score overflowed a double and stopped the job.
   */
  @Test
  public void scoreArithmeticIsExactOnTheValuesAsWritten() {
    List<SourceRecord> archive =
        List.of(
            sqlCourse(0, "65.50"),
            assessment("a1", ADA, SQL_101, 9.7, 10, false, at(10)).record(0, at(11)),
            assessment("a2", ADA, SQL_101, 3.4, 10, false, at(20)).record(1, at(21)),
            assessment("a3", GRACE, ML_201, 1e307, 1e307, true, at(30))
                .canonical()
                .record(2, at(31)));

    ComputeLearnerPulse.Result pulse =
        ComputeLearnerPulse.inputs(p.apply(Create.of(archive).withCoder(recordCoder())))
            .apply(backfill());

    PAssert.that(pulse.metrics())
        .containsInAnyOrder(
            pane(ADA, SQL_101, W0, PaneTiming.ON_TIME, 0)
                .setTenantId("acme")
                .setAssessments(2)
                .setAvgScorePct(65.5)
                .setBestScorePct(97.0)
                .setPassingScorePct(65.5)
                .setAtRisk(false) // 65.5 is not below 65.5
                .setEngagementScore(20.0)
                .setEvents(2)
                .build(),
            pane(GRACE, ML_201, W0, PaneTiming.ON_TIME, 0)
                .setAssessments(1)
                .setAvgScorePct(100.0)
                .setBestScorePct(100.0)
                .setFinalPassed(true)
                .setEngagementScore(10.0)
                .setEvents(1)
                .build());
    PAssert.that(pulse.deadLetters()).empty();
    PAssert.that(pulse.tooLate()).empty();
    p.run().waitUntilFinish();
  }

  /**
   * A backfill of history: results written a year before the records' Kafka timestamps (a bulk
   * import, a Debezium snapshot of old rows). With batch semantics, the default, every change
   * counts in its window and nothing is too late.
   */
  @Test
  public void aBackfillOfBackdatedRecordsComputesTheirWindows() {
    ComputeLearnerPulse.Result pulse =
        ComputeLearnerPulse.inputs(p.apply(Create.of(backdated()).withCoder(recordCoder())))
            .apply(backfill());

    PAssert.that(pulse.metrics())
        .containsInAnyOrder(
            pane(ADA, SQL_101, YEAR_AGO_W0, PaneTiming.ON_TIME, 0)
                .setTenantId("acme-learners")
                .setInteractions(1)
                .setActiveSeconds(30.0)
                .setAssessments(1)
                .setAvgScorePct(90.0)
                .setBestScorePct(90.0)
                .setPassingScorePct(80.0)
                .setFinalPassed(true)
                .setEngagementScore(13.0) // 2 * 1 + 30 / 30 + 10 * 1
                .setEnriched(true)
                .setEvents(2)
                .build(),
            pane(ADA, SQL_101, YEAR_AGO_W1, PaneTiming.ON_TIME, 0)
                .setTenantId("acme-learners")
                .setPassingScorePct(80.0)
                .setProgressPct(50.0)
                .setProgressStatus("in_progress")
                .setEnriched(true)
                .setEvents(1)
                .build());
    PAssert.that(pulse.tooLate()).empty();
    PAssert.that(pulse.deadLetters()).empty();
    PipelineResult result = p.run();
    result.waitUntilFinish();
    Counts counts = Counts.of(result);
    assertEquals(0, counts.outcome(Outcome.TOO_LATE));
    assertEquals(5, counts.outcome(Outcome.VALID));
    counts.assertAddUp();
  }

  /** The same records with live lateness: each window expired long before its change arrived. */
  @Test
  public void withLiveLatenessBackdatedRecordsAreTooLateAsInTheLiveJob() {
    ComputeLearnerPulse.Result pulse =
        ComputeLearnerPulse.inputs(p.apply(Create.of(backdated()).withCoder(recordCoder())))
            .apply(backfillLikeLive());

    String assessments = SourceTable.ASSESSMENT_EVENTS.defaultTopic();
    String progressTopic = SourceTable.LEARNER_PROGRESS.defaultTopic();
    Instant w0Expiry = YEAR_AGO_W0.maxTimestamp().plus(WINDOWING.allowedLateness());
    Instant w1Expiry = YEAR_AGO_W1.maxTimestamp().plus(WINDOWING.allowedLateness());
    PAssert.that(pulse.metrics()).empty();
    PAssert.that(pulse.tooLate())
        .containsInAnyOrder(
            TooLateEvent.create(
                INTERACTIONS,
                0,
                0,
                at(6),
                SourceTable.COURSE_INTERACTIONS,
                Op.CREATE,
                ADA,
                SQL_101,
                YEAR_AGO.plus(Duration.standardSeconds(5)),
                YEAR_AGO_W0.start(),
                YEAR_AGO_W0.end(),
                w0Expiry,
                identity(2),
                SEEN),
            TooLateEvent.create(
                assessments,
                0,
                0,
                at(21),
                SourceTable.ASSESSMENT_EVENTS,
                Op.CREATE,
                ADA,
                SQL_101,
                YEAR_AGO.plus(Duration.standardSeconds(20)),
                YEAR_AGO_W0.start(),
                YEAR_AGO_W0.end(),
                w0Expiry,
                identity(3),
                SEEN),
            TooLateEvent.create(
                progressTopic,
                0,
                0,
                at(31),
                SourceTable.LEARNER_PROGRESS,
                Op.CREATE,
                ADA,
                SQL_101,
                YEAR_AGO.plus(Duration.standardSeconds(70)),
                YEAR_AGO_W1.start(),
                YEAR_AGO_W1.end(),
                w1Expiry,
                identity(4),
                SEEN));
    PAssert.that(pulse.deadLetters()).empty();
    PipelineResult result = p.run();
    result.waitUntilFinish();
    Counts counts = Counts.of(result);
    assertEquals(3, counts.outcome(Outcome.TOO_LATE));
    assertEquals(2, counts.outcome(Outcome.VALID)); // the two reference rows
    counts.assertAddUp();
  }

  private static final Instant YEAR_AGO = at(0).minus(Duration.standardDays(365));
  private static final IntervalWindow YEAR_AGO_W0 =
      new IntervalWindow(YEAR_AGO, Duration.standardSeconds(60));
  private static final IntervalWindow YEAR_AGO_W1 =
      new IntervalWindow(YEAR_AGO.plus(Duration.standardSeconds(60)), Duration.standardSeconds(60));

  /** The contract's identity of the {@code index}th record of {@link #backdated()}. */
  private static String identity(int index) {
    return new Outcomes().of(backdated().get(index)).change.identity();
  }

  /** Activity of a year ago, appended to Kafka now (at(0)..at(31)), and the reference rows. */
  private static List<SourceRecord> backdated() {
    return List.of(
        sqlCourse(0, "80.00"),
        adaLearner(0),
        interaction(
                1, ADA, SQL_101, "video_play", 30_000, YEAR_AGO.plus(Duration.standardSeconds(5)))
            .record(0, at(6)),
        assessment("a1", ADA, SQL_101, 9, 10, true, YEAR_AGO.plus(Duration.standardSeconds(20)))
            .record(0, at(21)),
        progress(ADA, SQL_101, "50.00", "in_progress", YEAR_AGO.plus(Duration.standardSeconds(70)))
            .record(0, at(31)));
  }

  /** The outcome counters of a finished run, summed over topics. */
  private static final class Counts {
    final long input;
    private final java.util.Map<String, Long> byOutcome = new java.util.HashMap<>();

    private Counts(long input) {
      this.input = input;
    }

    static Counts of(PipelineResult result) {
      Iterable<MetricResult<Long>> counters =
          result
              .metrics()
              .queryMetrics(
                  MetricsFilter.builder()
                      .addNameFilter(MetricNameFilter.inNamespace(OutcomeCounters.NAMESPACE))
                      .build())
              .getCounters();
      long input = 0;
      for (MetricResult<Long> counter : counters) {
        if (counter.getName().getName().startsWith("input.")) {
          input += counter.getCommitted();
        }
      }
      Counts counts = new Counts(input);
      for (Outcome outcome : Outcome.values()) {
        long sum = 0;
        for (MetricResult<Long> counter : counters) {
          if (counter.getName().getName().startsWith(outcome.label() + ".")) {
            sum += counter.getCommitted();
          }
        }
        counts.byOutcome.put(outcome.label(), sum);
      }
      return counts;
    }

    long outcome(Outcome outcome) {
      return byOutcome.get(outcome.label());
    }

    void assertAddUp() {
      long sum = 0;
      for (long count : byOutcome.values()) {
        sum += count;
      }
      assertEquals(
          "input = valid + duplicate + ignored + dead_letter + too_late " + byOutcome, input, sum);
    }
  }
}
