package dev.learnerpulse.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.learnerpulse.archive.KcatJson;
import dev.learnerpulse.model.InvalidRecordException;
import dev.learnerpulse.model.SourceRecord;
import dev.learnerpulse.model.SourceTable;
import dev.learnerpulse.model.Topics;
import dev.learnerpulse.testkit.testdata.GenerateTestData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * A fresh LXP period from the test-data generator, as the records to produce: the snapshot reads of
 * the reference topics first, then everything else in Kafka-timestamp order (so out-of-order, late
 * and duplicate records arrive as the generator planned them), cut at {@code start + minutes}.
 *
 * <p>The generator needs a span of at least {@value #MIN_GENERATED_MINUTES} minutes (its very late
 * events arrive 11 to 15 minutes behind); shorter runs generate that span and replay its beginning.
 */
public final class GeneratedTraffic {
  static final int MIN_GENERATED_MINUTES = 20;

  /** The generator's density: records over the four change topics per generated minute. */
  static final int CHANGES_PER_MINUTE = 120;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One record to produce, with the partition and Kafka timestamp the generator gave it. */
  record Record(
      String topic,
      int partition,
      long timestamp,
      byte @Nullable [] key,
      byte @Nullable [] value) {}

  private final Instant start;
  private final Instant end;
  private final List<Record> reference;
  private final List<Record> live;

  private GeneratedTraffic(Instant start, Instant end, List<Record> reference, List<Record> live) {
    this.start = start;
    this.end = end;
    this.reference = reference;
    this.live = live;
  }

  /**
   * Generates {@code minutes} of traffic from {@code start}, each topic renamed to the one {@code
   * topics} configures; records of topics the pipeline does not read are left out.
   */
  public static GeneratedTraffic generate(Instant start, int minutes, long seed, Topics topics) {
    if (minutes < 1) {
      throw new IllegalArgumentException("--minutes must be at least 1, not " + minutes);
    }
    int generated = Math.max(minutes, MIN_GENERATED_MINUTES);
    Path dir = null;
    try {
      dir = Files.createTempDirectory("learner-pulse-local-data");
      runGenerator(
          "--out", dir.toString(),
          "--seed", Long.toString(seed),
          "--minutes", Integer.toString(generated),
          "--changes", Integer.toString(generated * CHANGES_PER_MINUTE),
          "--start", start.toString());
      Map<String, String> renames = new TreeMap<>();
      for (SourceTable table : SourceTable.values()) {
        renames.put(table.defaultTopic(), topics.topic(table));
      }
      Set<String> referenceTopics =
          Stream.of(SourceTable.values())
              .filter(SourceTable::isReference)
              .map(SourceTable::defaultTopic)
              .collect(Collectors.toSet());
      Instant end = start.plus(Duration.standardMinutes(minutes));
      List<Record> reference = new ArrayList<>();
      List<Record> live = new ArrayList<>();
      for (String topic : renames.keySet()) {
        Path dump = dir.resolve(topic + ".jsonl");
        if (!Files.exists(dump)) {
          continue;
        }
        for (String line : Files.readAllLines(dump, StandardCharsets.UTF_8)) {
          SourceRecord parsed = KcatJson.parse(line);
          Record record =
              new Record(
                  renames.get(topic),
                  parsed.getPartition(),
                  parsed.getTimestamp().getMillis(),
                  parsed.getKey(),
                  parsed.getValue());
          if (referenceTopics.contains(topic) && isSnapshotRead(parsed.getValue())) {
            reference.add(record);
          } else if (record.timestamp() < end.getMillis()) {
            live.add(record);
          }
        }
      }
      // Stable: records of one topic keep their dump order among equal timestamps.
      live.sort(Comparator.comparingLong(Record::timestamp));
      return new GeneratedTraffic(start, end, reference, live);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot generate the local data set", e);
    } catch (InvalidRecordException e) {
      throw new IllegalStateException("The generator wrote an unreadable dump line", e);
    } finally {
      deleteQuietly(dir);
    }
  }

  /** Runs the generator's command line, keeping its "wrote <file>" lines off the terminal. */
  private static void runGenerator(String... args) throws IOException {
    PrintStream stdout = System.out;
    ByteArrayOutputStream discarded = new ByteArrayOutputStream();
    synchronized (System.class) {
      System.setOut(new PrintStream(discarded, true, StandardCharsets.UTF_8));
      try {
        GenerateTestData.main(args);
      } finally {
        System.setOut(stdout);
      }
    }
  }

  /** A Debezium snapshot read ({@code op} r), with or without the JsonConverter schema wrapper. */
  private static boolean isSnapshotRead(byte @Nullable [] value) {
    if (value == null) {
      return false;
    }
    try {
      JsonNode node = JSON.readTree(value);
      if (node != null && node.has("schema") && node.has("payload")) {
        node = node.get("payload");
      }
      return node != null && "r".equals(node.path("op").asText(null));
    } catch (IOException e) {
      return false; // a deliberately malformed record: it goes with the live traffic
    }
  }

  public Instant start() {
    return start;
  }

  public Instant end() {
    return end;
  }

  /** The snapshot reads of the reference topics: loaded before the live traffic starts. */
  public List<Record> reference() {
    return reference;
  }

  /** Every other record up to {@link #end()}, in Kafka-timestamp order. */
  public List<Record> live() {
    return live;
  }

  private static void deleteQuietly(@Nullable Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A temp directory left behind is harmless.
    }
  }
}
