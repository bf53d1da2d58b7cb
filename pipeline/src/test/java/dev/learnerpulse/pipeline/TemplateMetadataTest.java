package dev.learnerpulse.pipeline;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Validation;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * {@code templates/metadata.json} (the Flex Template's parameters) and the options interfaces
 * describe the same options. Dataflow rejects a launch parameter the metadata does not declare and
 * enforces {@code isOptional}, so drift here breaks deployments, not just documentation.
 *
 * <p>The rules, each a test below:
 *
 * <ul>
 *   <li>every parameter is a getter of {@link LearnerPulseOptions} declared by one of our own
 *       interfaces (package {@code dev.learnerpulse});
 *   <li>every such option with a {@code @Description} is a parameter, unless {@link
 *       #NOT_IN_TEMPLATE} says why not;
 *   <li>{@code isOptional} is false exactly for {@code @Validation.Required} options: a template
 *       serves both modes, so options required only in one mode are optional in the metadata and
 *       say when they are required in their help text;
 *   <li>{@code helpText} starts with the {@code @Description} (so {@code --help} and the Dataflow
 *       console say the same thing), {@code defaultValue} is the {@code @Default}, and every regex
 *       accepts the default and, for enums, every constant.
 * </ul>
 *
 * <p>Beam's own options (runner, project, region, tempLocation, serviceAccount, subnetwork,
 * maxWorkers, ...) are never parameters: the Flex Template launcher sets them from the launch
 * request's environment ({@code gcloud dataflow flex-template run} flags, or the arguments of
 * Terraform's {@code google_dataflow_flex_template_job}). {@link #BEAM_PARAMETERS} lists the Beam
 * options a template user may still set as parameters; it is empty today. An option that one of our
 * interfaces redeclares from Beam (say {@code getProject()}) counts as Beam's.
 *
 * <p>When an option is added without a metadata entry, {@link #everyOptionIsAParameter} fails and
 * prints entries to paste into {@code templates/metadata.json} (adjust the label, add regexes).
 */
public class TemplateMetadataTest {
  /** Tests run in the module directory; the template lives at the repository root. */
  private static final Path METADATA = Path.of("..", "templates", "metadata.json");

  private static final String OUR_PACKAGE = "dev.learnerpulse";

  /** Beam options a template user sets as parameters. See the class comment. */
  private static final Set<String> BEAM_PARAMETERS = Set.of();

  /** Our options that are deliberately not template parameters, with the reason. */
  private static final Map<String, String> NOT_IN_TEMPLATE =
      Map.of(
          "checkpointEvery",
          "Flink only: the template runs on Dataflow, which persists state and offsets itself");

  /**
   * Parameters declared in metadata.json (and set by Terraform) for options that are being added on
   * another branch, grouped by concern. A group's names may be absent from the options interfaces
   * only while the whole group is; once any of them lands, {@link #pendingGroupsLandWhole} makes
   * the merge reconcile the group (rename the entries to the real option names, then delete the
   * group here). Empty this map when the options are all merged.
   */
  private static final Map<String, List<String>> PENDING = Map.of();

  private static JsonNode metadata;
  private static Map<String, JsonNode> parameters;
  private static Map<String, Option> options;

  @BeforeClass
  public static void load() throws IOException {
    metadata = new ObjectMapper().readTree(Files.readString(METADATA));
    parameters = new LinkedHashMap<>();
    List<String> duplicates = new ArrayList<>();
    for (JsonNode parameter : metadata.path("parameters")) {
      String name = parameter.path("name").asText();
      if (parameters.put(name, parameter) != null) {
        duplicates.add(name);
      }
    }
    assertEquals(METADATA + " declares these parameters twice", List.of(), duplicates);
    options = ourOptions(LearnerPulseOptions.class);
  }

  @Test
  public void metadataIsWellFormed() {
    assertTrue("metadata.json needs a name", !metadata.path("name").asText().isBlank());
    assertTrue(
        "metadata.json needs a description", !metadata.path("description").asText().isBlank());
    List<String> problems = new ArrayList<>();
    Pattern validName = Pattern.compile("[a-z][A-Za-z0-9]*");
    for (Map.Entry<String, JsonNode> entry : parameters.entrySet()) {
      String name = entry.getKey();
      JsonNode parameter = entry.getValue();
      if (!validName.matcher(name).matches()) {
        problems.add(name + ": not a lowerCamel option name");
      }
      for (String field : List.of("label", "helpText")) {
        if (parameter.path(field).asText().isBlank()) {
          problems.add(name + ": no " + field);
        }
      }
      if (!parameter.path("isOptional").isBoolean()) {
        problems.add(name + ": isOptional must be true or false");
      }
      for (JsonNode regex : parameter.path("regexes")) {
        try {
          Pattern.compile(regex.asText());
        } catch (PatternSyntaxException e) {
          problems.add(name + ": bad regex " + regex + ": " + e.getDescription());
        }
      }
    }
    assertEquals("Malformed parameters in " + METADATA, List.of(), problems);
  }

  @Test
  public void everyParameterIsAnOption() {
    Set<String> pending = pendingNames();
    List<String> unknown = new ArrayList<>();
    for (String name : parameters.keySet()) {
      if (!options.containsKey(name)
          && !BEAM_PARAMETERS.contains(name)
          && !pending.contains(name)) {
        unknown.add(name);
      }
    }
    assertEquals(
        METADATA
            + " declares parameters that are not options of LearnerPulseOptions (our interfaces):"
            + " rename or remove them (and their Terraform parameters)",
        List.of(),
        unknown);
  }

  @Test
  public void everyOptionIsAParameter() {
    Map<String, Option> missing = new TreeMap<>();
    for (Option option : options.values()) {
      if (option.description() != null
          && !parameters.containsKey(option.name())
          && !NOT_IN_TEMPLATE.containsKey(option.name())) {
        missing.put(option.name(), option);
      }
    }
    if (!missing.isEmpty()) {
      StringBuilder entries = new StringBuilder();
      ObjectMapper json = new ObjectMapper();
      for (Option option : missing.values()) {
        try {
          entries.append("    ").append(json.writeValueAsString(option.suggestedEntry(json)));
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
        entries.append(",\n");
      }
      fail(
          "Options missing from "
              + METADATA
              + ": "
              + missing.keySet()
              + ".\nAdd an entry for each (label, regexes; the order is the console's), and a"
              + " Terraform variable and job parameter when a deployment sets it:\n"
              + entries);
    }
  }

  @Test
  public void isOptionalMeansNotRequired() {
    List<String> wrong = new ArrayList<>();
    for (Option option : options.values()) {
      JsonNode parameter = parameters.get(option.name());
      if (parameter == null) {
        continue;
      }
      boolean isOptional = parameter.path("isOptional").asBoolean(false);
      if (isOptional == option.required()) {
        wrong.add(
            option.name()
                + " is "
                + (option.required() ? "@Validation.Required" : "not @Validation.Required")
                + " but isOptional="
                + isOptional);
      }
    }
    assertEquals(
        "isOptional must be false exactly for @Validation.Required options (a template serves"
            + " both modes: say in helpText when an option is needed)",
        List.of(),
        wrong);
  }

  @Test
  public void helpTextStartsWithTheDescription() {
    List<String> wrong = new ArrayList<>();
    for (Option option : options.values()) {
      JsonNode parameter = parameters.get(option.name());
      if (parameter != null
          && option.description() != null
          && !parameter.path("helpText").asText().startsWith(option.description())) {
        wrong.add(option.name() + ": helpText should start with \"" + option.description() + "\"");
      }
    }
    assertEquals("helpText and @Description differ", List.of(), wrong);
  }

  @Test
  public void defaultValueIsTheDefault() {
    List<String> wrong = new ArrayList<>();
    for (Option option : options.values()) {
      JsonNode parameter = parameters.get(option.name());
      if (parameter == null) {
        continue;
      }
      String declared =
          parameter.has("defaultValue") ? parameter.get("defaultValue").asText() : null;
      if (option.defaultValue() == null
          ? declared != null
          : !option.defaultValue().equals(declared)) {
        wrong.add(
            option.name() + ": @Default " + option.defaultValue() + ", defaultValue " + declared);
      }
    }
    assertEquals("defaultValue and @Default differ", List.of(), wrong);
  }

  @Test
  public void regexesAcceptTheDefaultAndEveryEnumConstant() {
    List<String> wrong = new ArrayList<>();
    for (Option option : options.values()) {
      JsonNode parameter = parameters.get(option.name());
      if (parameter == null) {
        continue;
      }
      List<String> accepted = new ArrayList<>();
      if (option.defaultValue() != null) {
        accepted.add(option.defaultValue());
      }
      if (option.type().isEnum()) {
        for (Object constant : option.type().getEnumConstants()) {
          accepted.add(((Enum<?>) constant).name());
        }
      }
      for (JsonNode regex : parameter.path("regexes")) {
        Pattern pattern = Pattern.compile(regex.asText());
        for (String value : accepted) {
          if (!pattern.matcher(value).matches()) {
            wrong.add(option.name() + ": " + regex.asText() + " refuses " + value);
          }
        }
      }
    }
    assertEquals("regexes refuse values the pipeline accepts", List.of(), wrong);
  }

  @Test
  public void pendingGroupsLandWhole() {
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, List<String>> group : PENDING.entrySet()) {
      List<String> landed = new ArrayList<>();
      List<String> notLanded = new ArrayList<>();
      for (String name : group.getValue()) {
        (options.containsKey(name) ? landed : notLanded).add(name);
        if (!parameters.containsKey(name)) {
          problems.add(group.getKey() + ": pending " + name + " is not in metadata.json");
        }
      }
      if (!landed.isEmpty()) {
        problems.add(
            group.getKey()
                + ": "
                + landed
                + " are options now: delete the group from TemplateMetadataTest.PENDING"
                + (notLanded.isEmpty()
                    ? ""
                    : ", and rename or remove the entries that did not land: " + notLanded));
      }
    }
    assertEquals("PENDING is out of date", List.of(), problems);
  }

  @Test
  public void optionsAreFoundByReflection() {
    // Guards the reflection above: if it found nothing, every other test would pass vacuously.
    assertTrue(options.keySet().containsAll(List.of("mode", "inputPattern", "windowSize")));
    assertTrue(!options.containsKey("runner") && !options.containsKey("tempLocation"));
  }

  private static Set<String> pendingNames() {
    Set<String> names = new LinkedHashSet<>();
    PENDING.values().forEach(names::addAll);
    return names;
  }

  /** A getter declared by one of our interfaces, and by no Beam interface. */
  record Option(
      String name, Class<?> type, String description, String defaultValue, boolean required) {

    ObjectNode suggestedEntry(ObjectMapper json) {
      ObjectNode entry = json.createObjectNode();
      entry.put("name", name);
      entry.put("label", label(name));
      entry.put("helpText", description);
      entry.put("isOptional", !required);
      if (defaultValue != null) {
        entry.put("defaultValue", defaultValue);
      }
      return entry;
    }

    private static String label(String name) {
      String words = name.replaceAll("([a-z0-9])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
      return Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }
  }

  /** The options of {@code root} that our interfaces declare, by property name. */
  static Map<String, Option> ourOptions(Class<?> root) {
    Set<Class<?>> interfaces = new LinkedHashSet<>();
    collect(root, interfaces);
    Set<String> beamProperties = new LinkedHashSet<>();
    Map<String, Method> ours = new TreeMap<>();
    for (Class<?> type : interfaces) {
      boolean isOurs = type.getPackageName().startsWith(OUR_PACKAGE);
      for (Method method : type.getDeclaredMethods()) {
        String property = property(method);
        if (property == null) {
          continue;
        }
        if (isOurs) {
          ours.putIfAbsent(property, method);
        } else {
          beamProperties.add(property);
        }
      }
    }
    Map<String, Option> options = new TreeMap<>();
    for (Map.Entry<String, Method> entry : ours.entrySet()) {
      if (beamProperties.contains(entry.getKey())) {
        continue;
      }
      Method getter = entry.getValue();
      Description description = getter.getAnnotation(Description.class);
      options.put(
          entry.getKey(),
          new Option(
              entry.getKey(),
              getter.getReturnType(),
              description == null ? null : description.value(),
              defaultValue(getter),
              getter.isAnnotationPresent(Validation.Required.class)));
    }
    return options;
  }

  private static void collect(Class<?> type, Set<Class<?>> into) {
    if (into.add(type)) {
      for (Class<?> parent : type.getInterfaces()) {
        collect(parent, into);
      }
    }
  }

  /** The property a getter reads, or null when the method is not a getter. */
  private static String property(Method method) {
    if (method.getParameterCount() != 0
        || Modifier.isStatic(method.getModifiers())
        || method.isDefault()
        || method.isSynthetic()
        || method.getReturnType() == void.class) {
      return null;
    }
    return Flag.property(method.getName());
  }

  /** The value of a {@code @Default.String/Enum/Integer/...}, as text; null without one. */
  private static String defaultValue(Method getter) {
    for (Annotation annotation : getter.getAnnotations()) {
      Class<? extends Annotation> kind = annotation.annotationType();
      if (kind.getEnclosingClass() != Default.class) {
        continue;
      }
      try {
        Method value = kind.getMethod("value");
        Object result = value.invoke(annotation);
        return result instanceof Class<?> ? null : String.valueOf(result);
      } catch (ReflectiveOperationException e) {
        return null;
      }
    }
    return null;
  }
}
