package org.homeward.cases;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.List;
import org.homeward.audit.AuditTrail;
import org.homeward.security.CurrentUser;
import org.homeward.security.Roles;

/** The rules for reading and changing case files; every query is scoped to what the caller may see. */
@ApplicationScoped
@Transactional
public class CaseService {

    @Inject
    CurrentUser currentUser;

    @Inject
    AuditTrail audit;

    /** The cases the caller may see: admins all, everyone else their own unit's. */
    public List<CaseSummary> listVisible() {
        List<CaseFile> files;
        if (currentUser.hasRole(Roles.ADMIN)) {
            files = CaseFile.list("order by id");
        } else {
            String unit = currentUser.unit().orElse(null);
            files = unit == null ? List.of() : CaseFile.list("unit = ?1 order by id", unit);
        }
        audit.record("case.list", "case_file", null, "results=" + files.size());
        return files.stream().map(CaseSummary::of).toList();
    }
}
