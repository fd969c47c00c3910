package dev.vlflow.engine.onnx;

import java.util.Objects;

/** A node attribute (ONNX {@code AttributeProto}); the scalar, string and int-list kinds the graphs use. */
public sealed interface Attribute {

    String name();

    record IntValue(String name, long value) implements Attribute {
        public IntValue {
            Objects.requireNonNull(name, "name");
        }
    }

    record FloatValue(String name, float value) implements Attribute {
        public FloatValue {
            Objects.requireNonNull(name, "name");
        }
    }

    record StringValue(String name, String value) implements Attribute {
        public StringValue {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }
    }

    record IntsValue(String name, long[] values) implements Attribute {
        public IntsValue {
            Objects.requireNonNull(name, "name");
            values = values.clone();
        }

        @Override
        public long[] values() {
            return values.clone();
        }
    }

    static Attribute i(String name, long value) {
        return new IntValue(name, value);
    }

    static Attribute f(String name, float value) {
        return new FloatValue(name, value);
    }

    static Attribute s(String name, String value) {
        return new StringValue(name, value);
    }

    static Attribute ints(String name, long... values) {
        return new IntsValue(name, values);
    }
}
