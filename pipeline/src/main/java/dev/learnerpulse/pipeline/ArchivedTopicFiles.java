package dev.learnerpulse.pipeline;

import dev.learnerpulse.ComputeLearnerPulse;
import dev.learnerpulse.archive.ReadArchivedTopics;
import dev.learnerpulse.archive.ReadRawArchive;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollectionTuple;

/**
 * A backfill's archived topics matching a file pattern: {@code kcat -C -J} dumps, or the raw change
 * archive's Avro files when the pattern ends in {@code .avro} ({@link ReadRawArchive}). Raw archive
 * files are checked and counted at launch, so a damaged one stops the launch with its name instead
 * of failing the job midway.
 */
final class ArchivedTopicFiles implements Sources {
  private final String pattern;

  /** The raw archive's records, counted at launch; -1 for dumps. */
  private final long rawRecords;

  ArchivedTopicFiles(String pattern) {
    this.pattern = pattern;
    this.rawRecords =
        ReadRawArchive.isRawArchive(pattern) ? ReadRawArchive.countRecords(pattern) : -1;
  }

  @Override
  public PTransform<PBegin, PCollectionTuple> changeRecords() {
    // Raw archive files cannot fail to be read: countRecords read every block at launch.
    return rawRecords >= 0
        ? Sources.withoutReadFailures("ReadRawArchive", ReadRawArchive.from(pattern))
        : new ReadArchive(pattern);
  }

  /** The archived records, and the lines that are not records as the source's dead letters. */
  private static final class ReadArchive extends PTransform<PBegin, PCollectionTuple> {
    private final String pattern;

    ReadArchive(String pattern) {
      this.pattern = pattern;
    }

    @Override
    public PCollectionTuple expand(PBegin input) {
      ReadArchivedTopics.Result read =
          input.apply("ReadArchivedTopics", ReadArchivedTopics.from(pattern));
      return ComputeLearnerPulse.inputs(read.records())
          .and(ComputeLearnerPulse.SOURCE_DEAD_LETTERS, read.deadLetters());
    }
  }

  /**
   * The lines of the matched files (one record each; a blank line is none, so the total may be a
   * little high): a count of line feeds, much cheaper than parsing. -1 when the files cannot be
   * read here; the job itself then says why.
   */
  @Override
  public long size() {
    if (rawRecords >= 0) {
      return rawRecords;
    }
    try {
      long lines = 0;
      byte[] buffer = new byte[1 << 16];
      for (MatchResult.Metadata file : FileSystems.match(pattern).metadata()) {
        try (InputStream in = Channels.newInputStream(FileSystems.open(file.resourceId()))) {
          for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            for (int i = 0; i < n; i++) {
              if (buffer[i] == '\n') {
                lines++;
              }
            }
          }
        }
      }
      return lines;
    } catch (IOException | UncheckedIOException e) {
      return -1;
    }
  }
}
