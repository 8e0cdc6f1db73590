package dev.striate.spark;

/** Small helpers shared by the scorer and the trainer: class loading on executors, quoting in messages. */
final class Printable {
    private Printable() {
    }

    /** {@code s} quoted for a message, control characters escaped, cut at 200 characters. */
    static String quote(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length() && i < 200; i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append(s.length() > 200 ? "...\"" : "\"").toString();
    }

    /**
     * Loads {@code name} with the task's context class loader (where Spark puts the jars of
     * {@code --jars}), falling back to this library's loader.
     */
    static Class<?> loadClass(String name) throws ClassNotFoundException {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        if (context != null) {
            try {
                return Class.forName(name, true, context);
            } catch (ClassNotFoundException e) {
                // fall through to this library's loader
            }
        }
        return Class.forName(name, true, Printable.class.getClassLoader());
    }
}
