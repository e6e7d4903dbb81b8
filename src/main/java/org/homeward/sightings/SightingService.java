package org.homeward.sightings;

import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.homeward.audit.AuditTrail;
import org.homeward.cases.CaseFile;
import org.homeward.cases.CaseService;
import org.homeward.cases.Sex;
import org.homeward.faces.Face;
import org.homeward.faces.FaceView;
import org.homeward.faces.drawn.DrawnFaceView;
import org.homeward.faces.drawn.FaceDrawing;
import org.homeward.matching.Candidate;
import org.homeward.matching.CandidateView;
import org.homeward.photos.Photo;
import org.homeward.photos.PhotoService;
import org.homeward.photos.PhotoState;
import org.homeward.security.CurrentUser;
import org.homeward.security.Roles;
import org.homeward.sightings.SightingRules.NoUnit;
import org.homeward.sightings.SightingRules.SightingInvalid;
import org.homeward.sightings.SightingRules.SightingNotFound;
import org.homeward.web.Paging;
import org.homeward.worker.JobQueue;

/**
 * Records sightings and shows them to their unit. A sighting is only stored when it is complete and
 * searchable (its photos analysed, at least one usable face), so a bad one is refused whole and nothing is
 * half-stored; storing it queues the search.
 */
@ApplicationScoped
public class SightingService {

    public static final int MAX_PHOTOS = 10;

    @Inject
    FaceDrawing drawing;

    @Inject
    CurrentUser currentUser;

    @Inject
    AuditTrail audit;

    @Inject
    PhotoService photos;

    @Inject
    CaseService cases;

    @Inject
    JobQueue jobs;

    @Transactional
    public SightingDetail create(SightingForm form) {
        String unit = currentUser.unit().orElseThrow(NoUnit::new);
        Map<String, String> errors = new LinkedHashMap<>();
        LocalDate seenOn = parseSeenOn(form.seenOn(), errors);
        SightingSource source = parseEnum(SightingSource.class, form.source(), "source",
                "Choose where the sighting came from.", errors);
        Sex sex = form.sex() == null || form.sex().isBlank() ? Sex.unknown
                : parseEnum(Sex.class, form.sex(), "sex", "Sex must be female, male or unknown.", errors);
        String place = trimmed(form.place(), 200, "place", errors);
        String notes = trimmed(form.notes(), 4000, "notes", errors);
        List<Photo> chosen = checkPhotos(form.photoIds(), errors);
        if (!errors.isEmpty()) {
            throw new SightingInvalid(errors);
        }

        Sighting s = new Sighting();
        s.reference = nextReference();
        s.unit = unit;
        s.seenOn = seenOn;
        s.source = source;
        s.sex = sex == null ? Sex.unknown : sex;
        s.place = place;
        s.notes = notes;
        s.createdBy = currentUser.username();
        s.createdAt = Instant.now();
        s.persist();
        for (Photo photo : chosen) {
            SightingPhoto link = new SightingPhoto();
            link.sightingId = s.id;
            link.photoId = photo.id;
            link.addedBy = currentUser.username();
            link.addedAt = s.createdAt;
            link.persist();
        }
        jobs.enqueue(SightingSearchJob.KIND, s.id);
        audit.record("sighting.create", "sighting", s.id, s.reference + " photos=" + chosen.size());
        return detail(s);
    }

    /** Sightings per page of the list. */
    public static final int PAGE_SIZE = 25;

    /** One page of sightings, as the list shows them. */
    public record SightingPage(List<SightingRow> items, int page, int pageCount, long total) {
    }

    /** One page of the sightings of the caller's unit (all of them for an admin), newest first, in full. */
    @Transactional
    public List<SightingDetail> listVisible(int page) {
        return visiblePage(page).stream().map(this::detail).toList();
    }

    /**
     * One page of the list: the sightings of the caller's unit (all for an admin), newest first, each read with its
     * first searchable face and its number of candidates in one query.
     */
    @Transactional
    public SightingPage list(int page) {
        long total = visibleQuery().map(q -> q.count()).orElse(0L);
        int pageCount = Paging.pageCount(total, PAGE_SIZE);
        int index = Paging.clamp(page, pageCount);
        List<Sighting> found = visiblePage(index);
        if (found.isEmpty()) {
            return new SightingPage(List.of(), index, pageCount, total);
        }
        @SuppressWarnings("unchecked")
        List<Object[]> counts = Sighting.getEntityManager().createNativeQuery("""
                SELECT s.id,
                       (SELECT f.id FROM sighting_photo sp JOIN face f ON f.photo_id = sp.photo_id
                         WHERE sp.sighting_id = s.id AND f.usable
                         ORDER BY sp.added_at, sp.photo_id, f.face_index LIMIT 1),
                       (SELECT count(*) FROM candidate c WHERE c.sighting_id = s.id)
                  FROM sighting s WHERE s.id IN (?1)""")
                .setParameter(1, found.stream().map(x -> x.id).toList()).getResultList();
        Map<Long, Object[]> byId = new HashMap<>();
        counts.forEach(r -> byId.put(((Number) r[0]).longValue(), r));
        List<SightingRow> items = found.stream().map(x -> {
            Object[] r = byId.get(x.id);
            return new SightingRow(x.id, x.reference, x.seenOn, x.place, x.source, x.searchState,
                    r[1] == null ? null : ((Number) r[1]).longValue(), ((Number) r[2]).intValue(),
                    x.linkedCaseId == null ? null : cases.summaryIfVisible(x.linkedCaseId).orElse(null));
        }).toList();
        return new SightingPage(items, index, pageCount, total);
    }

    private List<Sighting> visiblePage(int page) {
        return visibleQuery().map(q -> q.page(Page.of(page, PAGE_SIZE)).list())
                .orElse(List.of());
    }

    /** The caller's sightings, newest first; none for someone without a unit (never a made-up unit value). */
    private Optional<PanacheQuery<Sighting>> visibleQuery() {
        Sort newest = Sort.descending("createdAt").and("id",
                Sort.Direction.Descending);
        if (currentUser.hasRole(Roles.ADMIN)) {
            return Optional.of(Sighting.<Sighting>find("1 = 1", newest));
        }
        return currentUser.unit().map(unit -> Sighting.<Sighting>find("unit", newest, unit));
    }

    @Transactional
    public SightingDetail view(long id) {
        Sighting s = visible(id);
        audit.record("sighting.view", "sighting", id, null);
        return detail(s);
    }

    /** The sighting for a page that shows it in another context (a candidate); the caller must be allowed. */
    @Transactional
    public SightingDetail describe(long id) {
        return detail(visible(id));
    }

    /**
     * The sighting for the unit one of its candidates was referred to: its facts and photos, and of its candidates
     * only the referred one (the others are the sighting unit's business). The caller has checked the referral.
     */
    @Transactional
    public SightingDetail describeReferred(long id, long candidateId) {
        SightingDetail d = detail(Sighting.<Sighting>findByIdOptional(id).orElseThrow(() -> new SightingNotFound(id)));
        return new SightingDetail(d.id(), d.reference(), d.unit(), d.seenOn(), d.place(), d.source(), d.sex(), d.notes(),
                d.createdBy(), d.createdAt(), d.searchState(), d.searchError(), d.searchedAt(), d.excludedCases(),
                d.linkedCase(), d.photos(), d.candidates().stream().filter(c -> c.id() == candidateId).toList());
    }

    /**
     * A box drawn round a face the detector missed on one of the sighting's photos: the worker indexes it, then the
     * sighting is searched again (SightingSearchJob on PhotoAnalysed). Recorded on the sighting's trail.
     */
    @Transactional
    public DrawnFaceView drawFace(long id, long photoId, FaceDrawing.Box box) {
        visible(id);
        if (!hasPhoto(id, photoId)) {
            throw new SightingNotFound(id);
        }
        DrawnFaceView drawn = drawing.draw(photoId, box);
        audit.record("sighting.face.draw", "sighting", id, "photo=" + photoId + " drawn=" + drawn.id());
        return drawn;
    }

    /** Whether the photo is one of the sighting's (who may see it is the photo's rule). */
    public boolean hasPhoto(long id, long photoId) {
        return SightingPhoto.count("sightingId = ?1 and photoId = ?2", id, photoId) > 0;
    }

    /** Whether the caller may see the sighting; a check, not audited. */
    public boolean canSee(long id) {
        return Sighting.<Sighting>findByIdOptional(id).filter(this::maySee).isPresent();
    }

    Sighting visible(long id) {
        return Sighting.<Sighting>findByIdOptional(id).filter(this::maySee).orElseThrow(() -> new SightingNotFound(id));
    }

    boolean maySee(Sighting s) {
        if (currentUser.hasRole(Roles.ADMIN)) {
            return true;
        }
        boolean member = currentUser.hasRole(Roles.INVESTIGATOR) || currentUser.hasRole(Roles.SUPERVISOR);
        return member && currentUser.unit().map(s.unit::equals).orElse(false);
    }

    SightingDetail detail(Sighting s) {
        List<SightingDetail.Photo> photoItems = new ArrayList<>();
        for (SightingPhoto link : SightingPhoto.<SightingPhoto>list("sightingId = ?1 order by addedAt, photoId", s.id)) {
            Photo p = Photo.findById(link.photoId);
            List<FaceView> faces = FaceView.ofPhoto(p.id);
            photoItems.add(new SightingDetail.Photo(p.id, p.width, p.height, faces));
        }
        List<CandidateView> candidates = Candidate.<Candidate>list("sightingId = ?1 order by sightingFaceId, position", s.id)
                .stream()
                .map(c -> CandidateView.of(c, cases.summaryIfVisible(c.caseId).orElse(null),
                        CaseFile.<CaseFile>findByIdOptional(c.caseId).map(f -> f.unit).orElse("?")))
                .toList();
        return new SightingDetail(s.id, s.reference, s.unit, s.seenOn, s.place, s.source, s.sex, s.notes, s.createdBy,
                s.createdAt, s.searchState, s.searchError, s.searchedAt, s.excludedCases,
                s.linkedCaseId == null ? null : cases.summaryIfVisible(s.linkedCaseId).orElse(null), photoItems,
                candidates);
    }

    private List<Photo> checkPhotos(List<Long> ids, Map<String, String> errors) {
        List<Photo> chosen = new ArrayList<>();
        if (ids == null || ids.isEmpty()) {
            errors.put("photos", "Add at least one photo of the person seen.");
            return chosen;
        }
        if (ids.size() > MAX_PHOTOS) {
            errors.put("photos", "A sighting holds at most " + MAX_PHOTOS + " photos; this one has " + ids.size() + ".");
            return chosen;
        }
        List<String> problems = new ArrayList<>();
        List<String> noFace = new ArrayList<>();
        for (Long id : new LinkedHashSet<>(ids)) {
            Photo photo = id == null ? null : Photo.findById(id);
            if (photo == null || !photos.maySee(photo)) {
                problems.add("There is no photo " + id + " that you may use.");
            } else if (photo.state == PhotoState.failed) {
                problems.add("Photo " + id + " could not be analysed (" + photo.failureReason + "); remove it.");
            } else if (photo.state != PhotoState.done) {
                problems.add("Photo " + id + " is still being analysed; wait until it is done.");
            } else {
                chosen.add(photo);
                List<Face> faces = Face.list("photo.id", photo.id);
                if (faces.stream().noneMatch(f -> f.usable)) {
                    noFace.add("photo " + id + (faces.isEmpty() ? ": no face found"
                            : ": " + faces.stream().map(f -> f.qualityReason).distinct().reduce((a, b) -> a + "; " + b).orElse("")));
                }
            }
        }
        if (!problems.isEmpty()) {
            errors.put("photos", String.join(" ", problems));
        } else if (noFace.size() == chosen.size()) {
            errors.put("photos", "None of the photos shows a face Homeward can search with (" + String.join("; ", noFace)
                    + "). Add a photo where the face is larger, sharper and turned to the camera.");
        }
        return chosen;
    }

    private static LocalDate parseSeenOn(String text, Map<String, String> errors) {
        if (text == null || text.isBlank()) {
            errors.put("seenOn", "Give the date the person was seen, or the date of the photo.");
            return null;
        }
        try {
            LocalDate date = LocalDate.parse(text.trim());
            // The last time zone to reach a date: a date after today there is in the future everywhere.
            LocalDate latestToday = LocalDate.now(ZoneOffset.ofHours(14));
            if (date.isAfter(latestToday)) {
                errors.put("seenOn", "The date seen (" + date + ") is in the future.");
            } else if (date.getYear() < 1900) {
                errors.put("seenOn", "The date seen (" + date + ") is before 1900.");
            }
            return date;
        } catch (DateTimeParseException e) {
            errors.put("seenOn", "The date seen must be a date like 2026-05-31, not '" + text + "'.");
            return null;
        }
    }

    private static <E extends Enum<E>> E parseEnum(Class<E> type, String text, String field, String message,
            Map<String, String> errors) {
        try {
            return Enum.valueOf(type, text == null ? "" : text.trim().toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            errors.put(field, message);
            return null;
        }
    }

    private static String trimmed(String text, int max, String field, Map<String, String> errors) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String t = text.trim();
        if (t.length() > max) {
            errors.put(field, "The " + field + " is too long (" + t.length() + " characters; at most " + max + ").");
        }
        return t;
    }

    private static String nextReference() {
        Number next = (Number) Sighting.getEntityManager().createNativeQuery("SELECT nextval('sighting_reference_seq')")
                .getSingleResult();
        return String.format("SG-%d-%06d", LocalDate.now(ZoneOffset.UTC).getYear(), next.longValue());
    }
}
