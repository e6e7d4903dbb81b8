package org.homeward.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deploy helpers of deploy/lib/common.sh, run by bash on small scripts that source it: the apt
 * sources discovery (debian_mirror, and the deb-src line ensure_trixie_sources writes, without apt) and
 * the ERR trap that makes every failing command name itself. Plain JUnit: no services, no Quarkus.
 */
class DeployScriptsTest {

    static final Path REPO = repoRoot();
    static final Path COMMON = REPO.resolve("deploy/lib/common.sh");

    @TempDir
    Path tmp;

    // ---- apt sources discovery ----------------------------------------------------------------

    /** Debian 12's /etc/apt/sources.list.d/debian.sources as the installer writes it. */
    static final String DEBIAN_12_SOURCES = """
            Types: deb
            # http://snapshot.debian.org/archive/debian/20250520T000000Z
            URIs: http://deb.debian.org/debian
            Suites: bookworm bookworm-updates
            Components: main
            Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

            Types: deb
            # http://snapshot.debian.org/archive/debian-security/20250520T000000Z
            URIs: http://deb.debian.org/debian-security
            Suites: bookworm-security
            Components: main
            Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
            """;

    @Test
    void deb822SourcesOnly() throws Exception {
        assertEquals("http://deb.debian.org/debian\n", mirror(DEBIAN_12_SOURCES));
    }

    @Test
    void deb822SecurityFirstAndDisabledStanzasAreSkipped() throws Exception {
        String sources = """
                Types: deb
                URIs: http://security.debian.org/debian-security
                Suites: bookworm-security
                Components: main

                Types: deb
                URIs: http://old-mirror.example.org/debian
                Suites: bookworm
                Components: main
                Enabled: no

                Types: deb deb-src
                URIs: https://mirror.example.edu/debian/ http://deb.debian.org/debian
                Suites: bookworm
                Components: main contrib
                """;
        assertEquals("https://mirror.example.edu/debian/\n", mirror(sources));
    }

    @Test
    void oneLineSourcesOnly() throws Exception {
        String list = """
                # deb cdrom:[Debian GNU/Linux 12.5.0 _Bookworm_]/ bookworm main
                deb http://security.debian.org/debian-security bookworm-security main
                deb http://ftp.de.debian.org/debian bookworm main contrib non-free-firmware
                deb-src http://ftp.de.debian.org/debian bookworm main
                deb http://ftp.de.debian.org/debian bookworm-updates main
                """;
        assertEquals("http://ftp.de.debian.org/debian\n", mirror(list));
    }

    @Test
    void bothFormsOneLineFirst() throws Exception {
        String list = "deb http://ftp.fr.debian.org/debian/ bookworm main\n";
        assertEquals("http://ftp.fr.debian.org/debian/\n", mirror(list, DEBIAN_12_SOURCES));
    }

    @Test
    void aOneLineFileWithOnlyCommentsLeavesTheDeb822Mirror() throws Exception {
        String list = """
                # See /etc/apt/sources.list.d/debian.sources
                #deb http://ftp.fr.debian.org/debian/ bookworm main
                """;
        assertEquals("http://deb.debian.org/debian\n", mirror(list, DEBIAN_12_SOURCES));
    }

    @Test
    void thirdPartyReposBeforeDebianAreNotTaken() throws Exception {
        // Docker's URI ends in /debian too, but its component is "stable": not a Debian mirror.
        String docker = "deb [arch=amd64 signed-by=/etc/apt/keyrings/docker.gpg] https://download.docker.com/linux/debian bookworm stable\n";
        String pgdg = "deb [signed-by=/usr/share/postgresql-common/pgdg/apt.postgresql.org.asc] https://apt.postgresql.org/pub/repos/apt bookworm-pgdg main\n";
        String nodesource = """
                Types: deb
                URIs: https://deb.nodesource.com/node_20.x
                Suites: nodistro
                Components: main
                Signed-By: /usr/share/keyrings/nodesource.gpg
                """;
        assertEquals("http://deb.debian.org/debian\n", mirror(docker, pgdg, nodesource, DEBIAN_12_SOURCES));
    }

    @Test
    void oneLineWithOptions() throws Exception {
        String list = """
                deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] https://mirror.example.org/debian/ bookworm main
                deb [ arch=amd64,arm64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg ] http://deb.debian.org/debian bookworm main
                """;
        assertEquals("https://mirror.example.org/debian/\n", mirror(list));
    }

    @Test
    void noDebianMirrorPrintsNothing() throws Exception {
        String list = """
                deb http://security.debian.org/debian-security bookworm-security main
                deb https://download.docker.com/linux/debian bookworm stable
                deb https://apt.postgresql.org/pub/repos/apt bookworm-pgdg main
                """;
        assertEquals("", mirror(list));
        assertEquals("", mirror("# nothing here\n"));
    }

    @Test
    void missingFilesAreSkipped() throws Exception {
        Path list = write("sources.list", "deb http://deb.debian.org/debian bookworm main\n");
        Result r = run("source \"$COMMON\"\ndebian_mirror \"$@\"\n", tmp.resolve("absent.list").toString(), list.toString());
        assertEquals(new Result(0, "http://deb.debian.org/debian\n", ""), r);
    }

    /** The discovery half of ensure_trixie_sources: the line it would write (it is never run here: it runs apt). */
    @Test
    void trixieSourceLineComesFromTheMirror() throws Exception {
        Path sources = write("debian.sources", DEBIAN_12_SOURCES);
        Path list = write("sources.list", "deb [signed-by=/k.gpg] https://mirror.example.org/debian/ bookworm main\n");
        String script = "source \"$COMMON\"\ntrixie_src_line \"$@\"\n";
        assertEquals(new Result(0, "deb-src http://deb.debian.org/debian trixie main\n", ""), run(script, sources.toString()));
        assertEquals(new Result(0, "deb-src https://mirror.example.org/debian trixie main\n", ""),
                run(script, list.toString(), sources.toString()), "the trailing slash is dropped");
    }

    @Test
    void trixieSourceLineWithoutAMirrorSaysWhy() throws Exception {
        Path list = write("sources.list", "deb http://security.debian.org/debian-security bookworm-security main\n");
        Result r = run("set -euo pipefail\nsource \"$COMMON\"\nline=$(trixie_src_line \"$@\") || exit 1\necho \"$line\"\n",
                list.toString());
        assertEquals(new Result(1, "",
                "[homeward] ERROR: no Debian mirror found in " + list + " (one-line or deb822 form)\n"), r);
    }

    // ---- the ERR trap -------------------------------------------------------------------------

    @Test
    void aFailingCommandNamesItsScriptLineStatusAndText() throws Exception {
        String body = """
                set -euo pipefail
                source "$COMMON"
                echo start
                sh -c 'exit 3'
                echo unreachable
                """;
        Path script = write("fails.sh", body);
        assertEquals(new Result(3, "start\n",
                "[homeward] ERROR: " + script + ":" + lineOf(body, "sh -c 'exit 3'")
                        + ": command failed (exit 3): sh -c 'exit 3'\n"),
                runFile(script));
    }

    @Test
    void aFailureInsideAFunctionNamesTheLineInTheFunctionOnce() throws Exception {
        String body = """
                set -euo pipefail
                source "$COMMON"
                install_step() {
                  echo "in step"
                  sh -c 'exit 4'
                  echo "not reached"
                }
                install_step
                echo "not reached either"
                """;
        Path script = write("function.sh", body);
        assertEquals(new Result(4, "in step\n",
                "[homeward] ERROR: " + script + ":" + lineOf(body, "sh -c 'exit 4'")
                        + ": command failed (exit 4): sh -c 'exit 4'\n"),
                runFile(script));
    }

    @Test
    void aScriptInTheRepositoryIsNamedFromTheRepositoryRoot() throws Exception {
        Path dir = Files.createDirectories(REPO.resolve("target/deploy-scripts-test"));
        Path script = Files.createTempFile(dir, "fails", ".sh");
        try {
            String body = "#!/usr/bin/env bash\nset -euo pipefail\nsource \"$COMMON\"\nfalse\n";
            Files.writeString(script, body);
            assertEquals(new Result(1, "",
                    "[homeward] ERROR: target/deploy-scripts-test/" + script.getFileName() + ":4: command failed (exit 1): false\n"),
                    runFile(script));
        } finally {
            Files.deleteIfExists(script);
        }
    }

    @Test
    void aFailingPipelineListsEveryStagesStatus() throws Exception {
        String body = """
                set -euo pipefail
                source "$COMMON"
                sh -c 'exit 6' | cat
                """;
        Path script = write("pipeline.sh", body);
        assertEquals(new Result(6, "",
                "[homeward] ERROR: " + script + ":" + lineOf(body, "| cat")
                        + ": command failed (exit 6): cat (pipeline statuses: 6 0)\n"),
                runFile(script));
    }

    @Test
    void dieSaysOnlyItsMessage() throws Exception {
        String body = """
                set -euo pipefail
                source "$COMMON"
                start_it() { die "no cluster in /srv/pg: run 'postgres.sh install' first"; }
                echo before
                start_it
                echo after
                """;
        assertEquals(new Result(1, "before\n", "[homeward] ERROR: no cluster in /srv/pg: run 'postgres.sh install' first\n"),
                runFile(write("die.sh", body)));
    }

    @Test
    void aTestedFailureIsNotAnError() throws Exception {
        String body = """
                set -euo pipefail
                source "$COMMON"
                probe() { sh -c 'exit 6'; echo "probe went on"; }
                if sh -c 'exit 3'; then echo yes; else echo no; fi
                sh -c 'exit 4' || echo recovered
                sh -c 'exit 5' && echo never
                if ! probe; then echo "probe failed"; fi
                while sh -c 'exit 1'; do :; done
                ! sh -c 'exit 7'
                status=0; sh -c 'exit 8' || status=$?
                echo "done $status"
                """;
        assertEquals(new Result(0, "no\nrecovered\nprobe went on\ndone 8\n", ""), runFile(write("tested.sh", body)));
    }

    // ---- helpers ------------------------------------------------------------------------------

    record Result(int exit, String stdout, String stderr) {}

    /** debian_mirror's output for temporary source files holding these texts, in this order. */
    private String mirror(String... files) throws Exception {
        List<String> args = new ArrayList<>();
        for (int i = 0; i < files.length; i++) {
            args.add(write("source" + i + (files[i].contains("URIs:") ? ".sources" : ".list"), files[i]).toString());
        }
        Result r = run("set -euo pipefail\nsource \"$COMMON\"\ndebian_mirror \"$@\"\n", args.toArray(String[]::new));
        assertEquals(0, r.exit(), r.toString());
        assertEquals("", r.stderr(), r.toString());
        return r.stdout();
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(tmp.resolve(name), text);
    }

    private Result run(String body, String... args) throws Exception {
        return runFile(write("script-" + System.nanoTime() + ".sh", body), args);
    }

    /** Runs bash on the script, in the temporary folder, with HOMEWARD_HOME there too. */
    private Result runFile(Path script, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", script.toString()));
        command.addAll(Arrays.asList(args));
        Path out = tmp.resolve("stdout-" + System.nanoTime());
        Path err = tmp.resolve("stderr-" + System.nanoTime());
        ProcessBuilder pb = new ProcessBuilder(command).directory(tmp.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("COMMON", COMMON.toString());
        pb.environment().put("HOMEWARD_HOME", tmp.resolve("home").toString());
        pb.environment().put("LC_ALL", "C.UTF-8");
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "bash " + script + " did not finish in 60 s");
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    /** The 1-based line of the script (written as is, no header) that holds this text. */
    private static int lineOf(String body, String text) {
        String[] lines = body.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains(text)) {
                return i + 1;
            }
        }
        throw new IllegalArgumentException(text + " is not in the script");
    }

    private static Path repoRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("deploy/lib/common.sh"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no deploy/lib/common.sh above " + Path.of("").toAbsolutePath());
    }
}
