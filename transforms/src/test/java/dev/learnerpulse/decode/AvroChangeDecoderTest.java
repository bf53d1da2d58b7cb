package dev.learnerpulse.decode;

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
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.learnerpulse.decode.registry.SchemaLookup;
import dev.learnerpulse.decode.registry.SchemaRegistryException;
import dev.learnerpulse.decode.registry.SchemaSource;
import dev.learnerpulse.model.ChangeEnvelope;
import dev.learnerpulse.model.InvalidRecordException;
import dev.learnerpulse.model.Op;
import dev.learnerpulse.model.ReasonCode;
import dev.learnerpulse.model.SourceRecord;
import dev.learnerpulse.model.SourceTable;
import dev.learnerpulse.testing.ChangeJson;
import dev.learnerpulse.testing.DebeziumAvro;
import dev.learnerpulse.validate.ChangeRules;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.Schema;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

class AvroChangeDecoderTest {
  private static final Instant KAFKA_TS = at(1);

  private final Map<Integer, Schema> registered = new HashMap<>();
  private final SchemaSource schemas =
      id ->
          registered.containsKey(id)
              ? SchemaLookup.found(id, registered.get(id))
              : SchemaLookup.unknown(id);
  private final AvroChangeDecoder avro = new AvroChangeDecoder(schemas);
  private final DebeziumJsonDecoder json = new DebeziumJsonDecoder();

  private int register(DebeziumAvro shape) {
    int id = 100 + registered.size();
    registered.put(id, shape.schema());
    return id;
  }

  private SourceRecord avroRecord(ChangeJson change) {
    DebeziumAvro shape = DebeziumAvro.of(change.table());
    return shape.record(change, register(shape), 7, KAFKA_TS);
  }

  private ChangeEnvelope decode(ChangeJson change) throws Exception {
    return avro.decode(avroRecord(change), change.table());
  }

  private ReasonCode reasonOf(SourceRecord record, SourceTable table) {
    return assertThrows(InvalidRecordException.class, () -> avro.decode(record, table)).reason();
  }

  private static List<ChangeJson> everyTable() {
    return List.of(
        progress(ADA, SQL_101, "45.50", "in_progress", at(0)).position(4242),
        progress(GRACE, ML_201, "100.00", "completed", at(3)).op("u"),
        interaction(42, ADA, SQL_101, "video_play", 30_000, at(0)),
        interaction(43, ADA, SQL_101, "page_view", null, at(2)).op("r"),
        assessment("6745a1f0c2b3d4e5f6a7b8c9", ADA, SQL_101, 7, 10, true, at(5)).position(3),
        assessment("6745a1f0c2b3d4e5f6a7b8ca", GRACE, SQL_101, 8.5, 10, null, at(6)).canonical(),
        certification(ADA, SQL_101, "eligible", at(9)),
        course(SQL_101, "acme", "70.00"),
        learner(ADA, "acme"));
  }

  @Test
  void decodesEveryTableToWhatTheJsonDecoderMakesOfTheSameChange() throws Exception {
    for (ChangeJson change : everyTable()) {
      for (boolean schemasEnabled : new boolean[] {false, true}) {
        if (schemasEnabled) {
          change.withSchemas();
        }
        ChangeEnvelope fromJson = json.decode(change.record(7, KAFKA_TS), change.table());
        ChangeEnvelope fromAvro = decode(change);
        String what = change.table() + " " + change.json();
        assertEquals(fromJson.getOp(), fromAvro.getOp(), what);
        assertEquals(fromJson.getSourceTsMs(), fromAvro.getSourceTsMs(), what);
        assertEquals(fromJson.getSourcePosition(), fromAvro.getSourcePosition(), what);
        assertEquals(ChangeRules.validate(fromJson), ChangeRules.validate(fromAvro), what);
      }
    }
  }

  @Test
  void rowsArePlainJson() throws Exception {
    ObjectNode progress = decode(progress(ADA, SQL_101, "45.50", "in_progress", at(0))).getRow();
    assertEquals(new BigDecimal("45.50"), progress.get("progress_pct").decimalValue());
    assertEquals("2026-11-20T09:00:00.000000Z", progress.get("updated_at").textValue());
    ObjectNode interaction =
        decode(interaction(42, ADA, SQL_101, "video_play", 30_000, at(0))).getRow();
    assertEquals(at(0).getMillis(), interaction.get("occurred_at").longValue());
    assertTrue(interaction.get("duration_ms").isInt());
    ObjectNode attempt =
        decode(assessment("6745a1f0c2b3d4e5f6a7b8c9", ADA, SQL_101, 7, 10, true, at(5)).canonical())
            .getRow();
    assertEquals("6745a1f0c2b3d4e5f6a7b8c9", attempt.get("_id").textValue());
    assertEquals(at(5).getMillis(), attempt.get("submitted_at").longValue());
    ChangeEnvelope mongo = decode(assessment("a", ADA, SQL_101, 7, 10, true, at(5)).position(3));
    assertEquals("ord=3,ts_ms=1763629200000", mongo.getSourcePosition());
  }

  @Test
  void microTimestampsBecomeMillis() throws Exception {
    DebeziumAvro shape =
        DebeziumAvro.of(SourceTable.LEARNER_PROGRESS)
            .withOptionalColumn(
                "seen_at",
                "{\"type\":\"long\",\"connect.version\":1,\"connect.name\":\"io.debezium.time.MicroTimestamp\"}");
    ChangeJson change = progress(ADA, SQL_101, "1", "in_progress", at(0)).set("seen_at", at(4));
    SourceRecord record = shape.record(change, register(shape), 1, KAFKA_TS);
    ObjectNode row = avro.decode(record, SourceTable.LEARNER_PROGRESS).getRow();
    assertEquals(at(4).getMillis(), row.get("seen_at").longValue());
  }

  @Test
  void ignoredChangesAndTombstonesKeepNoRow() throws Exception {
    ChangeEnvelope update = decode(interaction(42, ADA, SQL_101, "video_play", 1, at(0)).op("u"));
    assertEquals(Op.UPDATE, update.getOp());
    assertNull(update.getRow());
    ChangeEnvelope delete = decode(progress(ADA, SQL_101, "1", "in_progress", at(0)).op("d"));
    assertEquals(Op.DELETE, delete.getOp());
    SourceRecord tombstone =
        SourceRecord.create(
            SourceTable.LEARNER_PROGRESS.defaultTopic(), 0, 1, KAFKA_TS, null, null);
    assertTrue(avro.decode(tombstone, SourceTable.LEARNER_PROGRESS).isTombstone());
  }

  @Test
  void anUnknownSchemaIdIsUnknownSchema() {
    SourceRecord record = avroRecord(progress(ADA, SQL_101, "1", "in_progress", at(0)));
    registered.clear();
    InvalidRecordException e =
        assertThrows(
            InvalidRecordException.class, () -> avro.decode(record, SourceTable.LEARNER_PROGRESS));
    assertEquals(ReasonCode.UNKNOWN_SCHEMA, e.reason());
    assertTrue(e.detail().contains("100"), e.detail());
  }

  @Test
  void everyTruncationIsMalformed() {
    SourceRecord whole = avroRecord(progress(ADA, SQL_101, "45.50", "in_progress", at(0)));
    byte[] value = whole.getValue();
    for (int length = 0; length < value.length; length++) {
      SourceRecord cut = withValue(whole, Arrays.copyOf(value, length));
      assertEquals(
          ReasonCode.MALFORMED, reasonOf(cut, SourceTable.LEARNER_PROGRESS), "length " + length);
    }
    byte[] longer = Arrays.copyOf(value, value.length + 3);
    assertEquals(
        ReasonCode.MALFORMED, reasonOf(withValue(whole, longer), SourceTable.LEARNER_PROGRESS));
  }

  @Test
  void aValueOutsideTheWireFormatIsMalformed() {
    SourceRecord avroValue = avroRecord(progress(ADA, SQL_101, "1", "in_progress", at(0)));
    SourceTable table = SourceTable.LEARNER_PROGRESS;
    assertEquals(
        ReasonCode.MALFORMED,
        reasonOf(withValue(avroValue, new byte[] {1, 0, 0, 0, 100, 2}), table));
    assertEquals(ReasonCode.MALFORMED, reasonOf(withValue(avroValue, new byte[] {0, 0, 0}), table));
    assertEquals(ReasonCode.MALFORMED, reasonOf(withValue(avroValue, new byte[0]), table));
    SourceRecord jsonValue = progress(ADA, SQL_101, "1", "in_progress", at(0)).record(1, KAFKA_TS);
    InvalidRecordException e =
        assertThrows(InvalidRecordException.class, () -> avro.decode(jsonValue, table));
    assertTrue(e.detail().contains("0x7b"), e.detail());
  }

  @Test
  void corruptDataIsMalformedAndNeverAllocatesWhatItClaims() {
    SourceRecord whole = avroRecord(progress(ADA, SQL_101, "45.50", "in_progress", at(0)));
    int id = AvroChangeDecoder.schemaId(whole.getValue());
    // A string length of 1.5 billion where learner_id starts: Avro alone allocates it and dies.
    byte[] huge = {
      0, 0, 0, 0, (byte) id, 0, (byte) 0x80, (byte) 0xbc, (byte) 0xc1, (byte) 0x96, 0x0b, 1
    };
    assertEquals(
        ReasonCode.MALFORMED, reasonOf(withValue(whole, huge), SourceTable.LEARNER_PROGRESS));
    Random random = new Random(11);
    for (int i = 0; i < 2000; i++) {
      byte[] value = whole.getValue().clone();
      value[5 + random.nextInt(value.length - 5)] = (byte) random.nextInt(256);
      try {
        avro.decode(withValue(whole, value), SourceTable.LEARNER_PROGRESS);
      } catch (InvalidRecordException e) {
        // Any reason will do: the point is that no other exception (or error) escapes.
      } catch (SchemaRegistryException | RuntimeException e) {
        throw new AssertionError("corrupt byte at run " + i, e);
      }
    }
  }

  @Test
  void aSchemaThatEvolvesDecodesOnBothSides() throws Exception {
    DebeziumAvro v1 =
        DebeziumAvro.of(SourceTable.LEARNER_PROGRESS).withOptionalColumn("note", "\"string\"");
    DebeziumAvro v2 =
        DebeziumAvro.of(SourceTable.LEARNER_PROGRESS).withOptionalColumn("cohort", "\"string\"");
    int id1 = register(v1);
    int id2 = register(v2);
    ChangeJson before = progress(ADA, SQL_101, "10", "in_progress", at(0)).set("note", "first");
    ChangeJson after =
        progress(ADA, SQL_101, "20", "in_progress", at(5)).set("cohort", "2026-autumn").op("u");
    ChangeEnvelope first =
        avro.decode(v1.record(before, id1, 1, KAFKA_TS), SourceTable.LEARNER_PROGRESS);
    ChangeEnvelope second =
        avro.decode(v2.record(after, id2, 2, KAFKA_TS), SourceTable.LEARNER_PROGRESS);
    ChangeEnvelope againFirst =
        avro.decode(v1.record(before, id1, 3, KAFKA_TS), SourceTable.LEARNER_PROGRESS);
    assertEquals("first", first.getRow().get("note").textValue());
    assertEquals("2026-autumn", second.getRow().get("cohort").textValue());
    assertNull(second.getRow().get("note"));
    assertEquals(first.getRow(), againFirst.getRow());
    assertEquals(20.0, ChangeRules.validate(second).getProgress().getProgressPct());
  }

  @Test
  void aRecordThatIsNotAnEnvelopeIsNotAnEnvelope() throws Exception {
    registered.put(2, Schema.create(Schema.Type.STRING));
    byte[] value = DebeziumAvro.wire(2, Schema.create(Schema.Type.STRING), "just text");
    SourceRecord base = avroRecord(learner(ADA, "acme"));
    assertEquals(
        ReasonCode.NOT_AN_ENVELOPE, reasonOf(withValue(base, value), SourceTable.LEARNERS));
  }

  @Test
  void aRegistryThatCannotAnswerIsNotTheRecordsFault() {
    AvroChangeDecoder unreachable =
        new AvroChangeDecoder(
            id -> {
              throw new SchemaRegistryException("registry down");
            });
    SourceRecord record = avroRecord(learner(ADA, "acme"));
    assertThrows(
        SchemaRegistryException.class, () -> unreachable.decode(record, SourceTable.LEARNERS));
  }

  @Test
  void autoFormatTellsAvroFromJsonByTheFirstByte() throws Exception {
    ChangeEventDecoder auto = ChangeEventDecoder.of(ValueFormats.all(ValueFormat.AUTO), schemas);
    ChangeEventDecoder avroOnly =
        ChangeEventDecoder.of(
            ValueFormats.all(ValueFormat.AVRO).with(SourceTable.LEARNERS, ValueFormat.JSON),
            schemas);
    ChangeJson change = progress(ADA, SQL_101, "45.50", "in_progress", at(0));
    SourceRecord asAvro = avroRecord(change);
    SourceRecord asJson = change.record(7, KAFKA_TS);
    SourceTable table = SourceTable.LEARNER_PROGRESS;
    assertEquals(
        ChangeRules.validate(auto.decode(asJson, table)),
        ChangeRules.validate(auto.decode(asAvro, table)));
    assertEquals(
        ReasonCode.MALFORMED,
        assertThrows(InvalidRecordException.class, () -> avroOnly.decode(asJson, table)).reason());
    assertEquals(
        ReasonCode.MALFORMED,
        assertThrows(
                InvalidRecordException.class, () -> ChangeEventDecoder.json().decode(asAvro, table))
            .reason());
    SourceRecord learnerJson = learner(ADA, "acme").record(9, KAFKA_TS);
    assertEquals(Op.READ, avroOnly.decode(learnerJson, SourceTable.LEARNERS).getOp());
    assertThrows(
        NullPointerException.class,
        () -> ChangeEventDecoder.of(ValueFormats.all(ValueFormat.AVRO), null));
  }

  @Test
  void avroValuesAreKeptAsBase64InDeadLetters() {
    SourceRecord record = avroRecord(learner(ADA, "acme"));
    dev.learnerpulse.model.DeadLetter letter =
        dev.learnerpulse.model.DeadLetter.of(record, ReasonCode.MALFORMED, "test", KAFKA_TS);
    assertEquals(dev.learnerpulse.model.DeadLetter.Encoding.BASE64, letter.getValueEncoding());
    assertArrayEquals(record.getValue(), letter.valueBytes());
  }

  private static SourceRecord withValue(SourceRecord record, byte[] value) {
    return SourceRecord.create(
        record.getTopic(),
        record.getPartition(),
        record.getOffset(),
        record.getTimestamp(),
        record.getKey(),
        value);
  }
}
