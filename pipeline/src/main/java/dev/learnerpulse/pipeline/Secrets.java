package dev.learnerpulse.pipeline;

import com.google.cloud.secretmanager.v1.SecretManagerServiceClient;
import com.google.cloud.secretmanager.v1.SecretVersionName;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Credentials given as Secret Manager secret versions ({@code projects/P/secrets/S/versions/V}) are
 * read once, at launch; anything else is taken as the plain value (local brokers and tests). A
 * secret's value never appears in a message or a log.
 */
final class Secrets {
  private static final Pattern VERSION =
      Pattern.compile("projects/[^/]+/secrets/[^/]+/versions/[^/]+");

  private Secrets() {}

  static boolean isSecretVersion(@Nullable String value) {
    return value != null && VERSION.matcher(value.trim()).matches();
  }

  /** The value of {@code option}: the secret version's payload, or the value itself. */
  static @Nullable String resolve(String option, @Nullable String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    if (!isSecretVersion(value)) {
      return value;
    }
    String name = value.trim();
    try (SecretManagerServiceClient client = SecretManagerServiceClient.create()) {
      return client
          .accessSecretVersion(SecretVersionName.parse(name))
          .getPayload()
          .getData()
          .toString(StandardCharsets.UTF_8)
          .trim();
    } catch (Exception e) {
      throw new IllegalArgumentException(
          "Cannot read " + option + " from Secret Manager version " + name + ": "
              + e.getClass().getSimpleName() + " " + e.getMessage(),
          e);
    }
  }
}
