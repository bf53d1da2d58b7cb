package dev.learnerpulse.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A throw-away certificate authority and certificates it signs, made with the JDK's {@code keytool}
 * (no library needed): for real TLS handshakes against Kafka and Redis in tests. Every certificate
 * is valid for {@code localhost} and {@code 127.0.0.1}.
 *
 * <pre>{@code
 * TestCertificates ca = TestCertificates.create(dir, "Test CA");
 * TestCertificates.Leaf server = ca.issue("server");
 * Files.writeString(dir.resolve("ca.pem"), ca.caPem());
 * }</pre>
 */
public final class TestCertificates {
  public static final String STORE_PASSWORD = "changeit";

  private final Path dir;
  private final Path caStore;
  private final String caPem;

  private TestCertificates(Path dir, Path caStore, String caPem) {
    this.dir = dir;
    this.caStore = caStore;
    this.caPem = caPem;
  }

  /** A new self-signed CA named {@code name}, its files in {@code dir}. */
  public static TestCertificates create(Path dir, String name) {
    String alias = alias(name);
    Path store = dir.resolve(alias + ".p12");
    keytool(
        "-genkeypair",
        "-alias",
        alias,
        "-keyalg",
        "RSA",
        "-keysize",
        "2048",
        "-dname",
        "CN=" + name,
        "-ext",
        "bc:c",
        "-validity",
        "2",
        "-keystore",
        store.toString(),
        "-storetype",
        "PKCS12",
        "-storepass",
        STORE_PASSWORD);
    Path pem = dir.resolve(alias + ".pem");
    keytool(
        "-exportcert",
        "-rfc",
        "-alias",
        alias,
        "-keystore",
        store.toString(),
        "-storepass",
        STORE_PASSWORD,
        "-file",
        pem.toString());
    return new TestCertificates(dir, store, read(pem));
  }

  /** The CA certificate, PEM. */
  public String caPem() {
    return caPem;
  }

  /** A key pair and a certificate for it signed by this CA, for localhost and 127.0.0.1. */
  public Leaf issue(String name) {
    String caAlias = caStore.getFileName().toString().replace(".p12", "");
    String alias = alias(name);
    Path store = dir.resolve(alias + ".p12");
    Path csr = dir.resolve(alias + ".csr");
    Path cert = dir.resolve(alias + ".crt");
    keytool(
        "-genkeypair",
        "-alias",
        alias,
        "-keyalg",
        "RSA",
        "-keysize",
        "2048",
        "-dname",
        "CN=" + name,
        "-validity",
        "2",
        "-keystore",
        store.toString(),
        "-storetype",
        "PKCS12",
        "-storepass",
        STORE_PASSWORD);
    keytool(
        "-certreq",
        "-alias",
        alias,
        "-keystore",
        store.toString(),
        "-storepass",
        STORE_PASSWORD,
        "-file",
        csr.toString());
    keytool(
        "-gencert",
        "-alias",
        caAlias,
        "-keystore",
        caStore.toString(),
        "-storepass",
        STORE_PASSWORD,
        "-infile",
        csr.toString(),
        "-outfile",
        cert.toString(),
        "-rfc",
        "-validity",
        "2",
        "-ext",
        "san=dns:localhost,ip:127.0.0.1");
    Path caPemFile = dir.resolve(caAlias + ".pem");
    keytool(
        "-importcert",
        "-noprompt",
        "-trustcacerts",
        "-alias",
        caAlias,
        "-file",
        caPemFile.toString(),
        "-keystore",
        store.toString(),
        "-storepass",
        STORE_PASSWORD);
    keytool(
        "-importcert",
        "-alias",
        alias,
        "-file",
        cert.toString(),
        "-keystore",
        store.toString(),
        "-storepass",
        STORE_PASSWORD);
    String certificatePem = read(cert);
    return new Leaf(store, certificatePem + caPem, privateKeyPem(store, alias));
  }

  /** A certificate, its chain and key, as files and PEM text. */
  public static final class Leaf {
    private final Path keyStore;
    private final String chainPem;
    private final String keyPem;

    Leaf(Path keyStore, String chainPem, String keyPem) {
      this.keyStore = keyStore;
      this.chainPem = chainPem;
      this.keyPem = keyPem;
    }

    /** PKCS12 with the key and chain; password {@link #STORE_PASSWORD}. */
    public Path keyStore() {
      return keyStore;
    }

    /** The certificate then the CA's, PEM. */
    public String chainPem() {
      return chainPem;
    }

    /** The unencrypted PKCS#8 private key, PEM. */
    public String keyPem() {
      return keyPem;
    }
  }

  private static String privateKeyPem(Path store, String alias) {
    try (InputStream in = Files.newInputStream(store)) {
      KeyStore keyStore = KeyStore.getInstance("PKCS12");
      keyStore.load(in, STORE_PASSWORD.toCharArray());
      byte[] pkcs8 = keyStore.getKey(alias, STORE_PASSWORD.toCharArray()).getEncoded();
      return "-----BEGIN PRIVATE KEY-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
              .encodeToString(pkcs8)
          + "\n-----END PRIVATE KEY-----\n";
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("Cannot read the key of " + store, e);
    }
  }

  private static String alias(String name) {
    return name.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void keytool(String... args) {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (process.waitFor() != 0) {
        throw new IllegalStateException("keytool " + String.join(" ", args) + " failed: " + output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
