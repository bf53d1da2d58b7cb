package dev.learnerpulse.testkit;

import dev.learnerpulse.model.LearnerAlert;
import dev.learnerpulse.sinks.redis.DashboardKeys;
import dev.learnerpulse.testkit.LatencyProbes.Result;
import dev.learnerpulse.testkit.LatencyProbes.Sample;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XReadParams;
import redis.clients.jedis.resps.StreamEntry;

/**
 * Measures how long a change takes from its Kafka append to its alert in the tenant's Redis stream:
 * {@link #PER_SECOND} probe changes a second, each a certification_state {@code issued} for a
 * (probe learner, course) pair never used before ({@link #learner}, {@link #course}), which {@code
 * DetectLearnerAlerts} turns into exactly one {@code CERTIFICATE_ISSUED} alert. A thread reads the
 * stream of {@link SyntheticChanges#TENANT} with {@code XREAD BLOCK} from the entry that was newest
 * when the probes started, and matches each probe alert by learner and course: latency = read time
 * - the probe's Kafka timestamp (its send time). The background load's alerts go to the same stream
 * and are skipped.
 */
public final class AlertProbes implements AutoCloseable {
  public static final int PER_SECOND = 10;
  private static final int BLOCK_MILLIS = 500;
  private static final int READ_COUNT = 1_000;

  private final String stream;
  private final Jedis jedis;
  private final Map<String, Long> pending = new HashMap<>();
  private final List<Sample> samples = new ArrayList<>();
  private final Thread thread;
  private volatile boolean stopped;
  private StreamEntryID last;

  public AlertProbes(String host, int port, DashboardKeys keys) {
    this.stream = keys.alerts(SyntheticChanges.TENANT);
    this.jedis = new Jedis(host, port);
    List<StreamEntry> newest = jedis.xrevrange(stream, "+", "-", 1);
    this.last = newest.isEmpty() ? new StreamEntryID(0, 0) : newest.get(0).getID();
    this.thread = new Thread(this::run, "learner-pulse-alert-probes");
    this.thread.setDaemon(true);
  }

  /** Starts reading the stream. */
  public AlertProbes start() {
    thread.start();
    return this;
  }

  /** The learner of the {@code n}-th probe: one of the probe learners, whose tenant is known. */
  static String learner(int n) {
    return SyntheticChanges.probeLearner(n % LatencyProbes.PROBE_LEARNERS);
  }

  /** The course of the {@code n}-th probe: with {@link #learner}, a pair no other probe has. */
  static String course(int n) {
    return String.format("A%05d", n / LatencyProbes.PROBE_LEARNERS);
  }

  synchronized void sent(String learner, String course, long at) {
    pending.put(key(learner, course), at);
  }

  private void run() {
    try {
      while (!stopped) {
        List<StreamEntry> entries = read(BLOCK_MILLIS);
        received(entries, System.currentTimeMillis());
      }
    } catch (RuntimeException e) {
      if (!stopped) {
        throw e;
      }
    }
  }

  /** The entries after the last one read, waiting up to {@code blockMillis} for one. */
  List<StreamEntry> read(int blockMillis) {
    List<Map.Entry<String, List<StreamEntry>>> read =
        jedis.xread(
            XReadParams.xReadParams().block(blockMillis).count(READ_COUNT), Map.of(stream, last));
    if (read == null || read.isEmpty()) {
      return List.of();
    }
    List<StreamEntry> entries = read.get(0).getValue();
    if (!entries.isEmpty()) {
      last = entries.get(entries.size() - 1).getID();
    }
    return entries;
  }

  /** Matches the probes' alerts among {@code entries}, read at {@code now}. */
  synchronized void received(List<StreamEntry> entries, long now) {
    for (StreamEntry entry : entries) {
      Map<String, String> fields = entry.getFields();
      if (!LearnerAlert.Kind.CERTIFICATE_ISSUED.name().equals(fields.get("kind"))) {
        continue;
      }
      Long sentAt = pending.remove(key(fields.get("learner_id"), fields.get("course_id")));
      if (sentAt != null) {
        samples.add(new Sample(sentAt, now - sentAt));
      }
    }
  }

  /** Latencies of the probe alerts sent in [from, to), sorted, and how many have not arrived. */
  public synchronized Result between(long from, long to) {
    return Result.of(samples, pending.values(), from, to);
  }

  private static String key(String learner, String course) {
    return learner + "|" + course;
  }

  @Override
  public void close() {
    stopped = true;
    try {
      thread.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    jedis.close();
  }
}
