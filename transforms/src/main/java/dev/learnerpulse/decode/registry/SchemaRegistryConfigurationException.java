package dev.learnerpulse.decode.registry;

/**
 * The registry answered, but not as a Schema Registry the job may read: 401 or 403 (wrong or
 * missing API key), or a response that is not the Schema Registry API at all (a wrong URL). A
 * configuration error, never a dead letter; the message names the URL.
 */
public class SchemaRegistryConfigurationException extends SchemaRegistryException {
  private static final long serialVersionUID = 1L;

  public SchemaRegistryConfigurationException(String message) {
    super(message);
  }
}
