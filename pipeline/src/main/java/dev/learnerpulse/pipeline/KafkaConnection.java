package dev.learnerpulse.pipeline;

import java.io.Serializable;
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
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.AuthenticationException;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * How to reach the Kafka cluster: bootstrap servers and, for Confluent Cloud, SASL/PLAIN
 * credentials. The credentials go into consumers and producers through their factories, never into
 * KafkaIO's configuration maps, which Beam shows as display data.
 */
final class KafkaConnection implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final int CHECK_TIMEOUT_SECONDS = 20;

  private final String bootstrapServers;
  private final KafkaSecurity security;
  private final @Nullable String username;
  private final @Nullable String password;

  KafkaConnection(
      String bootstrapServers,
      KafkaSecurity security,
      @Nullable String username,
      @Nullable String password) {
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      throw new IllegalArgumentException("--bootstrapServers is required in streaming mode");
    }
    if (security != KafkaSecurity.PLAINTEXT && (username == null || password == null)) {
      throw new IllegalArgumentException(
          "--kafkaSecurity=" + security + " needs --kafkaApiKey and --kafkaApiSecret");
    }
    this.bootstrapServers = bootstrapServers;
    this.security = security;
    this.username = username;
    this.password = password;
  }

  String bootstrapServers() {
    return bootstrapServers;
  }

  /** The client properties every consumer, producer and admin client of this cluster needs. */
  Map<String, Object> clientConfig() {
    Map<String, Object> config = new HashMap<>();
    config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, security.name());
    if (security != KafkaSecurity.PLAINTEXT) {
      config.put(SaslConfigs.SASL_MECHANISM, "PLAIN");
      config.put(
          SaslConfigs.SASL_JAAS_CONFIG,
          "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
              + escape(username) + "\" password=\"" + escape(password) + "\";");
    }
    return config;
  }

  /**
   * Fails fast, with a message naming the brokers and the mechanism, when the cluster cannot be
   * reached or refuses the credentials; warns of topics it does not have.
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
            "Kafka at " + bootstrapServers + " refused the " + describeAuth() + " credentials: "
                + cause.getMessage(),
            cause);
      }
      throw new IllegalArgumentException(
          "Cannot reach Kafka at " + bootstrapServers + " (" + describeAuth() + "): " + cause, cause);
    } catch (TimeoutException e) {
      throw new IllegalArgumentException(
          "Kafka at " + bootstrapServers + " did not answer within " + CHECK_TIMEOUT_SECONDS
              + " s (" + describeAuth() + ")",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while checking Kafka", e);
    }
  }

  private String describeAuth() {
    return security == KafkaSecurity.PLAINTEXT ? "PLAINTEXT, no authentication" : security + " SASL/PLAIN";
  }

  private static String escape(@Nullable String value) {
    return value == null ? "" : value.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  @Override
  public String toString() {
    return "KafkaConnection{" + bootstrapServers + ", " + describeAuth() + "}";
  }
}
