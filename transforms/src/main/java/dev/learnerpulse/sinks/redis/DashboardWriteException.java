package dev.learnerpulse.sinks.redis;

/**
 * Redis could not take a batch of dashboard writes. Thrown out of the bundle so the runner retries
 * it; the retry is safe because every write is guarded by its pane.
 */
public class DashboardWriteException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DashboardWriteException(String message, Throwable cause) {
    super(message + ": " + cause.getMessage(), cause);
  }
}
