package dev.learnerpulse.archive;

import static java.util.Objects.requireNonNull;

import dev.learnerpulse.model.SourceRecord;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.extensions.avro.io.AvroIO;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * Reads raw change archive files ({@link WriteRawArchive}) matching a file pattern as the bounded
 * source of a backfill: each archived record becomes the {@link SourceRecord} that a {@code kcat -C
 * -J} dump line of the same record gives, so decoding, validation and dead letters treat both
 * alike. Beam's {@link AvroIO} splits the files at their sync markers, so one large file is read by
 * all workers.
 *
 * <p>Damage is found at launch, not mid-job: {@link #countRecords} walks every block of every file
 * (header, schema, block framing and sync markers, decompression) and names the first file that
 * fails. A record cannot be damaged on its own in a way that leaves its block readable, so there is
 * no per-record dead letter here; the records themselves go through the same dead-letter rules as
 * any other.
 *
 * <pre>{@code
 * PCollection<SourceRecord> records =
 *     p.apply("ReadRawArchive", ReadRawArchive.from("gs://raw/dt=2026-11-20/hour=*\/*.avro"));
 * }</pre>
 */
public final class ReadRawArchive extends PTransform<PBegin, PCollection<SourceRecord>> {
  private final String filePattern;

  private ReadRawArchive(String filePattern) {
    this.filePattern = filePattern;
  }

  public static ReadRawArchive from(String filePattern) {
    requireNonNull(filePattern, "filePattern");
    if (filePattern.isBlank()) {
      throw new IllegalArgumentException("The archive file pattern must not be empty");
    }
    return new ReadRawArchive(filePattern);
  }

  /** Whether a file pattern names raw archive files (Avro) rather than kcat dumps. */
  public static boolean isRawArchive(String filePattern) {
    return filePattern.trim().endsWith(".avro");
  }

  @Override
  public PCollection<SourceRecord> expand(PBegin input) {
    try {
      return input
          .apply(
              "MatchFiles",
              FileIO.match()
                  .filepattern(filePattern)
                  .withEmptyMatchTreatment(EmptyMatchTreatment.DISALLOW))
          .apply("OpenFiles", FileIO.readMatches())
          .apply(
              "ParseRecords",
              AvroIO.parseFilesGenericRecords(new ToSourceRecord())
                  .withCoder(
                      input.getPipeline().getSchemaRegistry().getSchemaCoder(SourceRecord.class)));
    } catch (NoSuchSchemaException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The records in the files matching {@code filePattern}, from the files' block headers (no record
   * is decoded); an {@link IllegalArgumentException} naming the file when one is not a readable raw
   * archive file, or when nothing matches.
   */
  public static long countRecords(String filePattern) {
    long records = 0;
    MatchResult.Metadata current = null;
    try {
      MatchResult match = FileSystems.match(filePattern, EmptyMatchTreatment.DISALLOW);
      for (MatchResult.Metadata file : match.metadata()) {
        current = file;
        try (InputStream in = Channels.newInputStream(FileSystems.open(file.resourceId()));
            DataFileStream<GenericRecord> blocks =
                new DataFileStream<>(in, new GenericDatumReader<>())) {
          checkSchema(blocks.getSchema());
          while (blocks.hasNext()) {
            records += blocks.getBlockCount();
            blocks.nextBlock();
          }
        }
      }
    } catch (IOException | AvroRuntimeException e) {
      String where =
          current == null ? "--inputPattern " + filePattern : current.resourceId().toString();
      throw new IllegalArgumentException(
          where
              + " is not a readable raw archive ("
              + e.getMessage()
              + "): move the file aside, or narrow --inputPattern",
          e);
    }
    return records;
  }

  /** Every field the reader reads must be there with its type; more fields are fine. */
  private static void checkSchema(Schema schema) throws IOException {
    for (Schema.Field field : RawRecords.SCHEMA.getFields()) {
      Schema.Field found = schema.getField(field.name());
      if (found == null || !found.schema().equals(field.schema())) {
        throw new IOException(
            "its records are "
                + schema.getFullName()
                + ", not raw Kafka records (no field '"
                + field.name()
                + "' of type "
                + field.schema()
                + ")");
      }
    }
  }

  static final class ToSourceRecord implements SerializableFunction<GenericRecord, SourceRecord> {
    @Override
    public SourceRecord apply(GenericRecord record) {
      return RawRecords.toSourceRecord(record);
    }
  }
}
