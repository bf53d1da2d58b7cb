package dev.learnerpulse.archive;

import static org.apache.beam.sdk.transforms.display.DisplayDataMatchers.hasDisplayItem;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;

import dev.learnerpulse.model.DeadLetter;
import dev.learnerpulse.model.ReasonCode;
import dev.learnerpulse.model.SourceRecord;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.apache.beam.sdk.io.range.OffsetRange;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.splittabledofn.OffsetRangeTracker;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Issue 13, item 6: an archive is read as bytes, lines end at \n only, dead letters keep bytes.
 * Issue 17: a file read in many parts gives exactly the lines of the whole file.
 */
public class ReadArchivedTopicsTest {
  private static final Instant SEEN = Instant.parse("2026-11-21T12:00:00Z");
  private static final Clock CLOCK =
      Clock.fixed(java.time.Instant.ofEpochMilli(SEEN.getMillis()), ZoneOffset.UTC);

  @Rule public final transient TestPipeline p = TestPipeline.create();
  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  @Test
  public void keepsTheBytesOfEveryLineAndSplitsOnLineFeedsOnly() throws Exception {
    String good = KcatJson.format("t", 0, 7, 5L, "k", "{\"op\":\"c\"}");
    // A valid id but for one byte that is not UTF-8: never to become U+FFFD inside the id.
    byte[] badByte =
        KcatJson.format("t", 0, 8, 5L, "L\u00e9", "{}").getBytes(StandardCharsets.ISO_8859_1);
    // Binary with lone carriage returns: one line, one dead letter, its exact bytes.
    byte[] binary = {0, 1, '\r', (byte) 0xff, '\r', 2, '{'};
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    file.write(good.getBytes(StandardCharsets.UTF_8));
    file.write('\n');
    file.write(badByte);
    file.write('\n');
    file.write("  \r".getBytes(StandardCharsets.UTF_8));
    file.write('\n');
    file.write(binary);
    file.write('\n');
    File dump = folder.newFile("t.jsonl");
    Files.write(dump.toPath(), file.toByteArray());
    String topic = "archive:" + dump.getAbsolutePath();

    ReadArchivedTopics.Result read =
        p.apply(ReadArchivedTopics.from(dump.getAbsolutePath()).withClock(CLOCK));

    PAssert.that(read.records()).containsInAnyOrder(KcatJson.parse(good));
    PAssert.that(read.deadLetters())
        .containsInAnyOrder(
            DeadLetter.create(
                topic,
                -1,
                good.length() + 1,
                SEEN,
                null,
                Base64.getEncoder().encodeToString(badByte),
                DeadLetter.Encoding.BASE64,
                ReasonCode.MALFORMED,
                "archive line is not JSON: Invalid UTF-8 middle byte 0x22",
                SEEN),
            DeadLetter.create(
                topic,
                -1,
                good.length() + 1 + badByte.length + 1 + 4,
                SEEN,
                null,
                Base64.getEncoder().encodeToString(binary),
                DeadLetter.Encoding.BASE64,
                ReasonCode.MALFORMED,
                "archive line is not JSON: Illegal character ((CTRL-CHAR, code 1)): only regular"
                    + " white space (\\r, \\n, \\t) is allowed between tokens",
                SEEN));
    p.run().waitUntilFinish();
  }

  /** Every split size from one byte to the whole file gives the lines of the unsplit read. */
  @Test
  public void aFileReadInPartsGivesExactlyTheLinesOfTheWholeFile() throws Exception {
    // Empty lines, a lone \r, a line longer than most parts, and a last line without \n.
    byte[] content =
        "ab\n\n\ncd\r\nefghijklmnopqrstuvwxyz0123456789\n\r\nx\n\nlast"
            .getBytes(StandardCharsets.UTF_8);
    File file = folder.newFile("parts.jsonl");
    Files.write(file.toPath(), content);
    List<String> whole =
        List.of(
            "0:ab",
            "3:",
            "4:",
            "5:cd\r",
            "9:efghijklmnopqrstuvwxyz0123456789",
            "42:\r",
            "44:x",
            "46:",
            "47:last");
    assertEquals(whole, readInParts(file, content.length));
    for (int size = 1; size <= content.length; size++) {
      assertEquals("parts of " + size + " bytes", whole, readInParts(file, size));
    }
    // A file that ends with \n has no empty line after it; an empty file has no line.
    Files.write(file.toPath(), "a\nb\n".getBytes(StandardCharsets.UTF_8));
    for (int size = 1; size <= 4; size++) {
      assertEquals(List.of("0:a", "2:b"), readInParts(file, size));
    }
    Files.write(file.toPath(), new byte[0]);
    assertEquals(List.of(), readInParts(file, 1));
  }

  /** The transform splits a dump into many parts and still reads each record once. */
  @Test
  public void readsEachRecordOnceWhenAFileIsSplitIntoManyParts() throws Exception {
    List<String> lines = new ArrayList<>();
    List<SourceRecord> records = new ArrayList<>();
    for (int offset = 0; offset < 40; offset++) {
      String line =
          KcatJson.format(
              "t", offset % 3, offset, 5L + offset, "k" + offset, "{\"n\":" + offset + "}");
      lines.add(line);
      records.add(KcatJson.parse(line));
    }
    lines.add(10, "not json");
    File dump = folder.newFile("many.jsonl");
    // No \n after the last record.
    Files.write(dump.toPath(), String.join("\n", lines).getBytes(StandardCharsets.UTF_8));
    long badOffset = 0;
    for (int i = 0; i < 10; i++) {
      badOffset += lines.get(i).length() + 1;
    }

    ReadArchivedTopics.Result read =
        p.apply(ReadArchivedTopics.from(dump.getAbsolutePath()).withClock(CLOCK).withSplitBytes(7));

    PAssert.that(read.records()).containsInAnyOrder(records);
    PAssert.that(read.deadLetters())
        .containsInAnyOrder(
            DeadLetter.create(
                "archive:" + dump.getAbsolutePath(),
                -1,
                badOffset,
                SEEN,
                null,
                "not json",
                DeadLetter.Encoding.TEXT,
                ReasonCode.MALFORMED,
                "archive line is not JSON: Unrecognized token 'not': was expecting (JSON String,"
                    + " Number, Array, Object or token 'null', 'true' or 'false')",
                SEEN));
    p.run().waitUntilFinish();
  }

  @Test
  public void displayDataShowsThePatternAndTheSplitSize() {
    DisplayData defaults =
        DisplayData.from(ReadArchivedTopics.from("gs://archive/2026-11-20/*.jsonl"));
    assertThat(defaults, hasDisplayItem("filePattern", "gs://archive/2026-11-20/*.jsonl"));
    assertThat(defaults, hasDisplayItem("splitBytes", 32L << 20));

    DisplayData split =
        DisplayData.from(ReadArchivedTopics.from("dumps/*.jsonl").withSplitBytes(7));
    assertThat(split, hasDisplayItem("splitBytes", 7));
  }

  /** Reads {@code file} in consecutive parts of {@code size} bytes: "offset:line" in order. */
  private static List<String> readInParts(File file, long size) throws Exception {
    List<String> lines = new ArrayList<>();
    long length = file.length();
    try (SeekableByteChannel channel = Files.newByteChannel(file.toPath())) {
      for (OffsetRange part : new OffsetRange(0, length).split(size, 1)) {
        OffsetRangeTracker tracker = new OffsetRangeTracker(part);
        ReadArchivedTopics.ParseLinesFn.readLines(
            channel,
            tracker,
            (offset, line) -> lines.add(offset + ":" + new String(line, StandardCharsets.UTF_8)));
        tracker.checkDone();
      }
    }
    return lines;
  }
}
