package dev.learnerpulse.model;

/**
 * Why a record cannot be used: a reason code and a detail for people. Thrown by decoding and
 * validation, caught where the record becomes a {@link DeadLetter}. Carries no stack trace: bad
 * input is data, not a bug, and may be frequent.
 */
public final class InvalidRecordException extends Exception {
  private static final long serialVersionUID = 1L;

  private final ReasonCode reason;

  public InvalidRecordException(ReasonCode reason, String detail) {
    super(detail, null, false, false);
    this.reason = reason;
  }

  public ReasonCode reason() {
    return reason;
  }

  public String detail() {
    return getMessage();
  }

  /**
   * A value quoted in a detail, cut to 64 characters: a detail names a value, it does not copy it.
   */
  public static String abbreviate(String text) {
    return text.length() <= 64 ? text : text.substring(0, 61) + "...";
  }
}
