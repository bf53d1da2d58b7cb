package dev.learnerpulse.benchmarks;

import dev.learnerpulse.archive.KcatJson;
import dev.learnerpulse.model.InvalidRecordException;
import dev.learnerpulse.model.SourceRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The records a benchmark runs over: every {@code testdata/*.jsonl} dump of the repository, or
 * {@link SyntheticMix} when there is none (or when asked for), each line parsed once with {@link
 * KcatJson#parse} as the archive reader does.
 */
final class RecordMix {
  /** Overrides where the dumps are; by default the first {@code testdata/} at or above the cwd. */
  static final String TESTDATA_PROPERTY = "learnerpulse.testdata";

  static final int SYNTHETIC_RECORDS = 20_000;
  private static final long SYNTHETIC_SEED = 20_251_121L;

  final String description;
  final SourceRecord[] records;

  private RecordMix(String description, SourceRecord[] records) {
    this.description = description;
    this.records = records;
  }

  /** {@code mix}: {@code testdata}, {@code synthetic}, or {@code auto} (testdata when present). */
  static RecordMix load(String mix) {
    List<Path> dumps = dumps();
    switch (mix) {
      case "auto":
        return dumps.isEmpty() ? synthetic() : testdata(dumps);
      case "testdata":
        if (dumps.isEmpty()) {
          throw new IllegalStateException(
              "No testdata/*.jsonl found at or above "
                  + Paths.get("").toAbsolutePath()
                  + "; set -D"
                  + TESTDATA_PROPERTY
                  + "=<dir> or use -p mix=synthetic");
        }
        return testdata(dumps);
      case "synthetic":
        return synthetic();
      default:
        throw new IllegalArgumentException("mix must be auto, testdata or synthetic: " + mix);
    }
  }

  private static RecordMix synthetic() {
    return new RecordMix(
        "synthetic (" + SYNTHETIC_RECORDS + " lines, seed " + SYNTHETIC_SEED + ")",
        parse(SyntheticMix.lines(SYNTHETIC_RECORDS, SYNTHETIC_SEED)));
  }

  private static RecordMix testdata(List<Path> dumps) {
    List<String> lines = new ArrayList<>();
    for (Path dump : dumps) {
      try (Stream<String> content = Files.lines(dump, StandardCharsets.UTF_8)) {
        content.filter(line -> !line.isBlank()).forEach(lines::add);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return new RecordMix("testdata " + dumps, parse(lines));
  }

  private static SourceRecord[] parse(List<String> lines) {
    List<SourceRecord> records = new ArrayList<>(lines.size());
    for (String line : lines) {
      try {
        records.add(KcatJson.parse(line));
      } catch (InvalidRecordException e) {
        // The archive reader dead-letters such a line before decoding; it is not decoder work.
      }
    }
    if (records.isEmpty()) {
      throw new IllegalStateException("The mix has no readable records");
    }
    return records.toArray(new SourceRecord[0]);
  }

  private static List<Path> dumps() {
    Path directory = testdataDirectory();
    if (directory == null || !Files.isDirectory(directory)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(directory)) {
      return files
          .filter(file -> file.getFileName().toString().endsWith(".jsonl"))
          .filter(Files::isRegularFile)
          .sorted()
          .collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path testdataDirectory() {
    String configured = System.getProperty(TESTDATA_PROPERTY);
    if (configured != null) {
      return Paths.get(configured);
    }
    for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("testdata");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    return null;
  }
}
