package dev.learnerpulse.testkit.testdata;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.learnerpulse.archive.KcatJson;
import dev.learnerpulse.archive.LineReader;
import dev.learnerpulse.archive.RawRecords;
import dev.learnerpulse.archive.WriteRawArchive;
import dev.learnerpulse.model.InvalidRecordException;
import dev.learnerpulse.model.RowJson;
import dev.learnerpulse.model.SourceRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;

/**
 * Turns {@code kcat -C -J} dumps into a raw change archive, the files the streaming job's {@code
 * --rawArchive} writes (same schema, compression and {@code dt=…/hour=…} layout, one file per hour
 * named as pane 0, shard 0 of run {@code kcat}), without a broker or a streaming run: so that an
 * archive of a million generated records can be backfilled and measured against the dumps.
 *
 * <pre>{@code
 * java -cp learner-pulse-tools.jar dev.learnerpulse.testkit.testdata.KcatToRawArchive \
 *     /tmp/raw1m /tmp/archive1m/lxp.*.jsonl
 * }</pre>
 *
 * <p>A dump carries no headers, so archived records have none. A line that is not a dump record
 * cannot be a Kafka record; it is not archived, but named on stderr, and the exit status is 1, as a
 * backfill of the dumps would dead-letter it and one of the archive would never see it.
 */
public final class KcatToRawArchive {
  /** The run id in the files' names. */
  static final String RUN_ID = "kcat";

  private KcatToRawArchive() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 2) {
      System.err.println("usage: KcatToRawArchive <archive directory> <dump.jsonl>...");
      System.exit(2);
      return;
    }
    List<Path> dumps = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      dumps.add(Path.of(args[i]));
    }
    Conversion done = convert(dumps, Path.of(args[0]));
    System.out.println(
        "archived " + done.records + " records in " + done.files + " files under " + args[0]);
    if (!done.notRecords.isEmpty()) {
      System.err.println(done.notRecords.size() + " lines are not dump records, not archived:");
      done.notRecords.forEach(System.err::println);
      System.exit(1);
    }
  }

  /** What {@link #convert} wrote, and the lines ({@code file:offset reason}) it could not. */
  public static final class Conversion {
    private long records;
    private int files;
    private final List<String> notRecords = new ArrayList<>();

    public long records() {
      return records;
    }

    public int files() {
      return files;
    }

    public List<String> notRecords() {
      return notRecords;
    }
  }

  /**
   * Writes the records of {@code dumps} under {@code archive}, each in the hour of its timestamp.
   */
  public static Conversion convert(List<Path> dumps, Path archive) throws IOException {
    Conversion done = new Conversion();
    Map<String, DataFileWriter<GenericRecord>> hours = new TreeMap<>();
    try {
      for (Path dump : dumps) {
        try (FileChannel channel = FileChannel.open(dump, StandardOpenOption.READ)) {
          LineReader lines = new LineReader(channel, 0);
          for (long at = 0; ; at = lines.position()) {
            byte[] line = lines.next();
            if (line == null) {
              break;
            }
            if (LineReader.isBlank(line)) {
              continue;
            }
            SourceRecord record;
            try {
              record = KcatJson.parse(line);
            } catch (InvalidRecordException e) {
              done.notRecords.add(dump + ":" + at + " " + e.reason());
              continue;
            }
            long millis = record.getTimestamp().getMillis();
            hours
                .computeIfAbsent(
                    WriteRawArchive.hourDirectory(millis), hour -> open(archive, hour, done))
                .append(
                    RawRecords.record(
                        record.getTopic(),
                        record.getPartition(),
                        record.getOffset(),
                        millis,
                        timestampType(line),
                        record.getKey(),
                        record.getValue(),
                        List.of()));
            done.records++;
          }
        }
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    } finally {
      for (DataFileWriter<GenericRecord> writer : hours.values()) {
        writer.close();
      }
    }
    return done;
  }

  private static DataFileWriter<GenericRecord> open(Path archive, String hour, Conversion done) {
    Path file = archive.resolve(WriteRawArchive.fileName(hour, RUN_ID, 0, 0, 1));
    try {
      Files.createDirectories(file.getParent());
      DataFileWriter<GenericRecord> writer =
          new DataFileWriter<GenericRecord>(new GenericDatumWriter<>(RawRecords.SCHEMA))
              .setCodec(WriteRawArchive.codec());
      writer.create(RawRecords.SCHEMA, file.toFile());
      done.files++;
      return writer;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Kafka's name of the line's {@code tstype} (kcat writes {@code create}, {@code logappend} or
   * {@code unknown}); {@code CreateTime} when there is none, as a producer's records have.
   */
  static String timestampType(byte[] line) throws IOException {
    try (JsonParser parser = RowJson.reader().getFactory().createParser(line)) {
      parser.nextToken();
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        parser.nextToken();
        if (field.equals("tstype")) {
          switch (parser.getText()) {
            case "logappend":
              return "LogAppendTime";
            case "unknown":
              return "NoTimestampType";
            default:
              return "CreateTime";
          }
        }
        parser.skipChildren();
      }
    }
    return "CreateTime";
  }
}
