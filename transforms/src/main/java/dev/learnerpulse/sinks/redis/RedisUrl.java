package dev.learnerpulse.sinks.redis;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.checkerframework.checker.nullness.qual.Nullable;

/** {@code redis://[user[:password]@]host[:port]} and {@code rediss://...} (TLS) as an endpoint. */
public final class RedisUrl {
  private RedisUrl() {}

  public static RedisEndpoint parse(String url, @Nullable String auth) {
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
    String user = null;
    String password = auth;
    if (uri.getRawUserInfo() != null) {
      String[] parts = uri.getRawUserInfo().split(":", 2);
      if (parts.length == 2) {
        user = parts[0].isEmpty() ? null : decode(parts[0]);
        password = password != null ? password : decode(parts[1]);
      } else {
        password = password != null ? password : decode(parts[0]);
      }
    }
    return password == null ? endpoint : endpoint.withAuth(user, password);
  }

  private static String decode(String part) {
    return URLDecoder.decode(part, StandardCharsets.UTF_8);
  }
}
