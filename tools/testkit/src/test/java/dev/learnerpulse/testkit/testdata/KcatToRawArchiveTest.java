package dev.learnerpulse.testkit.testdata;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.learnerpulse.archive.KcatJson;
import dev.learnerpulse.archive.RawRecords;
import dev.learnerpulse.archive.ReadArchivedTopics;
import dev.learnerpulse.archive.ReadRawArchive;
import dev.learnerpulse.archive.WriteRawArchive;
import dev.learnerpulse.model.SourceRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17: dumps turned into a raw change archive without a broker are the archive the streaming
 * job would write of the same records: each record once, in the file of its hour, and read back by
 * {@link ReadRawArchive} as exactly the records {@link ReadArchivedTopics} reads from the dumps.
 */
class KcatToRawArchiveTest {
  private static final Path TESTDATA = Path.of("..", "..", "testdata");

  @TempDir Path work;

  @Test
  void theArchiveOfTheTestDataIsReadAsTheRecordsOfItsDumps() throws Exception {
    List<Path> dumps = dumps();
    List<SourceRecord> expected = new ArrayList<>();
    for (Path dump : dumps) {
      for (String line : Files.readAllLines(dump, StandardCharsets.UTF_8)) {
        expected.add(KcatJson.parse(line));
      }
    }

    KcatToRawArchive.Conversion done = KcatToRawArchive.convert(dumps, work.resolve("raw"));
    assertEquals(List.of(), done.notRecords());
    assertEquals(expected.size(), done.records());

    Map<String, List<GenericRecord>> files = archiveFiles(work.resolve("raw"));
    assertEquals(done.files(), files.size());
    for (Map.Entry<String, List<GenericRecord>> file : files.entrySet()) {
      for (GenericRecord record : file.getValue()) {
        String hour = WriteRawArchive.hourDirectory(RawRecords.timestampMillis(record));
        assertEquals(hour + "/raw-kcat-pane-00000-shard-00000-of-00001.avro", file.getKey());
        assertEquals("CreateTime", record.get("timestamp_type").toString());
        assertEquals(List.of(), record.get("headers"));
      }
    }

    Pipeline p = Pipeline.create(PipelineOptionsFactory.fromArgs("--runner=DirectRunner").create());
    PAssert.that(
            p.apply(
                "ReadRawArchive", ReadRawArchive.from(work.resolve("raw") + "/dt=*/hour=*/*.avro")))
        .containsInAnyOrder(expected);
    ReadArchivedTopics.Result fromDumps =
        p.apply("ReadArchivedTopics", ReadArchivedTopics.from(TESTDATA + "/*.jsonl"));
    PAssert.that(fromDumps.records()).containsInAnyOrder(expected);
    PAssert.that(fromDumps.deadLetters()).empty();
    p.run().waitUntilFinish();
  }

  /**
   * kcat's three timestamp types become Kafka's names; a line that is not a dump record is not
   * archived but reported with its offset, and a blank line is skipped, as a backfill skips it.
   */
  @Test
  void keepsTimestampTypesAndReportsLinesThatAreNotRecords() throws Exception {
    String create = line("create", 0, "2026-11-20T09:59:59.999Z");
    String logAppend = line("logappend", 1, "2026-11-20T10:00:00Z");
    String unknown = line("unknown", 2, "2026-11-20T10:30:00Z");
    String garbage = "{\"topic\":\"lxp.public.learners\"";
    Path dump = work.resolve("lxp.public.learners.jsonl");
    Files.writeString(
        dump, String.join("\n", create, " ", garbage, logAppend, unknown), StandardCharsets.UTF_8);

    KcatToRawArchive.Conversion done = KcatToRawArchive.convert(List.of(dump), work.resolve("raw"));

    long garbageAt = create.length() + 1 + 2;
    assertEquals(List.of(dump + ":" + garbageAt + " MALFORMED"), done.notRecords());
    assertEquals(3, done.records());
    Map<String, List<String>> archived = new TreeMap<>();
    for (Map.Entry<String, List<GenericRecord>> file :
        archiveFiles(work.resolve("raw")).entrySet()) {
      for (GenericRecord record : file.getValue()) {
        archived
            .computeIfAbsent(file.getKey(), f -> new ArrayList<>())
            .add(record.get("offset") + " " + record.get("timestamp_type"));
      }
    }
    assertEquals(
        Map.of(
            "dt=2026-11-20/hour=09/raw-kcat-pane-00000-shard-00000-of-00001.avro",
            List.of("0 CreateTime"),
            "dt=2026-11-20/hour=10/raw-kcat-pane-00000-shard-00000-of-00001.avro",
            List.of("1 LogAppendTime", "2 NoTimestampType")),
        archived);
  }

  private static String line(String tstype, long offset, String at) {
    String line =
        KcatJson.format(
            "lxp.public.learners",
            0,
            offset,
            Instant.parse(at).getMillis(),
            "{\"learner_id\":\"L1\"}".getBytes(StandardCharsets.UTF_8),
            "{}".getBytes(StandardCharsets.UTF_8));
    return line.replace("\"tstype\":\"create\"", "\"tstype\":\"" + tstype + "\"");
  }

  private static List<Path> dumps() throws IOException {
    try (Stream<Path> files = Files.list(TESTDATA)) {
      return files.filter(f -> f.toString().endsWith(".jsonl")).sorted().toList();
    }
  }

  /** The archive's files by their path under {@code root}, with their records in order. */
  private static Map<String, List<GenericRecord>> archiveFiles(Path root) throws IOException {
    Map<String, List<GenericRecord>> files = new TreeMap<>();
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : (Iterable<Path>) paths.filter(Files::isRegularFile)::iterator) {
        List<GenericRecord> records = new ArrayList<>();
        try (DataFileReader<GenericRecord> reader =
            new DataFileReader<>(path.toFile(), new GenericDatumReader<>())) {
          reader.forEach(records::add);
        }
        files.put(root.relativize(path).toString(), records);
      }
    }
    return files;
  }
}
