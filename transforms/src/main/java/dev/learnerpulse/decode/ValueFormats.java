package dev.learnerpulse.decode;

import static java.util.Objects.requireNonNull;

import dev.learnerpulse.model.SourceTable;
import java.io.Serializable;
import java.util.EnumMap;
import java.util.Map;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The {@link ValueFormat} of every source table: one for all, and exceptions per table (each table
 * is one topic, see {@code Topics}). Immutable and serializable, given to {@link
 * DecodeChangeEvents} instead of options.
 *
 * <pre>{@code
 * ValueFormats formats =
 *     ValueFormats.all(ValueFormat.AVRO).with(SourceTable.COURSES, ValueFormat.JSON);
 * }</pre>
 */
public final class ValueFormats implements Serializable {
  private static final long serialVersionUID = 1L;

  private final ValueFormat defaultFormat;
  private final EnumMap<SourceTable, ValueFormat> byTable;

  private ValueFormats(ValueFormat defaultFormat, Map<SourceTable, ValueFormat> byTable) {
    this.defaultFormat = defaultFormat;
    this.byTable = byTable.isEmpty() ? new EnumMap<>(SourceTable.class) : new EnumMap<>(byTable);
  }

  /** Every table in {@code format}. */
  public static ValueFormats all(ValueFormat format) {
    return new ValueFormats(requireNonNull(format, "format"), Map.of());
  }

  /** Every table in JSON, the default before Avro existed. */
  public static ValueFormats json() {
    return all(ValueFormat.JSON);
  }

  /** These formats with {@code table} in {@code format}. */
  public ValueFormats with(SourceTable table, ValueFormat format) {
    EnumMap<SourceTable, ValueFormat> formats = new EnumMap<>(SourceTable.class);
    formats.putAll(byTable);
    formats.put(requireNonNull(table, "table"), requireNonNull(format, "format"));
    return new ValueFormats(defaultFormat, formats);
  }

  public ValueFormat of(SourceTable table) {
    return byTable.getOrDefault(table, defaultFormat);
  }

  /** Whether some table may carry Avro, so decoding needs a Schema Registry. */
  public boolean needsRegistry() {
    for (SourceTable table : SourceTable.values()) {
      if (of(table) != ValueFormat.JSON) {
        return true;
      }
    }
    return false;
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof ValueFormats
        && ((ValueFormats) other).defaultFormat == defaultFormat
        && ((ValueFormats) other).byTable.equals(byTable);
  }

  @Override
  public int hashCode() {
    return defaultFormat.hashCode() * 31 + byTable.hashCode();
  }

  @Override
  public String toString() {
    return byTable.isEmpty() ? defaultFormat.toString() : defaultFormat + " " + byTable;
  }
}
