package dev.learnerpulse.decode.registry;

/**
 * Writer schemas by Confluent schema id. {@link SchemaRegistryClient} is the real one; benchmarks
 * and tests may answer from memory.
 */
@FunctionalInterface
public interface SchemaSource {
  /**
   * The schema registered under {@code id}, or why there is none.
   *
   * @throws SchemaRegistryException when the registry cannot answer; the caller must not treat the
   *     record as bad
   */
  SchemaLookup lookup(int id) throws SchemaRegistryException;
}
