package dev.learnerpulse.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.learnerpulse.decode.DebeziumJsonDecoder;
import dev.learnerpulse.model.ChangeEnvelope;
import dev.learnerpulse.model.InvalidRecordException;
import dev.learnerpulse.model.SourceRecord;
import dev.learnerpulse.model.SourceTable;
import dev.learnerpulse.model.Topics;
import dev.learnerpulse.testing.DebeziumAvro;
import dev.learnerpulse.testing.SchemaRegistryServer;
import java.io.IOException;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.Schema;

/**
 * The same records as Debezium's AvroConverter would have written them: every record the JSON
 * decoder reads as an envelope is re-encoded in the Confluent wire format with {@link
 * DebeziumAvro}'s schema of its table (registered in the given registry), the same op, source
 * block, {@code ts_ms} and row; tombstones and the records the JSON decoder refuses stay as they
 * are (under the {@code auto} format they still go through the JSON decoder), so the outcomes of
 * the mix stay the same.
 */
final class AvroMix {
  private static final ObjectMapper JSON = new ObjectMapper();

  final SourceRecord[] records;
  final int converted;

  private AvroMix(SourceRecord[] records, int converted) {
    this.records = records;
    this.converted = converted;
  }

  static AvroMix of(SourceRecord[] jsonRecords, SchemaRegistryServer registry) {
    Topics topics = Topics.defaults();
    DebeziumJsonDecoder decoder = new DebeziumJsonDecoder();
    Map<SourceTable, Integer> ids = new EnumMap<>(SourceTable.class);
    Map<SourceTable, Schema> schemas = new EnumMap<>(SourceTable.class);
    SourceRecord[] out = new SourceRecord[jsonRecords.length];
    int converted = 0;
    for (int i = 0; i < jsonRecords.length; i++) {
      SourceRecord record = jsonRecords[i];
      out[i] = record;
      SourceTable table = topics.table(record.getTopic());
      if (table == null || record.getValue() == null) {
        continue;
      }
      try {
        ChangeEnvelope envelope = decoder.decode(record, table);
        if (envelope.isTombstone()) {
          continue;
        }
        DebeziumAvro shape = DebeziumAvro.of(table);
        Schema schema = schemas.computeIfAbsent(table, t -> shape.schema());
        int id = ids.computeIfAbsent(table, t -> registry.register(schema));
        JsonNode value = JSON.readTree(record.getValue());
        JsonNode payload =
            value.has("schema") && value.has("payload") ? value.get("payload") : value;
        Object after;
        if (envelope.getRow() == null) {
          after = null;
        } else if (table == SourceTable.ASSESSMENT_EVENTS) {
          after = payload.get("after").textValue();
        } else {
          after = javaValues(envelope.getRow());
        }
        byte[] avro =
            DebeziumAvro.wire(
                id,
                schema,
                shape.envelope(
                    payload.get("op").textValue(),
                    (ObjectNode) payload.get("source"),
                    payload.path("ts_ms").asLong(),
                    after,
                    schema));
        out[i] =
            SourceRecord.create(
                record.getTopic(),
                record.getPartition(),
                record.getOffset(),
                record.getTimestamp(),
                record.getKey(),
                avro);
        converted++;
      } catch (InvalidRecordException | IOException | RuntimeException e) {
        // Refused by the JSON decoder, or a value Avro's schema cannot hold: kept as JSON.
      }
    }
    return new AvroMix(out, converted);
  }

  private static Map<String, Object> javaValues(ObjectNode row) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = row.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      JsonNode node = field.getValue();
      Object value;
      if (node.isNull()) {
        value = null;
      } else if (node.isIntegralNumber()) {
        value = node.longValue();
      } else if (node.isNumber()) {
        value = node.decimalValue();
      } else if (node.isTextual()) {
        value = node.textValue();
      } else if (node.isBoolean()) {
        value = node.booleanValue();
      } else {
        throw new IllegalArgumentException(field.getKey() + " is " + node);
      }
      values.put(field.getKey(), value);
    }
    return values;
  }
}
