package dev.learnerpulse.sinks.redis;

/** Argument checks for the builders, so a bad option fails where it is set. */
final class Args {
  private Args() {}

  static void checkArgument(boolean condition, String message, Object... args) {
    if (!condition) {
      throw new IllegalArgumentException(String.format(message, args));
    }
  }
}
