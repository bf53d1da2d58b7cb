package dev.learnerpulse.benchmarks;

import dev.learnerpulse.decode.ChangeEventDecoder;
import dev.learnerpulse.decode.DebeziumJsonDecoder;
import dev.learnerpulse.decode.ValueFormat;
import dev.learnerpulse.decode.ValueFormats;
import dev.learnerpulse.decode.registry.SchemaRegistryClient;
import dev.learnerpulse.decode.registry.SchemaRegistryConfig;
import dev.learnerpulse.decode.registry.SchemaRegistryException;
import dev.learnerpulse.model.Change;
import dev.learnerpulse.model.ChangeEnvelope;
import dev.learnerpulse.model.InvalidRecordException;
import dev.learnerpulse.model.ReasonCode;
import dev.learnerpulse.model.SourceRecord;
import dev.learnerpulse.model.SourceTable;
import dev.learnerpulse.model.Topics;
import dev.learnerpulse.testing.SchemaRegistryServer;
import dev.learnerpulse.validate.ChangeRules;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Records per second, on one thread, through the per-record work of {@code DecodeChangeEvents} and
 * {@code ValidateChanges}: the topic lookup, {@link ChangeEventDecoder#decode} (the JSON {@link
 * DebeziumJsonDecoder}, or for {@code format=avro} the Avro decoder) with one decoder reused, then
 * {@link ChangeRules#isIgnored} or {@link ChangeRules#validate}, every {@link
 * InvalidRecordException} caught as the DoFns catch it. Beam's counters and the construction of
 * dead letters are left out.
 *
 * <p>{@code decodeOnly} runs the first half alone, so the difference is the cost of validation.
 * Each invocation handles {@link #BATCH} records, walking round the mix; with the synthetic mix
 * that is the whole mix once. Run it as docs/benchmarks.md says:
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar DecodeValidate -p mix=synthetic,testdata
 * }</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(
    value = 2,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 8, time = 2)
@Measurement(iterations = 5, time = 2)
public class DecodeValidateBenchmark {
  /** Records per invocation. */
  static final int BATCH = RecordMix.SYNTHETIC_RECORDS;

  /**
   * {@code auto}: the {@code testdata/*.jsonl} dumps when there are any, else the synthetic mix;
   * {@code testdata} or {@code synthetic} to insist on one.
   */
  @Param({"auto"})
  public String mix;

  /**
   * {@code json}: the mix as it is, through the JSON decoder. {@code avro}: the same changes in the
   * Confluent wire format ({@link AvroMix}), decoded with format {@code auto} and writer schemas
   * from a Confluent-compatible registry served in this JVM; the client caches them after the first
   * record of each table, so the score is decoding, not HTTP.
   */
  @Param({"json", "avro"})
  public String format;

  private final Topics topics = Topics.defaults();
  private ChangeEventDecoder decoder;
  private SchemaRegistryServer registry;
  private SourceRecord[] records;
  private int cursor;

  @Setup(Level.Trial)
  public void load() {
    RecordMix loaded = RecordMix.load(mix);
    records = loaded.records;
    String description = loaded.description;
    if (format.equals("avro")) {
      registry = SchemaRegistryServer.start();
      AvroMix avro = AvroMix.of(records, registry);
      records = avro.records;
      description += ", " + avro.converted + " of them in Avro";
      decoder =
          ChangeEventDecoder.of(
              ValueFormats.all(ValueFormat.AUTO),
              SchemaRegistryClient.create(SchemaRegistryConfig.of(registry.url())));
    } else if (format.equals("json")) {
      decoder = ChangeEventDecoder.json();
    } else {
      throw new IllegalArgumentException("format must be json or avro: " + format);
    }
    cursor = 0;
    System.out.println();
    System.out.println("mix=" + mix + " format=" + format + ": " + description);
    System.out.println(summary(records));
  }

  @TearDown(Level.Trial)
  public void stopRegistry() {
    if (registry != null) {
      registry.close();
    }
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void decodeAndValidate(Blackhole blackhole) {
    SourceRecord[] all = records;
    int next = cursor;
    for (int i = 0; i < BATCH; i++) {
      blackhole.consume(decodeAndValidate(all[next]));
      if (++next == all.length) {
        next = 0;
      }
    }
    cursor = next;
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void decodeOnly(Blackhole blackhole) {
    SourceRecord[] all = records;
    int next = cursor;
    for (int i = 0; i < BATCH; i++) {
      blackhole.consume(decode(all[next]));
      if (++next == all.length) {
        next = 0;
      }
    }
    cursor = next;
  }

  /** A {@link ChangeEnvelope} or the {@link ReasonCode} of the dead letter it would become. */
  private Object decode(SourceRecord record) {
    SourceTable table = topics.table(record.getTopic());
    try {
      if (table == null) {
        throw new InvalidRecordException(
            ReasonCode.UNKNOWN_TOPIC, "topic " + record.getTopic() + " is not a configured source");
      }
      return decoder.decode(record, table);
    } catch (InvalidRecordException e) {
      return e.reason();
    } catch (SchemaRegistryException e) {
      throw new IllegalStateException(e);
    } catch (RuntimeException e) {
      return ReasonCode.MALFORMED;
    }
  }

  /** A valid {@link Change}, an ignored {@link ChangeEnvelope}, or a dead letter's reason. */
  private Object decodeAndValidate(SourceRecord record) {
    Object decoded = decode(record);
    if (!(decoded instanceof ChangeEnvelope)) {
      return decoded;
    }
    ChangeEnvelope envelope = (ChangeEnvelope) decoded;
    if (ChangeRules.isIgnored(envelope)) {
      return envelope;
    }
    try {
      return ChangeRules.validate(envelope);
    } catch (InvalidRecordException e) {
      return e.reason();
    } catch (RuntimeException e) {
      return ReasonCode.BAD_VALUE;
    }
  }

  /** Outcomes of the mix, so a run shows what it measured. */
  private String summary(SourceRecord[] all) {
    Map<String, Integer> topicsSeen = new TreeMap<>();
    Map<String, Integer> outcomes = new TreeMap<>();
    long bytes = 0;
    for (SourceRecord record : all) {
      topicsSeen.merge(record.getTopic(), 1, Integer::sum);
      bytes += record.getValue() == null ? 0 : record.getValue().length;
      Object outcome = decodeAndValidate(record);
      String label =
          outcome instanceof Change
              ? "valid"
              : outcome instanceof ChangeEnvelope ? "ignored" : "dead_letter " + outcome;
      outcomes.merge(label, 1, Integer::sum);
    }
    return all.length
        + " records, "
        + (bytes / all.length)
        + " value bytes on average\n"
        + "topics: "
        + topicsSeen
        + "\noutcomes: "
        + outcomes;
  }
}
