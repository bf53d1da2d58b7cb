package dev.learnerpulse.pipeline;

import dev.learnerpulse.secrets.WorkerSecret;
import java.io.Serializable;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.AuthenticationException;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * How to reach the Kafka cluster: bootstrap servers, {@code security.protocol}, and the
 * credentials: SASL (PLAIN for Confluent Cloud, SCRAM-SHA-256/512 for MSK, Aiven, Redpanda) or a
 * client certificate and key (mutual TLS), and the CA certificates the brokers' chain to. The
 * credentials are {@link WorkerSecret}s: the graph holds their Secret Manager names, the workers
 * read the values when they create a client, and go into consumers and producers through {@link
 * #consumer} and {@link #producer}, never into KafkaIO's configuration maps, which Beam shows as
 * display data. A client whose credentials the broker refuses has them read again for the next
 * client (a rotated secret), see {@link #credentialsRefused()}.
 *
 * <pre>{@code
 * KafkaConnection.to("b-1.msk:9096", KafkaSecurity.SASL_SSL)
 *     .withSasl(SaslMechanism.SCRAM_SHA_512, user, password);
 * }</pre>
 */
final class KafkaConnection implements Serializable {
  private static final long serialVersionUID = 2L;
  private static final int CHECK_TIMEOUT_SECONDS = 20;

  private final String bootstrapServers;
  private final KafkaSecurity security;
  private final SaslMechanism mechanism;
  private final @Nullable WorkerSecret username;
  private final @Nullable WorkerSecret password;
  private final @Nullable WorkerSecret trustedCertificates;
  private final @Nullable WorkerSecret clientCertificate;
  private final @Nullable WorkerSecret clientKey;

  private KafkaConnection(
      String bootstrapServers,
      KafkaSecurity security,
      SaslMechanism mechanism,
      @Nullable WorkerSecret username,
      @Nullable WorkerSecret password,
      @Nullable WorkerSecret trustedCertificates,
      @Nullable WorkerSecret clientCertificate,
      @Nullable WorkerSecret clientKey) {
    this.bootstrapServers = bootstrapServers;
    this.security = security;
    this.mechanism = mechanism;
    this.username = username;
    this.password = password;
    this.trustedCertificates = trustedCertificates;
    this.clientCertificate = clientCertificate;
    this.clientKey = clientKey;
  }

  static KafkaConnection to(String bootstrapServers, KafkaSecurity security) {
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      throw new IllegalArgumentException(
          Flag.of(KafkaOptions::getBootstrapServers) + " is required in streaming mode");
    }
    return new KafkaConnection(
        bootstrapServers.trim(), security, SaslMechanism.PLAIN, null, null, null, null, null);
  }

  /** SASL credentials: the Confluent Cloud API key and secret, or a SCRAM user and password. */
  KafkaConnection withSasl(
      SaslMechanism mechanism, @Nullable WorkerSecret username, @Nullable WorkerSecret password) {
    return new KafkaConnection(
        bootstrapServers,
        security,
        mechanism,
        username,
        password,
        trustedCertificates,
        clientCertificate,
        clientKey);
  }

  /** The CA certificates (PEM) the brokers' certificates chain to; default: the JVM's. */
  KafkaConnection withTrustedCertificates(@Nullable WorkerSecret pem) {
    return new KafkaConnection(
        bootstrapServers,
        security,
        mechanism,
        username,
        password,
        pem,
        clientCertificate,
        clientKey);
  }

  /** Mutual TLS: the client's certificate chain and its unencrypted PKCS#8 key, both PEM. */
  KafkaConnection withClientCertificate(
      @Nullable WorkerSecret certificateChain, @Nullable WorkerSecret key) {
    return new KafkaConnection(
        bootstrapServers,
        security,
        mechanism,
        username,
        password,
        trustedCertificates,
        certificateChain,
        key);
  }

  /** Checks that the options given fit together; returns this. */
  KafkaConnection validated() {
    String securityFlag = Flag.of(KafkaOptions::getKafkaSecurity);
    String sasl =
        Flag.of(KafkaOptions::getKafkaApiKey) + " and " + Flag.of(KafkaOptions::getKafkaApiSecret);
    String clientFlags =
        Flag.of(KafkaOptions::getKafkaClientCertificate)
            + ", "
            + Flag.of(KafkaOptions::getKafkaClientKey);
    if (security.sasl() && (username == null || password == null)) {
      throw new IllegalArgumentException(
          securityFlag + "=" + security + " needs " + sasl + " (the SASL user and password)");
    }
    if (!security.sasl() && (username != null || password != null)) {
      throw new IllegalArgumentException(
          sasl
              + " are SASL credentials: they need "
              + securityFlag
              + "=SASL_SSL or SASL_PLAINTEXT, not "
              + security);
    }
    if ((clientCertificate == null) != (clientKey == null)) {
      throw new IllegalArgumentException(
          Flag.of(KafkaOptions::getKafkaClientCertificate)
              + " and "
              + Flag.of(KafkaOptions::getKafkaClientKey)
              + " go together (mutual TLS)");
    }
    if (!security.tls() && (clientCertificate != null || trustedCertificates != null)) {
      throw new IllegalArgumentException(
          clientFlags
              + " and "
              + Flag.of(KafkaOptions::getKafkaCaCertificates)
              + " need TLS: "
              + securityFlag
              + "=SSL or SASL_SSL, not "
              + security);
    }
    return this;
  }

  String bootstrapServers() {
    return bootstrapServers;
  }

  /**
   * The client properties every consumer, producer and admin client of this cluster needs, with the
   * credentials read (on a worker: from Secret Manager, or the cache).
   */
  Map<String, Object> clientConfig() {
    Map<String, Object> config = new HashMap<>();
    config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, security.name());
    if (security.sasl()) {
      config.put(SaslConfigs.SASL_MECHANISM, mechanism.kafkaName());
      config.put(
          SaslConfigs.SASL_JAAS_CONFIG,
          mechanism.loginModule()
              + " required username=\""
              + escape(username.value())
              + "\" password=\""
              + escape(password.value())
              + "\";");
    }
    if (trustedCertificates != null) {
      config.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM");
      config.put(SslConfigs.SSL_TRUSTSTORE_CERTIFICATES_CONFIG, trustedCertificates.value());
    }
    if (clientCertificate != null && clientKey != null) {
      config.put(SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, "PEM");
      config.put(SslConfigs.SSL_KEYSTORE_CERTIFICATE_CHAIN_CONFIG, clientCertificate.value());
      config.put(SslConfigs.SSL_KEYSTORE_KEY_CONFIG, clientKey.value());
    }
    return config;
  }

  /**
   * A consumer with {@code config} and this connection's credentials; when the broker refuses them,
   * they are read again for the next consumer.
   */
  @SuppressWarnings("unchecked")
  Consumer<byte[], byte[]> consumer(Map<String, Object> config) {
    return refreshingOnRefusal(Consumer.class, new KafkaConsumer<byte[], byte[]>(with(config)));
  }

  /** A producer with {@code config} and this connection's credentials, as {@link #consumer}. */
  @SuppressWarnings("unchecked")
  Producer<byte[], byte[]> producer(Map<String, Object> config) {
    return refreshingOnRefusal(Producer.class, new KafkaProducer<byte[], byte[]>(with(config)));
  }

  private Map<String, Object> with(Map<String, Object> config) {
    Map<String, Object> withCredentials = new HashMap<>(config);
    withCredentials.putAll(clientConfig());
    return withCredentials;
  }

  /**
   * Forgets every cached credential, so that the next client reads the current versions: a rotated
   * secret reaches a running job without a relaunch. A client's credentials are fixed when it is
   * created, so the refused client itself fails (and the runner retries the bundle).
   */
  void credentialsRefused() {
    for (WorkerSecret secret :
        new WorkerSecret[] {
          username, password, trustedCertificates, clientCertificate, clientKey
        }) {
      if (secret != null) {
        secret.refresh();
      }
    }
  }

  /** {@code client} behind its interface, calling {@link #credentialsRefused()} on a refusal. */
  private <T> T refreshingOnRefusal(Class<T> type, T client) {
    Object proxy =
        Proxy.newProxyInstance(
            type.getClassLoader(),
            new Class<?>[] {type},
            (self, method, args) -> {
              if (args != null && args.length == 2 && args[1] instanceof Callback callback) {
                // Producer.send(record, callback): a refusal arrives in the callback.
                args = new Object[] {args[0], refusalAware(callback)};
              }
              try {
                return method.invoke(client, args);
              } catch (InvocationTargetException e) {
                if (e.getCause() instanceof AuthenticationException) {
                  credentialsRefused();
                }
                throw e.getCause();
              }
            });
    return type.cast(proxy);
  }

  private Callback refusalAware(Callback callback) {
    return (metadata, exception) -> {
      if (exception instanceof AuthenticationException) {
        credentialsRefused();
      }
      callback.onCompletion(metadata, exception);
    };
  }

  /**
   * Fails fast, with a message naming the brokers and the mechanism, when the cluster cannot be
   * reached or refuses the credentials; returns the topics it does not have.
   */
  List<String> check(Collection<String> topics) {
    try (AdminClient admin = AdminClient.create(clientConfig())) {
      Set<String> existing =
          admin.listTopics().names().get(CHECK_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      List<String> missing = new ArrayList<>();
      for (String topic : topics) {
        if (!existing.contains(topic)) {
          missing.add(topic);
        }
      }
      return missing;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof AuthenticationException) {
        throw new IllegalArgumentException(
            "Kafka at "
                + bootstrapServers
                + " refused the "
                + describeAuth()
                + " credentials: "
                + cause.getMessage(),
            cause);
      }
      throw new IllegalArgumentException(
          "Cannot reach Kafka at " + bootstrapServers + " (" + describeAuth() + "): " + cause,
          cause);
    } catch (TimeoutException e) {
      throw new IllegalArgumentException(
          "Kafka at "
              + bootstrapServers
              + " did not answer within "
              + CHECK_TIMEOUT_SECONDS
              + " s ("
              + describeAuth()
              + ")",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while checking Kafka", e);
    }
  }

  /** The protocol and how the client authenticates, e.g. {@code SASL_SSL SASL/SCRAM-SHA-512}. */
  String describeAuth() {
    if (security.sasl()) {
      return security + " SASL/" + mechanism.kafkaName();
    }
    if (security == KafkaSecurity.SSL) {
      return clientCertificate != null ? "SSL mutual TLS" : "SSL, no client authentication";
    }
    return "PLAINTEXT, no authentication";
  }

  private static String escape(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  @Override
  public String toString() {
    return "KafkaConnection{" + bootstrapServers + ", " + describeAuth() + "}";
  }
}
