package dev.learnerpulse.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.learnerpulse.model.DeadLetter;
import dev.learnerpulse.model.ReasonCode;
import dev.learnerpulse.secrets.SecretReader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * {@code ./learner-pulse replay-dead-letters}: re-produces dead letters, after the fix that makes
 * them valid, to the topic they came from with their original key and value, so the running job
 * reads them like any record. They come from the dead-letter topic (read from its start to its end
 * at launch) or from dead_letters rows as JSON lines, filtered by reason, original topic and time
 * seen. The value is byte for byte the original, so its identity ({@code Change.identity()}: topic,
 * op, key, source position) is the original's: the dedup drops a record replayed twice within its
 * retention, and a record that had been counted after all is not counted again. {@code --dryRun}
 * shows the summary and produces nothing; {@code --maxRate} spares the brokers.
 */
public final class ReplayDeadLetters {
  static final String REPLAY_HEADER = "lp.replay_of";
  private static final ObjectMapper JSON = new ObjectMapper();

  private ReplayDeadLetters() {}

  public static void main(String[] args) {
    PipelineOptionsFactory.register(ReplayOptions.class);
    try {
      ReplayOptions options =
          PipelineOptionsFactory.fromArgs(args).withValidation().as(ReplayOptions.class);
      System.out.print(run(options, SecretReader.secretManager()).render());
    } catch (IllegalArgumentException e) {
      System.err.println("replay-dead-letters: " + e.getMessage());
      System.exit(2);
    }
  }

  /** What a replay read, matched and produced. */
  static final class Summary {
    final String source;
    final boolean dryRun;
    int read;
    final Map<String, Integer> matchedByReason = new TreeMap<>();
    final Map<String, Integer> matchedByTopic = new TreeMap<>();
    int produced;

    Summary(String source, boolean dryRun) {
      this.source = source;
      this.dryRun = dryRun;
    }

    int matched() {
      return matchedByReason.values().stream().mapToInt(Integer::intValue).sum();
    }

    String render() {
      return "replay-dead-letters: read "
          + read
          + " dead letters from "
          + source
          + "\n"
          + "  matched "
          + matched()
          + " by reason "
          + matchedByReason
          + "\n"
          + "  matched "
          + matched()
          + " by topic "
          + matchedByTopic
          + "\n"
          + (dryRun
              ? "  dry run: produced nothing\n"
              : "  produced " + produced + " to their original topics\n");
    }
  }

  /** One dead letter as replay needs it: where it goes, what it is, why it failed, when. */
  record Letter(
      String origin,
      String topic,
      byte @Nullable [] key,
      byte @Nullable [] value,
      String reason,
      Instant seenAt) {}

  static Summary run(ReplayOptions options, SecretReader reader) {
    KafkaConnection kafka = PipelineSettings.kafka(options, new Secrets(reader, false));
    Set<String> reasons = list(options.getReasons(), true);
    for (String reason : reasons) {
      ReasonCode.valueOf(reason); // an unknown code fails here, naming itself
    }
    Set<String> topics = list(options.getTopics(), false);
    Instant from = instant(Flag.of(ReplayOptions::getSeenFrom), options.getSeenFrom());
    Instant until = instant(Flag.of(ReplayOptions::getSeenUntil), options.getSeenUntil());
    String files = options.getDeadLetterFiles();
    String dlq = PipelineSettings.deadLetterTopic(options);
    if ((files == null || files.isBlank()) && dlq == null) {
      throw new IllegalArgumentException(
          "give "
              + Flag.of(KafkaOptions::getDeadLetterTopic)
              + " or "
              + Flag.of(ReplayOptions::getDeadLetterFiles)
              + " to read from");
    }
    boolean fromFiles = files != null && !files.isBlank();
    Summary summary =
        new Summary(fromFiles ? "files " + files : "topic " + dlq, options.getDryRun());
    List<Letter> matched = new ArrayList<>();
    Consumer<Letter> filter =
        letter -> {
          summary.read++;
          if ((reasons.isEmpty() || reasons.contains(letter.reason()))
              && (topics.isEmpty() || topics.contains(letter.topic()))
              && (from == null || !letter.seenAt().isBefore(from))
              && (until == null || letter.seenAt().isBefore(until))) {
            matched.add(letter);
            summary.matchedByReason.merge(letter.reason(), 1, Integer::sum);
            summary.matchedByTopic.merge(letter.topic(), 1, Integer::sum);
          }
        };
    if (fromFiles) {
      readFiles(files.trim(), filter);
    } else {
      readTopic(kafka, dlq, filter);
    }
    if (!options.getDryRun() && !matched.isEmpty()) {
      List<String> missing = kafka.check(summary.matchedByTopic.keySet());
      if (!missing.isEmpty()) {
        throw new IllegalArgumentException(
            "Kafka at "
                + kafka.bootstrapServers()
                + " has no topic "
                + missing
                + ": dead letters go back to the topic they came from");
      }
      summary.produced = produce(kafka, matched, options.getMaxRate());
    }
    return summary;
  }

  /** The dead-letter topic from its first to its last record at launch. */
  private static void readTopic(KafkaConnection kafka, String topic, Consumer<Letter> out) {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    try (org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> consumer =
        kafka.consumer(config)) {
      List<TopicPartition> partitions = new ArrayList<>();
      List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
      if (infos == null || infos.isEmpty()) {
        throw new IllegalArgumentException(
            "Kafka at " + kafka.bootstrapServers() + " has no dead-letter topic " + topic);
      }
      for (PartitionInfo info : infos) {
        partitions.add(new TopicPartition(topic, info.partition()));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions));
      end.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
      while (!end.isEmpty()) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofSeconds(1))) {
          TopicPartition partition = new TopicPartition(record.topic(), record.partition());
          Long last = end.get(partition);
          if (last != null && record.offset() < last) {
            out.accept(letter(record));
          }
        }
        end.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
      }
    }
  }

  private static Letter letter(ConsumerRecord<byte[], byte[]> record) {
    String topic = header(record, "lp.topic");
    String reason = header(record, "lp.reason");
    String seenAt = header(record, "lp.seen_at");
    if (topic == null || reason == null || seenAt == null) {
      throw new IllegalArgumentException(
          "record "
              + record.topic()
              + "/"
              + record.partition()
              + "@"
              + record.offset()
              + " has no lp.topic, lp.reason or lp.seen_at header: not a Learner Pulse dead letter");
    }
    return new Letter(
        record.topic() + "/" + record.partition() + "@" + record.offset(),
        topic,
        record.key(),
        record.value(),
        reason,
        Instant.parse(seenAt));
  }

  private static @Nullable String header(ConsumerRecord<byte[], byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  /** dead_letters rows, one JSON object a line, as the files sink and a BigQuery export write. */
  private static void readFiles(String pattern, Consumer<Letter> out) {
    try {
      MatchResult match = FileSystems.match(pattern);
      for (MatchResult.Metadata file : match.metadata()) {
        try (BufferedReader lines =
            new BufferedReader(
                new InputStreamReader(
                    Channels.newInputStream(FileSystems.open(file.resourceId())),
                    StandardCharsets.UTF_8))) {
          int number = 0;
          for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            number++;
            if (!line.isBlank()) {
              out.accept(letter(JSON.readTree(line), file.resourceId() + ":" + number));
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read dead letters from " + pattern, e);
    }
  }

  private static Letter letter(JsonNode row, String origin) {
    DeadLetter deadLetter =
        DeadLetter.create(
            row.path("topic").asText(),
            row.path("partition").asInt(),
            row.path("offset").asLong(),
            Instant.parse(row.path("kafka_timestamp").asText()),
            row.hasNonNull("key") ? row.get("key").asText() : null,
            row.hasNonNull("value") ? row.get("value").asText() : null,
            DeadLetter.Encoding.valueOf(row.path("value_encoding").asText("TEXT")),
            ReasonCode.valueOf(row.path("reason").asText()),
            row.path("detail").asText(""),
            Instant.parse(row.path("seen_at").asText()));
    return new Letter(
        origin,
        deadLetter.getTopic(),
        DeadLetterTopic.ToProducerRecordFn.keyBytes(deadLetter.getKey()),
        deadLetter.valueBytes(),
        deadLetter.getReason().name(),
        deadLetter.getSeenAt());
  }

  /** Produces every letter, in order, at most {@code maxRate} a second; waits for every ack. */
  private static int produce(KafkaConnection kafka, List<Letter> letters, int maxRate) {
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    long started = System.nanoTime();
    int sent = 0;
    try (Producer<byte[], byte[]> producer = kafka.producer(config)) {
      List<java.util.concurrent.Future<?>> acks = new ArrayList<>();
      for (Letter letter : letters) {
        if (maxRate > 0) {
          long due = started + sent * 1_000_000_000L / maxRate;
          long wait = due - System.nanoTime();
          if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
          }
        }
        ProducerRecord<byte[], byte[]> record =
            new ProducerRecord<>(letter.topic(), letter.key(), letter.value());
        record.headers().add(REPLAY_HEADER, letter.origin().getBytes(StandardCharsets.UTF_8));
        acks.add(producer.send(record));
        sent++;
      }
      for (java.util.concurrent.Future<?> ack : acks) {
        ack.get();
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "Kafka refused a replayed record: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while replaying", e);
    }
    return sent;
  }

  private static Set<String> list(@Nullable String value, boolean upper) {
    Set<String> items = new HashSet<>();
    if (value != null) {
      for (String item : value.split(",")) {
        if (!item.isBlank()) {
          items.add(upper ? item.trim().toUpperCase(Locale.ROOT) : item.trim());
        }
      }
    }
    return items;
  }

  private static @Nullable Instant instant(String flag, @Nullable String value) {
    return value == null || value.isBlank() ? null : Instants.parse(flag, value);
  }
}
