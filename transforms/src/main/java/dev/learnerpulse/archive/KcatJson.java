package dev.learnerpulse.archive;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.learnerpulse.model.InvalidRecordException;
import dev.learnerpulse.model.ReasonCode;
import dev.learnerpulse.model.RowJson;
import dev.learnerpulse.model.SourceRecord;
import dev.learnerpulse.model.Utf8Text;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * The archived-topic format of docs/contract.md §1.8: one JSON object per line as {@code kcat -C
 * -J} writes it, {@code {"topic":…,"partition":0,"offset":42,"tstype":"create","ts":…,"key":…,
 * "payload":…}}, where {@code key} and {@code payload} are the record's key and value as text (null
 * for none, so a null payload is a tombstone).
 *
 * <p>Binary values, such as Avro in the Confluent wire format, cannot be JSON text without loss
 * (kcat itself writes such bytes as they are, which is not valid JSON text). A dump carries them as
 * base64, marked by {@code "payload_encoding":"base64"} next to {@code payload} (and {@code
 * "key_encoding":"base64"} next to {@code key}):
 *
 * <pre>{@code
 * {"topic":"lxp.public.learner_progress","partition":0,"offset":7,"tstype":"create",
 *  "ts":1763629201000,"key":"{\"learner_id\":\"L001\"}","payload":"AAAAAAE…",
 *  "payload_encoding":"base64"}
 * }</pre>
 *
 * An absent encoding, or {@code "text"}, means text, so every plain kcat dump stays valid. {@link
 * #format(String, int, long, long, byte[], byte[])} writes base64 exactly when the bytes are not
 * plain text ({@link Utf8Text#isText}); any other encoding, or base64 that does not decode, makes
 * the line {@code MALFORMED}.
 */
public final class KcatJson {
  private static final ObjectMapper JSON = RowJson.reader();
  private static final String ENCODING_SUFFIX = "_encoding";
  private static final String BASE64 = "base64";
  private static final String TEXT = "text";

  /** The fields {@link #parseWellFormed} reads, by bit number. */
  private static final List<String> FIELDS =
      List.of(
          "topic",
          "partition",
          "offset",
          "ts",
          "key",
          "payload",
          "key" + ENCODING_SUFFIX,
          "payload" + ENCODING_SUFFIX);

  private KcatJson() {}

  /** Parses one line of a dump. */
  public static SourceRecord parse(String line) throws InvalidRecordException {
    return parse(line.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Parses one line of a dump from its bytes, which must be UTF-8: an invalid byte makes the line
   * {@code MALFORMED} instead of a U+FFFD inside an id.
   */
  public static SourceRecord parse(byte[] line) throws InvalidRecordException {
    SourceRecord record = parseWellFormed(line);
    return record != null ? record : parseTree(line);
  }

  /**
   * The record of a line in the shape kcat writes (string topic, whole numbers within range, string
   * or null key and value, known encodings, no repeated field), read with Jackson's streaming
   * parser; null for anything else, which {@link #parseTree} then reads or refuses with its reason.
   * Building a tree of each line cost about a sixth of a backfill's CPU.
   */
  static @Nullable SourceRecord parseWellFormed(byte[] line) {
    String topic = null;
    String key = null;
    String payload = null;
    String keyEncoding = null;
    String payloadEncoding = null;
    long partition = -1;
    long offset = -1;
    long ts = 0;
    int seen = 0;
    try (JsonParser parser = JSON.getFactory().createParser(line)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      for (JsonToken token = parser.nextToken();
          token != JsonToken.END_OBJECT;
          token = parser.nextToken()) {
        if (token != JsonToken.FIELD_NAME) {
          return null;
        }
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        int bit = FIELDS.indexOf(field);
        if (bit >= 0) {
          if ((seen & (1 << bit)) != 0) {
            return null;
          }
          seen |= 1 << bit;
        }
        switch (bit) {
          case 0: // topic
            if (value != JsonToken.VALUE_STRING) {
              return null;
            }
            topic = parser.getText();
            break;
          case 1: // partition
          case 2: // offset
          case 3: // ts
            if (value != JsonToken.VALUE_NUMBER_INT
                || parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
              return null;
            }
            long number = parser.getLongValue();
            if (bit == 1) {
              partition = number;
            } else if (bit == 2) {
              offset = number;
            } else {
              ts = number;
            }
            break;
          case 4: // key
          case 5: // payload
          case 6: // key_encoding
          case 7: // payload_encoding
            if (value != JsonToken.VALUE_STRING && value != JsonToken.VALUE_NULL) {
              return null;
            }
            String text = value == JsonToken.VALUE_NULL ? null : parser.getText();
            if (bit == 4) {
              key = text;
            } else if (bit == 5) {
              payload = text;
            } else if (bit == 6) {
              keyEncoding = text;
            } else {
              payloadEncoding = text;
            }
            break;
          default:
            // Nested values go to the tree path; a string is decoded so that bad UTF-8 is seen.
            if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
              return null;
            }
            parser.getText();
        }
      }
      if (parser.nextToken() != null) {
        return null;
      }
    } catch (IOException | RuntimeException e) {
      return null;
    }
    int required = 0b101111; // topic, partition, offset, ts, payload
    if ((seen & required) != required
        || partition > Integer.MAX_VALUE
        || partition < 0
        || offset < 0) {
      return null;
    }
    byte[] keyBytes = decode(key, keyEncoding);
    byte[] payloadBytes = decode(payload, payloadEncoding);
    if ((key != null && keyBytes == null) || (payload != null && payloadBytes == null)) {
      return null;
    }
    return SourceRecord.create(
        topic, (int) partition, offset, new Instant(ts), keyBytes, payloadBytes);
  }

  /** The bytes of a text value per its encoding; null when it is null or cannot be decoded. */
  private static byte @Nullable [] decode(@Nullable String text, @Nullable String encoding) {
    if (text == null) {
      return null;
    }
    if (encoding == null || encoding.equals(TEXT)) {
      return text.getBytes(StandardCharsets.UTF_8);
    }
    if (!encoding.equals(BASE64)) {
      return null;
    }
    try {
      return Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Reads a line as a tree: every line that is not in kcat's own shape, with the reason why. */
  static SourceRecord parseTree(byte[] line) throws InvalidRecordException {
    JsonNode node;
    try {
      node = JSON.readTree(line);
    } catch (IOException e) {
      throw new InvalidRecordException(
          ReasonCode.MALFORMED,
          "archive line is not JSON: "
              + (e instanceof JsonProcessingException
                  ? ((JsonProcessingException) e).getOriginalMessage()
                  : e.getMessage()));
    }
    if (node == null || !node.isObject()) {
      throw new InvalidRecordException(ReasonCode.MALFORMED, "archive line is not a JSON object");
    }
    JsonNode topic = node.get("topic");
    if (topic == null || !topic.isTextual()) {
      throw new InvalidRecordException(ReasonCode.MALFORMED, "archive line has no topic string");
    }
    if (!node.has("payload")) {
      // kcat writes "payload": null for a tombstone; a line without the key is cut or forged.
      throw new InvalidRecordException(
          ReasonCode.MALFORMED,
          "archive line has no payload field (a tombstone has \"payload\":null)");
    }
    return SourceRecord.create(
        topic.textValue(),
        (int) whole(node, "partition", Integer.MAX_VALUE),
        whole(node, "offset", Long.MAX_VALUE),
        new Instant(whole(node, "ts", Long.MAX_VALUE, Long.MIN_VALUE)),
        bytes(node, "key"),
        bytes(node, "payload"));
  }

  /** A whole number field in 0..max; beyond a long it would wrap, so it is refused instead. */
  private static long whole(JsonNode line, String field, long max) throws InvalidRecordException {
    return whole(line, field, max, 0);
  }

  private static long whole(JsonNode line, String field, long max, long min)
      throws InvalidRecordException {
    JsonNode value = line.get(field);
    if (value == null || !value.isIntegralNumber()) {
      throw new InvalidRecordException(
          ReasonCode.MALFORMED, "archive line's " + field + " is not a whole number");
    }
    if (!value.canConvertToLong() || value.longValue() < min || value.longValue() > max) {
      throw new InvalidRecordException(
          ReasonCode.MALFORMED,
          "archive line's "
              + field
              + " "
              + InvalidRecordException.abbreviate(value.asText())
              + " is outside "
              + min
              + ".."
              + max);
    }
    return value.longValue();
  }

  /**
   * Renders a record with raw key and value bytes as one dump line: text as kcat writes it, binary
   * as base64 with its {@code _encoding} field.
   */
  public static String format(
      String topic,
      int partition,
      long offset,
      long timestampMillis,
      byte @Nullable [] key,
      byte @Nullable [] payload) {
    ObjectNode node = header(topic, partition, offset, timestampMillis);
    put(node, "key", key);
    put(node, "payload", payload);
    return write(node);
  }

  /** Renders a record as one dump line (text key and value, as kcat does). */
  public static String format(
      String topic,
      int partition,
      long offset,
      long timestampMillis,
      @Nullable String key,
      @Nullable String payload) {
    ObjectNode node = header(topic, partition, offset, timestampMillis);
    node.put("key", key);
    node.put("payload", payload);
    return write(node);
  }

  private static ObjectNode header(String topic, int partition, long offset, long timestampMillis) {
    ObjectNode node = JSON.createObjectNode();
    node.put("topic", topic);
    node.put("partition", partition);
    node.put("offset", offset);
    node.put("tstype", "create");
    node.put("ts", timestampMillis);
    return node;
  }

  private static void put(ObjectNode node, String field, byte @Nullable [] bytes) {
    if (bytes == null || Utf8Text.isText(bytes)) {
      node.put(field, bytes == null ? null : new String(bytes, StandardCharsets.UTF_8));
    } else {
      node.put(field, Base64.getEncoder().encodeToString(bytes));
      node.put(field + ENCODING_SUFFIX, BASE64);
    }
  }

  private static String write(ObjectNode node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The bytes of {@code field}, decoded per its {@code _encoding} field. */
  private static byte @Nullable [] bytes(JsonNode line, String field)
      throws InvalidRecordException {
    JsonNode node = line.get(field);
    JsonNode encoding = line.get(field + ENCODING_SUFFIX);
    String how = encoding == null || encoding.isNull() ? TEXT : encoding.asText();
    if (node == null || node.isNull()) {
      return null;
    }
    String text = node.isTextual() ? node.textValue() : node.toString();
    if (how.equals(TEXT)) {
      return text.getBytes(StandardCharsets.UTF_8);
    }
    if (!how.equals(BASE64) || !node.isTextual()) {
      throw new InvalidRecordException(
          ReasonCode.MALFORMED,
          "archive line has "
              + field
              + ENCODING_SUFFIX
              + " "
              + encoding
              + "; only \"base64\" (with a string) and \"text\" are known");
    }
    try {
      return Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw new InvalidRecordException(
          ReasonCode.MALFORMED, "archive line's " + field + " is not base64: " + e.getMessage());
    }
  }
}
