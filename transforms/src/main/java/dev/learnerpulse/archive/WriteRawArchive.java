package dev.learnerpulse.archive;

import static java.util.Objects.requireNonNull;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.extensions.avro.io.AvroIO;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.WriteFilesResult;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.windowing.AfterProcessingTime;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.transforms.windowing.Repeatedly;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;

/**
 * Writes raw Kafka records ({@link RawRecords}) to the raw change archive: deflate-compressed Avro
 * container files under {@code <directory>/dt=YYYY-MM-DD/hour=HH/}, the UTC hour of each record's
 * Kafka timestamp, named {@code raw-<run>-pane-<pane>-shard-<shard>-of-<shards>.avro}.
 *
 * <pre>{@code
 * rawRecords.apply("WriteRawArchive",
 *     WriteRawArchive.to("gs://my-project-raw-archive/raw").withRunId("20261120T070000Z"));
 * }</pre>
 *
 * <p>Every record lands in exactly one file. The records are not windowed by event time: a window
 * would drop a record that comes later than its allowed lateness, and an archive must keep every
 * record read. They are gathered in the global window and written every {@code frequency} of
 * processing time (discarding panes); the hour directory comes from the record's own Kafka
 * timestamp, so a late record still lands in its hour, in a file of a later pane.
 *
 * <p>Beam's {@code WriteFiles} writes each pane's shard to a temporary file and renames it to its
 * final name once the shard is complete; the final name depends only on the destination hour, the
 * run, the pane index (kept in state, per hour and shard) and the shard, so a retried bundle writes
 * the same name again instead of a second file. The run id (the launch time) keeps a new job, whose
 * pane indices start again at 0, from overwriting the files of an earlier one. See docs/backfill.md
 * for what holds on Dataflow and on Flink.
 */
public final class WriteRawArchive
    extends PTransform<PCollection<GenericRecord>, WriteFilesResult<String>> {
  /** A file per hour and shard every minute: about 60 files per hour and shard. */
  public static final Duration DEFAULT_FREQUENCY = Duration.standardMinutes(1);

  private static final int DEFLATE_LEVEL = 6;
  private static final DateTimeFormatter HOUR =
      DateTimeFormatter.ofPattern("'dt='uuuu-MM-dd'/hour='HH", Locale.ROOT)
          .withZone(ZoneOffset.UTC);

  private final String directory;
  private final @Nullable String runId;
  private final int shards;
  private final Duration frequency;

  private WriteRawArchive(
      String directory, @Nullable String runId, int shards, Duration frequency) {
    this.directory = directory;
    this.runId = runId;
    this.shards = shards;
    this.frequency = frequency;
  }

  /** Writes under {@code directory}, local or {@code gs://}. */
  public static WriteRawArchive to(String directory) {
    requireNonNull(directory, "directory");
    if (directory.isBlank()) {
      throw new IllegalArgumentException("The raw archive directory must not be empty");
    }
    return new WriteRawArchive(directory, null, 1, DEFAULT_FREQUENCY);
  }

  /** Names this job's files apart from other jobs' (letters, digits, '.', '_' and '-'). */
  public WriteRawArchive withRunId(String runId) {
    requireNonNull(runId, "runId");
    if (!runId.matches("[A-Za-z0-9._-]+")) {
      throw new IllegalArgumentException(
          "The raw archive's run id must be letters, digits, '.', '_' or '-', not '" + runId + "'");
    }
    return new WriteRawArchive(directory, runId, shards, frequency);
  }

  /** The run id given with {@link #withRunId}; null before. */
  public @Nullable String runId() {
    return runId;
  }

  /** Files written in parallel per hour and pane. */
  public WriteRawArchive withShards(int shards) {
    if (shards < 1) {
      throw new IllegalArgumentException("The raw archive needs at least 1 shard, not " + shards);
    }
    return new WriteRawArchive(directory, runId, shards, frequency);
  }

  /** How often (processing time) the records read since the last write are written. */
  public WriteRawArchive withFrequency(Duration frequency) {
    requireNonNull(frequency, "frequency");
    if (!frequency.isLongerThan(Duration.ZERO)) {
      throw new IllegalArgumentException(
          "The raw archive's write frequency must be positive, not " + frequency);
    }
    return new WriteRawArchive(directory, runId, shards, frequency);
  }

  @Override
  public WriteFilesResult<String> expand(PCollection<GenericRecord> records) {
    if (runId == null) {
      throw new IllegalStateException("WriteRawArchive needs withRunId(...)");
    }
    return records
        .apply(
            "InProcessingTimePanes",
            Window.<GenericRecord>into(new GlobalWindows())
                .triggering(
                    Repeatedly.forever(
                        AfterProcessingTime.pastFirstElementInPane().plusDelayOf(frequency)))
                .discardingFiredPanes()
                .withAllowedLateness(Duration.ZERO))
        .apply(
            "WriteAvroFiles",
            FileIO.<String, GenericRecord>writeDynamic()
                .by(new HourOfKafkaTime())
                .withDestinationCoder(StringUtf8Coder.of())
                .via(AvroIO.<GenericRecord>sink(RawRecords.SCHEMA).withCodec(codec()))
                .to(directory)
                .withNaming(new PaneFileNaming(runId))
                .withNumShards(shards));
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder
        .add(DisplayData.item("directory", directory))
        .add(DisplayData.item("shards", shards))
        .add(DisplayData.item("frequency", frequency.toString()));
  }

  /** The archive's compression; other writers of archive files (test data) use it too. */
  public static CodecFactory codec() {
    return CodecFactory.deflateCodec(DEFLATE_LEVEL);
  }

  /** {@code dt=YYYY-MM-DD/hour=HH}: the directory of a Kafka timestamp, in UTC. */
  public static String hourDirectory(long timestampMillis) {
    return HOUR.format(java.time.Instant.ofEpochMilli(timestampMillis));
  }

  /** The path of a pane's shard under the archive directory, as this transform names it. */
  public static String fileName(String hour, String runId, long pane, int shard, int shards) {
    return String.format(
        Locale.ROOT,
        "%s/raw-%s-pane-%05d-shard-%05d-of-%05d.avro",
        hour,
        runId,
        pane,
        shard,
        shards);
  }

  /** {@code dt=YYYY-MM-DD/hour=HH} of a record's Kafka timestamp, in UTC. */
  static final class HourOfKafkaTime implements SerializableFunction<GenericRecord, String> {
    @Override
    public String apply(GenericRecord record) {
      return hourDirectory(RawRecords.timestampMillis(record));
    }
  }

  /** The file name of a pane's shard in its hour's directory: the same on every retry. */
  static final class PaneFileNaming
      implements SerializableFunction<String, FileIO.Write.FileNaming> {
    private final String runId;

    PaneFileNaming(String runId) {
      this.runId = runId;
    }

    @Override
    public FileIO.Write.FileNaming apply(String hour) {
      return (BoundedWindow window,
          PaneInfo pane,
          int numShards,
          int shard,
          Compression compression) -> fileName(hour, runId, pane.getIndex(), shard, numShards);
    }
  }
}
