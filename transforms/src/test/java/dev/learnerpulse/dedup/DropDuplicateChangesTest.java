package dev.learnerpulse.dedup;

import static dev.learnerpulse.testing.Fixtures.ADA;
import static dev.learnerpulse.testing.Fixtures.SQL_101;
import static dev.learnerpulse.testing.Fixtures.assessment;
import static dev.learnerpulse.testing.Fixtures.at;
import static dev.learnerpulse.testing.Fixtures.certification;
import static dev.learnerpulse.testing.Fixtures.course;
import static dev.learnerpulse.testing.Fixtures.interaction;
import static dev.learnerpulse.testing.Fixtures.progress;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import dev.learnerpulse.model.Change;
import dev.learnerpulse.testing.ChangeJson;
import dev.learnerpulse.testing.Counters;
import dev.learnerpulse.testing.Outcomes;
import dev.learnerpulse.window.AssignEventTime;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import org.apache.beam.sdk.schemas.SchemaRegistry;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.junit.Rule;
import org.junit.Test;

/**
 * Identity-based dedup: a redelivery at a later offset is a duplicate, a real new change is not.
 */
public class DropDuplicateChangesTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();

  private static Change change(ChangeJson json, long offset) {
    return new Outcomes().of(json.record(offset, at(100))).change;
  }

  private static Coder<Change> coder() {
    try {
      return SchemaRegistry.createDefault().getSchemaCoder(Change.class);
    } catch (NoSuchSchemaException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  public void aRedeliveryAtALaterOffsetIsADuplicateOfEveryKind() {
    dropsRedeliveries(DropDuplicateChanges.rememberingFor(Duration.standardMinutes(6)));
  }

  /** The shard count is parallelism only: one shard finds the same duplicates as the default 64. */
  @Test
  public void anyShardCountFindsTheSameDuplicates() {
    dropsRedeliveries(
        DropDuplicateChanges.rememberingFor(Duration.standardMinutes(6)).withShards(1));
  }

  /**
   * Ten minutes of changes a second apart in one shard, remembered for six minutes: a sweep reads
   * every identity its shard holds, so it runs at most once per retention (here at 6, 12 and 18
   * minutes), not once per distinct expiry (600 times), which made a shard's cost quadratic in its
   * changes.
   */
  @Test
  public void aShardIsSweptAtMostOncePerRetention() {
    List<Change> changes = new ArrayList<>();
    TestStream.Builder<Change> stream = TestStream.create(coder());
    for (int second = 0; second < 600; second++) {
      Change change =
          change(interaction(second, ADA, SQL_101, "page_view", 1_000, at(second)), second);
      changes.add(change);
      stream = stream.addElements(TimestampedValue.of(change, at(second)));
    }
    DropDuplicateChanges.Result result =
        p.apply(stream.advanceWatermarkToInfinity())
            .apply(DropDuplicateChanges.rememberingFor(Duration.standardMinutes(6)).withShards(1));
    PAssert.that(result.unique()).containsInAnyOrder(changes);
    PAssert.that(result.duplicates()).empty();

    long sweeps =
        Counters.committed(
            p.run(), DropDuplicateChanges.class, DropDuplicateChanges.SWEEPS_COUNTER);
    assertEquals(3, sweeps);
  }

  /**
   * A backfill keeps each change's copy with the earliest Kafka position whichever copy comes
   * first: on Flink's batch runner, which sorts a shard's changes, the redelivery may, and keeping
   * it made outcomes depend on the run (its later Kafka timestamp can make it too late).
   */
  @Test
  public void aBackfillKeepsTheEarliestCopyWhicheverComesFirst() {
    ChangeJson interactionJson = interaction(7, ADA, SQL_101, "video_play", 1_000, at(11));
    ChangeJson courseJson = course(SQL_101, "acme", "70.00");
    Change interaction = change(interactionJson, 2);
    Change interactionAgain = change(interactionJson, 12);
    Change interactionThird = change(interactionJson, 22);
    Change course = change(courseJson, 3);
    Change courseAgain = change(courseJson, 13);
    // Redeliveries first, and the third copy of the interaction between the other two.
    DropDuplicateChanges.Result result =
        p.apply(
                Create.timestamped(
                        TimestampedValue.of(courseAgain, AssignEventTime.timestampOf(courseAgain)),
                        TimestampedValue.of(interactionAgain, at(11)),
                        TimestampedValue.of(interactionThird, at(11)),
                        TimestampedValue.of(interaction, at(11)),
                        TimestampedValue.of(course, AssignEventTime.timestampOf(course)))
                    .withCoder(coder()))
            .apply(DropDuplicateChanges.rememberingFor(Duration.standardMinutes(6)).withShards(1));

    PAssert.that(result.unique()).containsInAnyOrder(interaction, course);
    PAssert.that(result.duplicates())
        .containsInAnyOrder(interactionAgain, interactionThird, courseAgain);
    p.run().waitUntilFinish();
  }

  @Test
  public void noShardsIsRefused() {
    DropDuplicateChanges dedup = DropDuplicateChanges.rememberingFor(Duration.standardMinutes(6));
    assertThrows(IllegalArgumentException.class, () -> dedup.withShards(0));
  }

  private void dropsRedeliveries(DropDuplicateChanges dedup) {
    ChangeJson progressJson = progress(ADA, SQL_101, "50.00", "in_progress", at(10)).position(500);
    ChangeJson interactionJson = interaction(7, ADA, SQL_101, "video_play", 1_000, at(11));
    ChangeJson assessmentJson = assessment("a1", ADA, SQL_101, 8, 10, true, at(12));
    ChangeJson certificationJson = certification(ADA, SQL_101, "eligible", at(13)).position(900);
    Change progress = change(progressJson, 1);
    Change interaction = change(interactionJson, 2);
    Change assessment = change(assessmentJson, 3);
    Change certification = change(certificationJson, 4);
    // The connector restarted and sent the same changes again, later in each topic.
    Change progressAgain = change(progressJson, 11);
    Change interactionAgain = change(interactionJson, 12);
    Change assessmentAgain = change(assessmentJson, 13);
    Change certificationAgain = change(certificationJson, 14);
    // Not duplicates: the same row changed again (a new lsn), and a snapshot read of it (op r).
    Change progressUpdated =
        change(progress(ADA, SQL_101, "60.00", "in_progress", at(20)).op("u").position(600), 5);
    Change progressRead =
        change(progress(ADA, SQL_101, "50.00", "in_progress", at(10)).op("r").position(500), 6);

    // Redeliveries come after the originals, as they do in the topic.
    TestStream<Change> changes =
        TestStream.create(coder())
            .addElements(
                TimestampedValue.of(progress, at(10)),
                TimestampedValue.of(interaction, at(11)),
                TimestampedValue.of(assessment, at(12)),
                TimestampedValue.of(certification, at(13)),
                TimestampedValue.of(progressUpdated, at(20)),
                TimestampedValue.of(progressRead, at(10)))
            .addElements(
                TimestampedValue.of(progressAgain, at(10)),
                TimestampedValue.of(interactionAgain, at(11)),
                TimestampedValue.of(assessmentAgain, at(12)),
                TimestampedValue.of(certificationAgain, at(13)))
            .advanceWatermarkToInfinity();
    DropDuplicateChanges.Result result = p.apply(changes).apply(dedup);

    PAssert.that(result.unique())
        .containsInAnyOrder(
            progress, interaction, assessment, certification, progressUpdated, progressRead);
    PAssert.that(result.duplicates())
        .containsInAnyOrder(progressAgain, interactionAgain, assessmentAgain, certificationAgain);
    p.run().waitUntilFinish();
  }
}
