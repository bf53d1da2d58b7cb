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

  @Description("PLAINTEXT for a local broker; SASL_SSL (with PLAIN) for Confluent Cloud.")
  @Default.Enum("PLAINTEXT")
  KafkaSecurity getKafkaSecurity();

  void setKafkaSecurity(KafkaSecurity value);

  @Description(
      "Confluent Cloud API key for SASL/PLAIN: a Secret Manager secret version"
          + " (projects/P/secrets/S/versions/V, read once at launch) or the plain value.")
  String getKafkaApiKey();

  void setKafkaApiKey(String value);

  @Description(
      "Confluent Cloud API secret for SASL/PLAIN: a Secret Manager secret version"
          + " (projects/P/secrets/S/versions/V, read once at launch) or the plain value.")
  String getKafkaApiSecret();

  void setKafkaApiSecret(String value);

  @Description(
      "Kafka topic that receives every dead letter with its original key and value, the reason"
          + " code and detail in record headers; empty to disable.")
  @Default.String("lxp.learner_pulse.dlq")
  String getDeadLetterTopic();

  void setDeadLetterTopic(String value);

  @Description(
      "The oldest event time the streaming job expects (ISO-8601). Lateness is judged from there"
          + " on; by default 7 days before launch, Kafka's default retention.")
  String getBacklogStart();

  void setBacklogStart(String value);

  @Description("How often the reference tables (courses, learners) are refreshed in streaming.")
  @Default.String("30s")
  String getReferenceRefresh();

  void setReferenceRefresh(String value);

  @Description(
      "Streaming: compute no window before the reference topics have been read up to launch, so a"
          + " job started on a backlog enriches it as a backfill does; false starts at once with the"
          + " rows read so far.")
  @Default.Boolean(true)
  boolean getReferencesCompleteAtLaunch();

  void setReferencesCompleteAtLaunch(boolean value);
}
