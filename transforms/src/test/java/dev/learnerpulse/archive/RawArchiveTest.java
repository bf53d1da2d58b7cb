package dev.learnerpulse.archive;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Issue 17, the raw change archive: files per hour of Kafka time, one per pane and shard with names
 * that do not depend on timing, every record once with its exact bytes and headers; read back as
 * the records a dump of them gives; a damaged file refused at launch with its name.
 */
public class RawArchiveTest {
  private static final String TOPIC = "lxp.public.learner_progress";

  @Rule public final transient TestPipeline p = TestPipeline.create();
  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  /**
   * Two records of 07:xx and one of 08:00 in the first pane; a record of 07:30 read two minutes
   * later (a late producer) goes to hour 07 too, in a file of the second pane: nothing dropped.
   */
  @Test
  public void writesEachRecordOnceInTheHourOfItsKafkaTimestamp() throws Exception {
    GenericRecord first =
        record(
            0,
            "2026-11-20T07:10:00Z",
            null,
            "{\"op\":\"c\"}",
            List.of(RawRecords.header("trace", bytes("a")), RawRecords.header("trace", null)));
    GenericRecord lastOfHour = record(1, "2026-11-20T07:59:59.999Z", "k", null, List.of());
    GenericRecord nextHour = record(2, "2026-11-20T08:00:00Z", "k", null, List.of()); // a tombstone
    byte[] binary = {0, 1, (byte) 0xff, '\n'};
    GenericRecord late = rawRecord(3, "2026-11-20T07:30:00Z", bytes("k"), binary, List.of());
    String dir = folder.getRoot().getAbsolutePath();

    p.apply(
            TestStream.create(AvroCoder.of(RawRecords.SCHEMA))
                .addElements(stamped(first), stamped(lastOfHour), stamped(nextHour))
                .advanceProcessingTime(Duration.standardMinutes(2))
                .addElements(stamped(late))
                .advanceProcessingTime(Duration.standardMinutes(2))
                .advanceWatermarkToInfinity())
        .apply(
            WriteRawArchive.to(dir).withRunId("run1").withFrequency(Duration.standardMinutes(1)));
    p.run().waitUntilFinish();

    Map<String, List<GenericRecord>> files = archiveFiles(folder.getRoot().toPath());
    Map<String, List<Long>> offsets = new TreeMap<>();
    files.forEach(
        (name, records) ->
            offsets.put(name, records.stream().map(r -> (Long) r.get("offset")).sorted().toList()));
    assertEquals(
        Map.of(
            "dt=2026-11-20/hour=07/raw-run1-pane-00000-shard-00000-of-00001.avro", List.of(0L, 1L),
            "dt=2026-11-20/hour=07/raw-run1-pane-00001-shard-00000-of-00001.avro", List.of(3L),
            "dt=2026-11-20/hour=08/raw-run1-pane-00000-shard-00000-of-00001.avro", List.of(2L)),
        offsets);
    GenericRecord written =
        files.get("dt=2026-11-20/hour=07/raw-run1-pane-00000-shard-00000-of-00001.avro").stream()
            .filter(r -> (Long) r.get("offset") == 0L)
            .findFirst()
            .orElseThrow();
    assertEquals(first, written);
    GenericRecord binaryBack =
        files.get("dt=2026-11-20/hour=07/raw-run1-pane-00001-shard-00000-of-00001.avro").get(0);
    assertArrayEquals(binary, RawRecords.bytes(binaryBack.get("value")));
  }

  @Test
  public void readsTheArchiveAsTheRecordsADumpOfThemGives() throws Exception {
    GenericRecord tombstone = record(2, "2026-11-20T08:00:00Z", "k", null, List.of());
    GenericRecord change =
        record(
            0,
            "2026-11-20T07:10:00Z",
            null,
            "{\"op\":\"c\"}",
            List.of(RawRecords.header("trace", bytes("a"))));
    File file = writeArchiveFile("dt=2026-11-20/hour=07/a.avro", List.of(change, tombstone));
    String pattern = folder.getRoot().getAbsolutePath() + "/dt=*/hour=*/*.avro";

    assertTrue(ReadRawArchive.isRawArchive(pattern));
    assertEquals(2, ReadRawArchive.countRecords(pattern));
    PAssert.that(p.apply(ReadRawArchive.from(pattern)))
        .containsInAnyOrder(
            KcatJson.parse(
                KcatJson.format(
                    TOPIC,
                    3,
                    0,
                    Instant.parse("2026-11-20T07:10:00Z").getMillis(),
                    null,
                    "{\"op\":\"c\"}")),
            KcatJson.parse(
                KcatJson.format(
                    TOPIC, 3, 2, Instant.parse("2026-11-20T08:00:00Z").getMillis(), "k", null)));
    p.run().waitUntilFinish();
    assertTrue(file.length() > 0);
  }

  @Test
  public void aDamagedOrForeignFileIsRefusedAtLaunchWithItsName() throws Exception {
    List<GenericRecord> many = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      many.add(record(i, "2026-11-20T07:10:00Z", "k" + i, "{\"i\":" + i + "}", List.of()));
    }
    File good = writeArchiveFile("good/a.avro", many);
    assertEquals(2000, ReadRawArchive.countRecords(good.getAbsolutePath()));

    File damaged = folder.newFile("damaged.avro");
    byte[] bytes = Files.readAllBytes(good.toPath());
    bytes[bytes.length - 5] ^= 0x5a; // inside the last sync marker
    Files.write(damaged.toPath(), bytes);
    IllegalArgumentException refused =
        assertThrows(
            IllegalArgumentException.class,
            () -> ReadRawArchive.countRecords(damaged.getAbsolutePath()));
    assertTrue(
        refused.getMessage(),
        refused
            .getMessage()
            .startsWith(damaged.getAbsolutePath() + " is not a readable raw archive ("));

    File text = folder.newFile("text.avro");
    Files.writeString(text.toPath(), "{\"topic\":\"t\"}\n");
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> ReadRawArchive.countRecords(text.getAbsolutePath()))
            .getMessage()
            .startsWith(
                text.getAbsolutePath() + " is not a readable raw archive (Not an Avro data file"));

    Schema other = SchemaBuilder.record("Other").fields().requiredString("topic").endRecord();
    File foreign = folder.newFile("foreign.avro");
    try (DataFileWriter<GenericRecord> writer =
        new DataFileWriter<>(new GenericDatumWriter<GenericRecord>(other))) {
      writer.create(other, foreign);
      GenericRecord row = new GenericData.Record(other);
      row.put("topic", "t");
      writer.append(row);
    }
    assertEquals(
        foreign.getAbsolutePath()
            + " is not a readable raw archive (its records are Other, not raw"
            + " Kafka records (no field 'partition' of type \"int\")): move the file aside, or"
            + " narrow --inputPattern",
        assertThrows(
                IllegalArgumentException.class,
                () -> ReadRawArchive.countRecords(foreign.getAbsolutePath()))
            .getMessage());
    p.run();
  }

  private File writeArchiveFile(String name, List<GenericRecord> records) throws IOException {
    File file = folder.getRoot().toPath().resolve(name).toFile();
    Files.createDirectories(file.toPath().getParent());
    try (DataFileWriter<GenericRecord> writer =
        new DataFileWriter<>(new GenericDatumWriter<GenericRecord>(RawRecords.SCHEMA))) {
      writer.setCodec(CodecFactory.deflateCodec(6));
      writer.setSyncInterval(1024); // many blocks
      writer.create(RawRecords.SCHEMA, file);
      for (GenericRecord record : records) {
        writer.append(record);
      }
    }
    return file;
  }

  /** Every finished archive file under {@code root} by its path from there, with its records. */
  static Map<String, List<GenericRecord>> archiveFiles(Path root) throws IOException {
    Map<String, List<GenericRecord>> files = new TreeMap<>();
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path :
          (Iterable<Path>) paths.filter(f -> f.toString().endsWith(".avro"))::iterator) {
        String name = root.relativize(path).toString();
        if (name.startsWith(".temp")) {
          continue;
        }
        List<GenericRecord> records = new ArrayList<>();
        try (DataFileReader<GenericRecord> reader =
            new DataFileReader<>(path.toFile(), new GenericDatumReader<>())) {
          reader.forEach(records::add);
        }
        files.put(name, records);
      }
    }
    return files;
  }

  private static GenericRecord record(
      long offset, String time, String key, String value, List<GenericRecord> headers) {
    return rawRecord(offset, time, bytes(key), bytes(value), headers);
  }

  private static GenericRecord rawRecord(
      long offset, String time, byte[] key, byte[] value, List<GenericRecord> headers) {
    return RawRecords.record(
        TOPIC, 3, offset, Instant.parse(time).getMillis(), "CreateTime", key, value, headers);
  }

  private static TimestampedValue<GenericRecord> stamped(GenericRecord record) {
    return TimestampedValue.of(record, new Instant(RawRecords.timestampMillis(record)));
  }

  private static byte[] bytes(String text) {
    return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
  }
}
