package dev.learnerpulse.testkit.testdata;

import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A change as Kafka holds it: key and value text (null key for a truncate, null value for a
 * tombstone), and the schemaless key the partition is chosen by.
 */
record Rendered(@Nullable String key, @Nullable String partitionKey, @Nullable String value) {

  Rendered tombstone() {
    return new Rendered(key, partitionKey, null);
  }
}
