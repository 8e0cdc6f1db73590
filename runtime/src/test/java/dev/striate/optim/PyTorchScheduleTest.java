package dev.striate.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.striate.optim.schedule.CosineSchedule;
import dev.striate.optim.schedule.LinearSchedule;
import dev.striate.optim.schedule.Schedule;
import dev.striate.optim.schedule.StepSchedule;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Compares every schedule with the learning rates PyTorch's schedulers give, epoch by epoch. */
class PyTorchScheduleTest {
    static Stream<Arguments> cases() {
        return OptimFixtures.cases("schedules.json").stream().map(c -> Arguments.of(c.get("name").asText(), c));
    }

    @Test
    void fixturesCoverEveryKindWithAndWithoutWarmup() {
        assertEquals(10, cases().count());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesPyTorch(String name, JsonNode c) {
        Schedule s = build(c);
        JsonNode lrs = c.get("lrs");
        for (int t = 0; t < lrs.size(); t++) {
            double want = lrs.get(t).asDouble();
            assertEquals(want, s.lr(t), 1e-12 * Math.max(1, want) + 1e-15, name + " at epoch " + t);
        }
    }

    private static Schedule build(JsonNode c) {
        JsonNode a = c.get("args");
        double lr = a.get("lr").asDouble();
        Schedule s;
        switch (c.get("kind").asText()) {
            case "step":
                s = a.has("gamma") ? new StepSchedule(lr, a.get("step_size").asInt(), a.get("gamma").asDouble())
                        : new StepSchedule(lr, a.get("step_size").asInt());
                break;
            case "cosine":
                s = a.has("eta_min") ? new CosineSchedule(lr, a.get("T_max").asInt(), a.get("eta_min").asDouble())
                        : new CosineSchedule(lr, a.get("T_max").asInt());
                break;
            case "linear":
                s = a.has("total_iters") ? new LinearSchedule(lr, a.get("start_factor").asDouble(),
                        a.get("end_factor").asDouble(), a.get("total_iters").asInt()) : new LinearSchedule(lr);
                break;
            default:
                throw new AssertionError(c.get("kind").asText());
        }
        int warmup = c.get("warmup_epochs").asInt();
        return warmup == 0 ? s : s.withWarmup(warmup, c.get("warmup_start_factor").asDouble());
    }
}
