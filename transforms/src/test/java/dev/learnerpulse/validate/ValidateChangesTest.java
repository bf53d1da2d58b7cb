package dev.learnerpulse.validate;

import static dev.learnerpulse.testing.Fixtures.ADA;
import static dev.learnerpulse.testing.Fixtures.GRACE;
import static dev.learnerpulse.testing.Fixtures.SQL_101;
import static dev.learnerpulse.testing.Fixtures.assessment;
import static dev.learnerpulse.testing.Fixtures.at;
import static dev.learnerpulse.testing.Fixtures.interaction;
import static dev.learnerpulse.testing.Fixtures.progress;
import static org.junit.Assert.assertEquals;

import dev.learnerpulse.decode.DecodeChangeEvents;
import dev.learnerpulse.metrics.OutcomeCounters;
import dev.learnerpulse.model.Change;
import dev.learnerpulse.model.ChangeEnvelope;
import dev.learnerpulse.model.CourseInteraction;
import dev.learnerpulse.model.DeadLetter;
import dev.learnerpulse.model.LearnerProgress;
import dev.learnerpulse.model.Op;
import dev.learnerpulse.model.Outcome;
import dev.learnerpulse.model.ReasonCode;
import dev.learnerpulse.model.SourceRecord;
import dev.learnerpulse.model.SourceTable;
import dev.learnerpulse.model.Topics;
import java.time.Clock;
import java.time.ZoneOffset;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;

/** Decoding and validation as Beam transforms: exact outputs on every path, and the counters. */
public class ValidateChangesTest {
  private static final Instant SEEN = Instant.parse("2026-11-21T12:00:00Z");
  private static final Clock CLOCK =
      Clock.fixed(java.time.Instant.ofEpochMilli(SEEN.getMillis()), ZoneOffset.UTC);
  private static final Instant KAFKA_TS = at(1);

  @Rule public final transient TestPipeline p = TestPipeline.create();

  @Test
  public void everyRecordEndsInExactlyOneOutcome() {
    SourceRecord validProgress =
        progress(ADA, SQL_101, "45.50", "in_progress", at(0)).withSchemas().record(0, KAFKA_TS);
    SourceRecord validInteraction =
        interaction(7, GRACE, SQL_101, "video_play", 30_000, at(0)).record(1, KAFKA_TS);
    SourceRecord tombstone =
        SourceRecord.ofText(
            SourceTable.LEARNER_PROGRESS.defaultTopic(), 0, 2, KAFKA_TS, "{}", null);
    SourceRecord ignoredUpdate =
        assessment("a1", ADA, SQL_101, 5, 10, true, at(0)).op("u").record(3, KAFKA_TS);
    SourceRecord notJson =
        SourceRecord.ofText(
            SourceTable.LEARNER_PROGRESS.defaultTopic(), 0, 4, KAFKA_TS, "k", "oops");
    SourceRecord unknownTopic =
        SourceRecord.ofText("lxp.public.grades", 1, 5, KAFKA_TS, null, "{}");
    SourceRecord badScore = assessment("a2", ADA, SQL_101, 11, 10, true, at(0)).record(6, KAFKA_TS);
    SourceRecord binary =
        SourceRecord.create(
            SourceTable.COURSE_INTERACTIONS.defaultTopic(),
            2,
            7,
            KAFKA_TS,
            null,
            new byte[] {0, (byte) 0xff, 3});

    PCollection<SourceRecord> records =
        p.apply(
            "Records",
            Create.of(
                validProgress,
                validInteraction,
                tombstone,
                ignoredUpdate,
                notJson,
                unknownTopic,
                badScore,
                binary));
    DecodeChangeEvents.Result decoded =
        records.apply(
            "DecodeChangeEvents", DecodeChangeEvents.of(Topics.defaults()).withClock(CLOCK));
    ValidateChanges.Result validated =
        decoded.envelopes().apply("ValidateChanges", ValidateChanges.create().withClock(CLOCK));

    PAssert.that(validated.valid())
        .containsInAnyOrder(
            Change.builder()
                .setTable(SourceTable.LEARNER_PROGRESS)
                .setOp(Op.CREATE)
                .setTopic(SourceTable.LEARNER_PROGRESS.defaultTopic())
                .setPartition(0)
                .setOffset(0)
                .setKafkaTimestamp(KAFKA_TS)
                .setSourceTsMs(1763629200000L)
                .setSourcePosition("lsn=24023192")
                .setEventTime(at(0))
                .setProgress(LearnerProgress.create(ADA, SQL_101, 45.5, "in_progress", at(0)))
                .build(),
            Change.builder()
                .setTable(SourceTable.COURSE_INTERACTIONS)
                .setOp(Op.CREATE)
                .setTopic(SourceTable.COURSE_INTERACTIONS.defaultTopic())
                .setPartition(0)
                .setOffset(1)
                .setKafkaTimestamp(KAFKA_TS)
                .setSourceTsMs(1763629200000L)
                .setSourcePosition("file=mysql-bin.000003,pos=1007,row=0")
                .setEventTime(at(0))
                .setInteraction(
                    CourseInteraction.create(7L, GRACE, SQL_101, "video_play", 30_000, at(0)))
                .build());
    PAssert.that(
            validated
                .ignored()
                .apply(
                    "IgnoredOffsets",
                    MapElements.into(TypeDescriptors.longs())
                        .via((ChangeEnvelope e) -> e.getRecord().getOffset())))
        .containsInAnyOrder(2L, 3L);
    PAssert.that(decoded.deadLetters())
        .containsInAnyOrder(
            DeadLetter.create(
                SourceTable.LEARNER_PROGRESS.defaultTopic(),
                0,
                4,
                KAFKA_TS,
                "k",
                "oops",
                DeadLetter.Encoding.TEXT,
                ReasonCode.MALFORMED,
                "not valid JSON: Unrecognized token 'oops': was expecting (JSON String, Number,"
                    + " Array, Object or token 'null', 'true' or 'false')",
                SEEN),
            DeadLetter.create(
                "lxp.public.grades",
                1,
                5,
                KAFKA_TS,
                null,
                "{}",
                DeadLetter.Encoding.TEXT,
                ReasonCode.UNKNOWN_TOPIC,
                "topic lxp.public.grades is not a configured source",
                SEEN),
            DeadLetter.create(
                SourceTable.COURSE_INTERACTIONS.defaultTopic(),
                2,
                7,
                KAFKA_TS,
                null,
                "AP8D",
                DeadLetter.Encoding.BASE64,
                ReasonCode.MALFORMED,
                "not valid JSON: Unrecognized token '\u00ff': was expecting (JSON String, Number,"
                    + " Array, Object or token 'null', 'true' or 'false')",
                SEEN));
    PAssert.that(validated.deadLetters())
        .containsInAnyOrder(
            DeadLetter.of(
                badScore,
                ReasonCode.BAD_VALUE,
                "score: 11.0 is greater than max_score 10.0",
                SEEN));

    PipelineResult result = p.run();
    result.waitUntilFinish();

    assertEquals(8, counter(result, "input."));
    assertEquals(0, counter(result, Outcome.VALID.label() + "."));
    assertEquals(2, counter(result, Outcome.IGNORED.label() + "."));
    assertEquals(4, counter(result, Outcome.DEAD_LETTER.label() + "."));
    assertEquals(2, counter(result, OutcomeCounters.reasonName(ReasonCode.MALFORMED)));
    assertEquals(
        1, counter(result, OutcomeCounters.name(Outcome.DEAD_LETTER, "lxp.public.grades")));
  }

  /**
   * Issue 13, item 2: rows the decoder accepts are rows the coder re-reads, and no record is
   * counted twice. A 1,100-digit decimal used to pass decoding, fail in the coder inside {@code
   * output()}, and be counted again as a MALFORMED dead letter; 1e400 reached validation as the
   * string "Infinity".
   */
  @Test
  public void hostileNumbersEndInOneOutcomeWithTheirOwnReason() {
    String digits = "0." + "1".repeat(1_100);
    SourceRecord longDecimal =
        progress(ADA, SQL_101, "1", "in_progress", at(0))
            .set("progress_pct", digits)
            .record(0, KAFKA_TS);
    SourceRecord longMongoDecimal =
        assessment("a1", ADA, SQL_101, 1, 2, true, at(0))
            .set("score", java.util.Map.of("$numberDecimal", digits))
            .record(1, KAFKA_TS);
    SourceRecord overflowing =
        SourceRecord.ofText(
            SourceTable.ASSESSMENT_EVENTS.defaultTopic(),
            0,
            2,
            KAFKA_TS,
            null,
            assessment("a2", ADA, SQL_101, 1, 2, true, at(0))
                .json()
                .replace("\\\"score\\\":1.0", "\\\"score\\\":1e400"));
    PCollection<SourceRecord> records =
        p.apply("Records", Create.of(longDecimal, longMongoDecimal, overflowing));
    DecodeChangeEvents.Result decoded =
        records.apply(
            "DecodeChangeEvents", DecodeChangeEvents.of(Topics.defaults()).withClock(CLOCK));
    ValidateChanges.Result validated =
        decoded.envelopes().apply("ValidateChanges", ValidateChanges.create().withClock(CLOCK));

    String tooLong =
        ": a decimal of 1102 characters is longer than the 100 characters (32 unscaled bytes) accepted";
    // Decimals are decoded (from text, base64 or Extended JSON) before validation: the decoder
    // refuses.
    PAssert.that(decoded.deadLetters())
        .containsInAnyOrder(
            DeadLetter.of(longDecimal, ReasonCode.BAD_VALUE, "progress_pct" + tooLong, SEEN),
            DeadLetter.of(longMongoDecimal, ReasonCode.BAD_VALUE, "score" + tooLong, SEEN));
    PAssert.that(validated.valid()).empty();
    PAssert.that(validated.deadLetters())
        .containsInAnyOrder(
            DeadLetter.of(
                overflowing, ReasonCode.BAD_VALUE, "score: Infinity is not a finite number", SEEN));

    PipelineResult result = p.run();
    result.waitUntilFinish();
    assertEquals(3, counter(result, "input."));
    assertEquals(3, counter(result, Outcome.DEAD_LETTER.label() + "."));
  }

  /** The sum of the committed counters whose names start with {@code prefix}. */
  private static long counter(PipelineResult result, String prefix) {
    long sum = 0;
    Iterable<MetricResult<Long>> counters =
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.inNamespace(OutcomeCounters.NAMESPACE))
                    .build())
            .getCounters();
    for (MetricResult<Long> counter : counters) {
      if (counter.getName().getName().startsWith(prefix)) {
        sum += counter.getAttempted();
      }
    }
    return sum;
  }
}
