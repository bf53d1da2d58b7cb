package dev.learnerpulse.testkit;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Produces valid changes at a steady, adjustable rate, each with Kafka timestamp and event time =
 * its send time: 77% course interactions, 15% learner progress, 5% assessments, 3% certification
 * changes over {@code learners} x {@code courses}, {@link LatencyProbes#PROBES_PER_SECOND} probe
 * interactions per second whose arrival in Redis {@link LatencyProbes} watches, and {@link
 * AlertProbes#PER_SECOND} probe certificates issued whose alerts {@link AlertProbes} watches. The
 * rate is kept in 10 ms ticks.
 */
public final class LoadGenerator implements AutoCloseable {
  private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  private final SyntheticChanges changes;
  private final LatencyProbes probes;
  private final AlertProbes alertProbes;
  private final int learners;
  private final int courses;
  private final Producer<byte[], byte[]> producer;
  private final Thread thread;
  private final CountDownLatch stop = new CountDownLatch(1);
  private final AtomicLong rate = new AtomicLong();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicReference<Exception> failure = new AtomicReference<>();
  private final SplittableRandom random = new SplittableRandom(42);

  public LoadGenerator(
      String bootstrapServers,
      SyntheticChanges changes,
      LatencyProbes probes,
      AlertProbes alertProbes,
      int learners,
      int courses) {
    this.changes = changes;
    this.probes = probes;
    this.alertProbes = alertProbes;
    this.learners = learners;
    this.courses = courses;
    this.producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class,
                ProducerConfig.ACKS_CONFIG,
                "1",
                ProducerConfig.LINGER_MS_CONFIG,
                2,
                ProducerConfig.BATCH_SIZE_CONFIG,
                256 * 1024));
    this.thread = new Thread(this::run, "learner-pulse-load");
    this.thread.setDaemon(true);
  }

  public void start(long recordsPerSecond) {
    rate.set(recordsPerSecond);
    thread.start();
  }

  public void setRate(long recordsPerSecond) {
    rate.set(recordsPerSecond);
  }

  public long sent() {
    return sent.get();
  }

  public Exception failure() {
    return failure.get();
  }

  private void run() {
    long next = System.nanoTime();
    double owed = 0;
    double probesOwed = 0;
    double alertsOwed = 0;
    int probe = 0;
    int alertProbe = 0;
    try {
      while (stop.getCount() > 0) {
        long tickRate = rate.get();
        double probeShare = Math.min(LatencyProbes.PROBES_PER_SECOND, tickRate) / 100.0;
        double alertShare =
            Math.min(
                    AlertProbes.PER_SECOND, Math.max(0, tickRate - LatencyProbes.PROBES_PER_SECOND))
                / 100.0;
        owed += tickRate / 100.0 - probeShare - alertShare;
        probesOwed += probeShare;
        alertsOwed += alertShare;
        long now = System.currentTimeMillis();
        for (; probesOwed >= 1; probesOwed--) {
          String learner = SyntheticChanges.probeLearner(probe);
          probe = (probe + 1) % LatencyProbes.PROBE_LEARNERS;
          send(changes.interaction(learner, SyntheticChanges.PROBE_COURSE, now, null));
          probes.sent(learner, now);
        }
        for (; alertsOwed >= 1; alertsOwed--, alertProbe++) {
          String learner = AlertProbes.learner(alertProbe);
          String course = AlertProbes.course(alertProbe);
          alertProbes.sent(learner, course, now);
          send(changes.certification(learner, course, now, "issued"));
        }
        for (; owed >= 1; owed--) {
          send(next(now));
        }
        next += TICK_NANOS;
        long wait = next - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        } else if (wait < -TimeUnit.SECONDS.toNanos(1)) {
          next = System.nanoTime(); // the producer fell behind: do not burst to catch up
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      failure.set(e);
    }
  }

  private ProducerRecord<byte[], byte[]> next(long now) {
    String learner = SyntheticChanges.learner(random.nextInt(learners));
    String course = SyntheticChanges.course(1 + random.nextInt(courses));
    int kind = random.nextInt(100);
    if (kind < 77) {
      return changes.interaction(
          learner, course, now, random.nextInt(4) == 0 ? null : random.nextInt(90_000));
    } else if (kind < 92) {
      return changes.progress(learner, course, now, random);
    } else if (kind < 97) {
      return changes.assessment(learner, course, now, random);
    }
    return changes.certification(learner, course, now, random);
  }

  private void send(ProducerRecord<byte[], byte[]> record) {
    producer.send(
        record,
        (metadata, e) -> {
          if (e != null) {
            failure.compareAndSet(null, e);
          }
        });
    sent.incrementAndGet();
  }

  @Override
  public void close() {
    stop.countDown();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    producer.close(java.time.Duration.ofSeconds(5));
  }
}
