package dev.learnerpulse.pipeline;

import dev.learnerpulse.ComputeLearnerPulse;
import dev.learnerpulse.archive.ReadArchivedTopics;
import dev.learnerpulse.model.DeadLetter;
import dev.learnerpulse.model.SourceRecord;
import dev.learnerpulse.model.Topics;
import dev.learnerpulse.window.Windowing;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;

/**
 * Learner Pulse's entry point: {@code main -> run(options) -> build(pipeline, pulse, sources,
 * sinks)}. Options become domain values here and only here; {@link #build} assembles the same graph
 * for streaming, backfill and tests, which differ only in their sources and sinks.
 */
public final class LearnerPulse {
  private LearnerPulse() {}

  public static void main(String[] args) {
    PipelineOptionsFactory.register(LearnerPulseOptions.class);
    LearnerPulseOptions options;
    Pipeline pipeline;
    try {
      options = PipelineOptionsFactory.fromArgs(args).withValidation().as(LearnerPulseOptions.class);
      pipeline = create(options);
    } catch (IllegalArgumentException e) {
      System.err.println("learner-pulse: " + rootMessage(e));
      System.exit(2);
      return;
    }
    PipelineResult result = pipeline.run();
    if (options.getMode() == Mode.BACKFILL) {
      result.waitUntilFinish();
      OutcomeReport report = OutcomeReport.of(result);
      System.out.print(report.render());
      if (!report.balanced()) {
        System.exit(1);
      }
    }
  }

  /** The innermost message: option parsing wraps the one that says what is wrong. */
  private static String rootMessage(Throwable e) {
    String message = e.getMessage();
    for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
      if (cause instanceof IllegalArgumentException && cause.getMessage() != null) {
        message = cause.getMessage();
      }
    }
    return message;
  }

  public static PipelineResult run(LearnerPulseOptions options) {
    return create(options).run();
  }

  /** The pipeline the options describe, not yet run; bad options fail here, clearly. */
  static Pipeline create(LearnerPulseOptions options) {
    Pipeline pipeline = Pipeline.create(options);
    build(pipeline, pulse(options), sources(options), sinks(options));
    return pipeline;
  }

  static ComputeLearnerPulse pulse(LearnerPulseOptions options) {
    Topics topics = TopicOptions.topics(options);
    Windowing windowing = WindowOptions.windowing(options);
    if (options.getMode() == Mode.BACKFILL) {
      return ComputeLearnerPulse.backfill(topics, windowing, WindowOptions.maxDelay(options));
    }
    throw new IllegalArgumentException(
        "--mode=STREAMING (reading Kafka) is not available in this version yet; run a"
            + " backfill with --mode=backfill --inputPattern=... --outputDir=...");
  }

  static Sources sources(LearnerPulseOptions options) {
    switch (options.getMode()) {
      case BACKFILL:
        String pattern = required(options.getInputPattern(), "--inputPattern", Mode.BACKFILL);
        return () -> ReadArchivedTopics.from(pattern);
      case STREAMING:
      default:
        throw new IllegalArgumentException(
            "--mode=STREAMING (reading Kafka) is not available in this version yet; run a"
                + " backfill with --mode=backfill --inputPattern=... --outputDir=...");
    }
  }

  static Sinks sinks(LearnerPulseOptions options) {
    return Sinks.files(required(options.getOutputDir(), "--outputDir", options.getMode()));
  }

  private static String required(String value, String option, Mode mode) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(option + " is required with --mode=" + mode);
    }
    return value;
  }

  /** Assembles the graph from its edges. */
  public static void build(
      Pipeline pipeline, ComputeLearnerPulse pulse, Sources sources, Sinks sinks) {
    WithFailures.Result<PCollection<SourceRecord>, DeadLetter> records =
        pipeline.apply("ReadChangeRecords", sources.changeRecords());
    ComputeLearnerPulse.Result result = records.output().apply("ComputeLearnerPulse", pulse);
    PCollection<DeadLetter> deadLetters =
        PCollectionList.of(records.failures())
            .and(result.deadLetters())
            .apply("AllDeadLetters", Flatten.pCollections());
    sinks.write(new Outputs(result.metrics(), deadLetters, result.tooLate()));
  }
}
