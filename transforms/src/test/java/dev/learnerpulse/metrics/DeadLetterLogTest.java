package dev.learnerpulse.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.learnerpulse.model.ReasonCode;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.helpers.MessageFormatter;

class DeadLetterLogTest {
  private final List<String> lines = new ArrayList<>();
  private long nanos;

  /** A logger that keeps each call as "level message", with any throwable named. */
  private Logger recording() {
    return (Logger)
        Proxy.newProxyInstance(
            Logger.class.getClassLoader(),
            new Class<?>[] {Logger.class},
            (proxy, method, args) -> {
              if (args != null && args.length > 0 && args[0] instanceof String) {
                Object[] rest = Arrays.copyOfRange(args, 1, args.length);
                if (rest.length == 1 && rest[0] instanceof Object[]) {
                  rest = (Object[]) rest[0];
                }
                var message = MessageFormatter.arrayFormat((String) args[0], rest);
                lines.add(
                    method.getName()
                        + " "
                        + message.getMessage()
                        + (message.getThrowable() == null ? "" : " +stack trace"));
              }
              return method.getReturnType() == boolean.class ? true : null;
            });
  }

  @Test
  void oneLineADeadLetterAtMostTenAMinuteWithReasonAndPositionOnly() {
    DeadLetterLog log = new DeadLetterLog(recording(), () -> nanos);
    for (int offset = 0; offset < 15; offset++) {
      log.deadLetter(ReasonCode.BAD_VALUE, "lxp.public.learners/0/" + offset);
    }
    assertEquals(10, lines.size());
    assertEquals("info Dead letter BAD_VALUE at lxp.public.learners/0/0", lines.get(0));
    nanos += 60_000_000_000L;
    log.unexpected(ReasonCode.MALFORMED, "t/1/2", new IllegalStateException("row {secret}"));
    assertEquals(
        "warn Dead letter MALFORMED at t/1/2 after an unexpected java.lang.IllegalStateException"
            + " (5 more dead letters not logged)",
        lines.get(10));
    log.deadLetter(ReasonCode.MALFORMED, "t/1/3");
    assertEquals("info Dead letter MALFORMED at t/1/3", lines.get(11));
  }
}
