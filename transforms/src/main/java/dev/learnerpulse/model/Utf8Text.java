package dev.learnerpulse.model;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Whether raw Kafka bytes can be kept as text without loss or surprise: valid UTF-8 with no control
 * character but tab, line feed and carriage return. JSON values and keys always are; Avro in the
 * Confluent wire format never is (it starts with a NUL byte), even when its bytes happen to be
 * valid UTF-8, so dead letters and archives keep it as base64.
 */
public final class Utf8Text {
  private Utf8Text() {}

  public static boolean isText(byte[] bytes) {
    for (byte b : bytes) {
      if (b >= 0 && b < 0x20 && b != '\t' && b != '\n' && b != '\r') {
        return false;
      }
    }
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }
}
