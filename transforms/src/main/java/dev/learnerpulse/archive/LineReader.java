package dev.learnerpulse.archive;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.Arrays;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The lines of a byte channel, each with the offset it starts at. Only a line feed ends a line, as
 * in kcat's output: a lone carriage return inside binary data does not, and the bytes are kept as
 * they are, never decoded. A last line without {@code \n} is a line; a file that ends with {@code
 * \n} has no empty line after it.
 *
 * <p>It scans a 64 KiB buffer instead of reading byte by byte through a stream: {@code
 * BufferedInputStream.read()} is synchronized and cost a lock per byte of a 1.8 GB archive.
 */
public final class LineReader {
  private final ReadableByteChannel channel;
  private final byte[] buffer = new byte[1 << 16];
  private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
  private int next;
  private int limit;
  private long position;
  private boolean ended;

  /** Reads {@code channel}, whose next byte is at offset {@code position} of the file. */
  public LineReader(ReadableByteChannel channel, long position) {
    this.channel = channel;
    this.position = position;
  }

  /** Whether a line holds only spaces, tabs and carriage returns: a dump's lines to skip. */
  public static boolean isBlank(byte[] line) {
    for (byte b : line) {
      if (b != ' ' && b != '\t' && b != '\r') {
        return false;
      }
    }
    return true;
  }

  /** The file offset of the next byte, which starts the next line after {@link #next()}. */
  public long position() {
    return position;
  }

  /** Skips to just past the next line feed; false when the file ends first. */
  boolean skipPastLineFeed() throws IOException {
    while (fill()) {
      for (int i = next; i < limit; i++) {
        if (buffer[i] == '\n') {
          advance(i + 1);
          return true;
        }
      }
      advance(limit);
    }
    return false;
  }

  /** The bytes up to the next {@code \n} (without it), null at the end of the file. */
  public byte @Nullable [] next() throws IOException {
    partial.reset();
    boolean any = false;
    while (fill()) {
      any = true;
      for (int i = next; i < limit; i++) {
        if (buffer[i] == '\n') {
          byte[] line;
          if (partial.size() == 0) {
            line = Arrays.copyOfRange(buffer, next, i);
          } else {
            partial.write(buffer, next, i - next);
            line = partial.toByteArray();
          }
          advance(i + 1);
          return line;
        }
      }
      partial.write(buffer, next, limit - next);
      advance(limit);
    }
    return any ? partial.toByteArray() : null;
  }

  private void advance(int to) {
    position += to - next;
    next = to;
  }

  /** True when unread bytes are in the buffer, reading more when it is empty. */
  private boolean fill() throws IOException {
    if (next < limit) {
      return true;
    }
    if (ended) {
      return false;
    }
    next = 0;
    limit = 0;
    while (limit == 0) {
      int n = channel.read(ByteBuffer.wrap(buffer));
      if (n < 0) {
        ended = true;
        return false;
      }
      limit = n;
    }
    return true;
  }
}
