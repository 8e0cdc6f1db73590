package dev.striate.cli.demo;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;

/**
 * A generated classifier loaded in its own class loader, called reflectively through the
 * generated API: {@code Model m = Model.load(); float[] out = m.predict(in);}.
 */
public final class GeneratedModel {
    private final Object instance;
    private final Method predict;

    private GeneratedModel(Object instance, Method predict) {
        this.instance = instance;
        this.predict = predict;
    }

    /** Loads the model through its static {@code load()} method. */
    public static GeneratedModel load(Class<?> modelClass) throws ReflectiveOperationException {
        Method load = modelClass.getMethod("load");
        if (!Modifier.isStatic(load.getModifiers())) {
            throw new NoSuchMethodException(modelClass.getName() + ".load() is not static");
        }
        Object instance = unwrap(() -> load.invoke(null));
        return new GeneratedModel(instance, modelClass.getMethod("predict", float[].class));
    }

    /** One forward pass. */
    public float[] predict(float[] input) throws ReflectiveOperationException {
        return (float[]) unwrap(() -> predict.invoke(instance, (Object) input));
    }

    private interface Call {
        Object run() throws ReflectiveOperationException;
    }

    /** Rethrows what the generated code threw, not the reflective wrapper. */
    private static Object unwrap(Call call) throws ReflectiveOperationException {
        try {
            return call.run();
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }
}
