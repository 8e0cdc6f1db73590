package dev.striate.frontend.ast;

import dev.striate.diag.SourcePos;
import java.util.List;

/** An argument or setting value as written: a number, string, boolean, name, call or list. */
public sealed interface Value {

    SourcePos pos();

    /** How the value is named in messages, e.g. {@code the string "3"}. */
    String describe();

    /**
     * A number; {@code 1/255} is folded to its quotient. {@link #integral()} is true only for
     * a plain integer literal such as {@code 32} or {@code -1}.
     */
    record NumberValue(double value, boolean integral, String text, SourcePos pos) implements Value {
        public String describe() {
            return (integral ? "the integer " : "the number ") + text;
        }
    }

    /** A string literal with its escapes resolved. */
    record StringValue(String value, SourcePos pos) implements Value {
        public String describe() {
            return "the string \"" + value + "\"";
        }
    }

    /** {@code true} or {@code false}. */
    record BoolValue(boolean value, SourcePos pos) implements Value {
        public String describe() {
            return "the boolean " + value;
        }
    }

    /** A bare name such as {@code same}, {@code relu} or a value name. */
    record NameValue(String name, SourcePos pos) implements Value {
        public String describe() {
            return "the name '" + name + "'";
        }
    }

    /** A call used as a value, such as {@code leaky_relu(0.2)} or {@code rmsprop(lr=0.001)}. */
    record CallValue(Ident function, List<Argument> arguments, SourcePos pos) implements Value {
        public CallValue {
            arguments = List.copyOf(arguments);
        }

        public String describe() {
            return "the call " + function.name() + "(...)";
        }
    }

    /** {@code [a, b, ...]}. */
    record ListValue(List<Value> items, SourcePos pos) implements Value {
        public ListValue {
            items = List.copyOf(items);
        }

        public String describe() {
            return "a list of " + items.size();
        }
    }
}
