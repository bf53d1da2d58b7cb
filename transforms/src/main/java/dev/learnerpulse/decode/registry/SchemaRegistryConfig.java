package dev.learnerpulse.decode.registry;

import com.google.auto.value.AutoValue;
import dev.learnerpulse.secrets.WorkerSecret;
import java.io.Serializable;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Where a Confluent-compatible Schema Registry is and how to talk to it: URL ({@code https} works
 * with the JVM's trust store, as Confluent Cloud needs), HTTP basic auth with an API key and
 * secret, timeouts, bounded retries with exponential backoff, and the size of the schema cache.
 * Serializable, so a DoFn carries it to the workers and builds its {@link SchemaRegistryClient} in
 * {@code @Setup}. The credentials are {@link WorkerSecret}s, as {@code --schemaRegistryApiKey} and
 * {@code --schemaRegistryApiSecret} accept them: a Secret Manager version name ({@code
 * projects/P/secrets/S/versions/V}, usually {@code versions/latest}) is read on the worker and
 * never stored in the job graph, and read again once when the registry refuses it, so a rotated key
 * works without a relaunch; a plain value ({@link #withBasicAuth(String, String)}) is for local
 * runs and tests only (the pipeline refuses it on Dataflow). Neither appears in {@link
 * #toString()}.
 *
 * <pre>{@code
 * SchemaRegistryConfig registry =
 *     SchemaRegistryConfig.of("https://psrc-xxxxx.europe-west1.gcp.confluent.cloud")
 *         .withBasicAuth(
 *             WorkerSecret.fromSecretManager("projects/p/secrets/sr-key/versions/latest", reader),
 *             WorkerSecret.fromSecretManager("projects/p/secrets/sr-secret/versions/latest", reader));
 * }</pre>
 */
@AutoValue
public abstract class SchemaRegistryConfig implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * With the default backoff (0.2 s doubling up to 5 s), about 11 s of waits before a lookup fails.
   */
  public static final int DEFAULT_MAX_ATTEMPTS = 7;

  public abstract String url();

  abstract @Nullable WorkerSecret apiKey();

  abstract @Nullable WorkerSecret apiSecret();

  public abstract Duration connectTimeout();

  public abstract Duration requestTimeout();

  public abstract int maxAttempts();

  public abstract Duration initialBackoff();

  public abstract Duration maxBackoff();

  public abstract int cacheSize();

  /**
   * How long an id the registry did not know is answered from the cache before it is asked again:
   * protects the registry from a flood of records with a bad id, and still lets an id registered a
   * moment later be found.
   */
  public abstract Duration unknownIdRetention();

  abstract Builder toBuilder();

  /** A registry at {@code url} ({@code http} or {@code https}), without credentials. */
  public static SchemaRegistryConfig of(String url) {
    check(url != null && !url.isBlank(), "the Schema Registry URL must not be empty");
    URI uri;
    try {
      uri = URI.create(url.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a URL: " + url, e);
    }
    check(
        ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
            && uri.getHost() != null,
        "the Schema Registry URL must be http(s)://host[:port][/path], was %s",
        url);
    check(uri.getUserInfo() == null, "put credentials in withBasicAuth, not in the URL");
    String normalized = uri.toString();
    while (normalized.endsWith("/")) {
      normalized = normalized.substring(0, normalized.length() - 1);
    }
    return new AutoValue_SchemaRegistryConfig.Builder()
        .setUrl(normalized)
        .setConnectTimeout(Duration.ofSeconds(10))
        .setRequestTimeout(Duration.ofSeconds(30))
        .setMaxAttempts(DEFAULT_MAX_ATTEMPTS)
        .setInitialBackoff(Duration.ofMillis(200))
        .setMaxBackoff(Duration.ofSeconds(5))
        .setCacheSize(1000)
        .setUnknownIdRetention(Duration.ofSeconds(30))
        .build();
  }

  /** HTTP basic auth with a Confluent Cloud API key and secret, read on the workers. */
  public SchemaRegistryConfig withBasicAuth(WorkerSecret apiKey, WorkerSecret apiSecret) {
    check(apiKey != null && apiSecret != null, "the API key and secret must not be null");
    return toBuilder().setApiKey(apiKey).setApiSecret(apiSecret).build();
  }

  /** HTTP basic auth with a plain-text key and secret, for local runs and tests. */
  public SchemaRegistryConfig withBasicAuth(String apiKey, String apiSecret) {
    check(apiKey != null && !apiKey.isEmpty(), "the API key must not be empty");
    check(apiSecret != null && !apiSecret.isEmpty(), "the API secret must not be empty");
    return withBasicAuth(WorkerSecret.plain(apiKey), WorkerSecret.plain(apiSecret));
  }

  public SchemaRegistryConfig withTimeouts(Duration connect, Duration request) {
    check(positive(connect) && positive(request), "timeouts must be positive");
    return toBuilder().setConnectTimeout(connect).setRequestTimeout(request).build();
  }

  /**
   * At most {@code maxAttempts} requests per lookup, waiting {@code initial}, then twice as long
   * each time up to {@code max}, each wait randomized by up to half, after a connection error, a
   * timeout, 429 or 5xx.
   */
  public SchemaRegistryConfig withRetries(int maxAttempts, Duration initial, Duration max) {
    check(maxAttempts >= 1, "maxAttempts must be at least 1, was %s", maxAttempts);
    check(
        initial != null && initial.toMillis() >= 1 && max != null && max.compareTo(initial) >= 0,
        "backoffs must be at least 1 ms and initial <= max");
    return toBuilder()
        .setMaxAttempts(maxAttempts)
        .setInitialBackoff(initial)
        .setMaxBackoff(max)
        .build();
  }

  /** How many parsed schemas one client keeps (least recently used go first). */
  public SchemaRegistryConfig withCacheSize(int cacheSize) {
    check(cacheSize >= 1, "cacheSize must be at least 1, was %s", cacheSize);
    return toBuilder().setCacheSize(cacheSize).build();
  }

  public SchemaRegistryConfig withUnknownIdRetention(Duration retention) {
    check(retention != null && !retention.isNegative(), "retention must not be negative");
    return toBuilder().setUnknownIdRetention(retention).build();
  }

  boolean hasCredentials() {
    return apiKey() != null;
  }

  /**
   * Forgets the cached key and secret so that the next {@link #authorization()} reads them again
   * (they may have been rotated); false when there is nothing that could have changed: no
   * credentials, or plain values.
   */
  boolean forgetCredentials() {
    WorkerSecret key = apiKey();
    WorkerSecret secret = apiSecret();
    if (key == null || secret == null || (key.isPlain() && secret.isPlain())) {
      return false;
    }
    key.refresh();
    secret.refresh();
    return true;
  }

  /** The {@code Authorization} header value; reads the secrets (Secret Manager on GCP). */
  @Nullable String authorization() {
    WorkerSecret key = apiKey();
    WorkerSecret secret = apiSecret();
    if (key == null || secret == null) {
      return null;
    }
    String pair = key.value() + ":" + secret.value();
    return "Basic "
        + java.util.Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return url() + (hasCredentials() ? " (basic auth)" : "");
  }

  private static boolean positive(@Nullable Duration duration) {
    return duration != null && !duration.isZero() && !duration.isNegative();
  }

  private static void check(boolean condition, String message, Object... args) {
    if (!condition) {
      throw new IllegalArgumentException(String.format(message, args));
    }
  }

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setUrl(String url);

    abstract Builder setApiKey(@Nullable WorkerSecret apiKey);

    abstract Builder setApiSecret(@Nullable WorkerSecret apiSecret);

    abstract Builder setConnectTimeout(Duration timeout);

    abstract Builder setRequestTimeout(Duration timeout);

    abstract Builder setMaxAttempts(int maxAttempts);

    abstract Builder setInitialBackoff(Duration backoff);

    abstract Builder setMaxBackoff(Duration backoff);

    abstract Builder setCacheSize(int cacheSize);

    abstract Builder setUnknownIdRetention(Duration retention);

    abstract SchemaRegistryConfig build();
  }
}
