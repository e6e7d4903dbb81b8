package org.homeward.cases;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.util.List;

/** The fixed choices the case pages offer, for templates ({cdi:caseStatuses.all}). */
@Named("caseStatuses")
@ApplicationScoped
public class CaseChoices {

    public List<CaseStatus> getAll() {
        return List.of(CaseStatus.values());
    }

    public List<Sex> getSexes() {
        return List.of(Sex.values());
    }
}
