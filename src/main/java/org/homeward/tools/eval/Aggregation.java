package org.homeward.tools.eval;

import org.homeward.matching.CaseRanker;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code --aggregation max|top2-mean|soft-max[:T]}: how a case's face scores make its score. */
final class Aggregation implements ITypeConverter<CaseRanker> {

    static final String HELP = "how a case's face scores make its score: max, top2-mean or soft-max:T (T > 0)"
            + " (default: the app's, CaseRanker.DEFAULT)";

    @Override
    public CaseRanker convert(String v) {
        CaseRanker.Policy p = CaseRanker.Policy.DEFAULT;
        if (v.equals("max")) {
            return new CaseRanker(p.withAggregation(CaseRanker.Aggregation.MAX, p.temperature()));
        }
        if (v.equals("top2-mean")) {
            return new CaseRanker(p.withAggregation(CaseRanker.Aggregation.TOP2_MEAN, p.temperature()));
        }
        if (v.startsWith("soft-max")) {
            double t = p.temperature();
            if (v.startsWith("soft-max:")) {
                try {
                    t = Double.parseDouble(v.substring("soft-max:".length()));
                } catch (NumberFormatException e) {
                    t = -1;
                }
            }
            if (t > 0) {
                return new CaseRanker(p.withAggregation(CaseRanker.Aggregation.SOFT_MAX, t));
            }
        }
        throw new TypeConversionException("must be max, top2-mean or soft-max:T (T > 0), not '" + v + "'");
    }
}
