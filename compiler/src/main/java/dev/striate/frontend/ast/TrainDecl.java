package dev.striate.frontend.ast;

import dev.striate.diag.SourcePos;
import java.util.List;
import java.util.Optional;

/** A {@code train MODEL { ... }} block: training settings for one model of the file. */
public record TrainDecl(Ident model, List<Setting> settings, SourcePos pos) {
    public TrainDecl {
        settings = List.copyOf(settings);
    }

    /** The setting with this key, if the block has one (the first, should it repeat). */
    public Optional<Setting> setting(String key) {
        return settings.stream().filter(s -> s.key().name().equals(key)).findFirst();
    }
}
