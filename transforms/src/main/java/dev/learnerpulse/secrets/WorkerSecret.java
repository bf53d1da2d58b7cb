package dev.learnerpulse.secrets;

import java.io.IOException;
import java.io.Serializable;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.apache.beam.sdk.io.FileSystems;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A credential read where it is used, on the worker: the job graph carries only the Secret Manager
 * version name ({@code projects/P/secrets/S/versions/V}) and the {@link SecretReader}, never the
 * value, so a serialized DoFn, source or client factory holds nothing worth stealing and a rotated
 * secret (a {@code versions/latest} name) reaches running workers without a relaunch. The value is
 * read on first use and cached per deserialized copy; a client whose credentials are refused calls
 * {@link #refresh()} and tries once more.
 *
 * <p>{@link #plain} keeps a value itself, for local runs and tests only: it does travel in the
 * graph, which is why {@code LearnerPulse} refuses plain values on Dataflow.
 *
 * <p>Not a Beam {@code Secret}, though it reads like one: nothing hands it to Beam, and the
 * dashboard image uses it (through {@code RedisUrl}) without Beam on its class path. Only {@link
 * #fromFile} reaches Beam's file systems.
 *
 * <pre>{@code
 * WorkerSecret password =
 *     WorkerSecret.fromSecretManager(
 *         "projects/p/secrets/redis-auth/versions/latest", SecretReader.secretManager());
 * }</pre>
 */
public final class WorkerSecret implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Pattern VERSION_NAME =
      Pattern.compile("projects/[^/\\s]+/secrets/[^/\\s]+/versions/[^/\\s]+");

  private final @Nullable String versionName;
  private final @Nullable SecretReader reader;
  private final @Nullable String path;
  private final byte @Nullable [] plain;
  private transient volatile byte @Nullable [] cached;

  private WorkerSecret(
      @Nullable String versionName,
      @Nullable SecretReader reader,
      @Nullable String path,
      byte @Nullable [] plain) {
    this.versionName = versionName;
    this.reader = reader;
    this.path = path;
    this.plain = plain;
  }

  /** Whether {@code value} is a Secret Manager version name. */
  public static boolean isVersionName(@Nullable String value) {
    return value != null && VERSION_NAME.matcher(value.trim()).matches();
  }

  public static WorkerSecret fromSecretManager(String versionName, SecretReader reader) {
    if (!isVersionName(versionName)) {
      throw new IllegalArgumentException(
          "not a Secret Manager version name (projects/P/secrets/S/versions/V): " + versionName);
    }
    if (reader == null) {
      throw new IllegalArgumentException("a SecretReader is required");
    }
    return new WorkerSecret(versionName.trim(), reader, null, null);
  }

  /**
   * The contents of a file, {@code gs://...} or local, read on the worker through Beam's file
   * systems: for material that is not secret (a CA certificate) or local runs.
   */
  public static WorkerSecret fromFile(String path) {
    if (path == null || path.isBlank()) {
      throw new IllegalArgumentException("a file path can not be empty");
    }
    return new WorkerSecret(null, null, path.trim(), null);
  }

  /** The value itself, carried in the job graph: local runs and tests only. */
  public static WorkerSecret plain(String value) {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("a secret value can not be empty");
    }
    return new WorkerSecret(null, null, null, value.getBytes(StandardCharsets.UTF_8));
  }

  public boolean isPlain() {
    return plain != null;
  }

  /** The payload; read once, then from the cache until {@link #refresh()}. */
  public byte[] getSecretBytes() {
    byte[] value = cached;
    if (value == null) {
      value = read();
      cached = value;
    }
    return value.clone();
  }

  /** The payload as text, without surrounding white space (secret files often end in a newline). */
  public String value() {
    return new String(getSecretBytes(), StandardCharsets.UTF_8).trim();
  }

  /**
   * Forgets the cached value, so that the next use reads the current version: what a client does
   * once when the server refused the credentials, in case the secret was rotated.
   */
  public void refresh() {
    cached = null;
  }

  private byte[] read() {
    if (plain != null) {
      return plain;
    }
    if (path != null) {
      try (ReadableByteChannel channel =
          FileSystems.open(FileSystems.matchSingleFileSpec(path).resourceId())) {
        return Channels.newInputStream(channel).readAllBytes();
      } catch (IOException e) {
        throw new IllegalStateException("Cannot read " + path + ": " + e.getMessage(), e);
      }
    }
    try {
      return reader.read(versionName);
    } catch (Exception e) {
      // The message names the version, never a value.
      throw new IllegalStateException(
          "Cannot read secret " + versionName + " from " + reader + ": " + e.getMessage(), e);
    }
  }

  /** The version name, the path, or that the value is plain; never the value. */
  @Override
  public String toString() {
    return plain != null ? "plain value (local runs only)" : path != null ? path : versionName;
  }
}
