package dev.learnerpulse.testkit;

import java.util.List;
import java.util.Map;
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
 * Produces {@link GeneratedTraffic} to Kafka as live traffic: the reference snapshot at once,
 * before the job starts (so that a job launched after it finds the reference data complete and no
 * window is written without its tenant), then each record when its time comes, {@code speed} times
 * faster than its Kafka timestamps say. Every record keeps its key, value, partition and Kafka
 * timestamp, and records go out in timestamp order, so what the generator made out of order or late
 * stays so.
 */
public final class Replay implements AutoCloseable {
  private final GeneratedTraffic traffic;
  private final double speed;
  private final Producer<byte[], byte[]> producer;
  private final Thread thread;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final CountDownLatch done = new CountDownLatch(1);
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong lastTimestamp = new AtomicLong();
  private final AtomicReference<Exception> failure = new AtomicReference<>();

  private Replay(String bootstrapServers, GeneratedTraffic traffic, double speed) {
    if (!(speed > 0)) {
      throw new IllegalArgumentException("--speed must be positive, not " + speed);
    }
    this.traffic = traffic;
    this.speed = speed;
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
                "all",
                ProducerConfig.LINGER_MS_CONFIG,
                5,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true));
    this.thread = new Thread(this::run, "learner-pulse-replay");
    this.thread.setDaemon(true);
  }

  /**
   * Produces the reference snapshot and waits until Kafka has it; {@link #start} sends the rest.
   */
  public static Replay referenceFirst(
      String bootstrapServers, GeneratedTraffic traffic, double speed) {
    Replay replay = new Replay(bootstrapServers, traffic, speed);
    replay.send(traffic.reference());
    replay.producer.flush();
    return replay;
  }

  /** Starts producing the changes on a thread of its own. */
  public Replay start() {
    thread.start();
    return this;
  }

  private void run() {
    try {
      List<GeneratedTraffic.Record> live = traffic.live();
      if (!live.isEmpty()) {
        long anchorWall = System.currentTimeMillis();
        long anchorTs = live.get(0).timestamp();
        for (GeneratedTraffic.Record record : live) {
          long due = anchorWall + (long) ((record.timestamp() - anchorTs) / speed);
          long wait = due - System.currentTimeMillis();
          if (wait > 0) {
            producer.flush();
            if (stopped.await(wait, TimeUnit.MILLISECONDS)) {
              return;
            }
          } else if (stopped.getCount() == 0) {
            return;
          }
          send(List.of(record));
        }
      }
      producer.flush();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      failure.set(e);
    } finally {
      done.countDown();
    }
  }

  private void send(List<GeneratedTraffic.Record> records) {
    for (GeneratedTraffic.Record r : records) {
      producer.send(
          new ProducerRecord<>(r.topic(), r.partition(), r.timestamp(), r.key(), r.value()),
          (metadata, e) -> {
            if (e != null) {
              failure.compareAndSet(null, e);
            }
          });
      sent.incrementAndGet();
      lastTimestamp.set(r.timestamp());
    }
  }

  public long sent() {
    return sent.get();
  }

  public long total() {
    return traffic.reference().size() + traffic.live().size();
  }

  /** Kafka timestamp of the newest record sent, 0 before the first. */
  public long lastTimestamp() {
    return lastTimestamp.get();
  }

  boolean finished() {
    return done.getCount() == 0;
  }

  /** The first error Kafka returned for a send, if any. */
  public Exception failure() {
    return failure.get();
  }

  /** Stops producing; records already handed to the producer are flushed. */
  @Override
  public void close() {
    stopped.countDown();
    if (thread.getState() == Thread.State.NEW) {
      done.countDown();
    }
    try {
      done.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    producer.close(java.time.Duration.ofSeconds(5));
  }
}
