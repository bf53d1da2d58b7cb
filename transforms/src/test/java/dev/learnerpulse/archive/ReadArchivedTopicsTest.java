package dev.learnerpulse.archive;

import dev.learnerpulse.model.DeadLetter;
import dev.learnerpulse.model.ReasonCode;
import dev.learnerpulse.model.SourceRecord;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Base64;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Issue 13, item 6: an archive is read as bytes, lines end at \n only, dead letters keep bytes. */
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

    WithFailures.Result<PCollection<SourceRecord>, DeadLetter> read =
        p.apply(ReadArchivedTopics.from(dump.getAbsolutePath()).withClock(CLOCK));

    PAssert.that(read.output()).containsInAnyOrder(KcatJson.parse(good));
    PAssert.that(read.failures())
        .containsInAnyOrder(
            DeadLetter.create(
                topic, -1, 2, SEEN, null, Base64.getEncoder().encodeToString(badByte),
                DeadLetter.Encoding.BASE64, ReasonCode.MALFORMED,
                "archive line is not JSON: Invalid UTF-8 middle byte 0x22", SEEN),
            DeadLetter.create(
                topic, -1, 4, SEEN, null, Base64.getEncoder().encodeToString(binary),
                DeadLetter.Encoding.BASE64, ReasonCode.MALFORMED,
                "archive line is not JSON: Illegal character ((CTRL-CHAR, code 1)): only regular"
                    + " white space (\\r, \\n, \\t) is allowed between tokens",
                SEEN));
    p.run().waitUntilFinish();
  }
}
