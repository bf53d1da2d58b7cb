package dev.learnerpulse.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * The one Jackson configuration for change rows. Decoding reads records with {@link #reader()} and
 * {@link ChangeEnvelopeCoder} re-reads the decoded rows with {@link #coder()}; both under the same
 * {@link #LIMITS}, so a row that decoding accepted is never one the coder refuses (which used to
 * throw inside {@code output()} and break the outcome accounting, issue 13).
 */
public final class RowJson {
  /**
   * Jackson's own defaults, named: numbers of at most 1,000 characters, nesting at most 1,000 deep,
   * strings of at most 20,000,000 characters. The decoders bound decimals far below this.
   */
  public static final StreamReadConstraints LIMITS =
      StreamReadConstraints.builder()
          .maxNumberLength(1_000)
          .maxNestingDepth(1_000)
          .maxStringLength(20_000_000)
          .build();

  private RowJson() {}

  /** Standard JSON under {@link #LIMITS}: what records are decoded with. */
  public static ObjectMapper reader() {
    return new ObjectMapper(JsonFactory.builder().streamReadConstraints(LIMITS).build());
  }

  /**
   * {@link #reader()} that also round-trips non-finite doubles as the bare tokens {@code NaN} and
   * {@code Infinity}: a decoded row may hold one (MongoDB's {@code {"$numberDouble":"NaN"}}, a JSON
   * {@code 1e400}), and it must reach validation as the number it was, not as the string Jackson
   * writes by default. Fractions are read back as decimals with their digits as written (11.0 stays
   * 11.0), so scores stay exact across a shuffle.
   */
  public static ObjectMapper coder() {
    return new ObjectMapper(
            JsonFactory.builder()
                .streamReadConstraints(LIMITS)
                .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
                .build())
        .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
        .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));
  }
}
