package dev.learnerpulse.pipeline.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * How one output table of a streaming job differs from a backfill's, key by key: the rows the
 * streaming job lacks (missing), the rows it has that the backfill does not (extra), and the rows
 * of a key both have whose fields differ, with a count per field. Each side is first reduced to one
 * row per key, its final pane (the highest {@code pane_index}; later rows win ties), since a
 * streaming job writes early panes that the final one replaces.
 */
public final class TableDiff {
  /** A key that differs, with each differing field as {@code backfill != streaming}. */
  public record Difference(String key, Map<String, String> fields) {}

  private final String table;
  private final int compared;
  private final List<String> missing;
  private final List<String> extra;
  private final List<Difference> differing;
  private final Map<String, Integer> differingFields;

  private TableDiff(
      String table,
      int compared,
      List<String> missing,
      List<String> extra,
      List<Difference> differing,
      Map<String, Integer> differingFields) {
    this.table = table;
    this.compared = compared;
    this.missing = missing;
    this.extra = extra;
    this.differing = differing;
    this.differingFields = differingFields;
  }

  /**
   * Compares the rows of {@code table} that {@code inPeriod} keeps, keyed by {@code keyFields},
   * leaving {@code ignored} fields out.
   */
  public static TableDiff compare(
      String table,
      List<String> keyFields,
      Set<String> ignored,
      Predicate<JsonNode> inPeriod,
      List<JsonNode> backfill,
      List<JsonNode> streaming) {
    Map<String, JsonNode> expected = finalRows(keyFields, inPeriod, backfill);
    Map<String, JsonNode> actual = finalRows(keyFields, inPeriod, streaming);
    List<String> missing = new ArrayList<>();
    List<String> extra = new ArrayList<>();
    List<Difference> differing = new ArrayList<>();
    Map<String, Integer> fieldCounts = new TreeMap<>();
    Set<String> keys = new TreeSet<>(expected.keySet());
    keys.addAll(actual.keySet());
    for (String key : keys) {
      JsonNode want = expected.get(key);
      JsonNode got = actual.get(key);
      if (got == null) {
        missing.add(key);
      } else if (want == null) {
        extra.add(key);
      } else {
        Map<String, String> fields = new TreeMap<>();
        Set<String> names = new TreeSet<>();
        want.fieldNames().forEachRemaining(names::add);
        got.fieldNames().forEachRemaining(names::add);
        for (String name : names) {
          if (!ignored.contains(name) && !Objects.equals(want.get(name), got.get(name))) {
            fields.put(name, want.get(name) + " != " + got.get(name));
            fieldCounts.merge(name, 1, Integer::sum);
          }
        }
        if (!fields.isEmpty()) {
          differing.add(new Difference(key, fields));
        }
      }
    }
    return new TableDiff(table, keys.size(), missing, extra, differing, fieldCounts);
  }

  private static Map<String, JsonNode> finalRows(
      List<String> keyFields, Predicate<JsonNode> inPeriod, List<JsonNode> rows) {
    Map<String, JsonNode> byKey = new LinkedHashMap<>();
    for (JsonNode row : rows) {
      if (!inPeriod.test(row)) {
        continue;
      }
      StringBuilder key = new StringBuilder();
      for (String field : keyFields) {
        key.append(key.length() == 0 ? "" : " ")
            .append(field)
            .append('=')
            .append(row.path(field).asText());
      }
      byKey.merge(
          key.toString(),
          row,
          (old, next) ->
              next.path("pane_index").asLong() >= old.path("pane_index").asLong() ? next : old);
    }
    return byKey;
  }

  public boolean identical() {
    return missing.isEmpty() && extra.isEmpty() && differing.isEmpty();
  }

  public List<String> missing() {
    return missing;
  }

  public List<String> extra() {
    return extra;
  }

  public List<Difference> differing() {
    return differing;
  }

  /** Per field, how many keys differ in it. */
  public Map<String, Integer> differingFields() {
    return differingFields;
  }

  /** The counts, then up to {@code maxExamples} keys of each kind. */
  public String render(int maxExamples) {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            "%-24s %7d keys %7d missing %7d extra %7d differing%s%n",
            table,
            compared,
            missing.size(),
            extra.size(),
            differing.size(),
            differingFields.isEmpty() ? "" : "  by field " + differingFields));
    examples(out, "missing from the streaming output", missing, maxExamples);
    examples(out, "extra in the streaming output", extra, maxExamples);
    List<String> differences = new ArrayList<>();
    for (Difference d : differing) {
      differences.add(d.key() + " " + d.fields());
    }
    examples(out, "differing (backfill != streaming)", differences, maxExamples);
    return out.toString();
  }

  private static void examples(StringBuilder out, String title, List<String> keys, int max) {
    if (keys.isEmpty()) {
      return;
    }
    out.append("  ").append(title).append(":\n");
    for (String key : keys.subList(0, Math.min(max, keys.size()))) {
      out.append("    ").append(key).append('\n');
    }
    if (keys.size() > max) {
      out.append("    ... and ").append(keys.size() - max).append(" more\n");
    }
  }
}
