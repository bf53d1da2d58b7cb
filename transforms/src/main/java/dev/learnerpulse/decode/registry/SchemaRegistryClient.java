package dev.learnerpulse.decode.registry;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.apache.beam.sdk.util.BackOff;
import org.apache.beam.sdk.util.BackOffUtils;
import org.apache.beam.sdk.util.FluentBackoff;
import org.apache.beam.sdk.util.Sleeper;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads writer schemas by id from a Confluent-compatible Schema Registry over its REST API: {@code
 * GET <url>/schemas/ids/<id>}, answered with {@code {"schema":"<schema JSON as a string>"}} and a
 * {@code schemaType} when it is not Avro, or {@code {"error_code":40403,"message":…}} with 404 for
 * an unknown id. Confluent's own client ({@code io.confluent:kafka-schema-registry-client}) is not
 * on the Maven registry this project builds from, so this is a small one on {@code java.net.http}
 * and Jackson that does only what decoding needs.
 *
 * <ul>
 *   <li>Connection errors, timeouts, 429 and 5xx are retried with exponential backoff ({@link
 *       FluentBackoff}, so each wait is randomized by up to half), a bounded number of times
 *       ({@link SchemaRegistryConfig#withRetries}): a registry that blinks costs a few seconds, not
 *       the job. When the attempts run out, {@link SchemaRegistryException}.
 *   <li>On 401 or 403 the API key and secret are read again once (they may have been rotated, issue
 *       15) and the request is sent once more; still refused, or with nothing to read again, it is
 *       a {@link SchemaRegistryConfigurationException} naming the URL, as are answers that are not
 *       the Schema Registry API (a 404 without error code 40403, other 4xx, a body that is not its
 *       JSON): configuration errors, not retried.
 *   <li>Found and unusable schemas are cached per id (ids are immutable in a Schema Registry), up
 *       to {@link SchemaRegistryConfig#cacheSize()}, least recently used first out; an unknown id
 *       for {@link SchemaRegistryConfig#unknownIdRetention()}.
 * </ul>
 *
 * <p>Thread-safe. Not serializable: DoFns create it in {@code @Setup} from the serializable {@link
 * SchemaRegistryConfig}; the HTTP client is only built on the first lookup.
 */
public final class SchemaRegistryClient implements SchemaSource {
  private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistryClient.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ACCEPT =
      "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json, application/json";
  private static final int SCHEMA_NOT_FOUND = 40403;

  private final SchemaRegistryConfig config;
  private final FluentBackoff backoff;
  private final Sleeper sleeper;
  private final Map<Integer, Cached> cache;
  private @Nullable HttpClient http;
  private @Nullable String authorization;

  private static final class Cached {
    final SchemaLookup lookup;
    final long expiresAtNanos;

    Cached(SchemaLookup lookup, long expiresAtNanos) {
      this.lookup = lookup;
      this.expiresAtNanos = expiresAtNanos;
    }
  }

  SchemaRegistryClient(SchemaRegistryConfig config, Sleeper sleeper) {
    this.config = requireNonNull(config, "config");
    this.backoff =
        FluentBackoff.DEFAULT
            .withExponent(2)
            .withInitialBackoff(Duration.millis(config.initialBackoff().toMillis()))
            .withMaxBackoff(Duration.millis(config.maxBackoff().toMillis()))
            .withMaxRetries(config.maxAttempts() - 1);
    this.sleeper = sleeper;
    int size = config.cacheSize();
    this.cache =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Integer, Cached> eldest) {
            return size() > size;
          }
        };
  }

  public static SchemaRegistryClient create(SchemaRegistryConfig config) {
    return new SchemaRegistryClient(config, Sleeper.DEFAULT);
  }

  public SchemaRegistryConfig config() {
    return config;
  }

  @Override
  public SchemaLookup lookup(int id) throws SchemaRegistryException {
    synchronized (cache) {
      Cached cached = cache.get(id);
      if (cached != null
          && (cached.expiresAtNanos == 0 || System.nanoTime() < cached.expiresAtNanos)) {
        return cached.lookup;
      }
    }
    SchemaLookup lookup = fetch(id);
    long expires =
        lookup.status() == SchemaLookup.Status.UNKNOWN
            ? Math.max(1, System.nanoTime() + config.unknownIdRetention().toNanos())
            : 0;
    synchronized (cache) {
      cache.put(id, new Cached(lookup, expires));
    }
    return lookup;
  }

  /** Reads {@code id}; when the credentials are refused, reads them again once and tries again. */
  private SchemaLookup fetch(int id) throws SchemaRegistryException {
    String url = config.url() + "/schemas/ids/" + id;
    try {
      return fetch(id, url);
    } catch (CredentialsRefused refused) {
      if (!forgetCredentials()) {
        throw refused;
      }
      LOG.warn(
          "Schema Registry at {} refused the API key; reading it again once in case it was"
              + " rotated",
          config.url());
      return fetch(id, url);
    }
  }

  private SchemaLookup fetch(int id, String url) throws SchemaRegistryException {
    HttpRequest request = request(url);
    BackOff waits = backoff.backoff();
    String lastFailure = null;
    Exception lastCause = null;
    for (int attempt = 1;
        attempt == 1 || waitToRetry(waits, url, lastFailure, attempt);
        attempt++) {
      HttpResponse<String> response;
      try {
        response = http().send(request, HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        lastFailure = e.toString();
        lastCause = e;
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SchemaRegistryException("interrupted while reading " + url, e);
      }
      int status = response.statusCode();
      if (status == 200) {
        return parse(id, url, response.body());
      }
      if (status == 429 || status >= 500) {
        lastFailure = "HTTP " + status + errorOf(response.body());
        lastCause = null;
        continue;
      }
      if (status == 401 || status == 403) {
        throw new CredentialsRefused(
            "Schema Registry at "
                + config.url()
                + " refused "
                + (config.hasCredentials() ? "the API key" : "a request without credentials")
                + " (HTTP "
                + status
                + errorOf(response.body())
                + ") for "
                + url
                + ": check --schemaRegistryApiKey and --schemaRegistryApiSecret");
      }
      if (status == 404 && errorCode(response.body()) == SCHEMA_NOT_FOUND) {
        return SchemaLookup.unknown(id);
      }
      throw new SchemaRegistryConfigurationException(
          "Schema Registry at "
              + config.url()
              + " answered HTTP "
              + status
              + errorOf(response.body())
              + " for "
              + url
              + ", which is not a Schema Registry answer: check --schemaRegistryUrl");
    }
    throw new SchemaRegistryException(
        "Schema Registry at "
            + config.url()
            + " did not answer "
            + url
            + " after "
            + config.maxAttempts()
            + " attempts; last: "
            + lastFailure,
        lastCause);
  }

  /** Logs and waits before attempt {@code attempt}; false when the attempts are used up. */
  private boolean waitToRetry(BackOff waits, String url, String failure, int attempt)
      throws SchemaRegistryException {
    try {
      return BackOffUtils.next(
          millis -> {
            LOG.warn(
                "Schema Registry lookup {} failed ({}); attempt {} of {} in {} ms",
                url,
                failure,
                attempt,
                config.maxAttempts(),
                millis);
            sleeper.sleep(millis);
          },
          waits);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SchemaRegistryException("interrupted while waiting for " + url, e);
    }
  }

  private SchemaLookup parse(int id, String url, String body)
      throws SchemaRegistryConfigurationException {
    JsonNode node;
    try {
      node = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      node = null;
    }
    if (node == null || !node.path("schema").isTextual()) {
      throw new SchemaRegistryConfigurationException(
          "Schema Registry at "
              + config.url()
              + " answered "
              + url
              + " without a \"schema\" string: check --schemaRegistryUrl");
    }
    String type = node.path("schemaType").asText("AVRO");
    if (!type.isEmpty() && !"AVRO".equalsIgnoreCase(type)) {
      return SchemaLookup.unusable(id, "is a " + type + " schema, not Avro");
    }
    try {
      return SchemaLookup.found(id, new Schema.Parser().parse(node.get("schema").textValue()));
    } catch (SchemaParseException e) {
      return SchemaLookup.unusable(id, "is not a usable Avro schema: " + e.getMessage());
    }
  }

  private HttpRequest request(String url) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url))
            .GET()
            .timeout(config.requestTimeout())
            .header("Accept", ACCEPT);
    String auth = authorization();
    if (auth != null) {
      request.header("Authorization", auth);
    }
    return request.build();
  }

  private synchronized HttpClient http() {
    if (http == null) {
      http =
          HttpClient.newBuilder()
              .connectTimeout(config.connectTimeout())
              .followRedirects(HttpClient.Redirect.NORMAL)
              .build();
    }
    return http;
  }

  /** Drops the header and the cached secrets; false when reading them again cannot help. */
  private synchronized boolean forgetCredentials() {
    if (!config.forgetCredentials()) {
      return false;
    }
    authorization = null;
    return true;
  }

  private synchronized @Nullable String authorization() {
    if (authorization == null && config.hasCredentials()) {
      authorization = config.authorization();
    }
    return authorization;
  }

  /** 401 or 403: the credentials were refused, which reading them again may cure. */
  private static final class CredentialsRefused extends SchemaRegistryConfigurationException {
    private static final long serialVersionUID = 1L;

    CredentialsRefused(String message) {
      super(message);
    }
  }

  private static int errorCode(String body) {
    try {
      JsonNode node = JSON.readTree(body);
      return node != null && node.path("error_code").canConvertToInt()
          ? node.get("error_code").intValue()
          : -1;
    } catch (JsonProcessingException e) {
      return -1;
    }
  }

  /** {@code ", error_code 40403: Schema not found"}, or nothing when the body is not that JSON. */
  private static String errorOf(String body) {
    try {
      JsonNode node = JSON.readTree(body);
      if (node != null && node.has("error_code")) {
        return ", error_code "
            + node.get("error_code").asText()
            + ": "
            + node.path("message").asText();
      }
    } catch (JsonProcessingException e) {
      // Not the registry's error JSON; the status says enough.
    }
    return "";
  }
}
