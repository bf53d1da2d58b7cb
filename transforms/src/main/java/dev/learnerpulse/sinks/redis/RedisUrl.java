package dev.learnerpulse.sinks.redis;

import dev.learnerpulse.secrets.WorkerSecret;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * {@code redis://[user[:password]@]host[:port]} and {@code rediss://...} (TLS) as an endpoint. A
 * password in the URL is a plain value, for local runs; {@code --redisAuth} wins over it.
 */
public final class RedisUrl {
  private RedisUrl() {}

  public static RedisEndpoint parse(String url, @Nullable String auth) {
    return parse(url, auth == null ? null : WorkerSecret.plain(auth), null);
  }

  /** With the AUTH password and the server's CA certificates read on the workers. */
  public static RedisEndpoint parse(
      String url, @Nullable WorkerSecret auth, @Nullable WorkerSecret caCertificates) {
    URI uri;
    try {
      uri = new URI(url.trim());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("--redisUrl is not a URL: " + e.getMessage());
    }
    String scheme = uri.getScheme();
    if (!"redis".equals(scheme) && !"rediss".equals(scheme)) {
      throw new IllegalArgumentException(
          "--redisUrl must start with redis:// or rediss:// (TLS), not '" + scheme + "://'");
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("--redisUrl has no host");
    }
    RedisEndpoint endpoint =
        RedisEndpoint.of(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort())
            .withTls("rediss".equals(scheme));
    if (caCertificates != null) {
      if (!"rediss".equals(scheme)) {
        throw new IllegalArgumentException(
            "--redisCaCertificate needs a rediss:// (TLS) --redisUrl");
      }
      endpoint = endpoint.withCaCertificates(caCertificates);
    }
    String user = null;
    WorkerSecret password = auth;
    if (uri.getRawUserInfo() != null) {
      String[] parts = uri.getRawUserInfo().split(":", 2);
      if (parts.length == 2) {
        user = parts[0].isEmpty() ? null : decode(parts[0]);
        password = password != null ? password : WorkerSecret.plain(decode(parts[1]));
      } else {
        password = password != null ? password : WorkerSecret.plain(decode(parts[0]));
      }
    }
    return password == null ? endpoint : endpoint.withAuth(user, password);
  }

  private static String decode(String part) {
    return URLDecoder.decode(part, StandardCharsets.UTF_8);
  }
}
