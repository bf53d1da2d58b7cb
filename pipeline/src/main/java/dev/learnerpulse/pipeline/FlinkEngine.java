package dev.learnerpulse.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricResults;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;

/**
 * The Flink runner as Learner Pulse runs it. Beam's defaults suit a batch job on a cluster; a
 * streaming job needs more: checkpoints, without which KafkaIO never commits an offset and a
 * restart loses its state; a detached submission, since an attached one makes {@code run()} block
 * until the job ends, which a streaming job never does; and, in the embedded cluster, a web UI on a
 * known port and counters readable while the job runs ({@link EmbeddedFlinkMetrics}).
 */
public final class FlinkEngine {
  private FlinkEngine() {}

  /** By name: the Dataflow jar has no Flink classes, and this is asked of every job. */
  public static boolean runs(PipelineOptions options) {
    return options.getRunner().getName().equals("org.apache.beam.runners.flink.FlinkRunner");
  }

  /** The job runs in this JVM's embedded cluster, which lives only as long as the JVM. */
  public static boolean embedded(PipelineOptions options) {
    if (!runs(options)) {
      return false;
    }
    String master = options.as(FlinkPipelineOptions.class).getFlinkMaster();
    return "[local]".equals(master) || ("[auto]".equals(master) && !launchedByACluster());
  }

  /**
   * Whether a Flink cluster runs this {@code main}: in application mode (as the Kubernetes operator
   * runs a {@code FlinkDeployment}) or under {@code flink run}. Flink then provides a context
   * environment, which Beam's {@code [auto]} (its default master) submits to; the configuration
   * generated for the embedded cluster would override the cluster's own (its checkpoint directory,
   * for one).
   */
  private static boolean launchedByACluster() {
    return !(StreamExecutionEnvironment.getExecutionEnvironment()
        instanceof LocalStreamEnvironment);
  }

  /**
   * The embedded cluster logs every task's every state change at INFO, thousands of lines for one
   * backfill: keep its warnings, as a cluster's own log would.
   */
  public static void quietEmbeddedCluster() {
    quiet("org.apache.flink", Level.WARNING);
    quiet("org.apache.beam.runners.flink", Level.WARNING);
    // A warning per operator whose Beam name is over 80 characters: most of them.
    quiet("org.apache.flink.runtime.metrics.groups", Level.SEVERE);
  }

  private static void quiet(String name, Level level) {
    Logger logger = Logger.getLogger(name);
    logger.setLevel(level);
    QUIETED.add(logger);
  }

  /** java.util.logging holds loggers weakly: keep the configured ones. */
  private static final List<Logger> QUIETED = new CopyOnWriteArrayList<>();

  /** Checkpoints every {@code checkpointEvery} ({@link PipelineSettings#checkpointEvery}). */
  static void configure(PipelineOptions options, Mode mode, Duration checkpointEvery) {
    if (!runs(options) || mode != Mode.STREAMING) {
      return;
    }
    FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
    flink.setAttachedMode(false);
    if (flink.getCheckpointingInterval() == -1 && checkpointEvery.isLongerThan(Duration.ZERO)) {
      flink.setCheckpointingInterval(checkpointEvery.getMillis());
    }
    if (embedded(options) && flink.getFlinkConfDir() == null) {
      Path dir = embeddedConfiguration(flink.getSavepointPath());
      flink.setFlinkConfDir(dir.toString());
      if (flink.getStateBackend() != null && flink.getStateBackendStoragePath() == null) {
        flink.setStateBackendStoragePath(checkpoints(dir));
      }
    }
    checkStateBackend(flink);
  }

  /**
   * {@code --stateBackend} as Beam's runner reads it, checked before the job is built: a wrong name
   * or a missing storage path fails at launch, naming the option, rather than on translation.
   * Without it the job keeps its state where the cluster's configuration says (Flink's default: on
   * the heap), which suits the embedded cluster; {@code rocksdb} keeps it on local disk, beyond the
   * heap, for large state. The embedded cluster stores a backend's checkpoints in its own
   * directory; a cluster needs a directory every TaskManager can write.
   */
  private static void checkStateBackend(FlinkPipelineOptions flink) {
    String backend = flink.getStateBackend();
    if (backend == null) {
      return;
    }
    if (!STATE_BACKENDS.contains(backend.toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException(
          Flag.of(FlinkPipelineOptions::getStateBackend)
              + " must be one of "
              + STATE_BACKENDS
              + ", not '"
              + backend
              + "'");
    }
    if (flink.getStateBackendStoragePath() == null) {
      throw new IllegalArgumentException(
          Flag.of(FlinkPipelineOptions::getStateBackend)
              + "="
              + backend
              + " needs "
              + Flag.of(FlinkPipelineOptions::getStateBackendStoragePath)
              + " on a cluster: a"
              + " directory every TaskManager can write (e.g. s3://bucket/learner-pulse/checkpoints)");
    }
  }

  /** What Beam's Flink runner accepts: RocksDB on local disk, or the heap ("filesystem"). */
  private static final List<String> STATE_BACKENDS = List.of("rocksdb", "filesystem");

  private static String checkpoints(Path configurationDir) {
    return configurationDir.resolve("checkpoints").toUri().toString();
  }

  /** The embedded cluster's web UI, when this JVM configured it. */
  public static @Nullable String webUi(PipelineOptions options) {
    if (!embedded(options)) {
      return null;
    }
    String dir = options.as(FlinkPipelineOptions.class).getFlinkConfDir();
    if (dir == null) {
      return null;
    }
    int port = GlobalConfiguration.loadConfiguration(dir).get(RestOptions.PORT);
    return "http://localhost:" + port;
  }

  /**
   * A streaming job's result whose metrics are readable while it runs: in the embedded cluster,
   * from {@link EmbeddedFlinkMetrics}; elsewhere the runner's own.
   */
  public static PipelineResult live(PipelineResult result, PipelineOptions options) {
    if (!embedded(options) || options.as(FlinkPipelineOptions.class).getAttachedMode()) {
      return result;
    }
    return new EmbeddedJob(result);
  }

  /**
   * A detached job of the embedded cluster. That cluster shuts down with its job, after which the
   * runner's result can no longer say how the job ended; this one remembers.
   */
  private static final class EmbeddedJob implements PipelineResult {
    private final PipelineResult job;
    private volatile State last = State.RUNNING;
    private volatile boolean cancelled;

    EmbeddedJob(PipelineResult job) {
      this.job = job;
    }

    @Override
    public synchronized State getState() {
      if (!last.isTerminal()) {
        try {
          last = job.getState();
        } catch (RuntimeException e) {
          last = cancelled ? State.CANCELLED : State.FAILED;
        }
      }
      return last;
    }

    @Override
    public State cancel() throws IOException {
      cancelled = true;
      try {
        job.cancel();
      } catch (RuntimeException e) {
        // The cluster is gone already, and with it the job.
      }
      return getState();
    }

    @Override
    public State waitUntilFinish(Duration duration) {
      long deadline =
          duration.getMillis() < 1
              ? Long.MAX_VALUE
              : System.currentTimeMillis() + duration.getMillis();
      while (!getState().isTerminal() && System.currentTimeMillis() < deadline) {
        try {
          Thread.sleep(200);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      return getState();
    }

    @Override
    public State waitUntilFinish() {
      return waitUntilFinish(Duration.ZERO);
    }

    @Override
    public MetricResults metrics() {
      return EmbeddedFlinkMetrics.results();
    }
  }

  /**
   * A Flink configuration directory: the web UI on a free port, the metrics reporter, checkpoints
   * in the directory, no compression of batch shuffles, and the savepoint to start from, if any.
   */
  private static Path embeddedConfiguration(@Nullable String savepoint) {
    try {
      Path dir = Files.createTempDirectory("learner-pulse-flink");
      dir.toFile().deleteOnExit();
      Path file = dir.resolve("config.yaml");
      Files.writeString(
          file,
          String.join(
              "\n",
              "rest.address: localhost",
              "rest.bind-address: localhost",
              "rest.port: " + freePort(),
              "metrics.reporter.learnerpulse.factory.class: "
                  + EmbeddedFlinkMetrics.Factory.class.getName(),
              // Checkpoints to files: the job manager's memory takes state of 5 MB at most, which a
              // minute of a few thousand records a second outgrows, and a failed checkpoint
              // restarts the job.
              "state.checkpoints.dir: " + checkpoints(dir),
              // A batch shuffle inside one JVM crosses no network: compressing it (LZ4) only
              // spent CPU, 12% of a backfill's (docs/benchmarks.md).
              "taskmanager.network.batch-shuffle.compression.enabled: false",
              // Beam passes --savepointPath to a cluster only; the embedded one reads it here.
              savepoint == null ? "" : "execution.savepoint.path: " + savepoint,
              ""));
      file.toFile().deleteOnExit();
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the embedded Flink cluster's configuration", e);
    }
  }

  /** A port free now on this machine, for a server about to start. */
  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
