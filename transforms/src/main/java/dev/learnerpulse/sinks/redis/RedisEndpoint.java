package dev.learnerpulse.sinks.redis;

import static dev.learnerpulse.sinks.redis.Args.checkArgument;

import com.google.auto.value.AutoValue;
import java.io.Serializable;
import org.checkerframework.checker.nullness.qual.Nullable;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.SslOptions;

/**
 * Where the dashboard Redis is and how to log in: host and port, TLS, AUTH (Memorystore for Redis
 * uses both), timeouts. Serializable so the write's DoFn carries it to the workers; the password is
 * never part of {@link #toString()} or display data.
 */
@AutoValue
public abstract class RedisEndpoint implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final int DEFAULT_TIMEOUT_MILLIS = 2000;

  abstract String host();

  abstract int port();

  abstract boolean tls();

  abstract @Nullable String user();

  abstract @Nullable String password();

  abstract int timeoutMillis();

  abstract Builder toBuilder();

  public static RedisEndpoint of(String host, int port) {
    checkArgument(host != null && !host.isBlank(), "host can not be empty");
    checkArgument(port > 0 && port < 65536, "port must be in 1..65535, was %s", port);
    return new AutoValue_RedisEndpoint.Builder()
        .setHost(host)
        .setPort(port)
        .setTls(false)
        .setTimeoutMillis(DEFAULT_TIMEOUT_MILLIS)
        .build();
  }

  /**
   * TLS with Jedis' default options: the certificate chain and host name are verified against the
   * JVM's trust store, so Memorystore's server CA must be in it ({@code javax.net.ssl.trustStore}).
   */
  public RedisEndpoint withTls(boolean tls) {
    return toBuilder().setTls(tls).build();
  }

  /** AUTH with a password (the default user), as Memorystore's AUTH does. */
  public RedisEndpoint withAuth(String password) {
    return withAuth(null, password);
  }

  /** AUTH as an ACL user; a null user means the default user. */
  public RedisEndpoint withAuth(@Nullable String user, String password) {
    checkArgument(password != null && !password.isEmpty(), "password can not be empty");
    checkArgument(user == null || !user.isBlank(), "user can not be blank");
    return toBuilder().setUser(user).setPassword(password).build();
  }

  /** Connect and socket timeout; a write waits at most this long for Redis. */
  public RedisEndpoint withTimeoutMillis(int timeoutMillis) {
    checkArgument(timeoutMillis > 0, "timeoutMillis must be positive, was %s", timeoutMillis);
    return toBuilder().setTimeoutMillis(timeoutMillis).build();
  }

  /** {@code host:port}, the name every error about this endpoint uses. */
  public String address() {
    return host() + ":" + port();
  }

  /** Opens one connection, authenticated; fails fast with the address when Redis is unreachable. */
  public Jedis connect() {
    DefaultJedisClientConfig.Builder config =
        DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis(timeoutMillis())
            .socketTimeoutMillis(timeoutMillis())
            .clientName("learner-pulse-dashboard");
    if (tls()) {
      config.sslOptions(SslOptions.defaults());
    }
    if (password() != null) {
      config.user(user()).password(password());
    }
    Jedis jedis = null;
    try {
      jedis = new Jedis(new HostAndPort(host(), port()), config.build());
      jedis.ping();
      return jedis;
    } catch (RuntimeException e) {
      if (jedis != null) {
        jedis.close();
      }
      throw new DashboardWriteException("Cannot connect to Redis at " + address(), e);
    }
  }

  @Override
  public String toString() {
    return address() + (tls() ? " (TLS)" : "") + (password() != null ? " (AUTH)" : "");
  }

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setHost(String host);

    abstract Builder setPort(int port);

    abstract Builder setTls(boolean tls);

    abstract Builder setUser(@Nullable String user);

    abstract Builder setPassword(@Nullable String password);

    abstract Builder setTimeoutMillis(int timeoutMillis);

    abstract RedisEndpoint build();
  }
}
