package dev.learnerpulse.model;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.InstantCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

/** Encodes a {@link ChangeEnvelope}, its row as JSON text. */
public final class ChangeEnvelopeCoder extends CustomCoder<ChangeEnvelope> {
  private static final long serialVersionUID = 1L;
  /**
   * Reads fractions back as decimals with their digits as written (11.0 stays 11.0): a row's
   * numbers leave the coder as they came in.
   */
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));
  private static final Coder<String> STRING = StringUtf8Coder.of();
  private static final Coder<String> NULLABLE_STRING = NullableCoder.of(StringUtf8Coder.of());
  private static final Coder<byte[]> NULLABLE_BYTES = NullableCoder.of(ByteArrayCoder.of());
  private static final Coder<Long> NULLABLE_LONG = NullableCoder.of(VarLongCoder.of());
  private static final Coder<Integer> INT = VarIntCoder.of();
  private static final Coder<Long> LONG = VarLongCoder.of();
  private static final List<Op> OPS = List.of(Op.values());
  private static final List<SourceTable> TABLES = List.of(SourceTable.values());

  public static ChangeEnvelopeCoder of() {
    return new ChangeEnvelopeCoder();
  }

  @Override
  public void encode(ChangeEnvelope envelope, OutputStream out) throws IOException {
    SourceRecord record = envelope.getRecord();
    STRING.encode(record.getTopic(), out);
    INT.encode(record.getPartition(), out);
    LONG.encode(record.getOffset(), out);
    InstantCoder.of().encode(record.getTimestamp(), out);
    NULLABLE_BYTES.encode(record.getKey(), out);
    NULLABLE_BYTES.encode(record.getValue(), out);
    INT.encode(envelope.getTable().ordinal(), out);
    INT.encode(envelope.getOp() == null ? -1 : envelope.getOp().ordinal(), out);
    NULLABLE_LONG.encode(envelope.getSourceTsMs(), out);
    NULLABLE_STRING.encode(envelope.getSourcePosition(), out);
    ObjectNode row = envelope.getRow();
    NULLABLE_BYTES.encode(row == null ? null : JSON.writeValueAsBytes(row), out);
  }

  @Override
  public ChangeEnvelope decode(InputStream in) throws IOException {
    SourceRecord record =
        SourceRecord.create(
            STRING.decode(in),
            INT.decode(in),
            LONG.decode(in),
            InstantCoder.of().decode(in),
            NULLABLE_BYTES.decode(in),
            NULLABLE_BYTES.decode(in));
    SourceTable table = TABLES.get(INT.decode(in));
    int op = INT.decode(in);
    Long sourceTsMs = NULLABLE_LONG.decode(in);
    String sourcePosition = NULLABLE_STRING.decode(in);
    byte[] row = NULLABLE_BYTES.decode(in);
    ObjectNode rowNode = null;
    if (row != null) {
      JsonNode node = JSON.readTree(row);
      if (!(node instanceof ObjectNode)) {
        throw new CoderException("A change envelope's row must be a JSON object");
      }
      rowNode = (ObjectNode) node;
    }
    return ChangeEnvelope.create(
        record, table, op < 0 ? null : OPS.get(op), sourceTsMs, sourcePosition, rowNode);
  }

  @Override
  public void verifyDeterministic() throws NonDeterministicException {
    throw new NonDeterministicException(this, "JSON objects have no canonical field order");
  }
}
