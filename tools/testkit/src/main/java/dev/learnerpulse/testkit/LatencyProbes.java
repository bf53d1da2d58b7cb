package dev.learnerpulse.testkit;

import dev.learnerpulse.sinks.redis.DashboardKeys;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.joda.time.Instant;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.resps.Tuple;

/**
 * Measures how long a change takes from its Kafka append to the dashboard: {@link #PROBE_LEARNERS}
 * probe learners in {@link SyntheticChanges#PROBE_COURSE} each get an interaction without duration
 * every two seconds, so a probe's engagement score in a window is exactly 2 x the interactions the
 * pipeline has counted for it there (at most 30 per 60 s window, below the cap of 100). Every
 * {@value #POLL_MILLIS} ms the course's window keys ({@code ...:window:W:active}, which a later
 * window never overwrites) are read; when a probe's count reaches n, its changes 1..n have arrived,
 * each with latency = now - its Kafka timestamp (its send time). The poll period bounds the error:
 * +0 to {@value #POLL_MILLIS} ms.
 */
public final class LatencyProbes implements AutoCloseable {
  static final int PROBES_PER_SECOND = 50;
  public static final int PROBE_LEARNERS = 100;
  public static final long POLL_MILLIS = 10;

  /** One probe learner's changes in one window: their send times and how many Redis counts. */
  private static final class Sends {
    final List<Long> at = new ArrayList<>();
    int seen;
  }

  /** A measured probe change. */
  record Sample(long sentAt, long latencyMillis) {}

  private final DashboardKeys keys;
  private final long windowMillis;
  private final Jedis jedis;
  private final Map<Long, Map<String, Sends>> byWindow = new TreeMap<>();
  private final List<Sample> samples = new ArrayList<>();
  private final Thread thread;
  private final CountDownLatch stop = new CountDownLatch(1);

  public LatencyProbes(String host, int port, DashboardKeys keys, long windowMillis) {
    this.keys = keys;
    this.windowMillis = windowMillis;
    this.jedis = new Jedis(host, port);
    this.thread = new Thread(this::run, "learner-pulse-probes");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  synchronized void sent(String learner, long at) {
    long window = at - Math.floorMod(at, windowMillis);
    byWindow
        .computeIfAbsent(window, w -> new HashMap<>())
        .computeIfAbsent(learner, l -> new Sends())
        .at
        .add(at);
  }

  private void run() {
    try {
      while (!stop.await(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
        List<Long> windows;
        synchronized (this) {
          windows = new ArrayList<>(byWindow.keySet());
        }
        for (long window : windows) {
          List<Tuple> counts =
              jedis.zrangeWithScores(
                  keys.windowActive(
                      SyntheticChanges.TENANT, SyntheticChanges.PROBE_COURSE, new Instant(window)),
                  0,
                  -1);
          record(window, counts, System.currentTimeMillis());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      if (stop.getCount() > 0) {
        throw e;
      }
    }
  }

  private synchronized void record(long window, List<Tuple> counts, long now) {
    Map<String, Sends> sends = byWindow.get(window);
    for (Tuple t : counts) {
      Sends s = sends.get(t.getElement());
      if (s == null) {
        continue;
      }
      int arrived = (int) Math.min(Math.round(t.getScore() / 2), s.at.size());
      for (; s.seen < arrived; s.seen++) {
        samples.add(new Sample(s.at.get(s.seen), now - s.at.get(s.seen)));
      }
    }
    boolean complete = sends.values().stream().allMatch(s -> s.seen == s.at.size());
    if (complete && now > window + 3 * windowMillis) {
      byWindow.remove(window);
    }
  }

  /** Whether any probe change has reached Redis yet. */
  public synchronized boolean anyArrived() {
    return !samples.isEmpty();
  }

  /** Latencies of the probe changes sent in [from, to), sorted, and how many have not arrived. */
  public synchronized Result between(long from, long to) {
    List<Long> notArrived = new ArrayList<>();
    for (Map<String, Sends> window : byWindow.values()) {
      for (Sends s : window.values()) {
        notArrived.addAll(s.at.subList(s.seen, s.at.size()));
      }
    }
    return Result.of(samples, notArrived, from, to);
  }

  /** Sorted latencies in ms, and the probes that had not arrived when asked. */
  public record Result(List<Long> latencies, int missing) {
    /** The samples and the send times not yet arrived, of the probes sent in [from, to). */
    static Result of(List<Sample> samples, Collection<Long> notArrived, long from, long to) {
      List<Long> latencies = new ArrayList<>();
      for (Sample s : samples) {
        if (s.sentAt() >= from && s.sentAt() < to) {
          latencies.add(s.latencyMillis());
        }
      }
      latencies.sort(null);
      int missing = (int) notArrived.stream().filter(at -> at >= from && at < to).count();
      return new Result(latencies, missing);
    }

    /** Sustainable: every probe arrived, the p99 at most {@code maxP99Millis}. */
    public boolean within(long maxP99Millis) {
      long p99 = percentile(99);
      return missing == 0 && p99 >= 0 && p99 <= maxP99Millis;
    }

    public static final String HEADER =
        String.format("%7s %6s %6s %6s %6s %6s", "| n", "p50", "p95", "p99", "max", "miss");

    /** The {@link #HEADER}'s columns: how many arrived, percentiles in ms, how many missing. */
    public String columns() {
      return String.format(
          "%7s %6d %6d %6d %6d %6d",
          "| " + latencies.size(),
          percentile(50),
          percentile(95),
          percentile(99),
          percentile(100),
          missing);
    }

    long percentile(double p) {
      if (latencies.isEmpty()) {
        return -1;
      }
      int index = (int) Math.ceil(p / 100.0 * latencies.size()) - 1;
      return latencies.get(Math.max(0, Math.min(latencies.size() - 1, index)));
    }
  }

  @Override
  public void close() {
    stop.countDown();
    try {
      thread.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    jedis.close();
  }
}
