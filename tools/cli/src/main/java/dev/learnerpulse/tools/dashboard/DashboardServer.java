package dev.learnerpulse.tools.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.learnerpulse.sinks.redis.DashboardKeys;
import dev.learnerpulse.sinks.redis.RedisEndpoint;
import io.javalin.Javalin;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live web dashboard (docs/dashboard.md): four pages that ask a small JSON API once a second,
 * which reads Redis through {@link DashboardReader}. Every API call but the tenant list names one
 * tenant, so a page shows one tenant's data only.
 *
 * <pre>{@code
 * try (DashboardServer server =
 *     DashboardServer.start(RedisEndpoint.of("10.0.0.3", 6379), "lp", "0.0.0.0", 8080, null)) {
 *   System.out.println(server.url());
 * }
 * }</pre>
 */
public final class DashboardServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DashboardServer.class);
  private static final String WEB = "/dev/learnerpulse/tools/dashboard/web";

  /** Chart.js from its webjar; the version is the POM's, read from the jar itself. */
  private static final String CHART_JS =
      "/META-INF/resources/webjars/chart.js/" + webjarVersion("chart.js") + "/dist/chart.umd.js";

  /** The input rate is the input counters' growth over about this long. */
  private static final long RATE_SPAN_MILLIS = 10_000;

  private final Javalin app;
  private final DashboardReader reader;
  private final @Nullable Supplier<JobCounts> jobCounts;
  private final ArrayDeque<long[]> inputSamples = new ArrayDeque<>();
  private final String host;

  private DashboardServer(
      DashboardReader reader, @Nullable Supplier<JobCounts> jobCounts, String host, int port) {
    this.reader = reader;
    this.jobCounts = jobCounts;
    this.host = host;
    this.app =
        Javalin.create(
            config -> {
              config.startup.showJavalinBanner = false;
              config.startup.showOldJavalinVersionWarning = false;
              config.jsonMapper(new JavalinJackson(new ObjectMapper(), false));
              config.staticFiles.add(WEB, Location.CLASSPATH);
              config.jetty.host = host;
              config.jetty.port = port;
              config.routes.get("/vendor/chart.umd.js", this::chartJs);
              config.routes.get("/api/tenants", ctx -> ctx.json(reader.tenants()));
              config.routes.get("/api/courses", ctx -> ctx.json(reader.courses(tenant(ctx))));
              config.routes.get(
                  "/api/course",
                  ctx -> ctx.json(reader.course(tenant(ctx), required(ctx, "course"))));
              config.routes.get(
                  "/api/learner",
                  ctx ->
                      ctx.json(
                          reader.learner(
                              tenant(ctx), required(ctx, "course"), required(ctx, "learner"))));
              config.routes.get("/api/alerts", ctx -> ctx.json(reader.alerts(tenant(ctx))));
              config.routes.get("/api/pipeline", ctx -> ctx.json(pipeline()));
              // Javalin answers its own HTTP exceptions in plain text unless a handler is
              // registered for their exact class; the pages read {"error": ...}.
              config.routes.exception(
                  BadRequestResponse.class,
                  (e, ctx) ->
                      ctx.status(HttpStatus.BAD_REQUEST).json(Map.of("error", e.getMessage())));
              config.routes.exception(
                  RuntimeException.class,
                  (e, ctx) -> {
                    LOG.warn("Dashboard request {} failed", ctx.path(), e);
                    ctx.status(HttpStatus.SERVICE_UNAVAILABLE)
                        .json(
                            Map.of(
                                "error",
                                "Cannot read Redis at "
                                    + reader.address()
                                    + ": "
                                    + e.getMessage()));
                  });
            });
  }

  /**
   * Starts the dashboard on {@code host:port} (port 0: any free port) over the Redis at {@code
   * endpoint}, reading keys under {@code keyPrefix}. {@code jobCounts}, when not null, gives the
   * running job's counters for the pipeline page.
   */
  public static DashboardServer start(
      RedisEndpoint endpoint,
      String keyPrefix,
      String host,
      int port,
      @Nullable Supplier<JobCounts> jobCounts) {
    DashboardServer server =
        new DashboardServer(
            new DashboardReader(endpoint, DashboardKeys.withPrefix(keyPrefix)),
            jobCounts,
            host,
            port);
    try {
      server.app.start();
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  /** Where a browser on this machine finds the dashboard. */
  public String url() {
    String shown = host.equals("0.0.0.0") || host.equals("::") ? "localhost" : host;
    return "http://" + shown + ":" + app.port() + "/";
  }

  public int port() {
    return app.port();
  }

  private static String tenant(Context ctx) {
    return required(ctx, "tenant");
  }

  private static String required(Context ctx, String name) {
    String value = ctx.queryParam(name);
    if (value == null) {
      throw new BadRequestResponse("query parameter '" + name + "' is missing");
    }
    return value;
  }

  private void chartJs(Context ctx) {
    InputStream script = DashboardServer.class.getResourceAsStream(CHART_JS);
    if (script == null) {
      throw new IllegalStateException("Chart.js is missing from the classpath: " + CHART_JS);
    }
    ctx.contentType("text/javascript").header("Cache-Control", "max-age=86400").result(script);
  }

  /** Freshness from Redis, and the job's counters and input rate when this process runs the job. */
  private Map<String, Object> pipeline() {
    Map<String, Object> page = new LinkedHashMap<>();
    long now = System.currentTimeMillis();
    page.put("nowMs", now);
    page.put("freshness", reader.freshness());
    JobCounts counts = jobCounts == null ? null : jobCounts.get();
    page.put("job", counts);
    if (counts != null) {
      page.put("inputPerSecond", inputRate(now, counts.total("input")));
    }
    return page;
  }

  /** Records per second over the last {@link #RATE_SPAN_MILLIS}; null until two samples exist. */
  private synchronized @Nullable Double inputRate(long now, long input) {
    inputSamples.addLast(new long[] {now, input});
    while (inputSamples.size() > 2 && now - inputSamples.peekFirst()[0] > RATE_SPAN_MILLIS) {
      inputSamples.removeFirst();
    }
    long[] first = inputSamples.peekFirst();
    long span = now - first[0];
    return span <= 0 ? null : (input - first[1]) * 1000.0 / span;
  }

  private static String webjarVersion(String artifact) {
    String pom = "/META-INF/maven/org.webjars.npm/" + artifact + "/pom.properties";
    try (InputStream in = DashboardServer.class.getResourceAsStream(pom)) {
      if (in == null) {
        throw new IllegalStateException(
            "The " + artifact + " webjar is missing from the classpath");
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    app.stop();
    reader.close();
  }
}
