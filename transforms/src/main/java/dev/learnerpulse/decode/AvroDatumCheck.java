package dev.learnerpulse.decode;

import dev.learnerpulse.model.InvalidRecordException;
import dev.learnerpulse.model.ReasonCode;
import java.io.EOFException;
import java.io.IOException;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;

/**
 * Walks Avro binary data against its writer schema without building anything, and refuses it
 * ({@code MALFORMED}) unless it is exactly one datum of that schema: every string, bytes, array and
 * map length fits in the bytes that are left, every union and enum index is in range, nesting is
 * bounded, and no byte is left over.
 *
 * <p>Avro 1.11's {@code BinaryDecoder} allocates whatever length a corrupt varint claims before it
 * reads the bytes, so one damaged record can throw {@code OutOfMemoryError} on a worker (a 1.5 GB
 * string from 8 bytes of input, checked). Decoding only what passed this walk rules that out.
 */
final class AvroDatumCheck {
  private static final int MAX_DEPTH = 64;

  /** Items that take no bytes (null, empty records): a count this large is corrupt data. */
  private static final long MAX_EMPTY_ITEMS = 1 << 16;

  private static final Schema STRING = Schema.create(Schema.Type.STRING);

  private AvroDatumCheck() {}

  static void check(Schema schema, byte[] data, int offset, BinaryDecoder reuse)
      throws InvalidRecordException {
    BinaryDecoder in =
        DecoderFactory.get().binaryDecoder(data, offset, data.length - offset, reuse);
    try {
      skip(schema, in, 0);
      if (!in.isEnd()) {
        throw malformed(in.inputStream().available() + " bytes left after the Avro datum");
      }
    } catch (EOFException e) {
      throw malformed("Avro data is truncated");
    } catch (IOException | AvroRuntimeException e) {
      throw malformed("Avro data does not match its schema: " + e.getMessage());
    }
  }

  private static void skip(Schema schema, BinaryDecoder in, int depth)
      throws IOException, InvalidRecordException {
    if (depth > MAX_DEPTH) {
      throw malformed("Avro data nested more than " + MAX_DEPTH + " levels");
    }
    switch (schema.getType()) {
      case NULL:
        return;
      case BOOLEAN:
        in.readBoolean();
        return;
      case INT:
        in.readInt();
        return;
      case LONG:
        in.readLong();
        return;
      case FLOAT:
        in.readFloat();
        return;
      case DOUBLE:
        in.readDouble();
        return;
      case STRING:
      case BYTES:
        {
          long length = in.readLong();
          if (length < 0 || length > in.inputStream().available()) {
            throw malformed(
                "Avro "
                    + schema.getType().getName()
                    + " of "
                    + length
                    + " bytes with "
                    + in.inputStream().available()
                    + " left");
          }
          in.skipFixed((int) length);
          return;
        }
      case FIXED:
        in.skipFixed(schema.getFixedSize());
        return;
      case ENUM:
        index(in.readEnum(), schema.getEnumSymbols().size(), "enum");
        return;
      case UNION:
        skip(
            schema.getTypes().get(index(in.readIndex(), schema.getTypes().size(), "union")),
            in,
            depth + 1);
        return;
      case RECORD:
        for (Schema.Field field : schema.getFields()) {
          skip(field.schema(), in, depth + 1);
        }
        return;
      case ARRAY:
        for (long n = in.readArrayStart(); n != 0; n = in.arrayNext()) {
          count(n, schema.getElementType(), in);
          for (long i = 0; i < n; i++) {
            skip(schema.getElementType(), in, depth + 1);
          }
        }
        return;
      case MAP:
        for (long n = in.readMapStart(); n != 0; n = in.mapNext()) {
          count(n, schema.getValueType(), in);
          for (long i = 0; i < n; i++) {
            skip(STRING, in, depth + 1);
            skip(schema.getValueType(), in, depth + 1);
          }
        }
        return;
      default:
        throw malformed("unsupported Avro type " + schema.getType());
    }
  }

  private static void count(long n, Schema items, BinaryDecoder in)
      throws IOException, InvalidRecordException {
    long limit = takesBytes(items, 0) ? in.inputStream().available() : MAX_EMPTY_ITEMS;
    if (n < 0 || n > limit) {
      throw malformed(
          "Avro block of " + n + " items with " + in.inputStream().available() + " bytes left");
    }
  }

  private static boolean takesBytes(Schema schema, int depth) {
    if (depth > MAX_DEPTH) {
      return true;
    }
    switch (schema.getType()) {
      case NULL:
        return false;
      case RECORD:
        return schema.getFields().stream().anyMatch(field -> takesBytes(field.schema(), depth + 1));
      case FIXED:
        return schema.getFixedSize() > 0;
      default:
        return true;
    }
  }

  private static int index(int index, int size, String what) throws InvalidRecordException {
    if (index < 0 || index >= size) {
      throw malformed("Avro " + what + " index " + index + " out of 0.." + (size - 1));
    }
    return index;
  }

  private static InvalidRecordException malformed(String detail) {
    return new InvalidRecordException(ReasonCode.MALFORMED, detail);
  }
}
