package dev.learnerpulse.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A real single-node Kafka broker (KRaft, broker and controller in one) inside this JVM, for the
 * one-command local run and the tests. Listens on a free port of localhost; optionally also on a
 * SASL listener with one user for PLAIN (Confluent Cloud), SCRAM-SHA-256 and SCRAM-SHA-512 (MSK,
 * Aiven, Redpanda), and on an SSL listener that requires a client certificate (mutual TLS).
 *
 * <pre>{@code
 * try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
 *   kafka.createTopics(List.of("lxp.public.learner_progress"), 3);
 *   String bootstrap = kafka.bootstrapServers();
 * }
 * }</pre>
 */
public final class EmbeddedKafka implements AutoCloseable {
  private final KafkaRaftServer server;
  private final Path logDir;
  private final int port;
  private final int saslPort;
  private final int sslPort;

  private EmbeddedKafka(KafkaRaftServer server, Path logDir, int port, int saslPort, int sslPort) {
    this.server = server;
    this.logDir = logDir;
    this.port = port;
    this.saslPort = saslPort;
    this.sslPort = sslPort;
  }

  /** A broker with a PLAINTEXT listener only. */
  public static EmbeddedKafka start() {
    return start(null, null);
  }

  /**
   * A broker that also accepts SASL_PLAINTEXT with mechanisms PLAIN, SCRAM-SHA-256 and
   * SCRAM-SHA-512 for {@code user} / {@code password} on {@link #saslBootstrapServers()}.
   */
  public static EmbeddedKafka start(@Nullable String user, @Nullable String password) {
    return start(user, password, null);
  }

  /**
   * The TLS side of a broker: its PKCS12 key store (key and chain) and the PEM CA certificates that
   * client certificates must chain to.
   */
  public record BrokerTls(Path keyStore, String keyStorePassword, String clientCaPem) {}

  /**
   * As {@link #start(String, String)}, and with {@code tls} also an SSL listener on {@link
   * #sslBootstrapServers()} that requires a client certificate signed by {@code tls.clientCaPem}.
   */
  public static EmbeddedKafka start(
      @Nullable String user, @Nullable String password, @Nullable BrokerTls tls) {
    try {
      Path logDir = Files.createTempDirectory("learner-pulse-kafka");
      int port = freePort();
      int controllerPort = freePort();
      int saslPort = user == null ? -1 : freePort();
      int sslPort = tls == null ? -1 : freePort();
      Properties props = new Properties();
      props.put("process.roles", "broker,controller");
      props.put("node.id", "1");
      props.put("controller.quorum.voters", "1@localhost:" + controllerPort);
      String listeners =
          "PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort;
      String protocols = "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT";
      if (user != null) {
        listeners += ",SASL_PLAINTEXT://localhost:" + saslPort;
        protocols += ",SASL_PLAINTEXT:SASL_PLAINTEXT";
        props.put("sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-256,SCRAM-SHA-512");
        props.put(
            "listener.name.sasl_plaintext.plain.sasl.jaas.config",
            "org.apache.kafka.common.security.plain.PlainLoginModule required user_"
                + user
                + "=\""
                + password
                + "\";");
        for (String scram : List.of("scram-sha-256", "scram-sha-512")) {
          props.put(
              "listener.name.sasl_plaintext." + scram + ".sasl.jaas.config",
              "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        }
      }
      if (tls != null) {
        listeners += ",SSL://localhost:" + sslPort;
        protocols += ",SSL:SSL";
        props.put("listener.name.ssl.ssl.keystore.type", "PKCS12");
        props.put("listener.name.ssl.ssl.keystore.location", tls.keyStore().toString());
        props.put("listener.name.ssl.ssl.keystore.password", tls.keyStorePassword());
        props.put("listener.name.ssl.ssl.truststore.type", "PEM");
        props.put("listener.name.ssl.ssl.truststore.certificates", tls.clientCaPem());
        props.put("listener.name.ssl.ssl.client.auth", "required");
      }
      props.put("listeners", listeners);
      props.put(
          "advertised.listeners",
          listeners.replace(",CONTROLLER://localhost:" + controllerPort, ""));
      props.put("listener.security.protocol.map", protocols);
      props.put("controller.listener.names", "CONTROLLER");
      props.put("inter.broker.listener.name", "PLAINTEXT");
      props.put("log.dirs", logDir.toString());
      props.put("num.partitions", "3");
      props.put("offsets.topic.replication.factor", "1");
      props.put("offsets.topic.num.partitions", "3");
      props.put("transaction.state.log.replication.factor", "1");
      props.put("transaction.state.log.min.isr", "1");
      props.put("group.initial.rebalance.delay.ms", "0");
      props.put("auto.create.topics.enable", "false");
      // Keep every record whatever its timestamp: by default a broker deletes a segment whose
      // newest record is over 7 days old, so a backlog with old timestamps (the committed test
      // data, a replayed archive) would vanish within minutes of being produced.
      props.put("log.retention.ms", "-1");
      props.put("log.retention.bytes", "-1");
      props.put("log.flush.interval.messages", "1000000");
      Path configFile = logDir.resolve("server.properties");
      try (Writer writer = Files.newBufferedWriter(configFile)) {
        props.store(writer, "Learner Pulse embedded broker");
      }
      ByteArrayOutputStream formatOutput = new ByteArrayOutputStream();
      int formatted =
          StorageTool.execute(
              new String[] {
                "format",
                "-t",
                Uuid.randomUuid().toString(),
                "-c",
                configFile.toString(),
                "--ignore-formatted"
              },
              new PrintStream(formatOutput, true, StandardCharsets.UTF_8));
      if (formatted != 0) {
        throw new IllegalStateException(
            "Formatting the embedded broker's storage failed: "
                + formatOutput.toString(StandardCharsets.UTF_8));
      }
      KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(props), Time.SYSTEM);
      server.startup();
      EmbeddedKafka kafka = new EmbeddedKafka(server, logDir, port, saslPort, sslPort);
      kafka.awaitReady();
      if (user != null) {
        kafka.setScramPassword(user, password);
      }
      return kafka;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start the embedded Kafka broker", e);
    }
  }

  public String bootstrapServers() {
    return "localhost:" + port;
  }

  /** The SASL_PLAINTEXT (PLAIN) listener; only when started with a user. */
  public String saslBootstrapServers() {
    if (saslPort < 0) {
      throw new IllegalStateException("This broker was started without a SASL listener");
    }
    return "localhost:" + saslPort;
  }

  /** The SSL listener (mutual TLS); only when started with {@link BrokerTls}. */
  public String sslBootstrapServers() {
    if (sslPort < 0) {
      throw new IllegalStateException("This broker was started without an SSL listener");
    }
    return "localhost:" + sslPort;
  }

  /** Creates or changes {@code user}'s SCRAM-SHA-256 and SCRAM-SHA-512 credentials. */
  public void setScramPassword(String user, String password) {
    // One mechanism a request: a request may alter a user's credentials once only.
    try (AdminClient admin = admin()) {
      for (ScramMechanism mechanism :
          List.of(ScramMechanism.SCRAM_SHA_256, ScramMechanism.SCRAM_SHA_512)) {
        List<UserScramCredentialAlteration> upsert =
            List.of(
                new UserScramCredentialUpsertion(
                    user, new ScramCredentialInfo(mechanism, 4096), password));
        admin.alterUserScramCredentials(upsert).all().get(30, TimeUnit.SECONDS);
      }
    } catch (ExecutionException | InterruptedException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("Cannot set the SCRAM credentials of " + user, e);
    }
  }

  /** Creates the topics (existing ones are left as they are). */
  public void createTopics(Collection<String> topics, int partitions) {
    try (AdminClient admin = admin()) {
      List<NewTopic> newTopics = new ArrayList<>();
      for (String topic : topics) {
        newTopics.add(new NewTopic(topic, partitions, (short) 1));
      }
      try {
        admin.createTopics(newTopics).all().get(30, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw new IllegalStateException("Cannot create topics " + topics, e.getCause());
        }
      }
      awaitLeaders(admin, topics);
    } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("Cannot create topics " + topics, e);
    }
  }

  /**
   * Waits until every partition of the topics has its leader. A producer that sends before then
   * gets NOT_LEADER_OR_FOLLOWER, and an idempotent producer's retries of the first batches can then
   * fail with OUT_OF_ORDER_SEQUENCE_NUMBER until they expire: records lost on a loaded machine.
   */
  private static void awaitLeaders(AdminClient admin, Collection<String> topics)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      try {
        boolean led =
            admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS).values().stream()
                .flatMap(topic -> topic.partitions().stream())
                .allMatch(partition -> partition.leader() != null && !partition.leader().isEmpty());
        if (led) {
          return;
        }
      } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
        // not known to the broker's metadata yet: ask again
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "The partitions of " + topics + " have no leader after 60 s");
      }
      Thread.sleep(100);
    }
  }

  public AdminClient admin() {
    return AdminClient.create(
        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      try (AdminClient admin = admin()) {
        admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
        return;
      } catch (Exception e) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("The embedded Kafka broker did not come up", e);
        }
      }
    }
  }

  @Override
  public void close() {
    server.shutdown();
    server.awaitShutdown();
    deleteQuietly(logDir);
  }

  private static void deleteQuietly(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A temp directory left behind is harmless.
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }
}
