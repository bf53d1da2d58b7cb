package dev.learnerpulse.pipeline;

import java.beans.Introspector;
import java.io.Serializable;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Method;
import java.util.function.Function;
import java.util.function.Supplier;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The command-line flag of an option, derived from its getter as Beam derives it (the bean
 * property, {@code getWindowSize -> --windowSize}), so that a message names the flag without
 * repeating it as a string that a rename would leave behind: {@code
 * Flag.of(WindowOptions::getWindowSize)}.
 */
public final class Flag {
  private Flag() {}

  /** A getter of an options interface, as a method reference. */
  @FunctionalInterface
  public interface Getter<T, V> extends Function<T, V>, Serializable {}

  /** {@code --property} of {@code getter}, which must be a method reference to a getter. */
  public static <T> String of(Getter<T, ?> getter) {
    String method = implementation(getter).getImplMethodName();
    String property = property(method);
    if (property == null) {
      throw new IllegalArgumentException(method + " is not a getter: pass Options::getX");
    }
    return "--" + property;
  }

  /**
   * The bean property a getter named {@code method} reads ({@code getX}, {@code isX}); else null.
   */
  static @Nullable String property(String method) {
    if (method.startsWith("get") && method.length() > 3) {
      return Introspector.decapitalize(method.substring(3));
    }
    if (method.startsWith("is") && method.length() > 2) {
      return Introspector.decapitalize(method.substring(2));
    }
    return null;
  }

  /**
   * What {@code make} makes from the options' values, with any error it raises prefixed by the
   * flags ({@link #of}): the transforms check their own arguments, in their own words, without
   * knowing the flags.
   */
  static <R> R naming(Supplier<R> make, String... flags) {
    try {
      return make.get();
    } catch (IllegalArgumentException e) {
      // No cause: the launcher prints the innermost message, which would lose the flags.
      throw new IllegalArgumentException(String.join(", ", flags) + ": " + e.getMessage());
    }
  }

  /** The method a serializable method reference points to, as the compiler recorded it. */
  private static SerializedLambda implementation(Serializable reference) {
    try {
      Method writeReplace = reference.getClass().getDeclaredMethod("writeReplace");
      writeReplace.setAccessible(true);
      return (SerializedLambda) writeReplace.invoke(reference);
    } catch (ReflectiveOperationException | ClassCastException e) {
      throw new IllegalArgumentException("Not a method reference: " + reference, e);
    }
  }
}
