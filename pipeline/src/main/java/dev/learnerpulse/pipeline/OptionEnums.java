package dev.learnerpulse.pipeline;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Enum options read case-insensitively, so {@code --mode=backfill} works as well as BACKFILL. */
final class OptionEnums {
  private OptionEnums() {}

  /**
   * The constant of {@code type} named {@code value}, in any case; else an error naming {@code
   * option}.
   */
  static <E extends Enum<E>> E parse(Class<E> type, String option, String value) {
    String name = value.trim().toUpperCase(Locale.ROOT);
    for (E constant : type.getEnumConstants()) {
      if (constant.name().equals(name)) {
        return constant;
      }
    }
    throw new IllegalArgumentException(
        option
            + " must be one of "
            + Arrays.stream(type.getEnumConstants())
                .map(constant -> constant.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", "))
            + ", not '"
            + value
            + "'");
  }
}
