package dev.vlflow.engine.onnx;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The parts of a serialized ONNX {@code ModelProto} the tests look at, read back field by field: an independent
 * check of what {@link OnnxEncoding} wrote.
 */
record ParsedModel(long irVersion, long opset, List<Node> nodes, List<Initializer> initializers) {

    record Node(String name, String opType) {
    }

    record Initializer(String name, long dataLocation, int rawBytes, String location) {
    }

    static ParsedModel parse(byte[] bytes) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        long ir = -1;
        long opset = -1;
        List<Node> nodes = new ArrayList<>();
        List<Initializer> inits = new ArrayList<>();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> ir = in.readInt64();
                case 7 -> readGraph(in.readByteArray(), nodes, inits);
                case 8 -> opset = readOpset(in.readByteArray());
                default -> in.skipField(tag);
            }
        }
        return new ParsedModel(ir, opset, nodes, inits);
    }

    private static void readGraph(byte[] bytes, List<Node> nodes, List<Initializer> inits) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> nodes.add(readNode(in.readByteArray()));
                case 5 -> inits.add(readTensor(in.readByteArray()));
                default -> in.skipField(tag);
            }
        }
    }

    private static Node readNode(byte[] bytes) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        String name = "";
        String op = "";
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 3 -> name = in.readString();
                case 4 -> op = in.readString();
                default -> in.skipField(tag);
            }
        }
        return new Node(name, op);
    }

    private static Initializer readTensor(byte[] bytes) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        String name = "";
        long location = 0;
        int raw = 0;
        String file = "";
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 8 -> name = in.readString();
                case 9 -> raw = in.readByteArray().length;
                case 13 -> file = readEntryValue(in.readByteArray());
                case 14 -> location = in.readEnum();
                default -> in.skipField(tag);
            }
        }
        return new Initializer(name, location, raw, file);
    }

    private static String readEntryValue(byte[] bytes) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        String value = "";
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (WireFormat.getTagFieldNumber(tag) == 2) {
                value = in.readString();
            } else {
                in.skipField(tag);
            }
        }
        return value;
    }

    private static long readOpset(byte[] bytes) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        long version = -1;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (WireFormat.getTagFieldNumber(tag) == 2) {
                version = in.readInt64();
            } else {
                in.skipField(tag);
            }
        }
        return version;
    }
}
