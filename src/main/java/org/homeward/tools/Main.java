package org.homeward.tools;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.reflect.Constructor;
import java.nio.file.Path;
import java.util.Arrays;
import org.homeward.models.ModelUnavailable;
import org.homeward.tools.eval.EvalCommand;
import org.homeward.tools.projections.ProjectionsCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Entry point for the commands that run beside the server (deploy/homeward bench, eval, audit): plain
 * Java over the same classes the app uses, started without Quarkus so that bench and eval need no
 * database and no Keycloak (audit verify reads the database directly). Every command and sub-command is a
 * picocli command, so {@code --help} works at every level; bad input exits with 2, a missing model with 1.
 */
@Command(name = "deploy/homeward", scope = ScopeType.INHERIT, showDefaultValues = true, sortOptions = false,
        abbreviateSynopsis = true, usageHelpAutoWidth = true, subcommands = {ModelsCommand.class, AuditCommand.class, StoreCommand.class,
            Main.Bench.class, EvalCommand.class, ProjectionsCommand.class})
public final class Main {

    @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT, description = "print this help and exit")
    private boolean help;

    private Main() {
    }

    @Command(name = "bench", description = "the pipeline's and the search's speed (docs/performance.md)",
            subcommands = {PipelineBenchmark.class, SearchBenchmark.class})
    static final class Bench {
    }

    public static void main(String[] args) {
        System.setProperty("ai.djl.offline", "true");
        System.exit(run(System.out, System.err, args));
    }

    /** Runs one command line, printing to {@code out} and {@code err}; returns the exit code. */
    public static int run(PrintStream out, PrintStream err, String... args) {
        CommandLine cli = new CommandLine(new Main(), new Streams(out, err))
                .setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .setParameterExceptionHandler(Main::badParameter).setExecutionExceptionHandler(Main::failed);
        int code = cli.execute(args);
        cli.getOut().flush();
        cli.getErr().flush();
        return code;
    }

    private static int badParameter(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        refuse(e.getMessage(), command);
        UnmatchedArgumentException.printSuggestions(e, command.getErr());
        return 2;
    }

    private static int failed(Exception e, CommandLine command, ParseResult parsed) throws Exception {
        if (e instanceof ModelUnavailable) {
            command.getErr().println("error: " + e.getMessage());
            return 1;
        }
        if (e instanceof IllegalArgumentException) {
            return refuse(e.getMessage(), command);
        }
        throw e;
    }

    /** Bad input: what is wrong, then how to call the command; exit code 2. */
    private static int refuse(String message, CommandLine command) {
        command.getErr().println("error: " + message);
        command.usage(command.getErr());
        return 2;
    }

    /** The whole command line, for the reports and JSON lines that say how they were made. */
    public static String commandLine(CommandSpec spec) {
        return spec.root().name() + " " + String.join(" ", spec.root().commandLine().getParseResult().originalArgs());
    }

    /** A setting from the environment, as deploy/lib/common.sh exports it; {@code fallback} when unset or blank. */
    static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    /** Where the launcher keeps Homeward's data: $HOMEWARD_HOME, else /var/lib/homeward. */
    public static Path home() {
        return Path.of(env("HOMEWARD_HOME", "/var/lib/homeward"));
    }

    /** {@code value}, or bad input naming the option when it lies outside min..max (max infinite: no upper bound). */
    public static double within(String option, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException(option + (max == Double.POSITIVE_INFINITY ? " must be at least " + figure(min)
                    : " must be between " + figure(min) + " and " + figure(max)) + ", not " + figure(value));
        }
        return value;
    }

    public static int within(String option, int value, int min, int max) {
        return (int) within(option, value, min, max == Integer.MAX_VALUE ? Double.POSITIVE_INFINITY : max);
    }

    private static String figure(double v) {
        return v == Math.rint(v) && !Double.isInfinite(v) ? Long.toString((long) v) : Double.toString(v);
    }

    /**
     * Gives the commands that print through streams of their own (the tests read them) those of this run: a
     * constructor taking (out) or (out, err).
     */
    private record Streams(PrintStream out, PrintStream err) implements CommandLine.IFactory {

        @Override
        public <K> K create(Class<K> type) throws Exception {
            for (Constructor<?> c : type.getDeclaredConstructors()) {
                Class<?>[] parameters = c.getParameterTypes();
                if (parameters.length > 0 && Arrays.stream(parameters).allMatch(PrintStream.class::equals)) {
                    c.setAccessible(true);
                    return type.cast(c.newInstance(Arrays.copyOf(new Object[] {out, err}, parameters.length)));
                }
            }
            return CommandLine.defaultFactory().create(type);
        }
    }
}
