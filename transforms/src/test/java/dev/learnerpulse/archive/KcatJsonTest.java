package dev.learnerpulse.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.learnerpulse.model.InvalidRecordException;
import dev.learnerpulse.model.ReasonCode;
import dev.learnerpulse.model.SourceRecord;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class KcatJsonTest {
  private static final byte[] AVRO = {0, 0, 0, 0, 7, 2, 'c', (byte) 0xc6, 0x11};

  @Test
  void binaryValuesAndKeysRoundTripAsBase64() throws Exception {
    String line = KcatJson.format("t", 1, 42, 1763629200000L, AVRO, AVRO);
    assertTrue(line.contains("\"payload_encoding\":\"base64\""), line);
    assertTrue(line.contains("\"key_encoding\":\"base64\""), line);
    SourceRecord record = KcatJson.parse(line);
    assertArrayEquals(AVRO, record.getValue());
    assertArrayEquals(AVRO, record.getKey());
    assertEquals(42, record.getOffset());
  }

  @Test
  void textStaysTextAsKcatWritesIt() throws Exception {
    byte[] json = "{\"op\":\"c\"}".getBytes(StandardCharsets.UTF_8);
    String line = KcatJson.format("t", 0, 1, 5L, null, json);
    assertFalse(line.contains("_encoding"), line);
    assertEquals(KcatJson.format("t", 0, 1, 5L, (String) null, "{\"op\":\"c\"}"), line);
    SourceRecord record = KcatJson.parse(line);
    assertArrayEquals(json, record.getValue());
    assertNull(record.getKey());
    String tombstone = KcatJson.format("t", 0, 2, 5L, (byte[]) null, (byte[]) null);
    assertNull(KcatJson.parse(tombstone).getValue());
    String explicitText =
        "{\"topic\":\"t\",\"partition\":0,\"offset\":3,\"ts\":5,\"key\":null,"
            + "\"payload\":\"{}\",\"payload_encoding\":\"text\"}";
    assertArrayEquals(
        "{}".getBytes(StandardCharsets.UTF_8), KcatJson.parse(explicitText).getValue());
  }

  @Test
  void unknownEncodingsAndBadBase64AreMalformed() {
    String head = "{\"topic\":\"t\",\"partition\":0,\"offset\":3,\"ts\":5,\"key\":null,";
    for (String tail :
        new String[] {
          "\"payload\":\"AAAA\",\"payload_encoding\":\"hex\"}",
          "\"payload\":\"not base64!\",\"payload_encoding\":\"base64\"}",
          "\"payload\":{\"a\":1},\"payload_encoding\":\"base64\"}"
        }) {
      InvalidRecordException e =
          assertThrows(InvalidRecordException.class, () -> KcatJson.parse(head + tail));
      assertEquals(ReasonCode.MALFORMED, e.reason(), tail);
    }
  }

  private static ReasonCode reasonOf(byte[] line) {
    return assertThrows(InvalidRecordException.class, () -> KcatJson.parse(line)).reason();
  }

  private static String detailOf(String line) {
    return assertThrows(InvalidRecordException.class, () -> KcatJson.parse(line)).detail();
  }

  @Test
  void aLineWithoutPayloadIsMalformedNotATombstone() {
    // Issue 13, item 3: such a line deleted a learner from the reference data.
    assertEquals(
        "archive line has no payload field (a tombstone has \"payload\":null)",
        detailOf(
            "{\"topic\":\"lxp.public.learners\",\"partition\":0,\"offset\":3,\"ts\":5,"
                + "\"key\":\"{\\\"learner_id\\\":\\\"L001\\\"}\"}"));
  }

  @Test
  void numbersBeyondALongAreMalformedNotWrapped() {
    // Issue 13, item 5: longValue() wrapped 2^63 to -2^63.
    String head = "{\"topic\":\"t\",\"partition\":0,\"key\":null,\"payload\":null,";
    assertEquals(
        "archive line's ts 9223372036854775808 is outside -9223372036854775808..9223372036854775807",
        detailOf(head + "\"offset\":1,\"ts\":9223372036854775808}"));
    assertEquals(
        "archive line's offset 9223372036854775808 is outside 0..9223372036854775807",
        detailOf(head + "\"offset\":9223372036854775808,\"ts\":5}"));
    assertEquals(
        "archive line's offset -1 is outside 0..9223372036854775807",
        detailOf(head + "\"offset\":-1,\"ts\":5}"));
    assertEquals(
        "archive line's partition is not a whole number",
        detailOf("{\"topic\":\"t\",\"partition\":1.5,\"offset\":1,\"ts\":5,\"payload\":null}"));
  }

  @Test
  void invalidUtf8IsMalformedNotReplaced() {
    byte[] line =
        "{\"topic\":\"t\",\"partition\":0,\"offset\":1,\"ts\":5,\"key\":\"L\u00ff\",\"payload\":null}"
            .getBytes(StandardCharsets.ISO_8859_1);
    assertEquals(ReasonCode.MALFORMED, reasonOf(line));
  }

  /** Issue 17: the streaming fast path reads every line exactly as the tree path does. */
  @Test
  void theFastPathAgreesWithTheTreePathOnEveryShapeOfLine() {
    String h = "{\"topic\":\"t\",\"partition\":1,\"offset\":3,\"tstype\":\"create\",\"ts\":5,";
    String[] lines = {
      KcatJson.format("t", 2, 9, 7L, "k", "{\"op\":\"c\"}"),
      KcatJson.format("t", 2, 9, 7L, AVRO, AVRO),
      h + "\"key\":null,\"payload\":null}",
      h + "\"payload\":\"v\"}",
      h + "\"key\":null,\"key_encoding\":\"hex\",\"payload\":\"v\"}",
      h + "\"payload\":\"v\",\"payload_encoding\":null}",
      h + "\"payload\":\"v\",\"extra\":{\"a\":[1,2]}}",
      h + "\"payload\":\"v\",\"topic\":\"u\"}",
      h + "\"payload\":\"v\"} trailing",
      h + "\"payload\":{\"op\":\"c\"}}",
      h + "\"payload\":7}",
      h + "\"payload\":\"v\",\"partition\":2147483648}",
      "{\"topic\":\"t\",\"partition\":0,\"offset\":1,\"ts\":-5,\"payload\":\"v\"}",
      "{\"topic\":\"t\",\"partition\":0,\"offset\":1,\"ts\":5,\"payload\":\"v\"",
      "[1]",
      "\"t\"",
    };
    for (int i = 0; i < 6; i++) {
      // kcat's own shapes take the fast path; the rest of the list is for the tree path.
      assertNotNull(KcatJson.parseWellFormed(lines[i].getBytes(StandardCharsets.UTF_8)), lines[i]);
    }
    for (String line : lines) {
      byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
      assertEquals(
          outcome(() -> KcatJson.parseTree(bytes)), outcome(() -> KcatJson.parse(bytes)), line);
    }
    byte[] badTstype =
        (h + "\"payload\":\"v\"}")
            .replace("create", "cr\u00e9ate")
            .getBytes(StandardCharsets.ISO_8859_1);
    assertEquals(ReasonCode.MALFORMED, reasonOf(badTstype));
  }

  private interface Parse {
    SourceRecord get() throws InvalidRecordException;
  }

  private static String outcome(Parse parse) {
    try {
      SourceRecord r = parse.get();
      return r.getTopic()
          + "/"
          + r.getPartition()
          + "@"
          + r.getOffset()
          + " "
          + r.getTimestamp()
          + " "
          + java.util.Arrays.toString(r.getKey())
          + " "
          + java.util.Arrays.toString(r.getValue());
    } catch (InvalidRecordException e) {
      return e.reason() + ": " + e.detail();
    }
  }
}
