package dev.learnerpulse.archive;

import static java.util.Objects.requireNonNull;

import dev.learnerpulse.metrics.DeadLetterLog;
import dev.learnerpulse.metrics.OutcomeCounters;
import dev.learnerpulse.model.DeadLetter;
import dev.learnerpulse.model.InvalidRecordException;
import dev.learnerpulse.model.SourceRecord;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.time.Clock;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads archived topics ({@link KcatJson} dumps) matching a file pattern, local or {@code gs://}
 * through Beam's FileSystems, as the bounded source of a backfill. A line that is not a dump record
 * becomes a {@code MALFORMED} dead letter whose topic is {@code archive:<file>}, whose partition is
 * -1, whose offset is the line number (counted as input and dead letter of that pseudo-topic) and
 * whose value is the line's bytes exactly as in the file (base64 when they are not text), so a
 * damaged archive loses nothing silently. Lines end at {@code \n} only. A pattern that matches no file is an
 * error: a backfill of nothing is a mistake.
 *
 * <pre>{@code
 * WithFailures.Result<PCollection<SourceRecord>, DeadLetter> records =
 *     p.apply("ReadArchivedTopics", ReadArchivedTopics.from("gs://archive/2026-11-20/*.jsonl"));
 * }</pre>
 */
public final class ReadArchivedTopics
    extends PTransform<PBegin, WithFailures.Result<PCollection<SourceRecord>, DeadLetter>> {
  public static final TupleTag<SourceRecord> RECORDS = new TupleTag<SourceRecord>() {};
  public static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<DeadLetter>() {};

  private final String filePattern;
  private final Clock clock;

  private ReadArchivedTopics(String filePattern, Clock clock) {
    this.filePattern = filePattern;
    this.clock = clock;
  }

  public static ReadArchivedTopics from(String filePattern) {
    requireNonNull(filePattern, "filePattern");
    if (filePattern.isBlank()) {
      throw new IllegalArgumentException("The archive file pattern must not be empty");
    }
    return new ReadArchivedTopics(filePattern, Clock.systemUTC());
  }

  /** The clock that stamps dead letters' {@code seen_at}; tests fix it. */
  public ReadArchivedTopics withClock(Clock clock) {
    return new ReadArchivedTopics(filePattern, requireNonNull(clock, "clock"));
  }

  @Override
  public WithFailures.Result<PCollection<SourceRecord>, DeadLetter> expand(PBegin input) {
    PCollectionTuple outputs =
        input
            .apply(
                "MatchFiles",
                FileIO.match().filepattern(filePattern).withEmptyMatchTreatment(EmptyMatchTreatment.DISALLOW))
            .apply("OpenFiles", FileIO.readMatches())
            .apply(
                "ParseLines",
                ParDo.of(new ParseLinesFn(clock))
                    .withOutputTags(RECORDS, TupleTagList.of(DEAD_LETTERS)));
    return WithFailures.Result.of(outputs, RECORDS, DEAD_LETTERS);
  }

  static final class ParseLinesFn extends DoFn<FileIO.ReadableFile, SourceRecord> {
    private static final Logger LOG = LoggerFactory.getLogger(ParseLinesFn.class);
    private final Clock clock;
    private transient OutcomeCounters counters;
    private transient DeadLetterLog log;

    ParseLinesFn(Clock clock) {
      this.clock = clock;
    }

    @Setup
    public void setup() {
      counters = new OutcomeCounters();
      log = new DeadLetterLog(LOG);
    }

    @ProcessElement
    public void process(@Element FileIO.ReadableFile file, MultiOutputReceiver out)
        throws IOException {
      String name = file.getMetadata().resourceId().toString();
      try (InputStream in = new BufferedInputStream(Channels.newInputStream(file.open()), 1 << 16)) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        long lineNumber = 0;
        for (byte[] line = nextLine(in, buffer); line != null; line = nextLine(in, buffer)) {
          lineNumber++;
          if (isBlank(line)) {
            continue;
          }
          SourceRecord record;
          try {
            record = KcatJson.parse(line);
          } catch (InvalidRecordException e) {
            Instant now = new Instant(clock.millis());
            SourceRecord unreadable =
                SourceRecord.create("archive:" + name, -1, lineNumber, now, null, line);
            log.deadLetter(e.reason(), unreadable.position());
            counters.input(unreadable.getTopic());
            counters.deadLetter(e.reason(), unreadable.getTopic());
            out.get(DEAD_LETTERS).output(DeadLetter.of(unreadable, e.reason(), e.detail(), now));
            continue;
          }
          out.get(RECORDS).output(record);
        }
      }
    }

    /**
     * The bytes up to the next {@code \n} (without it), null at the end of the file. Only a line
     * feed ends a line, as in kcat's output: a lone carriage return inside binary data does not,
     * and the bytes are kept as they are, never decoded with replacement characters.
     */
    static byte @Nullable [] nextLine(InputStream in, ByteArrayOutputStream buffer)
        throws IOException {
      buffer.reset();
      int b = in.read();
      if (b < 0) {
        return null;
      }
      while (b >= 0 && b != '\n') {
        buffer.write(b);
        b = in.read();
      }
      return buffer.toByteArray();
    }

    private static boolean isBlank(byte[] line) {
      for (byte b : line) {
        if (b != ' ' && b != '\t' && b != '\r') {
          return false;
        }
      }
      return true;
    }
  }
}
