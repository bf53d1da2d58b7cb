package dev.learnerpulse.model;

import org.checkerframework.checker.nullness.qual.Nullable;

/** Debezium's {@code op} codes. */
public enum Op {
  CREATE("c"),
  READ("r"),
  UPDATE("u"),
  DELETE("d"),
  TRUNCATE("t");

  private final String code;

  Op(String code) {
    this.code = code;
  }

  public String code() {
    return code;
  }

  /** The op for a Debezium code, or null when the code is not one Debezium writes for rows. */
  public static @Nullable Op fromCode(@Nullable String code) {
    if (code == null || code.length() != 1) {
      return null;
    }
    switch (code.charAt(0)) {
      case 'c':
        return CREATE;
      case 'r':
        return READ;
      case 'u':
        return UPDATE;
      case 'd':
        return DELETE;
      case 't':
        return TRUNCATE;
      default:
        return null;
    }
  }
}
