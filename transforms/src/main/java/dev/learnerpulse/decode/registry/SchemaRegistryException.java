package dev.learnerpulse.decode.registry;

import java.io.IOException;

/**
 * The Schema Registry could not answer: unreachable, timing out or failing with 5xx even after the
 * client's bounded retries. Nothing is wrong with the record being decoded, so it must not become a
 * dead letter: the DoFn lets this escape and the runner retries the bundle, and the records decode
 * once the registry is back.
 */
public class SchemaRegistryException extends IOException {
  private static final long serialVersionUID = 1L;

  public SchemaRegistryException(String message) {
    super(message);
  }

  public SchemaRegistryException(String message, Throwable cause) {
    super(message, cause);
  }
}
