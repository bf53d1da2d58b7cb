package dev.learnerpulse.archive;

import static java.util.Objects.requireNonNull;

import dev.learnerpulse.beam.TupleResult;
import dev.learnerpulse.metrics.DeadLetterLog;
import dev.learnerpulse.metrics.OutcomeCounters;
import dev.learnerpulse.model.DeadLetter;
import dev.learnerpulse.model.InvalidRecordException;
import dev.learnerpulse.model.SourceRecord;
import java.io.IOException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.time.Clock;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.range.OffsetRange;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.splittabledofn.OffsetRangeTracker;
import org.apache.beam.sdk.transforms.splittabledofn.RestrictionTracker;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.joda.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads archived topics ({@link KcatJson} dumps) matching a file pattern, local or {@code gs://}
 * through Beam's FileSystems, as the bounded source of a backfill. A line that is not a dump record
 * becomes a {@code MALFORMED} dead letter whose topic is {@code archive:<file>}, whose partition is
 * -1, whose offset is the byte offset the line starts at (counted as input and dead letter of that
 * pseudo-topic; a part of a file read in parallel cannot know its line numbers) and whose value is
 * the line's bytes exactly as in the file (base64 when they are not text), so a damaged archive
 * loses nothing silently. Lines end at {@code \n} only. A pattern that matches no file is an error:
 * a backfill of nothing is a mistake.
 *
 * <pre>{@code
 * ReadArchivedTopics.Result read =
 *     p.apply("ReadArchivedTopics", ReadArchivedTopics.from("gs://archive/2026-11-20/*.jsonl"));
 * }</pre>
 */
public final class ReadArchivedTopics extends PTransform<PBegin, ReadArchivedTopics.Result> {
  public static final TupleTag<SourceRecord> RECORDS = new TupleTag<SourceRecord>() {};
  public static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<DeadLetter>() {};

  /** Parts of about this size are read in parallel; a 1.3 GB dump makes 42 of them. */
  static final long DEFAULT_SPLIT_BYTES = 32L << 20;

  /** The restriction of a file that cannot be split: one position, claimed once. */
  private static final OffsetRange WHOLE_FILE = new OffsetRange(0, 1);

  private final String filePattern;
  private final Clock clock;
  private final long splitBytes;

  private ReadArchivedTopics(String filePattern, Clock clock, long splitBytes) {
    this.filePattern = filePattern;
    this.clock = clock;
    this.splitBytes = splitBytes;
  }

  public static ReadArchivedTopics from(String filePattern) {
    requireNonNull(filePattern, "filePattern");
    if (filePattern.isBlank()) {
      throw new IllegalArgumentException("The archive file pattern must not be empty");
    }
    return new ReadArchivedTopics(filePattern, Clock.systemUTC(), DEFAULT_SPLIT_BYTES);
  }

  /** The clock that stamps dead letters' {@code seen_at}; tests fix it. */
  public ReadArchivedTopics withClock(Clock clock) {
    return new ReadArchivedTopics(filePattern, requireNonNull(clock, "clock"), splitBytes);
  }

  /** Reads files in parts of about {@code bytes}; tests split tiny files into many parts. */
  public ReadArchivedTopics withSplitBytes(long bytes) {
    if (bytes < 1) {
      throw new IllegalArgumentException("The split size must be at least 1 byte, not " + bytes);
    }
    return new ReadArchivedTopics(filePattern, clock, bytes);
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder
        .add(DisplayData.item("filePattern", filePattern).withLabel("File pattern"))
        .add(DisplayData.item("splitBytes", splitBytes).withLabel("Split size (bytes)"));
  }

  @Override
  public Result expand(PBegin input) {
    PCollectionTuple outputs =
        input
            .apply(
                "MatchFiles",
                FileIO.match()
                    .filepattern(filePattern)
                    .withEmptyMatchTreatment(EmptyMatchTreatment.DISALLOW))
            .apply("OpenFiles", FileIO.readMatches())
            .apply(
                "ParseLines",
                ParDo.of(new ParseLinesFn(clock, splitBytes))
                    .withOutputTags(RECORDS, TupleTagList.of(DEAD_LETTERS)));
    return new Result(outputs);
  }

  /** The archived records, and the lines that are not records. */
  public static final class Result extends TupleResult {
    private Result(PCollectionTuple outputs) {
      super(outputs);
    }

    public PCollection<SourceRecord> records() {
      return get(RECORDS);
    }

    public PCollection<DeadLetter> deadLetters() {
      return get(DEAD_LETTERS);
    }
  }

  /**
   * Reads the lines of a file that start in a range of its byte offsets, so that one large file is
   * read by all workers. As Beam's {@code TextSource} does, a line belongs to the range holding its
   * first byte: a range that does not start the file begins after the first {@code \n} at or after
   * the byte before it, and its last line may run past its end. A compressed file (or one a reader
   * cannot seek) is one unsplittable range.
   */
  @DoFn.BoundedPerElement
  static final class ParseLinesFn extends DoFn<FileIO.ReadableFile, SourceRecord> {
    private static final Logger LOG = LoggerFactory.getLogger(ParseLinesFn.class);
    private final Clock clock;
    private final long splitBytes;
    private transient OutcomeCounters counters;
    private transient DeadLetterLog log;

    ParseLinesFn(Clock clock, long splitBytes) {
      this.clock = clock;
      this.splitBytes = splitBytes;
    }

    @Setup
    public void setup() {
      counters = new OutcomeCounters();
      log = new DeadLetterLog(LOG);
    }

    @GetInitialRestriction
    public OffsetRange initialRestriction(@Element FileIO.ReadableFile file) {
      return splittable(file) ? new OffsetRange(0, file.getMetadata().sizeBytes()) : WHOLE_FILE;
    }

    @SplitRestriction
    public void splitRestriction(
        @Element FileIO.ReadableFile file,
        @Restriction OffsetRange range,
        OutputReceiver<OffsetRange> out) {
      if (!splittable(file)) {
        out.output(range);
        return;
      }
      for (OffsetRange part : range.split(splitBytes, 1)) {
        out.output(part);
      }
    }

    @NewTracker
    public OffsetRangeTracker newTracker(@Restriction OffsetRange range) {
      return new OffsetRangeTracker(range);
    }

    @ProcessElement
    public void process(
        @Element FileIO.ReadableFile file,
        RestrictionTracker<OffsetRange, Long> tracker,
        MultiOutputReceiver out)
        throws IOException {
      String name = file.getMetadata().resourceId().toString();
      LineConsumer parse = (offset, line) -> parseLine(name, offset, line, out);
      if (splittable(file)) {
        try (SeekableByteChannel channel = file.openSeekable()) {
          readLines(channel, tracker, parse);
        }
      } else if (tracker.tryClaim(0L)) {
        try (ReadableByteChannel channel = file.open()) {
          LineReader lines = new LineReader(channel, 0);
          for (long at = 0; ; at = lines.position()) {
            byte[] line = lines.next();
            if (line == null) {
              break;
            }
            parse.accept(at, line);
          }
        }
      }
    }

    /** Hands each line that starts in the tracker's range to {@code consumer}, with its offset. */
    static void readLines(
        SeekableByteChannel channel,
        RestrictionTracker<OffsetRange, Long> tracker,
        LineConsumer consumer)
        throws IOException {
      long from = tracker.currentRestriction().getFrom();
      LineReader lines =
          new LineReader(channel.position(Math.max(0, from - 1)), Math.max(0, from - 1));
      if (from > 0 && !lines.skipPastLineFeed()) {
        tracker.tryClaim(Long.MAX_VALUE);
        return;
      }
      while (tracker.tryClaim(lines.position())) {
        long at = lines.position();
        byte[] line = lines.next();
        if (line == null) {
          tracker.tryClaim(Long.MAX_VALUE); // the file is shorter than its listed size
          return;
        }
        consumer.accept(at, line);
      }
    }

    private void parseLine(String file, long offset, byte[] line, MultiOutputReceiver out) {
      if (LineReader.isBlank(line)) {
        return;
      }
      SourceRecord record;
      try {
        record = KcatJson.parse(line);
      } catch (InvalidRecordException e) {
        Instant now = new Instant(clock.millis());
        SourceRecord unreadable =
            SourceRecord.create("archive:" + file, -1, offset, now, null, line);
        log.deadLetter(e.reason(), unreadable.position());
        counters.input(unreadable.getTopic());
        counters.deadLetter(e.reason(), unreadable.getTopic());
        out.get(DEAD_LETTERS).output(DeadLetter.of(unreadable, e.reason(), e.detail(), now));
        return;
      }
      out.get(RECORDS).output(record);
    }

    private static boolean splittable(FileIO.ReadableFile file) {
      return file.getCompression() == Compression.UNCOMPRESSED
          && file.getMetadata().isReadSeekEfficient();
    }
  }

  /** One line and the byte offset it starts at. */
  @FunctionalInterface
  interface LineConsumer {
    void accept(long offset, byte[] line);
  }
}
