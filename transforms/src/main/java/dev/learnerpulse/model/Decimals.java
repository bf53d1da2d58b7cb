package dev.learnerpulse.model;

import java.math.BigDecimal;
import org.checkerframework.checker.nullness.qual.Nullable;

/** The one form the model keeps an exact decimal in. */
public final class Decimals {
  /** Up to this many integer digits are written plainly rather than with an exponent. */
  private static final int PLAIN_DIGITS = 34;

  private Decimals() {}

  /**
   * {@code value} without trailing zeros, and in plain digits rather than with an exponent up to 34
   * digits (a Decimal128's precision): 7, 7.0 and 7.00 are one score, so equal changes are equal
   * objects and encode to the same bytes whatever wire format carried them.
   */
  public static @Nullable BigDecimal canonical(@Nullable BigDecimal value) {
    if (value == null) {
      return null;
    }
    BigDecimal stripped = value.stripTrailingZeros();
    return stripped.scale() < 0 && stripped.precision() - stripped.scale() <= PLAIN_DIGITS
        ? stripped.setScale(0)
        : stripped;
  }
}
