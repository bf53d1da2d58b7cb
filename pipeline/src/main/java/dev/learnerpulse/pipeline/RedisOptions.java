package dev.learnerpulse.pipeline;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** The Redis (Memorystore) that serves live dashboards. */
public interface RedisOptions extends PipelineOptions {
  @Description(
      "Redis for live dashboards: redis://host:port, or rediss://host:port for TLS (Memorystore"
          + " with in-transit encryption). Empty: no dashboard writes.")
  String getRedisUrl();

  void setRedisUrl(String value);

  @Description(
      "Redis AUTH string: a Secret Manager secret version projects/P/secrets/S/versions/V, read"
          + " on the workers (and again once when Redis refuses it: rotation needs no relaunch); a"
          + " plain value for local runs only (refused on Dataflow).")
  String getRedisAuth();

  void setRedisAuth(String value);

  @Description(
      "PEM CA certificates of the Redis server, for rediss:// (Memorystore's server_ca_certs): a"
          + " Secret Manager secret version or a gs:// or local file, read on the workers. Default:"
          + " the JVM's trust store.")
  String getRedisCaCertificate();

  void setRedisCaCertificate(String value);

  @Description("How long a learner's dashboard keys live after their last update (0: forever).")
  @Default.String("7d")
  String getRedisTtl();

  void setRedisTtl(String value);

  @Description(
      "How long a bundle waits, in total, between retries of its Redis writes (exponential"
          + " backoff) while Redis is unreachable (restarting, failing over) before it fails and"
          + " the runner retries it (0: fail at the first error).")
  @Default.String("5m")
  String getRedisRetryTimeout();

  void setRedisRetryTimeout(String value);

  @Description("Prefix of every Redis key Learner Pulse writes.")
  @Default.String("lp")
  String getRedisKeyPrefix();

  void setRedisKeyPrefix(String value);
}
