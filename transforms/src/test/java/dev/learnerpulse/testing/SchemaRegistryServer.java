package dev.learnerpulse.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A Confluent-compatible Schema Registry for tests, on the JDK's HTTP server: {@code GET
 * /schemas/ids/{id}} as Confluent documents it ({@code {"schema":"<escaped schema>"}}, with {@code
 * schemaType} only when it is not Avro; {@code 404 {"error_code":40403,"message":"Schema not
 * found"}}; {@code 401 {"error_code":401,"message":"Unauthorized"}} without the right basic auth;
 * {@code 500 {"error_code":50001,…}} while failing), content type {@code
 * application/vnd.schemaregistry.v1+json}. It can fail a number of requests, or stop and come back
 * on the same port, to play a registry that blinks. The one stand-in the project keeps: no
 * Confluent artifact is reachable from the build.
 */
public final class SchemaRegistryServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern BY_ID = Pattern.compile("/schemas/ids/(-?\\d+)/?");
  private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

  private final Map<Integer, ObjectNode> schemas = new ConcurrentHashMap<>();
  private final AtomicInteger nextId = new AtomicInteger(1);
  private final AtomicInteger failures = new AtomicInteger();
  private final AtomicInteger requests = new AtomicInteger();
  private volatile int failureStatus = 500;
  private volatile @Nullable String expectedAuthorization;
  private int port;
  private @Nullable HttpServer server;

  private SchemaRegistryServer() {}

  public static SchemaRegistryServer start() {
    SchemaRegistryServer registry = new SchemaRegistryServer();
    registry.listen(0);
    return registry;
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  /** Registers an Avro schema under the next free id. */
  public int register(Schema schema) {
    int id = nextId.getAndIncrement();
    register(id, schema.toString(), null);
    return id;
  }

  /** Registers {@code schema} text under {@code id}; {@code schemaType} null for Avro. */
  public void register(int id, String schema, @Nullable String schemaType) {
    ObjectNode body = JSON.createObjectNode();
    if (schemaType != null) {
      body.put("schemaType", schemaType);
    }
    body.put("schema", schema);
    schemas.put(id, body);
    nextId.updateAndGet(next -> Math.max(next, id + 1));
  }

  /** Answers 401 unless requests carry this API key and secret as basic auth. */
  public SchemaRegistryServer requireBasicAuth(String apiKey, String apiSecret) {
    expectedAuthorization =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((apiKey + ":" + apiSecret).getBytes(StandardCharsets.UTF_8));
    return this;
  }

  /** The next {@code count} requests fail with {@code status} (5xx or 429). */
  public void failNext(int count, int status) {
    failureStatus = status;
    failures.set(count);
  }

  /** Requests answered so far, failures included. */
  public int requests() {
    return requests.get();
  }

  /** Stops listening: clients see connection refused until {@link #restart()}. */
  public synchronized void stop() {
    if (server != null) {
      server.stop(0);
      server = null;
    }
  }

  /** Listens again on the same port. */
  public synchronized void restart() {
    if (server == null) {
      listen(port);
    }
  }

  @Override
  public void close() {
    stop();
  }

  private synchronized void listen(int onPort) {
    try {
      HttpServer http =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 0);
      http.createContext("/", this::handle);
      http.start();
      server = http;
      port = http.getAddress().getPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on port " + onPort, e);
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      requests.incrementAndGet();
      if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        respond(
            exchange,
            failureStatus,
            error(failureStatus == 500 ? 50001 : failureStatus, "Error in the backend data store"));
        return;
      }
      String expected = expectedAuthorization;
      if (expected != null
          && !expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
        respond(exchange, 401, error(401, "Unauthorized"));
        return;
      }
      Matcher byId = BY_ID.matcher(exchange.getRequestURI().getPath());
      if (!exchange.getRequestMethod().equals("GET") || !byId.matches()) {
        respond(exchange, 404, error(404, "HTTP 404 Not Found"));
        return;
      }
      ObjectNode schema = schemas.get(Integer.parseInt(byId.group(1)));
      if (schema == null) {
        respond(exchange, 404, error(40403, "Schema not found"));
        return;
      }
      respond(exchange, 200, schema.toString());
    }
  }

  private static String error(int code, String message) {
    return JSON.createObjectNode().put("error_code", code).put("message", message).toString();
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
