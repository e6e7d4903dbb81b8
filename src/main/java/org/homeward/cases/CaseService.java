package org.homeward.cases;

import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.homeward.audit.AuditTrail;
import org.homeward.cases.CaseRules.ActionNotAllowed;
import org.homeward.cases.CaseRules.CaseEditConflict;
import org.homeward.cases.CaseRules.CaseInvalid;
import org.homeward.cases.CaseRules.CaseNotFound;
import org.homeward.faces.Face;
import org.homeward.faces.FaceView;
import org.homeward.faces.drawn.DrawnFaceView;
import org.homeward.faces.drawn.FaceDrawing;
import org.homeward.inbox.Inbox;
import org.homeward.photos.Photo;
import org.homeward.photos.PhotoService;
import org.homeward.photos.ReceivedPhoto;
import org.homeward.security.CurrentUser;
import org.homeward.security.Roles;
import org.homeward.web.Paging;

/**
 * The rules of case files. Every read and write is scoped here, not in the pages: an investigator sees
 * their unit's cases and those assigned to them, a supervisor all of their unit's, an admin all, an
 * auditor none. A case the caller may not see answers exactly like a case that does not exist.
 */
@ApplicationScoped
@Transactional
public class CaseService {

    public static final int PAGE_SIZE = 20;

    @Inject
    Inbox inbox;

    @Inject
    CurrentUser currentUser;

    @Inject
    AuditTrail audit;

    @Inject
    PhotoService photos;

    @Inject
    FaceDrawing drawing;

    @Inject
    CaseDeletion deletion;

    @Inject
    Event<CaseFacesChanged> facesChanged;

    /** The oldest age the case list can filter by: older would be a date no calendar holds, or no child. */
    public static final int MAX_AGE_FILTER = 150;

    /** Filters for the case list; null means "any". */
    public record Filter(String text, CaseStatus status, String unit, Integer minAgeNow, Integer maxAgeNow) {
        public static final Filter ALL = new Filter(null, null, null, null, null);

        /** The age bounds checked: each a whole number of years in range, the least not above the most. */
        void validate() {
            Map<String, String> errors = new LinkedHashMap<>();
            checkAge("minAge", minAgeNow, errors);
            checkAge("maxAge", maxAgeNow, errors);
            if (errors.isEmpty() && minAgeNow != null && maxAgeNow != null && minAgeNow > maxAgeNow) {
                errors.put("maxAge", "maxAge (" + maxAgeNow + ") is below minAge (" + minAgeNow + ").");
            }
            if (!errors.isEmpty()) {
                throw new CaseRules.CaseFilterInvalid(errors);
            }
        }

        private static void checkAge(String name, Integer age, Map<String, String> errors) {
            if (age != null && (age < 0 || age > MAX_AGE_FILTER)) {
                errors.put(name, name + " must be a whole number of years from 0 to " + MAX_AGE_FILTER + ", not " + age + ".");
            }
        }
    }

    /** An age filter from a query string: empty means none; anything but a whole number is refused, naming it. */
    public static Integer ageParameter(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(value.trim());
        } catch (NumberFormatException e) {
            throw new CaseRules.CaseFilterInvalid(Map.of(name,
                    name + " must be a whole number of years from 0 to " + MAX_AGE_FILTER + "."));
        }
    }

    /** One page of cases. */
    public record CasePage(List<CaseSummary> items, int page, int pageCount, long total) {
    }

    // ---- reading ----

    public CasePage search(Filter filter, int page) {
        return search(filter, CaseSort.updated, false, page);
    }

    /** One page of the visible cases that pass the filter, in the order a person chose on the list. */
    public CasePage search(Filter filter, CaseSort sort, boolean reversed, int page) {
        filter.validate();
        StringBuilder where = new StringBuilder(visibility());
        Parameters params = visibilityParameters();
        if (filter.text() != null && !filter.text().isBlank()) {
            // what a person types is matched as written: % and _ are characters here, not wildcards
            where.append(" and (lower(childName) like :text escape '\\' or lower(reference) like :text escape '\\')");
            params.and("text", "%" + literalPattern(filter.text().trim().toLowerCase()) + "%");
        }
        if (filter.status() != null) {
            where.append(" and status = :status");
            params.and("status", filter.status());
        }
        if (filter.unit() != null && !filter.unit().isBlank()) {
            where.append(" and unit = :unit");
            params.and("unit", filter.unit().trim());
        }
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        if (filter.minAgeNow() != null) {
            // born on or before today minus the minimum age
            where.append(" and coalesce(birthDate, birthDateLatest) <= :bornBy");
            params.and("bornBy", today.minusYears(filter.minAgeNow()));
        }
        if (filter.maxAgeNow() != null) {
            where.append(" and coalesce(birthDate, birthDateEarliest) > :bornAfter");
            params.and("bornAfter", today.minusYears(filter.maxAgeNow() + 1L));
        }
        long total = CaseFile.count(where.toString(), params);
        var query = CaseFile.<CaseFile>find(where + " ORDER BY " + sort.orderBy(reversed), params);
        int pageCount = Paging.pageCount(total, PAGE_SIZE);
        int index = Paging.clamp(page, pageCount);
        List<CaseSummary> items = query.page(Page.of(index, PAGE_SIZE)).list().stream().map(CaseSummary::of).toList();
        audit.record("case.search", "case_file", null, "results=" + total + " sort=" + sort + (reversed ? " reversed" : ""));
        return new CasePage(items, index, pageCount, total);
    }

    private static String literalPattern(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    /** The units whose cases the caller can see, for the case list's unit choice. */
    public List<String> visibleUnits() {
        var query = CaseFile.getEntityManager().createQuery(
                "SELECT DISTINCT unit FROM CaseFile WHERE unit IS NOT NULL AND (" + visibility() + ") ORDER BY unit", String.class);
        visibilityParameters().map().forEach(query::setParameter);
        return query.getResultList();
    }

    /** One page of the visible cases, oldest first (the API's plain list), paged in SQL. */
    public CasePage listVisible(int page) {
        var query = CaseFile.<CaseFile>find(visibility(), Sort.by("id"), visibilityParameters());
        long total = query.count();
        int pageCount = Paging.pageCount(total, PAGE_SIZE);
        int index = Paging.clamp(page, pageCount);
        List<CaseSummary> items = query.page(Page.of(index, PAGE_SIZE)).list().stream().map(CaseSummary::of).toList();
        audit.record("case.list", "case_file", null, "page=" + index + " results=" + total);
        return new CasePage(items, index, pageCount, total);
    }

    /** A person looking at a case: recorded in the audit trail. */
    public CaseDetail view(long id) {
        CaseDetail detail = describe(id);
        audit.record("case.view", "case_file", id, null);
        return detail;
    }

    /**
     * The case as the caller may see it, not recorded: for what serves a page already recorded by {@link #view}
     * (its progress polls, its images, a candidate's page that records its own view), so the trail holds one
     * event per page a person opened rather than one per poll.
     */
    public CaseDetail describe(long id) {
        return detail(visible(id));
    }

    // ---- changing ----

    public CaseDetail create(CaseForm form) {
        requireAnyRole("open a case", Roles.INVESTIGATOR, Roles.SUPERVISOR, Roles.ADMIN);
        Map<String, String> errors = form.validate();
        String unit = currentUser.hasRole(Roles.ADMIN) && form.unit() != null && !form.unit().isBlank()
                ? form.unit().trim() : currentUser.unit().orElse(null);
        if (unit == null) {
            errors.put("unit", "You belong to no agency unit, so the case would have no owner.");
        }
        if (!errors.isEmpty()) {
            throw new CaseInvalid(errors);
        }
        CaseFile file = new CaseFile();
        file.reference = nextReference();
        file.unit = unit;
        file.createdBy = currentUser.username();
        file.createdAt = Instant.now();
        apply(file, form);
        file.persist();
        audit.record("case.create", "case_file", file.id, file.reference);
        return detail(file);
    }

    public CaseDetail update(long id, CaseForm form) {
        CaseFile file = visible(id);
        if (form.version() == null || form.version() != file.version) {
            throw new CaseEditConflict(file.reference, file.updatedBy, file.updatedAt);
        }
        Map<String, String> errors = form.validate();
        if (!errors.isEmpty()) {
            throw new CaseInvalid(errors);
        }
        apply(file, form);
        CaseFile.flush();
        audit.record("case.update", "case_file", id, null);
        return detail(file);
    }

    /** Open, found or closed, with the reason; supervisors (of the case's unit) and admins only. */
    public CaseDetail changeStatus(long id, CaseStatus status, String reason, Long version) {
        CaseFile file = visible(id);
        requireAnyRole("change a case's status", Roles.SUPERVISOR, Roles.ADMIN);
        if (version != null && version != file.version) {
            throw new CaseEditConflict(file.reference, file.updatedBy, file.updatedAt);
        }
        if (status == null) {
            throw new CaseInvalid(Map.of("status", "Choose open, found or closed."));
        }
        if (reason == null || reason.isBlank()) {
            throw new CaseInvalid(Map.of("reason", "Say why the status changes."));
        }
        if (reason.length() > CaseForm.TEXT_MAX) {
            throw new CaseInvalid(Map.of("reason", CaseForm.tooLong(reason, CaseForm.TEXT_MAX)));
        }
        file.status = status;
        file.statusReason = reason.trim();
        file.statusChangedBy = currentUser.username();
        file.statusChangedAt = Instant.now();
        touch(file);
        CaseFile.flush();
        audit.record("case.status", "case_file", id, status.name());
        return detail(file);
    }

    public CaseDetail assign(long id, String username) {
        CaseFile file = visible(id);
        requireAnyRole("assign investigators", Roles.SUPERVISOR, Roles.ADMIN);
        if (username == null || !username.matches("[A-Za-z0-9._@-]{1,100}")) {
            throw new CaseInvalid(Map.of("username", "Give the user name of the person to assign."));
        }
        if (CaseAssignment.findById(new CaseAssignment.Key(id, username)) == null) {
            CaseAssignment assignment = new CaseAssignment();
            assignment.caseId = id;
            assignment.username = username;
            assignment.assignedBy = currentUser.username();
            assignment.assignedAt = Instant.now();
            assignment.persist();
            audit.record("case.assign", "case_file", id, username);
            if (!username.equals(currentUser.username())) {
                inbox.toPeople(Set.of(username), CaseMessages.SUBJECT, id, currentUser.displayName() + " assigned you to case "
                        + file.reference + ".", "/cases/" + id);
            }
        }
        return detail(file);
    }

    public CaseDetail addNote(long id, String text) {
        CaseFile file = visible(id);
        String body = CaseForm.lines(text);
        if (body == null || body.isBlank()) {
            throw new CaseInvalid(Map.of("body", "The note is empty."));
        }
        if (body.length() > CaseForm.TEXT_MAX) {
            throw new CaseInvalid(Map.of("body", CaseForm.tooLong(body, CaseForm.TEXT_MAX)));
        }
        CaseNote note = new CaseNote();
        note.caseId = id;
        note.author = currentUser.username();
        note.writtenAt = Instant.now();
        note.body = body.trim();
        note.persist();
        audit.record("case.note", "case_file", id, null);
        return detail(file);
    }

    /**
     * Uploads a photo to the case, a childhood photo or a relative's adult photo ({@code shows}, null for the child):
     * the photo is checked, stored and queued like any other.
     */
    public CaseDetail attachPhoto(long id, ReceivedPhoto received, String contentType, String filename,
            LocalDate takenOn, Float ageAtPhoto, PhotoSubject shows) {
        CaseFile file = visible(id);
        PhotoSubject subject = shows == null ? PhotoSubject.child : shows;
        checkPhotoFacts(file, takenOn, ageAtPhoto, subject);
        Photo photo = photos.upload(received, contentType, filename).photo();
        CasePhoto link = CasePhoto.findById(new CasePhoto.Key(id, photo.id));
        if (link == null) {
            link = new CasePhoto();
            link.caseId = id;
            link.photoId = photo.id;
            link.addedBy = currentUser.username();
            link.addedAt = Instant.now();
        }
        link.takenOn = takenOn;
        link.ageAtPhoto = ageAtPhoto;
        link.shows = subject;
        // Photos, notes and assignments are rows of their own: adding one does not change the case's
        // version, so two uploads at once (or an upload while someone edits) never conflict.
        link.persist();
        audit.record("case.photo.attach", "case_file", id, "photo=" + photo.id + " shows=" + subject);
        return detail(file);
    }

    /**
     * Corrects when a case photo was taken, how old the person on it was, or who it shows ({@code shows}, null: as
     * it was). The projections are planned from these, so they are planned again.
     */
    public CaseDetail updatePhotoFacts(long id, long photoId, LocalDate takenOn, Float ageAtPhoto, PhotoSubject shows) {
        CaseFile file = visible(id);
        CasePhoto link = link(id, photoId);
        PhotoSubject subject = shows == null ? link.shows : shows;
        checkPhotoFacts(file, takenOn, ageAtPhoto, subject);
        if (Objects.equals(link.takenOn, takenOn) && Objects.equals(link.ageAtPhoto, ageAtPhoto) && link.shows == subject) {
            return detail(file);
        }
        String before = "taken=" + link.takenOn + " age=" + link.ageAtPhoto + " shows=" + link.shows;
        link.takenOn = takenOn;
        link.ageAtPhoto = ageAtPhoto;
        link.shows = subject;
        audit.record("case.photo.facts", "case_file", id, "photo=" + photoId + " " + before + " -> taken=" + takenOn
                + " age=" + ageAtPhoto + " shows=" + subject);
        facesChanged.fire(new CaseFacesChanged(id));
        return detail(file);
    }

    /**
     * Takes a photo off the case: its faces are no longer searched for the child and its projections go. The file
     * itself stays until the store's sweep finds it attached to nothing, so a removal is recorded, not destroyed at once.
     */
    public CaseDetail removePhoto(long id, long photoId) {
        CaseFile file = visible(id);
        link(id, photoId).delete();
        audit.record("case.photo.remove", "case_file", id, "photo=" + photoId);
        facesChanged.fire(new CaseFacesChanged(id));
        return detail(file);
    }

    private static CasePhoto link(long id, long photoId) {
        CasePhoto link = CasePhoto.findById(new CasePhoto.Key(id, photoId));
        if (link == null) {
            throw new CaseNotFound(id + " / photo " + photoId);
        }
        return link;
    }

    private static void checkPhotoFacts(CaseFile file, LocalDate takenOn, Float ageAtPhoto, PhotoSubject shows) {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        if (takenOn != null && takenOn.isAfter(today)) {
            throw new CaseInvalid(Map.of("takenOn", "The date " + takenOn + " is in the future."));
        }
        LocalDate bornBy = file.birthDate != null ? file.birthDate : file.birthDateEarliest;
        // a parent's photo may well be older than the child
        if (!shows.relative() && takenOn != null && bornBy != null && takenOn.isBefore(bornBy)) {
            throw new CaseInvalid(Map.of("takenOn", "The photo would be taken before the child was born."));
        }
        if (ageAtPhoto != null && (ageAtPhoto < 0 || ageAtPhoto >= 120)) {
            throw new CaseInvalid(Map.of("ageAtPhoto", "The age must be between 0 and 119 years."));
        }
    }

    /** Marks which face on a case photo is the child; only that face of the photo is then searched. */
    public CaseDetail markChildFace(long id, long photoId, long faceId) {
        CaseFile file = visible(id);
        CasePhoto link = link(id, photoId);
        Face face = Face.findById(faceId);
        if (face == null || !Objects.equals(face.photo.id, photoId)) {
            throw new CaseInvalid(Map.of("faceId", "Face " + faceId + " is not on photo " + photoId + "."));
        }
        if (!face.usable) {
            throw new CaseInvalid(Map.of("faceId", "This face cannot be searched: " + face.qualityReason));
        }
        link.childFaceId = faceId;
        audit.record("case.face.mark", "case_file", id, "photo=" + photoId + " face=" + faceId);
        facesChanged.fire(new CaseFacesChanged(id));
        return detail(file);
    }

    /**
     * A box drawn around the face the detector missed on one of the case's photos: handed to the worker to index
     * ({@link FaceDrawing}); recorded on the case too, so its trail shows who drew which face.
     */
    public DrawnFaceView drawFace(long id, long photoId, FaceDrawing.Box box) {
        visible(id);
        link(id, photoId);
        DrawnFaceView drawn = drawing.draw(photoId, box);
        audit.record("case.face.draw", "case_file", id, "photo=" + photoId + " drawn=" + drawn.id());
        return drawn;
    }

    /** Deletes a case with its photos, faces and vectors; admins only, with a reason that the trail keeps. */
    public void delete(long id, String reason) {
        CaseFile file = visible(id);
        requireAnyRole("delete cases", Roles.ADMIN);
        if (reason == null || reason.isBlank()) {
            throw new CaseInvalid(Map.of("reason", "Say why the case is deleted."));
        }
        String reference = file.reference;
        deletion.delete(file);
        audit.record("case.delete", "case_file", id, reference + ": " + reason.trim());
    }

    // ---- helpers ----

    /** The child's age today in years (the middle of the range when only an estimate is known). */
    static Double ageNow(CaseFile file) {
        return file.ageOn(LocalDate.now(ZoneOffset.UTC)).map(AgeRange::middle).orElse(null);
    }

    /** The case's summary when the caller may see the case; nothing is audited (a check, not a view). */
    public Optional<CaseSummary> summaryIfVisible(long id) {
        return CaseFile.<CaseFile>find("id = :id and " + visibility(), visibilityParameters().and("id", id))
                .firstResultOptional().map(CaseSummary::of);
    }

    /** Whether the caller may see the case; nothing is audited (a check, not a view). */
    public boolean canSee(long id) {
        return CaseFile.count("id = :id and " + visibility(), visibilityParameters().and("id", id)) > 0;
    }

    CaseFile visible(long id) {
        CaseFile file = CaseFile.find("id = :id and " + visibility(), visibilityParameters().and("id", id))
                .firstResult();
        if (file == null) {
            throw new CaseNotFound(id);
        }
        return file;
    }

    /**
     * The HQL condition for the cases the caller may see. Someone without a unit matches no unit's cases
     * (a condition that matches nothing, never a made-up unit value): an investigator then sees only the
     * cases assigned to them.
     */
    private String visibility() {
        return visibility("");
    }

    /** {@link #visibility()} over the case entity named by {@code alias} ("f." for "from CaseFile f"). */
    private String visibility(String alias) {
        if (currentUser.hasRole(Roles.ADMIN)) {
            return "1 = 1";
        }
        boolean hasUnit = currentUser.unit().isPresent();
        if (currentUser.hasRole(Roles.SUPERVISOR)) {
            return hasUnit ? alias + "unit = :myUnit" : "1 = 0";
        }
        if (currentUser.hasRole(Roles.INVESTIGATOR)) {
            String assigned = alias + "id in (select a.caseId from CaseAssignment a where a.username = :me)";
            return hasUnit ? "(" + alias + "unit = :myUnit or " + assigned + ")" : assigned;
        }
        return "1 = 0";
    }

    /**
     * An HQL subquery of the ids of the cases the caller may see, for another feature's query that filters by it in
     * SQL; its parameters are {@link #visibilityParameters()}, named myUnit (the caller's unit) and me (their name).
     */
    public String visibleCaseIds() {
        return "select f.id from CaseFile f where " + visibility("f.");
    }

    /** The parameters {@link #visibility()} names, and no others. */
    public Parameters visibilityParameters() {
        Parameters params = new Parameters();
        if (!currentUser.hasRole(Roles.ADMIN)) {
            boolean supervisor = currentUser.hasRole(Roles.SUPERVISOR);
            boolean investigator = currentUser.hasRole(Roles.INVESTIGATOR);
            if (supervisor || investigator) {
                currentUser.unit().ifPresent(unit -> params.and("myUnit", unit));
            }
            if (!supervisor && investigator) {
                params.and("me", currentUser.username());
            }
        }
        return params;
    }

    private void requireAnyRole(String action, String... roles) {
        if (Arrays.stream(roles).noneMatch(currentUser::hasRole)) {
            throw new ActionNotAllowed("Your role does not allow you to " + action + ".");
        }
    }

    private void apply(CaseFile file, CaseForm form) {
        file.childName = form.childName().trim();
        file.aliases = form.aliases() == null ? new String[0]
                : form.aliases().stream().map(CaseForm::trimmed).filter(Objects::nonNull).toArray(String[]::new);
        file.sex = form.sex() == null ? Sex.unknown : form.sex();
        file.birthDate = form.birthDate();
        file.birthDateEarliest = form.birthDateEarliest();
        file.birthDateLatest = form.birthDateLatest();
        file.lastSeenDate = form.lastSeenDate();
        file.lastSeenPlace = CaseForm.trimmed(form.lastSeenPlace());
        file.circumstances = CaseForm.trimmed(form.circumstances());
        file.distinguishingMarks = CaseForm.trimmed(form.distinguishingMarks());
        touch(file);
    }

    private void touch(CaseFile file) {
        file.updatedBy = currentUser.username();
        file.updatedAt = Instant.now();
    }

    private static String nextReference() {
        Number next = (Number) CaseFile.getEntityManager().createNativeQuery("SELECT nextval('case_reference_seq')")
                .getSingleResult();
        return String.format("HW-%d-%06d", LocalDate.now(ZoneOffset.UTC).getYear(), next.longValue());
    }

    private CaseDetail detail(CaseFile file) {
        List<String> assignees = CaseAssignment.<CaseAssignment>list("caseId", Sort.by("username"), file.id).stream()
                .map(a -> a.username).toList();
        List<CaseDetail.Note> notes = CaseNote.<CaseNote>list("caseId", Sort.descending("writtenAt"), file.id).stream()
                .map(n -> new CaseDetail.Note(n.writtenAt, n.author, n.body)).toList();
        List<CaseDetail.Photo> casePhotos = new ArrayList<>();
        Map<Long, Long> searched = SearchedFaces.ofCase(file.id);
        for (CasePhoto link : CasePhoto.<CasePhoto>list("caseId", Sort.by("addedAt").and("photoId"), file.id)) {
            Photo photo = Photo.findById(link.photoId);
            List<FaceView> faces = FaceView.ofPhoto(link.photoId);
            // a relative's age cannot be told from the child's birth
            Double age = link.ageAtPhoto != null ? Double.valueOf(link.ageAtPhoto)
                    : link.takenOn == null || link.shows.relative() ? null
                    : file.ageOn(link.takenOn).map(AgeRange::middle).orElse(null);
            casePhotos.add(new CaseDetail.Photo(photo.id, photo.width, photo.height, photo.state, photo.failureReason,
                    link.takenOn, age, link.shows, link.childFaceId, searched.get(link.photoId), faces));
        }
        return new CaseDetail(file.id, file.reference, file.childName, List.of(file.aliases), file.sex, file.birthDate,
                file.birthDateEarliest, file.birthDateLatest, file.lastSeenDate, file.lastSeenPlace, file.circumstances,
                file.distinguishingMarks, file.status, file.statusReason, file.statusChangedBy, file.statusChangedAt,
                file.unit, file.createdBy, file.createdAt, file.updatedBy, file.updatedAt, file.version, ageNow(file),
                assignees, notes, casePhotos);
    }
}
