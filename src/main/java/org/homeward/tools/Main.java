package org.homeward.tools;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.homeward.tools.eval.EvalCommand;
import org.homeward.tools.projections.ProjectionsCommand;

/**
 * Entry point for the commands that run beside the server (deploy/homeward bench, eval, audit): plain
 * Java over the same classes the app uses, started without Quarkus so that bench and eval need no
 * database and no Keycloak (audit verify reads the database directly).
 */
public final class Main {

    private Main() {
    }

    static Map<String, Command> commands() {
        Map<String, Command> commands = new LinkedHashMap<>();
        commands.put("models", new ModelsCommand());
        commands.put("audit", new AuditCommand());
        commands.put("store", new StoreCommand());
        commands.put("bench", new Benchmarks(new PipelineBenchmark(), new SearchBenchmark()));
        commands.put("eval", new EvalCommand());
        commands.put("projections", new ProjectionsCommand());
        return commands;
    }

    /** {@code bench pipeline|search ...}: hands the arguments, the benchmark's name first, to that benchmark. */
    private record Benchmarks(Command pipeline, Command search) implements Command {

        @Override
        public int run(List<String> args) throws Exception {
            String name = args.isEmpty() ? "" : args.get(0);
            Command benchmark = switch (name) {
                case "pipeline" -> pipeline;
                case "search" -> search;
                default -> throw new IllegalArgumentException("unknown benchmark '" + name
                        + "' (the benchmarks are: pipeline, search)");
            };
            if (args.contains("-h") || args.contains("--help")) {
                System.out.println("usage: deploy/homeward " + benchmark.usage());
                return 0;
            }
            return benchmark.run(args);
        }

        @Override
        public String usage() {
            return pipeline.usage() + "\n  " + search.usage();
        }
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("ai.djl.offline", "true");
        Map<String, Command> commands = commands();
        Command command = args.length == 0 ? null : commands.get(args[0]);
        if (command == null) {
            System.err.println("usage: deploy/homeward <command> ...");
            commands.forEach((name, c) -> System.err.println("  " + c.usage()));
            System.exit(2);
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        try {
            System.exit(command.run(rest));
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println("usage: " + command.usage());
            System.exit(2);
        }
    }
}
