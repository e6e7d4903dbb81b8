package org.homeward.cases;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A case's timeline on its page, newest first: its notes, and what the features built on cases add through
 * {@link Source} (verdicts and confirmations on its candidates, referrals it received).
 */
@ApplicationScoped
public class CaseTimeline {

    /** One line: when, what kind ("note", "verdict-confirm", ...), who, what happened, a comment, a link. */
    public record Entry(Instant at, String kind, String who, String what, String body, String link) {
    }

    /** What a feature adds to the timeline of a case the viewer may see. */
    public interface Source {
        List<Entry> entriesOf(CaseDetail caseFile);
    }

    @Inject
    @Any
    Instance<Source> sources;

    public List<Entry> of(CaseDetail caseFile) {
        List<Entry> entries = new ArrayList<>();
        caseFile.notes().forEach(n -> entries.add(new Entry(n.writtenAt(), "note", n.author(), "note", n.body(), null)));
        sources.forEach(source -> entries.addAll(source.entriesOf(caseFile)));
        entries.sort(Comparator.comparing(Entry::at).reversed());
        return entries;
    }
}
