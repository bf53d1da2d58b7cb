package dev.learnerpulse.decode;

import static dev.learnerpulse.testing.Fixtures.ADA;
import static dev.learnerpulse.testing.Fixtures.GRACE;
import static dev.learnerpulse.testing.Fixtures.SQL_101;
import static dev.learnerpulse.testing.Fixtures.assessment;
import static dev.learnerpulse.testing.Fixtures.at;
import static dev.learnerpulse.testing.Fixtures.certification;
import static dev.learnerpulse.testing.Fixtures.interaction;
import static dev.learnerpulse.testing.Fixtures.progress;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import dev.learnerpulse.archive.KcatJson;
import dev.learnerpulse.archive.ReadArchivedTopics;
import dev.learnerpulse.decode.registry.SchemaRegistryConfig;
import dev.learnerpulse.model.ChangeEnvelope;
import dev.learnerpulse.model.DeadLetter;
import dev.learnerpulse.model.SourceRecord;
import dev.learnerpulse.model.Topics;
import dev.learnerpulse.testing.ChangeJson;
import dev.learnerpulse.testing.DebeziumAvro;
import dev.learnerpulse.testing.SchemaRegistryServer;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Instant;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** {@link DecodeChangeEvents} on Avro topics, against a Confluent-compatible registry. */
public class DecodeChangeEventsAvroTest {
  private static final Instant SEEN = Instant.parse("2026-11-21T12:00:00Z");
  private static final Clock CLOCK =
      Clock.fixed(java.time.Instant.ofEpochMilli(SEEN.getMillis()), ZoneOffset.UTC);
  private static final Instant KAFKA_TS = at(1);

  @Rule public final transient TestPipeline p = TestPipeline.create();
  @Rule public final transient TemporaryFolder folder = new TemporaryFolder();

  private final transient SchemaRegistryServer registry = SchemaRegistryServer.start();

  @After
  public void stopRegistry() {
    registry.close();
  }

  private SchemaRegistryConfig config() {
    return SchemaRegistryConfig.of(registry.url())
        .withRetries(30, Duration.ofMillis(100), Duration.ofMillis(400));
  }

  private DecodeChangeEvents decodeAuto() {
    return DecodeChangeEvents.of(Topics.defaults())
        .withClock(CLOCK)
        .withAvro(config(), ValueFormats.all(ValueFormat.AUTO));
  }

  private SourceRecord avro(ChangeJson change, long offset) {
    DebeziumAvro shape = DebeziumAvro.of(change.table());
    return shape.record(change, registry.register(shape.schema()), offset, KAFKA_TS);
  }

  /** The four change topics in Avro, and one JSON record on the Avro progress topic. */
  private List<SourceRecord> changes() {
    return List.of(
        avro(progress(ADA, SQL_101, "45.50", "in_progress", at(0)).position(500), 1),
        avro(interaction(42, ADA, SQL_101, "video_play", 30_000, at(0)), 2),
        avro(
            assessment("6745a1f0c2b3d4e5f6a7b8c9", GRACE, SQL_101, 7, 10, true, at(5)).position(3),
            3),
        avro(certification(ADA, SQL_101, "eligible", at(9)).position(900), 4),
        progress(GRACE, SQL_101, "10.00", "in_progress", at(2)).position(600).record(5, KAFKA_TS));
  }

  private static final List<String> DECODED =
      List.of(
          "lxp.public.learner_progress@1 CREATE lsn=500",
          "lxp.engagement.course_interactions@2 CREATE file=mysql-bin.000003,pos=1042,row=0",
          "lxp.assessments.assessment_events@3 CREATE ord=3,ts_ms=1763629200000",
          "lxp.public.certification_state@4 CREATE lsn=900",
          "lxp.public.learner_progress@5 CREATE lsn=600");

  private static PCollection<String> describe(PCollection<ChangeEnvelope> envelopes) {
    return envelopes.apply(
        "Describe",
        MapElements.into(TypeDescriptors.strings())
            .via(
                e ->
                    e.getRecord().getTopic()
                        + "@"
                        + e.getRecord().getOffset()
                        + " "
                        + e.getOp()
                        + " "
                        + e.getSourcePosition()));
  }

  private static PCollection<String> describeDeadLetters(PCollection<DeadLetter> letters) {
    return letters.apply(
        "DescribeDeadLetters",
        MapElements.into(TypeDescriptors.strings())
            .via(
                d ->
                    d.getOffset()
                        + " "
                        + d.getReason()
                        + " "
                        + d.getValueEncoding()
                        + " "
                        + d.getValue()));
  }

  @Test
  public void decodesAvroAndJsonAndDeadLettersUnknownIdsAndTruncatedValues() {
    List<SourceRecord> records = new ArrayList<>(changes());
    SourceRecord valid = avro(certification(GRACE, SQL_101, "issued", at(3)), 6);
    byte[] unknownId = valid.getValue().clone();
    unknownId[4] = (byte) 250;
    byte[] truncated = Arrays.copyOf(valid.getValue(), valid.getValue().length - 9);
    records.add(withValue(valid, 6, unknownId));
    records.add(withValue(valid, 7, truncated));

    DecodeChangeEvents.Result decoded =
        p.apply("Records", Create.of(records)).apply("DecodeChangeEvents", decodeAuto());

    PAssert.that(describe(decoded.envelopes())).containsInAnyOrder(DECODED);
    PAssert.that(describeDeadLetters(decoded.deadLetters()))
        .containsInAnyOrder(
            "6 UNKNOWN_SCHEMA BASE64 " + Base64.getEncoder().encodeToString(unknownId),
            "7 MALFORMED BASE64 " + Base64.getEncoder().encodeToString(truncated));
    p.run().waitUntilFinish();
  }

  @Test
  public void recordsWaitForARegistryThatIsDownAndDecodeWhenItIsBack() throws Exception {
    List<SourceRecord> records = changes();
    registry.stop();
    Thread back =
        new Thread(
            () -> {
              try {
                Thread.sleep(1500);
              } catch (InterruptedException e) {
                return;
              }
              registry.restart();
            });

    DecodeChangeEvents.Result decoded =
        p.apply("Records", Create.of(records)).apply("DecodeChangeEvents", decodeAuto());
    PAssert.that(describe(decoded.envelopes())).containsInAnyOrder(DECODED);
    PAssert.that(decoded.deadLetters()).empty();
    back.start();
    p.run().waitUntilFinish();
    back.join();
    assertTrue("the registry was asked after it came back", registry.requests() >= 4);
  }

  @Test
  public void aRegistryRefusingTheCredentialsFailsTheJobNamingTheUrl() {
    List<SourceRecord> records = changes();
    registry.requireBasicAuth("KEY123", "s3cret");
    p.apply("Records", Create.of(records))
        .apply(
            "DecodeChangeEvents",
            DecodeChangeEvents.of(Topics.defaults())
                .withAvro(
                    config().withBasicAuth("KEY123", "not-it"),
                    ValueFormats.all(ValueFormat.AVRO)));
    Pipeline.PipelineExecutionException e =
        assertThrows(Pipeline.PipelineExecutionException.class, () -> p.run().waitUntilFinish());
    String messages = "";
    for (Throwable t = e; t != null; t = t.getCause()) {
      messages += t.getMessage() + "\n";
    }
    assertTrue(messages, messages.contains("Schema Registry at " + registry.url()));
    assertTrue(messages, messages.contains("401"));
  }

  @Test
  public void readsArchivedAvroValuesKeptAsBase64() throws Exception {
    List<String> lines = new ArrayList<>();
    for (SourceRecord record : changes()) {
      lines.add(
          KcatJson.format(
              record.getTopic(),
              record.getPartition(),
              record.getOffset(),
              record.getTimestamp().getMillis(),
              record.getKey(),
              record.getValue()));
    }
    assertTrue(lines.get(0), lines.get(0).contains("\"payload_encoding\":\"base64\""));
    assertTrue(lines.get(4), !lines.get(4).contains("payload_encoding"));
    File dump = folder.newFile("lxp.mixed.jsonl");
    Files.write(dump.toPath(), lines, StandardCharsets.UTF_8);

    ReadArchivedTopics.Result read =
        p.apply("ReadArchivedTopics", ReadArchivedTopics.from(dump.getPath()).withClock(CLOCK));
    DecodeChangeEvents.Result decoded = read.records().apply("DecodeChangeEvents", decodeAuto());
    PAssert.that(read.deadLetters()).empty();
    PAssert.that(describe(decoded.envelopes())).containsInAnyOrder(DECODED);
    PAssert.that(decoded.deadLetters()).empty();
    p.run().waitUntilFinish();
  }

  private static SourceRecord withValue(SourceRecord record, long offset, byte[] value) {
    return SourceRecord.create(
        record.getTopic(),
        record.getPartition(),
        offset,
        record.getTimestamp(),
        record.getKey(),
        value);
  }
}
