package dev.learnerpulse.model;

/**
 * Where an input record ends (docs/contract.md §2.1). Every record gets exactly one, so the counts
 * add up to the input count.
 */
public enum Outcome {
  VALID,
  DUPLICATE,
  IGNORED,
  DEAD_LETTER,
  TOO_LATE;

  /** The name used in counters, documentation and output files. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
