package org.homeward.faces;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import java.util.function.Supplier;
import org.homeward.faces.pipeline.FacePipeline;
import org.homeward.faces.pipeline.QualityGate;
import org.homeward.models.ModelsConfig;

/** Builds the app's one face pipeline from configuration, timing each step into Micrometer. */
@ApplicationScoped
public class FacePipelineProducer {

    @Produces
    @ApplicationScoped
    ModelBundle modelBundle(ModelsConfig config) {
        return ModelBundle.of(config);
    }

    void closeModels(@Disposes ModelBundle bundle) {
        bundle.close();
    }

    @Produces
    @ApplicationScoped
    FacePipeline facePipeline(ModelBundle models, QualityConfig quality, MeterRegistry registry) {
        return new FacePipeline(models, new QualityGate(QualityGate.Rules.of(quality)), new FacePipeline.StepTimer() {
            @Override
            public <T> T time(String step, Supplier<T> work) {
                return Timer.builder("homeward.pipeline.step").tag("step", step)
                        .description("time per face pipeline step").register(registry).record(work);
            }
        });
    }
}
