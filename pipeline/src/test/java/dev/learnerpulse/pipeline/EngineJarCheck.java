package dev.learnerpulse.pipeline;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.beam.model.pipeline.v1.RunnerApi;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.options.StreamingOptions;
import org.apache.beam.sdk.util.construction.PipelineTranslation;

/**
 * What {@link EngineJarsIT} runs in a JVM on one engine jar (plus these test classes): the jar's
 * excluded artifacts must not be needed to parse the options, describe every registered options
 * interface, or build and translate the complete streaming graph. Builds the graph as {@link
 * LearnerPulse#launch} does, without its check of the topics on a live broker. Prints one line per
 * step; any missing class ends the JVM with a stack trace.
 */
final class EngineJarCheck {
  private EngineJarCheck() {}

  public static void main(String[] args) {
    check(args).forEach(System.out::println);
  }

  /** The check's lines: how many options interfaces, the runner, the graph's transforms. */
  static List<String> check(String[] args) {
    PipelineOptionsFactory.register(LearnerPulseOptions.class);
    int described = 0;
    PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    for (Class<? extends PipelineOptions> options : PipelineOptionsFactory.getRegisteredOptions()) {
      PipelineOptionsFactory.printHelp(out, options);
      described++;
    }
    String help = "help: " + described + " options interfaces";

    LearnerPulseOptions options =
        PipelineOptionsFactory.fromArgs(args).withValidation().as(LearnerPulseOptions.class);
    String runner = "runner: " + options.getRunner().getName();

    PipelineSettings settings = PipelineSettings.from(options);
    options.as(StreamingOptions.class).setStreaming(settings.streaming());
    FlinkEngine.configure(options, settings.mode(), settings.checkpointEvery());
    Pipeline pipeline = Pipeline.create(options);
    LearnerPulse.build(
        pipeline,
        LearnerPulse.pulse(settings),
        LearnerPulse.sources(settings, settings.kafka()),
        LearnerPulse.sinks(settings, settings.kafka()));
    RunnerApi.Pipeline proto = PipelineTranslation.toProto(pipeline);
    return List.of(
        help, runner, "graph: " + proto.getComponents().getTransformsCount() + " transforms");
  }
}
