package dev.learnerpulse.sinks.redis;

import static dev.learnerpulse.sinks.redis.Args.checkArgument;

import com.google.auto.value.AutoValue;
import dev.learnerpulse.secrets.WorkerSecret;
import java.io.ByteArrayInputStream;
import java.io.Serializable;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.checkerframework.checker.nullness.qual.Nullable;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.SslOptions;
import redis.clients.jedis.exceptions.JedisAccessControlException;

/**
 * Where the dashboard Redis is and how to log in: host and port, TLS (with the server's CA, as
 * Memorystore's per-instance CA needs), AUTH (Memorystore for Redis uses both), timeouts.
 * Serializable so the write's DoFn carries it to the workers; the password and the CA are {@link
 * WorkerSecret}s, read on the worker at connect time, and neither is part of {@link #toString()} or
 * display data.
 */
@AutoValue
public abstract class RedisEndpoint implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final int DEFAULT_TIMEOUT_MILLIS = 2000;

  abstract String host();

  abstract int port();

  abstract boolean tls();

  abstract @Nullable String user();

  abstract @Nullable WorkerSecret password();

  abstract @Nullable WorkerSecret caCertificates();

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
   * TLS. Without {@link #withCaCertificates} the certificate chain and host name are verified
   * against the JVM's trust store, as Jedis does by default.
   */
  public RedisEndpoint withTls(boolean tls) {
    return toBuilder().setTls(tls).build();
  }

  /**
   * TLS trusting only the CA certificates in {@code pem} (one or more PEM blocks: Memorystore's
   * {@code server_ca_certs}, which hold two CAs while one is rotated). The chain is verified, not
   * the host name: Memorystore is reached by IP address, and a CA that signs one instance's
   * certificate only already says which server it is.
   */
  public RedisEndpoint withCaCertificates(WorkerSecret pem) {
    checkArgument(pem != null, "the CA certificates can not be null");
    return toBuilder().setTls(true).setCaCertificates(pem).build();
  }

  /** AUTH with a password (the default user), as Memorystore's AUTH does. */
  public RedisEndpoint withAuth(String password) {
    return withAuth(null, password);
  }

  /**
   * AUTH as an ACL user with a plain password (local runs and tests); null means the default user.
   */
  public RedisEndpoint withAuth(@Nullable String user, String password) {
    checkArgument(password != null && !password.isEmpty(), "password can not be empty");
    return withAuth(user, WorkerSecret.plain(password));
  }

  /** AUTH as an ACL user with a password read on the worker; a null user means the default user. */
  public RedisEndpoint withAuth(@Nullable String user, WorkerSecret password) {
    checkArgument(password != null, "password can not be null");
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

  /**
   * Opens one connection, authenticated; fails fast with the address when Redis is unreachable.
   * When Redis refuses the password, it is read again once (it may have been rotated) and tried
   * once more.
   */
  public Jedis connect() {
    try {
      return connectOnce();
    } catch (DashboardWriteException e) {
      WorkerSecret password = password();
      if (password == null
          || password.isPlain()
          || !(e.getCause() instanceof JedisAccessControlException)) {
        throw e;
      }
      password.refresh();
      return connectOnce();
    }
  }

  private Jedis connectOnce() {
    DefaultJedisClientConfig.Builder config =
        DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis(timeoutMillis())
            .socketTimeoutMillis(timeoutMillis())
            .clientName("learner-pulse-dashboard");
    WorkerSecret ca = caCertificates();
    if (ca != null) {
      config.ssl(true).sslSocketFactory(trusting(ca));
    } else if (tls()) {
      config.sslOptions(SslOptions.defaults());
    }
    WorkerSecret password = password();
    if (password != null) {
      config.user(user()).password(password.value());
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
      SSLHandshakeException handshake = ca == null ? null : cause(e, SSLHandshakeException.class);
      if (handshake != null) {
        // Not a connection problem that waiting mends: the cause is the handshake itself, so the
        // writer fails at once instead of retrying.
        throw new DashboardWriteException(
            "Redis at "
                + address()
                + " presented a certificate that the CA of --redisCaCertificate ("
                + ca
                + ") did not sign: check that it is this instance's server CA",
            handshake);
      }
      if (e instanceof JedisAccessControlException) {
        throw new DashboardWriteException(
            "Redis at " + address() + " refused the AUTH password (" + password + ")", e);
      }
      throw new DashboardWriteException("Cannot connect to Redis at " + address(), e);
    }
  }

  /** Sockets that trust exactly the CA certificates in {@code pem}. */
  private SSLSocketFactory trusting(WorkerSecret pem) {
    try {
      Collection<? extends Certificate> certificates =
          CertificateFactory.getInstance("X.509")
              .generateCertificates(new ByteArrayInputStream(pem.getSecretBytes()));
      checkArgument(!certificates.isEmpty(), "no PEM certificate in %s", pem);
      KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
      trusted.load(null, null);
      int i = 0;
      for (Certificate certificate : certificates) {
        trusted.setCertificateEntry("redis-ca-" + i++, certificate);
      }
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(trusted);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context.getSocketFactory();
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new DashboardWriteException("Cannot read the Redis CA certificates from " + pem, e);
    }
  }

  private static <T extends Throwable> @Nullable T cause(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return address()
        + (tls()
            ? (caCertificates() != null ? " (TLS, CA " + caCertificates() + ")" : " (TLS)")
            : "")
        + (password() != null ? " (AUTH)" : "");
  }

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setHost(String host);

    abstract Builder setPort(int port);

    abstract Builder setTls(boolean tls);

    abstract Builder setUser(@Nullable String user);

    abstract Builder setPassword(@Nullable WorkerSecret password);

    abstract Builder setCaCertificates(@Nullable WorkerSecret caCertificates);

    abstract Builder setTimeoutMillis(int timeoutMillis);

    abstract RedisEndpoint build();
  }
}
