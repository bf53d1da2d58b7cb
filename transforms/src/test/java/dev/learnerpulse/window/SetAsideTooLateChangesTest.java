package dev.learnerpulse.window;

import static dev.learnerpulse.testing.Fixtures.ADA;
import static dev.learnerpulse.testing.Fixtures.GRACE;
import static dev.learnerpulse.testing.Fixtures.SQL_101;
import static dev.learnerpulse.testing.Fixtures.at;
import static dev.learnerpulse.testing.Fixtures.interaction;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.learnerpulse.model.Change;
import dev.learnerpulse.model.TooLateEvent;
import dev.learnerpulse.testing.ChangeJson;
import dev.learnerpulse.testing.Counters;
import dev.learnerpulse.testing.Outcomes;
import java.time.Clock;
import java.time.ZoneOffset;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import org.apache.beam.sdk.schemas.SchemaRegistry;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;

/**
 * The too-late guard: its tick arithmetic, the exactness of the streaming decision at the horizon,
 * and the batch rule against Kafka timestamps.
 */
public class SetAsideTooLateChangesTest {
  private static final Instant SEEN = at(900);
  private static final Clock CLOCK =
      Clock.fixed(java.time.Instant.ofEpochMilli(SEEN.getMillis()), ZoneOffset.UTC);
  private static final Windowing WINDOWING =
      Windowing.of(Duration.standardSeconds(60), Duration.standardSeconds(300));

  /** The first window and the one after it; their expiries are one tick (60 s) apart. */
  private static final IntervalWindow FIRST = new IntervalWindow(at(0), at(60));

  private static final IntervalWindow SECOND = new IntervalWindow(at(60), at(120));

  @Rule public final transient TestPipeline p = TestPipeline.create();

  private static Change change(ChangeJson json, long offset, Instant kafkaTimestamp) {
    return new Outcomes().of(json.record(offset, kafkaTimestamp)).change;
  }

  private static Coder<Change> changeCoder() {
    try {
      return SchemaRegistry.createDefault().getSchemaCoder(Change.class);
    } catch (NoSuchSchemaException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  public void tickSpacingIsTheGreatestCommonDivisorOfSizeAndLateness() {
    assertEquals(60_000, SetAsideTooLateChanges.tickSpacing(WINDOWING));
    assertEquals(
        30_000,
        SetAsideTooLateChanges.tickSpacing(
            Windowing.of(Duration.standardSeconds(60), Duration.standardSeconds(90))));
    assertEquals(
        15_000,
        SetAsideTooLateChanges.tickSpacing(
            Windowing.of(Duration.standardSeconds(45), Duration.standardSeconds(300))));
    // No lateness: the expiry is the window's max timestamp, so the window size is enough.
    assertEquals(
        60_000,
        SetAsideTooLateChanges.tickSpacing(
            Windowing.of(Duration.standardSeconds(60), Duration.ZERO)));
  }

  @Test
  public void tickAtOrAfterIsTheFirstInstantKTimesGMinusOneAtOrAfterTime() {
    long g = 60_000;
    // at(0) is a whole minute: the tick before it is at(0) - 1 ms, so the first at or after is
    // at(60) - 1 ms.
    assertEquals(at(60).minus(1), SetAsideTooLateChanges.tickAtOrAfter(at(0), g));
    assertEquals(at(60).minus(1), SetAsideTooLateChanges.tickAtOrAfter(at(1), g));
    // A tick is its own first tick.
    assertEquals(at(60).minus(1), SetAsideTooLateChanges.tickAtOrAfter(at(60).minus(1), g));
    assertEquals(at(120).minus(1), SetAsideTooLateChanges.tickAtOrAfter(at(60), g));
    // Around and before the epoch.
    assertEquals(new Instant(-1), SetAsideTooLateChanges.tickAtOrAfter(new Instant(-1), g));
    assertEquals(new Instant(-1), SetAsideTooLateChanges.tickAtOrAfter(new Instant(-60_000), g));
    assertEquals(
        new Instant(-60_001), SetAsideTooLateChanges.tickAtOrAfter(new Instant(-60_001), g));
    assertEquals(new Instant(59_999), SetAsideTooLateChanges.tickAtOrAfter(new Instant(0), g));
  }

  @Test
  public void everyMaxTimestampAndEveryExpiryIsATick() {
    Windowing[] windowings = {
      WINDOWING,
      Windowing.of(Duration.standardSeconds(60), Duration.standardSeconds(90)),
      Windowing.of(Duration.standardSeconds(45), Duration.standardSeconds(100)),
      Windowing.of(Duration.standardSeconds(60), Duration.ZERO)
    };
    for (Windowing windowing : windowings) {
      long g = SetAsideTooLateChanges.tickSpacing(windowing);
      for (int second = -600; second < 600; second += 7) {
        IntervalWindow window = windowing.windowOf(at(second));
        Instant max = window.maxTimestamp();
        Instant expiry = windowing.expiryOf(window);
        assertEquals(windowing + " " + window, max, SetAsideTooLateChanges.tickAtOrAfter(max, g));
        assertEquals(
            windowing + " " + window, expiry, SetAsideTooLateChanges.tickAtOrAfter(expiry, g));
      }
    }
  }

  /**
   * The watermark just past the first window's expiry (at(360) - 1 ms): the tick at that expiry has
   * fired and is the horizon. A change of the first window (expiry = horizon) is too late, exactly
   * as the GroupByKey would drop it; a change of the next window (expiry one tick later) is on
   * time, and the GroupByKey downstream keeps it in a late pane.
   */
  @Test
  public void anExpiryAtTheHorizonIsTooLateAndOneTickLaterIsOnTime() {
    Instant expiry = WINDOWING.expiryOf(FIRST);
    assertEquals(at(360).minus(1), expiry);
    Change inFirst = change(interaction(1, ADA, SQL_101, "video_play", 1_000, at(30)), 10, at(361));
    Change inSecond =
        change(interaction(2, GRACE, SQL_101, "video_play", 1_000, at(90)), 11, at(361));

    TestStream<Change> changes =
        TestStream.create(changeCoder())
            .advanceWatermarkTo(at(-60))
            .advanceWatermarkTo(expiry.plus(1))
            .addElements(
                TimestampedValue.of(inFirst, at(30)), TimestampedValue.of(inSecond, at(90)))
            .advanceWatermarkToInfinity();
    SetAsideTooLateChanges.Result result =
        p.apply(changes)
            .apply(
                SetAsideTooLateChanges.byWatermark(WINDOWING, at(-300))
                    .withShards(2)
                    .withClock(CLOCK));

    PAssert.that(result.onTime()).containsInAnyOrder(inSecond);
    PAssert.that(result.tooLate())
        .containsInAnyOrder(
            TooLateEvent.create(
                "lxp.engagement.course_interactions",
                0,
                10,
                at(361),
                inFirst.getTable(),
                inFirst.getOp(),
                ADA,
                SQL_101,
                at(30),
                at(0),
                at(60),
                expiry,
                inFirst.identity(),
                SEEN));
    // What the guard lets through, the windowed GroupByKey keeps (in a late pane).
    PCollection<Long> counted =
        result
            .onTime()
            .apply("Window", WINDOWING.<Change>window())
            .apply("Count", Combine.globally(Count.<Change>combineFn()).withoutDefaults());
    PAssert.that(counted).inWindow(SECOND).containsInAnyOrder(1L);
    PAssert.that(counted).inLatePane(SECOND).containsInAnyOrder(1L);
    PAssert.that(counted).inWindow(FIRST).empty();

    p.run().waitUntilFinish();
  }

  @Test
  public void beforeTheFirstTickNothingIsTooLate() {
    Change old = change(interaction(1, ADA, SQL_101, "video_play", 1_000, at(30)), 10, at(900));
    TestStream<Change> changes =
        TestStream.create(changeCoder())
            .addElements(TimestampedValue.of(old, at(30)))
            .advanceWatermarkToInfinity();
    SetAsideTooLateChanges.Result result =
        p.apply(changes)
            .apply(
                SetAsideTooLateChanges.byWatermark(WINDOWING, at(0))
                    .withShards(1)
                    .withClock(CLOCK));
    PAssert.that(result.onTime()).containsInAnyOrder(old);
    PAssert.that(result.tooLate()).empty();
    p.run().waitUntilFinish();
  }

  /**
   * A catch-up from a backlog a year old: crossing the empty year costs a few dozen ticks, not one
   * per minute of it (525,600), and within the last hour before the clock the decision is exact
   * again: an expiry at the horizon is too late, one tick later is on time.
   */
  @Test
  public void aBacklogAYearOldCostsTicksByItsDataNotByItsAge() {
    Instant now = at(0).plus(Duration.standardDays(365));
    Clock clock = Clock.fixed(java.time.Instant.ofEpochMilli(now.getMillis()), ZoneOffset.UTC);
    Instant watermark = now.minus(Duration.standardMinutes(10));
    Instant horizon = watermark.minus(1);
    Change old = change(interaction(1, ADA, SQL_101, "video_play", 1_000, at(30)), 1, at(31));
    Instant staleAt = now.minus(Duration.standardMinutes(16));
    Change stale = change(interaction(2, ADA, SQL_101, "video_play", 1_000, staleAt), 2, now);
    Instant freshAt = now.minus(Duration.standardMinutes(15));
    Change fresh = change(interaction(3, GRACE, SQL_101, "video_play", 1_000, freshAt), 3, now);
    assertEquals(horizon, WINDOWING.expiryOf(WINDOWING.windowOf(staleAt)));

    TestStream<Change> changes =
        TestStream.create(changeCoder())
            .addElements(TimestampedValue.of(old, at(30)))
            .advanceWatermarkTo(watermark)
            .addElements(TimestampedValue.of(stale, staleAt), TimestampedValue.of(fresh, freshAt))
            .advanceWatermarkToInfinity();
    SetAsideTooLateChanges.Result result =
        p.apply(changes)
            .apply(
                SetAsideTooLateChanges.byWatermark(WINDOWING, at(-300))
                    .withShards(1)
                    .withClock(clock));

    PAssert.that(result.onTime()).containsInAnyOrder(old, fresh);
    PAssert.that(
            result
                .tooLate()
                .apply(MapElements.into(TypeDescriptors.longs()).via(TooLateEvent::getOffset)))
        .containsInAnyOrder(2L);
    PCollection<Long> counted =
        result
            .onTime()
            .apply("Window", WINDOWING.<Change>window())
            .apply("Count", Combine.globally(Count.<Change>combineFn()).withoutDefaults());
    PAssert.that(counted).inOnTimePane(FIRST).containsInAnyOrder(1L);
    PAssert.that(counted).inLatePane(WINDOWING.windowOf(freshAt)).containsInAnyOrder(1L);

    long ticks =
        Counters.committed(
            p.run(), SetAsideTooLateChanges.class, SetAsideTooLateChanges.TICKS_COUNTER);
    assertTrue("the guard fired " + ticks + " ticks", ticks < 300);
  }

  /**
   * Far from the clock an idle shard gallops, so its horizon may trail the watermark: a change the
   * runner would call too late then goes through, and the GroupByKey, held at the horizon, keeps
   * it. Never a silent drop.
   */
  @Test
  public void whileGallopingAChangeLetThroughIsKeptDownstream() {
    Instant now = at(0).plus(Duration.standardDays(365));
    Clock clock = Clock.fixed(java.time.Instant.ofEpochMilli(now.getMillis()), ZoneOffset.UTC);
    Instant watermark = at(0).plus(Duration.standardDays(30));
    Instant strayAt = watermark.minus(Duration.standardMinutes(7));
    IntervalWindow strayWindow = WINDOWING.windowOf(strayAt);
    assertTrue(WINDOWING.expiryOf(strayWindow).isBefore(watermark));
    Change old = change(interaction(1, ADA, SQL_101, "video_play", 1_000, at(30)), 1, at(31));
    Change stray =
        change(interaction(2, GRACE, SQL_101, "video_play", 1_000, strayAt), 2, watermark);

    TestStream<Change> changes =
        TestStream.create(changeCoder())
            .addElements(TimestampedValue.of(old, at(30)))
            .advanceWatermarkTo(watermark)
            .addElements(TimestampedValue.of(stray, strayAt))
            .advanceWatermarkToInfinity();
    SetAsideTooLateChanges.Result result =
        p.apply(changes)
            .apply(
                SetAsideTooLateChanges.byWatermark(WINDOWING, at(-300))
                    .withShards(1)
                    .withClock(clock));

    PAssert.that(result.onTime()).containsInAnyOrder(old, stray);
    PAssert.that(result.tooLate()).empty();
    PCollection<Long> counted =
        result
            .onTime()
            .apply("Window", WINDOWING.<Change>window())
            .apply("Count", Combine.globally(Count.<Change>combineFn()).withoutDefaults());
    PAssert.that(counted).inWindow(strayWindow).containsInAnyOrder(1L);
    p.run().waitUntilFinish();
  }

  /**
   * Batch: too late when the window's expiry is before the Kafka timestamp less the maximum delay.
   * The first window expires at(360) - 1 ms; with a 5 s delay a record appended at(365) - 1 ms saw
   * a watermark of exactly the expiry (kept), one appended at(365) a watermark 1 ms past it.
   */
  @Test
  public void batchComparesTheExpiryWithTheKafkaTimestampLessTheMaximumDelay() {
    Change kept =
        change(interaction(1, ADA, SQL_101, "video_play", 1_000, at(30)), 1, at(365).minus(1));
    Change late = change(interaction(2, ADA, SQL_101, "video_play", 1_000, at(40)), 2, at(365));
    Change fresh = change(interaction(3, ADA, SQL_101, "video_play", 1_000, at(70)), 3, at(365));

    SetAsideTooLateChanges.Result result =
        p.apply(Create.of(kept, late, fresh).withCoder(changeCoder()))
            .apply(
                SetAsideTooLateChanges.byKafkaTimestamp(WINDOWING, Duration.standardSeconds(5))
                    .withClock(CLOCK));

    PAssert.that(result.onTime()).containsInAnyOrder(kept, fresh);
    PAssert.that(result.tooLate())
        .containsInAnyOrder(
            TooLateEvent.create(
                "lxp.engagement.course_interactions",
                0,
                2,
                at(365),
                late.getTable(),
                late.getOp(),
                ADA,
                SQL_101,
                at(40),
                at(0),
                at(60),
                at(360).minus(1),
                late.identity(),
                SEEN));
    p.run().waitUntilFinish();
  }
}
