package dev.learnerpulse.pipeline;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** The Kafka cluster of the change topics (streaming mode). */
public interface KafkaOptions extends PipelineOptions {
  @Description("Kafka bootstrap servers, host:port[,host:port...].")
  String getBootstrapServers();

  void setBootstrapServers(String value);

  @Description(
      "Consumer group id. When set, the change topics' offsets are committed to Kafka as bundles"
          + " are finalized, so a restarted job resumes where the last one stopped (the reference"
          + " topics are always read whole).")
  String getConsumerGroup();

  void setConsumerGroup(String value);

  @Description(
      "Where to start reading the change topics when the group has no committed offset: earliest,"
          + " latest, or an ISO-8601 instant such as 2026-11-20T09:00:00Z.")
  @Default.String("earliest")
  String getStartPosition();

  void setStartPosition(String value);

  @Description(
      "Kafka security.protocol: PLAINTEXT (local broker), SASL_SSL (Confluent Cloud, MSK, Aiven,"
          + " Redpanda; see --kafkaSaslMechanism), SSL (TLS; mutual TLS with --kafkaClientCertificate"
          + " and --kafkaClientKey) or SASL_PLAINTEXT (test brokers).")
  @Default.Enum("PLAINTEXT")
  KafkaSecurity getKafkaSecurity();

  void setKafkaSecurity(KafkaSecurity value);

  @Description(
      "SASL mechanism with SASL_SSL/SASL_PLAINTEXT: PLAIN (Confluent Cloud), SCRAM-SHA-256 or"
          + " SCRAM-SHA-512 (MSK, Aiven, Redpanda, self-managed).")
  @Default.Enum("PLAIN")
  SaslMechanism getKafkaSaslMechanism();

  void setKafkaSaslMechanism(SaslMechanism value);

  @Description(
      "SASL user (the Confluent Cloud API key, or the SCRAM user): a Secret Manager secret version"
          + " projects/P/secrets/S/versions/V, read on the workers; a plain value for local runs only"
          + " (refused on Dataflow).")
  String getKafkaApiKey();

  void setKafkaApiKey(String value);

  @Description(
      "SASL password (the Confluent Cloud API secret, or the SCRAM password): a Secret Manager"
          + " secret version projects/P/secrets/S/versions/V, read on the workers; a plain value"
          + " for local runs only (refused on Dataflow).")
  String getKafkaApiSecret();

  void setKafkaApiSecret(String value);

  @Description(
      "PEM CA certificates the brokers' TLS certificates chain to (SSL, SASL_SSL): a Secret"
          + " Manager secret version or a gs:// or local file, read on the workers. Default: the"
          + " JVM's trust store (public CAs, as Confluent Cloud and MSK use).")
  String getKafkaCaCertificates();

  void setKafkaCaCertificates(String value);

  @Description(
      "Mutual TLS (--kafkaSecurity=SSL): the client's PEM certificate chain, a Secret Manager"
          + " secret version projects/P/secrets/S/versions/V (a local file for local runs only).")
  String getKafkaClientCertificate();

  void setKafkaClientCertificate(String value);

  @Description(
      "Mutual TLS (--kafkaSecurity=SSL): the client's unencrypted PKCS#8 PEM private key, a Secret"
          + " Manager secret version projects/P/secrets/S/versions/V (a local file for local runs"
          + " only).")
  String getKafkaClientKey();

  void setKafkaClientKey(String value);

  @Description(
      "Kafka topic that receives every dead letter with its original key and value, the reason"
          + " code and detail in record headers. It must exist (checked at launch like the source"
          + " topics); 'none' or empty: no dead-letter topic (BigQuery's dead_letters table stays).")
  @Default.String("lxp.learner_pulse.dlq")
  String getDeadLetterTopic();

  void setDeadLetterTopic(String value);
}
