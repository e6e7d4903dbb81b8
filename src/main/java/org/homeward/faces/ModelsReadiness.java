package org.homeward.faces;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Readiness is DOWN while this process's models have not given their known answers, naming each failure. */
@Readiness
@ApplicationScoped
public class ModelsReadiness implements HealthCheck {

    @Inject
    ModelCheck check;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder out = HealthCheckResponse.named("model self-test");
        SelfTestReport report = check.report();
        switch (check.state()) {
            case NOT_RUN -> out.up().withData("models", "none in this process (role web)");
            case RUNNING -> out.down().withData("models", "self-test running");
            case PASSED, FAILED -> {
                out.status(report.passed()).withData("runtime", report.runtime());
                for (ModelSelfTest.Verdict v : report.verdicts()) {
                    out.withData(v.packageName(), v.line());
                }
            }
        }
        return out.build();
    }
}
