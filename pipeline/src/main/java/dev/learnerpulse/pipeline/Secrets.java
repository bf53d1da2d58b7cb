package dev.learnerpulse.pipeline;

import dev.learnerpulse.secrets.SecretReader;
import dev.learnerpulse.secrets.WorkerSecret;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Turns credential options into {@link WorkerSecret}s, read on the workers: a Secret Manager
 * version name ({@code projects/P/secrets/S/versions/V}) travels in the job graph as the name only.
 * A plain value is accepted for local runs and tests only; on Dataflow it is refused, because it
 * would travel inside the submitted graph. No value ever appears in a message.
 */
final class Secrets {
  static final String VERSION_FORM = "projects/P/secrets/S/versions/V";

  private final SecretReader reader;
  private final boolean onDataflow;

  Secrets(SecretReader reader, boolean onDataflow) {
    this.reader = reader;
    this.onDataflow = onDataflow;
  }

  /** A Secret Manager version, or (local runs only) the plain value. */
  @Nullable WorkerSecret secret(String option, @Nullable String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    if (WorkerSecret.isVersionName(value)) {
      return WorkerSecret.fromSecretManager(value, reader);
    }
    refuseOnDataflow(option, "a plain value");
    return WorkerSecret.plain(value);
  }

  /**
   * A Secret Manager version, or a file ({@code gs://} or local) read on the worker; {@code
   * secretOnDataflow} refuses files on Dataflow for private keys, which belong in Secret Manager.
   */
  @Nullable WorkerSecret secretOrFile(
      String option, @Nullable String value, boolean secretOnDataflow) {
    if (value == null || value.isBlank()) {
      return null;
    }
    if (WorkerSecret.isVersionName(value)) {
      return WorkerSecret.fromSecretManager(value, reader);
    }
    if (secretOnDataflow) {
      refuseOnDataflow(option, "a file");
    }
    return WorkerSecret.fromFile(value);
  }

  private void refuseOnDataflow(String option, String what) {
    if (onDataflow) {
      throw new IllegalArgumentException(
          option
              + " must be a Secret Manager version name ("
              + VERSION_FORM
              + ") on Dataflow: "
              + what
              + " would travel inside the job graph (plain values are for local runs only)");
    }
  }
}
