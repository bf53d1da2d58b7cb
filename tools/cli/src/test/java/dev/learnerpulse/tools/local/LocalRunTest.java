package dev.learnerpulse.tools.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.learnerpulse.sinks.redis.DashboardKeys;
import dev.learnerpulse.testkit.EmbeddedRedisServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * The local run end to end, against the real embedded broker (started by the run) and a real
 * redis-server (started here, so its keys can be read after the run stopped): three minutes of
 * generated data replayed twelve times faster than real time, then {@code --exit-after}.
 */
class LocalRunTest {
  private static final DashboardKeys KEYS = DashboardKeys.withPrefix("lp");
  @TempDir static Path out;
  private static EmbeddedRedisServer redis;
  private static final List<Long> freshness = new ArrayList<>();
  private static String log;
  private static int status;
  private static String view;

  /** What the printed Flink web UI answered while the job ran. */
  private static String jobsOverview;

  /** What the printed web dashboard's pipeline API answered at the end of the run. */
  private static String dashboardPipeline;

  @BeforeAll
  static void runLocally() throws Exception {
    redis = EmbeddedRedisServer.start();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream print = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    LocalRun.Settings settings =
        LocalRun.Settings.parse(
            "--minutes=3",
            "--speed=6",
            "--seed=11",
            "--no-view",
            "--exit-after=75s",
            "--referenceRefresh=2s",
            "--redisUrl=" + redis.url(),
            "--outputDir=" + out.toAbsolutePath());
    LocalRun.quietLogs();
    ExecutorService poller = Executors.newSingleThreadExecutor();
    try (LocalRun run = LocalRun.start(settings, print)) {
      jobsOverview =
          get(
              bytes.toString(StandardCharsets.UTF_8),
              "Flink web UI at (http://\\S+)",
              "/jobs/overview");
      Future<?> polling = poller.submit(LocalRunTest::pollFreshness);
      status = run.awaitExit();
      dashboardPipeline =
          get(bytes.toString(StandardCharsets.UTF_8), "dashboard at (http://\\S+)", "api/pipeline");
      polling.cancel(true);
      view = run.view().render("header", null, System.currentTimeMillis());
    } finally {
      poller.shutdownNow();
      poller.awaitTermination(5, TimeUnit.SECONDS);
    }
    log = bytes.toString(StandardCharsets.UTF_8);
  }

  private static String get(String log, String printed, String path)
      throws IOException, InterruptedException {
    Matcher url = Pattern.compile(printed).matcher(log);
    if (!url.find()) {
      return "nothing printed";
    }
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url.group(1) + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    return response.statusCode() + " " + response.body();
  }

  private static void pollFreshness() {
    try (Jedis jedis = new Jedis(redis.host(), redis.port())) {
      while (!Thread.currentThread().isInterrupted()) {
        String end = jedis.hget("lp:pipeline:freshness", "window_end_ms");
        if (end != null) {
          synchronized (freshness) {
            freshness.add(Long.parseLong(end));
          }
        }
        Thread.sleep(500);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @Test
  void runsUntilExitAfterAndStopsCleanly() {
    assertEquals(0, status, log);
    assertTrue(log.contains("started Kafka broker at localhost:"), log);
    assertTrue(log.contains("stopped"), log);
    assertFalse(log.contains("pipeline FAILED"), log);
  }

  @Test
  void startsTheWebDashboardWithTheJobsCounters() {
    assertTrue(
        dashboardPipeline.startsWith("200 ")
            && dashboardPipeline.contains("\"byTopic\":{\"lxp.")
            && dashboardPipeline.contains("\"window_end_ms\""),
        dashboardPipeline);
  }

  @Test
  void runsOnTheEmbeddedFlinkClusterWithItsWebUi() {
    assertTrue(log.contains("pipeline running on the embedded Flink cluster"), log);
    assertTrue(
        jobsOverview.startsWith("200 ") && jobsOverview.contains("\"state\":\"RUNNING\""),
        jobsOverview);
  }

  @Test
  void redisHoldsTheDashboardOfTheGeneratedLearners() {
    try (Jedis jedis = new Jedis(redis.host(), redis.port())) {
      Set<String> learnerKeys = new TreeSet<>(jedis.keys("lp:tenant:*:course:*:learner:*"));
      learnerKeys.removeIf(key -> !KEYS.isLearnerHash(key));
      assertTrue(learnerKeys.size() >= 10, "learner hashes: " + learnerKeys + "\n" + log);
      for (String key : learnerKeys) {
        assertTrue(
            key.matches("lp:tenant:([a-z]+|~none):course:\\{C\\d{2}\\}:learner:L\\d{3}"), key);
        Map<String, String> hash = jedis.hgetAll(key);
        assertTrue(
            hash.containsKey("window_start") && hash.containsKey("events"), key + " " + hash);
        assertEquals(
            key,
            KEYS.learner(hash.get("tenant_id"), hash.get("course_id"), hash.get("learner_id")));
      }
      Set<String> listed = new TreeSet<>();
      for (String tenant : jedis.zrange(KEYS.tenants(), 0, -1)) {
        for (String course : jedis.zrange(KEYS.courses(tenant), 0, -1)) {
          if (jedis.exists(KEYS.live(tenant, course))) {
            listed.add(KEYS.live(tenant, course));
          }
        }
      }
      for (String key : learnerKeys) {
        String live = key.substring(0, key.indexOf(":learner:")) + ":live";
        assertTrue(
            listed.contains(live) || live.startsWith("lp:tenant:~none:"),
            live + " not in " + listed);
      }
    }
  }

  @Test
  void freshnessAdvancesWhileTheReplayRuns() {
    synchronized (freshness) {
      assertTrue(
          new TreeSet<>(freshness).size() >= 2, "window ends seen: " + freshness + "\n" + log);
      for (int i = 1; i < freshness.size(); i++) {
        assertTrue(freshness.get(i) >= freshness.get(i - 1), "freshness went back: " + freshness);
      }
    }
  }

  @Test
  void progressLinesAndTheViewRender() {
    assertTrue(log.contains("replay ") && log.contains("outcomes input"), log);
    assertTrue(view.contains("freshness   newest window end"), view);
    assertTrue(view.contains("top engaged"), view);
    assertTrue(view.matches("(?s).*\\n([a-z]+|-)/C\\d{2} .*"), view);
  }

  @Test
  void settingsSeparateTheLocalRunsOptionsFromThePipelines() {
    LocalRun.Settings s =
        LocalRun.Settings.parse("--minutes", "4", "--speed=2.5", "--windowSize=30s", "--no-view");
    assertEquals(4, s.minutes());
    assertEquals(2.5, s.speed());
    assertFalse(s.view());
    assertEquals(List.of("--windowSize=30s"), s.pipelineArgs());
  }
}
