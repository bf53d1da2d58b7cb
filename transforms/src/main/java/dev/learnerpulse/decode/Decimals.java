package dev.learnerpulse.decode;

import dev.learnerpulse.model.InvalidRecordException;
import dev.learnerpulse.model.ReasonCode;
import java.math.BigDecimal;
import java.math.BigInteger;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Decimals from Debezium's encodings, bounded before any {@link BigInteger} or {@link BigDecimal}
 * is built: parsing and printing those is superlinear in the digits, so a hostile megabyte-long
 * decimal took seconds to reject (issue 13). The contract's columns are {@code numeric(5,2)}; the
 * bounds leave room for any numeric a real schema holds as a double and reject the rest in
 * microseconds, as {@code BAD_VALUE}.
 */
final class Decimals {
  /** Characters of a decimal written as text ({@code "45.50"}, {@code "1.5E+3"}). */
  static final int MAX_TEXT_LENGTH = 100;

  /** Bytes of a precise decimal's unscaled value: 2^255, 77 digits. */
  static final int MAX_UNSCALED_BYTES = 32;

  /** The largest scale, either sign: PostgreSQL's own limit for {@code numeric}. */
  static final int MAX_SCALE = 1_000;

  private Decimals() {}

  /**
   * The decimal {@code text} spells, null when it is not a decimal number at all; {@code BAD_VALUE}
   * when it is one too long to hold or not finite ({@code NaN}, {@code Infinity}, which Debezium's
   * string mode writes for PostgreSQL's special values).
   */
  static @Nullable BigDecimal parse(String column, String text) throws InvalidRecordException {
    String trimmed = text.trim();
    if (isNonFinite(trimmed)) {
      throw new InvalidRecordException(
          ReasonCode.BAD_VALUE, column + ": '" + trimmed + "' is not a finite number");
    }
    if (!looksNumeric(trimmed)) {
      return null;
    }
    if (trimmed.length() > MAX_TEXT_LENGTH) {
      throw tooLong(column, trimmed.length() + " characters");
    }
    try {
      BigDecimal value = new BigDecimal(trimmed);
      checkScale(column, value.scale());
      return value;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * A precise-mode decimal: base64 of the unscaled big-endian two's-complement integer at {@code
   * scale}.
   */
  static BigDecimal fromBase64(String column, String encoded, int scale)
      throws InvalidRecordException {
    // Four base64 characters per three bytes: bound the text before decoding it.
    if (encoded.length() > (MAX_UNSCALED_BYTES + 2) / 3 * 4) {
      throw tooLong(column, "base64 of " + encoded.length() + " characters");
    }
    byte[] unscaled;
    try {
      unscaled = java.util.Base64.getDecoder().decode(encoded);
    } catch (IllegalArgumentException e) {
      throw new InvalidRecordException(
          ReasonCode.BAD_VALUE,
          column + ": '" + InvalidRecordException.abbreviate(encoded) + "' is not a decimal");
    }
    return fromUnscaled(column, unscaled, scale);
  }

  /** The unscaled big-endian two's-complement integer {@code unscaled} at {@code scale}. */
  static BigDecimal fromUnscaled(String column, byte[] unscaled, int scale)
      throws InvalidRecordException {
    if (unscaled.length == 0) {
      throw new InvalidRecordException(ReasonCode.BAD_VALUE, column + ": empty decimal");
    }
    if (unscaled.length > MAX_UNSCALED_BYTES) {
      throw tooLong(column, "an unscaled value of " + unscaled.length + " bytes");
    }
    checkScale(column, scale);
    return new BigDecimal(new BigInteger(unscaled), scale);
  }

  private static void checkScale(String column, int scale) throws InvalidRecordException {
    if (scale > MAX_SCALE || scale < -MAX_SCALE) {
      throw new InvalidRecordException(
          ReasonCode.BAD_VALUE,
          column
              + ": a decimal of scale "
              + scale
              + " is outside -"
              + MAX_SCALE
              + ".."
              + MAX_SCALE);
    }
  }

  private static InvalidRecordException tooLong(String column, String what) {
    return new InvalidRecordException(
        ReasonCode.BAD_VALUE,
        column
            + ": a decimal of "
            + what
            + " is longer than the "
            + MAX_TEXT_LENGTH
            + " characters ("
            + MAX_UNSCALED_BYTES
            + " unscaled bytes) accepted");
  }

  private static boolean isNonFinite(String text) {
    String unsigned = text.startsWith("-") || text.startsWith("+") ? text.substring(1) : text;
    return unsigned.equals("NaN") || unsigned.equals("Infinity");
  }

  /**
   * Whether {@code text} is made of a decimal's characters only: a sign, digits, one point, an
   * exponent. Cheap, so that a long string is judged by its length only when it is meant as a
   * number.
   */
  private static boolean looksNumeric(String text) {
    if (text.isEmpty()) {
      return false;
    }
    boolean digit = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= '0' && c <= '9') {
        digit = true;
      } else if (c != '.' && c != '-' && c != '+' && c != 'e' && c != 'E') {
        return false;
      }
    }
    return digit;
  }
}
