package dev.learnerpulse.alerts;

import static dev.learnerpulse.testing.Fixtures.ADA;
import static dev.learnerpulse.testing.Fixtures.GRACE;
import static dev.learnerpulse.testing.Fixtures.ML_201;
import static dev.learnerpulse.testing.Fixtures.SQL_101;
import static dev.learnerpulse.testing.Fixtures.assessment;
import static dev.learnerpulse.testing.Fixtures.at;
import static dev.learnerpulse.testing.Fixtures.certification;
import static dev.learnerpulse.testing.Fixtures.interaction;
import static dev.learnerpulse.testing.Fixtures.progress;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;

import dev.learnerpulse.enrich.ReferenceTables;
import dev.learnerpulse.model.Change;
import dev.learnerpulse.model.Course;
import dev.learnerpulse.model.Learner;
import dev.learnerpulse.model.LearnerAlert;
import dev.learnerpulse.model.LearnerAlert.Kind;
import dev.learnerpulse.testing.ChangeJson;
import dev.learnerpulse.testing.Counters;
import dev.learnerpulse.testing.Outcomes;
import java.math.BigDecimal;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import org.apache.beam.sdk.schemas.SchemaRegistry;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TimestampedValue;
import org.junit.Rule;
import org.junit.Test;

/**
 * Each transition alerts once, when its change arrives; redeliveries, replays (the same change at
 * another offset) and late changes that change nothing alert nothing. SQL_101 passes at 70 for
 * tenant acme; ML_201 is unknown to the reference data (70 by default, tenant from the learner).
 */
public class DetectLearnerAlertsTest {
  private static final String CERTS = "lxp.public.certification_state";
  private static final String PROGRESS = "lxp.public.learner_progress";

  @Rule public final transient TestPipeline p = TestPipeline.create();

  private final Outcomes outcomes = new Outcomes();

  private Change change(ChangeJson json, long offset) {
    return outcomes.of(json.record(offset, at(3600))).change;
  }

  private static Coder<Change> changeCoder() {
    try {
      return SchemaRegistry.createDefault().getSchemaCoder(Change.class);
    } catch (NoSuchSchemaException e) {
      throw new IllegalStateException(e);
    }
  }

  private PCollection<LearnerAlert> detect(Change... changes) {
    TestStream.Builder<Change> stream =
        TestStream.create(changeCoder()).advanceWatermarkTo(at(-60));
    // One element per step: the order of arrival is what the test is about.
    for (Change change : changes) {
      stream = stream.addElements(TimestampedValue.of(change, change.getEventTime()));
    }
    PCollectionView<Iterable<ReferenceTables>> references =
        p.apply(
                "References",
                Create.of(
                    ReferenceTables.create(
                        Map.of(
                            SQL_101,
                            Course.create(SQL_101, "acme", "SQL", new BigDecimal("70.00"), 8)),
                        Map.of(GRACE, Learner.create(GRACE, "globex", "c1", "NL")),
                        1)))
            .apply(View.asIterable());
    return p.apply(stream.advanceWatermarkToInfinity()).apply(DetectLearnerAlerts.of(references));
  }

  @Test
  public void aCertificateIssuedAlertsOnceThoughRedeliveredAndReplayed() {
    Change inProgress = change(certification(ADA, SQL_101, "in_progress", at(10)).position(100), 1);
    Change eligible = change(certification(ADA, SQL_101, "eligible", at(20)).position(200), 2);
    Change issued = change(certification(ADA, SQL_101, "issued", at(30)).position(300), 3);
    Change replayed = change(certification(ADA, SQL_101, "issued", at(30)).position(300), 9);

    PCollection<LearnerAlert> alerts = detect(inProgress, eligible, issued, issued, replayed);

    PAssert.that(alerts)
        .containsInAnyOrder(LearnerAlert.of(Kind.CERTIFICATE_ISSUED, issued, "acme", null, null));
    PipelineResult run = p.run();
    run.waitUntilFinish();
    assertEquals(
        1, Counters.committed(run, DetectLearnerAlerts.class, "alerts_certificate_issued"));
  }

  @Test
  public void theAlertIdIsTheSameForTheSameChangeAtAnotherOffsetAndDiffersByKind() {
    Change issued = change(certification(ADA, SQL_101, "issued", at(30)).position(300), 3);
    Change replayed = change(certification(ADA, SQL_101, "issued", at(30)).position(300), 9);
    LearnerAlert first = LearnerAlert.of(Kind.CERTIFICATE_ISSUED, issued, null, null, null);
    assertEquals(
        first.getAlertId(),
        LearnerAlert.of(Kind.CERTIFICATE_ISSUED, replayed, null, null, null).getAlertId());
    assertNotEquals(
        first.getAlertId(),
        LearnerAlert.of(Kind.COURSE_COMPLETED, issued, null, null, null).getAlertId());
  }

  /** Newest is revoked: an older issued that arrives late changes nothing. */
  @Test
  public void aLateOlderChangeDoesNotAlert() {
    Change issued = change(certification(ADA, SQL_101, "issued", at(30)).position(300), 3);
    Change revoked = change(certification(ADA, SQL_101, "revoked", at(40)).position(400), 4);
    Change lateIssued = change(certification(ADA, SQL_101, "issued", at(35)).position(350), 5);
    Change lateEligible = change(certification(ADA, SQL_101, "eligible", at(20)).position(200), 6);

    PCollection<LearnerAlert> alerts = detect(issued, revoked, lateIssued, lateEligible);

    PAssert.that(alerts)
        .containsInAnyOrder(LearnerAlert.of(Kind.CERTIFICATE_ISSUED, issued, "acme", null, null));
    p.run().waitUntilFinish();
  }

  /** Revoked and issued again is a second transition, with its own id. */
  @Test
  public void aCertificateIssuedAgainAfterRevocationAlertsAgain() {
    Change issued = change(certification(ADA, SQL_101, "issued", at(30)).position(300), 3);
    Change revoked = change(certification(ADA, SQL_101, "revoked", at(40)).position(400), 4);
    Change reissued = change(certification(ADA, SQL_101, "issued", at(50)).position(500), 5);

    PCollection<LearnerAlert> alerts = detect(issued, revoked, reissued);

    PAssert.that(alerts)
        .containsInAnyOrder(
            LearnerAlert.of(Kind.CERTIFICATE_ISSUED, issued, "acme", null, null),
            LearnerAlert.of(Kind.CERTIFICATE_ISSUED, reissued, "acme", null, null));
    p.run().waitUntilFinish();
  }

  /**
   * A later change that is still completed is no new completion; a late not-yet-completed neither.
   */
  @Test
  public void aCourseCompletedAlertsOnce() {
    Change started =
        change(progress(GRACE, ML_201, "40.00", "in_progress", at(10)).position(100), 1);
    Change completed =
        change(progress(GRACE, ML_201, "100.00", "completed", at(20)).position(200), 2);
    Change stillCompleted =
        change(progress(GRACE, ML_201, "100.00", "completed", at(30)).position(300), 3);
    Change lateStarted =
        change(progress(GRACE, ML_201, "10.00", "in_progress", at(5)).position(50), 4);

    PCollection<LearnerAlert> alerts = detect(started, completed, stillCompleted, lateStarted);

    PAssert.that(alerts)
        .containsInAnyOrder(
            LearnerAlert.of(Kind.COURSE_COMPLETED, completed, "globex", null, null));
    p.run().waitUntilFinish();
  }

  /**
   * Attempts 80 (mean 80: passing, nothing), 50 (mean 65: at risk), 50 again (the same attempt
   * replayed: nothing), 95 (mean 75: recovered). Interactions change nothing.
   */
  @Test
  public void aLearnerBecomesAtRiskAndRecoversOnceEach() {
    Change first = change(assessment("a1", ADA, SQL_101, 8, 10, false, at(10)).position(1), 1);
    Change second = change(assessment("a2", ADA, SQL_101, 5, 10, false, at(20)).position(2), 2);
    Change replayed = change(assessment("a2", ADA, SQL_101, 5, 10, false, at(20)).position(2), 7);
    Change click = change(interaction(1, ADA, SQL_101, "page_view", 100, at(25)), 3);
    Change third = change(assessment("a3", ADA, SQL_101, 19, 20, true, at(30)).position(3), 4);

    PCollection<LearnerAlert> alerts = detect(first, second, replayed, click, third);

    PAssert.that(alerts)
        .containsInAnyOrder(
            LearnerAlert.of(Kind.AT_RISK, second, "acme", 65.0, 70.0),
            LearnerAlert.of(Kind.RECOVERED, third, "acme", 75.0, 70.0));
    p.run().waitUntilFinish();
  }

  /**
   * 9.6 of 10 and 4.4 of 10 average exactly 70: equal to the passing score is not at risk. A late
   * attempt moves the mean like any other: 6.9 of 10 makes it 69.67, at risk.
   */
  @Test
  public void aMeanEqualToThePassingScoreIsNotAtRiskAndALateAttemptCounts() {
    Change high = change(assessment("b1", ADA, SQL_101, 9.6, 10, false, at(100)).position(1), 1);
    Change low = change(assessment("b2", ADA, SQL_101, 4.4, 10, false, at(110)).position(2), 2);
    Change late = change(assessment("b0", ADA, SQL_101, 6.9, 10, false, at(5)).position(3), 3);

    PCollection<LearnerAlert> alerts = detect(high, low, late);

    PAssert.that(alerts)
        .containsInAnyOrder(LearnerAlert.of(Kind.AT_RISK, late, "acme", 69.67, 70.0));
    p.run().waitUntilFinish();
  }

  /**
   * 28, 22 and 13 of 30 are 93 1/3, 73 1/3 and 43 1/3 percent: a mean of exactly 70, the passing
   * score, so never at risk. Percentages summed at any finite precision lose a third each time and
   * fall below 70; the mean is kept as one exact fraction, as the rows keep it.
   */
  @Test
  public void aMeanOfThirdsEqualToThePassingScoreIsExact() {
    Change first = change(assessment("d1", ADA, SQL_101, 28, 30, false, at(10)).position(1), 1);
    Change second = change(assessment("d2", ADA, SQL_101, 22, 30, false, at(20)).position(2), 2);
    Change third = change(assessment("d3", ADA, SQL_101, 13, 30, false, at(30)).position(3), 3);

    PAssert.that(detect(first, second, third)).empty();
    p.run().waitUntilFinish();
  }

  /** ML_201 is unknown: 70 passes; the tenant comes from the learner (GRACE: globex), else none. */
  @Test
  public void anUnknownCoursePassesAtSeventy() {
    Change grace = change(assessment("c1", GRACE, ML_201, 6, 10, false, at(10)).position(1), 1);
    Change ada = change(assessment("c2", ADA, ML_201, 7, 10, false, at(10)).position(2), 2);

    PCollection<LearnerAlert> alerts = detect(grace, ada);

    PAssert.that(alerts)
        .containsInAnyOrder(LearnerAlert.of(Kind.AT_RISK, grace, "globex", 60.0, 70.0));
    p.run().waitUntilFinish();
  }

  /** Each (learner, course) has its own state: GRACE's certificate is not ADA's. */
  @Test
  public void stateIsPerLearnerAndCourse() {
    Change ada = change(certification(ADA, SQL_101, "issued", at(30)).position(300), 1);
    Change grace = change(certification(GRACE, SQL_101, "issued", at(30)).position(301), 2);
    Change adaMl = change(certification(ADA, ML_201, "issued", at(30)).position(302), 3);

    PCollection<LearnerAlert> alerts = detect(ada, grace, adaMl);

    PAssert.that(alerts)
        .containsInAnyOrder(
            LearnerAlert.of(Kind.CERTIFICATE_ISSUED, ada, "acme", null, null),
            LearnerAlert.of(Kind.CERTIFICATE_ISSUED, grace, "globex", null, null),
            LearnerAlert.of(Kind.CERTIFICATE_ISSUED, adaMl, null, null, null));
    p.run().waitUntilFinish();
  }
}
