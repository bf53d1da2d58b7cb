package dev.learnerpulse.secrets;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.apache.beam.sdk.util.GcpSecret;

/**
 * Reads the payload of a Secret Manager version name ({@code projects/P/secrets/S/versions/V}).
 * Serializable because it travels with the {@link WorkerSecret}s it reads for, to the workers. On
 * GCP it is {@link #secretManager()}; Secret Manager cannot run on a developer's machine or in CI,
 * so tests and local runs may read the same names from files instead ({@link #files}).
 */
@FunctionalInterface
public interface SecretReader extends Serializable {
  byte[] read(String versionName) throws IOException;

  /** Secret Manager, through Beam's {@link GcpSecret} (the worker's service account). */
  static SecretReader secretManager() {
    return new SecretManagerReader();
  }

  /**
   * Each version name's payload from a file in {@code dir} named after it with {@code /} replaced
   * by {@code _} ({@code projects_P_secrets_S_versions_V}): for tests and local runs, where
   * rewriting the file is how a secret is rotated.
   */
  static SecretReader files(String dir) {
    return new FileReader(dir);
  }

  /** The file name {@link #files} reads {@code versionName} from. */
  static String fileName(String versionName) {
    return versionName.replace('/', '_');
  }

  final class SecretManagerReader implements SecretReader {
    private static final long serialVersionUID = 1L;

    @Override
    public byte[] read(String versionName) {
      return new GcpSecret(versionName).getSecretBytes();
    }

    @Override
    public String toString() {
      return "Secret Manager";
    }
  }

  final class FileReader implements SecretReader {
    private static final long serialVersionUID = 1L;
    private final String dir;

    FileReader(String dir) {
      this.dir = dir;
    }

    @Override
    public byte[] read(String versionName) throws IOException {
      Path file = Paths.get(dir, fileName(versionName));
      if (!Files.isRegularFile(file)) {
        throw new IOException("no secret file " + file);
      }
      return Files.readAllBytes(file);
    }

    @Override
    public String toString() {
      return "secret files in " + dir;
    }
  }
}
