package org.homeward.referrals;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.homeward.sightings.SightingPageSection;

/**
 * Where a sighting's candidates on other units' cases stand, on the sighting's page: a banner once the case's unit
 * confirmed one, the table of referrals, and each referred candidate's row showing its referral's state. The
 * referrals the viewer may see are read once for all three.
 */
@ApplicationScoped
public class ReferralsOnSightingPage implements SightingPageSection {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance confirmed(List<ReferralView> referrals);

        static native TemplateInstance table(List<ReferralView> referrals);
    }

    @Inject
    ReferralService referrals;

    @Override
    public Part render(long sightingId) {
        List<ReferralView> seen = referrals.ofSighting(sightingId);
        if (seen.isEmpty()) {
            return Part.NONE;
        }
        Map<Place, String> html = new EnumMap<>(Place.class);
        if (seen.stream().anyMatch(r -> r.state() == ReferralState.confirmed)) {
            html.put(Place.SUMMARY, Templates.confirmed(seen).render());
        }
        html.put(Place.AFTER_SUMMARY, Templates.table(seen).render());
        Map<Long, Badge> badges = new HashMap<>();
        for (ReferralView r : seen) {
            badges.putIfAbsent(r.candidateId(), new Badge("referral-" + r.state(), r.stateLabel(),
                    "Referred to unit " + r.toUnit() + ", which holds the case"));
        }
        return new Part(html, badges);
    }
}
