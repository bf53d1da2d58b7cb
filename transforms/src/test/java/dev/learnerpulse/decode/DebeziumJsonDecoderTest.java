package dev.learnerpulse.decode;

import static dev.learnerpulse.testing.Fixtures.ADA;
import static dev.learnerpulse.testing.Fixtures.SQL_101;
import static dev.learnerpulse.testing.Fixtures.assessment;
import static dev.learnerpulse.testing.Fixtures.at;
import static dev.learnerpulse.testing.Fixtures.interaction;
import static dev.learnerpulse.testing.Fixtures.progress;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.learnerpulse.model.ChangeEnvelope;
import dev.learnerpulse.model.InvalidRecordException;
import dev.learnerpulse.model.Op;
import dev.learnerpulse.model.ReasonCode;
import dev.learnerpulse.model.SourceRecord;
import dev.learnerpulse.model.SourceTable;
import dev.learnerpulse.testing.ChangeJson;
import dev.learnerpulse.testing.ChangeJson.DecimalMode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class DebeziumJsonDecoderTest {
  private static final Instant KAFKA_TS = at(1);
  private final DebeziumJsonDecoder decoder = new DebeziumJsonDecoder();

  private ChangeEnvelope decode(ChangeJson change) throws InvalidRecordException {
    return decoder.decode(change.record(7, KAFKA_TS), change.table());
  }

  private ReasonCode reasonOf(String value, SourceTable table) {
    SourceRecord record = SourceRecord.ofText(table.defaultTopic(), 0, 1, KAFKA_TS, null, value);
    return reasonOf(record, table);
  }

  private ReasonCode reasonOf(SourceRecord record, SourceTable table) {
    return assertThrows(InvalidRecordException.class, () -> decoder.decode(record, table)).reason();
  }

  @ParameterizedTest
  @EnumSource(DecimalMode.class)
  void decodesNumericInEveryDecimalModeWithAndWithoutSchemas(DecimalMode mode) throws Exception {
    for (boolean schemas : new boolean[] {false, true}) {
      ChangeJson change = progress(ADA, SQL_101, "45.50", "in_progress", at(0)).decimalMode(mode);
      if (schemas) {
        change.withSchemas();
      }
      ObjectNode row = decode(change).getRow();
      assertEquals(
          0,
          new BigDecimal("45.50").compareTo(row.get("progress_pct").decimalValue()),
          mode + " schemas=" + schemas + " gave " + row.get("progress_pct"));
      assertTrue(
          row.get("progress_pct").isNumber(),
          mode + " schemas=" + schemas + " gave " + row.get("progress_pct"));
    }
  }

  @Test
  void preciseDecimalUsesTheScaleOfTheSchemaAndTwosComplement() throws Exception {
    ChangeJson change = progress(ADA, SQL_101, "-1.5", "in_progress", at(0)).withSchemas();
    ObjectNode row = decode(change).getRow();
    assertEquals(new BigDecimal("-1.5"), row.get("progress_pct").decimalValue());
  }

  @Test
  void preciseDecimalWithoutSchemaUsesTheContractScale() throws Exception {
    // 4550 unscaled = 0x11C6 -> "EcY="; numeric(5,2) -> 45.50
    SourceRecord record =
        SourceRecord.ofText(
            SourceTable.LEARNER_PROGRESS.defaultTopic(),
            0,
            1,
            KAFKA_TS,
            null,
            progress(ADA, SQL_101, "45.50", "in_progress", at(0)).json());
    assertTrue(record.getValue().length > 0);
    ObjectNode row = decoder.decode(record, SourceTable.LEARNER_PROGRESS).getRow();
    assertEquals(new BigDecimal("45.50"), row.get("progress_pct").decimalValue());
  }

  @Test
  void undecodablePreciseDecimalIsBadValue() {
    String value =
        progress(ADA, SQL_101, "45.50", "in_progress", at(0))
            .withSchemas()
            .json()
            .replace("\"EcY=\"", "\"%%not-base64%%\"");
    assertEquals(ReasonCode.BAD_VALUE, reasonOf(value, SourceTable.LEARNER_PROGRESS));
  }

  @Test
  void readsSourcePositionsOfEachConnector() throws Exception {
    assertEquals(
        "lsn=500",
        decode(progress(ADA, SQL_101, "1", "in_progress", at(0)).position(500))
            .getSourcePosition());
    assertEquals(
        "file=mysql-bin.000003,pos=1042,row=0",
        decode(interaction(42, ADA, SQL_101, "page_view", 1000, at(0))).getSourcePosition());
    ChangeEnvelope mongo =
        decode(
            assessment("6745a1f0c2b3d4e5f6a7b8c9", ADA, SQL_101, 7, 10, true, at(0))
                .position(3)
                .sourceTsMs(1763629200000L));
    assertEquals("ord=3,ts_ms=1763629200000", mongo.getSourcePosition());
    assertEquals(1763629200000L, mongo.getSourceTsMs());
  }

  @Test
  void unwrapsRelaxedExtendedJson() throws Exception {
    ObjectNode row =
        decode(assessment("6745a1f0c2b3d4e5f6a7b8c9", ADA, SQL_101, 7, 10, true, at(5))).getRow();
    assertEquals("6745a1f0c2b3d4e5f6a7b8c9", row.get("_id").textValue());
    assertEquals(at(5).getMillis(), row.get("submitted_at").longValue());
    assertEquals(7, row.get("score").intValue());
  }

  @Test
  void unwrapsCanonicalExtendedJson() throws Exception {
    ChangeJson change =
        assessment("6745a1f0c2b3d4e5f6a7b8c9", ADA, SQL_101, 7.5, 10, true, at(5))
            .set("attempt", 2)
            .canonical();
    assertTrue(change.json().contains("$numberDouble"));
    assertTrue(change.json().contains("$numberLong"));
    ObjectNode row = decode(change).getRow();
    assertEquals(7.5, row.get("score").doubleValue());
    assertEquals(2, row.get("attempt").intValue());
    assertEquals(at(5).getMillis(), row.get("submitted_at").longValue());
  }

  @Test
  void unwrapsDateAsMillisNumber() throws Exception {
    String document =
        "{\"_id\":{\"$oid\":\"a1\"},\"submitted_at\":{\"$date\":1763629205000},"
            + "\"score\":{\"$numberInt\":\"8\"},\"max_score\":{\"$numberLong\":\"10\"}}";
    ObjectNode row = ExtendedJson.parseDocument(document);
    assertEquals(1763629205000L, row.get("submitted_at").longValue());
    assertEquals(8, row.get("score").intValue());
    assertEquals(10L, row.get("max_score").longValue());
  }

  @Test
  void extendedJsonThatIsNotJsonIsMalformed() {
    assertEquals(
        ReasonCode.MALFORMED,
        assertThrows(
                InvalidRecordException.class,
                () -> ExtendedJson.parseDocument("{\"_id\": ObjectId("))
            .reason());
  }

  @Test
  void nullValueIsATombstone() throws Exception {
    SourceRecord record =
        SourceRecord.ofText(
            SourceTable.LEARNER_PROGRESS.defaultTopic(), 0, 1, KAFKA_TS, "{}", null);
    assertTrue(decoder.decode(record, SourceTable.LEARNER_PROGRESS).isTombstone());
  }

  @Test
  void nullPayloadWithSchemasIsATombstone() throws Exception {
    SourceRecord record =
        SourceRecord.ofText(
            SourceTable.LEARNER_PROGRESS.defaultTopic(),
            0,
            1,
            KAFKA_TS,
            "{}",
            "{\"schema\":null,\"payload\":null}");
    assertTrue(decoder.decode(record, SourceTable.LEARNER_PROGRESS).isTombstone());
  }

  @ParameterizedTest
  @ValueSource(strings = {"d", "t"})
  void deletesAndTruncatesCarryNoRow(String op) throws Exception {
    ChangeEnvelope envelope = decode(progress(ADA, SQL_101, "10", "in_progress", at(0)).op(op));
    assertEquals(Op.fromCode(op), envelope.getOp());
    assertNull(envelope.getRow());
  }

  @Test
  void updatesOfImmutableFactsAreNotDecodedFurther() throws Exception {
    ChangeEnvelope envelope = decode(interaction(1, ADA, SQL_101, "page_view", 1, at(0)).op("u"));
    assertEquals(Op.UPDATE, envelope.getOp());
    assertNull(envelope.getRow());
  }

  @Test
  void zonedTimestampsAreKeptForValidation() throws Exception {
    ObjectNode row = decode(progress(ADA, SQL_101, "10", "in_progress", at(0))).getRow();
    assertEquals("2026-11-20T09:00:00.000000Z", row.get("updated_at").textValue());
  }

  @Test
  void microTimestampsBecomeMillis() throws Exception {
    String value =
        "{\"schema\":{\"type\":\"struct\",\"fields\":[{\"type\":\"struct\",\"field\":\"after\","
            + "\"fields\":[{\"type\":\"int64\",\"name\":\"io.debezium.time.MicroTimestamp\","
            + "\"field\":\"updated_at\"}]}]},\"payload\":{\"op\":\"c\",\"source\":{\"lsn\":1},"
            + "\"after\":{\"updated_at\":1763629200123456}}}";
    SourceRecord record =
        SourceRecord.ofText(
            SourceTable.LEARNER_PROGRESS.defaultTopic(), 0, 1, KAFKA_TS, null, value);
    assertEquals(
        1763629200123L,
        decoder
            .decode(record, SourceTable.LEARNER_PROGRESS)
            .getRow()
            .get("updated_at")
            .longValue());
  }

  @Test
  void schemaMayFollowThePayloadAndNeedNotBeAnObject() throws Exception {
    String value =
        "{\"payload\":{\"op\":\"c\",\"source\":{\"lsn\":1},\"after\":{\"progress_pct\":\"AQ==\"}},"
            + "\"schema\":{\"type\":\"struct\",\"fields\":[{\"field\":\"after\",\"fields\":"
            + "[{\"field\":\"progress_pct\",\"name\":\"org.apache.kafka.connect.data.Decimal\","
            + "\"parameters\":{\"scale\":\"1\"}}]}]}}";
    SourceRecord record =
        SourceRecord.ofText(
            SourceTable.LEARNER_PROGRESS.defaultTopic(), 0, 1, KAFKA_TS, null, value);
    assertEquals(
        new BigDecimal("0.1"),
        decoder
            .decode(record, SourceTable.LEARNER_PROGRESS)
            .getRow()
            .get("progress_pct")
            .decimalValue());
    String arraySchema = "{\"schema\":[1,[2]],\"payload\":{\"op\":\"d\",\"source\":{\"lsn\":1}}}";
    SourceRecord withArray =
        SourceRecord.ofText(
            SourceTable.LEARNER_PROGRESS.defaultTopic(), 0, 1, KAFKA_TS, null, arraySchema);
    assertEquals(Op.DELETE, decoder.decode(withArray, SourceTable.LEARNER_PROGRESS).getOp());
  }

  @Test
  void createWithoutAfterIsMissingField() {
    assertEquals(
        ReasonCode.MISSING_FIELD,
        reasonOf(
            "{\"op\":\"c\",\"source\":{\"lsn\":1},\"after\":null}", SourceTable.LEARNER_PROGRESS));
  }

  @Test
  void envelopeFaults() {
    SourceTable table = SourceTable.LEARNER_PROGRESS;
    assertEquals(ReasonCode.NOT_AN_ENVELOPE, reasonOf("{\"source\":{},\"after\":{}}", table));
    assertEquals(ReasonCode.NOT_AN_ENVELOPE, reasonOf("{\"op\":\"c\",\"after\":{}}", table));
    assertEquals(ReasonCode.NOT_AN_ENVELOPE, reasonOf("{\"op\":\"c\",\"source\":\"pg\"}", table));
    assertEquals(ReasonCode.NOT_AN_ENVELOPE, reasonOf("{\"schema\":{},\"payload\":42}", table));
    assertEquals(ReasonCode.UNKNOWN_OP, reasonOf("{\"op\":\"x\",\"source\":{}}", table));
    assertEquals(ReasonCode.UNKNOWN_OP, reasonOf("{\"op\":5,\"source\":{}}", table));
    assertEquals(ReasonCode.UNKNOWN_OP, reasonOf("{\"op\":\"\",\"source\":{}}", table));
  }

  @Test
  void malformedValues() {
    SourceTable table = SourceTable.LEARNER_PROGRESS;
    String valid = progress(ADA, SQL_101, "10", "in_progress", at(0)).withSchemas().json();
    assertEquals(ReasonCode.MALFORMED, reasonOf(valid.substring(0, valid.length() / 2), table));
    assertEquals(ReasonCode.MALFORMED, reasonOf(valid + "}", table));
    assertEquals(ReasonCode.MALFORMED, reasonOf("", table));
    assertEquals(ReasonCode.MALFORMED, reasonOf("[1,2]", table));
    assertEquals(ReasonCode.MALFORMED, reasonOf("\"just a string\"", table));
    assertEquals(ReasonCode.MALFORMED, reasonOf("not json at all", table));
    assertEquals(
        ReasonCode.MALFORMED, reasonOf("{\"op\":\"c\",\"source\":{},\"after\":17}", table));
  }

  @Test
  void randomBytesAreMalformed() {
    Random random = new Random(7);
    for (int i = 0; i < 200; i++) {
      byte[] bytes = new byte[1 + random.nextInt(300)];
      random.nextBytes(bytes);
      SourceRecord record =
          SourceRecord.create(
              SourceTable.COURSE_INTERACTIONS.defaultTopic(), 0, i, KAFKA_TS, null, bytes);
      assertEquals(ReasonCode.MALFORMED, reasonOf(record, SourceTable.COURSE_INTERACTIONS));
    }
  }

  @Test
  void aMegabyteOfGarbageIsMalformed() {
    byte[] bytes = new byte[1 << 20];
    java.util.Arrays.fill(bytes, (byte) '{');
    SourceRecord record =
        SourceRecord.create(
            SourceTable.LEARNER_PROGRESS.defaultTopic(), 0, 1, KAFKA_TS, null, bytes);
    assertEquals(ReasonCode.MALFORMED, reasonOf(record, SourceTable.LEARNER_PROGRESS));
  }

  @Test
  void aMegabyteStringFieldStillDecodes() throws Exception {
    String title = "x".repeat(1 << 20);
    ChangeJson course =
        dev.learnerpulse.testing.Fixtures.course("C-big", "acme", "70.00").set("title", title);
    ChangeEnvelope envelope = decoder.decode(course.record(1, KAFKA_TS), SourceTable.COURSES);
    assertEquals(title.length(), envelope.getRow().get("title").textValue().length());
  }

  @Test
  void deeplyNestedJsonIsMalformed() {
    String nested = "[".repeat(100_000) + "]".repeat(100_000);
    String value = "{\"op\":\"c\",\"source\":{},\"after\":" + nested + "}";
    assertEquals(ReasonCode.MALFORMED, reasonOf(value, SourceTable.LEARNER_PROGRESS));
  }

  @Test
  void invalidUtf8IsMalformed() {
    byte[] bytes =
        "{\"op\":\"c\",\"source\":{},\"after\":{\"learner_id\":\"\u00e9\"}}"
            .getBytes(StandardCharsets.ISO_8859_1);
    SourceRecord record =
        SourceRecord.create(
            SourceTable.LEARNER_PROGRESS.defaultTopic(), 0, 1, KAFKA_TS, null, bytes);
    assertEquals(ReasonCode.MALFORMED, reasonOf(record, SourceTable.LEARNER_PROGRESS));
  }
}
