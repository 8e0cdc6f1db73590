package dev.striate.frontend.ast;

import java.util.List;

/** The AST of one {@code .cnn} file: its models and train blocks in source order. */
public record SourceFile(String fileName, List<ModelDecl> models, List<TrainDecl> trains) {
    public SourceFile {
        models = List.copyOf(models);
        trains = List.copyOf(trains);
    }
}
