package dev.learnerpulse.decode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.learnerpulse.model.InvalidRecordException;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Avro values as Debezium's AvroConverter writes them, turned into the plain JSON a decoded row
 * holds, the same as {@link DebeziumJsonDecoder} makes of JsonConverter's output: {@code Decimal}
 * bytes (logical type {@code decimal}, or Connect's {@code connect.parameters.scale}) and {@code
 * VariableScaleDecimal} structs become numbers, {@code MicroTimestamp} and {@code NanoTimestamp}
 * become epoch milliseconds, {@code ZonedTimestamp} strings and {@code Timestamp} millis stay as
 * they are, other bytes become base64 text as JsonConverter writes them. Records are read field by
 * field by name from the writer schema.
 */
final class AvroValues {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String CONNECT_NAME = "connect.name";

  private AvroValues() {}

  static JsonNode toJson(@Nullable Object value, Schema schema) throws InvalidRecordException {
    if (value == null) {
      return NullNode.getInstance();
    }
    switch (schema.getType()) {
      case UNION:
        return toJson(value, branch(value, schema));
      case RECORD:
        return record((GenericRecord) value, schema);
      case STRING:
        return TextNode.valueOf(value.toString());
      case INT:
        return IntNode.valueOf(((Number) value).intValue());
      case LONG:
        return timestamp(((Number) value).longValue(), schema);
      case FLOAT:
      case DOUBLE:
        return DoubleNode.valueOf(((Number) value).doubleValue());
      case BOOLEAN:
        return BooleanNode.valueOf((Boolean) value);
      case ENUM:
        return TextNode.valueOf(((GenericEnumSymbol<?>) value).toString());
      case BYTES:
        return bytes(bytesOf((ByteBuffer) value), schema);
      case FIXED:
        return bytes(((GenericFixed) value).bytes(), schema);
      case ARRAY:
        {
          ArrayNode array = NODES.arrayNode();
          for (Object item : (Collection<?>) value) {
            array.add(toJson(item, schema.getElementType()));
          }
          return array;
        }
      case MAP:
        {
          ObjectNode map = NODES.objectNode();
          for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
            map.set(entry.getKey().toString(), toJson(entry.getValue(), schema.getValueType()));
          }
          return map;
        }
      case NULL:
      default:
        return NullNode.getInstance();
    }
  }

  /** The record's fields by name; a {@code VariableScaleDecimal} struct is its number. */
  static JsonNode record(GenericRecord record, Schema schema) throws InvalidRecordException {
    if ("io.debezium.data.VariableScaleDecimal".equals(schema.getProp(CONNECT_NAME))
        && record.get("value") instanceof ByteBuffer
        && record.get("scale") instanceof Integer) {
      return DecimalNode.valueOf(
          Decimals.fromUnscaled(
              schema.getName(),
              bytesOf((ByteBuffer) record.get("value")),
              (Integer) record.get("scale")));
    }
    ObjectNode object = NODES.objectNode();
    for (Schema.Field field : schema.getFields()) {
      object.set(field.name(), toJson(record.get(field.name()), field.schema()));
    }
    return object;
  }

  private static Schema branch(Object value, Schema union) {
    List<Schema> types = union.getTypes();
    if (types.size() == 2 && types.get(0).getType() == Schema.Type.NULL) {
      return types.get(1);
    }
    if (types.size() == 2 && types.get(1).getType() == Schema.Type.NULL) {
      return types.get(0);
    }
    return types.get(GenericData.get().resolveUnion(union, value));
  }

  private static JsonNode timestamp(long value, Schema schema) {
    String connectName = schema.getProp(CONNECT_NAME);
    LogicalType logical = schema.getLogicalType();
    if ("io.debezium.time.MicroTimestamp".equals(connectName)
        || logical instanceof LogicalTypes.TimestampMicros) {
      return LongNode.valueOf(value / 1_000L);
    }
    if ("io.debezium.time.NanoTimestamp".equals(connectName)) {
      return LongNode.valueOf(value / 1_000_000L);
    }
    return LongNode.valueOf(value);
  }

  private static JsonNode bytes(byte[] bytes, Schema schema) throws InvalidRecordException {
    Integer scale = decimalScale(schema);
    if (scale != null && bytes.length > 0) {
      return DecimalNode.valueOf(Decimals.fromUnscaled("decimal", bytes, scale));
    }
    return TextNode.valueOf(Base64.getEncoder().encodeToString(bytes));
  }

  /** The scale of a decimal, from the Avro logical type or from Connect's parameters. */
  private static @Nullable Integer decimalScale(Schema schema) {
    if (schema.getLogicalType() instanceof LogicalTypes.Decimal) {
      return ((LogicalTypes.Decimal) schema.getLogicalType()).getScale();
    }
    if ("org.apache.kafka.connect.data.Decimal".equals(schema.getProp(CONNECT_NAME))) {
      Object parameters = schema.getObjectProp("connect.parameters");
      if (parameters instanceof Map && ((Map<?, ?>) parameters).get("scale") != null) {
        try {
          return Integer.valueOf(((Map<?, ?>) parameters).get("scale").toString());
        } catch (NumberFormatException e) {
          return null;
        }
      }
    }
    return null;
  }

  private static byte[] bytesOf(ByteBuffer buffer) {
    ByteBuffer view = buffer.duplicate();
    byte[] bytes = new byte[view.remaining()];
    view.get(bytes);
    return bytes;
  }
}
