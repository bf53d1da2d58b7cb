package dev.learnerpulse.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint;
import org.apache.flink.runtime.taskexecutor.TaskManagerRunner;

/**
 * A Flink 1.19 session cluster in processes of its own, as a standalone deployment runs one: a
 * JobManager JVM ({@link StandaloneSessionClusterEntrypoint}) and a TaskManager JVM ({@link
 * TaskManagerRunner}) on localhost, configured by a generated {@code config.yaml}, each logging to
 * a file in the cluster's directory.
 *
 * <p>Their classpath is Flink's jars as this build resolved them (the test classpath less Beam and
 * Learner Pulse), so a job's Beam and Learner Pulse classes can only come from the jar it stages,
 * as on a real cluster. {@link #close} stops both processes, and a shutdown hook does if the test
 * JVM ends first.
 *
 * <pre>{@code
 * try (FlinkSessionCluster cluster = FlinkSessionCluster.start(dir, 2)) {
 *   ... "--flinkMaster=" + cluster.master() ...
 * }
 * }</pre>
 */
final class FlinkSessionCluster implements AutoCloseable {
  /** A guard against a cluster that never comes up, not a timing claim: starting takes ~10 s. */
  private static final long START_PATIENCE_MILLIS = TimeUnit.MINUTES.toMillis(3);

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * What Flink's own start scripts pass to a JVM on Java 17 ({@code env.java.default-opts.all} in
   * Flink 1.19's configuration): Flink's and Kryo's reflection into the JDK.
   */
  private static final List<String> JAVA_17_OPENS =
      List.of(
          "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
          "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
          "--add-opens=java.base/java.lang=ALL-UNNAMED",
          "--add-opens=java.base/java.net=ALL-UNNAMED",
          "--add-opens=java.base/java.io=ALL-UNNAMED",
          "--add-opens=java.base/java.nio=ALL-UNNAMED",
          "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
          "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
          "--add-opens=java.base/java.text=ALL-UNNAMED",
          "--add-opens=java.base/java.time=ALL-UNNAMED",
          "--add-opens=java.base/java.util=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

  private final Path dir;
  private final int restPort;
  private final List<Process> processes = new ArrayList<>();
  private final Thread onExit = new Thread(this::stopProcesses, "stop-flink-session-cluster");

  private FlinkSessionCluster(Path dir, int restPort) {
    this.dir = dir;
    this.restPort = restPort;
  }

  /**
   * Starts a JobManager and a TaskManager with {@code slots} task slots, configured and logging in
   * {@code dir}; returns once the TaskManager has registered its slots.
   */
  static FlinkSessionCluster start(Path dir, int slots) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    FlinkSessionCluster cluster = new FlinkSessionCluster(dir, FlinkEngine.freePort());
    Runtime.getRuntime().addShutdownHook(cluster.onExit);
    try {
      cluster.writeConfiguration(slots);
      cluster.launch("jobmanager", "512m", StandaloneSessionClusterEntrypoint.class);
      cluster.launch("taskmanager", "768m", TaskManagerRunner.class);
      cluster.awaitSlots(slots);
      return cluster;
    } catch (IOException | InterruptedException | RuntimeException | AssertionError e) {
      cluster.close();
      throw e;
    }
  }

  /** The value of {@code --flinkMaster}: the JobManager's REST endpoint. */
  String master() {
    return "localhost:" + restPort;
  }

  /** A GET on the cluster's REST API. */
  JsonNode rest(String path) throws IOException, InterruptedException {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://" + master() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(response.body());
  }

  /** The last lines of a process's log, for a failure message. */
  String logTail(String name) {
    try {
      List<String> lines = Files.readAllLines(dir.resolve(name + ".log"));
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private void writeConfiguration(int slots) throws IOException {
    String localhost = "localhost";
    Files.writeString(
        dir.resolve("config.yaml"),
        String.join(
            "\n",
            "jobmanager.rpc.address: " + localhost,
            "jobmanager.rpc.port: " + FlinkEngine.freePort(),
            "jobmanager.bind-host: " + localhost,
            "rest.address: " + localhost,
            "rest.bind-address: " + localhost,
            "rest.port: " + restPort,
            "taskmanager.host: " + localhost,
            "taskmanager.bind-host: " + localhost,
            "taskmanager.numberOfTaskSlots: " + slots,
            // A TaskManager started without Flink's scripts must be given its whole memory budget
            // (the scripts compute these from taskmanager.memory.process.size).
            "taskmanager.cpu.cores: " + slots,
            "taskmanager.memory.framework.heap.size: 128m",
            "taskmanager.memory.task.heap.size: 512m",
            "taskmanager.memory.framework.off-heap.size: 128m",
            "taskmanager.memory.task.off-heap.size: 0m",
            "taskmanager.memory.network.min: 256m",
            "taskmanager.memory.network.max: 256m",
            "taskmanager.memory.managed.size: 128m",
            // A backfill's blocking exchanges take this many network buffers each (512 by
            // default): with 170 tasks even 8,192 buffers ran out.
            "taskmanager.network.sort-shuffle.min-buffers: 64",
            "taskmanager.memory.jvm-metaspace.size: 256m",
            "taskmanager.memory.jvm-overhead.min: 192m",
            "taskmanager.memory.jvm-overhead.max: 192m",
            "io.tmp.dirs: " + dir.resolve("tmp"),
            "web.tmpdir: " + dir.resolve("web"),
            "state.checkpoints.dir: " + dir.resolve("checkpoints").toUri(),
            "state.savepoints.dir: " + dir.resolve("savepoints").toUri(),
            ""));
  }

  private void launch(String name, String heap, Class<?> main) throws IOException {
    Path args = dir.resolve(name + ".args");
    List<String> jvm = new ArrayList<>(List.of("-Xmx" + heap, "-Xms" + heap));
    jvm.addAll(JAVA_17_OPENS);
    jvm.addAll(List.of("-cp", flinkClasspath(), main.getName(), "--configDir", dir.toString()));
    // An argument file rather than a command line of hundreds of jars; it also lets one rerun a
    // process by hand: java @jobmanager.args
    Files.write(args, jvm.stream().map(FlinkSessionCluster::quoted).collect(Collectors.toList()));
    Process process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "@" + args)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve(name + ".log").toFile())
            .start();
    processes.add(process);
  }

  private static String quoted(String arg) {
    return "\"" + arg.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /**
   * The test JVM's classpath less Beam's jars, Learner Pulse's classes and plain Jackson: Flink
   * 1.19.3 and what it depends on, from the local Maven repository.
   */
  private static String flinkClasspath() {
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    return Arrays.stream(classpath.split(File.pathSeparator))
        .filter(entry -> entry.endsWith(".jar"))
        .filter(
            entry ->
                !entry.contains(
                    File.separator
                        + "org"
                        + File.separator
                        + "apache"
                        + File.separator
                        + "beam"
                        + File.separator))
        .filter(entry -> !Path.of(entry).getFileName().toString().startsWith("learner-pulse"))
        // Flink's distribution has only its own relocated Jackson. A plain Jackson here would
        // meet the job's through the services files of the child-first class loader
        // ("Jdk8Module not a subtype").
        .filter(entry -> !entry.contains(String.join(File.separator, "", "com", "fasterxml", "")))
        .collect(Collectors.joining(File.pathSeparator));
  }

  private void awaitSlots(int slots) throws IOException, InterruptedException {
    long deadline = System.currentTimeMillis() + START_PATIENCE_MILLIS;
    while (true) {
      for (int i = 0; i < processes.size(); i++) {
        if (!processes.get(i).isAlive()) {
          String name = i == 0 ? "jobmanager" : "taskmanager";
          throw new AssertionError(
              "The Flink "
                  + name
                  + " exited with "
                  + processes.get(i).exitValue()
                  + ":\n"
                  + logTail(name));
        }
      }
      try {
        if (rest("/overview").path("slots-total").asInt() >= slots) {
          return;
        }
      } catch (IOException e) {
        // The REST endpoint is not up yet.
      }
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError(
            "No Flink cluster with "
                + slots
                + " slots after "
                + START_PATIENCE_MILLIS
                + " ms:\n"
                + logTail("jobmanager")
                + "\n"
                + logTail("taskmanager"));
      }
      Thread.sleep(250);
    }
  }

  /** Stops the TaskManager, then the JobManager, each forcibly if it does not end in 30 s. */
  private void stopProcesses() {
    for (int i = processes.size() - 1; i >= 0; i--) {
      Process process = processes.get(i);
      process.descendants().forEach(ProcessHandle::destroy);
      process.destroy();
      try {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void close() {
    stopProcesses();
    try {
      Runtime.getRuntime().removeShutdownHook(onExit);
    } catch (IllegalStateException e) {
      // The JVM is shutting down: the hook runs, or ran, anyway.
    }
  }
}
