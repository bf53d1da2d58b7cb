package dev.learnerpulse.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.learnerpulse.testkit.testdata.KcatToRawArchive;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17: the committed dumps turned into a raw change archive ({@link KcatToRawArchive}, no
 * broker) backfill to exactly the tables and counts the dumps backfill to, so the archive made for
 * the 1M-record benchmark measures the same job.
 */
class RawArchiveOfDumpsTest {
  private static final Path TESTDATA = Path.of("..", "testdata").toAbsolutePath();

  @TempDir Path work;

  @Test
  void aBackfillOfTheConvertedArchiveWritesWhatTheBackfillOfTheDumpsWrites() throws Exception {
    List<Path> dumps;
    try (Stream<Path> files = Files.list(TESTDATA)) {
      dumps = files.filter(f -> f.toString().endsWith(".jsonl")).sorted().toList();
    }
    KcatToRawArchive.Conversion done = KcatToRawArchive.convert(dumps, work.resolve("raw"));
    assertEquals(List.of(), done.notRecords());

    OutcomeReport fromDumps =
        KafkaBackfillTest.backfill(
            work.resolve("from-dumps"), "--inputPattern=" + TESTDATA + "/*.jsonl");
    OutcomeReport fromArchive =
        KafkaBackfillTest.backfill(
            work.resolve("from-archive"),
            "--inputPattern=" + work.resolve("raw") + "/dt=*/hour=*/*.avro");
    KafkaBackfillTest.assertSameOutputs(
        work.resolve("from-dumps"), fromDumps, work.resolve("from-archive"), fromArchive);
    long lines = 0;
    for (Path dump : dumps) {
      lines += Files.readAllLines(dump).size();
    }
    assertEquals(lines, done.records());
    assertEquals(lines, fromArchive.totalInput());
  }
}
