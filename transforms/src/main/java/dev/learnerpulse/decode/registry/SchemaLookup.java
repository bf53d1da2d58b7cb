package dev.learnerpulse.decode.registry;

import static java.util.Objects.requireNonNull;

import org.apache.avro.Schema;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * What the registry says of one schema id: the parsed Avro schema, an id it does not know (HTTP 404
 * with error code 40403: the record becomes an {@code UNKNOWN_SCHEMA} dead letter), or a schema
 * that cannot decode Avro (a Protobuf or JSON Schema, or a text Avro cannot parse: the record is
 * {@code MALFORMED}).
 */
public final class SchemaLookup {
  /** The three answers. */
  public enum Status {
    FOUND,
    UNKNOWN,
    UNUSABLE
  }

  private final int id;
  private final Status status;
  private final @Nullable Schema schema;
  private final String detail;

  private SchemaLookup(int id, Status status, @Nullable Schema schema, String detail) {
    this.id = id;
    this.status = status;
    this.schema = schema;
    this.detail = detail;
  }

  public static SchemaLookup found(int id, Schema schema) {
    return new SchemaLookup(id, Status.FOUND, requireNonNull(schema, "schema"), "");
  }

  public static SchemaLookup unknown(int id) {
    return new SchemaLookup(
        id, Status.UNKNOWN, null, "schema id " + id + " is not in the registry");
  }

  public static SchemaLookup unusable(int id, String why) {
    return new SchemaLookup(id, Status.UNUSABLE, null, "schema id " + id + " " + why);
  }

  public int id() {
    return id;
  }

  public Status status() {
    return status;
  }

  /** The writer schema; only for {@link Status#FOUND}. */
  public Schema schema() {
    if (schema == null) {
      throw new IllegalStateException(detail);
    }
    return schema;
  }

  /** Why the id cannot be used, for a dead letter's detail; empty when found. */
  public String detail() {
    return detail;
  }

  @Override
  public String toString() {
    return status == Status.FOUND ? "schema id " + id + ": " + schema.getFullName() : detail;
  }
}
